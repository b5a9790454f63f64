"""Shared test fixtures: small real audits and a way to write more.

``tests/fixtures/good/`` holds a minimal valid audit and a rich one (every optional
field, Chinese text, custom scale and weights, ``previous`` pointing at the minimal
one); ``tests/fixtures/bad/`` holds one small file per kind of mistake.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


@pytest.fixture
def minimal_text() -> str:
    """The text of the smallest valid audit (one stage, one touchpoint, one core message)."""
    return (GOOD / "minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture
def rich_text() -> str:
    """The text of a valid audit that uses every optional field of the format."""
    return (GOOD / "rich.yaml").read_text(encoding="utf-8")


@pytest.fixture
def write_audit(tmp_path: Path) -> Callable[..., Path]:
    """Write text (or bytes) as ``tmp_path/audits/<name>`` and return the path.

    ``write_audit(text)`` writes ``audits/audit.yaml``;
    ``write_audit(text, "acme/acme-2026q1.yaml")`` a client folder.
    """

    def write(content: str | bytes, name: str = "audit.yaml") -> Path:
        path = tmp_path / "audits" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty project folder as the working directory (so ``audits/`` is the default input)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def acme_project(project: Path) -> Path:
    """A project folder holding only ``audits/acme-2026.yaml`` (the minimal audit), as the working directory."""
    (project / "audits").mkdir()
    shutil.copy(GOOD / "minimal.yaml", project / "audits" / "acme-2026.yaml")
    return project
