"""Another client's words in this client's audit: verify-site finds them, validate warns.

A consultant starts a new client's audit as a copy of another client's (only the title,
client and client id changed, the evidence links removed). Its summary, findings and
recommendations are that other client's: ``verify-site --client`` reports them even
though they now stand in the new client's own audit, and ``validate`` warns on each
copied field, pointing at the original. A sentence pasted inside a longer text is
found too; the ``new`` template's wording, the examples' own rounds of one client and
an intended mention on the allow-list raise nothing.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from journey_audit.audit.portfolio import load_portfolio
from journey_audit.audit.starter import starter_text
from journey_audit.cli import main
from journey_audit.site.leaks.allow import read_allow_text
from journey_audit.site.verify_site import verify_site

RECOMMENDATION = "国际站询盘设专人轮值,首次回复控制在4小时以内"  # hotel-supplies' recommendation, word for word


def copy_as_new_client(example_audits: Path, tmp_path: Path) -> Path:
    """The examples plus ``yuelai``, made as a copy of hotel-supplies' 2026 Q3 audit."""
    audits = Path(shutil.copytree(example_audits, tmp_path / "audits"))
    text = (audits / "hotel-supplies" / "hotel-supplies-2026q3.yaml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^title: .*$", "title: 悦来酒店用品客户接触点审计", text)
    text = re.sub(r"(?m)^client: .*$", "client: 悦来酒店用品有限公司", text)
    text = re.sub(r"(?m)^client_id: .*$", "client_id: yuelai", text)
    text = re.sub(r"(?m)^previous: .*\n", "", text)
    text = re.sub(r"(?m)^\s+url: .*\n", "", text)
    (audits / "yuelai").mkdir()
    (audits / "yuelai" / "yuelai-2026.yaml").write_text(text, encoding="utf-8")
    return audits


def site_with(tmp_path: Path, pages: dict[str, str]) -> Path:
    site = tmp_path / "site"
    for name, content in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(content, encoding="utf-8")
    return site


def test_validate_warns_on_an_audit_copied_from_another_client(example_audits, tmp_path, capsys):
    audits = copy_as_new_client(example_audits, tmp_path)
    assert main(["validate", str(audits)]) == 0  # a warning, not an error
    err = capsys.readouterr()
    lines = [x for x in (err.out + err.err).splitlines() if x.endswith("(copied-text)")]
    mine = [x for x in lines if x.split(":")[0].endswith("yuelai/yuelai-2026.yaml")]
    first = next(x for x in mine if "summary" in x)
    assert re.match(r".*yuelai-2026\.yaml:\d+:\d+: warning: summary \"", first), first
    assert re.search(r"is word for word in .*hotel-supplies-2026q\d\.yaml:\d+:\d+ \(client 'hotel-supplies'\): "
                     r"copied from another client\? rewrite it", first), first
    assert len(mine) == 4 and re.search(r": warning: \d+ more fields of this audit, from here on, are word for word "
                                        r"in audits of client 'hotel-supplies'", mine[-1]), mine
    assert any("hotel-supplies-2026q3.yaml" in x.split(":")[0] for x in lines)  # the original is told too
    assert main(["validate", "--strict", str(audits)]) == 1


def test_the_example_portfolio_does_not_warn(example_audits, capsys):
    assert main(["validate", "--strict", str(example_audits)]) == 0
    assert "copied-text" not in "".join(capsys.readouterr())


def test_verify_site_reports_the_copied_audit_in_the_new_clients_site(example_audits, tmp_path):
    audits = load_portfolio([copy_as_new_client(example_audits, tmp_path)]).audits
    yuelai = next(a for a in audits if a.client_id == "yuelai")
    summary = yuelai.summary.split("\n\n")[0]
    site = site_with(tmp_path, {"audits/yuelai-2026/index.html": f"<h1>{yuelai.title}</h1><p>{summary}</p>"
                                f"<li>{RECOMMENDATION}</li>"})
    report = verify_site(site, audits, "yuelai")
    found = [leak.text for leak in report.leaks]
    assert RECOMMENDATION in found, found
    assert any(t in summary for t in found if t != RECOMMENDATION), found
    assert all("client hotel-supplies" in leak.what for leak in report.leaks)
    allow = read_allow_text(f"yuelai:\n  - text: {RECOMMENDATION}\n    reason: the same advice, agreed\n", "a.yaml")
    assert RECOMMENDATION not in [leak.text for leak in verify_site(site, audits, "yuelai", allow=allow).leaks]


def test_a_pasted_sentence_is_found_inside_a_longer_text(example_audits, tmp_path):
    audits = load_portfolio([example_audits]).audits
    text = f"触点说明:本季度我们决定{RECOMMENDATION}并每周复盘一次。"
    online = next(a for a in audits if a.client_id == "online-shop")
    online.stages[0].touchpoints[0].name = text  # pasted into the client's own touchpoint
    site = site_with(tmp_path, {"index.html": f"<td>{text}</td>"})
    leaks = verify_site(site, audits, "online-shop").leaks
    assert [(x.path, x.text) for x in leaks] == [("index.html", RECOMMENDATION)], leaks


def test_a_sentence_three_clients_share_is_house_wording_and_two_is_a_copy(minimal_text, tmp_path, capsys):
    shared = "We answer every enquiry within one working day, by phone or by mail."

    def client(cid: str) -> str:
        return minimal_text.rstrip("\n") + f"\nclient_id: {cid}\nsummary: {shared}\n"

    folder = tmp_path / "audits"
    for cid in ("alpha", "beta"):
        (folder / cid).mkdir(parents=True)
        (folder / cid / f"{cid}-2026.yaml").write_text(client(cid), encoding="utf-8")
    main(["validate", str(folder)])
    out = "".join(capsys.readouterr())
    assert out.count("(copied-text)") == 2, out  # both told, each pointing at the other
    (folder / "gamma").mkdir()
    (folder / "gamma" / "gamma-2026.yaml").write_text(client("gamma"), encoding="utf-8")
    main(["validate", str(folder)])
    assert "(copied-text)" not in "".join(capsys.readouterr())


@pytest.mark.parametrize("names", [("Alpha", "Beta"), ("星河办公家具", "星河科技")])  # the English and Chinese starters
def test_the_new_templates_wording_is_no_copy(names, tmp_path, capsys):
    folder = tmp_path / "audits"
    for cid, name in zip(("alpha", "beta"), names):
        (folder / cid).mkdir(parents=True)
        (folder / cid / f"{cid}-2026.yaml").write_text(starter_text(f"{cid}-2026", name), encoding="utf-8")
    main(["validate", str(folder)])
    assert "(copied-text)" not in "".join(capsys.readouterr())


@pytest.mark.slow
def test_build_then_verify_site_of_the_copied_client_fails(example_audits, example_project, tmp_path, capsys,
                                                           monkeypatch):
    audits = copy_as_new_client(example_audits, tmp_path)
    project = tmp_path / "project"
    shutil.copytree(example_project, project, ignore=shutil.ignore_patterns("audits"))
    shutil.move(str(audits), project / "audits")
    monkeypatch.chdir(project)
    assert main(["build", "--client", "yuelai"]) == 0
    capsys.readouterr()
    assert main(["verify-site", "site", "--client", "yuelai"]) == 1
    out = capsys.readouterr().out
    assert RECOMMENDATION in out and "(client hotel-supplies)" in out
