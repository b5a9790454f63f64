"""The cache folder's files: written whole, found by content, kept within bounds.

Every cache of journey-audit (drawings, pages and downloads, validated audits) is a
folder of files named by a hash of what they were made from, under
``.cache/journey-audit/``. This module holds what they share:

* :func:`write_atomic` writes a file so that no reader ever sees half of it (two
  builds may share a cache folder);
* :func:`touch` marks a file as used, so that pruning keeps what builds still need;
* :func:`prune` deletes the files used longest ago once a folder outgrows what the
  last build used. A consultant saving an audit in ``serve`` every minute makes new
  pages and drawings every minute: without pruning the folder would only grow.
* :func:`code_fingerprint` is part of every key of what our own code makes, so a new
  version of journey-audit never serves an old page.

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> write_atomic(folder / "ab" / "abc.txt", b"hello"), (folder / "ab" / "abc.txt").read_bytes()
(True, b'hello')
>>> write_atomic(folder / "ab" / "abc.txt" / "under-a-file", b"x")  # cannot be written: no error
False
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from functools import lru_cache
from pathlib import Path

MIN_BYTES = 64 * 1024 * 1024  # a folder smaller than this is never pruned
SLACK = 3  # a folder may hold this many times what the last build used
MIN_AGE = 3600.0  # seconds: a file used this recently is never deleted (another build may be using it)


def write_atomic(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` whole or not at all; False where the folder cannot be written.

    A cache that cannot be written only costs time, so this never raises ``OSError``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except OSError:
        return False
    return True


def touch(path: Path) -> bool:
    """Mark a cache file as used now (its modification time), for :func:`prune`; False when it is missing.

    One system call both finds a cache entry and marks it used.
    """
    try:
        os.utime(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        pass  # there but read-only: it is not pruned either
    return True


def prune(folder: Path, *, since: float, slack: float | None = None, min_bytes: int | None = None,
          min_age: float | None = None, now: float | None = None) -> int:
    """Delete the least recently used files of ``folder`` until it is small enough; the bytes freed.

    Files written or touched at ``since`` (a build's start, from :func:`time.time`)
    or later are what that build used. The folder may hold ``slack`` times as much
    (older rounds, other client builds) and at least ``min_bytes``; beyond that, the
    files used longest ago go first, but never one used within ``min_age`` seconds.
    (Defaults: :data:`SLACK`, :data:`MIN_BYTES`, :data:`MIN_AGE`.)

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> for name, age in [("old", 9000), ("older", 9999), ("new", 0)]:
    ...     write_atomic(folder / name, b"x" * 100)
    ...     os.utime(folder / name, (time.time() - age,) * 2)
    True
    True
    True
    >>> prune(folder, since=time.time() - 10, slack=2, min_bytes=0)
    100
    >>> sorted(p.name for p in folder.iterdir())
    ['new', 'old']
    """
    now = time.time() if now is None else now
    slack = SLACK if slack is None else slack
    min_bytes = MIN_BYTES if min_bytes is None else min_bytes
    min_age = MIN_AGE if min_age is None else min_age
    files: list[tuple[float, int, str]] = []
    stack = [str(folder)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    files.append((st.st_mtime, st.st_size, entry.path))
            except OSError:
                continue
    total = sum(size for _, size, _ in files)
    used = sum(size for mtime, size, _ in files if mtime >= since)
    budget = max(min_bytes, slack * used)
    freed = 0
    for mtime, size, path in sorted(files):
        if total - freed <= budget or mtime > now - min_age:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        freed += size
    return freed


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of this package's code and assets: what our own code makes depends on it."""
    package = Path(__file__).parent
    h = hashlib.sha256()
    for f in sorted(package.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yml", ".css", ".js", ".html", ".json"):
            h.update(f.relative_to(package).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()
