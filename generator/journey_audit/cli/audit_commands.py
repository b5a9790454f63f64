"""Subcommands on audit files: validate, scores, schema, new, diagram, report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..audit.portfolio import load_portfolio
from ..audit.problems import ERROR
from .common import (
    github_format_argument,
    paths_argument,
    print_problems,
    problem_summary,
    shown_lines,
)

# -- validate -------------------------------------------------------------------

def validate_arguments(p: argparse.ArgumentParser) -> None:
    paths_argument(p)
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    github_format_argument(p)


def cmd_validate(args: argparse.Namespace) -> int:
    portfolio = load_portfolio(args.paths)
    style = args.format
    print_problems(portfolio.problems, style, sys.stdout if style == "github" else sys.stderr)
    failing = portfolio.errors or (args.strict and portfolio.warnings)
    if style == "text":
        n = len(portfolio.audits)
        verdict = "failed" if failing else "ok"
        print(f"{verdict}: {n} valid audit{'s' * (n != 1)}; {problem_summary(portfolio.problems)}",
              file=sys.stderr)
    return 1 if failing else 0


# -- scores ---------------------------------------------------------------------

def cmd_scores(args: argparse.Namespace) -> int:
    from ..figures.summary import summary_table

    portfolio = load_portfolio(args.paths)
    print_problems(portfolio.problems)
    if portfolio.audits:
        print(shown_lines(summary_table(portfolio.audits)))
    return 1 if portfolio.errors else 0


# -- schema ---------------------------------------------------------------------

def schema_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", help="write to this file instead of standard output")


def cmd_schema(args: argparse.Namespace) -> int:
    from ..audit.schema import schema_json

    text = schema_json()
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


# -- new ------------------------------------------------------------------------

def new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("slug", help="the audit's id and file name, e.g. acme-2026q4")
    p.add_argument("--client", help="who the audit is for (required without --from)")
    p.add_argument("--from", dest="previous", metavar="PREVIOUS",
                   help="the previous round's audit file: start from it (scores and measurements left to fill)")
    p.add_argument("--title", help="title of the audit")
    p.add_argument("--audits", default="audits", help="audits folder (default: audits)")
    p.add_argument("--schema", default="schema/audit.schema.json", help="schema path for the editor modeline")


def cmd_new(args: argparse.Namespace) -> int:
    from ..audit.starter import StarterRefused, write_starter
    from ..audit.validate import slugify, validate_file

    if not __import__("re").fullmatch(r"[a-z0-9][a-z0-9-]*", args.slug):
        print(f"error: '{args.slug}' is not a valid audit id: use lowercase letters, digits and hyphens "
              "(e.g. acme-2026q4)", file=sys.stderr)
        return 2
    if args.previous is not None:
        from ..audit.starter import audit_file_with_id

        folders = {Path(args.audits), Path(args.previous).parent.parent}  # the audits folder, and the previous's
        taken = next((t for t in (audit_file_with_id(f, args.slug) for f in folders) if t is not None), None)
        if taken is not None:
            print(f"error: audit id '{args.slug}' is already used by {taken} (the file name is the audit's id, unique "
                  "in audits/); choose another id", file=sys.stderr)
            return 1
        return _new_from(args)
    if args.client is None:
        print("error: give --client (who the audit is for) or --from PREVIOUS", file=sys.stderr)
        return 2
    try:
        path = write_starter(args.slug, args.client, Path(args.audits), Path(args.schema), title=args.title)
    except FileExistsError as exc:
        print(f"error: {exc} already exists; choose another id or edit that file", file=sys.stderr)
        return 1
    except StarterRefused as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _, problems = validate_file(path, str(path))
    print_problems(problems)
    if path.parent.name != (slugify(args.client) or path.parent.name):
        print(f"note: client id '{slugify(args.client)}' is a name the site uses itself; wrote client_id: "
              f"{path.parent.name} (change it in the file if you like)")
    print(f"wrote {path}: fill it in, then run `journey-audit validate {path}`")
    return 1 if any(p.level == ERROR for p in problems) else 0


def _new_from(args: argparse.Namespace) -> int:
    """``new SLUG --from PREVIOUS``: the next round beside the previous one (format 1.1)."""
    from ..audit.next_round import write_next_round

    target, problems, message = write_next_round(Path(args.previous), args.slug, args.title)
    print_problems(problems)
    print(message, file=sys.stdout if target else sys.stderr)
    return 0 if target else 1


# -- diagram --------------------------------------------------------------------

def diagram_arguments(p: argparse.ArgumentParser) -> None:
    paths_argument(p)
    p.add_argument("--format", choices=("svg", "png", "dot"), default="svg", help="file format (default: svg)")
    p.add_argument("--out", default="diagrams", metavar="DIR", help="folder to write <audit id>.<format> into "
                   "(default: diagrams)")
    p.add_argument("--cache", metavar="DIR", help="the cache folder, where drawn diagrams are kept for the next "
                   "run, as the site's plugin keeps them (default: .cache/journey-audit)")
    p.add_argument("--no-cache", action="store_true", help="draw everything again, keep nothing")


def cmd_diagram(args: argparse.Namespace) -> int:
    from ..cache import DEFAULT_ROOT, Cache
    from ..diagram.dot import DiagramTooLarge, dot_source
    from ..diagram.render import RenderError, render_many

    portfolio = load_portfolio(args.paths)
    print_problems(portfolio.problems)
    audits, sources, too_large = [], [], 0
    for a in portfolio.audits:
        try:
            sources.append(dot_source(a))
        except DiagramTooLarge as exc:
            print(f"error: {exc}", file=sys.stderr)
            too_large += 1
            continue
        audits.append(a)
    if args.format == "dot":
        outputs = [s.encode("utf-8") for s in sources]
    else:
        cache = None if args.no_cache else Cache(Path(args.cache) if args.cache else DEFAULT_ROOT)
        try:  # draw everything before writing anything: a failure leaves no half-written folder
            outputs = render_many(sources, args.format, cache, names=[a.path for a in audits])
        except RenderError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        for audit, data in zip(audits, outputs):
            target = out / f"{audit.slug}.{args.format}"
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_bytes(data)
            tmp.replace(target)
    except OSError as exc:
        print(f"error: cannot write the diagrams to {out}: {exc.strerror or exc}", file=sys.stderr)
        return 1
    n = len(audits)
    print(f"wrote {n} {args.format} diagram{'s' * (n != 1)} to {out}", file=sys.stderr)
    return 1 if portfolio.errors or too_large else 0


def cmd_report(args: argparse.Namespace) -> int:
    from ..report.command import run

    return run(args)


def report_arguments(p: argparse.ArgumentParser) -> None:
    from ..report.command import arguments

    arguments(p)
