"""The figures of format 1.1's segments, directions and appeals, computed here and nowhere else.

FORMAT.md, "Derived figures of format 1.1" (the contract, ``shared/audit-format.md``):

- **Segment score** (and message, consistency): importance-weighted means over the
  touchpoints the segment meets (a touchpoint without ``segments`` meets every
  segment); also per stage; a segment with no touchpoint in a stage has no figure there.
- **Segment funnel**: from ``prospects_by_segment``, as the funnel is from ``prospects``.
- **Rollups** by ``channel``, ``owner``, ``direction`` and ``message_type``: touchpoint
  count, importance-weighted score and total gap of the touchpoints with each value.
- **Appeal fit**: over touchpoints with an ``appeal``, the share that fits the
  involvement (``both`` always; ``rational`` high, ``emotional`` low). A touchpoint's
  involvement is its segments' when all of them have the same one, otherwise the audit's.

:func:`segment_figures` returns None for an audit that uses none of these fields, so
every page, export and diagram of such an audit stays exactly as it was. Pages,
exports and the diff only format what it returns (with ``fmt``, ``fmt_percent``).

>>> from journey_audit.audit.validate import validate_text
>>> text = '''
... title: T
... client: C
... date: 2026-01-01
... involvement: high
... segments: [{id: a, name: A, involvement: low}, {id: b, name: B}]
... core_messages: [{id: q, text: Q}]
... stages:
...   - id: s
...     name: S
...     prospects_by_segment: {a: 100, b: 50}
...     touchpoints:
...       - {id: t1, name: T1, channel: phone, direction: inbound, segments: [a],
...          message: {intended: I, score: 2, appeal: rational}, consistency: {q: 4}}
...       - {id: t2, name: T2, channel: online, importance: 1,
...          message: {intended: I, score: 5, appeal: both}, consistency: {q: 5}}
...   - id: u
...     name: U
...     prospects_by_segment: {a: 20, b: 40}
...     touchpoints:
...       - {id: t3, name: T3, channel: phone, direction: outbound, segments: [b],
...          message: {intended: I, score: 4}, consistency: {q: 4}}
... '''
>>> audit, problems = validate_text(text, slug="x")
>>> from .scoring import compute, fmt, fmt_percent
>>> r = segment_figures(audit, compute(audit))
>>> a = r.segments["a"]
>>> a.touchpoints, fmt(a.score), [fmt(s.score) if s else "–" for s in a.stages.values()]
(('t1', 't2'), '3.3', ['3.3', '–'])
>>> fmt_percent(a.funnel.overall), fmt_percent(r.segments["b"].funnel.overall)
('20.0%', '80.0%')
>>> [(x.value, x.count, fmt(x.score), fmt(x.gap)) for x in r.rollups["direction"]]
[('inbound', 1, '3.0', '10.0'), ('outbound', 1, '4.0', '5.0'), (None, 1, '5.0', '0.0')]
>>> fmt_percent(r.appeal.share), [(m.id, m.appeal, m.involvement) for m in r.appeal.misfits]
('50.0%', [('t1', 'rational', 'low')])
>>> fmt_percent(r.inbound_share)
'50.0%'
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

from ..audit.model import Audit, Touchpoint
from .scoring import AuditFigures, Figure, Funnel, funnel_of, weighted_mean

ROLLUP_KEYS = ("channel", "owner", "direction", "message_type")  # the fields rolled up, in the page's order


@dataclass(frozen=True)
class Means:
    """Importance-weighted score, message and consistency of a group of touchpoints."""

    score: Figure
    message: Figure
    consistency: Figure


@dataclass(frozen=True)
class SegmentFigures:
    id: str
    name: str
    involvement: str  # its own, else the audit's
    share: Figure | None  # as written, exactly
    touchpoints: tuple[str, ...]  # the touchpoints it meets, in journey order
    score: Figure | None  # None when it meets no touchpoint
    message: Figure | None
    consistency: Figure | None
    stages: dict[str, Means | None]  # stage id → its figures there; None: no touchpoint of it in the stage
    prospects: dict[str, int | None]  # stage id → prospects_by_segment (None: not given)
    funnel: Funnel


@dataclass(frozen=True)
class Rollup:
    """The touchpoints with one value of a rolled-up field (None: the field left out)."""

    key: str  # channel | owner | direction | message_type
    value: str | None
    touchpoints: tuple[str, ...]
    count: int
    score: Figure  # importance-weighted
    gap: Figure  # total


@dataclass(frozen=True)
class Misfit:
    """A touchpoint whose appeal does not fit its involvement."""

    id: str
    appeal: str
    involvement: str


@dataclass(frozen=True)
class AppealFit:
    rated: int  # touchpoints with an appeal
    fitting: int
    share: Figure | None  # fitting / rated; None when no touchpoint gives an appeal
    misfits: tuple[Misfit, ...]  # in journey order


@dataclass(frozen=True)
class SegmentReport:
    segments: dict[str, SegmentFigures]  # in the file's order
    rollups: dict[str, tuple[Rollup, ...]]  # ROLLUP_KEYS → rows, largest total gap first
    appeal: AppealFit
    inbound_share: Figure | None  # inbound / touchpoints with a direction


def uses_segments(audit: Audit) -> bool:
    """True when the audit writes any of format 1.1's segments, directions, triggers or appeals."""
    return bool(audit.segments) or any(s.prospects_by_segment for s in audit.stages) or any(
        tp.segments or tp.direction or tp.trigger or tp.message.appeal for _, tp in audit.touchpoints())


