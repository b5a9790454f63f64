"""The one cache of journey-audit: its folders, its keys, its integrity and its size.

Builds keep what they made between runs, so that a warm build makes nothing again and
saving one audit in ``serve`` remakes only that audit's files. Everything kept lives
under one root folder, ``.cache/journey-audit`` beside ``mkdocs.yml`` (the plugin's
``cache_dir`` option, the ``--cache`` option of ``journey-audit diagram``), as a
:class:`Cache` handed to whoever keeps something, or None for no cache at all (then
nothing is kept, not even in memory)::

    .cache/journey-audit/              Cache(root)
        audits/ab/<key>.json           cache.audits: validated audits (data, see audit.audit_cache)
        diagrams/ab/<key>.svg|.png     cache.drawings: what Graphviz drew; <key>.txt: dot's version
        pages/ab/<key>.md|.csv|.json   cache.pages: audit pages and downloads

Each entry has a ``<name>.sha256`` file beside it.

**Keys.** :func:`key` hashes a kind and *named* fields, walking values by their type:
text, numbers, dates, bytes, lists, dicts and every field of a dataclass (whether its
``repr`` shows it or not). A value of any other type is a ``TypeError``, never
silently left out of the key, so nothing an entry is made from can change without
changing its key. :func:`code_fingerprint` is a field of every key of what our own
code makes, so a new version of journey-audit never serves an old page.

**Integrity.** Every entry is written whole (:func:`journey_audit.files.write_atomic`),
with the SHA-256 of its bytes in a ``.sha256`` file beside it, written after it. Every
read (:meth:`Area.read`, and :meth:`Area.file` before handing a file to MkDocs) hashes
the bytes again: a file that is missing, unreadable, truncated, zeroed or changed in
any way is a miss, and the caller makes the entry again (and writes it over the bad
one). The hash guards against damage, not against someone who can write the folder:
they could write a matching hash too. That is why no entry holds code (the validated
audits are JSON, not pickles): whoever writes the cache can change what a build shows,
as whoever writes the audits can, but cannot run anything in it.

**Size.** Reading an entry marks it used (its modification time); :meth:`Cache.prune`,
after a build, lets each area hold :data:`SLACK` times what that build used (at least
:data:`MIN_BYTES`), deleting the files used longest ago, but never one used within
:data:`MIN_AGE` seconds (another build, a client's site, may be reading it). A
consultant saving an audit in ``serve`` every minute makes new files every minute:
without pruning the folder would only grow.

A cache that cannot be written (a read-only or full disk) only costs time: writes
then say so by returning None, and callers keep the content in memory instead.

>>> import tempfile
>>> cache = Cache(Path(tempfile.mkdtemp()))
>>> k = key("example", text="hello", count=2)
>>> cache.pages.read(k, "txt") is None
True
>>> cache.pages.write(k, "txt", b"hello").name == f"{k}.txt"
True
>>> cache.pages.read(k, "txt")
b'hello'
>>> _ = cache.pages.path(k, "txt").write_bytes(b"hellO")  # damaged: a miss
>>> cache.pages.read(k, "txt") is None
True
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import numbers
import os
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePath

from . import files

DEFAULT_ROOT = Path(".cache") / "journey-audit"  # beside mkdocs.yml, like Material's own .cache
AUDITS, DRAWINGS, PAGES = "audits", "diagrams", "pages"  # the areas' folders under the root
CHECKSUM = ".sha256"  # the suffix of the file beside each entry that holds its hash

MIN_BYTES = 64 * 1024 * 1024  # an area smaller than this is never pruned
SLACK = 3  # an area may hold this many times what the last build used
MIN_AGE = 3600.0  # seconds: a file used this recently is never deleted (another build may be using it)


# -- keys -------------------------------------------------------------------------------

def key(kind: str, **fields: object) -> str:
    """The cache key of an entry of ``kind`` made from ``fields``: a SHA-256, in hex.

    The same kind and fields give the same key, whatever their order; any change of a
    value (a field of a nested dataclass, hidden from ``repr`` or not) gives another.

    >>> key("page", a=1, b=[2, "x"]) == key("page", b=[2, "x"], a=1)
    True
    >>> key("page", a=1) == key("page", a=1.0) or key("page", a=1) == key("drawing", a=1)
    False
    >>> @dataclass
    ... class Hidden:
    ...     shown: str
    ...     hidden: int = dataclasses.field(default=0, repr=False)
    >>> key("page", v=Hidden("x", 1)) == key("page", v=Hidden("x", 2))
    False
    >>> key("page", v=object())
    Traceback (most recent call last):
    ...
    TypeError: a cache key cannot hold a object (field v of page)
    """
    out: list[str] = []
    _encode(kind, out)
    for name in sorted(fields):
        out.append(f"{len(name)}:{name}")
        try:
            _encode(fields[name], out)
        except TypeError as exc:
            raise TypeError(f"{exc} (field {name} of {kind})") from None
    return hashlib.sha256("".join(out).encode("utf-8", "surrogatepass")).hexdigest()


def _encode(value: object, out: list[str]) -> None:
    """Append a type-tagged, length-prefixed text of ``value`` to ``out`` (no two values share one)."""
    t = type(value)
    if t is str:
        out.append(f"s{len(value)}:{value}")
    elif t is int:
        out.append(f"i{value};")
    elif value is None:
        out.append("N")
    elif t is dict:  # in order: the order of a mapping may be what a page shows
        out.append(f"m{len(value)}:")
        for k, v in value.items():
            _encode(k, out)
            _encode(v, out)
    elif t is list or t is tuple:
        out.append(f"{'l' if t is list else 't'}{len(value)}:")
        for item in value:
            _encode(item, out)
    elif t is bool:
        out.append("T" if value else "F")
    elif t is float:
        out.append(f"f{value!r};")
    elif hasattr(t, "__dataclass_fields__"):
        head, names = _layout(t)
        out.append(head)
        for label, name in names:
            out.append(label)
            _encode(getattr(value, name), out)
    else:
        _encode_other(value, out)


@lru_cache(maxsize=None)
def _layout(cls: type) -> tuple[str, tuple[tuple[str, str], ...]]:
    """A dataclass's tag and its fields, every one (``repr=False`` ones too): a function of the class alone."""
    names = [f.name for f in dataclasses.fields(cls)]
    return f"D{cls.__module__}.{cls.__qualname__}/{len(names)}:", tuple((f"{len(n)}:{n}", n) for n in names)


