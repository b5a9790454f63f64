"""The Markdown text of the portfolio, client and audit pages.

Formatting only: every figure comes from :func:`journey_audit.scoring.compute` and is
written with :func:`~journey_audit.scoring.fmt` and its siblings; every word of the
page comes from :mod:`journey_audit.labels`, in the audit's ``language`` (the site's
default language for pages that span audits).

The Markdown is plain, so any MkDocs-compatible builder reads it: headings stay
Markdown (for the table of contents and the search sections), with an explicit
``{#id}`` (``attr_list``); everything else is block-level HTML, which Markdown
copies without parsing. Audit text reaches a page only through
:mod:`journey_audit.escape`, so it is shown literally and never becomes markup.

Where pages live (paths under the docs folder; their URLs follow MkDocs'
``use_directory_urls``): the portfolio is ``index.md``, a client
``clients/<client_id>/index.md``, an audit ``audits/<slug>.md`` with its downloads
in ``audits/<slug>/``. Touchpoint ``<id>`` has the anchor ``tp-<id>``.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from . import palette
from .charts import funnel_svg, importance_performance_svg, trend_svg
from .diff import AuditDiff
from .escape import href as safe_href
from .escape import lines, md_literal
from .escape import text as esc
from .labels import label
from .model import Audit
from .page_changes import changes_section
from .page_changes import heading as changes_heading
from .page_gates import GateReport, gates_section
from .scoring import AuditFigures, delta, fmt, fmt_delta, fmt_percent, quadrant, round1, trend

PORTFOLIO_PAGE = "index.md"
DOWNLOADS = {  # kind → (file name suffix, label key)
    "csv": ("-touchpoints.csv", "download_csv"),
    "json": ("-figures.json", "download_json"),
    "svg": ("-journey.svg", "download_svg"),
    "png": ("-journey.png", "download_png"),
}
LEVELS = ("high", "medium", "low")


def client_page_path(client_id: str) -> str:
    return f"clients/{client_id}/index.md"


def audit_page_path(slug: str) -> str:
    return f"audits/{slug}.md"


def download_path(slug: str, kind: str) -> str:
    return f"audits/{slug}/{slug}{DOWNLOADS[kind][0]}"


class Links:
    """Relative links from one generated page, as MkDocs will lay the site out.

    Links inside HTML blocks are not rewritten by MkDocs, so they are computed here,
    relative (the site works from any sub-path and from ``file://``).

    >>> Links("audits/a.md").to("clients/c/index.md"), Links("audits/a.md", False).to("clients/c/index.md")
    ('../../clients/c/', '../clients/c/index.html')
    >>> Links("index.md").to("audits/a/a-figures.json"), Links("clients/c/index.md").root
    ('audits/a/a-figures.json', '../../')
    """

    def __init__(self, page: str, use_directory_urls: bool = True):
        self.use_directory_urls = use_directory_urls
        url = self.url(page)
        self.base = url if url.endswith("/") or not url else posixpath.dirname(url) + "/"
        if self.base == "/":
            self.base = ""

    def url(self, path: str) -> str:
        """The URL of docs file ``path`` from the site root."""
        if not path.endswith(".md"):
            return path
        stem = path[:-3]
        if stem == "index" or stem.endswith("/index"):
            folder = stem[: -len("index")]
            return folder if self.use_directory_urls else folder + "index.html"
        return stem + "/" if self.use_directory_urls else stem + ".html"

    def to(self, path: str) -> str:
        target = self.url(path)
        rel = posixpath.relpath(target or ".", self.base or ".")
        if rel == ".":
            return "./"
        return rel + "/" if target.endswith("/") else rel

    @property
    def root(self) -> str:
        """From this page up to the site root ('' at the root)."""
        depth = self.base.count("/")
        return "../" * depth


@dataclass
class AuditView:
    """An audit with what its pages show around it."""

    audit: Audit
    figures: AuditFigures
    previous: AuditView | None = None
    later: AuditView | None = None

    @property
    def change(self):
        """Change of the overall score since the previous round (as shown), or None."""
        return delta(self.previous.figures.score, self.figures.score) if self.previous else None


@dataclass
class AuditPageParts:
    """What an audit page shows besides the audit itself: the diagram, the downloads,
    the changes since the previous round (its diff, from :func:`page_changes.changes_between`)
    and the score gates' results. Sections whose part is None are left out."""

    diagram_svg: str | None = None
    diagram_slot: str | None = None  # a placeholder written instead of the SVG (see sitegen.Site.fill)
    downloads: Sequence[str] = field(default_factory=lambda: tuple(DOWNLOADS))
    changes: AuditDiff | None = None
    gates: GateReport | None = None


# -- small HTML pieces -------------------------------------------------------------

def _lang(audit: Audit) -> str:
    return f' lang="{esc(audit.language)}"' if audit.language else ""


def _chip(value, audit: Audit, text: str | None = None) -> str:
    """A figure on its score colour (colour-blind-safe fill, readable text on it)."""
    shown = text if text is not None else fmt(value)
    if value is None:
        return f'<span class="ja-chip ja-chip-none">{esc(shown)}</span>'
    bg = palette.fill(value, audit.scale.min, audit.scale.max)
    return f'<span class="ja-chip" style="background:{bg};color:{palette.text_on(bg)}">{esc(shown)}</span>'


def _date(day) -> str:
    """A date as ISO text, kept on one line (a narrow printed column broke it at a hyphen).

    >>> import datetime; _date(datetime.date(2026, 3, 31))
    '<time datetime="2026-03-31">2026-03-31</time>'
    """
    return f'<time datetime="{day.isoformat()}">{day.isoformat()}</time>'


def _colon(name: str, value_html: str, lang: str) -> str:
    """``name: value`` with the language's colon (full-width in Chinese); ``name`` is text.

    >>> _colon("覆盖率", "40%", "zh"), _colon("A & B", "<b>2</b>", "en")
    ('覆盖率：40%', 'A &amp; B: <b>2</b>')
    """
    return esc(label("subject_found", lang)).format(subject=esc(name), found=value_html)


def _td(content: str, sort_value: object | None = None, cls: str = "") -> str:
    attrs = f' data-value="{esc(sort_value)}"' if sort_value is not None else ""
    attrs += f' class="{cls}"' if cls else ""
    return f"<td{attrs}>{content}</td>"


def _table(head: Iterable[tuple[str, str]], rows: Iterable[str], cls: str, caption: str = "",
           sorted_by: int | None = None) -> str:
    """An HTML table; ``head`` is (label, kind) with kind 'text' or 'number' (for sorting).

    The table itself has no class, so the theme styles it like any Markdown table;
    the classes go on the wrapper. ``sorted_by``: the column the rows come sorted by
    (descending), announced with ``aria-sort``.
    """
    sort = ' aria-sort="descending"'
    ths = "".join(f'<th scope="col" data-type="{kind}"{sort if i == sorted_by else ""}>{esc(text)}</th>'
                  for i, (text, kind) in enumerate(head))
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="ja-table-wrap {cls}"><table>{cap}\n<thead><tr>{ths}</tr></thead>\n'
            f"<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")


