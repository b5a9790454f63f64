"""Every derived figure of an audit, computed here and nowhere else.

The format page defines the figures; pages, diagrams, exports and the diff only
*format* what :func:`compute` returns, so they agree to the digit. Figures are exact
fractions (scores are integers and weights decimals, so means are rational): a tie
such as 2.25 is a tie, not 2.2499999, and rounds away from zero as the page asks.
A change between two rounds is :func:`delta` of the figures *as shown*, written with
:func:`fmt_delta`; :func:`change_since` gives it for the headline figures.

:func:`compute` is a pure function and this module keeps no state. A caller that asks
for the figures of the same audits from several places (the site generator: each
audit's page, the next round's "changes since", the client's trend, the gates) makes
one :class:`FiguresMemo` and passes it along; the memo ends with that caller's work,
so nothing outlives a build and no result depends on what was computed before.

>>> from fractions import Fraction
>>> fmt(Fraction(9, 4)), fmt(Fraction(-9, 4)), fmt(None)
('2.3', '-2.3', '–')
>>> fmt_percent(Fraction(2, 3))
'66.7%'
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from typing import Callable, Iterable, Sequence

from ..audit.model import Audit, Metric, Touchpoint
from .agreement import Agreement, agreement

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


HEADLINE = ("score", "message", "consistency")  # an audit's headline figures (AuditFigures fields)


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
    agreement: Agreement | None = None  # auditors' agreement (figures/agreement.py); None without ratings


def _weight(w: float) -> Fraction:
    # Weights are written as decimals; read 0.4 as 2/5, not as its binary float.
    return Fraction(repr(w)) if isinstance(w, float) else Fraction(w)


def weighted_mean(pairs: Iterable[tuple[int, Fraction]]) -> Fraction:
    """Σ (weight × value) / Σ weight; the plain mean when every weight is 0 (FORMAT.md, "Per stage")."""
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


def compute(audit: Audit) -> AuditFigures:
    """All figures of one valid audit (worked out anew on every call: see :class:`FiguresMemo`)."""
    tps = {tp.id: touchpoint_figures(tp, audit) for _, tp in audit.touchpoints()}

    def means(ids: list[str]) -> tuple[Figure, Figure, Figure]:
        rows = [tps[i] for i in ids]
        return (weighted_mean((r.importance, r.score) for r in rows),
                weighted_mean((r.importance, r.message) for r in rows),
                weighted_mean((r.importance, r.consistency) for r in rows))

    funnel = funnel_of([(s.id, s.prospects) for s in audit.stages])
    stage_conv = {step.from_stage: (step.conversion, step.from_prospects - step.to_prospects)
                  for step in funnel.steps}

    stages = {}
    for stage in audit.stages:
        score, message, consistency = means([tp.id for tp in stage.touchpoints])
        conv, lost = stage_conv.get(stage.id, (None, None))
        stages[stage.id] = StageFigures(stage.id, score, message, consistency, stage.prospects, conv, lost)

    middle = audit.scale.middle
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
    return AuditFigures(score, message, consistency, tps, stages, core, funnel, priorities, agreement(audit))


def funnel_of(counts: Sequence[tuple[str, int | None]]) -> Funnel:
    """The funnel (FORMAT.md, "Funnel") of ``counts``, (stage id, prospects or None) in the
    stages' order: the audit's from ``prospects``, a segment's from ``prospects_by_segment``.

    >>> f = funnel_of([("a", 100), ("b", None), ("c", 40), ("d", 10)])
    >>> [(s.from_stage, s.to_stage, fmt_percent(s.conversion)) for s in f.steps], f.leakiest, fmt_percent(f.overall)
    ([('c', 'd', '25.0%')], 'c', '10.0%')
    >>> funnel_of([("a", 40), ("b", 45)]).leakiest is None
    True
    """
    steps: list[FunnelStep] = []
    for (before, n_before), (after, n_after) in zip(counts, counts[1:]):
        if n_before is None or n_after is None:
            continue
        conv = Fraction(n_after, n_before) if n_before else None
        steps.append(FunnelStep(before, after, n_before, n_after, conv))
    # Only a step that loses prospects can lose the most: a count that stays or grows
    # (a warning of validation's ``funnel`` rule) is never marked as the leak.
    rated = [s for s in steps if s.conversion is not None and s.conversion < 1]
    leakiest = min(rated, key=lambda s: s.conversion).from_stage if rated else None
    counted = [n for _, n in counts if n is not None]
    overall = Fraction(counted[-1], counted[0]) if len(counted) >= 2 and counted[0] else None
    return Funnel(tuple(steps), leakiest, overall)


def change_since(previous: AuditFigures | None, figures: AuditFigures) -> dict[str, Decimal] | None:
    """The change of each :data:`HEADLINE` figure since the previous round, as shown
    (:func:`delta`); None when there is no previous round.

    >>> from journey_audit.audit.model import CoreMessage, Message, Stage
    >>> def rnd(score):
    ...     tp = Touchpoint("t", "T", "event", Message("m", score), {"q": 3}, importance=5)
    ...     return compute(Audit("T", "C", None, "high", [CoreMessage("q", "Q")], [Stage("s", "S", [tp])]))
    >>> {k: fmt_delta(d) for k, d in change_since(rnd(2), rnd(4)).items()}
    {'score': '+1.0', 'message': '+2.0', 'consistency': '±0.0'}
    >>> change_since(None, rnd(2)) is None
    True
    """
    if previous is None:
        return None
    return {key: delta(getattr(previous, key), getattr(figures, key)) for key in HEADLINE}


FiguresOf = Callable[[Audit], AuditFigures]  # compute, or a FiguresMemo: how a function gets figures


class FiguresMemo:
    """Each audit's figures, worked out once: ``memo(audit)`` is ``compute(audit)``, remembered.

    Made by whoever asks for the figures of the same audits from several places, and
    passed to those places (as a :data:`FiguresOf`, where :func:`compute` is the
    default); the site generator makes one per build. An object rather than state of
    this module, so what is remembered, and for how long, is in plain sight: the memo
    lives as long as its maker keeps it. Audits are known by identity, not by content,
    so they must not change while a memo knows them; the memo keeps each audit it has
    seen, so an id it has cannot be reused by another object.

    >>> from journey_audit.audit.model import CoreMessage, Message, Stage
    >>> tp = Touchpoint("t", "T", "event", Message("m", 4), {"q": 2}, importance=5)
    >>> audit = Audit("T", "C", None, "high", [CoreMessage("q", "Q")], [Stage("s", "S", [tp])])
    >>> memo = FiguresMemo()
    >>> memo(audit) is memo(audit), memo(audit) == compute(audit), fmt(memo(audit).score)
    (True, True, '3.0')
    """

    def __init__(self) -> None:
        self._known: dict[int, tuple[Audit, AuditFigures]] = {}

    def __call__(self, audit: Audit) -> AuditFigures:
        known = self._known.get(id(audit))
        if known is None:
            known = self._known[id(audit)] = (audit, compute(audit))
        return known[1]


QUADRANTS = ("concentrate", "keep_up", "low_priority", "overkill")


def quadrant(tp: TouchpointFigures, audit: Audit) -> str:
    """Where a touchpoint falls in the importance–performance grid.

    Importance and score both count as high from the scale's middle up
    (:attr:`~journey_audit.audit.model.Scale.middle`, the line coverage uses too): important but weak is where to *concentrate*; important and
    strong, *keep up* the good work; unimportant and weak, *low priority*; unimportant
    but strong, *possible overkill*.

    >>> from journey_audit.audit.model import Scale
    >>> a = Audit("T", "C", None, "high", [], [], scale=Scale(1, 5))
    >>> [quadrant(TouchpointFigures("t", imp, 0, 0, Fraction(s), 0), a) for imp, s in [(5, 2), (3, 3), (2, 1), (1, 5)]]
    ['concentrate', 'keep_up', 'low_priority', 'overkill']
    """
    middle = audit.scale.middle
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


def trend(rounds: Sequence[Audit], figures: Sequence[AuditFigures] | None = None) -> Trend:
    """Overall and per-stage scores of ``rounds`` (give them oldest first).

    Stages are matched by id; they are listed in the latest round's order, then any
    that only earlier rounds had. ``figures``: the rounds' figures, in the same order,
    when the caller has them already.

    >>> from journey_audit.audit.model import CoreMessage, Message, Stage
    >>> def rnd(slug, score):
    ...     tp = Touchpoint("t", "T", "event", Message("m", score), {"q": 3}, importance=5)
    ...     return Audit("T", "C", None, "high", [CoreMessage("q", "Q")], [Stage("s", "S", [tp])], slug=slug)
    >>> t = trend([rnd("r1", 1), rnd("r2", 5)])
    >>> t.rounds, [fmt(x) for x in t.overall], [fmt(x) for x in t.stages["s"]]
    (('r1', 'r2'), ['2.0', '4.0'], ['2.0', '4.0'])
    """
    figures = list(figures) if figures is not None else [compute(a) for a in rounds]
    order = [s.id for a in reversed(rounds) for s in a.stages]
    ids = list(dict.fromkeys(order))
    return Trend(tuple(a.slug for a in rounds), tuple(f.score for f in figures),
                 {i: tuple(f.stages[i].score if i in f.stages else None for f in figures) for i in ids})


@dataclass(frozen=True)
class CarriedRecommendation:
    """A recommendation of the previous round that has an ``id``, and what became of it."""

    id: str
    touchpoint: str  # its touchpoint's id in the previous round
    text: str
    owner: str | None  # the recommendation's owner, else its touchpoint's (FORMAT.md)
    status: str  # now: this round's same-id recommendation's, else the previous round's own
    carried: bool  # this round has a recommendation with the same id


@dataclass(frozen=True)
class FollowThrough:
    """Follow-through (FORMAT.md, "Derived figures of format 1.1"): of the previous round's
    recommendations with an id, the share done; also per owner (None: no owner)."""

    items: tuple[CarriedRecommendation, ...]
    rate: Figure | None  # None when the previous round has no recommendation with an id
    done: int
    by_owner: dict[str | None, tuple[int, int, Figure]]  # owner → (done, total, rate), first-seen order


def follow_through(previous: Audit | None, audit: Audit) -> FollowThrough | None:
    """What became of ``previous``'s recommendations in ``audit``; None without a previous round.

    A recommendation's status is that of the recommendation with the same id in
    ``audit`` when there is one, else the previous round's own; its owner is the
    previous round's recommendation's ``owner``, else its touchpoint's ``owner``.

    >>> from journey_audit.audit.model import CoreMessage, Message, Recommendation, Stage
    >>> def rnd(*recs, owner=None):
    ...     tp = Touchpoint("t", "T", "event", Message("m", 3), {"q": 3}, owner=owner, recommendations=list(recs))
    ...     return Audit("T", "C", None, "high", [CoreMessage("q", "Q")], [Stage("s", "S", [tp])])
    >>> before = rnd(Recommendation("a", "high", id="a", owner="Sales"), Recommendation("b", "low", id="b"),
    ...              Recommendation("c", "low"), owner="Marketing")
    >>> ft = follow_through(before, rnd(Recommendation("a", "high", id="a", status="done")))
    >>> fmt_percent(ft.rate), [(i.id, i.status, i.owner) for i in ft.items]
    ('50.0%', [('a', 'done', 'Sales'), ('b', 'open', 'Marketing')])
    >>> {k: fmt_percent(v[2]) for k, v in ft.by_owner.items()}
    {'Sales': '100.0%', 'Marketing': '0.0%'}
    """
    if previous is None:
        return None
    now = {r.id: r for _, tp in audit.touchpoints() for r in tp.recommendations if r.id is not None}
    items = []
    for _, tp in previous.touchpoints():
        for r in tp.recommendations:
            if r.id is None:
                continue
            later = now.get(r.id)
            items.append(CarriedRecommendation(r.id, tp.id, r.text, r.owner or tp.owner,
                                               later.status if later is not None else r.status, later is not None))
    counts: dict[str | None, list[int]] = {}
    for item in items:
        tally = counts.setdefault(item.owner, [0, 0])
        tally[0] += item.status == "done"
        tally[1] += 1
    done = sum(item.status == "done" for item in items)
    return FollowThrough(tuple(items), Fraction(done, len(items)) if items else None, done,
                         {k: (d, n, Fraction(d, n)) for k, (d, n) in counts.items()})


@dataclass(frozen=True)
class MetricFigures:
    """One metric (format 1.1) with its derived figures: met or missed, change since the
    previous round. Values are exact (read as the decimals written) and shown as written."""

    kind: str  # "touchpoint" or "stage": what ``where`` names
    where: str  # the touchpoint's or stage's id
    id: str
    name: str
    unit: str | None
    value: Figure
    target: Figure | None
    better: str | None
    met: bool | None  # None without a target
    previous: Figure | None  # the same metric of the same touchpoint (or stage) in `previous`
    change: Figure | None  # value - previous


def _exact(x: float | int) -> Fraction:
    return Fraction(repr(x)) if isinstance(x, float) else Fraction(x)


def _metric_owners(audit: Audit) -> Iterable[tuple[str, str, list]]:
    for stage in audit.stages:
        yield "stage", stage.id, stage.metrics
        for tp in stage.touchpoints:
            yield "touchpoint", tp.id, tp.metrics


def metric_figures_of(metrics: Iterable[Metric], kind: str = "touchpoint", where: str = "") -> list[MetricFigures]:
    """The figures of one list of metrics, without a previous round (no change)."""
    return [_metric(kind, where, m, None) for m in metrics]


def _metric(kind: str, where: str, m: Metric, old: Fraction | None) -> MetricFigures:
    value = _exact(m.value)
    target = _exact(m.target) if m.target is not None else None
    met = None if target is None or m.better is None else (value >= target if m.better == "higher" else value <= target)
    return MetricFigures(kind, where, m.id, m.name, m.unit, value, target, m.better, met, old,
                         None if old is None else value - old)


def metric_figures(audit: Audit, previous: Audit | None = None) -> tuple[MetricFigures, ...]:
    """Every metric of ``audit`` in journey order (a stage's own, then its touchpoints').

    **Metric met** (FORMAT.md, "Derived figures"): ``value >= target`` when better is
    higher, ``value <= target`` when lower; the change is against the metric with the
    same id on the touchpoint (or stage) with the same id in ``previous``.

    >>> from journey_audit.audit.model import CoreMessage, Message, Metric, Stage
    >>> def rnd(value):
    ...     tp = Touchpoint("t", "T", "event", Message("m", 3), {"q": 3},
    ...                     metrics=[Metric("reply", "Reply", value, "h", 6, "lower")])
    ...     return Audit("T", "C", None, "high", [CoreMessage("q", "Q")], [Stage("s", "S", [tp])])
    >>> [m] = metric_figures(rnd(8.5), rnd(20))
    >>> m.met, fmt_measure(m.value), fmt_measure_delta(m.change)
    (False, '8.5', '-11.5')
    """
    before = {(kind, where, m.id): _exact(m.value) for kind, where, ms in
              (_metric_owners(previous) if previous is not None else ()) for m in ms}
    return tuple(_metric(kind, where, m, before.get((kind, where, m.id)))
                 for kind, where, ms in _metric_owners(audit) for m in ms)


def fmt_measure(x: Fraction | None) -> str:
    """A measured value as written, exactly, without rounding: 8.5, 1200, 0.75 (– for none)."""
    if x is None:
        return "–"
    d = _CTX.divide(Decimal(x.numerator), Decimal(x.denominator))
    text = format(d.normalize(), "f")
    return "0" if text in ("-0", "0") else text


def fmt_measure_delta(x: Fraction | None) -> str:
    """A metric's change with its sign: '+300', '-11.5', '±0' (– for none)."""
    if x is None:
        return "–"
    return "±0" if x == 0 else ("+" if x > 0 else "") + fmt_measure(x)
