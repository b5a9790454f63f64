"""The ``journey-audit`` MkDocs plugin: audits in, generated pages added to the build.

A thin adapter over :func:`journey_audit.site.sitegen.generate`::

    plugins:
      - search:
          lang: [zh, en]
      - journey-audit:
          audits: audits          # folder of audit files, relative to mkdocs.yml
          language: zh            # labels of the portfolio and navigation (default: theme.language, else en)

Other options: ``include_internal`` and ``drafts`` (publish internal notes / draft
audits; default false), ``client`` (only that client's audits), ``diagrams`` (draw
the journey diagrams with Graphviz; default true), ``cache_dir`` (the cache folder,
where drawings, pages and validated audits are kept between builds, relative to
mkdocs.yml; default ``.cache/journey-audit``; pruned after each build to a few times
what it used, see :mod:`journey_audit.cache`),
``nav`` (when mkdocs.yml has no ``nav``, lay out portfolio, hand-written pages and
one section per client; default true), ``gates`` (the score gates file whose results
the audit pages show, relative to mkdocs.yml; default: ``journey-audit.gates.yaml``
beside mkdocs.yml, the file ``journey-audit check`` reads, when there is one; without
a file, no gates section), ``auditor_names`` (name the auditors on the pages and
downloads; false: "Auditor 1", "Auditor 2", … for a client who should not see who
scored what; a build with ``include_internal`` always names them; default true),
``reports`` (a list of ``pdf``, ``pptx``: each audit page's downloads get its PDF report
and slide deck, see :mod:`journey_audit.site.report_files`; default none, as they take
seconds an audit).

A client build (``client: <client_id>``) is made only of what that client may see:
the generated pages of its own audits, and the hand-written files
:class:`journey_audit.site.publish.DocsScope` lets through (a page marked in its front
matter ``clients: [other-client]``, or a file under a folder named after another
client, is removed from the build's files, not hidden: MkDocs renders, indexes and
lists in the sitemap every file it is given, in the navigation or not). Entries of
an explicit ``nav`` that point at what was left out are dropped with them.

The audits are loaded and validated before MkDocs touches the site folder; any
problem stops the build with our own messages (``path:line:col: error: …``), no
traceback. The generated pages never exist on disk: they are added with
``File.generated``. ``mkdocs serve`` also watches the audits folder, so saving an
audit rebuilds the site.

The plugin reads nothing but its options. ``journey-audit build`` and ``serve``
(:mod:`journey_audit.site.build`) pass their flags (``--audits``, ``--client``, …) as
these same options: they set them in this plugin's entry of the configuration's
``plugins`` list and hand the list to MkDocs as a configuration override
(``load_config(plugins=…)``), which ``serve`` applies again each time it reloads the
configuration. There is no other channel between the command line and the plugin,
except that ``build`` hands over the audits it has just validated
(:attr:`JourneyAuditPlugin.portfolio`) so that the build does not validate them twice.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, file_sort_key
from mkdocs.utils import nest_paths
from mkdocs.utils.meta import get_data

from .. import progress
from ..audit.portfolio import Portfolio, load_portfolio
from ..audit.problems import ERROR
from ..cache import DEFAULT_ROOT, Cache
from ..charset import shown as one_line
from ..errors import BuildFailed, JourneyAuditError
from ..figures.gates import DEFAULT_CONFIG as DEFAULT_GATES
from ..labels import DEFAULT_LANGUAGE
from . import page_light
from .pages import REPORTS
from .publish import ScopeError, page_clients
from .report_files import report_formats
from .sitegen import (
    LANGUAGES,
    SCRIPTS,
    STYLESHEETS,
    Site,
    SiteOptions,
    generate,
)

log = get_plugin_logger(__name__)


class JourneyAuditConfig(base.Config):
    audits = c.Type(str, default="audits")
    language = c.Optional(c.Choice(LANGUAGES))
    include_internal = c.Type(bool, default=False)
    drafts = c.Type(bool, default=False)
    client = c.Optional(c.Type(str))
    diagrams = c.Type(bool, default=True)
    cache_dir = c.Type(str, default=DEFAULT_ROOT.as_posix())
    nav = c.Type(bool, default=True)
    gates = c.Optional(c.Type(str))
    auditor_names = c.Type(bool, default=True)
    reports = c.ListOfItems(c.Choice(REPORTS), default=[])


class JourneyAuditPlugin(BasePlugin[JourneyAuditConfig]):
    """Adds the portfolio, client and audit pages, downloads and assets to the site."""

    def __init__(self) -> None:
        self.portfolio: Portfolio | None = None  # the CLI may hand over the audits it validated
        self.site: Site | None = None
        self.audits_dir: Path | None = None
        self.cache: Cache | None = None  # the cache folder, absolute
        self.started: float | None = None  # when this build began, for pruning the cache
        self.gates_file: Path | None = None
        self.left_out: dict[str, str] = {}  # docs file → why this build leaves it out
        self.language = DEFAULT_LANGUAGE  # the site's, decided with the audits in on_pre_build
        self.options: SiteOptions | None = None
        self.nav = None  # MkDocs' navigation, and (templates, files, navigation): kept for serve's preview
        self.rendered: tuple | None = None

    def resolve(self, config) -> None:
        """Make the folders of the options absolute (from mkdocs.yml's folder)."""
        root = Path(config.config_file_path).parent if config.config_file_path else Path.cwd()
        self.audits_dir = (root / self.config.audits).resolve()
        self.cache = Cache((root / self.config.cache_dir).resolve())
        if self.started is None:  # the CLI resolves before it validates: that counts as this build
            self.started = time.time()
        # The gates file named, else the one `journey-audit check` reads, when the project has one.
        default = root / DEFAULT_GATES
        self.gates_file = (root / self.config.gates).resolve() if self.config.gates else (
            default.resolve() if default.is_file() else None)
        docs = Path(config.docs_dir).resolve()
        for what, folder in (("audits folder", self.audits_dir), ("cache folder", self.cache.root)):
            # MkDocs publishes every file of docs/: raw audits (internal notes, drafts) would be on the site.
            if Path(folder).resolve().is_relative_to(docs):
                raise BuildFailed(f"the {what} {folder} is inside the docs folder {docs}, whose every file "
                                  "is published; move it out of docs/")

    @event_priority(-100)  # after the search plugin's: it fills in its default separator, extended here
    def on_config(self, config):
        try:
            self.resolve(config)
        except BuildFailed as exc:
            raise PluginError(str(exc)) from None
        # Our template overrides (an accessible name for the search dialog) come with the
        # plugin, so a folder with only audits/ gets them too; a custom_dir still wins.
        templates = str(Path(__file__).parent / "templates")
        if templates not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, templates)
        for css in STYLESHEETS:
            if css not in config.extra_css:
                config.extra_css.append(css)
        for js in SCRIPTS:
            if js not in [str(s) for s in config.extra_javascript]:
                config.extra_javascript.append(js)
        _search_splits_scripts(config)
        # Material's search imports jieba, which logs its dictionary loading to stderr at
        # DEBUG level on every build; only its warnings are worth a line of our output.
        if "jieba" in sys.modules:
            sys.modules["jieba"].setLogLevel(logging.WARNING)
        return config

    def _language(self, config, portfolio) -> str:
        """The site's language: the ``language`` option; in a client build, the language
        most of that client's audits are written in; else the theme's; else English."""
        if self.config.language:
            return self.config.language
        if self.config.client:
            spoken = Counter(a.language or DEFAULT_LANGUAGE for a in portfolio.audits
                             if a.client_id == self.config.client)
            if spoken:
                return max(sorted(spoken), key=spoken.__getitem__)
        theme_language = str(config.theme.get("language") or "")[:2]
        return theme_language if theme_language in LANGUAGES else DEFAULT_LANGUAGE

    def on_pre_build(self, config) -> None:
        # Before MkDocs empties the site folder: a bad audit stops the build here.
        portfolio = self.portfolio
        if portfolio is None:
            portfolio = load_portfolio([self.audits_dir], self.cache)
            for p in portfolio.problems:
                if p.level != ERROR:
                    log.warning(p.format())
        if portfolio.errors:
            count = len(portfolio.errors)
            raise PluginError(f"{count} error{'s' * (count != 1)} in the audits; fix them and build again:\n"
                              + "\n".join(p.format() for p in portfolio.errors))
        language = self._language(config, portfolio)
        if self.config.client or self.config.language:
            # Material's own words (search box, navigation) and <html lang> follow the site's.
            config.theme["language"] = language
        self.language = language
        options = SiteOptions(language=language, include_internal=self.config.include_internal,
                              drafts=self.config.drafts, client=self.config.client,
                              use_directory_urls=config.use_directory_urls, diagrams=self.config.diagrams,
                              cache=self.cache, gates=self.gates_file, auditor_names=self.config.auditor_names,
                              reports=report_formats(self.config.reports))
        self.options = options  # serve's preview generates the pages of an edited audit with them
        try:
            self.site = generate(portfolio, options)
        except JourneyAuditError as exc:  # e.g. Graphviz missing: the message says what to do
            raise PluginError(str(exc)) from None
        for warning in self.site.warnings:
            log.warning(warning)
        if options.include_internal or options.drafts:
            what = " and ".join(w for w, on in (("internal notes", options.include_internal),
                                                ("draft audits", options.drafts)) if on)
            log.warning(f"this build includes {what}: never send it to a client")
        if options.client and config.repo_url:
            # Material puts the link (and the repository's name) on every page.
            log.warning(f"repo_url ({config.repo_url}) links every page of client {options.client}'s site to the "
                        "repository that holds every client's audits; leave it out of client builds")
        # Everything the site shows is in its files now: MkDocs' work needs the memory more.
        self.portfolio = None

    def on_files(self, files: Files, config) -> Files:
        assert self.site is not None
        clashes = [path for path in self.site.files if files.get_file_from_path(path) is not None]
        if clashes:
            raise PluginError("these files of the docs folder would be replaced by generated ones; rename or "
                              "move them: " + ", ".join(os.path.join(config.docs_dir, p) for p in sorted(clashes)))
        self._scope_docs(files, config)
        for path, where in sorted(self.site.evidence.items()):
            if files.get_file_from_path(path) is None:  # a warning: `build --strict` stops on it
                why = f" ({self.left_out[path]})" if path in self.left_out else ""
                shown = os.path.relpath(os.path.join(config.docs_dir, path))
                shown = f"docs/{path}" if shown.startswith("..") else shown  # the built-in config's temporary docs
                log.warning(f"{where}: evidence '{path}' is not in the site{why}; put the file at {shown} "
                            "or correct the url: the link would be a 404")
        hand_written = sorted((f for f in files.documentation_pages() if f.inclusion.is_in_nav()), key=file_sort_key)
        for path, content in self.site.files.items():
            if isinstance(content, Path):  # a cache file: MkDocs reads or copies it, nothing held in memory
                files.append(File.generated(config, path, abs_src_path=str(content)))
            else:
                files.append(File.generated(config, path, content=content))
        if config.nav is None and self.config.nav:
            portfolio, *clients = self.site.nav
            config.nav = [portfolio, *nest_paths(f.src_uri for f in hand_written), *clients]
        elif config.nav is not None:
            config.nav = prune_nav(config.nav, self._gone)
        pages = len(files.documentation_pages())
        progress.start("converted", pages)
        progress.start("pages", pages)
        return files

    def _scope_docs(self, files: Files, config) -> None:
        """Remove the docs folder's files this build may not publish (see DocsScope)."""
        assert self.site is not None
        docs = os.path.abspath(config.docs_dir)
        scope = self.site.scope
        known = scope.clients
        self.left_out = {}
        for f in list(files):
            if f.generated_by is not None or f.src_dir is None or os.path.abspath(f.src_dir) != docs:
                continue  # the theme's files, or another plugin's
            marked, meta = None, {}
            if f.is_documentation_page():
                meta = get_data(f.content_string)[1]  # front matter, read once for both rules below
                try:
                    marked = page_clients(meta, os.path.join(config.docs_dir, f.src_uri))
                except ScopeError as exc:
                    raise PluginError(str(exc)) from None
                for unknown in sorted((marked or set()) - known):
                    log.warning(f"{os.path.join(config.docs_dir, f.src_uri)} is marked for client '{unknown}', "
                                f"which has no audit (clients: {', '.join(sorted(known)) or 'none'})")
            reason = scope.leave_out(f.src_uri, marked) or self._linked_out(f, marked)
            if not reason:
                reason = _other_language(meta, self.language)
            if reason:
                files.remove(f)
                self.left_out[f.src_uri] = reason
                log.info(f"left out {f.src_uri}: {reason}")

    def _linked_out(self, f: File, marked) -> str | None:
        """Why a docs file reached through a symbolic link stays out: the rules apply to where it
        really is (a link named after this client to another client's folder, or into the audits)."""
        if f.abs_src_path is None:
            return None
        real = Path(os.path.realpath(f.abs_src_path))
        docs = Path(os.path.realpath(f.src_dir))
        if real == docs / f.src_uri:
            return None
        private = [(what, Path(folder)) for what, folder in (("audits folder", self.audits_dir),
                                                             ("cache folder", self.cache.root if self.cache else None))
                   if folder is not None]
        for what, folder in private:
            if real.is_relative_to(Path(os.path.realpath(folder))):
                return f"it is a link into the {what} ({real})"
        rel = real.relative_to(docs).as_posix() if real.is_relative_to(docs) else real.as_posix().lstrip("/")
        why = self.site.scope.leave_out(rel, marked) if self.site is not None else None
        return f"it is a link to {real}, and {why}" if why else None

    def left_out_report(self) -> str:
        """The lines saying which hand-written files this build left out and why ('' when none), for its output."""
        n = len(self.left_out)
        lines = [f"  {one_line(path)}: {one_line(why)}\n" for path, why in sorted(self.left_out.items())]
        return f"left out {n} hand-written file{'s' * (n != 1)} of the docs folder:\n" + "".join(lines) if n else ""

    def _gone(self, path: str) -> bool:
        """Whether a nav entry's docs path points at a file this build left out or did not generate."""
        assert self.site is not None
        path = path.removeprefix("./")
        generated_area = path.startswith(("audits/", "clients/"))
        return path in self.left_out or (generated_area and path not in self.site.files)

    def on_nav(self, nav, config, files):
        self.nav = nav  # kept with the files and templates for serve's preview (see .preview)
        return nav

    def on_env(self, env, config, files):
        self.rendered = (env, files, self.nav)
        return env

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        # A light page (see page_light): Markdown converts the headings and the words; the
        # HTML blocks wait after the page until on_page_context.
        return page_light.split(markdown)[0] if page.file.generated_by is not None else markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        progress.advance("converted")
        return html

    @event_priority(-100)  # after the search plugin (priority 0) has indexed the light page
    def on_page_context(self, context, page, config, nav):
        if page.file.generated_by is not None:
            page.content = page_light.fill(page.content, page_light.split(page.file.content_string)[1])
        return context

    def on_post_page(self, output: str, page, config) -> str:
        # After Markdown and the search index have seen the page: the diagrams go in last.
        progress.advance("pages")
        try:
            return self.site.fill(output) if self.site is not None else output
        except JourneyAuditError as exc:
            raise PluginError(str(exc)) from None

    def on_post_build(self, config) -> None:
        # Only now: MkDocs has read and copied every cache file this build handed over.
        if self.cache is not None and self.started is not None:
            self.cache.prune(since=self.started)

    def on_serve(self, server, config, builder):
        if self.audits_dir is not None and self.audits_dir.is_dir():
            server.watch(str(self.audits_dir))
        return server


