"""Ids: ``unique-id``, each core message, stage and touchpoint id used once in a file.

A touchpoint's id is the anchor of its section on the site, so it is unique in the
whole file, not only in its stage.

unique-id
    >>> from .examples import example
    >>> example("      - id: website", "      - id: shop\\n        name: Shop\\n        channel: store\\n"
    ...         "        message: {intended: x, score: 3}\\n        consistency: {quality: 4}\\n      - id: shop")
    a.yaml:17:13: error: touchpoint id 'shop' is used twice (first at line 12) (unique-id)

reserved-id
    A client id names the client's folder of the site (``clients/<id>/``, evidence under
    ``evidence/<id>/``) and is what ``verify-site`` looks for in other clients' sites, so it
    may not be one of the site's own path segments or words (``search``, ``assets``, …).

    >>> example("client: Acme Tools", "client: Acme Tools\\nclient_id: search")
    a.yaml:3:12: error: client id 'search' is one of the site's own folder names (assets, audits, clients, css, evidence, fonts, images, img, index, javascripts, js, method, search, site, sitemap, stylesheets); set another with client_id: (reserved-id)

    Nor a word every page holds in its markup or its theme files' names (``bundle``,
    ``palette``, ``header``, …): ids are found between any characters but letters and
    digits, so ``palette`` would be "found" in ``palette.6f2c.min.css`` on every page.

    >>> example("client: Acme Tools", "client: Acme Tools\\nclient_id: palette")
    a.yaml:3:12: error: client id 'palette' is a word of the site's theme and markup (in every page: assets/stylesheets/palette.….css); set another with client_id: (reserved-id)

    The client's name is looked for too, in every other client's site: a name that is one
    of those words would be "found" everywhere.

    >>> example("client: Acme Tools", "client: Search\\nclient_id: search-client")
    a.yaml:2:9: error: client name 'Search' is a word every page of the site shows; verify-site would find it in every other client's site: write the client's full name (for example 'Search Ltd') (reserved-id)
"""

from __future__ import annotations

from typing import Any

from ..model import Audit
from .rule import ERROR, Report, Rule

UNIQUE_ID = "unique-id"
RESERVED_ID = "reserved-id"

RULES = (
    Rule(UNIQUE_ID, ERROR, "each core message, stage and touchpoint id is used once in the file"),
    Rule(RESERVED_ID, ERROR, "a client id or name is not one of the site's own folder names or words"),
)

# The site's own path segments and theme folders (Material for MkDocs, our pages).
SITE_SEGMENTS = frozenset({"assets", "audits", "clients", "css", "evidence", "fonts", "images", "img", "index",
                           "javascripts", "js", "method", "search", "site", "sitemap", "stylesheets"})
# Words every page holds as whole tokens (the theme's file names, HTML and Material markup):
# verify-site could not tell a client's id from them.
THEME_WORDS = {
    "assets/javascripts/bundle.….js": ("bundle", "min", "lunr", "worker", "workers"),
    "assets/stylesheets/palette.….css": ("palette", "main"),
    "assets/images/favicon.png": ("favicon", "png", "svg"),
    "the generator tag: mkdocs-material": ("mkdocs", "material", "mkdocs-material", "squidfunk", "journey-audit"),
    "the markup: <header class=…>": ("html", "head", "body", "header", "footer", "nav", "main", "div", "span",
                                     "class", "style", "script", "link", "meta", "title", "label", "button",
                                     "input", "form", "dialog", "section", "article", "table", "text", "path",
                                     "content", "toggle", "data", "md", "ja", "portfolio"),
}


def _theme_word(client_id: str | None) -> str | None:
    return next((where for where, words in THEME_WORDS.items() if client_id in words), None)


def _site_word(name: str) -> bool:
    """Whether a client's name is one of the site's own words: folders, theme, markup."""
    word = " ".join(name.split()).casefold()
    return word in SITE_SEGMENTS or any(word in words for words in THEME_WORDS.values())


def check(report: Report, audit: Audit) -> None:
    _reserved(report, audit)
    _unique(report, audit.core_messages, "core message")
    _unique(report, audit.stages, "stage")
    _unique(report, [tp for _, tp in audit.touchpoints()], "touchpoint")


def _reserved(report: Report, audit: Audit) -> None:
    if isinstance(audit.client, str) and audit.client.strip() and _site_word(audit.client):
        report.error_at(audit, "client", f"client name '{audit.client.strip()}' is a word every page of the site "
                                         "shows; verify-site would find it in every other client's site: write the "
                                         f"client's full name (for example '{audit.client.strip()} Ltd')", RESERVED_ID)
        if "client_id" not in audit.pos:  # the id is made from the name: one fix for both
            return
    field = "client_id" if "client_id" in audit.pos else "client"  # given, or made from the name
    theme = _theme_word(audit.client_id)
    if theme is not None and audit.client_id not in SITE_SEGMENTS:
        report.error_at(audit, field, f"client id '{audit.client_id}' is a word of the site's theme and markup (in "
                                      f"every page: {theme}); set another with client_id:", RESERVED_ID)
    if audit.client_id in SITE_SEGMENTS:
        report.error_at(audit, field, f"client id '{audit.client_id}' is one of the site's own folder names "
                                      f"({', '.join(sorted(SITE_SEGMENTS))}); set another with client_id:",
                        RESERVED_ID)


def _unique(report: Report, items: list[Any], what: str) -> None:
    seen: dict[str, Any] = {}
    for item in items:
        if item.id is None:  # reported as a bad id already
            continue
        if item.id in seen:
            first = seen[item.id]
            report.error_at(item, "id", f"{what} id '{item.id}' is used twice (first at line {first.at('id')[0]})",
                            UNIQUE_ID)
        else:
            seen[item.id] = item
