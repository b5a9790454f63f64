"""The whole generated part of the site: ``{path: text, bytes or cache file}``.

:func:`generate` turns valid audits into every page, chart, download and asset the
site needs, as paths relative to the docs folder. Nothing is written to the docs or
site folder and nothing here imports MkDocs: the MkDocs plugin adds these files to a
build with ``File.generated``, and the CLI, the tests or another MkDocs-compatible
builder can use the same mapping. With a cache folder, audit pages, downloads and
drawings are files in it (made again only when what they show changed), so a
portfolio of hundreds of audits is never all in memory at once.

What a site may show is decided first, by :func:`journey_audit.site.publish.published`
(drafts and internal notes are left out unless asked for), and every page is made
from those public views only.

>>> from journey_audit.audit.validate import validate_text
>>> audit, _ = validate_text('''
... title: Hotel supplies
... client: Huajin
... client_id: huajin
... date: 2026-01-15
... involvement: high
... core_messages: [{id: q, text: Quality}]
... stages:
...   - id: s
...     name: Search
...     touchpoints:
...       - {id: fair, name: Trade fair, channel: event, message: {intended: I, score: 3}, consistency: {q: 4}}
... ''', "a.yaml", "huajin-2026")
>>> site = generate([audit], SiteOptions(diagrams=False))
>>> sorted(site.files)  # doctest: +NORMALIZE_WHITESPACE
['assets/journey-audit/journey-audit.css', 'assets/journey-audit/sortable-table.js',
 'audits/huajin-2026.md', 'audits/huajin-2026/huajin-2026-figures.json',
 'audits/huajin-2026/huajin-2026-touchpoints.csv', 'clients/huajin/index.md', 'index.md']
>>> site.nav
[{'Portfolio': 'index.md'}, {'Clients': [{'Huajin': ['clients/huajin/index.md', 'audits/huajin-2026.md']}]}]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

from .. import progress
from ..audit.model import Audit, round_order
from ..audit.portfolio import Portfolio
from ..audit.problems import did_you_mean
from ..cache import Cache, code_fingerprint, key
from ..errors import SiteError
from ..figures.scoring import FiguresMemo, FiguresOf
from ..gcpause import paused
from ..labels import DEFAULT_LANGUAGE, label
from . import exports, page_light
from .escape import md_literal
from .page_changes import changes_between
from .page_gates import site_reports
from .pages import (
    DOWNLOADS,
    PORTFOLIO_PAGE,
    AuditPageParts,
    AuditView,
    Links,
    audit_page,
    audit_page_path,
    client_page,
    client_page_path,
    download_path,
    portfolio_page,
)
from .publish import DocsScope, evidence_path, published
from .report_files import ReportFiles

ASSET_DIR = "assets/journey-audit"
STYLESHEETS = (f"{ASSET_DIR}/journey-audit.css",)  # register as extra_css
SCRIPTS = (f"{ASSET_DIR}/sortable-table.js",)  # register as extra_javascript
LANGUAGES = ("zh", "en")


@dataclass(frozen=True)
class SiteOptions:
    """How to generate the site.

    ``language``: labels of the pages that span audits (portfolio, navigation) and of
    audits without a ``language``. ``include_internal``: publish ``internal_notes``.
    ``drafts``: publish draft audits. ``client``: only this client's audits.
    ``use_directory_urls``: as MkDocs' option of that name (links depend on it).
    ``diagrams``: draw the journey diagrams with Graphviz (inline and as downloads).
    ``cache``: the project's cache (:class:`journey_audit.cache.Cache`, made from the
    folder the plugin's ``cache_dir`` names), where drawings, pages and downloads are
    kept between builds; None keeps nothing. ``gates``: a gates file (``journey-audit.gates.yaml``) whose
    results the audit pages show, checked against ``today`` (default: the day of the build).
    ``auditor_names``: name the auditors (False: "Auditor 1", … unless ``include_internal``).
    ``reports``: report formats (``"pdf"``, ``"pptx"``) added to each audit page's downloads
    (:mod:`journey_audit.site.report_files`); none by default.
    """

    language: str = DEFAULT_LANGUAGE
    include_internal: bool = False
    drafts: bool = False
    client: str | None = None
    use_directory_urls: bool = True
    diagrams: bool = True
    cache: Cache | None = None
    gates: Path | None = None
    today: dt.date | None = None
    auditor_names: bool = True
    reports: tuple[str, ...] = ()


@dataclass
class Site:
    """The generated files (docs-relative path → content) and their navigation.

    A file's content is text, bytes, or (with a cache folder) the :class:`Path` of a
    cache file that holds it, which a builder copies or reads when it writes that
    file (:meth:`read` gives the bytes of any of them).

    Inline diagrams are large (tens of KB of SVG per audit page) and neither Markdown nor
    the search index has anything to do with them, so the pages hold a placeholder
    comment where a diagram goes and ``inline`` maps each placeholder to its SVG file:
    :meth:`fill` puts them in, into the rendered HTML (the MkDocs plugin does it in
    ``on_post_page``) or into the Markdown of a builder that renders it itself. Audit
    text is escaped, so it can never spell a placeholder.
    """

    files: dict[str, str | bytes | Path] = field(default_factory=dict)  # a Path: that file's content
    nav: list = field(default_factory=list)  # MkDocs `nav` entries for the generated pages
    published: list[str] = field(default_factory=list)  # the slugs of the audits the site shows
    # Which hand-written files may go with these pages (a client build's own, see DocsScope).
    scope: DocsScope = field(default_factory=lambda: DocsScope(None, frozenset(), frozenset()))
    warnings: list[str] = field(default_factory=list)  # what the site left out and why (e.g. a diagram)
    inline: dict[str, bytes | Path] = field(default_factory=dict)  # placeholder → SVG (bytes or cache file)
    # docs-relative path → where a published audit links it as evidence ("file:line:col")
    evidence: dict[str, str] = field(default_factory=dict)

    def read(self, path: str) -> bytes:
        """The content of the generated file ``path``, as bytes (text is UTF-8)."""
        content = self.files[path]
        if isinstance(content, Path):
            return content.read_bytes()
        return content.encode("utf-8") if isinstance(content, str) else content

    def fill(self, text: str) -> str:
        """``text`` with every diagram placeholder replaced by its SVG (a light page's
        Markdown made whole first, see :mod:`.page_light`)."""
        text = page_light.expand(text)
        if "<!-- journey-audit:" not in text:
            return text

        def svg(m: re.Match) -> str:
            drawing = self.inline.get(m.group(0))
            if drawing is None:
                return m.group(0)
            try:
                return _inline(drawing)
            except OSError as exc:  # the cache folder was emptied while the site was being built
                raise SiteError(f"the journey diagram {drawing} could not be read ({exc.strerror}); "
                                "build again") from None

        return _PLACEHOLDER.sub(svg, text)


_PLACEHOLDER = re.compile(r"<!-- journey-audit:inline [a-z0-9-]+ -->")


def placeholder(slug: str) -> str:
    """The comment that stands for the inline diagram of audit ``slug`` until :meth:`Site.fill`."""
    return f"<!-- journey-audit:inline {slug} -->"


def generate(audits: Portfolio | Iterable[Audit], options: SiteOptions = SiteOptions()) -> Site:
    """Every generated page, download and asset of the site for ``audits``."""
    # Many lasting objects, no garbage (see gcpause).
    with paused():
        return _generate(audits, options)


def _generate(audits: Portfolio | Iterable[Audit], options: SiteOptions) -> Site:
    if isinstance(audits, Portfolio):
        audits = audits.audits
    audits = list(audits)
    if options.language not in LANGUAGES:
        raise SiteError(f"unknown site language '{options.language}'; choose one of {', '.join(LANGUAGES)}")
    if options.client is not None and not any(a.client_id == options.client for a in audits):
        ids = sorted({a.client_id or "" for a in audits})
        raise SiteError(f"no audit of client '{options.client}' was found{did_you_mean(options.client, ids)} "
                        f"(clients: {', '.join(ids) or 'none'})")
    public = published(audits, options.include_internal, options.drafts, options.client, options.auditor_names)
    if options.client is not None and not public:  # only drafts: an empty site would look like a bug
        raise SiteError(f"client '{options.client}' has only draft audits; publish one (status: final) "
                        "or build with --drafts for an internal preview")
    figures = FiguresMemo()  # pages, changes, gates and trends ask for the same figures
    views = _views(public, figures)
    lang = options.language
    shown = {a.slug for a in public}
    site = Site(published=[a.slug for a in public], scope=DocsScope.of(audits, public, options.client),
                evidence=_evidence_links([a for a in audits if a.slug in shown]))
    internal = options.include_internal or options.drafts

    def links(page: str) -> Links:
        return Links(page, options.use_directory_urls)

    files = {a.slug: a.path for a in audits}  # public views do not keep where their file is; messages do
    diagrams = _diagrams(list(views.values()), options, site.warnings, files) if options.diagrams else {}
    gates = _gate_reports(public, options, figures)
    cache = PageCache(options.cache, options)
    reports = ReportFiles(options)
    for slug, view in views.items():
        svg, png = diagrams.get(slug, (None, None))
        made = reports.make(view, svg)  # {} unless the build asks for reports
        kinds = [k for k in DOWNLOADS if k in ("csv", "json") or (k == "svg" and svg) or (k == "png" and png)
                 or k in made]
        page = audit_page_path(slug)
        if svg:
            site.inline[placeholder(slug)] = svg
        previous = view.previous.audit if view.previous else None
        later = view.later.audit if view.later else None
        # A cached drawing is named by the hash of what it shows: its name stands for its content.
        drawing = svg.name if isinstance(svg, Path) else svg
        entry = cache.key(view.audit, previous, later, gates.get(slug), kinds, drawing)
        site.files[page] = cache.get(entry, "md", lambda: page_light.light(audit_page(view, links(page), lang, AuditPageParts(
            diagram_svg=_inline(svg) if svg else None, diagram_slot=placeholder(slug) if svg else None,
            downloads=kinds, gates=gates.get(slug),
            changes=changes_between(previous, view.audit, (view.previous.figures, view.figures)) if previous else None))))
        site.files[download_path(slug, "csv")] = cache.get(
            entry, "csv", lambda: exports.touchpoints_csv(view.audit, view.figures))
        site.files[download_path(slug, "json")] = cache.get(entry, "json", lambda: exports.figures_json(
            view.audit, view.figures, view.previous.figures if view.previous else None, previous))
        if svg:
            site.files[download_path(slug, "svg")] = svg
        if png:
            site.files[download_path(slug, "png")] = png
        for kind, content in made.items():
            site.files[download_path(slug, kind)] = content

    clients: dict[str, list[AuditView]] = {}
    for view in views.values():
        clients.setdefault(view.audit.client_id or "", []).append(view)
    client_nav = []
    for client_id, group in sorted(clients.items()):
        page = client_page_path(client_id)
        site.files[page] = page_light.light(client_page(group, links(page), lang, internal))
        newest = sorted(group, key=lambda v: round_order(v.audit), reverse=True)
        # Section titles are printed by the theme as they are: written literally, like headings.
        client_nav.append({md_literal(newest[0].audit.client): [page, *_round_entries(newest)]})
    site.files[PORTFOLIO_PAGE] = page_light.light(portfolio_page(list(views.values()), lang,
                                                                 links(PORTFOLIO_PAGE), internal))
    site.nav = [{label("portfolio", lang): PORTFOLIO_PAGE}]
    if client_nav:
        site.nav.append({label("clients", lang): client_nav})
    site.files.update(assets())
    return site


def _round_entries(rounds: list[AuditView]) -> list:
    """A client's rounds in the navigation: each page path, titled by its page, except
    rounds that share a title (``new --from`` copies it), which get their date beside it.

    Two entries reading the same would leave the client guessing which round is which.
    """
    titles = [v.audit.title for v in rounds]
    return [{md_literal(f"{v.audit.title} ({v.audit.date.isoformat()})"): audit_page_path(v.audit.slug)}
            if titles.count(v.audit.title) > 1 else audit_page_path(v.audit.slug) for v in rounds]


def assets() -> dict[str, bytes]:
    """The stylesheet and script the generated pages use, shipped in the package."""
    folder = resources.files("journey_audit.site") / "assets"
    return {f"{ASSET_DIR}/{name}": (folder / name).read_bytes()
            for name in ("journey-audit.css", "sortable-table.js")}


def _views(audits: list[Audit], figures: FiguresOf) -> dict[str, AuditView]:
    """Each audit with its figures and its neighbouring rounds, oldest first."""
    ordered = sorted(audits, key=round_order)
    views = {a.slug: AuditView(a, figures(a)) for a in ordered}
    for view in views.values():
        prev = views.get(view.audit.previous) if view.audit.previous else None
        if prev is not None:
            view.previous = prev
            if prev.later is None:  # the first later round (views are in date order)
                prev.later = view
    return views


class PageCache:
    """Audit pages and downloads of earlier builds, found by a key of everything they are made from.

    A warm build (or ``serve`` after one audit was saved) makes again only the files
    whose audit, neighbouring rounds, gate results, diagram or options changed. The
    key (:func:`journey_audit.cache.key`) walks every field of those objects and covers
    this package's own code, so a new version never shows an old page. What
    :meth:`get` gives is the cache file itself, as a :class:`Path`: MkDocs reads or
    copies it when it needs it, so a large portfolio is not held in memory twice.
    Without a cache (or where it cannot be written), it gives the content.
    """

    def __init__(self, cache: Cache | None, options: SiteOptions):
        self.area = cache.pages if cache is not None else None
        self.options = "" if cache is None else key(
            "site-options", code=code_fingerprint(), options=dataclasses.replace(options, cache=None, gates=None))
        self.audits: dict[str, str] = {}  # slug → key of its audit: each one walked once per site

    def _audit(self, audit: Audit | None) -> str | None:
        if audit is None:
            return None
        found = self.audits.get(audit.slug)
        if found is None:
            found = self.audits[audit.slug] = key("audit", audit=audit)
        return found

    def key(self, audit: Audit, previous: Audit | None, later: Audit | None, gates: object, downloads: list[str],
            drawing: str | bytes | None) -> str:
        """The key of an audit page and its downloads (``drawing``: the SVG, or its cache file's name)."""
        if self.area is None:
            return ""
        return key("audit-page", options=self.options, audit=self._audit(audit), previous=self._audit(previous),
                   later=self._audit(later), gates=gates, downloads=downloads, drawing=drawing)

    def get(self, key: str, suffix: str, make: Callable[[], str | bytes]) -> str | bytes | Path:
        """The ``suffix`` file of ``key``: from the cache (checked against its hash), else made and kept there."""
        if self.area is None:
            return make()
        path = self.area.file(key, suffix)
        if path is not None:
            return path
        content = make()
        path = self.area.write(key, suffix, content.encode("utf-8") if isinstance(content, str) else content)
        return content if path is None else path  # a cache that cannot be written only costs memory and time


def _gate_reports(audits: list[Audit], options: SiteOptions, figures: FiguresOf) -> dict:
    """The gates' results per audit slug, or {} without a gates file; SiteError for a bad one."""
    from ..figures.gates import load_gates

    if options.gates is None:
        return {}
    gates, problems = load_gates(Path(options.gates))
    if problems:
        raise SiteError("the gates file cannot be used:\n" + "\n".join(p.format() for p in problems))
    return site_reports(audits, gates, Path(options.gates).name, options.today, figures)


def _diagrams(views: list[AuditView], options: SiteOptions, warnings: list[str],
              files: dict[str, str]) -> dict[str, tuple[bytes | Path, bytes | Path]]:
    """Journey diagrams of all audits as (SVG, PNG), each a cache file or bytes, drawn in two batches.

    A journey too big to draw gets no diagram (its page still shows everything else);
    why goes into ``warnings``.
    """
    from ..diagram.dot import DiagramTooLarge, dot_source
    from ..diagram.render import render_files, render_many

    sources, drawn = [], []
    for v in views:
        try:
            sources.append(dot_source(v.audit, v.figures))
        except DiagramTooLarge as exc:
            exc.where = files.get(v.audit.slug) or exc.where
            warnings.append(f"no journey diagram: {exc}")
            continue
        drawn.append(v)
    views = drawn
    if not views:
        return {}
    names = [v.audit.slug for v in views]
    # With a cache folder the drawings stay files, not bytes in memory: MkDocs copies the
    # downloads, and each page's SVG is read when the page is written (Site.fill).
    progress.start("diagrams", 2 * len(sources))  # an SVG and a PNG each
    if options.cache is not None:
        svgs = render_files(sources, "svg", options.cache, names=names)
        progress.advance("diagrams", len(sources))
        pngs = render_files(sources, "png", options.cache, names=names)
    else:
        svgs = render_many(sources, "svg", None, names=names)
        progress.advance("diagrams", len(sources))
        pngs = render_many(sources, "png", None, names=names)
    progress.advance("diagrams", len(sources))
    return {v.audit.slug: (svg, png) for v, svg, png in zip(views, svgs, pngs)}


def _inline(svg: Path | bytes) -> str:
    """The diagram's SVG file (or its bytes) as HTML: no prolog, no blank lines (a blank
    line would end Markdown's HTML block and let it read the rest as Markdown)."""
    from ..diagram.render import inline_svg

    text = (svg.read_bytes() if isinstance(svg, Path) else svg).decode("utf-8")
    return "\n".join(line for line in inline_svg(text).splitlines() if line.strip())



def _evidence_links(audits: list[Audit]) -> dict[str, str]:
    """Each docs file the audits link as evidence → where the first link is ("file:line:col").
    ``audits``: as validated (public copies do not keep where they were written)."""
    where: dict[str, str] = {}
    for a in audits:
        for _, tp in a.touchpoints():
            for e in tp.evidence:
                path = evidence_path(e.url)
                if path is not None:
                    line, col = e.at("url")
                    where.setdefault(path, f"{a.path}:{line}:{col}")
    return where
