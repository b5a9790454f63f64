"""The ``journey-audit`` command line: a thin layer over the library.

Each subcommand parses its arguments and calls one library function; errors in the
user's files come back as problems and are printed, never as tracebacks.
"""

from __future__ import annotations

import argparse
import sys
from typing import NamedTuple, Sequence

from .. import __version__
from ..errors import JourneyAuditError
from .audit_commands import (
    cmd_diagram,
    cmd_new,
    cmd_report,
    cmd_schema,
    cmd_scores,
    cmd_validate,
    diagram_arguments,
    new_arguments,
    report_arguments,
    schema_arguments,
    validate_arguments,
)
from .common import Arguments, Handler, paths_argument, shown_lines
from .review_commands import (
    DIFF_DESCRIPTION,
    check_arguments,
    cmd_check,
    cmd_diff,
    cmd_fmt,
    cmd_git_setup,
    cmd_textconv,
    diff_arguments,
    fmt_arguments,
    git_setup_arguments,
    textconv_arguments,
)
from .site_commands import (
    build_arguments,
    clients_arguments,
    cmd_build,
    cmd_clients,
    cmd_export_docs,
    cmd_serve,
    cmd_verify_site,
    export_docs_arguments,
    serve_arguments,
    verify_site_arguments,
)

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
    Command("validate", cmd_validate, validate_arguments, "check audit files and point at every mistake"),
    Command("scores", cmd_scores, paths_argument, "print each audit's headline figures"),
    Command("schema", cmd_schema, schema_arguments,
            "print the JSON Schema of the audit format (for editor completion)"),
    Command("new", cmd_new, new_arguments, "start a new audit from a commented template"),
    Command("diagram", cmd_diagram, diagram_arguments,
            "write each audit's journey diagram (SVG, PNG or Graphviz DOT)"),
    Command("report", cmd_report, report_arguments, "the PDF report or slide deck of each audit, for the client"),
    Command("build", cmd_build, build_arguments,
            "validate the audits and build the site (the old site stays if anything fails)"),
    Command("serve", cmd_serve, serve_arguments, "validate, build and preview the site; rebuild when a file is saved"),
    Command("export-docs", cmd_export_docs, export_docs_arguments,
            "write the site as a plain docs tree with its mkdocs.yml (for `zensical build` or `mkdocs build`)"),
    Command("diff", cmd_diff, diff_arguments, "what changed between two versions of an audit, in the audit's terms",
            DIFF_DESCRIPTION),
    Command("textconv", cmd_textconv, textconv_arguments,
            "print an audit as canonical lines (git's textconv; see git-setup)"),
    Command("git-setup", cmd_git_setup, git_setup_arguments,
            "make git diff and git log -p show audits readably (once per clone)"),
    Command("fmt", cmd_fmt, fmt_arguments,
            "rewrite audits in canonical form (key order, indentation, quoting; comments kept, data unchanged)"),
    Command("check", cmd_check, check_arguments,
            "evaluate score gates (journey-audit.gates.yaml); exit 1 on a failing error gate"),
    Command("clients", cmd_clients, clients_arguments,
            "list the client ids of the audits (e.g. to build one site per client)"),
    Command("verify-site", cmd_verify_site, verify_site_arguments,
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
        print(shown_lines(f"error: {exc}"), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `journey-audit scores | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
