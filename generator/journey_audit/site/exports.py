"""Downloads of an audit: the touchpoint table as CSV, the computed figures as JSON.

Both are made from the same :func:`journey_audit.figures.scoring.compute` figures as the
pages, rounded with :func:`~journey_audit.figures.scoring.round1`, so a figure reads the same
to the digit on the page, in the spreadsheet and in the JSON.

**CSV** (:func:`touchpoints_csv`): UTF-8 with a byte order mark, so that Excel opens
Chinese text correctly; one row per touchpoint in journey order; the columns are
:data:`CSV_COLUMNS`, then one ``consistency:<core message id>`` column per core
message (empty where it does not apply), then (format 1.1, only when a touchpoint has
metrics) one ``metric:<metric id>`` column per metric id of the touchpoints, the value as
written (empty where the touchpoint has no such metric), then the texts. A text cell that starts
with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``, so
that a spreadsheet shows it instead of running it as a formula.

**JSON** (:func:`figures_json`), format ``journey-audit/figures-1``::

    audit, title, client, client_id, date, language, status, previous
    scale           {min, max}
    score, message, consistency           the audit's figures
    change          {score, message, consistency} since `previous`, or null
    stages          [{id, name, score, message, consistency, prospects,
                      conversion_percent (to the next stage), lost}]
    touchpoints     [{id, name, stage, importance, moment_of_truth, message,
                      consistency, score, gap, quadrant}]      in journey order
    core_messages   [{id, text, scored, mean, coverage_percent, spread}]
    funnel          {overall_percent, leakiest_stage,
                     steps: [{from, to, from_prospects, to_prospects, conversion_percent}]}
    priorities      touchpoint ids, most urgent first
    follow_through  {percent, done, total, by_owner: [{owner, done, total, percent}],
                     recommendations: [{id, touchpoint, owner, status}]}
                    only when the previous round has recommendations with an id (format 1.1)
    metrics         [{kind (touchpoint | stage), where (its id), id, name, unit, value,
                      target, better, met, previous, change}]
                    only when the audit has metrics (format 1.1); values exact, as written
    segments        only for an audit with segments, directions, triggers or appeals (format 1.1), with
                    the keys below: [{id, name, share_percent, involvement, touchpoints (ids it meets),
                     score, message, consistency, stages: [{id, score, message, consistency,
                     prospects}], funnel (as the audit's)}]
    rollups         {channel|owner|direction|message_type: [{value (null: not given), count,
                     touchpoints, score, total_gap}]}, the largest total gap first
    inbound_share_percent   inbound / touchpoints with a direction
    appeal_fit      {percent, fitting, rated, misfits: [{touchpoint, appeal, involvement}]}
    touchpoint_fields       [{id, segments, direction, trigger, appeal}] in journey order
    agreement       only for an audit with ratings (format 1.1): {alpha (three decimals,
                    as shown; null when undefined), alpha_reading (reliable | tentative |
                    unreliable | null), pairable_items, flagged (touchpoint ids),
                    touchpoints: [{id, spread, flagged, ratings: [{auditor, message,
                    consistency}]}], auditors: [{name, lean}]}

Figures are numbers with one decimal (alpha: three); a figure that does not exist is ``null``.
The CSV gains a ``rating_spread`` column, and the JSON its ``agreement``, only for an
audit with ratings; the CSV its ``segments``, ``direction``, ``trigger`` and ``appeal``
columns (after ``quadrant``), and the JSON its ``segments`` … ``touchpoint_fields``, only
for an audit that writes format 1.1's segments, directions, triggers or appeals: the
downloads of any other audit are as before.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from fractions import Fraction
from typing import Any

from ..audit.model import Audit
from ..figures.agreement import Agreement, reading, round3
from ..figures.segments import SegmentReport, segment_figures, uses_segments
from ..figures.scoring import (
    AuditFigures,
    FollowThrough,
    MetricFigures,
    change_since,
    fmt_measure,
    follow_through,
    metric_figures,
    quadrant,
    round1,
)

CSV_COLUMNS = ("audit", "stage_id", "stage", "touchpoint_id", "touchpoint", "channel", "owner", "message_type",
               "moment_of_truth", "importance", "message_score", "consistency", "score", "gap", "quadrant")
CSV_TEXT_COLUMNS = ("intended", "method", "observed", "notes")
# Format 1.1, only for an audit that uses them; segments: ids separated by spaces, empty: every segment.
CSV_SEGMENT_COLUMNS = ("segments", "direction", "trigger", "appeal")
FIGURES_FORMAT = "journey-audit/figures-1"

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def touchpoints_csv(audit: Audit, figures: AuditFigures) -> bytes:
    """The touchpoint table of ``audit`` as CSV bytes (UTF-8 with BOM, CRLF rows)."""
    core_ids = [cm.id for cm in audit.core_messages]
    internal = any(tp.internal_notes for _, tp in audit.touchpoints())
    metric_ids = list(dict.fromkeys(m.id for _, tp in audit.touchpoints() for m in tp.metrics))
    agreed = figures.agreement
    segmented = uses_segments(audit)  # format 1.1 columns only for an audit that writes those fields
    header = [*CSV_COLUMNS, *(CSV_SEGMENT_COLUMNS if segmented else ()), *(f"consistency:{i}" for i in core_ids),
              *(f"metric:{i}" for i in metric_ids), *CSV_TEXT_COLUMNS]
    if agreed is not None:
        header.append("rating_spread")
    if internal:  # only in a build that asked for internal content (see publish.py)
        header.append("internal_notes")  # after rating_spread: the rows append in this order
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for stage, tp in audit.touchpoints():
        f = figures.touchpoints[tp.id]
        row = [audit.slug, stage.id, _cell(stage.name), tp.id, _cell(tp.name), tp.channel, _cell(tp.owner),
               tp.message_type or "", "yes" if tp.moment_of_truth else "", f.importance, tp.message.score,
               _number(f.consistency), _number(f.score), _number(f.gap), quadrant(f, audit)]
        if segmented:
            row += [" ".join(tp.segments), tp.direction or "", tp.trigger or "", tp.message.appeal or ""]
        row += ["" if tp.consistency.get(i) is None else tp.consistency[i] for i in core_ids]
        values = {m.id: m.value for m in tp.metrics}
        row += [fmt_measure(Fraction(repr(values[i]))) if i in values else "" for i in metric_ids]
        row += [_cell(tp.message.intended), _cell(tp.message.method), _cell(tp.message.observed), _cell(tp.notes)]
        if agreed is not None:
            t = agreed.touchpoints.get(tp.id)
            row.append("" if t is None or t.spread is None else t.spread)
        if internal:
            row.append(_cell(tp.internal_notes))
        writer.writerow(row)
    return "\ufeff".encode("utf-8") + out.getvalue().encode("utf-8")


def figures_data(audit: Audit, figures: AuditFigures, previous: AuditFigures | None = None,
                 previous_audit: Audit | None = None) -> dict[str, Any]:
    """The computed figures of ``audit`` as plain data (see the module docstring);
    ``previous_audit``: the previous round itself, for the follow-through."""
    names = {s.id: s.name for s in audit.stages}
    stage_of = {tp.id: s.id for s, tp in audit.touchpoints()}
    changes = change_since(previous, figures)
    change = None if changes is None else {k: _number(d) for k, d in changes.items()}
    data = {
        "format": FIGURES_FORMAT,
        "audit": audit.slug,
        "title": audit.title,
        "client": audit.client,
        "client_id": audit.client_id,
        "date": audit.date.isoformat(),
        "language": audit.language,
        "status": audit.status,
        "previous": audit.previous,
        "scale": {"min": audit.scale.min, "max": audit.scale.max},
        "score": _number(figures.score),
        "message": _number(figures.message),
        "consistency": _number(figures.consistency),
        "change": change,
        "stages": [{"id": s.id, "name": names[s.id], "score": _number(s.score), "message": _number(s.message),
                    "consistency": _number(s.consistency), "prospects": s.prospects,
                    "conversion_percent": _percent(s.conversion), "lost": s.lost}
                   for s in figures.stages.values()],
        "touchpoints": [{"id": tp.id, "name": tp.name, "stage": stage_of[tp.id],
                         "importance": figures.touchpoints[tp.id].importance,
                         "moment_of_truth": tp.moment_of_truth,
                         "message": _number(figures.touchpoints[tp.id].message),
                         "consistency": _number(figures.touchpoints[tp.id].consistency),
                         "score": _number(figures.touchpoints[tp.id].score),
                         "gap": _number(figures.touchpoints[tp.id].gap),
                         "quadrant": quadrant(figures.touchpoints[tp.id], audit)}
                        for _, tp in audit.touchpoints()],
        "core_messages": [{"id": cm.id, "text": cm.text, "scored": figures.core_messages[cm.id].scored,
                           "mean": _number(figures.core_messages[cm.id].mean),
                           "coverage_percent": _percent(figures.core_messages[cm.id].coverage),
                           "spread": _number(figures.core_messages[cm.id].spread)}
                          for cm in audit.core_messages],
        "funnel": _funnel(figures.funnel),
        "priorities": list(figures.priorities),
        **({} if figures.agreement is None else {"agreement": _agreement(figures.agreement)}),
    }
    report = segment_figures(audit, figures)
    if report is not None:
        data.update(segments_data(audit, report))
    metrics = metric_figures(audit, previous_audit)
    if metrics:
        data["metrics"] = [_metric(m) for m in metrics]
    ft = follow_through(previous_audit, audit)
    if ft is not None and ft.rate is not None:
        data["follow_through"] = _follow_through(ft)
    return data


def segments_data(audit: Audit, report: SegmentReport) -> dict[str, Any]:
    """Format 1.1's figures as plain data (the module docstring's ``segments`` … ``touchpoint_fields``)."""
    return {
        "segments": [{"id": s.id, "name": s.name, "share_percent": _percent(s.share), "involvement": s.involvement,
                      "touchpoints": list(s.touchpoints), "score": _number(s.score), "message": _number(s.message),
                      "consistency": _number(s.consistency),
                      "stages": [{"id": sid, "score": _number(m and m.score), "message": _number(m and m.message),
                                  "consistency": _number(m and m.consistency), "prospects": s.prospects[sid]}
                                 for sid, m in s.stages.items()],
                      "funnel": _funnel(s.funnel)}
                     for s in report.segments.values()],
        "rollups": {key: [{"value": r.value, "count": r.count, "touchpoints": list(r.touchpoints),
                           "score": _number(r.score), "total_gap": _number(r.gap)} for r in rows]
                    for key, rows in report.rollups.items()},
        "inbound_share_percent": _percent(report.inbound_share),
        "appeal_fit": {"percent": _percent(report.appeal.share), "fitting": report.appeal.fitting,
                       "rated": report.appeal.rated,
                       "misfits": [{"touchpoint": m.id, "appeal": m.appeal, "involvement": m.involvement}
                                   for m in report.appeal.misfits]},
        "touchpoint_fields": [{"id": tp.id, "segments": list(tp.segments), "direction": tp.direction,
                               "trigger": tp.trigger, "appeal": tp.message.appeal} for _, tp in audit.touchpoints()],
    }


def _funnel(funnel) -> dict[str, Any]:
    return {"overall_percent": _percent(funnel.overall), "leakiest_stage": funnel.leakiest,
            "steps": [{"from": s.from_stage, "to": s.to_stage, "from_prospects": s.from_prospects,
                       "to_prospects": s.to_prospects, "conversion_percent": _percent(s.conversion)}
                      for s in funnel.steps]}


def _measure(x: Fraction | None) -> float | int | None:
    """A measured value as a JSON number, as written: 20, 8.5 (exact decimals)."""
    if x is None:
        return None
    return int(x) if x.denominator == 1 else float(fmt_measure(x))


def _metric(m: MetricFigures) -> dict[str, Any]:
    return {"kind": m.kind, "where": m.where, "id": m.id, "name": m.name, "unit": m.unit,
            "value": _measure(m.value), "target": _measure(m.target), "better": m.better, "met": m.met,
            "previous": _measure(m.previous), "change": _measure(m.change)}


def _follow_through(ft: FollowThrough) -> dict[str, Any]:
    return {"percent": _percent(ft.rate), "done": ft.done, "total": len(ft.items),
            "by_owner": [{"owner": owner, "done": done, "total": total, "percent": _percent(share)}
                         for owner, (done, total, share) in ft.by_owner.items()],
            "recommendations": [{"id": i.id, "touchpoint": i.touchpoint, "owner": i.owner, "status": i.status}
                                for i in ft.items]}


def _agreement(g: Agreement) -> dict[str, Any]:
    """The agreement figures as plain data: alpha with three decimals, as the page shows it."""
    return {"alpha": None if g.alpha is None else float(round3(g.alpha)) or 0.0,
            "alpha_reading": reading(g.alpha),
            "pairable_items": g.pairable,
            "flagged": list(g.flagged),
            "touchpoints": [{"id": t.id, "spread": t.spread, "flagged": t.flagged,
                             "ratings": [{"auditor": name, "message": m, "consistency": dict(c)}
                                         for name, (m, c) in t.ratings.items()]}
                            for t in g.touchpoints.values()],
            "auditors": [{"name": name, "lean": _number(g.leans[name])} for name in g.auditors]}


def figures_json(audit: Audit, figures: AuditFigures, previous: AuditFigures | None = None,
                 previous_audit: Audit | None = None) -> str:
    """:func:`figures_data` as indented JSON text (non-ASCII kept readable)."""
    return json.dumps(figures_data(audit, figures, previous, previous_audit), ensure_ascii=False, indent=2) + "\n"


def _number(x: Fraction | float | Decimal | None) -> float | None:
    """A figure as a JSON/CSV number with one decimal: 2.25 → 2.3 (float 2.3 prints as 2.3)."""
    if x is None:
        return None
    return float(x if isinstance(x, Decimal) else round1(x)) or 0.0  # never -0.0


def _percent(x: Fraction | None) -> float | None:
    return None if x is None else _number(x * 100)


def _cell(value: str | None) -> str:
    if not value:
        return ""
    return "'" + value if value.startswith(_FORMULA_START) else value
