"""Measures that time themselves inside a fresh process (run by :mod:`run`, not by hand).

    python bench/inproc.py parse DIR            floor C: yaml.load(text, CSafeLoader) of each audit
    python bench/inproc.py validate DIR         load_portfolio: every rule, line numbers
    python bench/inproc.py diagrams DIR CACHE   our diagram pipeline alone: SVG + PNG, batched, parallel
    python bench/inproc.py build ARGS…          `journey-audit build ARGS…` through the CLI's main

Each prints one JSON object on its last line of stdout: ``seconds`` timed around the
work only (imports and interpreter start-up excluded, for the ratios to the floors),
and for ``build`` and ``diagrams`` how many ``dot`` processes started and how many
graphs they drew. ``diagrams`` hands the renderer a
:class:`journey_audit.diagram.render.Stats` to count in; a build keeps no counters (the
renderer holds no state), so ``build`` counts from outside, at the one door every ``dot``
process goes through (:func:`subprocess.run`, see :func:`counting_dot`). The parent
reads the process's peak RSS from the kernel (:func:`measure.run`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import time
from pathlib import Path


def _audit_files(folder: Path) -> list[Path]:
    from journey_audit.audit.portfolio import find_audit_files

    files, _ = find_audit_files([folder])
    return files


def parse(folder: str) -> dict:
    import yaml

    files = _audit_files(Path(folder))
    t0 = time.perf_counter()
    for f in files:
        yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    return {"seconds": time.perf_counter() - t0, "files": len(files)}


def validate(folder: str) -> dict:
    from journey_audit.audit.portfolio import load_portfolio

    t0 = time.perf_counter()
    portfolio = load_portfolio([Path(folder)])
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "audits": len(portfolio.audits), "errors": [p.format() for p in portfolio.errors[:5]]}


def diagrams(folder: str, cache: str) -> dict:
    """SVG and PNG of every published audit, kept in the cache whose root is ``cache``."""
    from journey_audit.audit.portfolio import load_portfolio
    from journey_audit.cache import Cache
    from journey_audit.diagram import render
    from journey_audit.diagram.dot import dot_source
    from journey_audit.site.publish import published

    audits = published(load_portfolio([Path(folder)]).audits)
    sources = [dot_source(a) for a in audits]
    stats = render.Stats()
    t0 = time.perf_counter()
    render.render_many(sources, "svg", Cache(Path(cache)), stats=stats)
    t_svg = time.perf_counter() - t0
    render.render_many(sources, "png", Cache(Path(cache)), stats=stats)
    return {"seconds": time.perf_counter() - t0, "svg_seconds": t_svg, "stats": dataclasses.asdict(stats)}


@contextlib.contextmanager
def counting_dot(stats):
    """Count the ``dot`` processes started while the block runs, and the graphs given to them, into ``stats``.

    The renderer starts every ``dot`` with :func:`subprocess.run` (``dot -V``, or
    ``dot -T… -O g0 g1 …``): this process runs one build and exits, so wrapping that
    function for the length of the build counts them without the build keeping counters.
    """
    import shutil
    import subprocess

    real = subprocess.run
    dot = shutil.which("dot")  # where the renderer finds it too

    def run(args, *rest, **kwargs):
        if isinstance(args, (list, tuple)) and args and args[0] == dot:
            stats.dot_calls += 1
            if "-O" in args:
                stats.graphs_rendered += len(args) - args.index("-O") - 1
        return real(args, *rest, **kwargs)

    subprocess.run = run
    try:
        yield stats
    finally:
        subprocess.run = real


def build(*args: str) -> dict:
    from journey_audit.cli import main
    from journey_audit.diagram.render import Stats

    t0 = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr), counting_dot(Stats()) as stats:  # our JSON line stays last
        code = main(["build", *args])
    return {"seconds": time.perf_counter() - t0, "returncode": code, "stats": dataclasses.asdict(stats)}


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    result = {"parse": parse, "validate": validate, "diagrams": diagrams, "build": build}[command](*rest)
    print(json.dumps(result))
    sys.exit(result.get("returncode", 0) or 0)
