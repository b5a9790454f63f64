"""DOT source → SVG or PNG with Graphviz's ``dot``: batched, parallel, cached.

Starting ``dot`` costs more than drawing a journey (measured: ≈14 ms of the 23 ms a
40-touchpoint journey takes in a process of its own, 9 ms in a batch), so
uncached graphs are written to a temporary folder and drawn by as few ``dot``
processes as there are cores (``dot -Tsvg -O g0 g1 …``), running side by side.
Results are cached by content: the key is a hash of the DOT source, the output
format and options, and Graphviz's version (``dot -V``), so an unchanged audit
never starts ``dot`` again, and a Graphviz upgrade redraws everything once.
The version itself is remembered per ``dot`` binary (path, inode, size, mtime), so a warm
cache needs no ``dot`` process at all.

``dot`` runs with ``SERVER_NAME`` set, Graphviz's switch that stops it reading
files (images, shape files) outside ``GV_FILE_PATH``, which is removed from its
environment; and with a time limit. Only SVG (plain ``-Tsvg``: text stays
``<text>``) and PNG come out.

The ``graphviz`` package quotes the DOT (:mod:`.diagram`), but ``dot`` is run here, not
through ``graphviz.pipe()`` or ``graphviz.version()``: see :func:`_run_dot` and
:func:`dot_version` for what those cannot do. A missing ``dot`` is a
:class:`DotNotFound`, which is also a ``graphviz.ExecutableNotFound``.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import tempfile
import threading
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Sequence

import graphviz

from .cachefiles import touch, write_atomic
from .diagram import dot_source
from .model import Audit
from .scoring import AuditFigures

FORMATS = ("svg", "png")
PNG_DPI = 144  # PNGs go on slides: twice the screen resolution
TIME_LIMIT = 10.0  # seconds per graph (a journey takes ~10 ms); a batch of n graphs gets n times as long
INSTALL_HINT = "apt-get install graphviz"
DEFAULT_CACHE = Path(".cache/journey-audit/diagrams")  # beside the project, like Material's own .cache
# Bump when the post-processing of dot's output changes, so cached files are redrawn.
_OUTPUT_VERSION = "3"
_MEMORY_LIMIT = 512  # renders kept in memory when there is no cache folder (or it cannot be written)


class RenderError(Exception):
    """``dot`` failed, timed out or produced nothing; the message names the audit."""


class DotNotFound(RenderError, graphviz.ExecutableNotFound):
    """Graphviz is not installed (no ``dot`` on the PATH).

    Also a ``graphviz.ExecutableNotFound``, what the graphviz package raises in this case,
    so code written against that package catches it too.
    """

    def __init__(self) -> None:
        # Not ExecutableNotFound.__init__, which wants the command and writes its own message.
        RuntimeError.__init__(self, "Graphviz's `dot` program was not found on the PATH; the journey diagrams need it. "
                              f"Install Graphviz ({INSTALL_HINT}; macOS: brew install graphviz) and try again.")


@dataclass
class Stats:
    """What rendering cost so far in this process (read by tests and the benchmark)."""

    dot_calls: int = 0  # dot processes started, version probes included
    graphs_rendered: int = 0  # graphs dot drew
    cache_hits: int = 0  # graphs served from the cache

    def reset(self) -> None:
        for f in fields(self):
            setattr(self, f.name, 0)


stats = Stats()
_memory: OrderedDict[str, bytes] = OrderedDict()
_versions: dict[tuple, str] = {}
_found: dict[str, str] = {}
_lock = threading.Lock()


def find_dot() -> str:
    """Path of the ``dot`` executable, or :class:`DotNotFound`."""
    path = os.environ.get("PATH", "")
    dot = _found.get(path)  # searching the PATH costs more than a cached render
    if dot is None or not os.path.exists(dot):
        dot = shutil.which("dot", path=path)
        if dot is None:
            raise DotNotFound()
        _found[path] = dot
    return dot


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["SERVER_NAME"] = "journey-audit"  # Graphviz's safe mode: no reading files from the graph
    env.pop("GV_FILE_PATH", None)
    return env


def dot_version(dot: str | None = None, cache_dir: Path | None = None) -> str:
    """Graphviz's version line (``dot -V``), e.g. ``dot - graphviz version 2.43.0 (0)``.

    Remembered for this binary (path, inode, size, modification time) in memory and, when
    given, in ``cache_dir``, so a cached rebuild in a new process starts no ``dot``.

    Not ``graphviz.version()``: that runs ``dot -V`` with no time limit and keeps only the
    number (``(2, 43, 0)``), dropping a development build's date stamp and the build in
    brackets, so two builds that draw differently would share cached drawings; and a key
    of another form would redraw every cache once for nothing.
    """
    dot = dot or find_dot()
    st = os.stat(dot)  # follows links: the binary itself
    ident = (dot, st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if ident in _versions:
        return _versions[ident]
    memo = None
    if cache_dir is not None:
        memo = Path(cache_dir) / f"dot-version-{hashlib.sha256(repr(ident).encode()).hexdigest()[:16]}.txt"
        try:
            version = memo.read_text(encoding="utf-8").strip()
        except OSError:
            version = ""
        if version:
            touch(memo)  # used: kept when the cache folder is pruned
            _versions[ident] = version
            return version
    stats.dot_calls += 1
    try:
        done = subprocess.run([dot, "-V"], capture_output=True, env=_environment(), timeout=TIME_LIMIT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RenderError(f"could not run `{dot} -V`: {exc}") from exc
    version = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
    if done.returncode != 0 or not version:
        raise RenderError(f"`{dot} -V` failed: {version or 'no output'}")
    _versions[ident] = version
    if memo is not None:
        write_atomic(memo, version.encode("utf-8"))
    return version


def _options(fmt: str) -> list[str]:
    return [f"-T{fmt}"] + ([f"-Gdpi={PNG_DPI}"] if fmt == "png" else [])


def cache_key(source: str, fmt: str, version: str) -> str:
    """Content address of one render: the same inputs give the same key.

    >>> cache_key("digraph {}", "svg", "v1") == cache_key("digraph {}", "svg", "v1")
    True
    >>> cache_key("digraph {}", "svg", "v1") == cache_key("digraph {}", "svg", "v2")
    False
    """
    h = hashlib.sha256()
    for part in (_OUTPUT_VERSION, version, " ".join(_options(fmt)), source):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _cache_path(cache_dir: Path, key: str, fmt: str) -> Path:
    return Path(cache_dir) / key[:2] / f"{key}.{fmt}"


def _chunks(indices: list[int], sizes: list[int], n: int) -> list[list[int]]:
    """Split ``indices`` into ``n`` groups of similar total size (largest first, greedily)."""
    groups: list[list[int]] = [[] for _ in range(n)]
    loads = [0] * n
    for i in sorted(indices, key=lambda i: (-sizes[i], i)):
        g = loads.index(min(loads))
        groups[g].append(i)
        loads[g] += sizes[i]
    return [sorted(g) for g in groups if g]


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _run_dot(dot: str, sources: list[str], fmt: str, time_limit: float) -> tuple[list[bytes | None], str]:
    """Draw ``sources`` with one ``dot`` process; outputs (None where missing) and dot's messages.

    Our own ``subprocess.run`` rather than ``graphviz.pipe()``, which draws one graph per
    ``dot`` process (no batch) and takes no time limit and no environment: no ``SERVER_NAME``
    safe mode, short of changing ``os.environ`` under the other threads.
    """
    with tempfile.TemporaryDirectory(prefix="journey-audit-dot-") as tmp:
        names = [f"g{i}" for i in range(len(sources))]
        for name, source in zip(names, sources):
            Path(tmp, name).write_text(source, encoding="utf-8")
        limit = time_limit * len(sources)
        with _lock:
            stats.dot_calls += 1
        try:
            done = subprocess.run([dot, *_options(fmt), "-O", *names], cwd=tmp, env=_environment(),
                                  capture_output=True, timeout=limit)
        except subprocess.TimeoutExpired:
            return [None] * len(sources), f"dot did not finish within {limit:g} s"
        except OSError as exc:
            return [None] * len(sources), f"could not run dot: {exc}"
        outputs: list[bytes | None] = []
        for name in names:
            out = Path(tmp, f"{name}.{fmt}")
            data = out.read_bytes() if out.is_file() else b""
            outputs.append(data or None)
        messages = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0:
            # dot may stop at the first bad graph: keep nothing from a failed batch.
            outputs = [None] * len(sources)
            messages = messages or f"dot exited with status {done.returncode}"
        with _lock:
            stats.graphs_rendered += sum(o is not None for o in outputs)
        return outputs, messages


def render_many(sources: Sequence[str], fmt: str = "svg", cache_dir: Path | None = None, *,
                names: Sequence[str] | None = None, jobs: int | None = None,
                time_limit: float = TIME_LIMIT) -> list[bytes]:
    """Render DOT ``sources`` to ``fmt`` (svg or png): one result per source, in order.

    Cached in ``cache_dir`` (or, when None, in memory for this process). Uncached
    sources are drawn by at most ``jobs`` (default: the number of cores) ``dot``
    processes in parallel. ``names`` (e.g. the audits' file names) make errors
    point at the right audit. Raises :class:`DotNotFound` or :class:`RenderError`.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r}; choose one of {', '.join(FORMATS)}")
    sources = list(sources)
    names = list(names) if names is not None else [f"graph {i + 1}" for i in range(len(sources))]
    if len(names) != len(sources):
        raise ValueError("names must give one name per source")
    if not sources:
        return []
    dot = find_dot()
    version = dot_version(dot, cache_dir)
    keys = [cache_key(s, fmt, version) for s in sources]
    results: list[bytes | None] = [None] * len(sources)
    todo: dict[str, list[int]] = {}  # key → positions (the same graph twice is drawn once)
    for i, key in enumerate(keys):
        data = _memory.get(key)
        if data is not None:
            _memory.move_to_end(key)
            if cache_dir is not None and write_atomic(_cache_path(cache_dir, key, fmt), data):
                del _memory[key]  # drawn without a cache folder before: the folder keeps it now
        elif cache_dir is not None:
            path = _cache_path(cache_dir, key, fmt)
            try:
                data = path.read_bytes() or None
            except OSError:
                data = None
            if data is not None:
                touch(path)
        if data is not None:
            stats.cache_hits += 1
            results[i] = data
        else:
            todo.setdefault(key, []).append(i)
    if todo:
        first = [positions[0] for positions in todo.values()]
        groups = _chunks(first, [len(s) for s in sources], max(1, min(jobs or _cores(), len(first))))
        with ThreadPoolExecutor(len(groups)) as pool:
            batches = list(pool.map(lambda g: _run_dot(dot, [sources[i] for i in g], fmt, time_limit), groups))
        failed: list[int] = []
        for group, (outputs, _) in zip(groups, batches):
            for i, out in zip(group, outputs):
                if out is None:
                    failed.append(i)
                else:
                    _store(keys[i], _finish(out, fmt), fmt, cache_dir, todo, results)
        for i in failed:  # find the culprit: redraw alone, and name it if it still fails
            [out], messages = _run_dot(dot, [sources[i]], fmt, time_limit)
            if out is None:
                raise RenderError(f"could not draw the journey diagram of {names[i]}: {messages or 'dot gave no output'}")
            _store(keys[i], _finish(out, fmt), fmt, cache_dir, todo, results)
    return results  # every position is filled: from the cache, a batch, or a redraw alone


