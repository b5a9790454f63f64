"""Client sites hold that client and nothing else; internal notes and drafts reach no one.

A small portfolio (``tests/fixtures/publish``) plants canaries: another client whose
every text field carries ``CANARY-OTHER-CLIENT-7f3a`` (client name, title, stage,
touchpoint, messages, notes, evidence, recommendation), internal notes carrying
``CANARY-INTERNAL-91b2`` at audit and touchpoint level, and a draft round carrying
``CANARY-DRAFT-55c1``. Hand-written pages and evidence files belong to one client,
to the other, or to all. The hotel-supplies site is built with diagrams, then every
byte of every output file is read (entities decoded, gzip unpacked, JSON strings
decoded, zero-width spaces removed) and must hold no canary. The same sweep finds
all three in a build that asks for internal content, so it can fail.
"""

from __future__ import annotations

import gzip
import html
import io
import json
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import pytest

from htmlpage import load
from journey_audit.site.build import build_site
from journey_audit.diagram.dot import dot_source
from journey_audit.audit.portfolio import load_portfolio
from journey_audit.site.publish import published
from journey_audit.diagram.render import render_many
from journey_audit.figures.scoring import compute
from journey_audit.site.sitegen import SiteOptions, generate
from journey_audit.errors import SiteError

FIXTURE = Path(__file__).parent / "fixtures" / "publish"
OTHER, INTERNAL, DRAFT = "CANARY-OTHER-CLIENT-7f3a", "CANARY-INTERNAL-91b2", "CANARY-DRAFT-55c1"
CANARIES = (OTHER, INTERNAL, DRAFT)
CLIENT = "hotel-supplies"


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("publish") / "project"
    shutil.copytree(FIXTURE, folder)
    return folder


def build(project: Path, name: str, config: str = "mkdocs.yml", **options) -> Path:
    err = io.StringIO()
    code = build_site(config=project / config, site_dir=project / name, err=err, **options)
    assert code == 0, err.getvalue()
    return project / name


@pytest.fixture(scope="module")
def client_site(project) -> Path:
    return build(project, "client-site", client=CLIENT)


@pytest.fixture(scope="module")
def client_site_nav(project) -> Path:
    """The same, with a hand-written nav that names every client's pages."""
    return build(project, "client-site-nav", "mkdocs-nav.yml", client=CLIENT)


@pytest.fixture(scope="module")
def internal_site(project) -> Path:
    return build(project, "internal-site", include_internal=True, drafts=True)


def readable(data: bytes, name: str) -> str:
    """Everything a file says, however it is encoded: what a grep of the site must search."""
    if name.endswith(".gz"):
        data = gzip.decompress(data)
    text = data.decode("utf-8", "replace")
    parts = [text, data.decode("latin-1")]
    if name.endswith(".json"):
        parts.append(json.dumps(json.loads(text), ensure_ascii=False))
    for _ in range(3):  # &amp;#45; → &#45; → -
        parts.append(html.unescape(parts[-1]))
    parts.append(unquote(parts[-1]))
    return "\n".join(parts).replace("\u200b", "")


