"""The PDF report and the slide deck among an audit page's downloads, when a build asks.

The plugin's ``reports`` option (``reports: [pdf, pptx]``; ``journey-audit build
--reports pdf,pptx``) adds ``audits/<slug>/<slug>-report.pdf`` and
``<slug>-deck.pptx`` to each audit page's downloads: the files ``journey-audit report``
makes, from the same public copy of the audit the page shows (so a client's build
holds that client's audits only, without internal notes or drafts unless the build
publishes them). Off by default: a report takes seconds an audit.

The makers live in :mod:`journey_audit.report`, the layer above the site (it lays out
the site's own sections). The site finds them by name, as MkDocs finds its plugins:
through the package's entry points (group :data:`GROUP`, declared in
pyproject.toml), loaded only when a build asks for a report, so a build without
reports imports neither WeasyPrint nor python-pptx.

They are cached like the other downloads (the cache's ``pages`` area), under a key of
everything a report is made from: the public audit, its previous round, the drawing
of its diagram, the site's options, journey-audit's code and the versions of the
libraries that lay the report out (:data:`LIBRARIES`). Reports are
byte-for-byte reproducible (see :mod:`journey_audit.report`), so a cached report is
the report a cold build makes.
"""

from __future__ import annotations

import dataclasses
import gc
from functools import lru_cache
from pathlib import Path
from typing import Callable

from ..audit.model import Audit
from ..cache import Cache, code_fingerprint, key
from ..errors import SiteError
from .pages import REPORTS, AuditView

GROUP = "journey_audit.reports"  # entry point name → function(view, default language, cache) -> bytes
# The libraries that lay each format out: a new version may lay it out otherwise, so their
# versions are part of a cached report's key (as Graphviz's is of a drawing's).
LIBRARIES = {"pdf": ("weasyprint", "pydyf", "fonttools"), "pptx": ("python-pptx", "pillow")}

Maker = Callable[[AuditView, str, "Cache | None"], bytes]


def report_formats(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The report formats asked for (``"pdf,pptx"`` or a list), in :data:`REPORTS` order, each once.

    Raises :class:`SiteError` naming an unknown format.

    >>> report_formats("pptx, pdf,pdf")
    ('pdf', 'pptx')
    >>> report_formats([])
    ()
    >>> report_formats("docx")
    Traceback (most recent call last):
    ...
    journey_audit.errors.SiteError: unknown report format 'docx'; choose from pdf, pptx
    """
    asked = [t.strip().lower() for t in (text.split(",") if isinstance(text, str) else text)]
    for fmt in asked:
        if fmt and fmt not in REPORTS:
            raise SiteError(f"unknown report format '{fmt}'; choose from {', '.join(REPORTS)}")
    return tuple(f for f in REPORTS if f in asked)


def maker(fmt: str) -> Maker:
    """The function that makes reports of format ``fmt`` (an entry point of group :data:`GROUP`).

    Raises :class:`SiteError` when the installed package does not declare it (an old
    installation: install journey-audit again).
    """
    from importlib.metadata import entry_points

    found = entry_points(group=GROUP, name=fmt)
    if not found:
        raise SiteError(f"no maker of {fmt} reports is installed (entry point group {GROUP}); "
                        "install journey-audit again (pip install -e .)")
    return next(iter(found)).load()


@lru_cache(maxsize=None)
def _versions(fmt: str) -> tuple[str | None, ...]:
    """The installed versions of the libraries that lay out reports of ``fmt`` (None: not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    found: list[str | None] = []
    for name in LIBRARIES.get(fmt, ()):
        try:
            found.append(version(name))
        except PackageNotFoundError:
            found.append(None)
    return tuple(found)


class ReportFiles:
    """The reports of each audit page, from the cache or made; nothing at all without ``formats``.

    ``options``: the site's options (a frozen dataclass with ``language``, ``cache`` and
    ``reports``); their fields go into the key, except the cache folder, the gates file
    (the reports do not show the gates) and the list of formats (a PDF does not change
    when a deck is asked for too).
    """

    def __init__(self, options) -> None:
        self.formats: tuple[str, ...] = tuple(options.reports)
        self.language: str = options.language
        self.cache: Cache | None = options.cache
        self.makers: dict[str, Maker] = {}
        self.audits: dict[str, str] = {}  # slug → key of its public copy, walked once
        self.options = ""
        if self.formats and self.cache is not None:
            self.options = key("report-options", code=code_fingerprint(),
                               options=dataclasses.replace(options, cache=None, gates=None, reports=()))

    def _audit(self, audit: Audit | None) -> str | None:
        if audit is None:
            return None
        if audit.slug not in self.audits:
            self.audits[audit.slug] = key("audit", audit=audit)
        return self.audits[audit.slug]

    def make(self, view: AuditView, drawing: object = None) -> dict[str, bytes | Path]:
        """``{format: content}`` of ``view``'s reports: a cache file's :class:`~pathlib.Path`, or bytes.

        ``drawing``: the site's SVG of the audit's diagram (its cache file or bytes), so
        that a new Graphviz makes the reports again. A report that cannot be made stops
        the build (:class:`~journey_audit.errors.JourneyAuditError`, e.g. WeasyPrint missing).
        """
        if not self.formats:
            return {}
        name = getattr(drawing, "name", drawing)  # a cached drawing's name is the hash of what it shows
        previous = view.previous.audit if view.previous else None
        out = {}
        for fmt in self.formats:
            if fmt not in self.makers:
                self.makers[fmt] = maker(fmt)
            out[fmt] = self._get(fmt, name, view, previous)
        return out

    def _get(self, fmt: str, drawing: object, view: AuditView, previous: Audit | None) -> bytes | Path:
        def make() -> bytes:
            # The site is generated with the garbage collector paused (gcpause); a report's
            # layout makes many short-lived reference cycles, to be freed as it goes.
            was_enabled = gc.isenabled()
            gc.enable()
            try:
                return self.makers[fmt](view, self.language, self.cache)
            finally:
                if not was_enabled:
                    gc.disable()

        if self.cache is None:
            return make()
        entry = key("report", format=fmt, options=self.options, audit=self._audit(view.audit),
                    previous=self._audit(previous), drawing=drawing, libraries=_versions(fmt))
        area = self.cache.pages
        found = area.file(entry, fmt)
        if found is not None:
            return found
        data = make()
        path = area.write(entry, fmt, data)
        return data if path is None else path  # a cache that cannot be written only costs time
