"""The audit as Python objects: what the validator hands to every later step.

Field names are exactly those of the format reference (``FORMAT.md``).
Every object remembers where it was written (``line``, ``col``) and where each of
its fields was (``pos``), so that any later step can still point at the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Iterator

Pos = tuple[int, int]
_COLUMNS = 1 << 22  # more than any column of a file within the size limit


def packed(line: int, col: int) -> int:
    """A position as one int: a portfolio holds hundreds of thousands of them, and one
    int takes a third of the memory of a (line, col) tuple.

    >>> divmod(packed(1200, 7), _COLUMNS)
    (1200, 7)
    """
    return line * _COLUMNS + col


@dataclass
class Located:
    line: int = field(default=0, kw_only=True, compare=False, repr=False)
    col: int = field(default=0, kw_only=True, compare=False, repr=False)
    pos: dict[str, int] = field(default_factory=dict, kw_only=True, compare=False, repr=False)  # name → packed()

    def at(self, name: str) -> Pos:
        """Line and column of field ``name`` (or of this object when it is absent)."""
        where = self.pos.get(name)
        return (self.line, self.col) if where is None else divmod(where, _COLUMNS)


@dataclass
class Scale(Located):
    min: int = 1
    max: int = 5
    labels: dict[int, str] = field(default_factory=dict)

    @property
    def middle(self) -> Fraction:
        """The scale's middle, exactly (3 on 1–5, 5/2 on 0–5): from here up a score or an
        importance counts as high (the validator's moments of truth, the figures'
        coverage and quadrants, the charts' centre lines all draw the line here).

        >>> Scale(1, 5).middle, Scale(0, 5).middle
        (Fraction(3, 1), Fraction(5, 2))
        """
        return Fraction(self.min + self.max, 2)

    def label(self, score: int) -> str:
        return self.labels.get(score, "")


DEFAULT_LABELS = {1: "Harmful", 2: "Weak", 3: "Adequate", 4: "Good", 5: "Excellent"}
# The same default labels for audits written in Chinese (``language: zh``).
DEFAULT_LABELS_ZH = {1: "有害", 2: "较弱", 3: "尚可", 4: "良好", 5: "优秀"}


@dataclass
class Weights(Located):
    message: float = 0.5
    consistency: float = 0.5


@dataclass
class CoreMessage(Located):
    id: str
    text: str


@dataclass
class Evidence(Located):
    title: str
    url: str | None = None


@dataclass
class Recommendation(Located):
    text: str
    priority: str
    effort: str | None = None
    owner: str | None = None
    due: dt.date | None = None
    id: str | None = None
    status: str = "open"
    done_on: dt.date | None = None


@dataclass
class Metric(Located):
    """A measured customer result (format 1.1); ``target`` comes with ``better``."""

    id: str
    name: str
    value: float
    unit: str | None = None
    target: float | None = None
    better: str | None = None
    source: str | None = None


@dataclass
class Message(Located):
    intended: str
    score: int
    method: str | None = None
    observed: str | None = None
    appeal: str | None = None  # format 1.1: rational | emotional | both


@dataclass
class Segment(Located):
    """A customer segment (format 1.1): a tier (客户分级) or a persona (客户画像)."""

    id: str
    name: str
    share: float | None = None  # fraction of the prospects, 0..1
    involvement: str | None = None  # None: the audit's
    description: str | None = None


@dataclass
class Rating(Located):
    """One auditor's own scores of a touchpoint, before the team agreed (format 1.1)."""

    auditor: str
    message: int | None = None
    consistency: dict[str, int | None] = field(default_factory=dict)


@dataclass
class Touchpoint(Located):
    id: str
    name: str
    channel: str
    message: Message
    consistency: dict[str, int | None]
    owner: str | None = None
    message_type: str | None = None
    moment_of_truth: bool = False
    importance: int | None = None  # None until the validator applies the default (scale max)
    notes: str | None = None
    internal_notes: str | None = None
    evidence: list[Evidence] = field(default_factory=list)
    metrics: list[Metric] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    ratings: list[Rating] = field(default_factory=list)
    segments: list[str] = field(default_factory=list)  # format 1.1; empty: every segment
    direction: str | None = None  # format 1.1: inbound | outbound
    trigger: str | None = None  # format 1.1: scheduled | event | customer


@dataclass
class Stage(Located):
    id: str
    name: str
    touchpoints: list[Touchpoint]
    prospects: int | None = None
    metrics: list[Metric] = field(default_factory=list)
    prospects_by_segment: dict[str, int] = field(default_factory=dict)  # format 1.1


@dataclass
class Audit(Located):
    title: str
    client: str
    date: dt.date
    involvement: str
    core_messages: list[CoreMessage]
    stages: list[Stage]
    client_id: str | None = None  # None until the validator applies the default
    auditors: list[str] = field(default_factory=list)
    language: str | None = None
    industry: str | None = None
    previous: str | None = None
    status: str = "final"
    summary: str | None = None
    internal_notes: str | None = None
    scale: Scale = field(default_factory=Scale)  # labels filled in by the validator, in the audit's language
    weights: Weights = field(default_factory=Weights)
    segments: list[Segment] = field(default_factory=list)  # format 1.1
    # Not in the file: where it came from.
    slug: str = field(default="", kw_only=True)
    path: str = field(default="", kw_only=True, compare=False)

    def touchpoints(self) -> Iterator[tuple[Stage, Touchpoint]]:
        """Every touchpoint in journey order, with its stage."""
        for stage in self.stages:
            for tp in stage.touchpoints:
                yield stage, tp

    def touchpoint(self, tp_id: str) -> Touchpoint:
        for _, tp in self.touchpoints():
            if tp.id == tp_id:
                return tp
        raise KeyError(tp_id)


def round_order(audit: Audit) -> tuple[dt.date, str]:
    """The sort key of audit rounds, oldest first: by date, then by slug (two rounds
    of one day keep a fixed order). Every list of rounds is sorted with it.

    >>> a = Audit("T", "C", dt.date(2026, 3, 1), "high", [], [], slug="b")
    >>> b = Audit("T", "C", dt.date(2026, 3, 1), "high", [], [], slug="a")
    >>> [x.slug for x in sorted([a, b], key=round_order)]
    ['a', 'b']
    """
    return audit.date, audit.slug
