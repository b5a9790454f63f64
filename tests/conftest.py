"""Shared test fixtures: small real audits and a way to write more, and the example project.

``tests/fixtures/good/`` holds a minimal valid audit and a rich one (every optional
field, Chinese text, custom scale and weights, ``previous`` pointing at the minimal
one); ``tests/fixtures/bad/`` holds one small file per kind of mistake.

The example project (audits, hand-written pages, gates file) is the one the commit
ships, laid out in a temporary folder once per session (see ``shipped.py``): what a
consultant adds to ``audits/`` changes nothing here. Session fixtures are read-only:
a test that changes files copies them first.

The ``slow`` marker (registered in pyproject.toml) is on tests that build whole sites,
drive the browser or run long property searches: ``pytest -m "not slow"`` is the
quick loop. pytest-xdist shares the tests out (see ``pytest_xdist_make_scheduler``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Callable

import pytest

from shipped import materialise

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good"
BAD = FIXTURES / "bad"


# -- sharing the tests out between pytest-xdist workers (pyproject.toml: -n auto --dist loadfile) --

# Test files whose tests share nothing costly but the session's example site and browser:
# pytest-xdist may send each of their tests to any worker. Every other file is one unit of
# work, so that a site its module fixtures build is built once, on one worker.
SPREAD = ("tests/browser/", "tests/test_build.py", "tests/test_cache.py", "tests/test_properties.py")
KEEP_TOGETHER = ("tests/browser/test_pages.py",)  # one crawl of the whole site per module


def spread(nodeid: str) -> bool:
    path = nodeid.split("::", 1)[0]
    return path.startswith(SPREAD) and path not in KEEP_TOGETHER


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    """``--dist loadfile``, except that the tests of SPREAD go one by one.

    (pytest-xdist's own ``--dist loadgroup`` does this with ``xdist_group`` marks, but
    with pytest 9.2 it silently stops grouping: pytest-xdist issue #1386.)"""
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class FileOrTest(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return nodeid if spread(nodeid) else super()._split_scope(nodeid)

    return FileOrTest(config, log)


@pytest.hookimpl(trylast=True)  # after tests/browser/conftest.py has marked its tests slow
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Slow tests first: those of files kept together (the biggest units of work), then
    the spread ones; the quick tests last. The workers start on the long builds at once
    and the quick tests fill the gaps at the end (with --no-loadscope-reorder, the units
    go out in this order), instead of one long unit starting last while the other waits."""
    items.sort(key=lambda item: (item.get_closest_marker("slow") is None, spread(item.nodeid)))


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


# -- the example project, as the commit ships it ---------------------------------------------

@pytest.fixture(scope="session")
def example_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project in a temporary folder: the shipped ``audits/``, ``docs/`` and
    gates file, with the repository's own ``mkdocs.yml`` and theme. Read-only."""
    return materialise(tmp_path_factory.mktemp("example-project"))


@pytest.fixture(scope="session")
def example_audits(example_project: Path) -> Path:
    """The shipped example audits' folder (``<example project>/audits``). Read-only."""
    return example_project / "audits"


@pytest.fixture(scope="session")
def example_site(example_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once per session by ``journey-audit build`` (the command a
    user types) with the project's own ``mkdocs.yml``, into a temporary folder. Read-only."""
    site = tmp_path_factory.mktemp("example-site") / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "journey_audit", "build", "--site-dir", str(site)],
                          cwd=example_project, env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        pytest.fail(f"journey-audit build of the example project failed ({done.returncode}):\n{done.stderr}",
                    pytrace=False)
    return site