def _store(key: str, data: bytes, fmt: str, cache_dir: Path | None, todo: dict[str, list[int]],
           results: list[bytes | None]) -> None:
    for j in todo[key]:
        results[j] = data
    if cache_dir is not None and write_atomic(_cache_path(cache_dir, key, fmt), data):
        return  # the folder keeps it: a cold build of a large portfolio holds no drawing twice
    _memory[key] = data
    _memory.move_to_end(key)
    while len(_memory) > _MEMORY_LIMIT:
        _memory.popitem(last=False)


def clear_memory() -> None:
    """Forget in-memory renders, versions and where dot is (as a new process would)."""
    _memory.clear()
    _versions.clear()
    _found.clear()


# -- SVG for the web -----------------------------------------------------------

_TITLE = re.compile(r"<title>[^<]*</title>\n?")
_ANCHOR = re.compile(r'(<a\b[^>]*?\sxlink:title="([^"]*)"[^>]*>)')
_ANCHOR_ID = re.compile(r' id="a_([^"]*)"')  # a literal start: \b would make the search slow
_PAGE_ID = re.compile(r' id="page\d+,\d+_')
_COMMENT = re.compile(r"<!--.*?-->\n?", re.S)


def _finish(data: bytes, fmt: str) -> bytes:
    return tidy_svg(data.decode("utf-8")).encode("utf-8") if fmt == "svg" else data


