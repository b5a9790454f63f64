"""The PDF report: the audit page's own HTML sections on A4, laid out by WeasyPrint.

Nothing here formats a figure: the cover, the headline figures, the tables, the charts
and the touchpoint sections are the site's (:mod:`journey_audit.site.pages`,
:mod:`journey_audit.site.page_sections`, :mod:`journey_audit.site.charts`), so the
report, the pages and the JSON export agree to the digit. This module adds what paper
needs: a cover, a table of contents with page numbers, the diagram on a landscape page,
and the print stylesheet ``print.css``.
"""

from __future__ import annotations

import base64
from importlib import resources

from ..cache import Cache
from ..diagram.render import journey_svg
from ..errors import DiagramTooLarge, JourneyAuditError
from ..labels import label
from ..site.escape import lines
from ..site.escape import text as esc
from ..site.page_changes import changes_section
from ..site.page_changes import heading as changes_heading
from ..site.page_html import lang_attribute, time_tag
from ..site.page_sections import (
    funnel_section,
    heat_map,
    internal_block,
    ipa_section,
    priorities_table,
    recommendations_table,
    stage_table,
    touchpoint_section,
)
from ..site.page_segments import segment_parts
from ..site.pages import AuditView, Links, audit_page_path, headline_badges
from ..site.sitegen import assets
from .source import changes_of


class ReportError(JourneyAuditError):
    """A report could not be made (e.g. WeasyPrint or its Pango library is missing)."""


def _stylesheet() -> str:
    site = next(data for name, data in assets().items() if name.endswith(".css")).decode("utf-8")
    own = (resources.files("journey_audit.report") / "print.css").read_text(encoding="utf-8")
    return site + "\n" + own  # the site's look of chips, badges and tables, then paper's rules


def _cover(view: AuditView, lang: str) -> str:
    a = view.audit
    items = [(label("client", lang), esc(a.client)), (label("date", lang), time_tag(a.date))]
    if a.auditors:
        items.append((label("auditors", lang), esc(", ".join(a.auditors) if lang == "en" else "、".join(a.auditors))))
    if a.industry:
        items.append((label("industry", lang), esc(a.industry)))
    items.append((label("status", lang), esc(label(f"status_{a.status}", lang))))
    facts = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in items)
    return (f'<section class="ja-cover" id="cover"><h1>{esc(a.title)}</h1>'
            f'<dl class="ja-meta">{facts}</dl>{headline_badges(view, lang)}</section>')


def _diagram(view: AuditView, cache: Cache | None) -> str:
    svg = journey_svg(view.audit, cache, figures=view.figures)
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return f'<img class="ja-report-diagram" alt="" src="data:image/svg+xml;base64,{data}">'


def _touchpoints(view: AuditView, lang: str) -> tuple[str, list[tuple[str, str]]]:
    """The touchpoint sections as HTML (the site writes their headings as Markdown), and their TOC entries."""
    a, f = view.audit, view.figures
    links = Links(audit_page_path(a.slug))
    out, toc = [], []
    for stage, tp in a.touchpoints():
        body = touchpoint_section(a, f, stage, tp, lang, links).split("\n\n", 1)[1]
        title = ("★ " if tp.moment_of_truth else "") + tp.name
        out.append(f'<section class="ja-report-tp"><h3 id="tp-{esc(tp.id)}"{lang_attribute(a)}>{esc(title)}</h3>'
                   f"{body}</section>")
        toc.append((f"tp-{tp.id}", title))
    return "\n".join(out), toc


def _sections(view: AuditView, lang: str, cache: Cache | None) -> list[tuple[str, str, str, str]]:
    """(anchor, heading, HTML, class) of each section, in the audit page's order."""
    a, f = view.audit, view.figures
    la = lang_attribute(a)
    found = []
    if a.summary or a.internal_notes:
        found.append(("summary", label("summary", lang),
                      (f'<div class="ja-summary"{la}>{lines(a.summary)}</div>' if a.summary else "")
                      + internal_block(a.internal_notes, lang, la), ""))
    try:
        found.append(("diagram", label("diagram", lang), _diagram(view, cache), "ja-wide"))
    except DiagramTooLarge:  # as on the site: the report shows everything else
        pass
    found += [("stages", label("stages", lang), stage_table(a, f, lang), ""),
              ("funnel", label("funnel", lang), funnel_section(a, f, lang), ""),
              ("heat-map", label("heat_map", lang), heat_map(a, f, lang), "ja-break"),
              *((anchor, heading, html, "ja-break") for anchor, heading, html in segment_parts(a, f, lang)),
              ("priorities", label("priorities", lang), priorities_table(a, f, lang), ""),
              ("importance-performance", label("ipa", lang), ipa_section(a, f, lang), "ja-break"),
              ("recommendations", label("recommendations", lang), recommendations_table(a, lang), "ja-break")]
    diff = changes_of(view)
    if diff is not None:
        old = view.previous.audit
        found.append(("changes", changes_heading(old, lang), changes_section(diff, old, a, lang, "#cover"), "ja-break"))
    return found


def report_html(view: AuditView, default_lang: str = "en", cache: Cache | None = None) -> str:
    """The whole report as one HTML document (what :func:`report_pdf` lays out).

    ``view``: a public audit with its figures and previous round (:func:`.source.report_views`);
    ``cache``: where drawn diagrams are kept (as the site keeps them), or None.
    """
    a = view.audit
    lang = a.language or default_lang
    tps, tp_toc = _touchpoints(view, lang)
    sections = _sections(view, lang, cache)
    body = [_cover(view, lang)]
    toc = [f'<li><a href="#{anchor}">{esc(title)}</a></li>' for anchor, title, _, _ in sections]
    toc.append(f'<li><a href="#touchpoints">{esc(label("touchpoints", lang))}</a><ol>'
               + "".join(f'<li><a href="#{esc(anchor)}">{esc(title)}</a></li>' for anchor, title in tp_toc)
               + "</ol></li>")
    body.append(f'<nav class="ja-toc"><h2>{esc(label("contents", lang))}</h2><ol>{"".join(toc)}</ol></nav>')
    for anchor, title, html, cls in sections:
        body.append(f'<section class="{cls}"><h2 id="{anchor}">{esc(title)}</h2>\n{html}</section>')
    body.append(f'<section class="ja-break"><h2 id="touchpoints">{esc(label("touchpoints", lang))}</h2>\n{tps}</section>')
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}"><head><meta charset="utf-8">'
            f"<title>{esc(a.title)}</title><style>{_stylesheet()}</style></head>\n"
            f'<body><div class="md-typeset">\n' + "\n".join(body) + "\n</div></body></html>\n")


def report_pdf(view: AuditView, default_lang: str = "en", cache: Cache | None = None) -> bytes:
    """The PDF report of one audit (A4, the audit's language, fonts embedded), as bytes.

    Raises :class:`ReportError` when WeasyPrint cannot be loaded (its Pango library missing).
    """
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise ReportError(f"PDF reports need WeasyPrint and its Pango library: {exc}") from exc
    from weasyprint.urls import URLFetcher

    # Everything the report shows is inline (data: URLs); an audit's text must never make it fetch anything.
    fetcher = URLFetcher(allowed_protocols=("data",))
    html = weasyprint.HTML(string=report_html(view, default_lang, cache), url_fetcher=fetcher,
                           media_type="screen")  # the site's @media print rules are for a browser's print of a page
    return html.write_pdf()
