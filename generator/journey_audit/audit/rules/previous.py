"""The previous round: ``previous``, the audit that ``previous:`` names.

Checked on one file here (an audit is not its own previous round), and across files by
:func:`journey_audit.audit.portfolio.check_links`: the previous audit is found (among
the files given, or next to this one), belongs to the same client, and the chain of
rounds does not loop. A previous round dated after this one is only a warning.

previous
    >>> from .examples import example
    >>> example("involvement: low", "involvement: low\\nprevious: minimal")
    a.yaml:5:11: error: an audit cannot be its own previous audit (previous)

    Across files (``journey-audit validate audits/``)::

        acme-2026q2.yaml:6:11: error: previous audit 'acme-2026q1' was not found among the audits given (previous)
        acme-2026q2.yaml:6:11: error: previous audit 'other-2026q1' belongs to client 'other-company', not 'acme-tools' (previous)
        acme-a.yaml:5:11: error: the chain of previous audits loops back to 'acme-a' (previous)
        rich.yaml:11:11: warning: previous audit 'minimal' is dated 2026-12-01, after this one (2026-06-30) (previous)
"""

from __future__ import annotations

from ..model import Audit
from .rule import ERROR, Report, Rule

PREVIOUS = "previous"

RULES = (
    Rule(PREVIOUS, ERROR, "previous names an earlier round of the same client, not itself, no loop "
                          "(dated later: a warning)"),
)


def check(report: Report, audit: Audit) -> None:
    if audit.previous == audit.slug:
        report.error_at(audit, "previous", "an audit cannot be its own previous audit", PREVIOUS)