def tidy_svg(svg: str) -> str:
    """Graphviz's SVG with tooltips every browser shows and ids that stay ours.

    Graphviz titles each element with its internal name (``n0``, ``cluster_0``),
    which browsers show on hover; the tooltip it writes as ``xlink:title`` on links,
    which not every browser shows. So internal titles go, each link gets a
    ``<title>`` child with its tooltip, and the link group's id ``a_<id>`` becomes
    ``<id>-a`` so every id keeps the prefix the diagram chose (as does the graph's,
    to which Graphviz 2.43 may prepend ``page0,1_``). Comments (internal names
    again) go too, and with them the reason for writing ``-`` as ``&#45;``.
    Done once per render, before caching.

    >>> tidy_svg('<!-- n0 -->\\n<g id="n&#45;1"><title>n0</title>\\n<g id="a_jd-n0"><a xlink:title="Hi &amp; bye">')
    '<g id="n-1"><g id="jd-n0-a"><a xlink:title="Hi &amp; bye"><title>Hi &amp; bye</title>'
    """
    svg = _TITLE.sub("", _COMMENT.sub("", svg))
    svg = _ANCHOR.sub(lambda m: f"{m.group(1)}<title>{m.group(2)}</title>", svg)
    return _PAGE_ID.sub(' id="', _ANCHOR_ID.sub(r' id="\1-a"', svg)).replace("&#45;", "-")


