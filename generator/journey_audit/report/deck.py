"""The slide deck (16:9, python-pptx): what a consultant presents from an audit.

Every slide is editable text and native tables, not pictures of text; only the journey
diagram is a picture (the PNG of :func:`journey_audit.diagram.render.journey_png`).
Figures are written with :func:`~journey_audit.figures.scoring.fmt` and its siblings and
the words come from :mod:`journey_audit.labels`, as on the site; the heat map's cells
take the site's score colours (:mod:`journey_audit.palette`). Long lists continue on
further slides (a fixed number of rows each), so no text runs off a slide.
"""

from __future__ import annotations

import io
import zipfile
from typing import Sequence

from .. import palette
from ..audit.format_spec import LEVELS
from ..cache import Cache
from ..diagram.render import journey_png
from ..errors import DiagramTooLarge
from ..figures.segments import segment_figures
from ..figures.scoring import HEADLINE, change_since, delta, fmt, fmt_delta, fmt_percent
from ..labels import label
from ..site.page_changes import heading as changes_heading
from ..site.page_html import level_label
from ..site.pages import AuditView
from .pdf import ReportError
from .slide_rows import row_height, slides

FONT = "Noto Sans CJK SC"  # has Latin and CJK glyphs: one face for a deck in either language
WIDTH, HEIGHT = 12192000, 6858000  # EMU: 13.333 × 7.5 in, PowerPoint's 16:9
MARGIN = 457200  # EMU: half an inch
TITLE_HEIGHT = 914400
TOP_PRIORITIES = 10  # the priorities a deck lists (the site and the PDF list them all)


def _pptx():
    try:
        import pptx
        from pptx.oxml.ns import qn
        from pptx.util import Pt
    except ImportError as exc:
        raise ReportError(f"slide decks need python-pptx: {exc}") from exc
    return pptx, qn, Pt


def _rgb(colour: str):
    from pptx.dml.color import RGBColor

    return RGBColor.from_string(colour.lstrip("#").upper())


def _style(run, size: float, *, bold: bool = False, colour: str | None = None) -> None:
    """Font of one run: size in points; the typeface for Latin and East Asian text alike."""
    _, qn, Pt = _pptx()
    run.font.size = Pt(size)
    run.font.bold = bold
    if colour:
        run.font.color.rgb = _rgb(colour)
    run.font.name = FONT
    r_pr = run._r.get_or_add_rPr()
    for tag in ("a:ea", "a:cs"):  # Chinese text takes the East Asian face, not the Latin one
        if r_pr.find(qn(tag)) is None:
            r_pr.append(r_pr.makeelement(qn(tag), {"typeface": FONT}))


def _text(frame, paragraphs: Sequence[tuple[str, float, bool]], colour: str | None = None,
          centred: bool = False) -> None:
    """Fill a text frame with (text, size in pt, bold) paragraphs, wrapping words."""
    from pptx.enum.text import PP_ALIGN

    frame.word_wrap = True
    for i, (text, size, bold) in enumerate(paragraphs):
        p = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        if centred:  # every line: a shape centres only its first paragraph by default
            p.alignment = PP_ALIGN.CENTER
        _style(p.add_run(), size, bold=bold, colour=colour)
        p.runs[0].text = text


