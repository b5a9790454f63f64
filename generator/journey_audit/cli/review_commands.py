"""Subcommands for reviewing and guarding audits in git: diff, textconv, git-setup, fmt, check."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..audit.portfolio import load_portfolio
from .common import (
    github_format_argument,
    paths_argument,
    print_problems,
    shown_lines,
)

# -- review in git: diff, textconv, git-setup, fmt, check ------------------------

DIFF_DESCRIPTION = ("Compare OLD and NEW (files, or REV:PATH as in git show), or with --git every "
                    "audit changed between REV1 and REV2 (default: the working tree).")


def diff_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="OLD NEW; with --git: REV1 [REV2]")
    p.add_argument("--git", action="store_true", help="compare every audit changed between two revisions")
    p.add_argument("--path", action="append", metavar="PATH",
                   help="with --git: where audits are (repeatable; default: audits)")
    p.add_argument("--format", choices=("text", "markdown", "json"), default="text",
                   help="text (terminal), markdown (pull-request comment) or json (fields: see "
                        "journey_audit/diff_format.py)")
    p.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                   help="colour text output (auto: on a terminal, unless NO_COLOR is set)")


def cmd_diff(args: argparse.Namespace) -> int:
    import os

    from ..review.diff_format import render
    from ..review.gitsource import GitError, file_diffs

    if not (1 <= len(args.sources) <= 2 if args.git else len(args.sources) == 2):
        print("error: diff takes OLD NEW (files or REV:PATH), or --git REV1 [REV2]", file=sys.stderr)
        return 2
    try:
        files = file_diffs(args.sources, args.git, args.path or ["audits"])
    except GitError as exc:
        print(shown_lines(f"error: {exc}"), file=sys.stderr)
        return 1
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    sys.stdout.write(render(files, args.format, color))
    return 1 if any(f.problems for f in files) else 0


def textconv_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")


def cmd_textconv(args: argparse.Namespace) -> int:
    from ..review.textconv import textconv

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    # Bytes, not text: git reads UTF-8 whatever this process's locale says.
    sys.stdout.buffer.write(textconv(data, args.file).encode("utf-8"))
    return 0


def git_setup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--audits", default="audits", help="audits folder, from the top of the repository "
                   "(default: audits)")


def cmd_git_setup(args: argparse.Namespace) -> int:
    from ..review.gitsource import GitError, git_setup

    try:
        for line in git_setup(args.audits):
            print(line)
    except GitError as exc:
        print(shown_lines(f"error: {exc}"), file=sys.stderr)
        return 1
    return 0


def fmt_arguments(p: argparse.ArgumentParser) -> None:
    paths_argument(p)
    p.add_argument("--check", action="store_true", help="only list files that need formatting; exit 1 if any")


def cmd_fmt(args: argparse.Namespace) -> int:
    from ..audit.fmt import format_paths

    results, problems = format_paths(args.paths, check=args.check)
    problems += [p for r in results for p in r.problems]
    print_problems(problems)
    changed = [r.path for r in results if r.changed and not r.problems]
    for path in changed:
        print(f"would reformat {path}" if args.check else f"formatted {path}")
    n, same = len(changed), sum(not r.changed and not r.problems for r in results)
    verb = "would be reformatted" if args.check else "formatted"
    print(f"{n} file{'s' * (n != 1)} {verb}, {same} already canonical"
          + (f", {len(problems)} problem{'s' * (len(problems) != 1)}" if problems else ""), file=sys.stderr)
    return 1 if problems or (args.check and changed) else 0


def check_arguments(p: argparse.ArgumentParser) -> None:
    paths_argument(p)
    p.add_argument("--config", default="journey-audit.gates.yaml", metavar="FILE",
                   help="gates file (default: journey-audit.gates.yaml)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="date to check due dates against (default: today)")
    p.add_argument("--all-rounds", action="store_true",
                   help="check every audit, not only the latest round of each client")
    p.add_argument("--verbose", action="store_true", help="also list the gates that pass or are skipped")
    p.add_argument("--drafts", action="store_true", help="count draft audits as rounds too (default: left out)")
    github_format_argument(p)


def cmd_check(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..figures.gates import check_audits, load_gates

    try:
        today = dt.date.fromisoformat(args.today) if args.today else None
    except ValueError:
        print(f"error: --today '{args.today}' is not a date: write YYYY-MM-DD", file=sys.stderr)
        return 2
    gates, problems = load_gates(Path(args.config), args.config)
    if problems:
        print_problems(problems, args.format)
        return 1
    portfolio = load_portfolio(args.paths)
    print_problems(portfolio.problems, args.format, sys.stdout if args.format == "github" else sys.stderr)
    results = check_audits(portfolio.audits, gates, today, args.all_rounds, args.drafts)
    for r in results:
        if r.failed or (args.verbose and args.format == "text"):
            print(r.format(args.format))
    errors = sum(r.failed and r.gate.level == "error" for r in results)
    warnings = sum(r.failed and r.gate.level == "warn" for r in results)
    failing = errors or portfolio.errors
    if args.format == "text":
        checked = len({r.path for r in results})
        print(f"{'failed' if failing else 'ok'}: {len(gates)} gate{'s' * (len(gates) != 1)} on {checked} "
              f"audit{'s' * (checked != 1)}; {errors} error{'s' * (errors != 1)}, "
              f"{warnings} warning{'s' * (warnings != 1)}" + _invalid(len(portfolio.errors)), file=sys.stderr)
    return 1 if failing else 0


def _invalid(count: int) -> str:
    """The summary's word on audits that could not be checked: their errors are listed above."""
    return f"; and {count} error{'s' * (count != 1)} in the audits (listed above)" if count else ""
