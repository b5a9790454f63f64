"""The cache folder (.cache/journey-audit): faster builds that never show stale results,
that survive a damaged cache, run no code from it, and a folder that stays small."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import os
import pickle
import time
from pathlib import Path

import pytest

from journey_audit import cache as cachemod
from journey_audit.audit import audit_cache
from journey_audit.audit.validate import validate_text
from journey_audit.cache import DEFAULT_ROOT, Cache, key
from journey_audit.site.build import build_site

CACHE = DEFAULT_ROOT


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
def test_a_warm_build_writes_nothing_into_the_cache(project):
    # Every entry is written as a new file (an atomic replace): the same inodes mean nothing was made again.
    def entries() -> dict[Path, int]:
        return {p: p.stat().st_ino for p in (project / CACHE).rglob("*") if p.is_file()}

    assert build()[0] == 0
    cold = entries()
    assert {p.parent.parent.name for p in cold} == {"audits", "diagrams", "pages"}
    assert build()[0] == 0
    assert entries() == cold


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
    [entry] = Cache(project / CACHE).audits.folder.rglob("*.json")
    entry.write_bytes(b"not what was written")
    code, err = build()
    assert code == 0, err
    assert parses == ["acme-2026", "acme-2026"] and "Website" in page(project)


class Boom:
    """What a forged pickle would run: reading it must not construct this."""

    def __reduce__(self):
        return (os.system, ("touch pwned",))


def test_the_cache_holds_data_and_runs_no_code_from_it(project, parses):
    # Whoever can write the cache folder must not run code in the build: the entry is JSON,
    # and a pickle, even with a matching hash beside it, is a miss.
    assert build()[0] == 0
    [entry] = Cache(project / CACHE).audits.folder.rglob("*.json")
    audit, problems = json.loads(entry.read_bytes())
    assert audit["@"] == "Audit" and audit["title"] == "Minimal audit" and problems == []
    forged = pickle.dumps(Boom())
    entry.write_bytes(forged)
    Path(str(entry) + ".sha256").write_bytes(hashlib.sha256(forged).hexdigest().encode())
    code, err = build()
    assert code == 0, err
    assert parses == ["acme-2026", "acme-2026"] and not (project / "pwned").exists()


def test_a_validated_audit_reads_back_field_for_field(rich_text):
    # Positions too (hidden from == and repr): the checks that run after loading point with them.
    result = validate_text(rich_text, "audits/rich.yaml", "rich")
    back = audit_cache.loads(audit_cache.dumps(result))
    assert back == result and key("x", result=back) == key("x", result=result)
    assert back[0].stages[0].touchpoints[0].at("name") == result[0].stages[0].touchpoints[0].at("name") != (0, 0)


def test_a_key_covers_fields_hidden_from_repr(rich_text):
    audit, _ = validate_text(rich_text, "audits/rich.yaml", "rich")
    moved = dataclasses.replace(audit, line=audit.line + 1)
    assert repr(moved) == repr(audit) and key("page", audit=moved) != key("page", audit=audit)
    with pytest.raises(TypeError, match="cannot hold a object"):
        key("page", audit=audit, extra=object())


# -- a damaged cache gives the site a cold build gives -----------------------------------------

DAMAGE = {
    "truncated": lambda data: data[:len(data) // 2],
    "zeroed": lambda data: bytes(len(data)),
    "garbled": lambda data: bytes(b ^ 0x20 for b in data[:8]) + data[8:],
}


def site_files(project: Path) -> dict[str, bytes]:
    site = project / "site"
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and not p.name.startswith("sitemap.xml")}  # the sitemap is dated by the day


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_every_damaged_cache_file_is_made_again_and_the_site_is_the_same(project, damage):
    assert build()[0] == 0
    cold = site_files(project)
    cached = sorted(p for p in (project / CACHE).rglob("*") if p.is_file())
    assert {p.suffix for p in cached} >= {".json", ".md", ".csv", ".svg", ".png", ".txt", ".sha256"}
    for f in cached:  # every entry and every hash
        f.write_bytes(DAMAGE[damage](f.read_bytes()))
    code, err = build()
    assert code == 0, err
    assert site_files(project) == cold
    for f in cached:  # each made again, whole
        if f.suffix != ".sha256":
            assert Path(f"{f}.sha256").read_bytes() == hashlib.sha256(f.read_bytes()).hexdigest().encode(), f
    assert build()[0] == 0 and site_files(project) == cold


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
    monkeypatch.setattr(cachemod, "MIN_BYTES", 0)
    monkeypatch.setattr(cachemod, "SLACK", 1)
    assert build()[0] == 0
    first = {p for p in (project / CACHE).rglob("*") if p.is_file()}
    age(project / CACHE, 2 * 3600)  # saved two hours ago
    edit(project, "name: Website", "name: Web shop")
    assert build()[0] == 0
    now = {p for p in (project / CACHE).rglob("*") if p.is_file()}
    gone = first - now
    assert {p.suffix for p in gone} >= {".md", ".svg", ".png", ".json", ".sha256"}  # the old round's files
    assert "Web shop" in page(project)

    code, err = build()  # and what is left is what a warm build needs
    assert code == 0, err
    assert {p for p in (project / CACHE).rglob("*") if p.is_file()} == now


def test_pruning_spares_what_was_used_within_the_hour_and_a_small_folder(tmp_path):
    # Another build (a client's site, say) may be copying those files right now.
    for name, hours in [("a", 0.5), ("b", 2), ("c", 3)]:
        (tmp_path / name).write_bytes(b"x" * 1000)
        os.utime(tmp_path / name, (time.time() - hours * 3600,) * 2)
    assert cachemod.prune(tmp_path, since=time.time()) == 0  # under the 64 MB floor
    assert cachemod.prune(tmp_path, since=time.time(), min_bytes=0) == 2000
    assert [p.name for p in tmp_path.iterdir()] == ["a"]


@pytest.mark.parametrize("kind", ["fifo", "folder"])
def test_a_fifo_or_folder_in_place_of_a_cache_file_is_made_again_without_blocking(project, kind):
    assert build()[0] == 0
    cold = site_files(project)
    cached = sorted(p for p in (project / CACHE).rglob("*") if p.is_file())
    for f in cached:  # a CI cache restored from elsewhere may hold anything
        f.unlink()
        os.mkfifo(f) if kind == "fifo" else f.mkdir()
    code, err = build()
    assert code == 0, err
    assert site_files(project) == cold
