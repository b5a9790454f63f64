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
    out: list[str] = []
    for anchor, heading, html in segment_parts(a, f, lang):
        out += [md_heading(2, heading, anchor), html]
    return tuple(out)


def segment_parts(a: Audit, f: AuditFigures, lang: str) -> list[tuple[str, str, str]]:
    """(anchor, heading, HTML) of the segments, rollups and appeal-fit sections, as the
    audit page and the PDF report show them; [] when the audit uses none of their fields."""
    report = segment_figures(a, f)
    if report is None:
        return []
    parts: list[tuple[str, str, str]] = []
    if report.segments:
        body = [f'<p class="ja-hint">{esc(label("segments_hint", lang))}</p>', segment_table(a, f, report, lang)]
        if any(s.prospects_by_segment for s in a.stages):
            body += [f'<p class="ja-subhead">{esc(label("segment_funnel", lang))}</p>',
                     segment_funnels(a, f, report, lang)]
        body += [f'<p class="ja-subhead">{esc(label("segment_touchpoints", lang))}</p>',
                 segment_touchpoints(a, report, lang)]
        parts.append(("segments", label("segments", lang), "\n\n".join(body)))
    parts.append(("rollups", label("rollups", lang), rollups_section(a, report, lang)))
    if report.appeal.rated:
        parts.append(("appeal-fit", label("appeal_fit", lang), appeal_section(a, report, lang)))
    return parts


def _row_head(name: str, facts: str = "") -> str:
    small = f'<br><span class="ja-segment-facts">{esc(facts)}</span>' if facts else ""
    return f'<th scope="row">{esc(name)}{small}</th>'


def _segment_rows(a: Audit, report: SegmentReport, lang: str, cells, facts: bool = False) -> list[str]:
    """One row for all prospects, then one per segment (named; with ``facts``, its share and
    involvement under the name); ``cells(segment figures, or None for all)`` gives a row's cells."""
    rows = [f'<tr data-segment="" class="ja-segment-all">{_row_head(label("all_prospects", lang))}'
            f"{cells(None)}</tr>"]
    sep = label("clause_sep", lang)
    for seg in report.segments.values():
        said = [label("subject_found", lang).format(subject=label("share", lang), found=fmt_percent(seg.share))
                ] if seg.share is not None else []  # plain text: _row_head escapes it
        said.append(label(f"involvement_{seg.involvement}", lang))
        head = _row_head(seg.name, sep.join(said) if facts else "")
        rows.append(f'<tr data-segment="{esc(seg.id)}">{head}{cells(seg)}</tr>')
    return rows


def segment_table(a: Audit, f: AuditFigures, report: SegmentReport, lang: str) -> str:
    """Two tables, narrow enough for a page: each segment's touchpoint count, score, message
    and consistency; then its score in each stage. The first row is the whole audit's."""
    def figures(seg: SegmentFigures | None) -> str:
        x = seg or f
        count = len(seg.touchpoints) if seg else len(f.touchpoints)
        return td(str(count), count, "ja-num") + "".join(td(chip(v, a), sort_number(v))
                                                      for v in (x.score, x.message, x.consistency))

    def stages(seg: SegmentFigures | None) -> str:
        values = [seg.stages[s.id] and seg.stages[s.id].score if seg else f.stages[s.id].score for s in a.stages]
        return "".join(td(chip(v, a) if v is not None else "–", sort_number(v)) for v in values)

    head = [(label("segment", lang), "text"), (label("touchpoints", lang), "number"),
            (label("overall", lang), "number"), (label("message", lang), "number"),
            (label("consistency", lang), "number")]
    by_stage = [(label("segment", lang), "text")] + [(s.name, "number") for s in a.stages]
    return (table(head, _segment_rows(a, report, lang, figures, facts=True), "ja-segments") + "\n\n"
            + table(by_stage, _segment_rows(a, report, lang, stages), "ja-segment-stages"))


def _funnel_cell(counts: dict[str, int | None], funnel: Funnel, stage_id: str) -> str:
    """Prospects, and below them the conversion to the next stage (▼: the stage that loses most)."""
    step = next((s for s in funnel.steps if s.from_stage == stage_id), None)
    n = counts.get(stage_id)
    conv = ""
    if step is not None and step.conversion is not None:
        mark = "▼ " if funnel.leakiest == stage_id else ""
        conv = f'<br><span class="ja-conversion">{esc(mark + "→ " + fmt_percent(step.conversion))}</span>'
    return td(("–" if n is None else f"{n:,}") + conv, n, "ja-num")


def segment_funnels(a: Audit, f: AuditFigures, report: SegmentReport, lang: str) -> str:
    """The funnel of all prospects, and each segment's below it: prospects per stage, the
    conversion to the next stage under them, and the overall conversion."""
    def cells(seg: SegmentFigures | None) -> str:
        counts = seg.prospects if seg else {s.id: s.prospects for s in a.stages}
        funnel = seg.funnel if seg else f.funnel
        return ("".join(_funnel_cell(counts, funnel, s.id) for s in a.stages)
                + td(esc(fmt_percent(funnel.overall)), sort_number(funnel.overall and funnel.overall * 100),
                     "ja-num ja-funnel-overall"))

    head = ([(label("segment", lang), "text")] + [(s.name, "number") for s in a.stages]
            + [(label("overall_conversion", lang), "number")])
    return (f'<p class="ja-hint">{esc(label("segment_funnel_hint", lang))}</p>\n'
            + table(head, _segment_rows(a, report, lang, cells), "ja-segment-funnels"))


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
