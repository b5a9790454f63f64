"""Where the time goes: builds (and floor A) under cProfile, summarised as text.

cProfile rather than a sampling profiler: it is in the standard library, and the
counts (calls per function) say as much as the times here.
"""

from __future__ import annotations

import io
import pstats
import shutil
import sys
from pathlib import Path

import floors
from measure import run
from ours import BENCH, REPO, build_args, make_project, pages_of


def profile_run(root: Path, n: int, m: int, folder: Path, top: int, log) -> list[Path]:
    """Cold and warm builds, and floors A and D, under cProfile; their top functions as text in ``folder``.

    Each text file lists the top functions by cumulative time, by own time, and
    (for our builds) our own code alone; the ``.prof`` files beside them open in
    snakeviz or ``python -m pstats``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    p = make_project(root / "profile", n, m)
    shutil.rmtree(p.cache, ignore_errors=True)
    inproc_build = [str(BENCH / "inproc.py"), "build", *build_args(p)]
    written = []
    for kind, target in (("cold", inproc_build), ("warm", inproc_build), ("floor-a", None), ("floor-d", None)):
        log(f"profile: {kind}")
        if kind == "floor-a":
            site, nav, css, js = pages_of(p)
            target = ["-m", "mkdocs", "build", "--quiet", "-f", str(floors.write_floor_a(p.root, site.files, nav, css, js))]
        elif kind == "floor-d":
            target = ["-m", "mkdocs", "build", "--quiet", "-f", str(floors.write_floor_d(p.root, p.audit_files()))]
        prof = folder / f"{kind}.prof"
        r = run([sys.executable, "-m", "cProfile", "-o", str(prof), *target], cwd=p.root, timeout=1800)
        text = folder / f"{kind}.txt"
        text.write_text(profile_text(prof, f"{kind}, {n} audits × {m} touchpoints: {r.seconds:.2f} s wall "
                                           f"under the profiler", top, ours=not kind.startswith("floor")), encoding="utf-8")
        written.append(text)
    return written


def profile_text(prof: Path, title: str, top: int, ours: bool) -> str:
    out = io.StringIO()
    out.write(f"# {title}\n")
    if ours:
        out.write("# cProfile sees the main thread only: time in the diagram threads shows as waiting\n"
                  "# (render_many → ThreadPoolExecutor → lock.acquire); dot's own time is in its processes.\n")
    out.write("\n")
    sections = [("cumulative", (top,), f"top {top} by cumulative time"), ("tottime", (top,), f"top {top} by own time")]
    if ours:
        sections.append(("cumulative", ("journey_audit", top), f"our code (journey_audit), top {top} by cumulative time"))
    for key, restriction, heading in sections:
        out.write(f"## {heading}\n")
        pstats.Stats(str(prof), stream=out).sort_stats(key).print_stats(*restriction)
    return _short_paths(out.getvalue())


def _short_paths(text: str) -> str:
    for prefix in sorted({str(Path(p)) + "/" for p in sys.path if p and "site-packages" in p} |
                         {str(REPO / "generator") + "/", sys.prefix + "/", sys.base_prefix + "/lib/python3.11/"},
                         key=len, reverse=True):
        text = text.replace(prefix, "")
    return text