def _slide(deck, title: str | None):
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank: every box placed here
    if title is not None:
        box = slide.shapes.add_textbox(MARGIN, MARGIN // 2, WIDTH - 2 * MARGIN, TITLE_HEIGHT)
        _text(box.text_frame, [(title, 28, True)])
    return slide


def _colon(name: str, value: str, lang: str) -> str:
    """``name: value`` with the language's colon, as the site writes it (page_html.colon)."""
    return label("subject_found", lang).format(subject=name, found=value)


def _continued(title: str, part: int, lang: str) -> str:
    return title if part == 0 else title + label("in_parens", lang).format(text=label("report_continued", lang))


TABLE_TOP = MARGIN // 2 + TITLE_HEIGHT  # EMU: where a table starts, under the slide's title
TABLE_ROOM = HEIGHT - TABLE_TOP - MARGIN // 2  # EMU: the height a table may take


def _tables(deck, title: str, lang: str, head: Sequence[str], rows: Sequence[Sequence[str]],
            shares: Sequence[float], fills: Sequence[Sequence[str | None]] | None = None, size: float = 12) -> None:
    """A table of ``rows`` under ``title``, continued on as many further slides as its rows' heights
    need (each slide repeats the head; see :mod:`.slide_rows`). ``shares``: the columns' shares
    of the slide's width; ``fills``: each row's cell colours (None: none)."""
    total = sum(shares)
    widths = [int((WIDTH - 2 * MARGIN) * s / total) for s in shares]
    head_height = row_height(head, widths, size)
    heights = [row_height(row, widths, size) for row in rows]
    for part, indices in enumerate(slides(heights, TABLE_ROOM - head_height)):
        slide = _slide(deck, _continued(title, part, lang))
        _table(slide, head, [rows[i] for i in indices], widths, [fills[i] for i in indices] if fills else None,
               size, [head_height] + [heights[i] for i in indices])


def _table(slide, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int],
           fills: Sequence[Sequence[str | None]] | None, size: float, heights: Sequence[int]):
    """A native table under the title: columns ``widths`` and rows ``heights`` (EMU); ``fills`` cell colours."""
    shape = slide.shapes.add_table(len(rows) + 1, len(head), MARGIN, TABLE_TOP, sum(widths), sum(heights))
    table = shape.table
    for c, w in enumerate(widths):
        table.columns[c].width = w
    for r, h in enumerate(heights):
        table.rows[r].height = h
    for r, row in enumerate([head, *rows]):
        for c, value in enumerate(row):
            cell = table.cell(r, c)
            cell.text_frame.word_wrap = True
            fill = fills[r - 1][c] if fills and r else None
            if fill:
                cell.fill.solid()
                cell.fill.fore_color.rgb = _rgb(fill)
            cell.text_frame.paragraphs[0].text = ""
            _style(cell.text_frame.paragraphs[0].add_run(), size, bold=r == 0,
                   colour=palette.text_on(fill) if fill else None)
            cell.text_frame.paragraphs[0].runs[0].text = value
    return table


