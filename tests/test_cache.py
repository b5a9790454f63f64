"""The cache folder (.cache/journey-audit): faster builds that never show stale results, and a folder that stays small."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path

import pytest

from journey_audit import audit_cache, cachefiles
from journey_audit.build import build_site

CACHE = Path(".cache") / "journey-audit"


@pytest.fixture
def project(acme_project: Path) -> Path:
    return acme_project


def build() -> tuple[int, str]:
    err = io.StringIO()
    return build_site(err=err), err.getvalue()


def edit(project: Path, old: str, new: str) -> None:
    audit = project / "audits" / "acme-2026.yaml"
    audit.write_text(audit.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def page(project: Path) -> str:
    return (project / "site" / "audits" / "acme-2026" / "index.html").read_text(encoding="utf-8")


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The audits the build really parsed and checked (not read back from the cache)."""
    seen: list[str] = []
    real = audit_cache.validate_bytes
    monkeypatch.setattr(audit_cache, "validate_bytes", lambda data, display, slug: seen.append(slug) or
                        real(data, display, slug))
    return seen


@pytest.mark.slow  # builds a site
def test_a_warm_build_parses_no_unchanged_audit_yet_reports_its_warnings(project, parses):
    # A moment of truth scoring low without a recommendation: a warning, not an error.
    edit(project, "channel: online", "channel: online\n        moment_of_truth: true")
    edit(project, "score: 3", "score: 1")
    code, cold = build()
    assert code == 0, cold
    assert parses == ["acme-2026"] and "moment of truth 'website' scores 1" in cold

    code, warm = build()
    assert code == 0, warm
    assert parses == ["acme-2026"]  # read back, not parsed again
    assert [line for line in warm.splitlines() if "warning" in line] == \
           [line for line in cold.splitlines() if "warning" in line]


@pytest.mark.slow  # builds a site
def test_an_edited_audit_is_checked_again_and_its_new_error_stops_the_build(project, parses):
    assert build()[0] == 0
    before = page(project)
    edit(project, "score: 3", "score: 9")
    code, err = build()
    assert code == 1 and "audits/acme-2026.yaml:17:18: error: message score 9 is off the scale 1..5" in err
    assert parses == ["acme-2026", "acme-2026"] and page(project) == before


@pytest.mark.slow  # builds a site
def test_a_damaged_cache_entry_is_checked_again(project, parses):
    assert build()[0] == 0
    [entry] = (project / CACHE / "audits").rglob("*.pickle")
    entry.write_bytes(b"not a pickle")
    code, err = build()
    assert code == 0, err
    assert parses == ["acme-2026", "acme-2026"] and "Website" in page(project)


@pytest.mark.slow  # builds a site
def test_a_new_version_of_journey_audit_checks_every_audit_again(project, parses, monkeypatch):
    assert build()[0] == 0
    monkeypatch.setattr(audit_cache, "code_fingerprint", lambda: "another version")
    assert build()[0] == 0
    assert parses == ["acme-2026", "acme-2026"]


def age(folder: Path, seconds: float) -> None:
    for f in folder.rglob("*"):
        if f.is_file():
            os.utime(f, (time.time() - seconds,) * 2)


@pytest.mark.slow  # builds a site
def test_the_cache_keeps_what_builds_use_and_lets_old_rounds_go(project, monkeypatch):
    # A consultant saving in `serve` makes new pages and drawings on every save.
    monkeypatch.setattr(cachefiles, "MIN_BYTES", 0)
    monkeypatch.setattr(cachefiles, "SLACK", 1)
    assert build()[0] == 0
    first = {p for p in (project / CACHE).rglob("*") if p.is_file()}
    age(project / CACHE, 2 * 3600)  # saved two hours ago
    edit(project, "name: Website", "name: Web shop")
    assert build()[0] == 0
    now = {p for p in (project / CACHE).rglob("*") if p.is_file()}
    gone = first - now
    assert {p.suffix for p in gone} >= {".md", ".svg", ".png", ".pickle"}  # the old round's files
    assert "Web shop" in page(project)

    code, err = build()  # and what is left is what a warm build needs
    assert code == 0, err
    assert {p for p in (project / CACHE).rglob("*") if p.is_file()} == now


def test_pruning_spares_what_was_used_within_the_hour_and_a_small_folder(tmp_path):
    # Another build (a client's site, say) may be copying those files right now.
    for name, hours in [("a", 0.5), ("b", 2), ("c", 3)]:
        cachefiles.write_atomic(tmp_path / name, b"x" * 1000)
        os.utime(tmp_path / name, (time.time() - hours * 3600,) * 2)
    assert cachefiles.prune(tmp_path, since=time.time()) == 0  # under the 64 MB floor
    assert cachefiles.prune(tmp_path, since=time.time(), min_bytes=0) == 2000
    assert [p.name for p in tmp_path.iterdir()] == ["a"]