def _sort_number(x) -> str:
    return "" if x is None else str(round1(x))


def _level(value: str | None, lang: str) -> str:
    return label(f"level_{value}", lang) if value in LEVELS else ""


def _heading(level: int, text: str, anchor: str, lang_attr: str = "") -> str:
    attrs = f"#{anchor}" + (f" {lang_attr.strip()}" if lang_attr else "")
    return f"{'#' * level} {md_literal(text)} {{{attrs}}}"


def _front_matter(title: str, hide: Sequence[str] = ()) -> str:
    """The page's front matter: its title, HTML-escaped, and Material's ``hide`` list.

    Themes print ``page.title`` into ``<title>``, the navigation and the header as it
    is; without a title here it would come from the first heading, and Material runs
    that through Jinja's ``striptags``, which turns ``&#60;`` back into ``<``. An
    escaped title in the front matter is printed as written and reads literally.
    The value is a JSON string, which YAML reads as a double-quoted scalar.
    """
    lines = ["---", "title: " + json.dumps(esc(" ".join(title.split())), ensure_ascii=False)]
    if hide:
        lines.append("hide:")
        lines += [f"  - {item}" for item in hide]
    return "\n".join(lines + ["---"])


def _block(*parts: str) -> str:
    """Parts of one page joined so each stays a block of its own (blank line between)."""
    return "\n\n".join(p for p in parts if p) + "\n"


# -- portfolio -----------------------------------------------------------------

