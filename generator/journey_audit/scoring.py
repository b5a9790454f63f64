"""Every derived figure of an audit, computed here and nowhere else.

The format page defines the figures; pages, diagrams, exports and the diff only
*format* what :func:`compute` returns, so they agree to the digit. Figures are exact
fractions (scores are integers and weights decimals, so means are rational): a tie
such as 2.25 is a tie, not 2.2499999, and rounds away from zero as the page asks.

>>> from fractions import Fraction
>>> fmt(Fraction(9, 4)), fmt(Fraction(-9, 4)), fmt(None)
('2.3', '-2.3', '–')
>>> fmt_percent(Fraction(2, 3))
'66.7%'
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Iterable, Iterator, Sequence

from .model import Audit, Touchpoint

Figure = Fraction  # an exact figure; spreads (square roots) are floats

_CTX = Context(prec=40)
_ONE_PLACE = Decimal("0.1")


def round1(x: Fraction | float | int) -> Decimal:
    """Round to one decimal place, halves away from zero.

    >>> round1(Fraction(9, 4)), round1(0.15), round1(Fraction(-1, 20))
    (Decimal('2.3'), Decimal('0.2'), Decimal('-0.1'))
    """
    if isinstance(x, Fraction):
        d = _CTX.divide(Decimal(x.numerator), Decimal(x.denominator))
    else:
        # repr() is the shortest text that reads back as the same float: 0.15, not 0.1499999…
        d = Decimal(repr(float(x)))
    return d.quantize(_ONE_PLACE, rounding=ROUND_HALF_UP)


def fmt(x: Fraction | float | int | None) -> str:
    """A figure as shown everywhere: one decimal, or an en dash when there is none."""
    if x is None:
        return "–"
    d = round1(x)
    return str(d if d != 0 else Decimal("0.0"))  # no "-0.0"


def fmt_percent(x: Fraction | float | None) -> str:
    """A share as a percentage with one decimal: 2/3 → '66.7%'."""
    if x is None:
        return "–"
    return fmt(Fraction(x) * 100 if not isinstance(x, float) else x * 100) + "%"


def delta(old: Fraction | float | None, new: Fraction | float | None) -> Decimal | None:
    """The change between two figures *as shown*, so that 2.0 → 2.2 reads +0.2.

    >>> delta(Fraction(204, 100), Fraction(216, 100))
    Decimal('0.2')
    """
    if old is None or new is None:
        return None
    return round1(new) - round1(old)


def fmt_delta(d: Decimal | None) -> str:
    """A change with its sign: '+0.2', '-1.0', '±0.0'."""
    if d is None:
        return "–"
    if d == 0:
        return "±0.0"
    return f"{d:+.1f}"


@dataclass(frozen=True)
class TouchpointFigures:
    id: str
    importance: int
    message: Figure
    consistency: Figure
    score: Figure
    gap: Figure


@dataclass(frozen=True)
class StageFigures:
    id: str
    score: Figure
    message: Figure
    consistency: Figure
    prospects: int | None
    conversion: Figure | None  # to the next stage, when both give prospects
    lost: int | None


@dataclass(frozen=True)
class CoreMessageFigures:
    id: str
    scored: int  # touchpoints that score it (null entries left out)
    mean: Figure | None
    coverage: Figure | None  # share of those scoring it at or above the scale's middle
    spread: float | None  # population standard deviation of its scores


@dataclass(frozen=True)
class FunnelStep:
    from_stage: str
    to_stage: str
    from_prospects: int
    to_prospects: int
    conversion: Figure | None  # None when from_prospects is 0


@dataclass(frozen=True)
class Funnel:
    steps: tuple[FunnelStep, ...]
    leakiest: str | None  # id of the stage that loses the largest share of its prospects
    overall: Figure | None  # last stage's prospects / first stage's


@dataclass(frozen=True)
class AuditFigures:
    score: Figure
    message: Figure
    consistency: Figure
    touchpoints: dict[str, TouchpointFigures]
    stages: dict[str, StageFigures]
    core_messages: dict[str, CoreMessageFigures]
    funnel: Funnel
    priorities: tuple[str, ...]  # touchpoint ids by gap, moments of truth first on ties


def _weight(w: float) -> Fraction:
    # Weights are written as decimals; read 0.4 as 2/5, not as its binary float.
    return Fraction(repr(w)) if isinstance(w, float) else Fraction(w)


def _weighted_mean(pairs: Iterable[tuple[int, Fraction]]) -> Fraction:
    pairs = list(pairs)
    total = sum(w for w, _ in pairs)
    if total == 0:  # every importance 0 (possible on a scale starting at 0): plain mean
        return sum((v for _, v in pairs), Fraction(0)) / len(pairs)
    return sum((w * v for w, v in pairs), Fraction(0)) / total


def touchpoint_figures(tp: Touchpoint, audit: Audit) -> TouchpointFigures:
    scores = [v for v in tp.consistency.values() if v is not None]
    consistency = Fraction(sum(scores), len(scores))
    message = Fraction(tp.message.score)
    score = _weight(audit.weights.message) * message + _weight(audit.weights.consistency) * consistency
    importance = tp.importance if tp.importance is not None else audit.scale.max
    return TouchpointFigures(tp.id, importance, message, consistency, score, importance * (audit.scale.max - score))


_remembered: dict[int, tuple[Audit, AuditFigures]] | None = None


@contextmanager
def remembering() -> Iterator[None]:
    """Inside this block, :func:`compute` works out each audit object's figures once.

    The site asks for the same audit's figures from several places (its page, the
    next round's "changes since", the client's trend); audits must not change inside
    the block. Outside it nothing is remembered.
    """
    global _remembered
    outer = _remembered
    _remembered = {} if outer is None else outer
    try:
        yield
    finally:
        _remembered = outer


def compute(audit: Audit) -> AuditFigures:
    """All figures of one valid audit."""
    if _remembered is not None:
        hit = _remembered.get(id(audit))
        if hit is not None and hit[0] is audit:
            return hit[1]
        figures = _compute(audit)
        _remembered[id(audit)] = (audit, figures)  # the audit is kept, so its id is not reused
        return figures
    return _compute(audit)


def _compute(audit: Audit) -> AuditFigures:
    tps = {tp.id: touchpoint_figures(tp, audit) for _, tp in audit.touchpoints()}

    def means(ids: list[str]) -> tuple[Figure, Figure, Figure]:
        rows = [tps[i] for i in ids]
        return (_weighted_mean((r.importance, r.score) for r in rows),
                _weighted_mean((r.importance, r.message) for r in rows),
                _weighted_mean((r.importance, r.consistency) for r in rows))

    steps: list[FunnelStep] = []
    stage_conv: dict[str, tuple[Figure | None, int | None]] = {}
    for before, after in zip(audit.stages, audit.stages[1:]):
        if before.prospects is None or after.prospects is None:
            continue
        conv = Fraction(after.prospects, before.prospects) if before.prospects else None
        steps.append(FunnelStep(before.id, after.id, before.prospects, after.prospects, conv))
        stage_conv[before.id] = (conv, before.prospects - after.prospects)
    rated = [s for s in steps if s.conversion is not None]
    leakiest = min(rated, key=lambda s: s.conversion).from_stage if rated else None
    counted = [s.prospects for s in audit.stages if s.prospects is not None]
    overall = Fraction(counted[-1], counted[0]) if len(counted) >= 2 and counted[0] else None

    stages = {}
    for stage in audit.stages:
        score, message, consistency = means([tp.id for tp in stage.touchpoints])
        conv, lost = stage_conv.get(stage.id, (None, None))
        stages[stage.id] = StageFigures(stage.id, score, message, consistency, stage.prospects, conv, lost)

    middle = Fraction(audit.scale.min + audit.scale.max, 2)
    core = {}
    for cm in audit.core_messages:
        values = [tp.consistency.get(cm.id) for _, tp in audit.touchpoints()]
        values = [v for v in values if v is not None]
        if values:
            mean = Fraction(sum(values), len(values))
            variance = sum((Fraction(v) - mean) ** 2 for v in values) / len(values)
            core[cm.id] = CoreMessageFigures(cm.id, len(values), mean,
                                             Fraction(sum(v >= middle for v in values), len(values)),
                                             math.sqrt(variance))
        else:
            core[cm.id] = CoreMessageFigures(cm.id, 0, None, None, None)

    order = {tp.id: i for i, (_, tp) in enumerate(audit.touchpoints())}
    mot = {tp.id for _, tp in audit.touchpoints() if tp.moment_of_truth}
    priorities = tuple(sorted(tps, key=lambda i: (-tps[i].gap, i not in mot, order[i])))

    score, message, consistency = means(list(tps))
    return AuditFigures(score, message, consistency, tps, stages, core, Funnel(tuple(steps), leakiest, overall),
                        priorities)


QUADRANTS = ("concentrate", "keep_up", "low_priority", "overkill")


def quadrant(tp: TouchpointFigures, audit: Audit) -> str:
    """Where a touchpoint falls in the importance–performance grid.

    Importance and score both count as high from the scale's middle up (the line
    coverage uses too): important but weak is where to *concentrate*; important and
    strong, *keep up* the good work; unimportant and weak, *low priority*; unimportant
    but strong, *possible overkill*.

    >>> from journey_audit.model import Scale
    >>> a = Audit("T", "C", None, "high", [], [], scale=Scale(1, 5))
    >>> [quadrant(TouchpointFigures("t", imp, 0, 0, Fraction(s), 0), a) for imp, s in [(5, 2), (3, 3), (2, 1), (1, 5)]]
    ['concentrate', 'keep_up', 'low_priority', 'overkill']
    """
    middle = Fraction(audit.scale.min + audit.scale.max, 2)
    important, strong = tp.importance >= middle, tp.score >= middle
    if important:
        return "keep_up" if strong else "concentrate"
    return "overkill" if strong else "low_priority"


@dataclass(frozen=True)
class Trend:
    """A client's scores across rounds, oldest first: what a trend chart draws."""

    rounds: tuple[str, ...]  # audit slugs
    overall: tuple[Figure, ...]
    stages: dict[str, tuple[Figure | None, ...]]  # stage id → its score per round; None where a round lacks it


def trend(rounds: Sequence[Audit]) -> Trend:
    """Overall and per-stage scores of ``rounds`` (give them oldest first).

    Stages are matched by id; they are listed in the latest round's order, then any
    that only earlier rounds had.

    >>> from journey_audit.model import CoreMessage, Message, Stage
    >>> def rnd(slug, score):
    ...     tp = Touchpoint("t", "T", "event", Message("m", score), {"q": 3}, importance=5)
    ...     return Audit("T", "C", None, "high", [CoreMessage("q", "Q")], [Stage("s", "S", [tp])], slug=slug)
    >>> t = trend([rnd("r1", 1), rnd("r2", 5)])
    >>> t.rounds, [fmt(x) for x in t.overall], [fmt(x) for x in t.stages["s"]]
    (('r1', 'r2'), ['2.0', '4.0'], ['2.0', '4.0'])
    """
    figures = [compute(a) for a in rounds]
    order = [s.id for a in reversed(rounds) for s in a.stages]
    ids = list(dict.fromkeys(order))
    return Trend(tuple(a.slug for a in rounds), tuple(f.score for f in figures),
                 {i: tuple(f.stages[i].score if i in f.stages else None for f in figures) for i in ids})
