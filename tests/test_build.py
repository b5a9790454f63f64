"""`journey-audit build` / `serve` and the plugin under `mkdocs`: what the user runs.

A build either gives the new site or leaves the previous one byte for byte: after
an invalid audit, a ``--strict`` failure and a killed process alike. Small
projects are made in temporary folders from the fixtures; the repository's own
``mkdocs.yml`` is built once with the real ``mkdocs`` command.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from journey_audit.cache import Cache
from journey_audit.site.build import build_site, default_config_text, plugins_with, replace_dir

ROOT = Path(__file__).resolve().parents[1]
GOOD = Path(__file__).parent / "fixtures" / "good"
BROKEN = Path(__file__).parent / "fixtures" / "site" / "broken" / "broken-2026.yaml"
CLI = [sys.executable, "-m", "journey_audit"]


@pytest.fixture
def project(acme_project: Path) -> Path:
    return acme_project


def run_build(*args: str | Path, **kwargs) -> tuple[int, str]:
    err = io.StringIO()
    code = build_site(err=err, **kwargs)
    return code, err.getvalue()


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time: 'untouched' means exactly this."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if ".building-" in p.name or ".old-" in p.name]


# -- building -------------------------------------------------------------------------

@pytest.mark.slow
def test_a_folder_with_only_audits_builds_with_the_built_in_configuration(project):
    code, err = run_build()
    assert code == 0, err
    assert err.strip().splitlines() == [next(line for line in err.splitlines() if line.startswith("built "))]
    assert (project / "site" / "audits" / "acme-2026" / "index.html").is_file()
    assert (project / "site" / "clients" / "acme-tools" / "index.html").is_file()
    assert "Minimal audit" in (project / "site" / "index.html").read_text(encoding="utf-8")
    assert leftovers(project) == []


@pytest.mark.slow
def test_an_invalid_audit_leaves_the_previous_site_untouched(project):
    assert run_build()[0] == 0
    before = snapshot(project / "site")
    shutil.copy(BROKEN, project / "audits" / "broken-2026.yaml")
    code, err = run_build()
    assert code == 1
    assert re.search(r"audits/broken-2026\.yaml:18:18: error: message score 9 is off the scale", err), err
    assert "left as it was" in err and "Traceback" not in err
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


@pytest.mark.slow
def test_a_strict_failure_leaves_the_previous_site_untouched(project):
    (project / "docs").mkdir()
    (project / "docs" / "about.md").write_text("# About\n\nSee [the missing page](missing.md).\n", encoding="utf-8")
    code, err = run_build()
    assert code == 0 and "missing.md" in err  # a warning, not an error, without --strict
    before = snapshot(project / "site")
    code, err = run_build(strict=True)  # MkDocs writes the whole site, then fails
    assert code == 1 and "missing.md" in err and "left as it was" in err
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


def test_audit_warnings_fail_a_strict_build_before_anything_is_built(project):
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    (project / "audits" / "acme-2025.yaml").write_text(text.replace("2026-01-15", "2026-06-01"), encoding="utf-8")
    (project / "audits" / "acme-2026.yaml").write_text(text + "previous: acme-2025\n", encoding="utf-8")
    code, err = run_build(strict=True)
    assert code == 1 and "warning: previous audit 'acme-2025' is dated 2026-06-01" in err
    assert not (project / "site").exists()


@pytest.mark.slow
def test_a_killed_build_leaves_the_previous_site_untouched(project):
    assert run_build()[0] == 0
    before = snapshot(project / "site")
    (project / "audits" / "acme-2026.yaml").write_text(
        (GOOD / "minimal.yaml").read_text(encoding="utf-8").replace("Minimal audit", "Second version"))
    for delay in (0.3, 0.8, 1.5):  # early (loading), middle (MkDocs writing) and late
        proc = subprocess.Popen([*CLI, "build"], cwd=project, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        after = snapshot(project / "site")
        # Either the old site or, if the build had finished, the whole new one: never a mix.
        if after != before:
            assert "Second version" in (project / "site" / "index.html").read_text(encoding="utf-8")
            return
    assert snapshot(project / "site") == before


@pytest.mark.slow
def test_the_users_own_mkdocs_yml_is_used(project):
    (project / "pages").mkdir()
    (project / "pages" / "about.md").write_text("# About us\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: Acme audits\ndocs_dir: pages\ntheme: {name: material}\n"
                                        "plugins: [search, journey-audit]\n", encoding="utf-8")
    code, err = run_build(site_dir=project / "public")
    assert code == 0, err
    index = (project / "public" / "index.html").read_text(encoding="utf-8")
    assert "Acme audits" in index and "Minimal audit" in index
    assert (project / "public" / "about" / "index.html").is_file()
    assert (project / "public" / "assets" / "journey-audit" / "journey-audit.css").is_file()


def test_a_configuration_without_the_plugin_is_refused(project):
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text("site_name: X\n", encoding="utf-8")
    code, err = run_build()
    assert code == 1 and "does not enable the journey-audit plugin" in err
    assert not (project / "site").exists()


def test_a_site_folder_holding_the_project_is_refused(project):
    code, err = run_build(site_dir=project)
    assert code == 1 and "choose another --site-dir" in err
    assert (project / "audits" / "acme-2026.yaml").is_file()


@pytest.mark.slow
def test_the_audits_folder_can_be_named(project):
    os.rename(project / "audits", project / "inspections")
    code, err = run_build(audits=Path("inspections"))
    assert code == 0, err
    assert (project / "site" / "audits" / "acme-2026" / "index.html").is_file()


def test_the_command_lines_flags_win_over_mkdocs_yml_in_either_form_of_plugins(project):
    # The flags reach the plugin as its options, set in the plugins list MkDocs is given.
    (project / "docs").mkdir()
    (project / "base.yml").write_text("site_name: Base\ntheme: {name: material}\n", encoding="utf-8")
    (project / "mkdocs.yml").write_text("INHERIT: base.yml\nplugins:\n  search: {}\n"
                                        "  journey-audit: {audits: nowhere, client: nobody}\n", encoding="utf-8")
    assert plugins_with(project / "mkdocs.yml", {"client": "acme-tools", "drafts": None}) == \
           [{"search": {}}, {"journey-audit": {"audits": "nowhere", "client": "acme-tools"}}]
    assert plugins_with(project / "mkdocs.yml", {"client": None}) is None  # nothing to set: the file as it is
    code, err = run_build(audits=Path("audits"), client="acme-tools")
    assert code == 0, err
    assert "Base" in (project / "site" / "clients" / "acme-tools" / "index.html").read_text(encoding="utf-8")
    code, err = run_build()  # without the flags, mkdocs.yml's options hold
    assert code == 1 and "nowhere" in err


@pytest.mark.slow
def test_without_graphviz_the_build_says_what_to_install(project, monkeypatch):
    assert run_build()[0] == 0
    before = snapshot(project / "site")
    monkeypatch.setenv("PATH", str(project))  # no dot here
    code, err = run_build()
    assert code == 1 and "apt-get install graphviz" in err and "Traceback" not in err
    assert snapshot(project / "site") == before


def test_an_unknown_client_is_an_error_not_an_empty_site(project):
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - journey-audit:\n      client: nobody\n",
                                        encoding="utf-8")
    code, err = run_build()
    assert code == 1 and "no audit of client 'nobody' was found (clients: acme-tools)" in err


def test_replace_dir_swaps_a_new_folder_into_place(tmp_path):
    old, new = tmp_path / "site", tmp_path / "new"
    new.mkdir()
    (new / "a.txt").write_text("new")
    replace_dir(new, old)  # no site yet
    assert (old / "a.txt").read_text() == "new" and not new.exists()
    new.mkdir()
    (new / "b.txt").write_text("newer")
    replace_dir(new, old)
    assert [p.name for p in old.iterdir()] == ["b.txt"] and not new.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


# -- the plugin under mkdocs itself --------------------------------------------------------

def mkdocs(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")  # Material's own notice, documented in the README
    return subprocess.run([sys.executable, "-m", "mkdocs", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


@pytest.mark.slow
def test_mkdocs_build_strict_passes_on_the_example_site_without_warnings(tmp_path, example_project):
    done = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=example_project)
    assert done.returncode == 0, done.stderr
    noise = [line for line in done.stderr.splitlines()
             if not line.startswith("INFO") or re.search("jieba|prefix dict|model cost|Zensical", line)]
    assert noise == []
    assert (tmp_path / "site" / "audits" / "hotel-supplies-2026q3" / "index.html").is_file()


@pytest.mark.slow
def test_mkdocs_build_stops_on_an_invalid_audit_with_our_message(project):
    shutil.copy(BROKEN, project / "audits" / "broken-2026.yaml")
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text("site_name: X\ntheme: {name: material}\nplugins: [journey-audit]\n")
    done = mkdocs("build", cwd=project)
    assert done.returncode != 0
    assert "audits/broken-2026.yaml:18:18: error: message score 9 is off the scale" in done.stderr
    assert "Traceback" not in done.stderr


def test_built_in_configuration_matches_the_projects(tmp_path):
    """The fallback configuration and mkdocs.yml must not drift apart."""
    default = yaml.safe_load(default_config_text())
    project = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    project["theme"].pop("custom_dir")
    for key in ("theme", "markdown_extensions", "plugins", "validation", "extra"):
        assert default[key] == project[key], key
    assert not any("snippets" in str(e) for e in project["markdown_extensions"])


# -- serve -------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(predicate, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    return None


@pytest.mark.slow
def test_serve_rebuilds_when_an_audit_is_saved(project):
    # With the audits folder named on the command line: serve loads the configuration again
    # on every rebuild, and the flag must hold for each.
    os.rename(project / "audits", project / "inspections")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/audits/acme-2026/"
    proc = subprocess.Popen([*CLI, "serve", "--audits", "inspections", "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=project, stderr=subprocess.PIPE, text=True)
    try:
        assert _wait_for(lambda: "Minimal audit" in (_get(url) or "")), "the site was not served"
        path = project / "inspections" / "acme-2026.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("Minimal audit", "Edited audit"), encoding="utf-8")
        assert _wait_for(lambda: "Edited audit" in (_get(url) or "")), "no rebuild after the audit was saved"
    finally:
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=30)
    assert "Traceback" not in err and "Zensical" not in err  # (served and rebuilt: checked above)


# -- atomic output: builds killed at every stage, stale folders ------------------------------

def _building(project: Path, pid: int) -> Path | None:
    found = [p for p in project.iterdir() if p.name.startswith(f".site.building-{pid}-")]
    return found[0] if found else None


@pytest.mark.slow
def test_a_build_killed_while_generating_or_writing_leaves_the_previous_site_byte_for_byte(project):
    """A portfolio big enough to take seconds, killed with SIGKILL (no clean-up runs) at two moments:
    while diagrams are drawn (the new folder still empty) and while MkDocs writes pages into it."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from synth import write_portfolio
    finally:
        sys.path.remove(str(ROOT / "bench"))
    assert run_build()[0] == 0
    before = snapshot(project / "site")
    write_portfolio(project, 6, 40)
    stale = []
    for moment, ready in (("generating", lambda d: d is not None),
                          ("writing", lambda d: d is not None and any(d.glob("audits/*/index.html")))):
        proc = subprocess.Popen([*CLI, "build"], cwd=project, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 120
        while not ready(_building(project, proc.pid)):
            assert proc.poll() is None, f"the build ended before it could be killed while {moment}"
            assert time.monotonic() < deadline
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        assert snapshot(project / "site") == before, moment
        stale.append(_building(project, proc.pid))
    assert any(stale[1].rglob("*.html"))  # it was killed half-way through writing
    for extra in (project / "audits").glob("client*"):  # back to a quick build
        shutil.rmtree(extra)
    code, err = run_build()
    assert code == 0, err
    assert leftovers(project) == []  # the killed builds' folders are gone
    assert snapshot(project / "site") != before


@pytest.mark.slow
def test_a_strict_failure_of_a_client_build_leaves_the_previous_site_untouched(project):
    (project / "docs").mkdir()
    (project / "docs" / "welcome.md").write_text("---\nclient: acme-tool\n---\n# Welcome\n", encoding="utf-8")
    assert run_build(client="acme-tools")[0] == 0
    before = snapshot(project / "site")
    code, err = run_build(client="acme-tools", strict=True)  # the typo in the mark is a warning
    assert code == 1 and "marked for client 'acme-tool', which has no audit" in err
    assert snapshot(project / "site") == before
    assert leftovers(project) == []


@pytest.mark.slow
def test_the_diagram_reaches_the_page_but_not_markdown_or_the_search_index(project):
    # Inline SVGs go in after rendering: Markdown and search never parse tens of KB per page.
    from journey_audit.audit.portfolio import load_portfolio
    from journey_audit.site.sitegen import SiteOptions, generate, placeholder

    site = generate(load_portfolio([project / "audits"]), SiteOptions(cache=Cache(project / ".cache")))
    page = site.read("audits/acme-2026.md").decode("utf-8")
    assert placeholder("acme-2026") in page and "<svg" not in page.split(placeholder("acme-2026"))[0][-200:]
    assert site.fill(page).count("<svg") == page.count("<svg") + 1

    code, err = run_build()
    assert code == 0, err
    html = (project / "site" / "audits" / "acme-2026" / "index.html").read_text(encoding="utf-8")
    assert "journey-audit:inline" not in html and html.count('id="jd-acme-2026"') == 1
    index = (project / "site" / "search" / "search_index.json").read_text(encoding="utf-8")
    assert "jd-acme-2026" not in index and "Website" in index


def test_a_warm_build_reuses_unchanged_pages_and_remakes_an_edited_one(project, monkeypatch):
    from journey_audit.site import sitegen
    from journey_audit.audit.portfolio import load_portfolio

    options = sitegen.SiteOptions(cache=Cache(project / ".cache" / "journey-audit"))
    made: list[str] = []
    real = sitegen.audit_page
    monkeypatch.setattr(sitegen, "audit_page", lambda view, *a, **k: made.append(view.audit.slug) or real(view, *a, **k))

    first = sitegen.generate(load_portfolio([project / "audits"]), options)
    assert made == ["acme-2026"]
    again = sitegen.generate(load_portfolio([project / "audits"]), options)
    assert made == ["acme-2026"] and again.files == first.files  # nothing made twice, nothing different

    audit = project / "audits" / "acme-2026.yaml"
    audit.write_text(audit.read_text(encoding="utf-8").replace("name: Website", "name: Web shop"), encoding="utf-8")
    edited = sitegen.generate(load_portfolio([project / "audits"]), options)
    assert made == ["acme-2026", "acme-2026"] and "Web shop" in edited.read("audits/acme-2026.md").decode("utf-8")
    assert "Web shop" in edited.read("audits/acme-2026/acme-2026-touchpoints.csv").decode("utf-8-sig")


@pytest.mark.slow
def test_with_a_cache_folder_the_site_is_the_same_but_its_files_stay_on_disk(project):
    # A portfolio of hundreds of audits must not sit in memory beside MkDocs' own copy:
    # pages, downloads and drawings are handed over as cache files, with the same content.
    from journey_audit.audit.portfolio import load_portfolio
    from journey_audit.site.sitegen import SiteOptions, generate

    portfolio = load_portfolio([project / "audits"])
    cached = generate(portfolio, SiteOptions(cache=Cache(project / ".cache" / "journey-audit")))
    plain = generate(portfolio, SiteOptions())
    assert sorted(cached.files) == sorted(plain.files)
    on_disk = {p for p, content in cached.files.items() if isinstance(content, Path)}
    assert {p for p in cached.files if p.startswith("audits/")} <= on_disk
    assert {p: cached.read(p) for p in cached.files} == {p: plain.read(p) for p in plain.files}
    page = cached.read("audits/acme-2026.md").decode("utf-8")
    assert cached.fill(page) == plain.fill(plain.files["audits/acme-2026.md"])


def test_a_cache_folder_that_cannot_be_written_only_costs_time(project):
    from journey_audit.audit.portfolio import load_portfolio
    from journey_audit.site.sitegen import SiteOptions, generate

    blocked = project / "not-a-folder"
    blocked.write_text("a file where the cache folder should be", encoding="utf-8")
    site = generate(load_portfolio([project / "audits"]), SiteOptions(cache=Cache(blocked / "journey-audit")))
    assert not any(isinstance(content, Path) for content in site.files.values())
    page = site.files["audits/acme-2026.md"]
    assert "Website" in page and site.fill(page).count("<svg") == page.count("<svg") + 1


def test_a_misspelt_client_says_which_was_meant_and_no_mkdocs_noise(project):
    (project / "docs").mkdir()
    (project / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - journey-audit:\n      client: acme-tols\n",
                                        encoding="utf-8")
    code, err = run_build()
    assert code == 1 and "no audit of client 'acme-tols' was found (did you mean 'acme-tools'?)" in err
    assert "Aborted with a BuildError" not in err and "the build stopped on the error above" in err