def _encode_other(value: object, out: list[str]) -> None:
    t = type(value)
    if t is bytes or t is bytearray:  # by its hash: an audit file's bytes are not copied into the key
        out.append(f"b{len(value)}:{hashlib.sha256(value).hexdigest()}")
    elif isinstance(value, (dt.date, dt.time)):  # a datetime is a date: its type tells them apart
        out.append(f"d{t.__name__}:{value.isoformat()};")
    elif isinstance(value, PurePath):
        out.append("p")
        _encode(str(value), out)
    elif t is set or t is frozenset:
        items = []
        for item in value:
            part: list[str] = []
            _encode(item, part)
            items.append("".join(part))
        out.append(f"S{len(items)}:")
        out.extend(sorted(items))
    elif isinstance(value, (str, int, float)):  # a subclass (a str or int enum, say): its type and value
        base = str if isinstance(value, str) else float if isinstance(value, float) else int
        out.append(f"x{t.__module__}.{t.__qualname__}:")
        _encode(str.__str__(value) if base is str else base(value), out)
    elif isinstance(value, numbers.Number):  # a Fraction, a Decimal: their repr is their exact value
        out.append(f"n{t.__module__}.{t.__qualname__}:{value!r};")
    elif isinstance(value, enum.Enum):
        out.append(f"e{t.__module__}.{t.__qualname__}.{value.name}:")
        _encode(value.value, out)
    else:
        raise TypeError(f"a cache key cannot hold a {t.__name__}")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of this package's code and assets: what our own code makes depends on it.

    Computed once per process (the code a process runs does not change under it).
    """
    package = Path(__file__).parent
    h = hashlib.sha256()
    for f in sorted(package.rglob("*")):
        if f.is_file() and f.suffix in (".py", ".yml", ".css", ".js", ".html", ".json"):
            h.update(f.relative_to(package).as_posix().encode())
            h.update(f.read_bytes())
    return h.hexdigest()


# -- the folders ------------------------------------------------------------------------

@dataclass(frozen=True)
class Area:
    """One folder of the cache: entries named by their key and suffix, each with its hash beside it."""

    folder: Path

    def path(self, key: str, suffix: str) -> Path:
        """Where the entry ``key`` with ``suffix`` is (whether it is there or not)."""
        return self.folder / key[:2] / f"{key}.{suffix}"

    def read(self, key: str, suffix: str) -> bytes | None:
        """The entry's bytes, when it is there whole and as written; else None (make it again)."""
        path = self.path(key, suffix)
        try:
            data = files.read_regular(path)
            expected = files.read_regular(_checksum(path))
        except OSError:  # missing, unreadable, a folder or a FIFO where a file should be
            return None
        if expected != _digest(data):
            return None
        touch(path)  # used: kept when the area is pruned
        touch(_checksum(path))
        return data

    def file(self, key: str, suffix: str) -> Path | None:
        """The entry's file, checked as :meth:`read` does, for a reader that takes files (MkDocs); else None."""
        return self.path(key, suffix) if self.read(key, suffix) is not None else None

    def write(self, key: str, suffix: str, data: bytes) -> Path | None:
        """Keep ``data`` as the entry; its file, or None where the folder cannot be written."""
        path = self.path(key, suffix)
        if _write(path, data) and _write(_checksum(path), _digest(data)):
            return path
        return None


