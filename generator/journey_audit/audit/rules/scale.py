"""The scale and the scores on it: ``scale``, ``weights``, ``score-range``.

:func:`usable` runs first of the checks across fields: a scale that is not a scale
ends them, since every score would be judged on it. A scale the structure walk had
to leave out (``max: ten``) is not replaced by the default to judge scores.

scale
    The scale's min is below its max, it has at most 100 steps, and every label is
    for a score on it.

    >>> from .examples import example
    >>> example("involvement: low", "involvement: low\\nscale: {min: 5, max: 1}")
    a.yaml:5:8: error: scale min (5) must be below max (1) (scale)
    >>> example("involvement: low", "involvement: low\\nscale: {max: 4, labels: {5: Excellent}}")
    a.yaml:5:29: error: label for 5, which is outside the scale 1..4 (scale)

weights
    The weights of message and consistency add up to 1.

    >>> example("involvement: low", "involvement: low\\nweights: {message: 0.4}")
    a.yaml:5:10: error: weights must add up to 1 (message 0.4 + consistency 0.5 = 0.9) (weights)

score-range
    Every score (message, consistency, importance) is on the scale.

    >>> example("score: 3", "score: 7")
    a.yaml:17:18: error: message score 7 is off the scale 1..5: write a whole number from 1 to 5 (score-range)
"""

from __future__ import annotations

from typing import Any

from .. import format_spec as spec
from ..model import Audit
from .rule import ERROR, Report, Rule

SCALE = "scale"
WEIGHTS = "weights"
SCORE_RANGE = "score-range"

RULES = (
    Rule(SCALE, ERROR, "the scale's min is below its max, it has at most 100 steps, its labels are on it"),
    Rule(WEIGHTS, ERROR, "the weights of message and consistency add up to 1"),
    Rule(SCORE_RANGE, ERROR, "every score (message, consistency, importance) is on the scale"),
)

MAX_SCALE_SPAN = 100


def write_on_scale(lo: int, hi: int, or_none: bool = False) -> str:
    """What to write instead of a score off the scale ``lo``..``hi``.

    >>> write_on_scale(1, 5, or_none=True)
    'write a whole number from 1 to 5 (or ~ where the core message does not apply)'
    """
    return f"write a whole number from {lo} to {hi}" + (" (or ~ where the core message does not apply)"
                                                       if or_none else "")


def usable(report: Report, audit: Audit) -> bool:
    """False (after reporting it) when the scale cannot be one: no score can be judged."""
    scale = audit.scale
    if scale.min >= scale.max:
        report.error_at(audit, "scale", f"scale min ({scale.min}) must be below max ({scale.max})", SCALE)
        return False
    if scale.max - scale.min > MAX_SCALE_SPAN:
        # Every page draws one step per point (legends, chart ticks): keep it a rating scale.
        report.error_at(audit, "scale", f"scale {scale.min}..{scale.max} has more than {MAX_SCALE_SPAN} steps; "
                                        "use a rating scale such as 1..5 or 0..10", SCALE)
        return False
    return True


def check(report: Report, audit: Audit) -> None:
    scale = audit.scale
    for score in scale.labels:
        if not scale.min <= score <= scale.max:
            report.error_at(scale, f"labels.{score}", f"label for {score}, which is outside the scale "
                                                      f"{scale.min}..{scale.max}", SCALE)
    w = audit.weights
    if report.intact("weights", "message", "consistency") and abs(w.message + w.consistency - 1) > 1e-9:
        report.error_at(audit, "weights", f"weights must add up to 1 (message {w.message} + consistency "
                                          f"{w.consistency} = {w.message + w.consistency:g})", WEIGHTS)
    if report.intact("scale", "min", "max"):
        _scores(report, audit)


def _scores(report: Report, audit: Audit) -> None:
    scale = audit.scale
    lo, hi = scale.min, scale.max

    def on_scale(obj: Any, name: str, value: int | None, what: str, or_none: bool = False) -> None:
        if value is not None and not lo <= value <= hi:
            report.error_at(obj, name, f"{what} {value} is off the scale {lo}..{hi}: {write_on_scale(lo, hi, or_none)}",
                            SCORE_RANGE)

    core_ids = {cm.id for cm in audit.core_messages}
    cores_known = report.intact(spec.CORE_MESSAGE)
    for _, tp in audit.touchpoints():
        on_scale(tp, "importance", tp.importance, "importance")
        on_scale(tp.message, "score", tp.message.score, "message score")
        for cid, value in tp.consistency.items():
            if cid in core_ids or not cores_known:  # an unknown id is a consistency problem, not a score's
                on_scale(tp, f"consistency.{cid}", value, f"consistency score for '{cid}'", or_none=True)