def _title_slide(deck, view: AuditView, lang: str) -> None:
    a = view.audit
    slide = _slide(deck, None)
    box = slide.shapes.add_textbox(MARGIN * 2, HEIGHT // 3, WIDTH - 4 * MARGIN, HEIGHT // 2)
    people = (", " if lang == "en" else "、").join(a.auditors)
    lines = [(a.title, 36, True), (a.client, 22, False), (a.date.isoformat(), 18, False)]
    if people:
        lines.append((_colon(label("auditors", lang), people, lang), 16, False))
    _text(box.text_frame, lines)


def _headline_slide(deck, view: AuditView, lang: str) -> None:
    a, f = view.audit, view.figures
    slide = _slide(deck, label("headline", lang))
    changes = change_since(view.previous.figures if view.previous else None, f)
    cards = []
    for key in HEADLINE:
        value = getattr(f, key)
        extra = "" if changes is None else fmt_delta(changes[key])
        cards.append((label("overall" if key == "score" else key, lang), fmt(value), extra,
                      palette.fill(value, a.scale.min, a.scale.max)))
    cards.append((label("funnel_conversion", lang), fmt_percent(f.funnel.overall), "", palette.NEUTRAL))
    gap = MARGIN // 2
    width = (WIDTH - 2 * MARGIN - gap * (len(cards) - 1)) // len(cards)
    from pptx.enum.shapes import MSO_SHAPE

    for i, (name, value, change, fill) in enumerate(cards):
        shape = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, MARGIN + i * (width + gap), HEIGHT // 3,
                                       width, HEIGHT // 3)
        shape.fill.solid()
        shape.fill.fore_color.rgb = _rgb(fill)
        shape.line.fill.background()
        lines = [(name, 18, False), (value, 44, True)] + ([(change, 16, False)] if change else [])
        _text(shape.text_frame, lines, colour=palette.text_on(fill), centred=True)


def _diagram_slide(deck, view: AuditView, lang: str, cache: Cache | None) -> None:
    from PIL import Image

    try:
        png = journey_png(view.audit, cache, figures=view.figures)
    except DiagramTooLarge:  # as on the site: no diagram, every other slide
        return
    slide = _slide(deck, label("diagram", lang))
    with Image.open(io.BytesIO(png)) as image:
        w, h = image.size
    room_w, room_h = WIDTH - 2 * MARGIN, HEIGHT - TITLE_HEIGHT - MARGIN
    scale = min(room_w / w, room_h / h)
    pw, ph = int(w * scale), int(h * scale)
    slide.shapes.add_picture(io.BytesIO(png), (WIDTH - pw) // 2, TITLE_HEIGHT + (room_h - ph) // 2, pw, ph)


def _priorities_slide(deck, view: AuditView, lang: str) -> None:
    a, f = view.audit, view.figures
    found = {tp.id: (stage, tp) for stage, tp in a.touchpoints()}
    rows, fills = [], []
    for rank, tp_id in enumerate(f.priorities[:TOP_PRIORITIES], start=1):
        stage, tp = found[tp_id]
        t = f.touchpoints[tp_id]
        rows.append([str(rank), ("★ " if tp.moment_of_truth else "") + tp.name, stage.name,
                     str(t.importance), fmt(t.score), fmt(t.gap)])
        fills.append([None, None, None, None, palette.fill(t.score, a.scale.min, a.scale.max), None])
    head = [label(k, lang) for k in ("rank", "touchpoint", "stage", "importance", "score", "gap")]
    _tables(deck, label("priorities", lang), lang, head, rows, [0.6, 4, 2.4, 1.3, 1.2, 1.2], fills, 14)


def _segments_slide(deck, view: AuditView, lang: str) -> None:
    """Format 1.1: each customer segment's figures and funnel beside the whole audit's, as on
    the page (its segments table); no slide for an audit without segments."""
    a, f = view.audit, view.figures
    report = segment_figures(a, f)
    if report is None or not report.segments:
        return
    rows = [[label("all_prospects", lang), str(len(f.touchpoints)), fmt(f.score), fmt(f.message),
             fmt(f.consistency), fmt_percent(f.funnel.overall)]]
    rows += [[seg.name, str(len(seg.touchpoints)), fmt(seg.score), fmt(seg.message), fmt(seg.consistency),
              fmt_percent(seg.funnel.overall)] for seg in report.segments.values()]
    fills = [[None, None, palette.fill(score, a.scale.min, a.scale.max) if score is not None else None,
              None, None, None] for score in [f.score, *(seg.score for seg in report.segments.values())]]
    head = [label(k, lang) for k in ("segment", "touchpoints", "overall", "message", "consistency",
                                     "funnel_conversion")]
    _tables(deck, label("segments", lang), lang, head, rows, [4, 1.4, 1.2, 1.2, 1.4, 1.6], fills, 14)


def _heat_map_slides(deck, view: AuditView, lang: str) -> None:
    a = view.audit
    head = [label("touchpoint", lang)] + [cm.text for cm in a.core_messages]
    size = 12 if len(a.core_messages) <= 5 else 10
    rows, fills = [], []
    for _, tp in a.touchpoints():
        values = [tp.consistency.get(cm.id) for cm in a.core_messages]
        rows.append([("★ " if tp.moment_of_truth else "") + tp.name] + ["–" if v is None else str(v) for v in values])
        fills.append([None] + [palette.fill(v, a.scale.min, a.scale.max) for v in values])
    _tables(deck, label("heat_map", lang), lang, head, rows, [3] + [2] * len(a.core_messages), fills, size)


def _recommendation_slides(deck, view: AuditView, lang: str) -> None:
    a = view.audit
    found = [(tp, r) for _, tp in a.touchpoints() for r in tp.recommendations]
    found.sort(key=lambda x: LEVELS.index(x[1].priority))  # as on the site: most urgent first, journey order within
    head = [label(k, lang) for k in ("priority", "recommendation", "touchpoint", "effort", "owner", "due")]
    if not found:
        slide = _slide(deck, label("recommendations", lang))
        box = slide.shapes.add_textbox(MARGIN, 2 * TITLE_HEIGHT, WIDTH - 2 * MARGIN, TITLE_HEIGHT)
        _text(box.text_frame, [(label("no_recommendations", lang), 18, False)])
        return
    rows = [[level_label(r.priority, lang), r.text, tp.name, level_label(r.effort, lang), r.owner or "",
             r.due.isoformat() if r.due else ""] for tp, r in found]
    _tables(deck, label("recommendations", lang), lang, head, rows, [1.2, 5, 2.2, 1.1, 1.5, 1.3], size=12)


def _changes_slide(deck, view: AuditView, lang: str) -> None:
    if view.previous is None:
        return
    old, new = view.previous, view
    changes = change_since(old.figures, new.figures)
    rows = [[label("overall" if k == "score" else k, lang), fmt(getattr(old.figures, k)),
             fmt(getattr(new.figures, k)), fmt_delta(changes[k])] for k in HEADLINE]
    names = {s.id: s.name for s in new.audit.stages}
    for sid, s in new.figures.stages.items():
        before = old.figures.stages.get(sid)
        if before is not None:
            rows.append([_colon(label("stage", lang), names[sid], lang), fmt(before.score), fmt(s.score),
                         fmt_delta(delta(before.score, s.score))])
    head = [label(k, lang) for k in ("figure", "before", "after", "change")]
    _tables(deck, changes_heading(old.audit, lang), lang, head, rows, [5, 1.5, 1.5, 1.5], size=14)


def report_pptx(view: AuditView, default_lang: str = "en", cache: Cache | None = None) -> bytes:
    """The slide deck of one audit (16:9 .pptx) as bytes.

    ``view``: a public audit with its figures and previous round (:func:`.source.report_views`);
    ``cache``: where drawn diagrams are kept, or None. Raises :class:`.pdf.ReportError`
    when python-pptx is missing.
    """
    pptx, _, _ = _pptx()
    lang = view.audit.language or default_lang
    deck = pptx.Presentation()
    deck.slide_width, deck.slide_height = WIDTH, HEIGHT
    _properties(deck.core_properties, view)
    _title_slide(deck, view, lang)
    _headline_slide(deck, view, lang)
    _diagram_slide(deck, view, lang, cache)
    _priorities_slide(deck, view, lang)
    _segments_slide(deck, view, lang)
    _heat_map_slides(deck, view, lang)
    _recommendation_slides(deck, view, lang)
    _changes_slide(deck, view, lang)
    out = io.BytesIO()
    deck.save(out)
    return _reproducible(out.getvalue())


def _properties(props, view: AuditView) -> None:
    """The deck's document properties: the audit's title and date, not python-pptx's template's."""
    import datetime as dt

    a = view.audit
    props.title = a.title
    props.author = props.last_modified_by = "journey-audit"
    props.comments = ""
    props.revision = 1
    props.created = props.modified = dt.datetime.combine(a.date, dt.time())


def _reproducible(pptx: bytes) -> bytes:
    """The same .pptx with every zip entry dated 1980-01-01: the same audit gives the same bytes
    (a zip stamps each entry with the time it was written), so a cached deck is the deck a
    fresh build makes."""
    source, out = zipfile.ZipFile(io.BytesIO(pptx)), io.BytesIO()
    with source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type, entry.external_attr = info.compress_type, info.external_attr
            target.writestr(entry, source.read(info))
    return out.getvalue()