def _audit_rows(views: Sequence[AuditView], links: Links, lang: str, with_client: bool) -> list[str]:
    rows = []
    for v in views:
        a, f = v.audit, v.figures
        status = label(f"status_{a.status}", lang)
        cells = []
        if with_client:
            cells.append(_td(f'<a href="{links.to(client_page_path(a.client_id))}">{esc(a.client)}</a>', a.client))
        cells += [
            _td(f'<a href="{links.to(audit_page_path(a.slug))}"{_lang(a)}>{esc(a.title)}</a>', a.title),
            _td(_date(a.date), a.date.isoformat()),
            _td(esc(status), status, "ja-draft" if a.status == "draft" else ""),
            _td(_chip(f.score, a), _sort_number(f.score)),
            _td(_chip(f.message, a), _sort_number(f.message)),
            _td(_chip(f.consistency, a), _sort_number(f.consistency)),
            _td(esc(fmt_delta(v.change)), "" if v.change is None else str(v.change), "ja-num"),
        ]
        rows.append(f'<tr data-audit="{esc(a.slug)}">' + "".join(cells) + "</tr>")
    return rows


def _audit_table_head(lang: str, with_client: bool) -> list[tuple[str, str]]:
    head = [(label("client", lang), "text")] if with_client else []
    return head + [(label("title", lang), "text"), (label("date", lang), "text"), (label("status", lang), "text"),
                   (label("overall", lang), "number"), (label("message", lang), "number"),
                   (label("consistency", lang), "number"), (label("change", lang), "number")]


def _internal_note(lang: str) -> str:
    return f'<div class="ja-internal-build" role="note"><p>{esc(label("internal_build", lang))}</p></div>'


def portfolio_page(views: Sequence[AuditView], lang: str, links: Links, internal: bool = False) -> str:
    """The site's home page: every audit in one sortable table, newest first."""
    newest = sorted(views, key=lambda v: (v.audit.date, v.audit.slug), reverse=True)
    clients = {v.audit.client_id for v in views}
    lead = label("portfolio_count", lang).format(audits=len(views), clients=len(clients))
    table = _table(_audit_table_head(lang, True), _audit_rows(newest, links, lang, True), "ja-sortable ja-portfolio",
                   caption=label("sort_hint", lang), sorted_by=2)
    # The table needs the page's full width (Material's `hide`; other themes ignore it).
    return _block(_front_matter(label("portfolio", lang), hide=("navigation", "toc")),
                  f"# {md_literal(label('portfolio', lang))} {{#portfolio}}",
                  _internal_note(lang) if internal else "",
                  f'<p class="ja-lead">{esc(lead)} {esc(label("change_hint", lang))}</p>',
                  table)


# -- client --------------------------------------------------------------------

def client_page(views: Sequence[AuditView], links: Links, default_lang: str, internal: bool = False) -> str:
    """A client's audits over time (oldest first), with their headline figures."""
    views = sorted(views, key=lambda v: (v.audit.date, v.audit.slug))
    latest = views[-1].audit
    lang = latest.language or default_lang
    lead = label("client_count", lang).format(audits=len(views))
    return _block(_front_matter(latest.client),
                  f"# {md_literal(latest.client)} {{#client{_lang(latest)}}}",
                  _internal_note(lang) if internal else "",
                  f'<p class="ja-lead">{esc(lead)}</p>',
                  _table(_audit_table_head(lang, False), _audit_rows(views, links, lang, False), "ja-client-audits"),
                  *_trend([v.audit for v in views], links, lang))


def _trend(rounds: Sequence[Audit], links: Links, lang: str) -> tuple[str, ...]:
    """The client's scores across rounds: a chart, and the same figures as a table."""
    t = trend(rounds)
    svg = trend_svg(rounds, t, lang)
    if svg is None:
        return ()
    names = {}
    for a in rounds:  # as in the chart: the name of the latest round that has the stage
        names.update({s.id: s.name for s in a.stages})
    rows = [_trend_row("overall", esc(label("overall", lang)), t.overall, rounds, "ja-trend-overall")]
    rows += [_trend_row(sid, esc(names[sid]), values, rounds) for sid, values in t.stages.items()]
    # Each round's column is headed by its date, linked to its page.
    links_row = "".join(f'<th scope="col"><a href="{links.to(audit_page_path(a.slug))}">'
                        f"{_date(a.date)}</a></th>" for a in rounds)
    table = (f'<div class="ja-table-wrap ja-trend-table"><table>\n'
             f'<thead><tr><th scope="col">{esc(label("stage", lang))}</th>{links_row}</tr></thead>\n'
             "<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")
    return (_heading(2, label("trend", lang), "trend"),
            f'<p class="ja-hint">{esc(label("trend_hint", lang))}</p>',
            f'<figure class="ja-figure ja-trend-figure" data-search-exclude>\n{svg}\n</figure>',
            table)