_SIZE = re.compile(r'<svg width="([\d.]+)pt" height="([\d.]+)pt"')


def inline_svg(svg: str) -> str:
    """A (tidied) SVG file made ready to paste into an HTML page.

    No XML declaration or DOCTYPE; no fixed width and height (the viewBox stays,
    so CSS sizes it and it shrinks on phones), but never wider than drawn.

    >>> inline_svg('<?xml version="1.0"?>\\n<svg width="80pt" height="20pt"\\n viewBox="0 0 80 20">')
    '<svg class="jd-diagram" style="max-width:80pt;height:auto"\\n viewBox="0 0 80 20">'
    """
    svg = svg[svg.find("<svg"):]
    return _SIZE.sub(lambda m: f'<svg class="jd-diagram" style="max-width:{m.group(1)}pt;height:auto"', svg,
                     count=1)


def journey_svg(audit: Audit, cache_dir: Path | None = None, *, figures: AuditFigures | None = None) -> str:
    """The journey diagram of ``audit`` as SVG text to inline in its page.

    Pass ``figures`` when you have them (``scoring.compute(audit)``) to save computing them again.
    """
    [data] = render_many([dot_source(audit, figures)], "svg", cache_dir, names=[audit.path or audit.slug])
    return inline_svg(data.decode("utf-8"))


def render_files(sources: Sequence[str], fmt: str, cache_dir: Path, *, names: Sequence[str] | None = None,
                 chunk: int = 50) -> list[Path | bytes]:
    """Like :func:`render_many`, but gives the cache files rather than their bytes.

    A site copies its PNG downloads (hundreds of KB each) from the cache folder, so a
    large portfolio need not hold them all in memory: a warm build reads none of them,
    and a cold one draws them ``chunk`` at a time. Where the cache cannot be written,
    the drawing's bytes stand in for its file.
    """
    sources = list(sources)
    names = list(names) if names is not None else [f"graph {i + 1}" for i in range(len(sources))]
    if not sources:
        return []
    version = dot_version(find_dot(), cache_dir)
    out: list[Path | bytes] = [_cache_path(cache_dir, cache_key(s, fmt, version), fmt) for s in sources]
    missing = [i for i, path in enumerate(out) if not touch(path)]  # touch: kept when the folder is pruned
    for start in range(0, len(missing), chunk):
        part = missing[start:start + chunk]
        drawn = render_many([sources[i] for i in part], fmt, cache_dir, names=[names[i] for i in part])
        for i, data in zip(part, drawn):
            if not out[i].is_file():  # the cache folder is read-only or full
                out[i] = data
    return out


def journey_png(audit: Audit, cache_dir: Path | None = None, *, figures: AuditFigures | None = None) -> bytes:
    """The journey diagram of ``audit`` as a PNG (for slides)."""
    [data] = render_many([dot_source(audit, figures)], "png", cache_dir, names=[audit.path or audit.slug])
    return data
