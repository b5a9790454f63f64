"""A client build holds no canary of another client, a draft or an internal note, in any layout;
verify-site finds each one planted back into the site, whatever the file it hides in.

``tests/fixtures/canaries``: the client ``hotel`` (its internal notes carry canaries),
its draft (evidence linked with backslashes), and a rival client every field of whose
audit carries its own canary ``ZQCANARY-<field>``: name, client id, title, industry,
auditors, summary, core message, stage, touchpoint, owner, messages, notes, evidence
(one linked with backslashes), recommendation and its owner, internal notes. The docs
folder holds a page marked for the rival, the rival's evidence folder, a folder named
after this client that is a symbolic link to the rival's, and a link to the audits
folder; the nav has a section of the rival's pages only.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from leakkit import ENCODERS
from journey_audit.cli import main
from journey_audit.site.build import build_site
from journey_audit.site.leaks.decode import texts

FIXTURE = Path(__file__).parent / "fixtures" / "canaries"
CLIENT = "hotel"
MARK = "zqcanary"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("canaries") / "project"
    shutil.copytree(FIXTURE, folder)
    (folder / "docs" / "evidence" / "hotel" / "from-rival").symlink_to("../zqcanary-rival", target_is_directory=True)
    (folder / "docs" / "raw").symlink_to("../audits", target_is_directory=True)
    return folder


@pytest.fixture(scope="module")
def built(project) -> tuple[Path, str]:
    err = io.StringIO()
    code = build_site(config=project / "mkdocs.yml", site_dir=project / "site", client=CLIENT, err=err)
    assert code == 0, err.getvalue()
    return project / "site", err.getvalue()


def canaries(site: Path) -> dict[str, list[str]]:
    """The files (by path and by any text they hold, decoded every way) that name a canary."""
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        text = "\n".join([rel, data.decode("latin-1"), *texts(data)]).casefold().replace("\u200b", "")
        hits = sorted({text[i:i + 30].split()[0] for i in _all(text, MARK)})
        if hits:
            found[rel] = hits
    return found


def _all(text: str, needle: str) -> list[int]:
    out, at = [], text.find(needle)
    while at >= 0:
        out.append(at)
        at = text.find(needle, at + 1)
    return out


@pytest.mark.slow
def test_the_client_build_holds_no_canary_in_any_file(built):
    site, _ = built
    assert (site / "evidence" / "hotel" / "booth.jpg").is_file()
    assert canaries(site) == {}


@pytest.mark.slow
def test_the_build_says_what_it_left_out_and_why(built):
    _, err = built
    said = err[err.index("left out"):]
    for path, why in [("zqcanary-welcome.md", "marked for client 'zqcanary-rival' only"),
                      ("evidence/zqcanary-rival/window.jpg", "in a folder of client 'zqcanary-rival'"),
                      ("evidence/hotel/from-rival/window.jpg", "it is a link to "),
                      ("raw/hotel/hotel-2026.yaml", "it is a link into the audits folder"),
                      ("evidence/shared/zqcanary-rival-only.pdf", "only unpublished audits link to it"),
                      ("evidence/shared/zqcanary-draft-plan.pdf", "only unpublished audits link to it")]:
        assert f"  {path}: " in said and why in said.split(f"  {path}: ")[1].splitlines()[0], (path, said)


# Each canary, as verify-site must name it: (text planted, what the find says).
PLANTED = [
    ("ZQCANARY-NAME Kitchenware", "name of another client"),
    ("zqcanary-rival", "client id of another client"),
    ("zqcanary-rival-2026", "id of audit 'zqcanary-rival-2026'"),
    ("ZQCANARY-TITLE rival brand audit", "title of audit 'zqcanary-rival-2026'"),
    ("ZQCANARY-INDUSTRY cookware", "industry of audit"),
    ("Zoltan ZQCANARY-AUDITOR2", "auditor of audit"),
    ("ZQCANARY-OWNER team", "owner of audit"),
    ("ZQCANARY-RECOWNER desk", "owner of audit"),
    ("zqcanary-rival-only.pdf", "evidence file of audit"),
    ("https://campaigns.example.com/zqcanary-window", "evidence link of audit"),
    ("ZQCANARY-SUMMARY the rival's engagement in one sentence.", "text of audit 'zqcanary-rival-2026'"),
    ("ZQCANARY-CORE fair prices for every kitchen", "text of audit"),
    ("ZQCANARY-STAGE the store visit", "text of audit"),
    ("ZQCANARY-TOUCHPOINT shop window", "text of audit"),
    ("ZQCANARY-INTENDED what the window should say", "text of audit"),
    ("ZQCANARY-METHOD how it was checked", "text of audit"),
    ("ZQCANARY-OBSERVED what the window says", "text of audit"),
    ("ZQCANARY-NOTES public notes on the window", "text of audit"),
    ("ZQCANARY-EVIDENCE window photo", "text of audit"),
    ("ZQCANARY-RECOMMENDATION light the window at night", "text of audit"),
    ("ZQCANARY-RIVAL-NOTE the rival's buyer is leaving in March.", "internal notes of audit 'zqcanary-rival-2026'"),
    ("ZQCANARY-RIVAL-TP-NOTE the window designer is a cousin of the owner.", "internal notes of touchpoint 'shop'"),
    ("ZQCANARY-HOTEL-NOTE the sales director asked us to go easy on the fair team.",
     "internal notes of audit 'hotel-2026'"),
    ("ZQCANARY-HOTEL-TP-NOTE the web agency is being replaced next month.", "internal notes of touchpoint 'website'"),
    ("hotel-2026-plan", "id of draft audit 'hotel-2026-plan'"),
    ("ZQCANARY-DRAFT-TITLE plan for next year", "title of draft audit"),
    ("ZQCANARY-DRAFT-TEXT the new website will show the catalogue", "text of draft audit"),
    ("ZQCANARY-PAGE-TEXT a page written for the rival only.", "text of page zqcanary-welcome.md"),
]


@pytest.mark.slow
def test_verify_site_reports_each_canary_planted_in_any_kind_of_file(built, project, tmp_path, capsys):
    site, _ = built
    copy = Path(shutil.copytree(site, tmp_path / "site"))
    assert main(["verify-site", str(copy), "--client", CLIENT, "--audits", str(project / "audits"),
                 "--docs", str(project / "docs")]) == 0, capsys.readouterr()
    capsys.readouterr()
    kinds = sorted(ENCODERS)
    planted = {}
    for n, (text, what) in enumerate(PLANTED):
        kind = kinds[n % len(kinds)]
        if kind == "pdf" and not text.isascii():
            kind = "html"
        name = f"planted/{n:02d}-{kind}.bin"  # the name says nothing of the kind
        (copy / "planted").mkdir(exist_ok=True)
        (copy / name).write_bytes(ENCODERS[kind](f"Notes: {text} End"))
        planted[name] = what
    (copy / "evidence" / "shared").mkdir(parents=True, exist_ok=True)
    (copy / "evidence" / "shared" / "zqcanary-draft-plan.pdf").write_bytes(b"%PDF-1.4")
    (copy / "zqcanary-welcome").mkdir()
    (copy / "zqcanary-welcome" / "index.html").write_text("<p>moved</p>", encoding="utf-8")
    code = main(["verify-site", str(copy), "--client", CLIENT, "--audits", str(project / "audits"),
                 "--docs", str(project / "docs")])
    out = capsys.readouterr().out
    assert code == 1
    for name, what in planted.items():
        assert any(line.startswith(f"{name}: {what}") for line in out.splitlines()), (name, what, out)
    assert "evidence/shared/zqcanary-draft-plan.pdf: evidence that only unpublished audits link to" in out
    assert "zqcanary-welcome/index.html: page zqcanary-welcome.md (for zqcanary-rival) (in the file's name)" in out


@pytest.mark.slow
def test_the_exported_tree_of_a_client_holds_no_canary_and_says_what_it_left_out(project, tmp_path, capsys):
    """`export-docs` (the tree Zensical builds) applies the same scope, links resolved."""
    code = main(["export-docs", str(tmp_path / "tree"), "--config", str(project / "mkdocs.yml"), "--client", CLIENT])
    err = capsys.readouterr().err
    assert code == 0, err
    assert "left out 8 hand-written files of the docs folder:" in err
    assert "  evidence/hotel/from-rival/window.jpg: it is a link to " in err
    assert canaries(tmp_path / "tree") == {}  # its mkdocs.yml too: the nav is pruned