def _trend_row(key: str, name_html: str, values: Sequence, rounds: Sequence[Audit], cls: str = "") -> str:
    cells = "".join(_td(_chip(v, r) if v is not None else "–", _sort_number(v)) for v, r in zip(values, rounds))
    attr = f' class="{cls}"' if cls else ""
    return f'<tr data-series="{esc(key)}"{attr}><th scope="row">{name_html}</th>{cells}</tr>'


# -- audit ---------------------------------------------------------------------

def audit_page(view: AuditView, links: Links, default_lang: str, parts: AuditPageParts) -> str:
    """Everything about one audit, from the summary to the touchpoint sections."""
    a, f = view.audit, view.figures
    lang = a.language or default_lang
    la = _lang(a)
    return _block(
        _front_matter(a.title),
        f"# {md_literal(a.title)} {{#audit{la}}}",
        _meta(view, links, lang),
        _badges(view, lang),
        _see_also(view, parts, lang),
        _heading(2, label("summary", lang), "summary") if a.summary or a.internal_notes else "",
        f'<div class="ja-summary"{la}>{lines(a.summary)}</div>' if a.summary else "",
        _internal_block(a.internal_notes, lang, la),
        _heading(2, label("diagram", lang), "diagram") if parts.diagram_svg else "",
        _diagram(a, parts, links, lang),
        _heading(2, label("stages", lang), "stages"),
        _stage_table(a, f, lang),
        _heading(2, label("funnel", lang), "funnel"),
        _funnel(a, f, lang),
        _heading(2, label("heat_map", lang), "heat-map"),
        _heat_map(a, f, lang),
        _heading(2, label("priorities", lang), "priorities"),
        _priorities(a, f, lang),
        _heading(2, label("ipa", lang), "importance-performance"),
        _ipa(a, f, lang),
        _heading(2, label("recommendations", lang), "recommendations"),
        _recommendations(a, lang),
        # Follow-up on the previous round after this round's own findings: placed first,
        # they pushed the diagram two screens down. _see_also links them from the top.
        *_changes(view, parts, links, lang),
        *_gates(view, parts, links, lang),
        _heading(2, label("touchpoints", lang), "touchpoints"),
        *(_touchpoint(a, f, stage, tp, lang, links) for stage, tp in a.touchpoints()),
        _heading(2, label("downloads", lang), "downloads") if parts.downloads else "",
        _downloads(a, links, lang, parts.downloads),
    )


def _see_also(view: AuditView, parts: AuditPageParts, lang: str) -> str:
    """Links from the top of the page to the sections further down that follow up on
    earlier rounds: the changes since the previous round and the score gates."""
    targets = []
    if parts.changes is not None and view.previous is not None:
        targets.append(("changes", changes_heading(view.previous.audit, lang)))
    if parts.gates is not None:
        targets.append(("gates", label("gates", lang)))
    if not targets:
        return ""
    items = " · ".join(f'<a href="#{anchor}">{esc(text)}</a>' for anchor, text in targets)
    return f'<p class="ja-see-also">{esc(label("see_also", lang))}{items}</p>'


def _changes(view: AuditView, parts: AuditPageParts, links: Links, lang: str) -> tuple[str, ...]:
    """"Changes since <date>": only when the previous round is on this site too."""
    if parts.changes is None or view.previous is None:
        return ()
    old = view.previous.audit
    return (_heading(2, changes_heading(old, lang), "changes"),
            changes_section(parts.changes, old, view.audit, lang, links.to(audit_page_path(old.slug))))


def _gates(view: AuditView, parts: AuditPageParts, links: Links, lang: str) -> tuple[str, ...]:
    if parts.gates is None:
        return ()
    previous = view.previous.figures if view.previous else None
    return (_heading(2, label("gates", lang), "gates"),
            gates_section(parts.gates, view.audit, view.figures, previous, lang,
                          lambda slug: links.to(audit_page_path(slug))))


