"""Live preview for ``journey-audit serve``: an edited audit re-renders only the pages it touches.

MkDocs' own ``serve`` rebuilds the whole site on every save (31 s on 200 audits), and
its ``--dirty`` mode leaves the navigation and the search index stale. The preview keeps
the last full build in memory (MkDocs' configuration, files, navigation, template
environment and Material's search index) and, when only audit files changed, updates it
in two steps:

1. **the edited audit's page first**: only the saved files are validated again (the
   others as the last build found them, the rules across files run again), the pages of
   the edited audits' clients generated (an audit page depends only on its client's
   audits, so it is what a full build would write), and the edited audits' own pages
   converted, rendered with the navigation of the full build and written; the browser
   is told to reload.
2. **the rest after**: the whole site is generated again and every other generated file
   whose content changed (its neighbouring rounds, the client and portfolio pages,
   downloads) is written; the search index drops the entries of each re-rendered page
   and takes its new ones, and is written again; the browser reloads once more.

Whatever the step cannot keep right falls back to a full build: a changed navigation
(an audit's title, a client's name, an audit added, removed or renamed), hand-written
pages, the configuration. Neither step runs while an audit has errors: the server
shows them instead (:mod:`.serve`).
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..audit.audit_cache import validate_cached
from ..audit.portfolio import Portfolio, assemble, display_path, find_audit_files
from ..errors import AuditError
from .pages import audit_page_path
from .sitegen import Site, generate

log = logging.getLogger("mkdocs.plugins.journey_audit.preview")


class NeedsFullBuild(Exception):
    """The change reaches further than the pages it touches (navigation, docs, config): build it all."""


@dataclass
class Built:
    """What the last full build left in memory: MkDocs' configuration and objects, and our plugin."""

    config: object  # MkDocsConfig, with the plugin instances that built the site
    plugin: object  # JourneyAuditPlugin
    files: object  # mkdocs Files, each generated page with its Page
    nav: object  # mkdocs Navigation
    env: object  # jinja2 Environment
    # docs path → the content its File holds now (from the full build, then each update)
    current: dict = field(default_factory=dict)
    # audit file (absolute) → what validating it gave, (audit or None, problems): only edited files again
    loaded: dict = field(default_factory=dict)

    @classmethod
    def of(cls, config) -> "Built":
        from .build import PLUGIN

        plugin = config.plugins[PLUGIN]
        env, files, nav = plugin.rendered
        built = cls(config, plugin, files, nav, env, dict(plugin.site.files))
        _load(built, set())  # every audit validated once now: a save then validates only its file
        return built


def audit_changes(changed: set[str], audits_dir: Path | None) -> set[str] | None:
    """The audit files (YAML) among the ``changed`` paths; None when something outside the audits folder changed.

    Other files in the audits folder (an editor's swap or backup files) are no audits: left out.
    """
    if not changed or audits_dir is None:
        return None
    root = str(audits_dir.resolve()) + os.sep
    if not all(os.path.abspath(p).startswith(root) for p in changed):
        return None
    return {os.path.abspath(p) for p in changed if p.endswith((".yaml", ".yml"))}


def update(built: Built, changed: set[str], publish: Callable[[], None]) -> Portfolio:
    """Bring the served site up to date after the audit files ``changed`` (absolute paths) were saved.

    ``publish`` is called once the edited audits' pages are written (step 1). Raises
    :class:`AuditError` (the problems; nothing written) when an audit has errors,
    :class:`NeedsFullBuild` when the change needs a full build.
    """
    started = time.monotonic()
    plugin = built.plugin
    edited = {str(Path(p).resolve()) for p in changed}
    portfolio = _load(built, edited)
    if portfolio.errors:
        raise AuditError(portfolio.errors)
    mine = [a for a in portfolio.audits if str(Path(a.path).resolve()) in edited]
    for p in portfolio.problems:
        if str(Path(p.path).resolve()) in edited:
            log.warning(p.format())
    if {str(Path(a.path).resolve()) for a in mine} != edited:
        raise NeedsFullBuild("an audit was added, removed or renamed")
    clients = {a.client_id for a in mine}
    first = _generate(plugin, [a for a in portfolio.audits if a.client_id in clients])
    _check_nav(first.nav, plugin.site.nav)
    plugin.site.inline.update(first.inline)
    # The edited audits' own pages first: what the author is looking at.
    pages = [audit_page_path(a.slug) for a in mine]
    rendered = _write(built, {path: first.files[path] for path in pages if path in first.files})
    publish()
    log.info(f"previewed {', '.join(rendered) or 'no page'} in {time.monotonic() - started:.1f} s")
    whole = _generate(plugin, portfolio.audits)
    if (set(whole.files) != set(plugin.site.files) or whole.nav != plugin.site.nav
            or whole.evidence != plugin.site.evidence):
        raise NeedsFullBuild("the navigation or the set of pages changed")
    for warning in whole.warnings:
        if warning not in plugin.site.warnings:  # e.g. a journey grown too big to draw
            log.warning(warning)
    plugin.site = whole
    rendered += _write(built, whole.files)
    _write_search_index(built)
    log.info(f"updated {len(rendered)} page{'s' * (len(rendered) != 1)}: {', '.join(rendered[:4])}"
             + (" …" if len(rendered) > 4 else ""))
    return portfolio


