"""The ``journey-audit`` command line: a thin layer over the library.

Each subcommand parses its arguments and calls one library function; errors in the
user's files come back as problems and are printed, never as tracebacks.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, NamedTuple, Sequence

from . import __version__
from .audit.portfolio import load_portfolio
from .audit.problems import ERROR, Problem
from .charset import shown
from .errors import JourneyAuditError

Handler = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]  # adds one subcommand's arguments


def print_problems(problems: Sequence[Problem], style: str = "text", stream=None) -> None:
    stream = stream or sys.stderr
    for p in problems:
        print(p.format(style), file=stream)


def _problem_summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.level == ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def _paths(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="audit files or folders (default: audits/)")


def _github_format(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "github"), default="text",
                   help="'github' prints GitHub Actions annotations")


# -- validate -------------------------------------------------------------------

def _validate_arguments(p: argparse.ArgumentParser) -> None:
    _paths(p)
    p.add_argument("--strict", action="store_true", help="fail on warnings too")
    _github_format(p)


def cmd_validate(args: argparse.Namespace) -> int:
    portfolio = load_portfolio(args.paths)
    style = args.format
    print_problems(portfolio.problems, style, sys.stdout if style == "github" else sys.stderr)
    failing = portfolio.errors or (args.strict and portfolio.warnings)
    if style == "text":
        n = len(portfolio.audits)
        verdict = "failed" if failing else "ok"
        print(f"{verdict}: {n} valid audit{'s' * (n != 1)}; {_problem_summary(portfolio.problems)}",
              file=sys.stderr)
    return 1 if failing else 0


# -- scores ---------------------------------------------------------------------

def cmd_scores(args: argparse.Namespace) -> int:
    from .figures.summary import summary_table

    portfolio = load_portfolio(args.paths)
    print_problems(portfolio.problems)
    if portfolio.audits:
        print(_shown_lines(summary_table(portfolio.audits)))
    return 1 if portfolio.errors else 0


def _shown_lines(text: str) -> str:
    """Text for the terminal: control characters from audits or file names escaped, line by line."""
    return "\n".join(shown(line) for line in text.split("\n"))


# -- schema ---------------------------------------------------------------------

def _schema_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", help="write to this file instead of standard output")


def cmd_schema(args: argparse.Namespace) -> int:
    from .audit.schema import schema_json

    text = schema_json()
    if args.output:
        Path(args.output).parent.mkdir(parents=True, exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


# -- new ------------------------------------------------------------------------

def _new_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("slug", help="the audit's id and file name, e.g. acme-2026q4")
    p.add_argument("--client", required=True, help="who the audit is for")
    p.add_argument("--title", help="title of the audit")
    p.add_argument("--audits", default="audits", help="audits folder (default: audits)")
    p.add_argument("--schema", default="schema/audit.schema.json", help="schema path for the editor modeline")


def cmd_new(args: argparse.Namespace) -> int:
    from .audit.starter import write_starter
    from .audit.validate import validate_file

    if not __import__("re").fullmatch(r"[a-z0-9][a-z0-9-]*", args.slug):
        print(f"error: '{args.slug}' is not a valid audit id: use lowercase letters, digits and hyphens "
              "(e.g. acme-2026q4)", file=sys.stderr)
        return 2
    try:
        path = write_starter(args.slug, args.client, Path(args.audits), Path(args.schema), title=args.title)
    except FileExistsError as exc:
        print(f"error: {exc} already exists; choose another id or edit that file", file=sys.stderr)
        return 1
    _, problems = validate_file(path, str(path))
    print_problems(problems)
    print(f"wrote {path}: fill it in, then run `journey-audit validate {path}`")
    return 1 if any(p.level == ERROR for p in problems) else 0


# -- diagram --------------------------------------------------------------------

def _diagram_arguments(p: argparse.ArgumentParser) -> None:
    _paths(p)
    p.add_argument("--format", choices=("svg", "png", "dot"), default="svg", help="file format (default: svg)")
    p.add_argument("--out", default="diagrams", metavar="DIR", help="folder to write <audit id>.<format> into "
                   "(default: diagrams)")
    p.add_argument("--cache", metavar="DIR", help="the cache folder, where drawn diagrams are kept for the next "
                   "run, as the site's plugin keeps them (default: .cache/journey-audit)")
    p.add_argument("--no-cache", action="store_true", help="draw everything again, keep nothing")


def cmd_diagram(args: argparse.Namespace) -> int:
    from .cache import DEFAULT_ROOT, Cache
    from .diagram.dot import DiagramTooLarge, dot_source
    from .diagram.render import RenderError, render_many

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


# -- build, serve ----------------------------------------------------------------

def cmd_build(args: argparse.Namespace) -> int:
    from .site.build import build_site

    return build_site(config=args.config, audits=args.audits, site_dir=args.site_dir, strict=args.strict,
                      client=args.client, include_internal=args.include_internal, drafts=args.drafts)


def cmd_serve(args: argparse.Namespace) -> int:
    from .site.build import serve_site

    return serve_site(config=args.config, audits=args.audits, dev_addr=args.dev_addr, strict=args.strict,
                      client=args.client, include_internal=args.include_internal, drafts=args.drafts)


def _site_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--audits", type=Path, metavar="DIR", help="audits folder (default: the plugin's, audits/)")
    p.add_argument("--config", type=Path, metavar="FILE",
                   help="MkDocs configuration (default: mkdocs.yml, else a built-in one)")
    p.add_argument("--strict", action="store_true", help="fail on any warning, of the audits or of MkDocs")
    p.add_argument("--client", metavar="ID", help="the site of this client only (a client_id; see "
                   "`journey-audit clients`)")
    p.add_argument("--include-internal", action="store_true",
                   help="publish internal notes too (a site for the consulting team, never for a client)")
    p.add_argument("--drafts", action="store_true", help="publish draft audits too (never for a client)")


def _build_arguments(p: argparse.ArgumentParser) -> None:
    _site_options(p)
    p.add_argument("--site-dir", type=Path, metavar="DIR", help="output folder (default: the config's, site/)")


def _serve_arguments(p: argparse.ArgumentParser) -> None:
    _site_options(p)
    p.add_argument("--dev-addr", metavar="HOST:PORT", help="address to serve on (default 127.0.0.1:8000)")


# -- clients, verify-site ----------------------------------------------------------

def _clients_arguments(p: argparse.ArgumentParser) -> None:
    _paths(p)
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="one id per line, or a JSON list (for a CI matrix)")


def cmd_clients(args: argparse.Namespace) -> int:
    import json

    portfolio = load_portfolio(args.paths)
    print_problems(portfolio.problems)
    if portfolio.errors:
        return 1
    ids = sorted(portfolio.clients())
    print(json.dumps(ids) if args.format == "json" else "\n".join(ids))
    return 0


def _verify_site_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("site", type=Path, metavar="DIR", help="the built site (e.g. site/)")
    p.add_argument("--client", metavar="ID", help="the client the site is for; without it, only internal notes "
                   "and drafts are looked for")
    p.add_argument("--audits", type=Path, default=Path("audits"), metavar="DIR",
                   help="the whole audits folder, every client (default: audits)")
    p.add_argument("--docs", type=Path, default=Path("docs"), metavar="DIR",
                   help="the docs folder, for hand-written pages marked for other clients (default: docs)")
    p.add_argument("--max-per-file", type=int, default=20, metavar="N", help="finds listed per file (default: 20)")


def cmd_verify_site(args: argparse.Namespace) -> int:
    from .site.verify_site import VerifyError, verify_site

    portfolio = load_portfolio([args.audits])
    if portfolio.errors:
        print_problems(portfolio.errors)
        print("error: fix the audits first: the check needs every audit to know what to look for", file=sys.stderr)
        return 2
    try:
        report = verify_site(args.site, portfolio.audits, args.client, args.docs)
    except VerifyError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shown: dict[str, int] = {}
    for leak in report.leaks:  # a full site checked as one client's finds thousands: a few per file say enough
        shown[leak.path] = shown.get(leak.path, 0) + 1
        if shown[leak.path] <= args.max_per_file:
            print(leak.format())
        elif shown[leak.path] == args.max_per_file + 1:
            more = sum(x.path == leak.path for x in report.leaks) - args.max_per_file
            print(f"{leak.path}: … and {more} more")
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    whose = f"client {args.client}'s site" if args.client else "the site"
    n = len(report.leaks)
    print(f"{'LEAK' if n else 'ok'}: {whose} {args.site}: {report.files} files, {report.needles} texts looked for, "
          f"{n} found" + (" (do not deploy it)" if n else ""), file=sys.stderr)
    return 1 if n else 0


# -- review in git: diff, textconv, git-setup, fmt, check ------------------------

DIFF_DESCRIPTION = ("Compare OLD and NEW (files, or REV:PATH as in git show), or with --git every "
                    "audit changed between REV1 and REV2 (default: the working tree).")


def _diff_arguments(p: argparse.ArgumentParser) -> None:
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

    from .review.diff_format import render
    from .review.gitsource import GitError, file_diffs

    if not (1 <= len(args.sources) <= 2 if args.git else len(args.sources) == 2):
        print("error: diff takes OLD NEW (files or REV:PATH), or --git REV1 [REV2]", file=sys.stderr)
        return 2
    try:
        files = file_diffs(args.sources, args.git, args.path or ["audits"])
    except GitError as exc:
        print(_shown_lines(f"error: {exc}"), file=sys.stderr)
        return 1
    color = args.color == "always" or (args.color == "auto" and sys.stdout.isatty() and not os.environ.get("NO_COLOR"))
    sys.stdout.write(render(files, args.format, color))
    return 1 if any(f.problems for f in files) else 0


def _textconv_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file")


def cmd_textconv(args: argparse.Namespace) -> int:
    from .review.textconv import textconv

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        print(f"error: cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 1
    # Bytes, not text: git reads UTF-8 whatever this process's locale says.
    sys.stdout.buffer.write(textconv(data, args.file).encode("utf-8"))
    return 0


def _git_setup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--audits", default="audits", help="audits folder, from the top of the repository "
                   "(default: audits)")


def cmd_git_setup(args: argparse.Namespace) -> int:
    from .review.gitsource import GitError, git_setup

    try:
        for line in git_setup(args.audits):
            print(line)
    except GitError as exc:
        print(_shown_lines(f"error: {exc}"), file=sys.stderr)
        return 1
    return 0


def _fmt_arguments(p: argparse.ArgumentParser) -> None:
    _paths(p)
    p.add_argument("--check", action="store_true", help="only list files that need formatting; exit 1 if any")


def cmd_fmt(args: argparse.Namespace) -> int:
    from .audit.fmt import format_paths

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


def _check_arguments(p: argparse.ArgumentParser) -> None:
    _paths(p)
    p.add_argument("--config", default="journey-audit.gates.yaml", metavar="FILE",
                   help="gates file (default: journey-audit.gates.yaml)")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="date to check due dates against (default: today)")
    p.add_argument("--all-rounds", action="store_true",
                   help="check every audit, not only the latest round of each client")
    p.add_argument("--verbose", action="store_true", help="also list the gates that pass or are skipped")
    _github_format(p)


def cmd_check(args: argparse.Namespace) -> int:
    import datetime as dt

    from .figures.gates import check_audits, load_gates

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
    results = check_audits(portfolio.audits, gates, today, args.all_rounds)
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
              f"{warnings} warning{'s' * (warnings != 1)}", file=sys.stderr)
    return 1 if failing else 0


# -- parser ---------------------------------------------------------------------

class Command(NamedTuple):
    """A subcommand: its name, what runs it, what adds its arguments, and its help."""

    name: str
    run: Handler
    arguments: Arguments
    help: str
    description: str | None = None


# The subcommands, in the order `journey-audit --help` lists them. A new one is a
# cmd_ function, a function adding its arguments, and a line here.
COMMANDS = (
    Command("validate", cmd_validate, _validate_arguments, "check audit files and point at every mistake"),
    Command("scores", cmd_scores, _paths, "print each audit's headline figures"),
    Command("schema", cmd_schema, _schema_arguments,
            "print the JSON Schema of the audit format (for editor completion)"),
    Command("new", cmd_new, _new_arguments, "start a new audit from a commented template"),
    Command("diagram", cmd_diagram, _diagram_arguments,
            "write each audit's journey diagram (SVG, PNG or Graphviz DOT)"),
    Command("build", cmd_build, _build_arguments,
            "validate the audits and build the site (the old site stays if anything fails)"),
    Command("serve", cmd_serve, _serve_arguments, "validate, build and preview the site; rebuild when a file is saved"),
    Command("diff", cmd_diff, _diff_arguments, "what changed between two versions of an audit, in the audit's terms",
            DIFF_DESCRIPTION),
    Command("textconv", cmd_textconv, _textconv_arguments,
            "print an audit as canonical lines (git's textconv; see git-setup)"),
    Command("git-setup", cmd_git_setup, _git_setup_arguments,
            "make git diff and git log -p show audits readably (once per clone)"),
    Command("fmt", cmd_fmt, _fmt_arguments,
            "rewrite audits in canonical form (key order, indentation, quoting; comments kept, data unchanged)"),
    Command("check", cmd_check, _check_arguments,
            "evaluate score gates (journey-audit.gates.yaml); exit 1 on a failing error gate"),
    Command("clients", cmd_clients, _clients_arguments,
            "list the client ids of the audits (e.g. to build one site per client)"),
    Command("verify-site", cmd_verify_site, _verify_site_arguments,
            "check a built site for other clients, internal notes and drafts; exit 1 on any find "
            "(run it before deploying)"),
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="journey-audit",
        description="Touchpoint audits (接触点审计) in YAML → validation, scores, diagrams and a MkDocs site.")
    parser.add_argument("--version", action="version", version=f"journey-audit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        p = sub.add_parser(command.name, help=command.help, description=command.description)
        command.arguments(p)
        p.set_defaults(func=command.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except JourneyAuditError as exc:  # every user-facing error says what to do; no traceback
        print(_shown_lines(f"error: {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `journey-audit scores | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