def canaries_in(site: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        text = readable(path.read_bytes(), path.name).casefold() + "\n" + rel.casefold()
        for canary in CANARIES:
            if canary.casefold() in text:
                found.setdefault(canary, []).append(rel)
    return found


def files(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()
            and not p.relative_to(site).as_posix().startswith("assets/")}


# -- the client's site ------------------------------------------------------------------

@pytest.mark.parametrize("site", ["client_site", "client_site_nav"])
@pytest.mark.slow
def test_no_canary_in_any_file_of_the_client_site(site, request):
    site = request.getfixturevalue(site)
    assert any(p.suffix == ".png" for p in site.rglob("*")) and (site / "sitemap.xml.gz").is_file()
    assert canaries_in(site) == {}


@pytest.mark.slow
def test_the_sweep_finds_every_canary_in_a_build_with_internal_content(internal_site):
    found = canaries_in(internal_site)
    assert set(found) == set(CANARIES)
    assert {"audits/hotel-supplies-2026q3/index.html", "search/search_index.json",
            "audits/hotel-supplies-2026q3/hotel-supplies-2026q3-touchpoints.csv"} <= set(found[INTERNAL])
    assert {"audits/canary-other-2026/canary-other-2026-journey.svg", "404.html", "other-welcome/index.html",
            "evidence/canary-other/window.jpg", "evidence/shared/other-only.pdf"} <= set(found[OTHER])
    assert "audits/hotel-supplies-2026q1/hotel-supplies-2026q1-journey.svg" in found[DRAFT]


@pytest.mark.parametrize("site", ["client_site", "client_site_nav"])
@pytest.mark.slow
def test_the_client_site_is_made_of_its_own_pages_and_files_only(site, request):
    site = request.getfixturevalue(site)
    slug = "hotel-supplies-2026q3"
    assert files(site) == {
        "index.html", "404.html", "sitemap.xml", "sitemap.xml.gz", "search/search_index.json",
        f"clients/{CLIENT}/index.html", f"audits/{slug}/index.html", f"audits/{slug}/{slug}-touchpoints.csv",
        f"audits/{slug}/{slug}-figures.json", f"audits/{slug}/{slug}-journey.svg", f"audits/{slug}/{slug}-journey.png",
        "method/index.html", "hotel-welcome/index.html", "everyone/index.html",  # unmarked, this client's, all
        "evidence/hotel-supplies/booth.jpg", "evidence/shared/brochure.pdf",
    }
    sitemap = gzip.decompress((site / "sitemap.xml.gz").read_bytes()).decode()
    pages = {loc.removeprefix("https://audits.example.com/") for loc in re.findall(r"<loc>([^<]*)</loc>", sitemap)}
    assert pages == {"", f"clients/{CLIENT}/", f"audits/{slug}/", "method/", "hotel-welcome/", "everyone/"}
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert {d["location"].split("#")[0] for d in index["docs"]} == pages


@pytest.mark.slow
def test_the_portfolio_of_a_client_site_lists_only_that_client(client_site):
    rows = load(client_site / "index.html").find("div", cls="ja-portfolio").find("tbody").find_all("tr")
    assert [r.attrs["data-audit"] for r in rows] == ["hotel-supplies-2026q3"]
    assert "1 audit" in load(client_site / "index.html").find("p", cls="ja-lead").text


@pytest.mark.slow
def test_a_hand_written_nav_loses_the_entries_of_other_clients_and_drafts(client_site_nav):
    nav = load(client_site_nav / "404.html").find("nav", cls="md-nav--primary")
    titles = [a.text.strip() for a in nav.find_all("a") if a.text.strip()]
    assert "Welcome, Huajin" in titles and "Q3" in titles and "Contact" in titles
    assert not [t for t in titles if "CANARY" in t], titles


@pytest.mark.slow
def test_a_previous_round_that_is_a_draft_is_neither_linked_nor_compared(client_site):
    data = json.loads((client_site / "audits" / "hotel-supplies-2026q3" / "hotel-supplies-2026q3-figures.json")
                      .read_text(encoding="utf-8"))
    assert data["previous"] is None and data["change"] is None
    meta = load(client_site / "audits" / "hotel-supplies-2026q3" / "index.html").find("dl", cls="ja-meta").text
    assert "Previous round" not in meta


@pytest.mark.slow
def test_diagram_downloads_are_drawn_from_the_public_view_only(client_site):
    """PNG pixels cannot be grepped: the PNG must be exactly the drawing of the public view's DOT."""
    portfolio = load_portfolio([FIXTURE / "audits"])
    [view] = published(portfolio.audits, client=CLIENT)
    source = dot_source(view, compute(view))
    assert not [c for c in CANARIES if c in source]
    folder = client_site / "audits" / view.slug
    assert (folder / f"{view.slug}-journey.png").read_bytes() == render_many([source], "png")[0]
    assert (folder / f"{view.slug}-journey.svg").read_bytes() == render_many([source], "svg")[0]


@pytest.mark.slow
def test_a_build_with_internal_content_says_so_on_the_portfolio_and_client_pages(internal_site, client_site):
    for page in ("index.html", f"clients/{CLIENT}/index.html"):
        notice = load(internal_site / page).find_all("div", cls="ja-internal-build")
        assert notice and "never send it to a client" in notice[0].text
        assert not load(client_site / page).find_all("div", cls="ja-internal-build")


@pytest.mark.slow
def test_internal_notes_alone_are_published_only_when_asked(project):
    site = build(project, "notes-only", client=CLIENT, include_internal=True)
    found = canaries_in(site)
    assert set(found) == {INTERNAL}  # the draft and the other client stay out
    page = load(site / "audits" / "hotel-supplies-2026q3" / "index.html")
    assert [d.attrs.get("role") for d in page.find_all("div", cls="ja-internal")] == ["note", "note"]


# -- hand-written pages: marks ---------------------------------------------------------------

def small_project(tmp_path: Path, page: str) -> Path:
    shutil.copytree(FIXTURE, tmp_path / "p")
    (tmp_path / "p" / "docs" / "marked.md").write_text(page, encoding="utf-8")
    return tmp_path / "p"


@pytest.mark.slow
def test_a_page_marked_in_a_way_the_build_cannot_read_stops_it(tmp_path):
    project = small_project(tmp_path, "---\nclients: {hotel-supplies: yes}\n---\n# Marked\n")
    err = io.StringIO()
    assert build_site(config=project / "mkdocs.yml", site_dir=project / "site", client=CLIENT, err=err) == 1
    assert "docs/marked.md: front matter 'clients' must be 'all', a client id or a list of client ids" in err.getvalue()
    assert not (project / "site").exists()


@pytest.mark.slow
def test_a_page_marked_for_a_client_without_audits_is_a_warning(tmp_path):
    project = small_project(tmp_path, "---\nclient: hotel-suplies\n---\n# Typo\n")
    err = io.StringIO()
    assert build_site(config=project / "mkdocs.yml", site_dir=project / "site", client=CLIENT, err=err) == 0
    assert "docs/marked.md is marked for client 'hotel-suplies', which has no audit" in err.getvalue()
    assert not (project / "site" / "marked").exists()  # not this client's: left out all the same


def test_a_client_with_only_drafts_is_an_error_not_an_empty_site():
    portfolio = load_portfolio([FIXTURE / "audits"])
    drafts_only = [a for a in portfolio.audits if a.status == "draft"]
    with pytest.raises(SiteError, match="has only draft audits"):
        generate(drafts_only, SiteOptions(client=CLIENT, diagrams=False))
    site = generate(drafts_only, SiteOptions(client=CLIENT, drafts=True, diagrams=False))
    assert "audits/hotel-supplies-2026q1.md" in site.files


@pytest.mark.slow
def test_the_cli_flags_reach_the_build(project, capsys):
    from journey_audit.cli import main

    code = main(["build", "--config", str(project / "mkdocs.yml"), "--site-dir", str(project / "cli-site"),
                 "--client", "canary-other"])
    assert code == 0
    err = capsys.readouterr().err
    assert "of client canary-other" in err
    assert files(project / "cli-site") >= {"audits/canary-other-2026/index.html", "other-welcome/index.html",
                                           "evidence/canary-other/window.jpg"}
    assert not [f for f in files(project / "cli-site") if "hotel" in f]


# -- hosting recipes ------------------------------------------------------------------------

ROOT = Path(__file__).resolve().parents[1]
RECIPES = {"github": ROOT / ".github" / "workflows" / "publish.yml", "gitlab": ROOT / ".gitlab-ci.yml"}


def recipe_commands(path: Path) -> list[list[str]]:
    """Every `journey-audit …` command line of a CI file, its shell variables filled in."""
    import shlex

    text = re.sub(r'"?\$\{?(CLIENT|client|PAGES_CLIENT)(:-)?\}?"?', "acme", path.read_text(encoding="utf-8"))
    commands = []
    for line in text.splitlines():
        found = re.search(r"\.venv/bin/journey-audit (.*?)(\)|$)", line)
        if found:
            commands.append(shlex.split(found.group(1).replace('"', "")))
    return commands


@pytest.mark.parametrize("host", sorted(RECIPES))
def test_the_hosting_recipes_validate_build_each_client_verify_and_only_then_deploy(host):
    import yaml

    from journey_audit.cli import build_parser

    commands = recipe_commands(RECIPES[host])
    for argv in commands:
        build_parser().parse_args(argv)  # exits (SystemExit) on an unknown command or option
    names = [argv[0] for argv in commands]
    assert {"validate", "clients", "build", "verify-site"} <= set(names)
    assert names.index("build") < names.index("verify-site")
    assert any(argv[:1] == ["build"] and "--client" in argv and "--strict" in argv for argv in commands)
    assert any(argv[:1] == ["verify-site"] and "--client" in argv for argv in commands)
    ci = yaml.safe_load(RECIPES[host].read_text(encoding="utf-8"))
    if host == "github":
        jobs = ci["jobs"]
        assert jobs["site"]["needs"] == "check" and jobs["deploy"]["needs"] == "site"
        assert jobs["site"]["strategy"] == {"fail-fast": True, "matrix": {
            "client": "${{ fromJSON(needs.check.outputs.clients) }}"}}  # one job per client
        assert "actions/deploy-pages" in str(jobs["deploy"]["steps"])
    else:
        assert ci["stages"] == ["check", "build", "deploy"]
        assert set(ci["pages"]["needs"]) == {"validate", "sites"}
        assert "set -eu" in ci["sites"]["script"][1]  # one failing client stops the job, and the deploy
    comments = " ".join(" ".join(line.strip().lstrip("#").split()) for line in
                        RECIPES[host].read_text(encoding="utf-8").splitlines() if line.strip().startswith("#"))
    assert "ONE site per" in comments and "NOT from each other" in comments  # the one-site limit is explained


@pytest.mark.slow
def test_a_client_build_warns_about_a_link_to_the_repository_of_every_client(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "p")
    config = tmp_path / "p" / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "repo_url: https://git.example.com/audits\n",
                      encoding="utf-8")
    err = io.StringIO()
    assert build_site(config=config, site_dir=tmp_path / "p" / "site", client=CLIENT, err=err) == 0
    assert "repo_url (https://git.example.com/audits) links every page of client hotel-supplies's site" in err.getvalue()
    err = io.StringIO()
    assert build_site(config=config, site_dir=tmp_path / "p" / "site", client=CLIENT, strict=True, err=err) == 1