def _load(built: Built, edited: set[str]) -> Portfolio:
    """The portfolio as :func:`load_portfolio` gives it, validating again only the ``edited`` files (and new ones)."""
    plugin = built.plugin
    files, problems = find_audit_files([plugin.audits_dir])

    def validated(f: Path):
        name = str(f.resolve())
        if name in edited or name not in built.loaded:
            built.loaded[name] = validate_cached(f, display_path(f), plugin.cache)
        return built.loaded[name]

    return assemble(problems, map(validated, files))


def _same(old, new) -> bool:
    """Whether two contents of a generated file are the same (cache files by their bytes: a
    page's cache key names its neighbours too, whose edit may leave its text as it was)."""
    if isinstance(old, Path) and isinstance(new, Path) and old != new:
        try:
            return old.stat().st_size == new.stat().st_size and old.read_bytes() == new.read_bytes()
        except OSError:
            return False
    return old == new


def _generate(plugin, audits: list) -> Site:
    from ..errors import JourneyAuditError

    try:
        return generate(audits, plugin.options)
    except JourneyAuditError as exc:
        raise NeedsFullBuild(str(exc)) from None


def _check_nav(part: list, whole: list) -> None:
    """The clients' sections of a partial site must be in the full site's navigation as they are."""
    sections = [entry for entry in part[1:] for entry in next(iter(entry.values()))] if len(part) > 1 else []
    known = [entry for entry in whole[1:] for entry in next(iter(entry.values()))] if len(whole) > 1 else []
    if any(s not in known for s in sections):
        raise NeedsFullBuild("a client's section of the navigation changed")


def _set_content(f, content) -> None:
    """Point MkDocs' File at new content: a cache file's path, text or bytes."""
    if isinstance(content, Path):
        f._content = None
        f.abs_src_path = str(content)  # a cached_property: assigning replaces it
    elif isinstance(content, str):
        f.content_string = content
    else:
        f.content_bytes = content


def _write(built: Built, files: dict) -> list[str]:
    """Write the generated ``files`` whose content differs from what the site holds; the pages re-rendered."""
    from mkdocs.commands.build import _build_page, _populate_page
    from mkdocs.structure.files import InclusionLevel

    config, pages = built.config, []
    for path, content in files.items():
        if path in built.current and _same(built.current[path], content):
            continue
        f = built.files.get_file_from_path(path)
        if f is None:
            raise NeedsFullBuild(f"{path} is new")
        _set_content(f, content)
        built.current[path] = content
        if not f.is_documentation_page():
            f.copy_file()
            continue
        title = f.page.title
        _populate_page(f.page, config, built.files)
        if f.page.title != title:  # every page's navigation shows it
            raise NeedsFullBuild(f"the title of {path} changed")
        pages.append(f.page)
    search = _search_index(config)
    if search is not None and pages:
        urls = {p.url for p in pages}
        search.entries = [e for e in search.entries if e["location"].split("#")[0] not in urls]
    doc_files = built.files.documentation_pages(inclusion=InclusionLevel.is_in_serve)
    for page in pages:
        _build_page(page, config, doc_files, built.nav, built.env)
    return [p.file.src_uri for p in pages]


def _search_index(config):
    """Material's (or MkDocs') search index of the build: its ``entries`` are updated in place."""
    for plugin in config.plugins.values():
        index = getattr(plugin, "search_index", None)
        if index is not None and isinstance(getattr(index, "entries", None), list):
            return index
    return None


def _write_search_index(built: Built) -> None:
    """Write the search index again, beside the site, then move it into place.

    It is tens of MB on a large portfolio: a browser loading it meanwhile gets the old
    index or the new one whole, never a file cut short.
    """
    config = built.config
    site = Path(config.site_dir)
    with tempfile.TemporaryDirectory(prefix=".search-", dir=site.parent) as tmp:
        config.site_dir = tmp
        try:
            for plugin in config.plugins.values():
                if getattr(plugin, "search_index", None) is not None and hasattr(plugin, "on_post_build"):
                    plugin.on_post_build(config=config)
        finally:
            config.site_dir = str(site)
        for made in sorted(p for p in Path(tmp).rglob("*") if p.is_file()):
            target = site / made.relative_to(tmp)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(made, target)
