"""The Markdown text of the portfolio, client and audit pages.

Formatting only: every figure comes from :func:`journey_audit.figures.scoring.compute` and is
written with :func:`~journey_audit.figures.scoring.fmt` and its siblings; every word of the
page comes from :mod:`journey_audit.labels`, in the audit's ``language`` (the site's
default language for pages that span audits).

The Markdown is plain, so any MkDocs-compatible builder reads it: headings stay
Markdown (for the table of contents and the search sections), with an explicit
``{#id}`` (``attr_list``); everything else is block-level HTML, which Markdown
copies without parsing. Audit text reaches a page only through
:mod:`journey_audit.site.escape`, so it is shown literally and never becomes markup.

Where pages live (paths under the docs folder; their URLs follow MkDocs'
``use_directory_urls``): the portfolio is ``index.md``, a client
``clients/<client_id>/index.md``, an audit ``audits/<slug>.md`` with its downloads
in ``audits/<slug>/``. Touchpoint ``<id>`` has the anchor ``tp-<id>``.

The site gets these pages *light* (:mod:`.page_light`): Markdown and the search index
see the headings and each HTML block's words, and the blocks go back in after.

This module lays the pages out; the audit page's sections about the audit itself are
in :mod:`.page_sections`, those about other rounds in :mod:`.page_changes` and
:mod:`.page_gates`, and the small HTML pieces all of them use in :mod:`.page_html`.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Sequence

from .. import palette
from ..audit.model import Audit, round_order
from ..figures.scoring import (
    HEADLINE,
    AuditFigures,
    change_since,
    fmt,
    fmt_delta,
    fmt_percent,
    follow_through,
    metric_figures,
    trend,
)
from ..labels import counted, label
from ..review.diff_model import AuditDiff
from .charts import trend_svg
from .escape import lines, md_literal
from .escape import text as esc
from .metric_chart import metrics_across_rounds
from .page_auditors import auditors_section
from .page_changes import changes_section
from .page_changes import heading as changes_heading
from .page_followup import (
    follow_through_section,
    missed_targets_section,
    stage_metrics_section,
    touchpoint_metrics,
)
from .page_gates import GateReport, gates_section
from .page_segments import segment_sections
from .page_html import (
    blocks,
    chip,
    front_matter,
    lang_attribute,
    md_heading,
    sort_number,
    table,
    td,
    time_tag,
)
from .page_sections import (
    funnel_section,
    heat_map,
    internal_block,
    ipa_section,
    priorities_table,
    recommendations_table,
    stage_table,
    touchpoint_section,
)

PORTFOLIO_PAGE = "index.md"
DOWNLOADS = {  # kind → (file name suffix, label key)
    "csv": ("-touchpoints.csv", "download_csv"),
    "json": ("-figures.json", "download_json"),
    "svg": ("-journey.svg", "download_svg"),
    "png": ("-journey.png", "download_png"),
    "pdf": ("-report.pdf", "download_pdf"),
    "pptx": ("-deck.pptx", "download_pptx"),
}
REPORTS = ("pdf", "pptx")  # downloads made only when a build asks (the `reports` option; site.report_files)


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
    def changes(self) -> dict | None:
        """Change of each headline figure since the previous round (as shown), or None."""
        return change_since(self.previous.figures if self.previous else None, self.figures)

    @property
    def change(self):
        """Change of the overall score since the previous round (as shown), or None."""
        changes = self.changes
        return changes["score"] if changes is not None else None


@dataclass
class AuditPageParts:
    """What an audit page shows besides the audit itself: the diagram, the downloads,
    the changes since the previous round (its diff, from :func:`page_changes.changes_between`)
    and the score gates' results. Sections whose part is None are left out."""

    diagram_svg: str | None = None
    diagram_slot: str | None = None  # a placeholder written instead of the SVG (see sitegen.Site.fill)
    downloads: Sequence[str] = field(default_factory=lambda: tuple(k for k in DOWNLOADS if k not in REPORTS))
    changes: AuditDiff | None = None
    gates: GateReport | None = None


# -- portfolio -----------------------------------------------------------------

