"""Which audits a report is made from, as the site would publish them.

An audit's report shows what that client's site may show: the allow-listed public copy
(:func:`journey_audit.site.publish.published`), no drafts and no internal notes unless
asked. The previous round is linked when it is among the audits given, so the report
can show the changes since it.
"""

from __future__ import annotations

from typing import Iterable

from ..audit.model import Audit, round_order
from ..figures.scoring import compute
from ..review.diff_model import AuditDiff
from ..site.page_changes import changes_between
from ..site.pages import AuditView
from ..site.publish import published


def report_views(audits: Iterable[Audit], *, include_internal: bool = False,
                 drafts: bool = False) -> list[AuditView]:
    """Each publishable audit of ``audits`` with its figures and its previous round (oldest first).

    ``audits`` are validated audits (e.g. a :class:`~journey_audit.audit.portfolio.Portfolio`'s);
    drafts are left out unless ``drafts``, internal notes unless ``include_internal``.
    """
    public = sorted(published(audits, include_internal=include_internal, drafts=drafts), key=round_order)
    views = {a.slug: AuditView(a, compute(a)) for a in public}
    for view in views.values():
        prev = views.get(view.audit.previous) if view.audit.previous else None
        if prev is not None:
            view.previous = prev
    return list(views.values())


def changes_of(view: AuditView) -> AuditDiff | None:
    """The changes since the previous round, or None when it is not among the audits given."""
    if view.previous is None:
        return None
    return changes_between(view.previous.audit, view.audit, (view.previous.figures, view.figures))