# Where Latin letters or digits meet Chinese characters (24小时, VIP客户, QQ群), and at
# Chinese quotes and brackets (“24小时”). The index has a word boundary there (jieba's
# segments are joined by U+200B), a typed query has none: the search splits both, index
# and query, with this added to its separator (a JavaScript regex).
SCRIPT_BOUNDARY = (r"[\u201c\u201d\u2018\u2019\uff08\uff09\u300a-\u300f\u3010\u3011]+"
                   r"|(?<=[0-9A-Za-z])(?=[\u3400-\u9fff])|(?<=[\u3400-\u9fff])(?=[0-9A-Za-z])")


def _search_splits_scripts(config) -> None:
    """Add :data:`SCRIPT_BOUNDARY` to the search plugin's ``separator`` (whatever mkdocs.yml set)."""
    search = next((config.plugins[name] for name in ("material/search", "search") if name in config.plugins), None)
    options = getattr(search, "config", None)
    if options is None or "separator" not in options:
        return
    separator = options.get("separator")
    if not separator:  # Material fills in its own in its on_config: it must run first to keep it
        return
    if SCRIPT_BOUNDARY not in separator:
        options["separator"] = f"{separator}|{SCRIPT_BOUNDARY}"
        index = getattr(search, "search_index", None)  # Material's index took a copy of its options
        if isinstance(getattr(index, "config", None), dict):
            index.config["separator"] = options["separator"]