def meets(tp: Touchpoint, segment_id: str) -> bool:
    """Whether the segment meets the touchpoint (one without ``segments`` meets every segment)."""
    return not tp.segments or segment_id in tp.segments


def involvement_of(tp: Touchpoint, audit: Audit) -> str:
    """The involvement a touchpoint's message must suit: its segments' when they agree, else the audit's."""
    own = {s.id: s.involvement or audit.involvement for s in audit.segments}
    found = {own[i] for i in (tp.segments or own) if i in own}
    return found.pop() if len(found) == 1 else audit.involvement


def fits(appeal: str, involvement: str) -> bool:
    """``both`` fits either involvement; ``rational`` fits high, ``emotional`` low."""
    return appeal == "both" or (appeal == "rational") == (involvement == "high")


def _means(ids: list[str], figures: AuditFigures) -> Means | None:
    rows = [figures.touchpoints[i] for i in ids]
    if not rows:
        return None
    return Means(weighted_mean((r.importance, r.score) for r in rows),
                 weighted_mean((r.importance, r.message) for r in rows),
                 weighted_mean((r.importance, r.consistency) for r in rows))


def _segment(audit: Audit, figures: AuditFigures, seg) -> SegmentFigures:
    met = [tp.id for _, tp in audit.touchpoints() if meets(tp, seg.id)]
    overall = _means(met, figures)
    stages = {s.id: _means([tp.id for tp in s.touchpoints if meets(tp, seg.id)], figures) for s in audit.stages}
    prospects = {s.id: s.prospects_by_segment.get(seg.id) for s in audit.stages}
    share = None if seg.share is None else Fraction(repr(seg.share)) if isinstance(seg.share, float) \
        else Fraction(seg.share)
    return SegmentFigures(seg.id, seg.name, seg.involvement or audit.involvement, share, tuple(met),
                          overall and overall.score, overall and overall.message, overall and overall.consistency,
                          stages, prospects, funnel_of(list(prospects.items())))


def _rollups(audit: Audit, figures: AuditFigures, key: str) -> tuple[Rollup, ...]:
    groups: dict[str | None, list[str]] = {}
    for _, tp in audit.touchpoints():
        groups.setdefault(getattr(tp, key), []).append(tp.id)
    rows = [Rollup(key, value, tuple(ids), len(ids), _means(ids, figures).score,
                   sum((figures.touchpoints[i].gap for i in ids), Fraction(0))) for value, ids in groups.items()]
    # Largest loss first; "not given" last; first seen first on ties (a stable sort).
    return tuple(sorted(rows, key=lambda r: (r.value is None, -r.gap)))


def _appeal(audit: Audit) -> AppealFit:
    rated = [(tp, involvement_of(tp, audit)) for _, tp in audit.touchpoints() if tp.message.appeal]
    misfits = tuple(Misfit(tp.id, tp.message.appeal, inv) for tp, inv in rated if not fits(tp.message.appeal, inv))
    fitting = len(rated) - len(misfits)
    return AppealFit(len(rated), fitting, Fraction(fitting, len(rated)) if rated else None, misfits)


def segment_figures(audit: Audit, figures: AuditFigures) -> SegmentReport | None:
    """The format 1.1 figures of a valid ``audit`` (``figures``: its :func:`~.scoring.compute`);
    None when the audit uses none of the fields they come from (:func:`uses_segments`)."""
    if not uses_segments(audit):
        return None
    directed = [tp.direction for _, tp in audit.touchpoints() if tp.direction]
    return SegmentReport({s.id: _segment(audit, figures, s) for s in audit.segments},
                         {key: _rollups(audit, figures, key) for key in ROLLUP_KEYS},
                         _appeal(audit),
                         Fraction(directed.count("inbound"), len(directed)) if directed else None)
