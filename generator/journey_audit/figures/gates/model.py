"""What gates are made of: a :class:`Gate` from the config, the :class:`Context` a rule
checks one audit in, and the :class:`GateResult` it gives for each thing it checks.

The rules themselves (what each checks, its wording) are the modules of
:mod:`journey_audit.figures.gates.rules`; a gate finds its rule by id.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Mapping, NamedTuple

from ...audit.model import Audit
from ...audit.problems import ERROR, WARNING, Problem
from ...charset import github_message, github_property, shown
from ..scoring import AuditFigures

LEVELS = ("error", "warn")


def rule_module(rule_id: str) -> ModuleType:
    """The module of rule ``rule_id`` (KeyError for an unknown one)."""
    from .rules import get  # the rules import this module: look them up when asked

    return get(rule_id)


@dataclass(frozen=True)
class Gate:
    """One rule from the config, with its parameters (defaults filled in)."""

    rule: str
    level: str  # "error" or "warn"
    params: dict[str, Any]
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def sentence(self, lang: str | None) -> str:
        """The gate in words, in ``lang`` (a page shows it), e.g. "The audit's overall score is at least 3.5"."""
        return rule_module(self.rule).describe(self.params, lang)

    def describe(self) -> str:
        """The gate in English words, e.g. "every moment of truth scores at least 3 on message".

        >>> Gate("stage-drop", "error", {"max_drop": 0.5, "figure": "consistency"}).describe()
        'no stage drops more than 0.5 on consistency since the previous round'
        """
        text = self.sentence("en")
        return text[:1].lower() + text[1:]


class Found(NamedTuple):
    """What a result found, in a page's words: ``text`` (plain text), and the text of
    the item it is about (a recommendation), shown after it, or None."""

    text: str
    item: str | None = None


@dataclass(frozen=True)
class GateResult:
    """The outcome of one gate for one thing it checks (a touchpoint, a stage, …).

    ``outcome`` is ``pass``, ``fail`` or ``skip`` (nothing to check, e.g. no previous
    round). ``line``/``col`` point into the audit where a line makes sense (the
    score, the stage, the due date), else they are None. ``value`` and ``threshold``
    are the shown figure and the gate's limit, as text (for messages and the CLI).

    ``subject_kind`` (``touchpoint`` or ``stage``) and ``subject_name`` say what the
    result is about, as the audit names it; ``facts`` holds the rule's values as
    values (figures as numbers, dates as :class:`datetime.date`, a skip's ``reason``),
    for the pages to word without reading them back out of text.
    """

    gate: Gate
    outcome: str
    message: str
    path: str
    line: int | None = None
    col: int | None = None
    subject: str | None = None  # touchpoint or stage id
    value: str | None = None
    threshold: str | None = None
    subject_kind: str | None = None
    subject_name: str | None = None
    facts: Mapping[str, Any] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        return self.outcome == "fail"

    @property
    def level(self) -> str:
        """``error`` or ``warning``, as problems print it."""
        return ERROR if self.gate.level == "error" else WARNING

    def found(self, lang: str | None) -> Found:
        """What this result found, in ``lang``, as its rule words it."""
        return rule_module(self.gate.rule).found(self, lang)

    def format(self, style: str = "text") -> str:
        """yamllint style, ``path:line:col: level: message (gate rule)``, without a line
        when none makes sense; a gate that passed or was skipped says so instead of a level.

        >>> g = Gate("overall", "warn", {"min": 3.5, "figure": "score"})
        >>> print(GateResult(g, "fail", "overall score 3.2 is below 3.5", "audits/a.yaml").format())
        audits/a.yaml: warning: overall score 3.2 is below 3.5 (gate overall)
        """
        level = self.level if self.failed else self.outcome
        if style == "github" and self.failed:
            if self.line is not None:
                return Problem(self.path, self.line, self.col or 1, level, self.message,
                               f"gate {self.gate.rule}").format(style)
            return (f"::{level} file={github_property(self.path)},title={github_property('gate ' + self.gate.rule)}"
                    f"::{github_message(self.message)}")
        where = shown(self.path) if self.line is None else f"{shown(self.path)}:{self.line}:{self.col or 1}"
        return f"{where}: {level}: {shown(self.message)} (gate {self.gate.rule})"


@dataclass(frozen=True)
class Context:
    """One audit as every rule checks it: its figures, the previous round's (for
    ``stage-drop``; None when the audit names none or it is not at hand), and the day
    due dates are checked against."""

    audit: Audit
    figures: AuditFigures
    previous: Audit | None
    previous_figures: AuditFigures | None
    today: dt.date

    def result(self, gate: Gate, outcome: str, message: str, line: int | None = None, col: int | None = None,
               **more: Any) -> GateResult:
        """A result of ``gate`` for this audit; ``more``: the other fields of :class:`GateResult`."""
        return GateResult(gate, outcome, message, self.audit.path, line, col, **more)
