"""Evidence linked to a file that is not there is found at build time, not by the client.

An audit's relative evidence link (``url: evidence/…``) must point at a file of the
docs folder: otherwise the published link is a 404. `build` warns with the link's
place; `build --strict` stops, leaving the previous site as it was.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import GOOD

pytestmark = pytest.mark.slow  # builds sites

LINK = "        evidence:\n          - title: Booth photo\n            url: evidence/acme/booth.jpg\n"


@pytest.fixture
def linked(project: Path) -> Path:
    (project / "audits").mkdir()
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("          quality: 4\n", "          quality: 4\n" + LINK, 1)
    (project / "audits" / "acme-2026.yaml").write_text(text, encoding="utf-8")
    (project / "mkdocs.yml").write_text("site_name: T\ntheme: {name: material}\nplugins:\n  - search\n"
                                        "  - journey-audit\n", encoding="utf-8")
    (project / "docs").mkdir()
    return project


def build(project: Path, *flags: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "journey_audit", "build", *flags], cwd=project,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"), capture_output=True, text=True, timeout=300)


def test_a_missing_evidence_file_is_a_warning_with_its_place(linked):
    done = build(linked)
    assert done.returncode == 0, done.stderr
    assert ("audits/acme-2026.yaml:22:18: evidence 'evidence/acme/booth.jpg' is not in the site; put the file at "
            "docs/evidence/acme/booth.jpg") in done.stderr


def test_strict_stops_on_it_and_keeps_the_old_site(linked):
    assert build(linked).returncode == 0
    before = sorted(p.relative_to(linked) for p in (linked / "site").rglob("*"))
    done = build(linked, "--strict")
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert sorted(p.relative_to(linked) for p in (linked / "site").rglob("*")) == before


def test_with_the_file_in_place_nothing_is_said(linked):
    (linked / "docs" / "evidence" / "acme").mkdir(parents=True)
    shutil.copy(GOOD / "minimal.yaml", linked / "docs" / "evidence" / "acme" / "booth.jpg")
    done = build(linked, "--strict")
    assert done.returncode == 0 and "evidence" not in done.stderr, done.stderr
    assert (linked / "site" / "evidence" / "acme" / "booth.jpg").is_file()
