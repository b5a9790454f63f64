"""The sections of an audit page that show the audit itself: the stage table, the
funnel, the heat map of consistency, the priorities, the importance–performance grid,
the recommendations, and one section per touchpoint.

Formatting only, like :mod:`.pages` (which puts these sections in order around the
page's own parts: the summary, the diagram, the changes, the gates, the downloads).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .. import palette
from ..audit.format_spec import CLOSED_STATUSES as CLOSED
from ..audit.format_spec import LEVELS
from ..audit.model import Audit
from ..figures.scoring import AuditFigures, fmt, fmt_percent, quadrant
from ..labels import label
from .charts import funnel_svg, importance_performance_svg
from .escape import href as safe_href
from .escape import lines
from .escape import text as esc
from .page_auditors import flag_mark, touchpoint_ratings
from .page_segments import touchpoint_facts
from .page_html import (
    chip,
    colon,
    lang_attribute,
    level_label,
    md_heading,
    status_label,
    table,
    td,
    time_tag,
)

if TYPE_CHECKING:
    from .pages import Links


def internal_block(notes: str | None, lang: str, lang_attr: str) -> str:
    """Internal notes in their marked box (only in a build that publishes them); '' for none."""
    if not notes:
        return ""
    return (f'<div class="ja-internal" role="note"{lang_attr}><p class="ja-internal-title">'
            f'{esc(label("internal_notes", lang))}</p>{lines(notes)}</div>')


def stage_table(a: Audit, f: AuditFigures, lang: str) -> str:
    """Each stage's figures, prospects and conversion to the next stage."""
    rows = []
    for stage in a.stages:
        s = f.stages[stage.id]
        rows.append(f'<tr data-stage="{esc(stage.id)}">'
                    + td(esc(stage.name)) + td(str(len(stage.touchpoints)), cls="ja-num")
                    + td(chip(s.score, a)) + td(chip(s.message, a)) + td(chip(s.consistency, a))
                    + td("" if s.prospects is None else f"{s.prospects:,}", cls="ja-num")
                    + td(esc(fmt_percent(s.conversion)) if s.conversion is not None else "–", cls="ja-num")
                    + "</tr>")
    head = [(label("stage", lang), "text"), (label("touchpoints", lang), "number"), (label("score", lang), "number"),
            (label("message", lang), "number"), (label("consistency", lang), "number"),
            (label("prospects", lang), "number"), (label("next_stage", lang), "number")]
    return table(head, rows, "ja-stages")


def funnel_section(a: Audit, f: AuditFigures, lang: str) -> str:
    """The funnel chart with its overall conversion and leakiest stage, or a note that there is none."""
    svg = funnel_svg(a, f, lang)
    if svg is None:
        return f'<p class="ja-hint">{esc(label("no_funnel", lang))}</p>'
    names = {s.id: s.name for s in a.stages}
    facts = colon(label("overall_conversion", lang), esc(fmt_percent(f.funnel.overall)), lang)
    if f.funnel.leakiest:
        facts += " · " + colon(label("leakiest", lang), esc(names[f.funnel.leakiest]), lang)
    return f'<figure class="ja-figure ja-funnel-figure" data-search-exclude>\n{svg}\n<figcaption>{facts}</figcaption></figure>'


