"""The audit page's sections of format 1.1's segments, directions and appeals.

- **Customer segments** (``#segments``): each segment's figures overall and per stage,
  on the score colours, below the whole audit's for comparison; each segment's funnel
  beside the overall one; which touchpoints each segment meets.
- **By channel, owner and direction** (``#rollups``): the rollups, largest loss first.
- **Appeal fit** (``#appeal-fit``): the share of appeals that fit the involvement and the
  touchpoints that do not, linked to their sections.
- :func:`touchpoint_facts`: a touchpoint's segments, direction, trigger and appeal, for
  its section's facts.

Formatting only: every figure comes from :func:`journey_audit.figures.segments.segment_figures`.
An audit that uses none of these fields gets no section and no fact, so its page is
exactly as it was.
"""

from __future__ import annotations

from ..audit.model import Audit, Touchpoint
from ..figures.scoring import AuditFigures, Funnel, fmt, fmt_percent
from ..figures.segments import SegmentFigures, SegmentReport, segment_figures
from ..labels import label
from .escape import text as esc
from .page_html import chip, colon, lang_attribute, md_heading, sort_number, table, td


def segment_sections(a: Audit, f: AuditFigures, lang: str) -> tuple[str, ...]:
    """The headings and sections of the segments, the rollups and the appeal fit; () when
    the audit uses none of their fields."""
    report = segment_figures(a, f)
    if report is None:
        return ()
    out: list[str] = []
    if report.segments:
        out += [md_heading(2, label("segments", lang), "segments"),
                f'<p class="ja-hint">{esc(label("segments_hint", lang))}</p>',
                segment_table(a, f, report, lang)]
        if any(s.prospects_by_segment for s in a.stages):
            out += [f'<p class="ja-subhead">{esc(label("segment_funnel", lang))}</p>',
                    segment_funnels(a, f, report, lang)]
        out += [f'<p class="ja-subhead">{esc(label("segment_touchpoints", lang))}</p>',
                segment_touchpoints(a, report, lang)]
    out += [md_heading(2, label("rollups", lang), "rollups"), rollups_section(a, report, lang)]
    if report.appeal.rated:
        out += [md_heading(2, label("appeal_fit", lang), "appeal-fit"), appeal_section(a, report, lang)]
    return tuple(out)


def _figure_cells(a: Audit, score, message, consistency) -> str:
    return "".join(td(chip(x, a), sort_number(x)) for x in (score, message, consistency))


def segment_table(a: Audit, f: AuditFigures, report: SegmentReport, lang: str) -> str:
    """Segments by stages: each segment's score, message and consistency, then its score in
    each stage; the first row is the whole audit's."""
    stage_cells = "".join(td(chip(f.stages[s.id].score, a), sort_number(f.stages[s.id].score)) for s in a.stages)
    rows = [f'<tr data-segment="" class="ja-segment-all"><th scope="row">{esc(label("all_prospects", lang))}</th>'
            + td("") + td("") + td(str(len(f.touchpoints)), cls="ja-num")
            + _figure_cells(a, f.score, f.message, f.consistency) + stage_cells + "</tr>"]
    for seg in report.segments.values():
        cells = "".join(td(chip(m.score, a) if m else "–", sort_number(m and m.score)) for m in seg.stages.values())
        rows.append(f'<tr data-segment="{esc(seg.id)}"><th scope="row">{esc(seg.name)}</th>'
                    + td(esc(fmt_percent(seg.share)), sort_number(seg.share and seg.share * 100), "ja-num")
                    + td(esc(label(f"involvement_{seg.involvement}", lang)))
                    + td(str(len(seg.touchpoints)), cls="ja-num")
                    + _figure_cells(a, seg.score, seg.message, seg.consistency) + cells + "</tr>")
    head = [(label("segment", lang), "text"), (label("share", lang), "number"), (label("involvement", lang), "text"),
            (label("touchpoints", lang), "number"), (label("overall", lang), "number"),
            (label("message", lang), "number"), (label("consistency", lang), "number")]
    head += [(s.name, "number") for s in a.stages]
    return table(head, rows, "ja-segments")


