"""Auditors' own scores: ``ratings``, each auditor's scores of a touchpoint before agreeing (format 1.1).

Each rating names someone in ``auditors``; an auditor rates a touchpoint at most once;
its scores are on the scale; its consistency keys are the audit's core message ids.
The agreement figures (:mod:`journey_audit.figures.agreement`) rest on these.

ratings
    >>> from .examples import example
    >>> AUD = ("involvement: low", "involvement: low\\nauditors: [Wang Min, Li Wei]")
    >>> example(*AUD, "quality: 4", "quality: 4\\n        ratings:\\n          - {auditor: Li Wey, message: 3}")
    a.yaml:22:23: error: 'Li Wey' is not one of the audit's auditors (did you mean 'Li Wei'?) (ratings)
    >>> example(*AUD, "quality: 4", "quality: 4\\n        ratings:\\n          - {auditor: Li Wei, message: 3}"
    ...         "\\n          - {auditor: Li Wei, message: 2}")
    a.yaml:23:23: error: Li Wei rates touchpoint 'website' twice; keep one entry per auditor (ratings)
    >>> example(*AUD, "quality: 4", "quality: 4\\n        ratings:\\n          - {auditor: Li Wei, message: 7}")
    a.yaml:22:40: error: Li Wei's message score 7 is off the scale 1..5: write a whole number from 1 to 5 (ratings)
    >>> example(*AUD, "quality: 4", "quality: 4\\n        ratings:\\n          - {auditor: Li Wei, consistency: {qualty: 3}}")
    a.yaml:22:53: error: 'qualty' is not a core message of this audit (did you mean 'quality'?) (ratings)
"""

from __future__ import annotations

from typing import Any

from .. import format_spec as spec
from ..model import Audit, Rating, Touchpoint
from ..problems import did_you_mean
from .rule import ERROR, Report, Rule
from .scale import write_on_scale

RATINGS = "ratings"

RULES = (
    Rule(RATINGS, ERROR, "a rating names one of the auditors, once per touchpoint; its scores are on the scale"),
)


def check(report: Report, audit: Audit) -> None:
    core_ids = [cm.id for cm in audit.core_messages]
    cores_known = report.intact(spec.CORE_MESSAGE)
    scale_known = report.intact("scale", "min", "max")
    auditors_known = report.intact("auditors")
    for _, tp in audit.touchpoints():
        seen: set[str] = set()
        for rating in tp.ratings:
            if rating.auditor not in audit.auditors and auditors_known:
                where = "" if audit.auditors else "; list them in `auditors` first"
                report.error_at(rating, "auditor", f"'{rating.auditor}' is not one of the audit's auditors"
                                                   f"{did_you_mean(rating.auditor, audit.auditors)}{where}", RATINGS)
            elif rating.auditor in seen:
                report.error_at(rating, "auditor", f"{rating.auditor} rates touchpoint '{tp.id}' twice; keep one "
                                                   "entry per auditor", RATINGS)
            seen.add(rating.auditor)
            _scores(report, audit, tp, rating, core_ids if cores_known else None, scale_known)


def _scores(report: Report, audit: Audit, tp: Touchpoint, rating: Rating, core_ids: list[str] | None,
            scale_known: bool) -> None:
    lo, hi = audit.scale.min, audit.scale.max

    def on_scale(name: str, value: Any, what: str) -> None:
        if scale_known and value is not None and not lo <= value <= hi:
            report.error_at(rating, name, f"{rating.auditor}'s {what} {value} is off the scale {lo}..{hi}: "
                                          f"{write_on_scale(lo, hi, or_none=what != 'message score')}", RATINGS)

    on_scale("message", rating.message, "message score")
    for cid, value in rating.consistency.items():
        if core_ids is not None and cid not in core_ids:
            report.error_at(rating, f"consistency.{cid}", f"'{cid}' is not a core message of this audit"
                                                          f"{did_you_mean(cid, core_ids)}", RATINGS)
        else:
            on_scale(f"consistency.{cid}", value, f"consistency score for '{cid}'")