def prune_nav(nav: list, gone) -> list:
    """``nav`` (as in mkdocs.yml) without the entries whose path ``gone(path)`` says is left out.

    Titles go with their pages, and a section left empty goes too: a client build's
    navigation names nothing that is not in it. Links (``https://…``) stay.

    >>> prune_nav(["index.md", {"Hotel": ["clients/hotel/index.md", {"Q3": "audits/h.md"}]},
    ...            {"Acme": "audits/a.md"}, {"Web": "https://example.com/"}], lambda p: "h" in p)
    ['index.md', {'Acme': 'audits/a.md'}, {'Web': 'https://example.com/'}]
    """
    kept = []
    for item in nav:
        if isinstance(item, dict):
            section = {}
            for title, value in item.items():
                if isinstance(value, list):
                    value = prune_nav(value, gone)
                    if value:
                        section[title] = value
                elif not (isinstance(value, str) and _local(value) and gone(value)):
                    section[title] = value
            if section:
                kept.append(section)
        elif isinstance(item, list):
            pruned = prune_nav(item, gone)
            if pruned:
                kept.append(pruned)
        elif not (isinstance(item, str) and _local(item) and gone(item)):
            kept.append(item)
    return kept


def _local(path: str) -> bool:
    return not re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:|//", path)


def _other_language(meta: dict, language: str) -> str | None:
    """Why a hand-written page written in another language than the site's is left out
    (front matter ``language: zh``: e.g. ``method.zh.md`` beside ``method.md``), or None."""
    written = str(meta.get("language") or "")[:2]
    return f"written in '{written}', the site is in '{language}'" if written and written != language else None