def _meta(view: AuditView, links: Links, lang: str) -> str:
    a = view.audit
    items = [(label("client", lang), f'<a href="{links.to(client_page_path(a.client_id))}">{esc(a.client)}</a>'),
             (label("date", lang), _date(a.date))]
    if a.auditors:
        items.append((label("auditors", lang), esc(", ".join(a.auditors) if lang == "en" else "、".join(a.auditors))))
    if a.industry:
        items.append((label("industry", lang), esc(a.industry)))
    items.append((label("involvement", lang), esc(label(f"involvement_{a.involvement}", lang))))
    items.append((label("status", lang), esc(label(f"status_{a.status}", lang))))
    for key, other in (("previous_round", view.previous), ("next_round", view.later)):
        if other is not None:
            o = other.audit
            when = esc(label("in_parens", lang)).format(text=_date(o.date))  # （2026-03-31） in Chinese
            items.append((label(key, lang), f'<a href="{links.to(audit_page_path(o.slug))}">{esc(o.title)}</a>{when}'))
    body = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in items)
    return f'<dl class="ja-meta"{_lang(a)}>{body}</dl>'


def _badges(view: AuditView, lang: str) -> str:
    a, f, prev = view.audit, view.figures, view.previous
    out = []
    for key in ("score", "message", "consistency"):
        value = getattr(f, key)
        change = ""
        if prev is not None:
            d = delta(getattr(prev.figures, key), value)
            change = (f'<span class="ja-badge-change" title="{esc(label("previous_round", lang))}">'
                      f"{esc(fmt_delta(d))}</span>")
        bg = palette.fill(value, a.scale.min, a.scale.max)
        name = label("overall" if key == "score" else key, lang)
        out.append(f'<div class="ja-badge" style="background:{bg};color:{palette.text_on(bg)}">'
                   f'<span class="ja-badge-label">{esc(name)}</span>'
                   f'<span class="ja-badge-value">{esc(fmt(value))}</span>{change}</div>')
    out.append(f'<div class="ja-badge ja-badge-neutral"><span class="ja-badge-label">'
               f'{esc(label("funnel_conversion", lang))}</span>'
               f'<span class="ja-badge-value">{esc(fmt_percent(f.funnel.overall))}</span></div>')
    scale = f"{a.scale.min}–{a.scale.max}"
    return f'<div class="ja-badges" data-scale="{esc(scale)}">{"".join(out)}</div>'


def _internal_block(notes: str | None, lang: str, lang_attr: str) -> str:
    if not notes:
        return ""
    return (f'<div class="ja-internal" role="note"{lang_attr}><p class="ja-internal-title">'
            f'{esc(label("internal_notes", lang))}</p>{lines(notes)}</div>')


_VIEWBOX_WIDTH = re.compile(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) ')
READABLE = 0.6  # smallest scale of the diagram on screen: 12 pt labels stay about 10 px


def _diagram(a: Audit, parts: AuditPageParts, links: Links, lang: str) -> str:
    if not parts.diagram_svg:
        return ""
    found = _VIEWBOX_WIDTH.search(parts.diagram_svg)
    style = f' style="--ja-min-width:{float(found.group(1)) * READABLE:.0f}pt"' if found else ""
    full = ""
    if "svg" in parts.downloads:
        full = f' <a href="{links.to(download_path(a.slug, "svg"))}">{esc(label("diagram_full_size", lang))}</a>'
    # data-search-exclude (Material): the diagram repeats every name and figure of the page;
    # left in the index, it would be the first hit of every search.
    return (f'<div class="ja-diagram" data-search-exclude{style}><p class="ja-hint">{esc(label("diagram_hint", lang))}{full}</p>\n'
            f"{parts.diagram_slot or parts.diagram_svg.strip()}\n</div>")


def _stage_table(a: Audit, f: AuditFigures, lang: str) -> str:
    rows = []
    for stage in a.stages:
        s = f.stages[stage.id]
        rows.append(f'<tr data-stage="{esc(stage.id)}">'
                    + _td(esc(stage.name)) + _td(str(len(stage.touchpoints)), cls="ja-num")
                    + _td(_chip(s.score, a)) + _td(_chip(s.message, a)) + _td(_chip(s.consistency, a))
                    + _td("" if s.prospects is None else f"{s.prospects:,}", cls="ja-num")
                    + _td(esc(fmt_percent(s.conversion)) if s.conversion is not None else "–", cls="ja-num")
                    + "</tr>")
    head = [(label("stage", lang), "text"), (label("touchpoints", lang), "number"), (label("score", lang), "number"),
            (label("message", lang), "number"), (label("consistency", lang), "number"),
            (label("prospects", lang), "number"), (label("next_stage", lang), "number")]
    return _table(head, rows, "ja-stages")


