"""DOT source → SVG or PNG with Graphviz's ``dot``: batched, parallel, cached.

Uncached graphs are drawn by one ``dot`` process each, as many side by side as there
are cores. Batching several graphs in one ``dot`` (``dot -Tsvg -O g0 g1 …``) would save
the start-up (≈14 ms of the 23 ms a 40-touchpoint journey takes), but ``dot`` draws
every graph after the first of a batch differently (cluster order, ids), so the same
input would give different sites: output must be byte-reproducible.
Drawings are kept in the drawings area of a :class:`journey_audit.cache.Cache`, by
a key made of the DOT source, the output format and options, and Graphviz's version
(``dot -V``), so an unchanged audit never starts ``dot`` again, and a Graphviz upgrade
redraws everything once. The version itself is kept there per ``dot`` binary (path,
inode, size, mtime), so a warm cache needs no ``dot`` process at all. Without a cache
nothing is kept: the renderer holds no state between calls (pass a :class:`Stats` to
count its work).

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

import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..audit.model import Audit
from ..cache import Cache, key
from ..errors import GRAPHVIZ_INSTALL_HINT, DotNotFound, RenderError
from ..figures.scoring import AuditFigures
from .dot import dot_source

FORMATS = ("svg", "png")
PNG_DPI = 144  # PNGs go on slides: twice the screen resolution
TIME_LIMIT = 30.0  # seconds per graph (a journey takes ~10 ms; the largest allowed, seconds on a busy machine)
INSTALL_HINT = GRAPHVIZ_INSTALL_HINT
# Bump when the post-processing of dot's output changes, so cached files are redrawn.
_OUTPUT_VERSION = "3"


@dataclass
class Stats:
    """What rendering cost: pass one as ``stats`` to count (the tests and the benchmark do).

    Nothing is counted otherwise: the renderer keeps no state between calls.
    """

    dot_calls: int = 0  # dot processes started, version probes included
    graphs_rendered: int = 0  # graphs dot drew
    cache_hits: int = 0  # graphs served from the cache


def find_dot() -> str:
    """Path of the ``dot`` executable on the PATH, or :class:`DotNotFound`."""
    dot = shutil.which("dot")
    if dot is None:
        raise DotNotFound()
    return dot


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["SERVER_NAME"] = "journey-audit"  # Graphviz's safe mode: no reading files from the graph
    env.pop("GV_FILE_PATH", None)
    return env


def dot_version(dot: str | None = None, cache: Cache | None = None, stats: Stats | None = None) -> str:
    """Graphviz's version line (``dot -V``), e.g. ``dot - graphviz version 2.43.0 (0)``.

    With a ``cache``, remembered there for this binary (path, inode, size, modification
    time), so a cached rebuild starts no ``dot`` at all; without one, ``dot -V`` runs.

    Not ``graphviz.version()``: that runs ``dot -V`` with no time limit and keeps only the
    number (``(2, 43, 0)``), dropping a development build's date stamp and the build in
    brackets, so two builds that draw differently would share cached drawings.
    """
    dot = dot or find_dot()
    st = os.stat(dot)  # follows links: the binary itself
    memo = key("dot-version", path=dot, device=st.st_dev, inode=st.st_ino, size=st.st_size, mtime=st.st_mtime_ns)
    if cache is not None:
        kept = cache.drawings.read(memo, "txt")
        if kept:
            return kept.decode("utf-8", "replace")
    if stats is not None:
        stats.dot_calls += 1
    try:
        done = subprocess.run([dot, "-V"], capture_output=True, env=_environment(), timeout=TIME_LIMIT)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RenderError(f"could not run `{dot} -V`: {exc}") from exc
    version = (done.stderr or done.stdout).decode("utf-8", "replace").strip()
    if done.returncode != 0 or not version:
        raise RenderError(f"`{dot} -V` failed: {version or 'no output'}")
    if cache is not None:
        cache.drawings.write(memo, "txt", version.encode("utf-8"))
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
    return key("drawing", output=_OUTPUT_VERSION, graphviz=version, options=_options(fmt), source=source)


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
        return outputs, messages


@dataclass
class _Job:
    """One call's drawing work: what to draw, how, and where to count."""

    dot: str
    sources: list[str]
    keys: list[str]
    fmt: str
    names: list[str]
    jobs: int | None
    time_limit: float
    stats: Stats | None

    def count(self, outputs: list[bytes | None]) -> None:
        if self.stats is not None:
            self.stats.dot_calls += 1
            self.stats.graphs_rendered += sum(o is not None for o in outputs)

    def draw(self, positions: list[int]) -> dict[str, bytes]:
        """Draw the sources at ``positions`` (each distinct graph once); key → finished drawing.

        One ``dot`` process per graph, as many side by side as cores (or ``jobs``): a
        ``dot`` that draws several graphs draws all but the first differently (cluster
        order, ``page0,1_`` ids, depending on what came before), so batches would make
        two cold builds differ. A graph that fails is named in the :class:`RenderError`.
        """
        first = list({self.keys[i]: i for i in reversed(positions)}.values())  # the same graph twice: drawn once
        workers = max(1, min(self.jobs or _cores(), len(first)))
        with ThreadPoolExecutor(workers) as pool:
            runs = list(pool.map(lambda i: _run_dot(self.dot, [self.sources[i]], self.fmt, self.time_limit), first))
        drawn: dict[str, bytes] = {}
        for i, ([out], messages) in zip(first, runs):
            self.count([out])
            if out is None:
                raise RenderError(f"could not draw the journey diagram of {self.names[i]}: "
                                  f"{messages or 'dot gave no output'}")
            drawn[self.keys[i]] = _finish(out, self.fmt)
        return drawn


