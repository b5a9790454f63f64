"""Problems found in audit files, and how they are printed.

Every error and warning the tool reports is a :class:`Problem`: a file, a line and
column (1-based), a level, a message and the name of the rule that found it. Output
follows yamllint's style so editors and CI can jump to the spot::

    >>> p = Problem("audits/a.yaml", 3, 7, "error", "unknown key 'titel' (did you mean 'title'?)", "unknown-key")
    >>> print(p.format())
    audits/a.yaml:3:7: error: unknown key 'titel' (did you mean 'title'?) (unknown-key)
    >>> print(p.format("github"))
    ::error file=audits/a.yaml,line=3,col=7,title=unknown-key::unknown key 'titel' (did you mean 'title'?)
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Iterable

from ..charset import github_message, github_property, shown

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    col: int
    level: str
    message: str
    rule: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", short_numbers(self.message))

    def format(self, style: str = "text") -> str:
        if style == "github":
            # GitHub's workflow-command syntax: properties and message escaped as GitHub
            # documents, so a file name or a key cannot forge another annotation.
            return (f"::{self.level} file={github_property(self.path)},line={self.line},col={self.col},"
                    f"title={github_property(self.rule)}::{github_message(self.message)}")
        # Control characters from a file name or an audit's key never reach the terminal raw.
        return f"{shown(self.path)}:{self.line}:{self.col}: {self.level}: {shown(self.message)} ({self.rule})"


_LONG_NUMBER = re.compile(r"\d{41,}")


def short_numbers(message: str) -> str:
    """``message`` with every number of more than 40 digits shortened: a value pasted by
    mistake (or by an attacker) is named, not echoed whole, in errors.

    >>> short_numbers("message score " + "9" * 900 + " is off the scale 1..5")
    'message score 999999999999…9999 (900 digits) is off the scale 1..5'
    """
    return _LONG_NUMBER.sub(lambda m: f"{m.group()[:12]}…{m.group()[-4:]} ({len(m.group())} digits)", message)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """A " (did you mean 'x'?)" suffix, or "" when nothing is close.

    >>> did_you_mean("titel", ["title", "client"])
    " (did you mean 'title'?)"
    >>> did_you_mean("zzz", ["title"])
    ''
    """
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    return sorted(problems, key=lambda p: (p.path, p.line, p.col, p.level != ERROR, p.message))
