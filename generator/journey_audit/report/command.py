"""``journey-audit report``: the PDF report or the slide deck of each audit given.

One file per audit: ``--out FILE`` for a single audit, else ``--out DIR`` (default
``reports/``) gets ``<audit id>.pdf`` or ``<audit id>.pptx``. Audits are reported as
the client's site shows them: no drafts and no internal notes unless asked.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..audit.portfolio import load_portfolio
from ..cache import DEFAULT_ROOT, Cache
from ..errors import JourneyAuditError
from ..files import write_atomic
from .deck import report_pptx
from .pdf import report_pdf
from .source import report_views

MAKERS = {"pdf": report_pdf, "pptx": report_pptx}  # format → function(view, default_lang, cache) -> bytes


def arguments(p: argparse.ArgumentParser) -> None:
    """Adds the ``report`` subcommand's arguments to ``p``."""
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="audit files or folders (default: audits/)")
    p.add_argument("--format", choices=tuple(MAKERS), default="pdf", help="pdf (A4 report) or pptx (16:9 deck); "
                   "default: pdf")
    p.add_argument("--out", metavar="FILE|DIR", help="the file to write (one audit), or the folder to write "
                   "<audit id>.<format> into (default: reports)")
    p.add_argument("--drafts", action="store_true", help="report on drafts too (left out, as on the site)")
    p.add_argument("--include-internal", action="store_true",
                   help="show internal notes (never for a client's copy)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="language of an audit without `language`")
    p.add_argument("--no-cache", action="store_true", help="draw the diagrams again, keep nothing")


def _context(paths: list[Path]) -> list:
    """The audits beside the files given, so an audit's previous round is found without naming it."""
    folders = sorted({p.parent for p in paths if p.is_file()})
    return load_portfolio(folders).audits if folders else []


def run(args: argparse.Namespace) -> int:
    """Writes the reports; 0 when every audit given was reported, 1 otherwise (problems on stderr)."""
    portfolio = load_portfolio(args.paths)
    for problem in portfolio.problems:
        print(problem.format(), file=sys.stderr)
    wanted = {a.slug for a in portfolio.audits}
    audits = {a.slug: a for a in _context(list(args.paths or []))}
    audits.update({a.slug: a for a in portfolio.audits})
    views = [v for v in report_views(audits.values(), include_internal=args.include_internal, drafts=args.drafts)
             if v.audit.slug in wanted]
    skipped = sorted(wanted - {v.audit.slug for v in views})
    for slug in skipped:
        print(f"note: left out {slug}, a draft (as on the site); --drafts reports on it", file=sys.stderr)
    out = Path(args.out or "reports")
    to_file = args.out is not None and out.suffix.lower() == f".{args.format}" and not out.is_dir()
    if to_file and len(views) > 1:
        print(f"error: {len(views)} audits make {len(views)} files: give --out a folder", file=sys.stderr)
        return 2
    cache = None if args.no_cache else Cache(DEFAULT_ROOT)
    written = 0
    try:
        for view in views:
            data = MAKERS[args.format](view, args.lang, cache)
            write_atomic(out if to_file else out / f"{view.audit.slug}.{args.format}", data)
            written += 1
    except JourneyAuditError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: cannot write the report to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    print(f"wrote {written} {args.format} report{'s' * (written != 1)} to {out}", file=sys.stderr)
    return 1 if portfolio.errors or not views else 0
