"""What every rule family builds on: a :class:`Rule`, the :class:`Report` of one file, ``INVALID``.

A rule is an id (what a problem prints in brackets at the end of its line), its level
and one line saying what it asks of an audit::

    >>> r = Rule("funnel", WARNING, "prospects shrink from stage to stage; all stages give them or none")
    >>> r.id, r.level
    ('funnel', 'warning')

A family module (``structure``, ``values``, ``scale``, …) defines the ids it owns as
constants, its ``RULES``, its messages and its checks; the package's ``__init__``
holds the one registry of every family.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..problems import ERROR, WARNING, Problem

__all__ = ["ERROR", "INVALID", "WARNING", "Report", "Rule"]

# A value the structure walk could not use: it was reported and is left out of the model.
INVALID: Any = object()


@dataclass(frozen=True)
class Rule:
    """One validation rule: ``id`` as printed, ``level`` (error or warning), one line on what it asks."""

    id: str
    level: str
    description: str


class Report:
    """The problems found in one file, and the parts the structure walk left out.

    ``damaged`` holds what was wrong and is missing from the model (an optional field's
    name, or the kind of a list item): a check that needs it is skipped rather than
    judging with a default.
    """

    __slots__ = ("damaged", "path", "problems")

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.damaged: set[Any] = set()

    def error(self, line: int, col: int, message: str, rule: str) -> None:
        self.problems.append(Problem(self.path, line, col, ERROR, message, rule))

    def warn(self, line: int, col: int, message: str, rule: str) -> None:
        self.problems.append(Problem(self.path, line, col, WARNING, message, rule))

    def error_at(self, obj: Any, name: str, message: str, rule: str) -> None:
        """An error at the place field ``name`` of model object ``obj`` was written."""
        line, col = obj.at(name)
        self.problems.append(Problem(self.path, line, col, ERROR, message, rule))

    def warn_at(self, obj: Any, name: str, message: str, rule: str) -> None:
        line, col = obj.at(name)
        self.problems.append(Problem(self.path, line, col, WARNING, message, rule))

    def intact(self, *parts: Any) -> bool:
        """True when none of ``parts`` was left out of the model."""
        return not self.damaged.intersection(parts)
