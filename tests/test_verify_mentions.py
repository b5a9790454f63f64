"""verify-site looks for what a careless copy-paste leaks, and allows only what the consultant wrote down.

Another client's name, ids, people, industry and evidence file names are found even
when they stand in the client's own audit (pasted into its touchpoint); an intended
mention passes only through the allow-list file, with its reason. Generic words (the
``new`` template's stage names, the site's own pages) and the theme's files raise no
alarm. These tests check small site folders written by hand: no build needed.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from journey_audit.audit.portfolio import load_portfolio
from journey_audit.cli import main
from journey_audit.errors import VerifyError
from journey_audit.site.leaks.allow import read_allow_text
from journey_audit.site.verify_site import verify_site

FIXTURE = Path(__file__).parent / "fixtures" / "canaries"
CLIENT = "hotel"


@pytest.fixture
def audits():
    portfolio = load_portfolio([FIXTURE / "audits"])
    assert not portfolio.errors
    return portfolio.audits


def site_with(tmp_path: Path, pages: dict[str, str | bytes]) -> Path:
    site = tmp_path / "site"
    for name, content in pages.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        data = content.encode() if isinstance(content, str) else content
        (site / name).write_bytes(data)
    return site


def finds(report) -> list[tuple[str, str]]:
    return [(leak.path, leak.what) for leak in report.leaks]


def own_touchpoint_says(audits, text: str) -> None:
    """Paste ``text`` into the client's own touchpoint (the copy-paste the check must catch)."""
    hotel = next(a for a in audits if a.slug == "hotel-2026")
    hotel.stages[0].touchpoints[0].message.intended = text


@pytest.mark.parametrize("pasted, what", [
    ("As for ZQCANARY-NAME Kitchenware", "name of another client"),
    ("See zqcanary-rival-brochure.pdf", "client id of another client"),
    ("Ingrid ZQCANARY-AUDITOR checked it", "auditor of audit 'zqcanary-rival-2026'"),
    ("A ZQCANARY-INDUSTRY cookware buyer", "industry of audit 'zqcanary-rival-2026'"),
    ("Ask the ZQCANARY-OWNER team", "owner of audit 'zqcanary-rival-2026'"),
    ("Like window.jpg shows", "evidence file of audit 'zqcanary-rival-2026'"),
])
def test_another_clients_identity_pasted_into_the_clients_own_touchpoint_is_found(tmp_path, audits, pasted, what):
    own_touchpoint_says(audits, pasted)
    site = site_with(tmp_path, {"audits/hotel-2026/index.html": f"<p>{pasted}</p>"})
    report = verify_site(site, audits, CLIENT)
    assert any(w.startswith(what) for _, w in finds(report)), finds(report)


def test_an_intended_mention_is_allowed_only_by_the_allow_list(tmp_path, audits):
    pasted = "A joint case study with ZQCANARY-NAME Kitchenware"
    own_touchpoint_says(audits, pasted)
    site = site_with(tmp_path, {"index.html": f"<p>{pasted}</p>"})
    assert verify_site(site, audits, CLIENT).leaks
    allow = read_allow_text("hotel:\n  - text: zqcanary-name  KITCHENWARE\n    reason: approved by both clients\n",
                            "journey-audit.allow.yaml")
    report = verify_site(site, audits, CLIENT, allow=allow)
    assert report.leaks == [] and report.allowed == ["ZQCANARY-NAME Kitchenware"]
    other = read_allow_text("zqcanary-rival:\n  - {text: ZQCANARY-NAME Kitchenware, reason: r}\n", "a.yaml")
    assert verify_site(site, audits, CLIENT, allow=other).leaks  # allowed in another client's site only


def test_internal_notes_are_never_allowed(tmp_path, audits):
    note = "ZQCANARY-HOTEL-NOTE the sales director asked us to go easy on the fair team."
    site = site_with(tmp_path, {"index.html": f"<p>{note}</p>"})
    allow = read_allow_text(f"all:\n  - text: {note}\n    reason: nope\n", "a.yaml")
    assert finds(verify_site(site, audits, CLIENT, allow=allow)) == [
        ("index.html", "internal notes of audit 'hotel-2026'")]


