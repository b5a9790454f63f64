"""Subcommands on the site: build, serve, export-docs, clients, verify-site."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .. import progress
from ..audit.portfolio import load_portfolio
from ..charset import shown
from .common import (
    paths_argument,
    print_problems,
)

# -- build, serve ----------------------------------------------------------------

def _site_kwargs(args: argparse.Namespace) -> dict:
    return {"config": args.config, "audits": args.audits, "strict": args.strict, "client": args.client,
            "include_internal": args.include_internal, "drafts": args.drafts,
            "hide_auditor_names": args.hide_auditor_names}


@contextmanager
def terminated_as_interrupted() -> Iterator[None]:
    """SIGTERM ends the command as Ctrl-C does: the clean-up runs (temporary folders, a half-built site).

    Test harnesses, CI and process managers stop a server with SIGTERM, whose default
    ends the process at once and left a temporary folder behind each time.
    """
    if threading.current_thread() is not threading.main_thread():  # signals reach the main thread only
        yield
        return

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


@contextmanager
def long_command(args: argparse.Namespace) -> Iterator[None]:
    """What every site command runs in: SIGTERM as Ctrl-C, and its progress shown (bars or summary lines)."""
    with terminated_as_interrupted(), progress.reporting(progress.for_stream(sys.stderr, args.verbose)):
        yield


def cmd_build(args: argparse.Namespace) -> int:
    from ..site.export_docs import build_with
    if args.reports and args.engine != "mkdocs":
        print("error: --reports builds with MkDocs; for Zensical, set the plugin's `reports:` option in mkdocs.yml",
              file=sys.stderr)
        return 2
    reports = {"reports": args.reports} if args.reports else {}
    with long_command(args):
        return build_with(args.engine, site_dir=args.site_dir, **reports, **_site_kwargs(args))


def cmd_serve(args: argparse.Namespace) -> int:
    from ..site.export_docs import serve_with
    with long_command(args):
        return serve_with(args.engine, dev_addr=args.dev_addr, **_site_kwargs(args))


def cmd_export_docs(args: argparse.Namespace) -> int:
    from ..site.export_docs import export_command
    with long_command(args):
        return export_command(args.out, **_site_kwargs(args))


def _site_options(p: argparse.ArgumentParser, engine: bool = True) -> None:
    if engine:
        p.add_argument("--engine", choices=("mkdocs", "zensical"), default="mkdocs", help="mkdocs (the default) "
                       "or zensical (Material's successor; pip install journey-audit[zensical])")
    p.add_argument("--audits", type=Path, metavar="DIR", help="audits folder (default: the plugin's, audits/)")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="MkDocs configuration (default: mkdocs.yml, else a built-in one)")
    p.add_argument("--strict", action="store_true", help="fail on any warning, of the audits or of MkDocs")
    p.add_argument("--client", metavar="ID", help="the site of this client only (a client_id; see "
                   "`journey-audit clients`)")
    p.add_argument("--include-internal", action="store_true",
                   help="publish internal notes too (a site for the consulting team, never for a client)")
    p.add_argument("--drafts", action="store_true", help="publish draft audits too (never for a client)")
    p.add_argument("--hide-auditor-names", action="store_true",
                   help='show the auditors as "Auditor 1", "Auditor 2", … (a build with --include-internal '
                        "names them)")
    p.add_argument("--verbose", action="store_true",
                   help="list every warning (without it, a few of each rule and a count of the rest)")


def export_docs_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("out", type=Path, metavar="OUT", help="folder to write (replaced whole, once complete)")
    _site_options(p, engine=False)


def build_arguments(p: argparse.ArgumentParser) -> None:
    _site_options(p)
    p.add_argument("--site-dir", type=Path, metavar="DIR", help="output folder (default: the config's, site/)")
    p.add_argument("--reports", type=_report_formats, metavar="pdf,pptx", default=(),
                   help="add each audit's PDF report and/or slide deck to its page's downloads (seconds an "
                        "audit, cached; default: the plugin's `reports` option, none)")


def _report_formats(text: str) -> tuple[str, ...]:
    from ..errors import SiteError
    from ..site.report_files import report_formats
    try:
        return report_formats(text)
    except SiteError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def serve_arguments(p: argparse.ArgumentParser) -> None:
    _site_options(p)
    p.add_argument("--dev-addr", metavar="HOST:PORT", help="address to serve on (default 127.0.0.1:8000)")


# -- clients, verify-site ----------------------------------------------------------

def clients_arguments(p: argparse.ArgumentParser) -> None:
    paths_argument(p)
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="one id per line, or a JSON list (for a CI matrix)")
    p.add_argument("--drafts", action="store_true", help="also clients whose audits are all drafts")


def cmd_clients(args: argparse.Namespace) -> int:
    import json

    portfolio = load_portfolio(args.paths)
    print_problems(portfolio.problems)
    if portfolio.errors:
        return 1
    # A client with only drafts has no site to publish: a CI matrix built from this list
    # would fail on it (build --client refuses it), so it is left out unless asked.
    ids = sorted({a.client_id for a in portfolio.audits if a.client_id and (args.drafts or a.status != "draft")})
    print(json.dumps(ids) if args.format == "json" else "\n".join(ids))
    return 0


def verify_site_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("site", type=Path, metavar="DIR", help="the built site (e.g. site/)")
    p.add_argument("--client", metavar="ID", help="the client the site is for; without it, only internal notes "
                   "and drafts are looked for")
    p.add_argument("--audits", type=Path, default=Path("audits"), metavar="DIR",
                   help="the whole audits folder, every client (default: audits)")
    p.add_argument("--docs", type=Path, default=Path("docs"), metavar="DIR",
                   help="the docs folder, for hand-written pages marked for other clients (default: docs)")
    p.add_argument("--allow", type=Path, metavar="FILE",
                   help="the intentional mentions of other clients, each with its reason "
                        "(default: journey-audit.allow.yaml, when there is one)")
    p.add_argument("--max-per-file", type=int, default=20, metavar="N", help="finds listed per file (default: 20)")


def _unreadable_audits(portfolio) -> list:
    """Warn about each audit file that does not validate: the check goes on with who it is about
    (client, ids, title, people), read from it as far as it can be (see site.leaks.salvage)."""
    from ..site.leaks.salvage import salvage

    bad = sorted({p.path for p in portfolio.errors})
    salvaged = []
    for path in bad:
        first = next(p for p in portfolio.errors if p.path == path)
        found = salvage(Path(path), path) if path.endswith((".yaml", ".yml")) else None
        what = "only its client, ids, title and people are looked for" if found else "nothing of it is looked for"
        print(f"{shown(path)}:{first.line}:{first.col}: warning: the audit does not validate ({shown(first.message)}):"
              f" {what}; fix it and check again", file=sys.stderr)
        salvaged += [found] if found else []
    return salvaged


def cmd_verify_site(args: argparse.Namespace) -> int:
    from ..site.leaks.allow import DEFAULT_ALLOW, read_allow
    from ..site.verify_site import VerifyError, verify_site

    portfolio = load_portfolio([args.audits])
    unreadable = len({p.path for p in portfolio.errors})
    salvaged = _unreadable_audits(portfolio)
    if not portfolio.audits:
        print("error: no audit could be read: the check needs the audits to know what to look for", file=sys.stderr)
        return 2
    try:
        allow = read_allow(args.allow or (DEFAULT_ALLOW if DEFAULT_ALLOW.is_file() else None))
        report = verify_site(args.site, portfolio.audits + salvaged, args.client, args.docs, allow)
    except VerifyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    _print_leaks(report.leaks, args.max_per_file)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    whose = f"client {args.client}'s site" if args.client else "the site"
    n = len(report.leaks)
    extra = "".join([f", {len(report.allowed)} allowed by {allow.path}" if report.allowed else "",
                     f", {unreadable} audit{'s' * (unreadable != 1)} that do{'es' * (unreadable == 1)} not validate (see the "
                     "warnings above)" if unreadable else ""])
    theme = f" (and {report.theme} of the theme, unchanged)" if report.theme else ""
    print(f"{'LEAK' if n else 'ok'}: {whose} {args.site}: {report.files} files{theme}, {report.needles} texts looked for, "
          f"{n} found{extra}" + (" (do not deploy it)" if n else ""), file=sys.stderr)
    return 1 if n else 0


def _print_leaks(leaks, max_per_file: int) -> None:
    shown: dict[str, int] = {}
    for leak in leaks:  # a full site checked as one client's finds thousands: a few per file say enough
        shown[leak.path] = shown.get(leak.path, 0) + 1
        if shown[leak.path] <= max_per_file:
            print(leak.format())
        elif shown[leak.path] == max_per_file + 1:
            more = sum(x.path == leak.path for x in leaks) - max_per_file
            print(f"{leak.path}: … and {more} more")