def _audit_rows(views: Sequence[AuditView], links: Links, lang: str, with_client: bool) -> list[str]:
    rows = []
    for v in views:
        a, f = v.audit, v.figures
        status = label(f"status_{a.status}", lang)
        cells = []
        if with_client:
            cells.append(td(f'<a href="{links.to(client_page_path(a.client_id))}">{esc(a.client)}</a>', a.client))
        cells += [
            td(f'<a href="{links.to(audit_page_path(a.slug))}"{lang_attribute(a)}>{esc(a.title)}</a>', a.title),
            td(time_tag(a.date), a.date.isoformat()),
            td(esc(status), status, "ja-draft" if a.status == "draft" else ""),
            td(chip(f.score, a), sort_number(f.score)),
            td(chip(f.message, a), sort_number(f.message)),
            td(chip(f.consistency, a), sort_number(f.consistency)),
            td(esc(fmt_delta(v.change)), "" if v.change is None else str(v.change), "ja-num"),
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
    newest = sorted(views, key=lambda v: round_order(v.audit), reverse=True)
    clients = {v.audit.client_id for v in views}
    lead = label("portfolio_count", lang).format(audits=len(views), clients=len(clients),
                                                 audits_en=counted(len(views), "audit"),
                                                 clients_en=counted(len(clients), "client"))
    audits = table(_audit_table_head(lang, True), _audit_rows(newest, links, lang, True), "ja-sortable ja-portfolio",
                   caption=label("sort_hint", lang), sorted_by=2)
    # The table needs the page's full width (Material's `hide`; other themes ignore it).
    return blocks(front_matter(label("portfolio", lang), hide=("navigation", "toc")),
                  f"# {md_literal(label('portfolio', lang))} {{#portfolio}}",
                  _internal_note(lang) if internal else "",
                  f'<p class="ja-lead">{esc(lead)} {esc(label("change_hint", lang))}</p>',
                  audits)


# -- client --------------------------------------------------------------------

def client_page(views: Sequence[AuditView], links: Links, default_lang: str, internal: bool = False) -> str:
    """A client's audits over time (oldest first), with their headline figures."""
    views = sorted(views, key=lambda v: round_order(v.audit))
    latest = views[-1].audit
    lang = latest.language or default_lang
    lead = label("client_count", lang).format(audits=len(views))
    return blocks(front_matter(latest.client),
                  f"# {md_literal(latest.client)} {{#client{lang_attribute(latest)}}}",
                  _internal_note(lang) if internal else "",
                  f'<p class="ja-lead">{esc(lead)}</p>',
                  table(_audit_table_head(lang, False), _audit_rows(views, links, lang, False), "ja-client-audits"),
                  *_trend(views, links, lang),
                  *metrics_across_rounds([v.audit for v in views], lang))


def _trend(views: Sequence[AuditView], links: Links, lang: str) -> tuple[str, ...]:
    """The client's scores across rounds (``views``, oldest first): a chart, and the same figures as a table."""
    rounds = [v.audit for v in views]
    t = trend(rounds, [v.figures for v in views])
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
                        f"{time_tag(a.date)}</a></th>" for a in rounds)
    values = (f'<div class="ja-table-wrap ja-trend-table"><table>\n'
              f'<thead><tr><th scope="col">{esc(label("stage", lang))}</th>{links_row}</tr></thead>\n'
              "<tbody>\n" + "\n".join(rows) + "\n</tbody></table></div>")
    return (md_heading(2, label("trend", lang), "trend"),
            f'<p class="ja-hint">{esc(label("trend_hint", lang))}</p>',
            f'<figure class="ja-figure ja-trend-figure" data-search-exclude>\n{svg}\n</figure>',
            values)


def _trend_row(key: str, name_html: str, values: Sequence, rounds: Sequence[Audit], cls: str = "") -> str:
    cells = "".join(td(chip(v, r) if v is not None else "–", sort_number(v)) for v, r in zip(values, rounds))
    attr = f' class="{cls}"' if cls else ""
    return f'<tr data-series="{esc(key)}"{attr}><th scope="row">{name_html}</th>{cells}</tr>'


# -- audit ---------------------------------------------------------------------

