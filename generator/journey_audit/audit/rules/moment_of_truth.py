"""Moments of truth: ``moment-of-truth``, a warning the audit is still usable with.

A decisive touchpoint scored below the middle of the scale on its message needs a
recommendation: that is where the client loses customers.

moment-of-truth
    >>> from .examples import example
    >>> example("channel: online", "channel: online\\n        moment_of_truth: true", "score: 3", "score: 2")
    a.yaml:12:9: warning: moment of truth 'website' scores 2 on message but has no recommendation (moment-of-truth)
"""

from __future__ import annotations

from ..model import Audit
from .rule import WARNING, Report, Rule

MOMENT_OF_TRUTH = "moment-of-truth"

RULES = (
    Rule(MOMENT_OF_TRUTH, WARNING, "a moment of truth scored below the scale's middle has a recommendation"),
)


def check(report: Report, audit: Audit) -> None:
    middle = audit.scale.middle
    for _, tp in audit.touchpoints():
        if tp.moment_of_truth and tp.message.score is not None and tp.message.score < middle and not tp.recommendations:
            report.warn(tp.line, tp.col, f"moment of truth '{tp.id}' scores {tp.message.score} on message but has "
                                         "no recommendation", MOMENT_OF_TRUTH)