def _funnel_cells(counts: dict[str, int | None], funnel: Funnel, stage_id: str) -> str:
    step = next((s for s in funnel.steps if s.from_stage == stage_id), None)
    n = counts.get(stage_id)
    mark = "▼ " if funnel.leakiest == stage_id else ""
    conv = "–" if step is None or step.conversion is None else mark + fmt_percent(step.conversion)
    return td("–" if n is None else f"{n:,}", n, "ja-num") + td(esc(conv), cls="ja-num")


def segment_funnels(a: Audit, f: AuditFigures, report: SegmentReport, lang: str) -> str:
    """Prospects and conversion to the next stage, stage by stage: all prospects, then each
    segment beside them (▼ marks each column's stage that loses most)."""
    columns: list[tuple[str, str, dict[str, int | None], Funnel]] = [
        ("", label("all_prospects", lang), {s.id: s.prospects for s in a.stages}, f.funnel)]
    columns += [(seg.id, seg.name, seg.prospects, seg.funnel) for seg in report.segments.values()]
    rows = [f'<tr data-stage="{esc(s.id)}"><th scope="row">{esc(s.name)}</th>'
            + "".join(_funnel_cells(counts, funnel, s.id) for _, _, counts, funnel in columns) + "</tr>"
            for s in a.stages]
    overall = "".join(td("") + td(esc(fmt_percent(funnel.overall)), cls="ja-num") for _, _, _, funnel in columns)
    rows.append(f'<tr class="ja-funnel-overall"><th scope="row">{esc(label("overall_conversion", lang))}</th>'
                f"{overall}</tr>")
    groups = "".join(f'<th scope="colgroup" colspan="2" data-segment="{esc(key)}">{esc(name)}</th>'
                     for key, name, _, _ in columns)
    sub = "".join(f'<th scope="col">{esc(label("prospects", lang))}</th>'
                  f'<th scope="col">{esc(label("next_stage", lang))}</th>' for _ in columns)
    return (f'<p class="ja-hint">{esc(label("segment_funnel_hint", lang))}</p>\n'
            f'<div class="ja-table-wrap ja-segment-funnels"><table{lang_attribute(a)}>\n'
            f'<thead><tr><th scope="col" rowspan="2">{esc(label("stage", lang))}</th>{groups}</tr>'
            f"<tr>{sub}</tr></thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")


def segment_touchpoints(a: Audit, report: SegmentReport, lang: str) -> str:
    """Touchpoints by segments, ● where the segment meets the touchpoint."""
    segs: list[SegmentFigures] = list(report.segments.values())
    head = "".join(f'<th scope="col" data-segment="{esc(s.id)}">{esc(s.name)}</th>' for s in segs)
    meets = esc(label("meets", lang))
    rows = []
    for _, tp in a.touchpoints():
        cells = "".join(f'<td title="{meets}">●</td>' if tp.id in s.touchpoints else "<td></td>" for s in segs)
        rows.append(f'<tr data-tp="{esc(tp.id)}"><th scope="row"><a href="#tp-{esc(tp.id)}">{esc(tp.name)}</a>'
                    f"</th>{cells}</tr>")
    return (f'<div class="ja-table-wrap ja-segment-touchpoints"><table{lang_attribute(a)}>\n'
            f'<thead><tr><th scope="col">{esc(label("touchpoint", lang))}</th>{head}</tr></thead>\n'
            "<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")


def _value_label(key: str, value: str | None, lang: str) -> str:
    if value is None:
        return label("not_given", lang)
    if key in ("channel", "direction", "message_type"):
        return label(f"{key}_{value}", lang)
    return value  # an owner, as written


