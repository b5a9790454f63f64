"""Consistency: ``consistency``, every touchpoint scores every core message, and only those.

A core message that does not apply to a touchpoint is scored ``~`` (null); a touchpoint
that scores none at all says nothing about consistency. When a core message could not
be read, ids are not compared with the core messages: they are not all known.

consistency
    >>> from .examples import example
    >>> example("quality: 4", "qualty: 4")
    a.yaml:19:19: error: 'qualty' is not a core message of this audit (did you mean 'quality'?) (consistency)
    >>> example("quality: 4", "quality: ~")
    a.yaml:19:11: error: touchpoint 'website' scores no core message; give at least one a score (consistency)
    >>> example("    text: Tools that last", "    text: Tools that last\\n  - id: service\\n    text: Fast answers")
    a.yaml:21:11: error: touchpoint 'website' does not score core message 'service'; add a score, or `service: ~` if it does not apply (consistency)
"""

from __future__ import annotations

from .. import format_spec as spec
from ..model import Audit
from ..problems import did_you_mean
from .rule import ERROR, Report, Rule

CONSISTENCY = "consistency"

RULES = (
    Rule(CONSISTENCY, ERROR, "every touchpoint scores every core message (~ where it does not apply), and only those"),
)


def check(report: Report, audit: Audit) -> None:
    cores_known = report.intact(spec.CORE_MESSAGE)
    core_ids = [cm.id for cm in audit.core_messages]
    for _, tp in audit.touchpoints():
        suggested: set[str] = set()  # a misspelt id is one mistake, not also a missing score
        for cid in tp.consistency:
            if cid not in core_ids and cores_known:
                hint = did_you_mean(cid, core_ids)
                suggested.add(hint.partition("'")[2].partition("'")[0])
                report.error_at(tp, f"consistency.{cid}", f"'{cid}' is not a core message of this audit{hint}",
                                CONSISTENCY)
        missing = [c for c in core_ids if c not in tp.consistency and c not in suggested] if cores_known else []
        if missing:
            report.error_at(tp, "consistency", f"touchpoint '{tp.id}' does not score core message "
                                               f"{', '.join(repr(m) for m in missing)}; add a score, or "
                                               f"`{missing[0]}: ~` if it does not apply", CONSISTENCY)
        elif all(v is None for v in tp.consistency.values()):
            report.error_at(tp, "consistency", f"touchpoint '{tp.id}' scores no core message; give at least one "
                                               "a score", CONSISTENCY)
