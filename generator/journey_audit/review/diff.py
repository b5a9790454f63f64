"""What changed between two versions of an audit, in the audit's own terms.

:func:`diff_audits` compares two valid audits and returns an :class:`AuditDiff`: plain
data (the classes of :mod:`.diff_model`) that the terminal, the pull-request comment,
the JSON export and the site all format without computing anything. Touchpoints,
stages and core messages are matched by ``id``, never by position: a touchpoint with
the same id in another stage has *moved*, with another name it was *renamed*.
Unchanged touchpoints and stages are left out. Every figure comes from :mod:`scoring` and is shown with its ``fmt``,
``delta`` and ``fmt_delta``, so the diff agrees with the pages to the digit; a
derived figure counts as changed when its *shown* value changed.

>>> from journey_audit.audit.validate import validate_text
>>> text = '''
... title: T
... client: C
... date: 2026-01-01
... involvement: low
... core_messages: [{id: q, text: Quality}]
... stages: [{id: s, name: Search, touchpoints: [{id: fair, name: Trade fair, channel: event,
...           message: {intended: The full range, score: 2}, consistency: {q: 3}}]}]
... '''
>>> old, _ = validate_text(text, slug="a")
>>> new, _ = validate_text(text.replace("score: 2", "score: 4"), slug="a")
>>> [(f.name, f.old_text, f.new_text, f.delta_text) for f in diff_audits(old, new).touchpoints[0].scores]
[('message', '2', '4', '+2'), ('score', '2.5', '3.5', '+1.0'), ('gap', '12.5', '7.5', '-5.0')]
"""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Any, Callable, Iterable

from ..audit.model import Audit, Evidence, Recommendation, Touchpoint
from ..audit.problems import Problem
from ..errors import AuditError
from ..figures.scoring import (
    AuditFigures,
    MetricFigures,
    compute,
    delta,
    fmt,
    fmt_delta,
    fmt_measure,
    fmt_measure_delta,
    fmt_percent,
    metric_figures,
    metric_figures_of,
)
from .diff_model import (
    ADDED,
    CHANGED,
    REMOVED,
    AuditDiff,
    AuditInfo,
    CoreMessageChange,
    FieldChange,
    FigureChange,
    FileDiff,
    ItemChange,
    StageDiff,
    TouchpointDiff,
)

# -- figures -----------------------------------------------------------------------------

def _sign(x: Any) -> int:
    return (x > 0) - (x < 0) if x is not None else 0


def raw_change(name: str, old: int | None, new: int | None) -> FigureChange:
    """A score as written (a whole number, or None for "does not apply").

    >>> raw_change("message", 2, 4).delta_text, raw_change("consistency.quality", None, 3).old_text
    ('+2', '–')
    """
    d = new - old if old is not None and new is not None else None
    text = "–" if d is None else "±0" if d == 0 else f"{d:+d}"
    return FigureChange(name, "score", old, new, _int_text(old), _int_text(new), d, text, _sign(d))


def figure_change(name: str, old: Any, new: Any, lower_is_better: bool = False) -> FigureChange:
    """A derived figure, shown with one decimal by :func:`scoring.fmt`."""
    d = delta(old, new)
    return FigureChange(name, "figure", old, new, fmt(old), fmt(new), d, fmt_delta(d),
                        _sign(d) * (-1 if lower_is_better else 1))


def percent_change(name: str, old: Any, new: Any) -> FigureChange:
    """A share shown as a percentage; the change is in percentage points ("+1.2 pp")."""
    d = delta(old * 100, new * 100) if old is not None and new is not None else None
    return FigureChange(name, "percent", old, new, fmt_percent(old), fmt_percent(new), d,
                        fmt_delta(d) + (" pp" if d is not None else ""), _sign(d))


def _int_text(v: int | None) -> str:
    return "–" if v is None else str(v)


# -- values as text ----------------------------------------------------------------------