@dataclass(frozen=True)
class Cache:
    """The cache folder of a project (``root``, normally :data:`DEFAULT_ROOT`) and its areas.

    A value: two caches of the same root are equal, and one is cheap to make. It holds
    no state of its own: what it knows is in the folder.
    """

    root: Path

    def __post_init__(self) -> None:
        object.__setattr__(self, "root", Path(self.root))

    @property
    def audits(self) -> Area:
        """Validated audits, by their file's bytes (:mod:`journey_audit.audit.audit_cache`)."""
        return Area(self.root / AUDITS)

    @property
    def drawings(self) -> Area:
        """What Graphviz drew, by DOT source, format and Graphviz's version (:mod:`journey_audit.diagram.render`)."""
        return Area(self.root / DRAWINGS)

    @property
    def pages(self) -> Area:
        """Audit pages and their downloads, by all they show (:mod:`journey_audit.site.sitegen`)."""
        return Area(self.root / PAGES)

    @property
    def areas(self) -> tuple[Area, ...]:
        return self.audits, self.drawings, self.pages

    def prune(self, since: float, **policy: float) -> int:
        """Prune every area after a build that began at ``since``; the bytes freed. ``policy``: see :func:`prune`."""
        return sum(prune(area.folder, since=since, **policy) for area in self.areas)


def _checksum(path: Path) -> Path:
    return path.with_name(path.name + CHECKSUM)


def _digest(data: bytes) -> bytes:
    return hashlib.sha256(data).hexdigest().encode("ascii")


def _write(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` whole or not at all; False where the folder cannot be written."""
    try:
        files.write_atomic(path, data, durable=False, keep_mode=False)
    except OSError:
        return False
    return True


def touch(path: Path) -> bool:
    """Mark a cache file as used now (its modification time), for :func:`prune`; False when it is missing."""
    try:
        os.utime(path)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        pass  # there but read-only: it is not pruned either
    return True


# -- pruning ----------------------------------------------------------------------------

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
    ...     _write(folder / name, b"x" * 100)
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
    found = _files(folder)
    total = sum(size for _, size, _ in found)
    used = sum(size for mtime, size, _ in found if mtime >= since)
    budget = max(min_bytes, slack * used)
    freed = 0
    for mtime, size, path in sorted(found):
        if total - freed <= budget or mtime > now - min_age:
            break
        try:
            os.unlink(path)
        except OSError:
            continue
        freed += size
    return freed


def _files(folder: Path) -> list[tuple[float, int, str]]:
    """(modification time, size, path) of every file under ``folder``; nothing where it cannot be read."""
    found: list[tuple[float, int, str]] = []
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
                    found.append((st.st_mtime, st.st_size, entry.path))
            except OSError:
                continue
    return found
