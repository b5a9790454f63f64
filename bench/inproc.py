"""Measures that time themselves inside a fresh process (run by :mod:`run`, not by hand).

    python bench/inproc.py parse DIR            floor C: yaml.load(text, CSafeLoader) of each audit
    python bench/inproc.py validate DIR         load_portfolio: every rule, line numbers
    python bench/inproc.py diagrams DIR CACHE   our diagram pipeline alone: SVG + PNG, batched, parallel
    python bench/inproc.py build ARGS…          `journey-audit build ARGS…` through the CLI's main

Each prints one JSON object on its last line of stdout: ``seconds`` timed around the
work only (imports and interpreter start-up excluded, for the ratios to the floors),
and for ``build`` and ``diagrams`` the renderer's counters (:data:`journey_audit.render.stats`):
how many ``dot`` processes started and how many graphs were drawn. The parent reads
the process's peak RSS from the kernel (:func:`measure.run`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import time
from pathlib import Path


def _audit_files(folder: Path) -> list[Path]:
    from journey_audit.portfolio import find_audit_files

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
    from journey_audit.portfolio import load_portfolio

    t0 = time.perf_counter()
    portfolio = load_portfolio([Path(folder)])
    seconds = time.perf_counter() - t0
    return {"seconds": seconds, "audits": len(portfolio.audits), "errors": [p.format() for p in portfolio.errors[:5]]}


def diagrams(folder: str, cache: str) -> dict:
    from journey_audit import render
    from journey_audit.diagram import dot_source
    from journey_audit.portfolio import load_portfolio
    from journey_audit.publish import published

    audits = published(load_portfolio([Path(folder)]).audits)
    sources = [dot_source(a) for a in audits]
    t0 = time.perf_counter()
    render.render_many(sources, "svg", Path(cache))
    t_svg = time.perf_counter() - t0
    render.render_many(sources, "png", Path(cache))
    return {"seconds": time.perf_counter() - t0, "svg_seconds": t_svg, "stats": dataclasses.asdict(render.stats)}


def build(*args: str) -> dict:
    from journey_audit import render
    from journey_audit.cli import main

    t0 = time.perf_counter()
    with contextlib.redirect_stdout(sys.stderr):  # our JSON line stays the last line of stdout
        code = main(["build", *args])
    return {"seconds": time.perf_counter() - t0, "returncode": code, "stats": dataclasses.asdict(render.stats)}


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    result = {"parse": parse, "validate": validate, "diagrams": diagrams, "build": build}[command](*rest)
    print(json.dumps(result))
    sys.exit(result.get("returncode", 0) or 0)