def value_text(v: Any) -> str | None:
    """A written value as the diff shows it.

    >>> value_text(True), value_text(["王敏", "Lee"]), value_text(dt.date(2026, 9, 30)), value_text(0.4)
    ('true', '王敏, Lee', '2026-09-30', '0.4')
    """
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    if isinstance(v, dict):
        return ", ".join(f"{k} {x}" for k, x in v.items())
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def _fields(old: Any, new: Any, names: Iterable[str]) -> list[FieldChange]:
    out = []
    for name in names:
        a, b = _get(old, name), _get(new, name)
        if a != b:
            out.append(FieldChange(name, value_text(a), value_text(b)))
    return out


def _get(obj: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


_AUDIT_FIELDS = ("title", "client", "client_id", "date", "auditors", "language", "industry", "involvement",
                 "previous", "status", "summary", "internal_notes", "scale.min", "scale.max", "scale.labels",
                 "weights.message", "weights.consistency")
_TOUCHPOINT_FIELDS = ("channel", "owner", "message_type", "moment_of_truth", "importance", "message.intended",
                      "message.method", "message.observed", "notes", "internal_notes",
                      "segments", "direction", "trigger", "message.appeal")  # the last four: format 1.1
_RECOMMENDATION_FIELDS = ("priority", "effort", "owner", "due", "status", "done_on")


# -- matching lists without ids ----------------------------------------------------------

def _match(old: list[Any], new: list[Any], same: Callable[[Any, Any], bool],
           similar: Callable[[Any, Any], float]) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Pair items of two lists: first the ones ``same`` accepts, then the most ``similar``
    (score ≥ 0.5). Returns the pairs in the new list's order, the added and the removed."""
    pairs: dict[int, int] = {}
    free_old = list(range(len(old)))
    for j, b in enumerate(new):
        i = next((i for i in free_old if same(old[i], b)), None)
        if i is not None:
            pairs[j] = i
            free_old.remove(i)
    candidates = sorted(((similar(old[i], new[j]), j, i) for j in range(len(new)) if j not in pairs
                         for i in free_old), key=lambda c: (-c[0], c[1], c[2]))
    for score, j, i in candidates:
        if score >= 0.5 and j not in pairs and i in free_old:
            pairs[j] = i
            free_old.remove(i)
    return ([(old[pairs[j]], new[j]) for j in range(len(new)) if j in pairs],
            [new[j] for j in range(len(new)) if j not in pairs], [old[i] for i in free_old])


def _ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio()


def _same_recommendation(a: Recommendation, b: Recommendation) -> bool:
    # Format 1.1: the same id is the same recommendation carried on, whatever its text now.
    return a.id == b.id if a.id is not None and b.id is not None else a.text == b.text


def _similar_recommendation(a: Recommendation, b: Recommendation) -> float:
    return 0.0 if a.id is not None and b.id is not None else _ratio(a.text, b.text)


def _recommendation_changes(old: list[Recommendation], new: list[Recommendation]) -> list[ItemChange]:
    pairs, added, removed = _match(old, new, _same_recommendation, _similar_recommendation)
    out = []
    for a, b in pairs:
        fields = tuple(_fields(a, b, _RECOMMENDATION_FIELDS))
        if a.text != b.text or fields:
            out.append(ItemChange(CHANGED, b.text, a.text if a.text != b.text else None, fields))
    # A new recommendation's default status (open) is not news: only one written otherwise.
    out += [ItemChange(ADDED, r.text, None, tuple(c for c in _written(r, _RECOMMENDATION_FIELDS)
                                                  if (c.field, c.new) != ("status", "open"))) for r in added]
    out += [ItemChange(REMOVED, r.text) for r in removed]
    return out


def _written(obj: Any, names: Iterable[str]) -> tuple[FieldChange, ...]:
    """The values a new item was written with, as changes from nothing."""
    return tuple(FieldChange(n, None, value_text(_get(obj, n))) for n in names if _get(obj, n) is not None)


def _evidence_changes(old: list[Evidence], new: list[Evidence]) -> list[ItemChange]:
    pairs, added, removed = _match(old, new, lambda a, b: (a.title, a.url) == (b.title, b.url),
                                   lambda a, b: 1.0 if a.title == b.title or a.url and a.url == b.url else 0.0)
    out = []
    for a, b in pairs:
        if (a.title, a.url) != (b.title, b.url):
            out.append(ItemChange(CHANGED, b.title, a.title if a.title != b.title else None,
                                  tuple(_fields(a, b, ("url",)))))
    out += [ItemChange(ADDED, e.title, None, _written(e, ("url",))) for e in added]
    out += [ItemChange(REMOVED, e.title) for e in removed]
    return out


# -- touchpoints, stages, the audit ------------------------------------------------------

def _score_changes(old: tuple[Touchpoint, Audit, AuditFigures] | None,
                   new: tuple[Touchpoint, Audit, AuditFigures] | None) -> list[FigureChange]:
    """Every score of a touchpoint, old → new; a missing side shows as "–"."""
    def parts(side: Any) -> tuple[Any, dict[str, int | None], Any]:
        if side is None:
            return None, {}, None
        tp, _, figures = side
        return tp.message.score, tp.consistency, figures.touchpoints[tp.id]

    om, oc, of = parts(old)
    nm, nc, nf = parts(new)
    core_order = [cm.id for cm in (new or old)[1].core_messages]
    if old and new:
        core_order += [cm.id for cm in old[1].core_messages if cm.id not in core_order]
    out = [raw_change("message", om, nm)]
    out += [raw_change(f"consistency.{cid}", oc.get(cid), nc.get(cid)) for cid in core_order if cid in oc or cid in nc]
    out.append(figure_change("consistency", of and of.consistency, nf and nf.consistency))
    out.append(figure_change("score", of and of.score, nf and nf.score))
    out.append(figure_change("gap", of and of.gap, nf and nf.gap, lower_is_better=True))
    return out


def _metric_text(m: MetricFigures) -> str:
    unit = f" {m.unit}" if m.unit else ""
    target = (f" (target {fmt_measure(m.target)}{unit}, {'met' if m.met else 'missed'})"
              if m.met is not None else "")
    return f"{fmt_measure(m.value)}{unit}{target}"


def _metric_changes(figures: dict[tuple[str, str, str], MetricFigures], kind: str, old: Any,
                    new: Any) -> tuple[FieldChange, ...]:
    """Format 1.1: each metric of a touchpoint (or stage) whose value or target moved, as
    ``metric <id>``: before → now, with the change as :func:`scoring.metric_figures` gives it."""
    before = {m.id: m for m in metric_figures_of(old.metrics, kind, old.id)}
    out = []
    for m in new.metrics:
        now = figures[(kind, new.id, m.id)]
        was = before.get(m.id)
        if was is not None and _metric_text(was) == _metric_text(now):
            continue
        change = f", {fmt_measure_delta(now.change)}" if now.change is not None else ""
        out.append(FieldChange(f"metric {m.id}", None if was is None else _metric_text(was),
                               _metric_text(now) + change))
    new_ids = {m.id for m in new.metrics}
    out += [FieldChange(f"metric {m.id}", _metric_text(m), None) for m in before.values() if m.id not in new_ids]
    return tuple(out)


def _rating_changes(old: Touchpoint, new: Touchpoint) -> list[FieldChange]:
    """Each auditor's own score that changed (format 1.1 ``ratings``), named as written:
    ``ratings.<auditor>.message`` and ``ratings.<auditor>.consistency.<core message id>``.

    >>> from journey_audit.audit.model import Message, Rating
    >>> a = Touchpoint("t", "T", "event", Message("m", 3), {"q": 3}, ratings=[Rating("Li Wei", 3, {"q": 2})])
    >>> b = Touchpoint("t", "T", "event", Message("m", 3), {"q": 3}, ratings=[Rating("Li Wei", 1, {"q": 2})])
    >>> _rating_changes(a, b)
    [FieldChange(field='ratings.Li Wei.message', old='3', new='1')]
    """
    def scores(tp: Touchpoint) -> dict[str, int]:
        out = {}
        for r in tp.ratings:
            if r.message is not None:
                out[f"ratings.{r.auditor}.message"] = r.message
            out.update({f"ratings.{r.auditor}.consistency.{c}": v for c, v in r.consistency.items() if v is not None})
        return out

    before, after = scores(old), scores(new)
    names = list(dict.fromkeys([*after, *before]))
    return [FieldChange(n, value_text(before.get(n)), value_text(after.get(n))) for n in names
            if before.get(n) != after.get(n)]


def _touchpoint_diffs(old: Audit, new: Audit, of: AuditFigures, nf: AuditFigures) -> list[TouchpointDiff]:
    old_tps = {tp.id: (stage, tp) for stage, tp in old.touchpoints()}
    new_tps = {tp.id: (stage, tp) for stage, tp in new.touchpoints()}
    metrics = {(m.kind, m.where, m.id): m for m in metric_figures(new, old)}
    out: list[TouchpointDiff] = []
    for tp_id, (stage, tp) in new_tps.items():
        if tp_id not in old_tps:
            out.append(TouchpointDiff(tp_id, ADDED, tp.name, stage.id, tp.moment_of_truth,
                                      scores=tuple(_score_changes(None, (tp, new, nf))),
                                      recommendations=tuple(_recommendation_changes([], tp.recommendations)),
                                      evidence=tuple(_evidence_changes([], tp.evidence))))
            continue
        old_stage, old_tp = old_tps[tp_id]
        scores = tuple(s for s in _score_changes((old_tp, old, of), (tp, new, nf)) if s.changed)
        fields = (tuple(_fields(old_tp, tp, _TOUCHPOINT_FIELDS)) + _metric_changes(metrics, "touchpoint", old_tp, tp)
                  + tuple(_rating_changes(old_tp, tp)))
        recs = tuple(_recommendation_changes(old_tp.recommendations, tp.recommendations))
        evidence = tuple(_evidence_changes(old_tp.evidence, tp.evidence))
        renamed = old_tp.name if old_tp.name != tp.name else None
        moved = old_stage.id if old_stage.id != stage.id else None
        if scores or fields or recs or evidence or renamed or moved:
            out.append(TouchpointDiff(tp_id, CHANGED, tp.name, stage.id, tp.moment_of_truth, renamed, moved,
                                      fields, scores, recs, evidence))
    for tp_id, (stage, tp) in old_tps.items():
        if tp_id not in new_tps:
            out.append(TouchpointDiff(tp_id, REMOVED, tp.name, stage.id, tp.moment_of_truth,
                                      scores=tuple(_score_changes((tp, old, of), None))))
    return out


def _stage_figures(o: Any, n: Any) -> list[FigureChange]:
    out = [figure_change("score", o and o.score, n and n.score),
           figure_change("message", o and o.message, n and n.message),
           figure_change("consistency", o and o.consistency, n and n.consistency)]
    if (o and o.conversion is not None) or (n and n.conversion is not None):
        out.append(percent_change("conversion", o and o.conversion, n and n.conversion))
    return out


def _stage_diffs(old: Audit, new: Audit, of: AuditFigures, nf: AuditFigures) -> list[StageDiff]:
    old_stages = {s.id: s for s in old.stages}
    new_ids = {s.id for s in new.stages}
    metrics = {(m.kind, m.where, m.id): m for m in metric_figures(new, old)}
    out = []
    for s in new.stages:
        o = old_stages.get(s.id)
        if o is None:
            out.append(StageDiff(s.id, ADDED, s.name, fields=_written(s, ("prospects",)),
                                 figures=tuple(_stage_figures(None, nf.stages[s.id]))))
            continue
        figures = tuple(f for f in _stage_figures(of.stages[s.id], nf.stages[s.id]) if f.changed)
        fields = tuple(_fields(o, s, ("prospects", "prospects_by_segment"))) + _metric_changes(metrics, "stage", o, s)
        renamed = o.name if o.name != s.name else None
        if figures or fields or renamed:
            out.append(StageDiff(s.id, CHANGED, s.name, renamed, fields, figures))
    for s in old.stages:
        if s.id not in new_ids:
            out.append(StageDiff(s.id, REMOVED, s.name, figures=tuple(_stage_figures(of.stages[s.id], None))))
    return out


def _core_message_changes(old: Audit, new: Audit) -> list[CoreMessageChange]:
    old_cms = {cm.id: cm for cm in old.core_messages}
    new_ids = {cm.id for cm in new.core_messages}
    out = []
    for cm in new.core_messages:
        o = old_cms.get(cm.id)
        if o is None:
            out.append(CoreMessageChange(cm.id, ADDED, cm.text))
        elif o.text != cm.text:
            out.append(CoreMessageChange(cm.id, CHANGED, cm.text, o.text))
    out += [CoreMessageChange(cm.id, REMOVED, cm.text) for cm in old.core_messages if cm.id not in new_ids]
    return out


def audit_info(audit: Audit, figures: AuditFigures | None = None) -> AuditInfo:
    """The heading facts of one audit (its overall score as shown)."""
    figures = figures or compute(audit)
    return AuditInfo(audit.slug, audit.title, audit.client, audit.date.isoformat(), audit.path, fmt(figures.score),
                     len(figures.touchpoints))


def diff_audits(old: Audit, new: Audit, figures: tuple[AuditFigures, AuditFigures] | None = None) -> AuditDiff:
    """Everything that changed from ``old`` to ``new`` (two valid audits).

    ``figures``: the two audits' figures when the caller has them already.
    """
    from .diff_segments import segment_changes, segment_figure_changes  # it builds on this module's helpers

    of, nf = figures or (compute(old), compute(new))
    figures = [figure_change("score", of.score, nf.score), figure_change("message", of.message, nf.message),
               figure_change("consistency", of.consistency, nf.consistency)]
    if of.funnel.overall is not None or nf.funnel.overall is not None:
        figures.append(percent_change("funnel", of.funnel.overall, nf.funnel.overall))
    common = set(s.id for s in old.stages) & set(s.id for s in new.stages)
    old_order = tuple(s.id for s in old.stages if s.id in common)
    new_order = tuple(s.id for s in new.stages if s.id in common)
    return AuditDiff(
        old=audit_info(old, of), new=audit_info(new, nf),
        metadata=tuple(_fields(old, new, _AUDIT_FIELDS)) + tuple(segment_changes(old, new)),
        core_messages=tuple(_core_message_changes(old, new)),
        figures=tuple(figures),
        stages=tuple(_stage_diffs(old, new, of, nf)),
        stage_order=(old_order, new_order) if old_order != new_order else None,
        touchpoints=tuple(_touchpoint_diffs(old, new, of, nf)),
        segment_figures=tuple(segment_figure_changes(old, new, of, nf)))


# -- files: two sides, each maybe missing or invalid -------------------------------------

Side = tuple[str, str | bytes, str]  # (label, content, slug)


def diff_files(old: Side | None, new: Side | None, status: str | None = None) -> FileDiff:
    """Compare two sides, each ``(label, content, slug)`` or None when the file is absent.

    The label names the side in problems and headings (``HEAD~1:audits/a.yaml``);
    content is the file's text or bytes (decoded as UTF-8, like a file on disk); the
    slug is the audit id its file name gives.
    """
    from ..audit.validate import validate_text
    from ..audit.yamlsource import decode

    audits: list[Audit | None] = []
    problems: list[Problem] = []
    for side in (old, new):
        if side is None:
            audits.append(None)
            continue
        label, content, slug = side
        try:
            text = decode(content, label) if isinstance(content, bytes) else content
        except AuditError as exc:
            audits.append(None)
            problems += exc.problems
            continue
        audit, found = validate_text(text, label, slug)
        audits.append(audit)
        if audit is None:
            problems += found
    if status is None:
        status = "added" if old is None else "removed" if new is None else "modified"
    result = FileDiff(status, old and old[0], new and new[0], problems=problems)
    a, b = audits
    result.old = audit_info(a) if a else None
    result.new = audit_info(b) if b else None
    if a is not None and b is not None:
        result.diff = diff_audits(a, b)
    return result