def _funnel(a: Audit, f: AuditFigures, lang: str) -> str:
    svg = funnel_svg(a, f, lang)
    if svg is None:
        return f'<p class="ja-hint">{esc(label("no_funnel", lang))}</p>'
    names = {s.id: s.name for s in a.stages}
    facts = _colon(label("overall_conversion", lang), esc(fmt_percent(f.funnel.overall)), lang)
    if f.funnel.leakiest:
        facts += " · " + _colon(label("leakiest", lang), esc(names[f.funnel.leakiest]), lang)
    return f'<figure class="ja-figure ja-funnel-figure" data-search-exclude>\n{svg}\n<figcaption>{facts}</figcaption></figure>'


def _heat_map(a: Audit, f: AuditFigures, lang: str) -> str:
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
                    f"{mark}</th>{''.join(cells)}</tr>")
    foot = []
    for key, value in (("mean", lambda c: fmt(c.mean)), ("coverage", lambda c: fmt_percent(c.coverage)),
                       ("spread", lambda c: fmt(c.spread))):
        foot.append(f'<tr class="ja-{key}"><th scope="row">{esc(label(key, lang))}</th>'
                    + "".join(f"<td>{esc(value(f.core_messages[cm.id]))}</td>" for cm in cms) + "</tr>")
    return (f'<p class="ja-hint">{esc(label("heat_map_hint", lang))}</p>\n'
            f'<div class="ja-table-wrap ja-heatmap"><table{_lang(a)}>\n'
            f'<thead><tr><th scope="col">{esc(label("touchpoint", lang))}</th>{head}</tr></thead>\n'
            f"<tbody>\n" + "\n".join(rows) + "\n</tbody>\n<tfoot>\n" + "\n".join(foot) + "\n</tfoot></table></div>")


def _priorities(a: Audit, f: AuditFigures, lang: str) -> str:
    found = {tp.id: (stage, tp) for stage, tp in a.touchpoints()}
    rows = []
    for rank, tp_id in enumerate(f.priorities, start=1):
        stage, tp = found[tp_id]
        t = f.touchpoints[tp_id]
        rows.append(f'<tr data-tp="{esc(tp_id)}">' + _td(str(rank), cls="ja-num")
                    + _td(f'<a href="#tp-{esc(tp_id)}">{esc(tp.name)}</a>') + _td(esc(stage.name))
                    + _td(esc(label("yes", lang)) if tp.moment_of_truth else "")
                    + _td(str(t.importance), cls="ja-num") + _td(_chip(t.score, a))
                    + _td(esc(fmt(t.gap)), cls="ja-num") + "</tr>")
    head = [(label("rank", lang), "number"), (label("touchpoint", lang), "text"), (label("stage", lang), "text"),
            (label("moment_of_truth", lang), "text"), (label("importance", lang), "number"),
            (label("score", lang), "number"), (label("gap", lang), "number")]
    return f'<p class="ja-hint">{esc(label("priorities_hint", lang))}</p>\n' + _table(head, rows, "ja-priorities")


def _ipa(a: Audit, f: AuditFigures, lang: str) -> str:
    items = []
    for number, (_, tp) in enumerate(a.touchpoints(), start=1):
        q = quadrant(f.touchpoints[tp.id], a)
        items.append(f'<li value="{number}" data-quadrant="{q}"><a href="#tp-{esc(tp.id)}">{esc(tp.name)}</a>'
                     f' <span class="ja-quadrant">{esc(label("quadrant_" + q, lang))}</span></li>')
    return (f'<p class="ja-hint">{esc(label("ipa_hint", lang))}</p>\n'
            f'<figure class="ja-figure ja-ipa-figure" data-search-exclude>\n{importance_performance_svg(a, f, lang)}\n'
            f'<figcaption><ol class="ja-ipa-legend"{_lang(a)}>{"".join(items)}</ol></figcaption></figure>')


