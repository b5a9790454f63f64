"""The repository's own runs use exactly the packages of ``requirements.lock``.

``./run`` installs the lock into ``.venv``; these tests check that what is installed
there is what the lock says, and that the lock still satisfies ``pyproject.toml``.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "requirements.lock"


def locked() -> dict[str, str]:
    """Name → version of every lock entry whose marker holds for this Python."""
    pins: dict[str, str] = {}
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.-]+)==([^ ;\\]+)\s*(?:;\s*([^\\]+?))?\s*\\?$", line)
        if m and (m[3] is None or Marker(m[3]).evaluate()):
            pins[canonicalize_name(m[1])] = m[2]
    return pins


def test_every_lock_entry_is_pinned_with_hashes() -> None:
    text = LOCK.read_text(encoding="utf-8")
    entries = re.findall(r"^[A-Za-z0-9_.-]+==\S+", text, flags=re.M)
    assert len(entries) >= 20
    blocks = re.split(r"^(?=[A-Za-z0-9_.-]+==)", text, flags=re.M)[1:]
    assert all("--hash=sha256:" in b for b in blocks), "run ./run lock (hashes are generated)"


def test_the_lock_covers_every_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["dependencies"] + project["optional-dependencies"]["test"]
    pins = locked()
    for spec in declared:
        req = Requirement(spec)
        name = canonicalize_name(req.name)
        assert name in pins, f"{req.name} is declared but not locked: run ./run lock"
        assert req.specifier.contains(pins[name], prereleases=True), (
            f"{req.name}=={pins[name]} in the lock is outside {spec!r}: run ./run lock")


@pytest.mark.skipif(Path(sys.prefix).resolve() != (ROOT / ".venv").resolve(),
                    reason="checks the .venv that ./run makes")
def test_the_venv_holds_exactly_the_locked_versions() -> None:
    installed = {canonicalize_name(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {name: (version, installed.get(name)) for name, version in locked().items()
             if installed.get(name) != version}
    assert wrong == {}, "(locked, installed); run ./run setup"