def rollups_section(a: Audit, report: SegmentReport, lang: str) -> str:
    """One table per rolled-up field that any touchpoint gives, and the inbound share."""
    parts = []
    if report.inbound_share is not None:
        parts.append(f'<p class="ja-inbound-share">'
                     f'{colon(label("inbound_share", lang), esc(fmt_percent(report.inbound_share)), lang)}</p>')
    for key, rows in report.rollups.items():
        if all(r.value is None for r in rows):
            continue
        body = [f'<tr data-rollup="{esc(key)}" data-value="{esc(r.value or "")}">'
                + td(esc(_value_label(key, r.value, lang))) + td(str(r.count), cls="ja-num")
                + td(chip(r.score, a), sort_number(r.score)) + td(esc(fmt(r.gap)), sort_number(r.gap), "ja-num")
                + "</tr>" for r in rows]
        head = [(label(key, lang), "text"), (label("count", lang), "number"), (label("score", lang), "number"),
                (label("total_gap", lang), "number")]
        parts.append(table(head, body, f"ja-rollup ja-rollup-{key.replace('_', '-')}"))
    return f'<p class="ja-hint">{esc(label("rollups_hint", lang))}</p>\n' + "\n\n".join(parts)


def appeal_section(a: Audit, report: SegmentReport, lang: str) -> str:
    """The appeal fit, and each misfit linked to its touchpoint's section with why it does not fit."""
    fit = report.appeal
    names = {tp.id: tp.name for _, tp in a.touchpoints()}
    facts = colon(label("appeal_fit", lang), esc(fmt_percent(fit.share)), lang)
    count = label("appeal_fit_count", lang).format(fitting=fit.fitting, rated=fit.rated)
    out = [f'<p class="ja-hint">{esc(label("appeal_fit_hint", lang))}</p>',
           f'<p class="ja-appeal-fit">{facts} · {esc(count)}</p>']
    if not fit.misfits:
        out.append(f'<p class="ja-hint">{esc(label("no_misfits", lang))}</p>')
        return "\n".join(out)
    items = []
    for m in fit.misfits:
        words = {key: label(name, lang) for key, name in (
            ("appeal", f"appeal_{m.appeal}"), ("involvement", f"involvement_{m.involvement}"),
            ("wanted", "appeal_rational" if m.involvement == "high" else "appeal_emotional"))}
        why = label("misfit_why", lang).format(**{k: v.lower() if lang == "en" else v for k, v in words.items()})
        why = why[:1].upper() + why[1:]
        items.append(f'<li data-tp="{esc(m.id)}"><a href="#tp-{esc(m.id)}">{esc(names[m.id])}</a>'
                     f" — {esc(why)}</li>")
    out.append(f'<p class="ja-subhead">{esc(label("appeal_misfits", lang))}</p>'
               f'<ul class="ja-appeal-misfits"{lang_attribute(a)}>{"".join(items)}</ul>')
    return "\n".join(out)


def portfolio_columns(head: list[tuple[str, str]], rows: list[str], audits: list[tuple[Audit, AuditFigures]],
                      lang: str) -> tuple[list[tuple[str, str]], list[str]]:
    """The portfolio table's ``head`` and ``rows`` (one ``<tr>`` per audit, in ``audits``'
    order) with an appeal fit and an inbound share column added at the end, when any
    audit has them; unchanged otherwise."""
    reports = [segment_figures(a, f) for a, f in audits]
    if all(r is None or (r.appeal.share is None and r.inbound_share is None) for r in reports):
        return head, rows
    out = []
    for row, r in zip(rows, reports):
        cells = "".join(td(esc(fmt_percent(x)), sort_number(x and x * 100), "ja-num")
                        for x in ((r.appeal.share, r.inbound_share) if r else (None, None)))
        out.append(row[:-len("</tr>")] + cells + "</tr>")
    return head + [(label("appeal_fit", lang), "number"), (label("inbound_share", lang), "number")], out


def touchpoint_facts(a: Audit, tp: Touchpoint, lang: str) -> list[tuple[str, str]]:
    """(label, HTML) facts of a touchpoint's format 1.1 fields, for its section; [] without them."""
    facts = []
    if a.segments:
        names = {s.id: s.name for s in a.segments}
        met = [names[i] for i in tp.segments if i in names] or [label("all_prospects", lang)]
        facts.append((label("segments", lang), esc(", ".join(met) if lang == "en" else "、".join(met))))
    for key, value in (("direction", tp.direction), ("trigger", tp.trigger), ("appeal", tp.message.appeal)):
        if value:
            facts.append((label(key, lang), esc(label(f"{key}_{value}", lang))))
    return facts
