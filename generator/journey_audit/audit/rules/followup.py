"""Follow-up (format 1.1): recommendations carried across rounds, and measured results.

recommendation-id
    A recommendation's ``id`` is used once in the file: the next round finds it by it.

    >>> from .examples import example
    >>> example("quality: 4", "quality: 4\\n        recommendations:\\n          - {id: sla, text: a, priority: high}\\n"
    ...         "          - {id: sla, text: b, priority: low}")
    a.yaml:22:18: error: recommendation id 'sla' is used twice (first at line 21) (recommendation-id)

done-on
    ``done_on`` is given only with ``status: done``.

    >>> example("quality: 4", "quality: 4\\n        recommendations:\\n"
    ...         "          - {text: a, priority: high, status: open, done_on: 2026-08-15}")
    a.yaml:21:62: error: 'done_on' is only for a recommendation with status done, not open (done-on)

metric-id
    A metric's ``id`` is used once within its touchpoint (or stage).

    >>> example("quality: 4", "quality: 4\\n        metrics:\\n          - {id: reply, name: a, value: 1}\\n"
    ...         "          - {id: reply, name: b, value: 2}")
    a.yaml:22:18: error: metric id 'reply' is used twice in 'website' (first at line 21) (metric-id)

metric-better
    A metric with a ``target`` says which way is ``better`` (higher or lower).

    >>> example("quality: 4", "quality: 4\\n        metrics:\\n          - {id: reply, name: a, value: 20, target: 6}")
    a.yaml:21:13: error: metric 'reply' has a target but no 'better': add better: higher or better: lower (metric-better)
"""

from __future__ import annotations

from typing import Any

from ..model import Audit
from .rule import ERROR, Report, Rule

RECOMMENDATION_ID = "recommendation-id"
DONE_ON = "done-on"
METRIC_ID = "metric-id"
METRIC_BETTER = "metric-better"

RULES = (
    Rule(RECOMMENDATION_ID, ERROR, "each recommendation id is used once in the file"),
    Rule(DONE_ON, ERROR, "done_on is given only with status done"),
    Rule(METRIC_ID, ERROR, "each metric id is used once within its touchpoint or stage"),
    Rule(METRIC_BETTER, ERROR, "a metric with a target says which way is better (higher or lower)"),
)


def check(report: Report, audit: Audit) -> None:
    seen: dict[str, Any] = {}
    for _, tp in audit.touchpoints():
        for r in tp.recommendations:
            if r.done_on is not None and r.status != "done":
                report.error_at(r, "done_on", f"'done_on' is only for a recommendation with status done, "
                                              f"not {r.status}", DONE_ON)
            if r.id is None:
                continue
            if r.id in seen:
                report.error_at(r, "id", f"recommendation id '{r.id}' is used twice (first at line "
                                         f"{seen[r.id].at('id')[0]})", RECOMMENDATION_ID)
            else:
                seen[r.id] = r
    for stage in audit.stages:
        _metrics(report, stage)
        for tp in stage.touchpoints:
            _metrics(report, tp)


def _metrics(report: Report, owner: Any) -> None:
    seen: dict[str, Any] = {}
    for m in owner.metrics:
        if m.id in seen:
            report.error_at(m, "id", f"metric id '{m.id}' is used twice in '{owner.id}' (first at line "
                                     f"{seen[m.id].at('id')[0]})", METRIC_ID)
        else:
            seen[m.id] = m
        if m.target is not None and m.better is None and "better" not in m.pos:
            report.error(m.line, m.col, f"metric '{m.id}' has a target but no 'better': add better: higher "
                                        "or better: lower", METRIC_BETTER)
