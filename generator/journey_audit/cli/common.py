"""What every subcommand shares: printing problems, the common arguments."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Callable, Sequence

from ..audit.problems import ERROR, Problem
from ..charset import shown

Handler = Callable[[argparse.Namespace], int]
Arguments = Callable[[argparse.ArgumentParser], None]  # adds one subcommand's arguments


def print_problems(problems: Sequence[Problem], style: str = "text", stream=None) -> None:
    stream = stream or sys.stderr
    for p in problems:
        print(p.format(style), file=stream)


def problem_summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.level == ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def paths_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", nargs="*", type=Path, metavar="PATH",
                   help="audit files or folders (default: audits/)")


def github_format_argument(p: argparse.ArgumentParser) -> None:
    p.add_argument("--format", choices=("text", "github"), default="text",
                   help="'github' prints GitHub Actions annotations")


def shown_lines(text: str) -> str:
    """Text for the terminal: control characters from audits or file names escaped, line by line."""
    return "\n".join(shown(line) for line in text.split("\n"))
