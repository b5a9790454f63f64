"""Small HTML (and Markdown) pieces the generated pages are made of: table cells and
tables, score chips, dates, headings, front matter.

Shared by the portfolio, client and audit pages (:mod:`.pages`) and the audit page's
sections (:mod:`.page_sections`). Text given to these pieces is escaped here, with
:mod:`.escape`, unless a parameter says it is HTML already.
"""

from __future__ import annotations

import json
from typing import Iterable, Sequence

from .. import palette
from ..audit.format_spec import LEVELS
from ..audit.model import Audit
from ..figures.scoring import fmt, round1
from ..labels import label
from .escape import md_literal
from .escape import text as esc


def lang_attribute(audit: Audit) -> str:
    """The audit's language as an HTML attribute (`` lang="zh"``), or nothing."""
    return f' lang="{esc(audit.language)}"' if audit.language else ""


def chip(value, audit: Audit, text: str | None = None) -> str:
    """A figure on its score colour (colour-blind-safe fill, readable text on it)."""
    shown = text if text is not None else fmt(value)
    if value is None:
        return f'<span class="ja-chip ja-chip-none">{esc(shown)}</span>'
    bg = palette.fill(value, audit.scale.min, audit.scale.max)
    return f'<span class="ja-chip" style="background:{bg};color:{palette.text_on(bg)}">{esc(shown)}</span>'


def time_tag(day) -> str:
    """A date as ISO text, kept on one line (a narrow printed column broke it at a hyphen).

    >>> import datetime; time_tag(datetime.date(2026, 3, 31))
    '<time datetime="2026-03-31">2026-03-31</time>'
    """
    return f'<time datetime="{day.isoformat()}">{day.isoformat()}</time>'


def colon(name: str, value_html: str, lang: str) -> str:
    """``name: value`` with the language's colon (full-width in Chinese); ``name`` is text.

    >>> colon("覆盖率", "40%", "zh"), colon("A & B", "<b>2</b>", "en")
    ('覆盖率：40%', 'A &amp; B: <b>2</b>')
    """
    return esc(label("subject_found", lang)).format(subject=esc(name), found=value_html)


def td(content: str, sort_value: object | None = None, cls: str = "") -> str:
    """A table cell of HTML ``content``; ``sort_value``: what the sortable table sorts it by."""
    attrs = f' data-value="{esc(sort_value)}"' if sort_value is not None else ""
    attrs += f' class="{cls}"' if cls else ""
    return f"<td{attrs}>{content}</td>"


def table(head: Iterable[tuple[str, str]], rows: Iterable[str], cls: str, caption: str = "",
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


def sort_number(x) -> str:
    """A figure as the sortable table sorts it: as shown, one decimal ('' for none)."""
    return "" if x is None else str(round1(x))


def level_label(value: str | None, lang: str) -> str:
    """A priority or effort (high, medium, low) in ``lang``; '' for none."""
    return label(f"level_{value}", lang) if value in LEVELS else ""


def status_label(status: str, lang: str) -> str:
    """A recommendation's status (format 1.1) in words: open, in progress, done, dropped."""
    return label(f"status_{status.replace('-', '_')}", lang)


def md_heading(level: int, text: str, anchor: str, lang_attr: str = "") -> str:
    """A Markdown heading of literal ``text`` with an explicit ``{#anchor}`` (``attr_list``)."""
    attrs = f"#{anchor}" + (f" {lang_attr.strip()}" if lang_attr else "")
    return f"{'#' * level} {md_literal(text)} {{{attrs}}}"


def front_matter(title: str, hide: Sequence[str] = ()) -> str:
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


def blocks(*parts: str) -> str:
    """Parts of one page joined so each stays a block of its own (blank line between)."""
    return "\n\n".join(p for p in parts if p) + "\n"
