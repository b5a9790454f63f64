"""The funnel: ``funnel``, warnings the audit is still usable with.

Stages may give the prospects entering them; the funnel chart then shows how many
are left at each step. Skipped when a stage or a count could not be read.

funnel
    Either every stage gives prospects or none does, and they never grow from one
    stage to the next; nor does a segment's count in ``prospects_by_segment``, and no
    segment counts more prospects than its stage gives (a segment is part of them).

    >>> from .examples import MINIMAL, example_text
    >>> buy = MINIMAL[MINIMAL.index("  - id: search"):].replace("search", "buy").replace("website", "shop")
    >>> example_text(MINIMAL.replace("name: Search", "name: Search\\n    prospects: 100")
    ...              + buy.replace("name: Search", "name: Buy\\n    prospects: 250"))
    a.yaml:23:16: warning: prospects grow from 100 ('search') to 250 ('buy'); a funnel only narrows (funnel)
    >>> SEG = "involvement: low\\nsegments: [{id: a, name: A}]"
    >>> example_text(MINIMAL.replace("involvement: low", SEG).replace(
    ...     "name: Search", "name: Search\\n    prospects: 100\\n    prospects_by_segment: {a: 40}")
    ...     + buy.replace("name: Search", "name: Buy\\n    prospects: 50\\n    prospects_by_segment: {a: 45}"))
    a.yaml:26:31: warning: prospects of segment 'a' grow from 40 ('search') to 45 ('buy'); a funnel only narrows (funnel)
    >>> example_text(MINIMAL.replace("involvement: low", SEG).replace(
    ...     "name: Search", "name: Search\\n    prospects: 100\\n    prospects_by_segment: {a: 400}"))
    a.yaml:13:31: warning: segment 'a' counts 400 prospects in stage 'search', more than the stage's 100: a segment's prospects are part of its stage's (funnel)
"""

from __future__ import annotations

from .. import format_spec as spec
from ..model import Audit
from .rule import WARNING, Report, Rule

FUNNEL = "funnel"

RULES = (
    Rule(FUNNEL, WARNING, "all stages give prospects or none; no count grows; no segment counts more than its stage"),
)


def check(report: Report, audit: Audit) -> None:
    if not report.intact("prospects", "prospects_by_segment", spec.STAGE):
        return
    with_counts = [s for s in audit.stages if s.prospects is not None]
    if with_counts and len(with_counts) < len(audit.stages):
        report.warn_at(audit, "stages", "only some stages give prospects; the funnel skips the others", FUNNEL)
    for before, after in zip(audit.stages, audit.stages[1:]):
        if before.prospects is not None and after.prospects is not None and after.prospects > before.prospects:
            report.warn_at(after, "prospects", f"prospects grow from {before.prospects} ('{before.id}') to "
                                               f"{after.prospects} ('{after.id}'); a funnel only narrows", FUNNEL)
    _segments(report, audit)


def _segments(report: Report, audit: Audit) -> None:
    # The same narrowing per segment (contract: "as the funnel is from prospects"), and a
    # segment is a part of its stage's prospects, so it cannot count more than they do.
    for before, after in zip(audit.stages, audit.stages[1:]):
        for seg, n in after.prospects_by_segment.items():
            was = before.prospects_by_segment.get(seg)
            if isinstance(was, int) and isinstance(n, int) and n > was:
                report.warn_at(after, f"prospects_by_segment.{seg}", f"prospects of segment '{seg}' grow from {was} "
                                      f"('{before.id}') to {n} ('{after.id}'); a funnel only narrows", FUNNEL)
    for stage in audit.stages:
        if stage.prospects is None:
            continue
        counts = {seg: n for seg, n in stage.prospects_by_segment.items() if isinstance(n, int)}
        for seg, n in counts.items():
            if n > stage.prospects:
                report.warn_at(stage, f"prospects_by_segment.{seg}", f"segment '{seg}' counts {n} prospects in stage "
                                      f"'{stage.id}', more than the stage's {stage.prospects}: a segment's prospects "
                                      "are part of its stage's", FUNNEL)
        if sum(counts.values()) > stage.prospects and all(n <= stage.prospects for n in counts.values()):
            # Segments are parts of one whole (their shares add up to at most 1): so are their counts.
            report.warn_at(stage, "prospects_by_segment", f"the segments' prospects in stage '{stage.id}' add up to "
                                  f"{sum(counts.values())}, more than the stage's {stage.prospects}", FUNNEL)
