"""The site folder behaves like MkDocs' own, and a build that cannot write says where
and what to do in one line, leaving the old site as it was.
"""

from __future__ import annotations

import errno
import io
import os
import shutil
import threading
from pathlib import Path

import pytest

from journey_audit.site import build as build_module
from journey_audit.site.build import build_site, replace_dir

GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.fixture
def project(acme_project: Path) -> Path:
    (acme_project / "docs").mkdir()
    (acme_project / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - journey-audit\n", encoding="utf-8")
    return acme_project


def run_build() -> tuple[int, str]:
    err = io.StringIO()
    return build_site(err=err), err.getvalue()


def test_the_site_folder_gets_the_umask_mode_not_0700(project):
    saved = os.umask(0o022)
    try:
        code, err = run_build()
    finally:
        os.umask(saved)
    assert code == 0, err
    assert (project / "site").stat().st_mode & 0o777 == 0o755


def test_hidden_entries_of_the_old_site_are_carried_over(project):
    assert run_build()[0] == 0
    (project / "site" / ".git").mkdir()
    (project / "site" / ".git" / "HEAD").write_text("ref: refs/heads/gh-pages\n")
    (project / "site" / ".nojekyll").write_text("")
    code, err = run_build()
    assert code == 0, err
    assert (project / "site" / ".git" / "HEAD").read_text() == "ref: refs/heads/gh-pages\n"
    assert (project / "site" / ".nojekyll").exists() and (project / "site" / "index.html").exists()


def test_two_swaps_onto_a_missing_folder_at_once_both_succeed(tmp_path):
    for round_ in range(20):
        target = tmp_path / f"site{round_}"
        news = []
        for i in range(2):
            new = tmp_path / f"new{round_}-{i}"
            new.mkdir()
            (new / "index.html").write_text(str(i))
            news.append(new)
        failures: list[BaseException] = []

        def swap(new: Path) -> None:
            try:
                replace_dir(new, target)
            except BaseException as exc:  # noqa: BLE001 - reported below
                failures.append(exc)

        threads = [threading.Thread(target=swap, args=(n,)) for n in news]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not failures
        assert (target / "index.html").read_text() in ("0", "1")


def test_a_full_disk_is_one_line_naming_the_folder_and_the_old_site_is_kept(project, monkeypatch):
    assert run_build()[0] == 0
    before = (project / "site" / "index.html").read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(project))

    monkeypatch.setattr(build_module.tempfile, "mkdtemp", full)
    code, err = run_build()
    assert code == 1 and "Traceback" not in err
    assert f"error: cannot write the site in {project} (No space left on device: {project}); free some disk " \
           "space; the site folder was left as it was" in err
    assert (project / "site" / "index.html").read_bytes() == before


def test_a_read_only_file_system_says_to_choose_another_site_dir(project, monkeypatch):
    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(project))

    monkeypatch.setattr(build_module.tempfile, "mkdtemp", read_only)
    code, err = run_build()
    assert code == 1 and "the file system is read-only: choose another --site-dir" in err


def test_an_unreadable_docs_file_is_named(project, monkeypatch):
    page = project / "docs" / "notes.md"
    page.write_text("# Notes\n")
    real_open = open

    def guarded(file, *args, **kwargs):
        if str(file).endswith("notes.md"):
            raise PermissionError(errno.EACCES, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr("builtins.open", guarded)
    code, err = run_build()
    assert code == 1 and "Traceback" not in err
    assert "notes.md: Permission denied; fix its permissions or remove it from" in err
    assert not (project / "site").exists()


def test_failing_to_delete_the_old_copy_after_the_swap_is_a_warning(project, monkeypatch):
    assert run_build()[0] == 0
    real = shutil.rmtree

    def stuck(path, *args, onerror=None, **kwargs):
        if onerror is not None:  # the old site, after the swap
            onerror(os.rmdir, str(path), (PermissionError, PermissionError(errno.EACCES, "Permission denied"), None))
            return None
        return real(path, *args, **kwargs)

    monkeypatch.setattr(build_module.shutil, "rmtree", stuck)
    code, err = run_build()
    assert code == 0, err
    assert f"warning: the new site is in {project / 'site'}, but the old copy" in err and "delete it by hand" in err


@pytest.mark.slow
def test_two_cold_builds_of_the_same_input_are_byte_identical(project, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # MkDocs' build date, as reproducible builds set it
    text = (GOOD / "rich.yaml").read_text(encoding="utf-8")
    text = text.replace("previous: minimal", "previous: acme-2026").replace("status: draft", "status: final")
    (project / "audits" / "acme-2026q2.yaml").write_text(text, encoding="utf-8")
    sites = []
    for n in range(2):
        shutil.rmtree(project / ".cache", ignore_errors=True)  # cold: every diagram drawn again
        code, err = run_build()
        assert code == 0, err
        sites.append({str(p.relative_to(project / "site")): p.read_bytes()
                      for p in sorted((project / "site").rglob("*")) if p.is_file()})
    assert sites[0].keys() == sites[1].keys()
    assert [k for k in sites[0] if sites[0][k] != sites[1][k]] == []


@pytest.mark.parametrize("where", ["site-dir", "audits", "cache"])
def test_a_site_audits_or_cache_folder_inside_docs_is_refused(project, where):
    docs = project / "docs"
    if where == "site-dir":
        err = io.StringIO()
        code = build_site(site_dir=docs / "old-site", err=err)
        assert code == 1 and "is inside the docs folder" in err.getvalue() and "choose a --site-dir" in err.getvalue()
    else:
        option = {"audits": "audits: docs/audits", "cache": "cache_dir: docs/.cache"}[where]
        if where == "audits":
            shutil.move(project / "audits", docs / "audits")
        (project / "mkdocs.yml").write_text(f"site_name: X\nplugins:\n  - journey-audit:\n      {option}\n",
                                            encoding="utf-8")
        code, err = run_build()
        assert code == 1 and f"folder {docs / where.replace('cache', '.cache')} is inside the docs folder" in err
    assert not (project / "site").exists() and not (docs / "old-site").exists()
