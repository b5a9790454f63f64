"""The audit page's "Auditors" section and the marks of touchpoints the auditors scored apart.

Only for an audit with ``ratings`` (format 1.1): without them :func:`auditors_section`
and the marks are empty, and the page is exactly as before. Every figure comes from
:func:`journey_audit.figures.agreement.agreement` (alpha shown with three decimals by
:func:`~journey_audit.figures.agreement.fmt_alpha`, leans with one by
:func:`~journey_audit.figures.scoring.fmt_delta`), so the page agrees with the JSON export.
"""

from __future__ import annotations

from ..audit.model import Audit, Touchpoint
from ..figures.agreement import Agreement, fmt_alpha, reading
from ..figures.scoring import AuditFigures, fmt_delta, round1
from ..labels import label
from .escape import text as esc
from .page_html import chip, colon, lang_attribute, table, td

FLAG = "⚑"  # the mark of a touchpoint whose auditors differ by two points or more


def flag_mark(f: AuditFigures, tp_id: str, lang: str) -> str:
    """The flag after a touchpoint's name where its auditors differ by 2 or more; '' elsewhere."""
    g = f.agreement
    t = g.touchpoints.get(tp_id) if g is not None else None
    if t is None or not t.flagged:
        return ""
    text = label("ratings_differ", lang).format(spread=t.spread)
    return f' <span class="ja-flag" role="img" title="{esc(text)}" aria-label="{esc(text)}">{FLAG}</span>'


def touchpoint_ratings(a: Audit, f: AuditFigures, tp: Touchpoint, lang: str) -> str:
    """In a flagged touchpoint's section: how far apart the auditors were, and each one's scores."""
    g = f.agreement
    t = g.touchpoints.get(tp.id) if g is not None else None
    if t is None or not t.flagged:
        return ""
    head = f'<p class="ja-subhead">{FLAG} {esc(label("ratings_differ", lang).format(spread=t.spread))}</p>'
    return head + _scores_table(a, g, tp, lang)


def auditors_section(a: Audit, f: AuditFigures, lang: str) -> str:
    """Alpha with its reading, the flagged touchpoints with each auditor's scores, each auditor's lean."""
    g = f.agreement
    if g is None:
        return ""
    la = lang_attribute(a)
    meaning = reading(g.alpha)
    alpha_line = (f'<p class="ja-alpha" data-alpha="{esc(fmt_alpha(g.alpha))}"><strong>'
                  + colon(label("alpha", lang), f'<span class="ja-alpha-value">{esc(fmt_alpha(g.alpha))}</span>', lang)
                  + f"</strong> — {esc(label('alpha_' + (meaning or 'undefined'), lang))}"
                  + f' <span class="ja-hint">({esc(label("rated_items", lang).format(n=g.pairable))})</span></p>')
    parts = [f'<p class="ja-hint">{esc(label("auditors_hint", lang))}</p>', alpha_line]
    flagged = [tp for _, tp in a.touchpoints() if tp.id in g.flagged]
    if flagged:
        parts.append(f'<p class="ja-subhead">{esc(label("flagged_touchpoints", lang))}</p>')
        for tp in flagged:
            parts.append(f'<p><a href="#tp-{esc(tp.id)}">{esc(tp.name)}</a>{flag_mark(f, tp.id, lang)}</p>'
                         + _scores_table(a, g, tp, lang))
    else:
        parts.append(f'<p class="ja-hint">{esc(label("no_flagged", lang))}</p>')
    rows = [f'<tr data-auditor="{esc(name)}">' + td(esc(name))
            + td(esc(fmt_delta(None if g.leans[name] is None else round1(g.leans[name]))), cls="ja-num") + "</tr>"
            for name in g.auditors]
    parts.append(f'<p class="ja-hint">{esc(label("lean_hint", lang))}</p>')
    parts.append(table([(label("auditor", lang), "text"), (label("lean", lang), "number")], rows, "ja-leans"))
    return f'<div class="ja-auditors"{la}>\n' + "\n".join(parts) + "\n</div>"


def _scores_table(a: Audit, g: Agreement, tp: Touchpoint, lang: str) -> str:
    """Rows: the message and each core message; columns: each auditor who rated it, then the agreed score."""
    t = g.touchpoints[tp.id]
    names = list(t.ratings)
    items = [(label("message", lang), lambda r: r[0], tp.message.score)]
    for cm in a.core_messages:
        items.append((cm.text, lambda r, c=cm.id: r[1].get(c), tp.consistency.get(cm.id)))
    rows = []
    for what, pick, agreed in items:
        cells = [pick(t.ratings[n]) for n in names]
        if all(v is None for v in cells):
            continue
        rows.append("<tr>" + td(esc(what)) + "".join(td(chip(v, a, str(v)) if v is not None else "–") for v in cells)
                    + td(chip(agreed, a, str(agreed)) if agreed is not None else "–") + "</tr>")
    head = [(label("figure", lang), "text"), *((n, "number") for n in names), (label("agreed", lang), "number")]
    return table(head, rows, "ja-ratings")