def audit_page(view: AuditView, links: Links, default_lang: str, parts: AuditPageParts) -> str:
    """Everything about one audit, from the summary to the touchpoint sections."""
    a, f = view.audit, view.figures
    lang = a.language or default_lang
    la = lang_attribute(a)
    metrics = metric_figures(a, view.previous.audit if view.previous else None)
    return blocks(
        front_matter(a.title),
        f"# {md_literal(a.title)} {{#audit{la}}}",
        _meta(view, links, lang),
        headline_badges(view, lang),
        _see_also(view, parts, lang),
        md_heading(2, label("summary", lang), "summary") if a.summary or a.internal_notes else "",
        f'<div class="ja-summary"{la}>{lines(a.summary)}</div>' if a.summary else "",
        internal_block(a.internal_notes, lang, la),
        *missed_targets_section(a, metrics, lang),
        md_heading(2, label("diagram", lang), "diagram") if parts.diagram_svg else "",
        _diagram(a, parts, links, lang),
        md_heading(2, label("stages", lang), "stages"),
        stage_table(a, f, lang),
        stage_metrics_section(a, metrics, lang),
        md_heading(2, label("funnel", lang), "funnel"),
        funnel_section(a, f, lang),
        md_heading(2, label("heat_map", lang), "heat-map"),
        heat_map(a, f, lang),
        *segment_sections(a, f, lang),  # format 1.1: segments, rollups, appeal fit; none without their fields
        md_heading(2, label("auditors_section", lang), "auditors") if f.agreement is not None else "",
        auditors_section(a, f, lang),
        md_heading(2, label("priorities", lang), "priorities"),
        priorities_table(a, f, lang),
        md_heading(2, label("ipa", lang), "importance-performance"),
        ipa_section(a, f, lang),
        md_heading(2, label("recommendations", lang), "recommendations"),
        recommendations_table(a, lang),
        *_follow_through(view, links, lang),
        # Follow-up on the previous round after this round's own findings: placed first,
        # they pushed the diagram two screens down. _see_also links them from the top.
        *_changes(view, parts, links, lang),
        *_gates(view, parts, links, lang),
        md_heading(2, label("touchpoints", lang), "touchpoints"),
        *(touchpoint_section(a, f, stage, tp, lang, links, touchpoint_metrics(metrics, tp.id, lang))
          for stage, tp in a.touchpoints()),
        md_heading(2, label("downloads", lang), "downloads") if parts.downloads else "",
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


def _follow_through(view: AuditView, links: Links, lang: str) -> tuple[str, ...]:
    """What became of the previous round's recommendations: only when it is on this site too."""
    if view.previous is None:
        return ()
    old = view.previous.audit
    return follow_through_section(follow_through(old, view.audit), lang, links.to(audit_page_path(old.slug)))


def _changes(view: AuditView, parts: AuditPageParts, links: Links, lang: str) -> tuple[str, ...]:
    """"Changes since <date>": only when the previous round is on this site too."""
    if parts.changes is None or view.previous is None:
        return ()
    old = view.previous.audit
    return (md_heading(2, changes_heading(old, lang), "changes"),
            changes_section(parts.changes, old, view.audit, lang, links.to(audit_page_path(old.slug))))


def _gates(view: AuditView, parts: AuditPageParts, links: Links, lang: str) -> tuple[str, ...]:
    if parts.gates is None:
        return ()
    previous = view.previous.figures if view.previous else None
    return (md_heading(2, label("gates", lang), "gates"),
            gates_section(parts.gates, view.audit, view.figures, previous, lang,
                          lambda slug: links.to(audit_page_path(slug))))


def _meta(view: AuditView, links: Links, lang: str) -> str:
    a = view.audit
    items = [(label("client", lang), f'<a href="{links.to(client_page_path(a.client_id))}">{esc(a.client)}</a>'),
             (label("date", lang), time_tag(a.date))]
    if a.auditors:
        items.append((label("auditors", lang), esc(", ".join(a.auditors) if lang == "en" else "、".join(a.auditors))))
    if a.industry:
        items.append((label("industry", lang), esc(a.industry)))
    items.append((label("involvement", lang), esc(label(f"involvement_{a.involvement}", lang))))
    items.append((label("status", lang), esc(label(f"status_{a.status}", lang))))
    for key, other in (("previous_round", view.previous), ("next_round", view.later)):
        if other is not None:
            o = other.audit
            when = esc(label("in_parens", lang)).format(text=time_tag(o.date))  # （2026-03-31） in Chinese
            items.append((label(key, lang), f'<a href="{links.to(audit_page_path(o.slug))}">{esc(o.title)}</a>{when}'))
    body = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in items)
    return f'<dl class="ja-meta"{lang_attribute(a)}>{body}</dl>'


def headline_badges(view: AuditView, lang: str) -> str:
    """The headline figures on their score colours, each with its change since the previous
    round when there is one, and the funnel's overall conversion (the page's top; the PDF report's too)."""
    a, f, changes = view.audit, view.figures, view.changes
    out = []
    for key in HEADLINE:
        value = getattr(f, key)
        change = ""
        if changes is not None:
            change = (f'<span class="ja-badge-change" title="{esc(label("previous_round", lang))}">'
                      f"{esc(fmt_delta(changes[key]))}</span>")
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


def _downloads(a: Audit, links: Links, lang: str, kinds: Sequence[str]) -> str:
    items = "".join(f'<li><a href="{links.to(download_path(a.slug, k))}" download>'
                    f'{esc(label(DOWNLOADS[k][1], lang))}</a></li>' for k in kinds)
    return f'<ul class="ja-downloads">{items}</ul>' if items else ""
