"""The example project as the commit ships it, never what a consultant has added since.

A consultant keeps real work in ``audits/`` (and ``docs/``, ``journey-audit.gates.yaml``):
a draft audit saved there today must not change what the test suite sees. Tests that
need the example audits take them from here: the files of ``HEAD`` (``git ls-tree`` and
``git cat-file``), or, outside a git checkout (a source tarball, git missing), the
folders as they are on disk.

Only ``tests/test_examples.py``'s validity check reads whatever ``audits/`` holds now:
it is the test that tells a consultant their own files are broken.

``JOURNEY_AUDIT_TEST_EXAMPLES=worktree`` makes the tests use the working tree's files
instead, for a developer changing the examples together with the code (before the
commit).
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# What the commit ships: content a consultant edits (taken from HEAD) …
CONTENT = ("audits", "docs", "journey-audit.gates.yaml")
# … and the project's own configuration and theme, which are code (taken as they are).
CODE = ("mkdocs.yml", "site_theme")


def _git(*args: str, stdin: bytes | None = None) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(REPO), *args], input=stdin, capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


@functools.cache
def _from_head() -> dict[str, bytes] | None:
    """Every file of CONTENT in HEAD (repository path → bytes); None outside a git checkout."""
    if os.environ.get("JOURNEY_AUDIT_TEST_EXAMPLES") == "worktree":
        return None
    top = _git("rev-parse", "--show-toplevel")
    if top is None or Path(os.fsdecode(top.strip())).resolve() != REPO:
        return None  # not a checkout of its own (a tarball unpacked inside another repository, say)
    listing = _git("ls-tree", "-r", "-z", "HEAD", "--", *CONTENT)
    if not listing:
        return None  # no commit yet, or one without the examples
    blobs: list[tuple[str, str]] = []
    for record in listing.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, sha = meta.decode().split()
        if kind == "blob" and mode != "120000":  # files, not symbolic links or submodules
            blobs.append((os.fsdecode(path), sha))
    out = _git("cat-file", "--batch", stdin="".join(f"{sha}\n" for _, sha in blobs).encode())
    if out is None:
        return None
    files, at = {}, 0
    for path, _ in blobs:
        header_end = out.index(b"\n", at)
        size = int(out[at:header_end].split()[2])
        files[path] = out[header_end + 1:header_end + 1 + size]
        at = header_end + 1 + size + 1  # the content is followed by a newline
    return files


def _from_disk() -> dict[str, bytes]:
    files = {}
    for name in CONTENT:
        top = REPO / name
        paths = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        files.update((p.relative_to(REPO).as_posix(), p.read_bytes()) for p in paths)
    return files


def shipped_files() -> dict[str, bytes]:
    """Every shipped file of CONTENT: repository path (``audits/acme/acme-2026.yaml``) → bytes."""
    head = _from_head()
    return dict(head) if head is not None else _from_disk()


def example_audit_names() -> list[str]:
    """The shipped example audits, as paths under ``audits/`` (for parametrising at collection)."""
    return sorted(p.removeprefix("audits/") for p in shipped_files()
                  if p.startswith("audits/") and p.endswith((".yaml", ".yml")))


def materialise(folder: Path) -> Path:
    """Lay the example project out in ``folder``: shipped content, the project's own mkdocs.yml and theme."""
    for rel, data in shipped_files().items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for name in CODE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.is_file():
            shutil.copy2(source, folder / name)
    return folder
