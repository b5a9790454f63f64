"""The benchmark's report rows: seconds per audit of the PDF report and of the slide deck.

    python bench/reports.py DIR CACHE [N]     (run by :mod:`run` in a fresh process)

Makes the PDF report and the deck (``journey-audit report``'s makers) of the first N
published audits of DIR (default 5) and prints one JSON object: seconds per audit of
each. Imports and fonts are loaded by one report of each kind made before the clock
starts, as in a run over a folder; the diagrams come from the cache folder CACHE (the
diagrams measure drew them), so what is timed is the reports' own layout. The process's
peak RSS (taken by :func:`measure.run`) is that of both kinds together.

Reports are off in a build unless asked (``build --reports pdf,pptx``): a site build's
rows do not include them.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def measure(folder: str, cache: str, limit: str = "5") -> dict:
    """Seconds per audit of each kind of report over the first ``limit`` published audits of ``folder``."""
    from journey_audit.audit.portfolio import load_portfolio
    from journey_audit.cache import Cache
    from journey_audit.report.deck import report_pptx
    from journey_audit.report.pdf import report_pdf
    from journey_audit.report.source import report_views

    views = report_views(load_portfolio([Path(folder)]).audits)[: int(limit)]
    out: dict = {"audits": len(views), "bytes": {}}
    for fmt, make in (("pdf", report_pdf), ("pptx", report_pptx)):
        make(views[0], "en", Cache(Path(cache)))  # imports and fonts, untimed
        t0 = time.perf_counter()
        sizes = [len(make(view, "en", Cache(Path(cache)))) for view in views]
        out[f"{fmt}_seconds"] = (time.perf_counter() - t0) / len(views)
        out["bytes"][fmt] = sum(sizes) // len(sizes)
    return out


def report_rows(p, cache: Path, log, limit: int = 5) -> list[dict]:
    """The rows of :class:`run.Row` (as keyword dicts) for project ``p``: the PDF's and the deck's
    seconds per audit, measured in a fresh process."""
    from measure import run

    log(f"reports: PDF and deck of {limit} audits")
    r = run([sys.executable, str(BENCH / "reports.py"), str(p.audits_dir), str(cache), str(limit)], cwd=p.root)
    got = json.loads(r.stdout.strip().splitlines()[-1])
    note = f"{got['audits']} audits, diagrams cached; {{kb}} kB a file; RSS: PDF and deck in one process"
    return [{"measure": "report: PDF, per audit (info)", "seconds": got["pdf_seconds"], "rss_mb": r.rss_mb,
             "note": note.format(kb=got["bytes"]["pdf"] // 1000)},
            {"measure": "report: deck (pptx), per audit (info)", "seconds": got["pptx_seconds"], "rss_mb": r.rss_mb,
             "note": note.format(kb=got["bytes"]["pptx"] // 1000)}]


if __name__ == "__main__":
    print(json.dumps(measure(*sys.argv[1:])))