def _recommendations(a: Audit, lang: str) -> str:
    found = [(stage, tp, r) for stage, tp in a.touchpoints() for r in tp.recommendations]
    if not found:
        return f'<p class="ja-hint">{esc(label("no_recommendations", lang))}</p>'
    found.sort(key=lambda x: LEVELS.index(x[2].priority))  # stable: journey order within a priority
    rows = []
    for _, tp, r in found:
        rows.append(f'<tr data-priority="{esc(r.priority)}">'
                    + _td(esc(_level(r.priority, lang)), LEVELS.index(r.priority), f"ja-level-{esc(r.priority)}")
                    + _td(esc(r.text)) + _td(f'<a href="#tp-{esc(tp.id)}">{esc(tp.name)}</a>')
                    + _td(esc(_level(r.effort, lang))) + _td(esc(r.owner or ""))
                    + _td(_date(r.due) if r.due else "") + "</tr>")
    head = [(label("priority", lang), "text"), (label("recommendation", lang), "text"),
            (label("touchpoint", lang), "text"), (label("effort", lang), "text"), (label("owner", lang), "text"),
            (label("due", lang), "text")]
    return _table(head, rows, "ja-recommendations")


def _touchpoint(a: Audit, f: AuditFigures, stage, tp, lang: str, links: Links) -> str:
    t = f.touchpoints[tp.id]
    la = _lang(a)
    facts = [(label("stage", lang), esc(stage.name)),
             (label("channel", lang), esc(label(f"channel_{tp.channel}", lang)))]
    if tp.owner:
        facts.append((label("owner", lang), esc(tp.owner)))
    if tp.message_type:
        facts.append((label("message_type", lang), esc(label(f"message_type_{tp.message_type}", lang))))
    if tp.moment_of_truth:
        facts.append((label("moment_of_truth", lang), esc(label("yes", lang))))
    facts.append((label("importance", lang), str(t.importance)))
    facts_html = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in facts)

    message = [(label("intended", lang), tp.message.intended), (label("method", lang), tp.message.method),
               (label("observed", lang), tp.message.observed)]
    message_html = "".join(f"<dt>{esc(k)}</dt><dd>{lines(v)}</dd>" for k, v in message if v)

    scale_label = a.scale.label(tp.message.score)
    scores = [(label("message", lang), _chip(tp.message.score, a, str(tp.message.score))
               + (f" {esc(scale_label)}" if scale_label else "")),
              (label("consistency", lang), _chip(t.consistency, a)),
              (label("score", lang), _chip(t.score, a)),
              (label("gap", lang), esc(fmt(t.gap)))]
    scores_html = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in scores)
    per_cm = "".join(
        "<li>" + _colon(cm.text, _chip(tp.consistency[cm.id], a, str(tp.consistency[cm.id]))
                        if tp.consistency.get(cm.id) is not None else esc(label("not_applicable", lang)), lang)
        + "</li>" for cm in a.core_messages)

    extra = []
    evidence = []
    for e in tp.evidence:
        target = safe_href(e.url, links.root) if e.url else None
        evidence.append(f'<li><a href="{target}" rel="nofollow noopener">{esc(e.title)}</a></li>' if target
                        else f"<li>{esc(e.title)}</li>")
    if evidence:
        extra.append(f'<p class="ja-subhead">{esc(label("evidence", lang))}</p><ul class="ja-evidence">'
                     f'{"".join(evidence)}</ul>')
    if tp.notes:
        extra.append(f'<p class="ja-subhead">{esc(label("notes", lang))}</p><div class="ja-notes">{lines(tp.notes)}</div>')
    if tp.internal_notes:
        extra.append(_internal_block(tp.internal_notes, lang, ""))
    body = (f'<div class="ja-touchpoint" data-tp="{esc(tp.id)}"{la}>\n'
            f'<dl class="ja-facts">{facts_html}</dl>\n'
            f'<dl class="ja-message">{message_html}</dl>\n'
            f'<dl class="ja-scores">{scores_html}</dl>\n'
            f'<ul class="ja-consistency">{per_cm}</ul>\n' + "\n".join(extra) + "\n</div>")
    title = ("★ " if tp.moment_of_truth else "") + tp.name
    return _heading(3, title, f"tp-{tp.id}", la) + "\n\n" + body


def _downloads(a: Audit, links: Links, lang: str, kinds: Sequence[str]) -> str:
    items = "".join(f'<li><a href="{links.to(download_path(a.slug, k))}" download>'
                    f'{esc(label(DOWNLOADS[k][1], lang))}</a></li>' for k in kinds)
    return f'<ul class="ja-downloads">{items}</ul>' if items else ""