def heat_map(a: Audit, f: AuditFigures, lang: str) -> str:
    """Consistency scores, touchpoints by core messages, with each core message's figures below."""
    cms = a.core_messages
    head = "".join(f'<th scope="col" data-core-message="{esc(cm.id)}">{esc(cm.text)}</th>' for cm in cms)
    rows = []
    for _, tp in a.touchpoints():
        cells = []
        for cm in cms:
            v = tp.consistency.get(cm.id)
            if v is None:
                cells.append(f'<td class="ja-na" style="background:{palette.NEUTRAL};'
                             f'color:{palette.text_on(palette.NEUTRAL)}" '
                             f'title="{esc(label("not_applicable", lang))}">–</td>')
            else:
                bg = palette.fill(v, a.scale.min, a.scale.max)
                cells.append(f'<td style="background:{bg};color:{palette.text_on(bg)}">{v}</td>')
        mark = " ★" if tp.moment_of_truth else ""
        rows.append(f'<tr data-tp="{esc(tp.id)}"><th scope="row"><a href="#tp-{esc(tp.id)}">{esc(tp.name)}</a>'
                    f"{mark}{flag_mark(f, tp.id, lang)}</th>{''.join(cells)}</tr>")
    foot = []
    for key, value in (("mean", lambda c: fmt(c.mean)), ("coverage", lambda c: fmt_percent(c.coverage)),
                       ("spread", lambda c: fmt(c.spread))):
        foot.append(f'<tr class="ja-{key}"><th scope="row">{esc(label(key, lang))}</th>'
                    + "".join(f"<td>{esc(value(f.core_messages[cm.id]))}</td>" for cm in cms) + "</tr>")
    return (f'<p class="ja-hint">{esc(label("heat_map_hint", lang))}</p>\n'
            f'<div class="ja-table-wrap ja-heatmap"><table{lang_attribute(a)}>\n'
            f'<thead><tr><th scope="col">{esc(label("touchpoint", lang))}</th>{head}</tr></thead>\n'
            f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n<tfoot>\n" + "\n".join(foot) + "\n</tfoot></table></div>")


def priorities_table(a: Audit, f: AuditFigures, lang: str) -> str:
    """Touchpoints by gap, the largest first: where improving pays most."""
    found = {tp.id: (stage, tp) for stage, tp in a.touchpoints()}
    rows = []
    for rank, tp_id in enumerate(f.priorities, start=1):
        stage, tp = found[tp_id]
        t = f.touchpoints[tp_id]
        rows.append(f'<tr data-tp="{esc(tp_id)}">' + td(str(rank), cls="ja-num")
                    + td(f'<a href="#tp-{esc(tp_id)}">{esc(tp.name)}</a>') + td(esc(stage.name))
                    + td(esc(label("yes", lang)) if tp.moment_of_truth else "")
                    + td(str(t.importance), cls="ja-num") + td(chip(t.score, a))
                    + td(esc(fmt(t.gap)), cls="ja-num") + "</tr>")
    head = [(label("rank", lang), "number"), (label("touchpoint", lang), "text"), (label("stage", lang), "text"),
            (label("moment_of_truth", lang), "text"), (label("importance", lang), "number"),
            (label("score", lang), "number"), (label("gap", lang), "number")]
    return f'<p class="ja-hint">{esc(label("priorities_hint", lang))}</p>\n' + table(head, rows, "ja-priorities")


def ipa_section(a: Audit, f: AuditFigures, lang: str) -> str:
    """The importance–performance chart, with its numbered touchpoints and their quadrants."""
    items = []
    for number, (_, tp) in enumerate(a.touchpoints(), start=1):
        q = quadrant(f.touchpoints[tp.id], a)
        items.append(f'<li value="{number}" data-quadrant="{q}"><a href="#tp-{esc(tp.id)}">{esc(tp.name)}</a>'
                     f' <span class="ja-quadrant">{esc(label("quadrant_" + q, lang))}</span></li>')
    return (f'<p class="ja-hint">{esc(label("ipa_hint", lang))}</p>\n'
            f'<figure class="ja-figure ja-ipa-figure" data-search-exclude>\n{importance_performance_svg(a, f, lang)}\n'
            f'<figcaption><ol class="ja-ipa-legend"{lang_attribute(a)}>{"".join(items)}</ol></figcaption></figure>')


def recommendations_table(a: Audit, lang: str) -> str:
    """Every recommendation, the most urgent first (journey order within a priority).

    When any recommendation gives an ``id`` or a ``status`` (format 1.1), a status column is added
    and the done and dropped ones follow in a table of their own, still visible but apart.
    """
    found = [(stage, tp, r) for stage, tp in a.touchpoints() for r in tp.recommendations]
    if not found:
        return f'<p class="ja-hint">{esc(label("no_recommendations", lang))}</p>'
    found.sort(key=lambda x: LEVELS.index(x[2].priority))  # stable: journey order within a priority
    with_status = any(r.id is not None or r.status != "open" for _, _, r in found)
    if not with_status:
        return _recommendation_rows(found, lang, False, "ja-recommendations")
    current = [x for x in found if x[2].status not in CLOSED]
    closed = [x for x in found if x[2].status in CLOSED]
    parts = [_recommendation_rows(current, lang, True, "ja-recommendations") if current else
             f'<p class="ja-hint">{esc(label("no_recommendations", lang))}</p>']
    if closed:
        parts.append(f'<p class="ja-subhead">{esc(label("recommendations_closed", lang))}</p>\n'
                     + _recommendation_rows(closed, lang, True, "ja-recommendations ja-recommendations-closed"))
    return "\n\n".join(parts)


def _recommendation_rows(found: list, lang: str, with_status: bool, cls: str) -> str:
    rows = []
    for _, tp, r in found:
        status = td(esc(status_label(r.status, lang)), cls=f"ja-status-{esc(r.status)}") if with_status else ""
        rows.append(f'<tr data-priority="{esc(r.priority)}"' + (f' data-status="{esc(r.status)}">' if with_status
                                                              else ">")
                    + td(esc(level_label(r.priority, lang)), LEVELS.index(r.priority), f"ja-level-{esc(r.priority)}")
                    + td(esc(r.text)) + td(f'<a href="#tp-{esc(tp.id)}">{esc(tp.name)}</a>')
                    + td(esc(level_label(r.effort, lang))) + td(esc(r.owner or ""))
                    + td(time_tag(r.due) if r.due else "") + status + "</tr>")
    head = [(label("priority", lang), "text"), (label("recommendation", lang), "text"),
            (label("touchpoint", lang), "text"), (label("effort", lang), "text"), (label("owner", lang), "text"),
            (label("due", lang), "text")]
    if with_status:
        head.append((label("status", lang), "text"))
    return table(head, rows, cls)


def touchpoint_section(a: Audit, f: AuditFigures, stage, tp, lang: str, links: Links, metrics_html: str = "") -> str:
    """One touchpoint's heading (anchor ``tp-<id>``), facts, message, scores, measured
    results (``metrics_html``, format 1.1), evidence and notes."""
    t = f.touchpoints[tp.id]
    la = lang_attribute(a)
    facts = [(label("stage", lang), esc(stage.name)),
             (label("channel", lang), esc(label(f"channel_{tp.channel}", lang)))]
    if tp.owner:
        facts.append((label("owner", lang), esc(tp.owner)))
    if tp.message_type:
        facts.append((label("message_type", lang), esc(label(f"message_type_{tp.message_type}", lang))))
    if tp.moment_of_truth:
        facts.append((label("moment_of_truth", lang), esc(label("yes", lang))))
    facts.append((label("importance", lang), str(t.importance)))
    facts += touchpoint_facts(a, tp, lang)  # format 1.1: segments, direction, trigger, appeal
    facts_html = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in facts)

    message = [(label("intended", lang), tp.message.intended), (label("method", lang), tp.message.method),
               (label("observed", lang), tp.message.observed)]
    message_html = "".join(f"<dt>{esc(k)}</dt><dd>{lines(v)}</dd>" for k, v in message if v)

    scale_label = a.scale.label(tp.message.score)
    scores = [(label("message", lang), chip(tp.message.score, a, str(tp.message.score))
               + (f" {esc(scale_label)}" if scale_label else "")),
              (label("consistency", lang), chip(t.consistency, a)),
              (label("score", lang), chip(t.score, a)),
              (label("gap", lang), esc(fmt(t.gap)))]
    scores_html = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in scores)
    per_cm = "".join(
        "<li>" + colon(cm.text, chip(tp.consistency[cm.id], a, str(tp.consistency[cm.id]))
                       if tp.consistency.get(cm.id) is not None else esc(label("not_applicable", lang)), lang)
        + "</li>" for cm in a.core_messages)

    extra = [metrics_html] if metrics_html else []
    evidence = []
    for e in tp.evidence:
        target = safe_href(e.url, links.root) if e.url else None
        evidence.append(f'<li><a href="{target}" rel="nofollow noopener">{esc(e.title)}</a></li>' if target
                        else f"<li>{esc(e.title)}</li>")
    if evidence:
        extra.append(f'<p class="ja-subhead">{esc(label("evidence", lang))}</p><ul class="ja-evidence">'
                     f'{"".join(evidence)}</ul>')
    if f.agreement is not None:
        extra.append(touchpoint_ratings(a, f, tp, lang))
    if tp.notes:
        extra.append(f'<p class="ja-subhead">{esc(label("notes", lang))}</p><div class="ja-notes">{lines(tp.notes)}</div>')
    if tp.internal_notes:
        extra.append(internal_block(tp.internal_notes, lang, ""))
    body = (f'<div class="ja-touchpoint" data-tp="{esc(tp.id)}"{la}>\n'
            f'<dl class="ja-facts">{facts_html}</dl>\n'
            f'<dl class="ja-message">{message_html}</dl>\n'
            f'<dl class="ja-scores">{scores_html}</dl>\n'
            f'<ul class="ja-consistency">{per_cm}</ul>\n' + "\n".join(e for e in extra if e) + "\n</div>")
    title = ("★ " if tp.moment_of_truth else "") + tp.name
    return md_heading(3, title, f"tp-{tp.id}", la) + "\n\n" + body
