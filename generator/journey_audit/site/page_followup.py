"""The audit page's follow-up on the previous round (format 1.1): what became of its
recommendations (follow-through, overall and per owner).

Formatting only: the figures are :func:`journey_audit.figures.scoring.follow_through`'s,
so the page, the JSON export and the diff agree to the digit.
"""

from __future__ import annotations

from ..figures.scoring import FollowThrough, fmt_percent
from ..labels import label
from .escape import text as esc
from .page_html import md_heading, status_label, table, td


def follow_through_section(ft: FollowThrough | None, lang: str, previous_href: str) -> tuple[str, ...]:
    """Heading and body of "Last round's recommendations": the rate, the rate per owner,
    and each recommendation with its status now; nothing when the previous round has no
    recommendation with an id (an audit without format 1.1 fields looks as before)."""
    if ft is None or ft.rate is None:
        return ()
    rate = label("follow_through_rate", lang).format(done=ft.done, total=len(ft.items), rate=fmt_percent(ft.rate))
    summary = (f'<p class="ja-follow-through"><strong>{esc(label("follow_through", lang))}</strong>: '
               f'<span class="ja-follow-through-rate" data-rate="{esc(fmt_percent(ft.rate))}">{esc(rate)}</span></p>')
    owners = [f'<tr data-owner="{esc(owner or "")}">' + td(esc(owner or label("no_owner", lang)))
              + td(str(done), done) + td(str(total), total) + td(esc(fmt_percent(share)), float(share)) + "</tr>"
              for owner, (done, total, share) in ft.by_owner.items()]
    owner_table = table([(label("owner", lang), "text"), (label("done_count", lang), "number"),
                         (label("total_count", lang), "number"), (label("follow_through", lang), "number")],
                        owners, "ja-follow-through-owners", caption=label("by_owner", lang))
    items = [f'<tr data-id="{esc(i.id)}" data-status="{esc(i.status)}">'
             + td(f'<a href="{previous_href}#tp-{esc(i.touchpoint)}">{esc(i.text)}</a>')
             + td(esc(i.owner or "")) + td(esc(status_label(i.status, lang)), cls=f"ja-status-{esc(i.status)}")
             + "</tr>" for i in ft.items]
    item_table = table([(label("recommendation", lang), "text"), (label("owner", lang), "text"),
                        (label("status_now", lang), "text")], items, "ja-previous-recommendations")
    return (md_heading(2, label("previous_recommendations", lang), "follow-through"),
            "\n\n".join((summary, owner_table, item_table)))
