"""The funnel: ``funnel``, warnings the audit is still usable with.

Stages may give the prospects entering them; the funnel chart then shows how many
are left at each step. Skipped when a stage or a count could not be read.

funnel
    Either every stage gives prospects or none does, and they never grow from one
    stage to the next.

    >>> from .examples import MINIMAL, example_text
    >>> buy = MINIMAL[MINIMAL.index("  - id: search"):].replace("search", "buy").replace("website", "shop")
    >>> example_text(MINIMAL.replace("name: Search", "name: Search\\n    prospects: 100")
    ...              + buy.replace("name: Search", "name: Buy\\n    prospects: 250"))
    a.yaml:23:16: warning: prospects grow from 100 ('search') to 250 ('buy'); a funnel only narrows (funnel)
"""

from __future__ import annotations

from .. import format_spec as spec
from ..model import Audit
from .rule import WARNING, Report, Rule

FUNNEL = "funnel"

RULES = (
    Rule(FUNNEL, WARNING, "all stages give prospects or none does, and the count never grows"),
)


def check(report: Report, audit: Audit) -> None:
    if not report.intact("prospects", spec.STAGE):
        return
    with_counts = [s for s in audit.stages if s.prospects is not None]
    if with_counts and len(with_counts) < len(audit.stages):
        report.warn_at(audit, "stages", "only some stages give prospects; the funnel skips the others", FUNNEL)
    for before, after in zip(audit.stages, audit.stages[1:]):
        if before.prospects is not None and after.prospects is not None and after.prospects > before.prospects:
            report.warn_at(after, "prospects", f"prospects grow from {before.prospects} ('{before.id}') to "
                                               f"{after.prospects} ('{after.id}'); a funnel only narrows", FUNNEL)
