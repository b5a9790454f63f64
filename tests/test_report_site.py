"""Reports among the downloads: `build --reports pdf,pptx` (or the plugin's `reports:` option)
puts each audit's PDF report and slide deck beside its page, as the client's site may hold
them, cached like the other downloads; a build without reports stays as it was."""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from journey_audit.cache import DEFAULT_ROOT
from journey_audit.cli import main
from journey_audit.site import report_files
from journey_audit.site.build import build_site

FIXTURES = Path(__file__).parent / "fixtures"
PUBLISH = FIXTURES / "publish"
CLIENT = "hotel-supplies"
CANARIES = ("CANARY-OTHER-CLIENT-7f3a", "CANARY-INTERNAL-91b2", "CANARY-DRAFT-55c1")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")


def build(site: Path, **options) -> str:
    err = io.StringIO()
    code = build_site(site_dir=site, err=err, **options)
    assert code == 0, err.getvalue()
    return err.getvalue()


def reports_in(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".pdf", ".pptx")
                  and not p.relative_to(site).as_posix().startswith("evidence/"))


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.name.startswith("sitemap.xml")}  # the sitemap is dated by the day


def deck_text(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The reports the build really made (not taken from the cache), as 'format slug'."""
    seen: list[str] = []
    real = report_files.maker

    def counting(fmt: str):
        make = real(fmt)
        return lambda view, lang, cache: seen.append(f"{fmt} {view.audit.slug}") or make(view, lang, cache)

    monkeypatch.setattr(report_files, "maker", counting)
    return seen


# -- a client's site with its reports ------------------------------------------------------

@pytest.fixture(scope="module")
def client_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("reports") / "project"
    shutil.copytree(PUBLISH, project)
    site = project / "site"
    assert main(["build", "--config", str(project / "mkdocs.yml"), "--site-dir", str(site), "--client", CLIENT,
                 "--reports", "pptx,pdf"]) == 0
    return site


@pytest.mark.slow  # builds a site
@needs_poppler
def test_a_client_build_has_its_own_audits_reports_and_nothing_it_may_not_hold(client_site: Path) -> None:
    audit = "audits/hotel-supplies-2026q3/hotel-supplies-2026q3"
    assert reports_in(client_site) == [f"{audit}-deck.pptx", f"{audit}-report.pdf"]  # no draft, no other client
    pdf = subprocess.run(["pdftotext", "-enc", "UTF-8", str(client_site / f"{audit}-report.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    deck = deck_text(client_site / f"{audit}-deck.pptx")
    assert "Hotel" in pdf and "Hotel" in deck
    for canary in CANARIES:
        assert canary not in pdf and canary not in deck


@pytest.mark.slow  # builds a site
def test_the_audit_page_links_its_report_and_deck(client_site: Path) -> None:
    page = (client_site / "audits" / "hotel-supplies-2026q3" / "index.html").read_text(encoding="utf-8")
    assert 'href="hotel-supplies-2026q3-report.pdf" download>Report (PDF)</a>' in page
    assert 'href="hotel-supplies-2026q3-deck.pptx" download>Slide deck (PowerPoint)</a>' in page


# -- cached like the other downloads --------------------------------------------------------

@pytest.mark.slow  # builds a site three times
def test_a_warm_build_makes_no_report_again_and_a_damaged_one_is_made_again(acme_project: Path, made) -> None:
    site = acme_project / "site"
    build(site, reports=("pdf", "pptx"))
    assert sorted(made) == ["pdf acme-2026", "pptx acme-2026"]
    cold = site_files(site)
    assert {"audits/acme-2026/acme-2026-report.pdf", "audits/acme-2026/acme-2026-deck.pptx"} <= set(cold)
    made.clear()
    build(site, reports=("pdf", "pptx"))
    assert made == [] and site_files(site) == cold
    cached = [p for p in (acme_project / DEFAULT_ROOT).rglob("*") if p.suffix in (".pdf", ".pptx")]
    assert len(cached) == 2
    for f in cached:
        f.write_bytes(f.read_bytes()[:100])  # truncated
    build(site, reports=("pdf", "pptx"))
    assert sorted(made) == ["pdf acme-2026", "pptx acme-2026"]
    assert site_files(site) == cold  # reproducible: a report made again is the same file


@pytest.mark.slow  # builds a site twice
def test_an_edited_audit_makes_its_report_again(acme_project: Path, made) -> None:
    site = acme_project / "site"
    build(site, reports=("pptx",))
    before = (site / "audits/acme-2026/acme-2026-deck.pptx").read_bytes()
    audit = acme_project / "audits" / "acme-2026.yaml"
    audit.write_text(audit.read_text(encoding="utf-8").replace("score: 3", "score: 2", 1), encoding="utf-8")
    made.clear()
    build(site, reports=("pptx",))
    assert made == ["pptx acme-2026"]
    assert (site / "audits/acme-2026/acme-2026-deck.pptx").read_bytes() != before


@pytest.mark.slow  # builds a site twice
def test_a_new_version_of_the_layout_library_makes_the_reports_again(acme_project: Path, made,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    build(acme_project / "site", reports=("pptx",))
    made.clear()
    monkeypatch.setattr(report_files, "_versions", lambda fmt: ("99.0",))
    build(acme_project / "site", reports=("pptx",))
    assert made == ["pptx acme-2026"]


# -- off by default ---------------------------------------------------------------------------

@pytest.mark.slow  # builds a site
def test_a_build_without_reports_has_none_and_loads_neither_library(acme_project: Path) -> None:
    script = ("import sys\nfrom journey_audit.cli import main\ncode = main(['build'])\n"
              "print(code, sorted(m for m in ('weasyprint', 'pptx') if m in sys.modules))")
    run = subprocess.run([sys.executable, "-c", script], cwd=acme_project, capture_output=True, text=True)
    assert run.stdout.split("\n")[-2] == "0 []", run.stderr
    site = acme_project / "site"
    assert reports_in(site) == []
    assert "-report.pdf" not in (site / "audits" / "acme-2026" / "index.html").read_text(encoding="utf-8")


@pytest.mark.slow  # builds a site
def test_the_plugin_option_in_mkdocs_yml_asks_for_reports(acme_project: Path) -> None:
    (acme_project / "docs").mkdir()
    (acme_project / "mkdocs.yml").write_text("site_name: Acme\ntheme: {name: material}\nplugins:\n"
                                             "  - journey-audit:\n      reports: [pptx]\n", encoding="utf-8")
    build(acme_project / "site")
    assert reports_in(acme_project / "site") == ["audits/acme-2026/acme-2026-deck.pptx"]


def test_an_unknown_report_format_is_refused_with_the_choices(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["build", "--reports", "pdf,docx"])
    assert exc.value.code == 2
    assert "unknown report format 'docx'; choose from pdf, pptx" in capsys.readouterr().err


def test_reports_with_zensical_are_asked_for_in_mkdocs_yml(acme_project: Path,
                                                           capsys: pytest.CaptureFixture) -> None:
    assert main(["build", "--engine", "zensical", "--reports", "pdf"]) == 2
    assert "set the plugin's `reports:` option" in capsys.readouterr().err
    assert not (acme_project / "site").exists()
