"""Writing files whole or not at all: the one atomic write every layer uses.

A reader (a browser, MkDocs, git, a second build) sees either the old file or the new
one, never half of either: the bytes go to a temporary file in the same folder, which
then replaces the target in one ``os.replace``.

>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> write_atomic(folder / "a" / "b.txt", b"whole", durable=False)
>>> (folder / "a" / "b.txt").read_bytes()
b'whole'
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes, *, durable: bool = True, keep_mode: bool = True) -> None:
    """Replace ``path`` with ``data`` in one step; create missing folders.

    ``durable``: flush the bytes to disk before the swap (a user's file, which a crash
    must not lose; a cache file can skip it, a lost one is only made again).
    ``keep_mode``: an existing file keeps its permissions (and a symlink stays a link:
    its target is replaced). Raises ``OSError`` when the folder cannot be written.
    """
    target = path.resolve() if path.is_symlink() else path
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            if durable:
                f.flush()
                os.fsync(f.fileno())
        if keep_mode:
            try:
                os.chmod(tmp, target.stat().st_mode & 0o7777)
            except FileNotFoundError:  # a new file: the umask's mode, like open() gives
                umask = os.umask(0)
                os.umask(umask)
                os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def read_regular(path: Path) -> bytes:
    """The bytes of ``path`` when it is a regular file; ``OSError`` otherwise.

    Opened without blocking and checked after opening (a FIFO or a device put where a
    file should be would block a read forever, or never end).
    """
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read()
    finally:
        os.close(fd)