def _job(sources: Sequence[str], fmt: str, cache: Cache | None, names: Sequence[str] | None, jobs: int | None,
         time_limit: float, stats: Stats | None) -> _Job:
    if fmt not in FORMATS:
        raise ValueError(f"unknown diagram format {fmt!r}; choose one of {', '.join(FORMATS)}")
    sources = list(sources)
    names = list(names) if names is not None else [f"graph {i + 1}" for i in range(len(sources))]
    if len(names) != len(sources):
        raise ValueError("names must give one name per source")
    dot = find_dot() if sources else ""
    version = dot_version(dot, cache, stats) if sources else ""
    return _Job(dot, sources, [cache_key(s, fmt, version) for s in sources], fmt, names, jobs, time_limit, stats)


def render_many(sources: Sequence[str], fmt: str = "svg", cache: Cache | None = None, *,
                names: Sequence[str] | None = None, jobs: int | None = None,
                time_limit: float = TIME_LIMIT, stats: Stats | None = None) -> list[bytes]:
    """Render DOT ``sources`` to ``fmt`` (svg or png): one result per source, in order.

    Found in and kept in ``cache`` (its drawings); without one, everything is drawn and
    nothing kept. Uncached sources are drawn by at most ``jobs`` (default: the number
    of cores) ``dot`` processes in parallel. ``names`` (e.g. the audits' file names)
    make errors point at the right audit; ``stats`` counts the work. Raises
    :class:`DotNotFound` or :class:`RenderError`.
    """
    job = _job(sources, fmt, cache, names, jobs, time_limit, stats)
    results: list[bytes | None] = [None] * len(job.sources)
    if cache is not None:
        results = [cache.drawings.read(k, fmt) for k in job.keys]
    missing = [i for i, data in enumerate(results) if data is None]
    if stats is not None:
        stats.cache_hits += len(results) - len(missing)
    if missing:
        drawn = job.draw(missing)
        for k, data in drawn.items():
            if cache is not None:
                cache.drawings.write(k, fmt, data)
        for i in missing:
            results[i] = drawn[job.keys[i]]
    return results  # every position is filled: from the cache, a batch, or a redraw alone


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
_ROWS = re.compile(r'<g id="jd-[a-z0-9-]+-r0" class="cluster"')  # the first row's cluster (dot.py)


def inline_svg(svg: str) -> str:
    """A (tidied) SVG file made ready to paste into an HTML page.

    No XML declaration or DOCTYPE; no fixed width and height (the viewBox stays,
    so CSS sizes it and it shrinks on phones), but never wider than drawn. A journey
    drawn in rows (:mod:`.rows`) is marked ``jd-rows``: it prints upright, not turned.

    >>> inline_svg('<?xml version="1.0"?>\\n<svg width="80pt" height="20pt"\\n viewBox="0 0 80 20">')
    '<svg class="jd-diagram" style="max-width:80pt;height:auto"\\n viewBox="0 0 80 20">'
    """
    svg = svg[svg.find("<svg"):]
    cls = "jd-diagram jd-rows" if _ROWS.search(svg) else "jd-diagram"
    return _SIZE.sub(lambda m: f'<svg class="{cls}" style="max-width:{m.group(1)}pt;height:auto"', svg, count=1)


def journey_svg(audit: Audit, cache: Cache | None = None, *, figures: AuditFigures | None = None) -> str:
    """The journey diagram of ``audit`` as SVG text to inline in its page.

    Pass ``figures`` when you have them (``scoring.compute(audit)``) to save computing them again.
    """
    [data] = render_many([dot_source(audit, figures)], "svg", cache, names=[audit.path or audit.slug])
    return inline_svg(data.decode("utf-8"))


def render_files(sources: Sequence[str], fmt: str, cache: Cache, *, names: Sequence[str] | None = None,
                 chunk: int = 50, stats: Stats | None = None) -> list[Path | bytes]:
    """Like :func:`render_many`, but gives the cache files rather than their bytes.

    A site copies its PNG downloads (hundreds of KB each) from the cache folder, so a
    large portfolio need not hold them all in memory: a warm build keeps none of them,
    and a cold one draws them ``chunk`` at a time. Every file given was checked against
    its hash (:meth:`journey_audit.cache.Area.file`); where the cache cannot be
    written, the drawing's bytes stand in for its file.
    """
    job = _job(sources, fmt, cache, names, None, TIME_LIMIT, stats)
    out: list[Path | bytes | None] = [cache.drawings.file(k, fmt) for k in job.keys]
    missing = [i for i, path in enumerate(out) if path is None]
    if stats is not None:
        stats.cache_hits += len(out) - len(missing)
    for start in range(0, len(missing), chunk):
        part = missing[start:start + chunk]
        kept = {k: cache.drawings.write(k, fmt, data) or data for k, data in job.draw(part).items()}
        for i in part:
            out[i] = kept[job.keys[i]]
    return out  # every position is filled


def journey_png(audit: Audit, cache: Cache | None = None, *, figures: AuditFigures | None = None) -> bytes:
    """The journey diagram of ``audit`` as a PNG (for slides)."""
    [data] = render_many([dot_source(audit, figures)], "png", cache, names=[audit.path or audit.slug])
    return data