@pytest.mark.parametrize("text, message", [
    ("hotel: [Acme]", "a.yaml:1:9: each entry needs a text"),
    ("hotel:\n  - text: Acme\n", "a.yaml:2:5: each allowed text needs a reason"),
    ("hotel:\n  - {text: Acme, reason: r, until: 2027}\n", "a.yaml:2:5: unknown key 'until'"),
    ("- Acme\n", "a.yaml:1:1: the allow-list maps client ids"),
    ("hotel: Acme\n", "a.yaml:1:8: 'hotel' needs a list"),
    ("hotel: [\n", "a.yaml: not YAML"),
])
def test_a_wrong_allow_list_is_a_located_error(text, message):
    with pytest.raises(VerifyError, match=message.replace("[", r"\[")):
        read_allow_text(text, "a.yaml")


def test_ids_are_found_at_any_edge_but_not_inside_the_clients_own_longer_ids(tmp_path, audits):
    for a in audits:  # a client "zqcanary" beside this one, renamed "zqcanary-rival"
        if a.client_id == "zqcanary-rival":
            a.client_id = "zqcanary"
    site = site_with(tmp_path, {"a.html": "<a href='/files/zqcanary_plan.pdf'>x</a>", "b.html": "zqcanary.example"})
    assert {p for p, _ in finds(verify_site(site, audits, CLIENT))} == {"a.html", "b.html"}
    for a in audits:
        if a.client_id == "hotel":
            a.client_id = "zqcanary-hotel"
    site = site_with(tmp_path / "2", {"clients/zqcanary-hotel/index.html": "<a href='/clients/zqcanary-hotel/'>"})
    assert finds(verify_site(site, audits, "zqcanary-hotel")) == []


def test_generic_wording_and_the_sites_own_pages_are_not_a_draft_leaking(tmp_path, audits):
    """The `new` template's stage names, kept by a draft, and a docs page's sentences are no leak."""
    draft = next(a for a in audits if a.status == "draft")
    method = "We follow each customer from Search for information to the purchase, touchpoint by touchpoint."
    draft.summary = method
    draft.stages[0].touchpoints[0].recommendations = []
    site = site_with(tmp_path, {"index.html": "<h2>Search for information</h2>", "method/index.html": method})
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "method.md").write_text(f"# How we audit\n\n{method}\n", encoding="utf-8")
    for client in (None, CLIENT):
        assert verify_site(site, audits, client, docs).leaks == [], client


def test_the_themes_own_files_are_not_read_but_a_changed_one_is(tmp_path, audits):
    import material

    templates = Path(material.__file__).parent / "templates"
    original = min(templates.glob("assets/javascripts/bundle.*.js"))
    path = original.relative_to(templates).as_posix()
    site = site_with(tmp_path, {path: original.read_bytes()})
    report = verify_site(site, audits, CLIENT)
    assert (report.theme, report.files, report.leaks) == (1, 0, [])
    (site / path).write_bytes(original.read_bytes() + b"\n// ZQCANARY-NAME Kitchenware")
    assert finds(verify_site(site, audits, CLIENT)) == [(path, "name of another client (client zqcanary-rival)")]


def test_verify_site_checks_with_the_audits_that_load_when_one_is_invalid(tmp_path, capsys):
    audits = Path(shutil.copytree(FIXTURE / "audits", tmp_path / "audits"))
    (audits / "hotel" / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    rival = audits / "zqcanary-rival" / "zqcanary-rival-2026.yaml"  # a score left to fill: who it is about still counts
    rival.write_text(rival.read_text(encoding="utf-8").replace("score: 3", "score: TO-FILL"), encoding="utf-8")
    site = site_with(tmp_path, {"index.html": "<p>ZQCANARY-NAME Kitchenware</p>",
                                "team.html": "<p>Ingrid ZQCANARY-AUDITOR</p>"})
    code = main(["verify-site", str(site), "--client", CLIENT, "--audits", str(audits), "--docs", str(tmp_path)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out.splitlines() == [
        'index.html: name of another client (client zqcanary-rival): "ZQCANARY-NAME Kitchenware"',
        "team.html: auditor of audit 'zqcanary-rival-2026' (client zqcanary-rival): \"Ingrid ZQCANARY-AUDITOR\""]
    assert "broken.yaml:2:1: warning: the audit does not validate" in err and "nothing of it is looked for" in err
    assert "zqcanary-rival-2026.yaml:27:18: warning: the audit does not validate" in err
    assert "only its client, ids, title and people are looked for" in err
    assert "2 audits that do not validate (see the warnings above)" in err


def test_the_allow_list_file_is_read_by_the_command(tmp_path, capsys, monkeypatch):
    audits = tmp_path / "audits"
    shutil.copytree(FIXTURE / "audits", audits)
    site = site_with(tmp_path, {"index.html": "<p>ZQCANARY-NAME Kitchenware</p>"})
    args = ["verify-site", str(site), "--client", CLIENT, "--audits", str(audits), "--docs", str(tmp_path)]
    monkeypatch.chdir(tmp_path)
    assert main(args) == 1
    capsys.readouterr()
    (tmp_path / "journey-audit.allow.yaml").write_text(
        "hotel:\n  - text: ZQCANARY-NAME Kitchenware\n    reason: joint case study, approved by both\n"
        "nobody:\n  - {text: x, reason: y}\n", encoding="utf-8")
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "1 allowed by journey-audit.allow.yaml" in err
    assert "journey-audit.allow.yaml: client 'nobody' has no audit" in err
    assert main(args + ["--allow", str(tmp_path / "missing.yaml")]) == 2
    assert "missing.yaml: cannot read the allow-list" in capsys.readouterr().err


def test_the_readmes_allow_list_example_reads():
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    start = readme.index("# What verify-site accepts in a client's site")
    allow = read_allow_text(readme[start:readme.index("```", start)], "README.md")
    assert allow.allows("hotel-supplies", "Northline Apparel") and allow.allows("acme", "wang min")


@pytest.mark.parametrize("client_id", ["search", "assets", "palette", "bundle", "mkdocs", "header"])
def test_a_client_id_the_site_itself_uses_is_refused_at_validation(client_id):
    from journey_audit.audit.validate import validate_text

    text = (FIXTURE / "audits" / "hotel" / "hotel-2026.yaml").read_text(encoding="utf-8")
    _, problems = validate_text(text.replace("client_id: hotel", f"client_id: {client_id}"), "a.yaml", "a")
    assert [(p.line, p.rule) for p in problems] == [(4, "reserved-id")], problems


def test_a_drafts_id_is_not_found_inside_a_longer_id_of_a_published_audit(tmp_path, audits):
    draft = next(a for a in audits if a.status == "draft")
    draft.slug = "hotel"  # the published audit is hotel-2026
    site = site_with(tmp_path, {"audits/hotel-2026/index.html": "<a href='../hotel-2026/'>x</a>"})
    for client in (None, CLIENT):
        assert finds(verify_site(site, audits, client)) == [], client
    (site / "old.html").write_text("<a href='/audits/hotel/'>the draft</a>", encoding="utf-8")
    assert finds(verify_site(site, audits, CLIENT)) == [("old.html", "id of draft audit 'hotel'")]


def test_a_fifo_in_the_site_or_the_docs_does_not_stop_the_check(tmp_path, audits):
    import os

    site = site_with(tmp_path, {"index.html": "<p>ZQCANARY-NAME Kitchenware</p>"})
    os.mkfifo(site / "pipe.html")
    docs = tmp_path / "docs"
    docs.mkdir()
    os.mkfifo(docs / "pipe.md")
    assert finds(verify_site(site, audits, CLIENT, docs)) == [("index.html", "name of another client (client "
                                                                             "zqcanary-rival)")]


def test_another_clients_name_in_a_page_every_client_sees_is_found(tmp_path, audits):
    """A shared hand-written page is no licence: the name pasted into it is a leak to every other client."""
    docs = tmp_path / "docs"
    docs.mkdir()
    page = "Our references include ZQCANARY-NAME Kitchenware and many more."
    (docs / "references.md").write_text(f"# References\n\n{page}\n", encoding="utf-8")
    site = site_with(tmp_path, {"references/index.html": f"<p>{page}</p>"})
    assert finds(verify_site(site, audits, CLIENT, docs)) == [
        ("references/index.html", "name of another client (client zqcanary-rival)")]
