"""Audit text made literal for HTML, Markdown, SVG and links.

Audit text is typed by people and pasted from e-mails and web pages; on a page it
must read exactly as written and never become markup. Python-Markdown passes raw
HTML through and still parses Markdown inside inline HTML, so generated pages put
audit text only in two places:

- inside block-level HTML (``<div>``, ``<table>``…), escaped with :func:`text`
  (Markdown does not look inside an HTML block);
- in Markdown headings (kept as Markdown for the table of contents and the search
  sections), written with :func:`md_literal`, which turns every ASCII punctuation
  character into a numeric character reference. No Markdown, attribute-list,
  HTML or template syntax survives that, and the browser shows the same characters.

>>> text('<img src=x onerror="alert(1)">')
'&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
>>> md_literal('展会 {: onclick=x} <b>')
'展会 &#123;&#58; onclick&#61;x&#125; &#60;b&#62;'
>>> md_literal('two\\nlines  here')
'two lines here'
"""

from __future__ import annotations

import html
import string

_PUNCTUATION = frozenset(string.punctuation)


def text(value: object) -> str:
    """``value`` as HTML text or attribute value (quotes escaped too)."""
    return html.escape(str(value), quote=True)


def md_literal(value: object) -> str:
    """``value`` on one line, safe as Markdown inline text (e.g. a heading).

    Whitespace runs (newlines included) become one space, because a newline would end
    the heading and start a Markdown block of its own.
    """
    line = " ".join(str(value).split())
    return "".join(f"&#{ord(c)};" if c in _PUNCTUATION else c for c in line)


def lines(value: str) -> str:
    """Multi-line text as escaped HTML, laid out as written: blank lines separate
    paragraphs (``<p>``), and each line break stays one (``<br>``), so a list typed
    line by line stays a list. Text stays text: no Markdown, no HTML.

    >>> lines("第一段第一行\\n第二行\\n\\n- point <one>\\n- point two\\n")
    '<p>第一段第一行<br>第二行</p><p>- point &lt;one&gt;<br>- point two</p>'
    """
    paragraphs = []
    for block in value.replace("\r\n", "\n").replace("\r", "\n").split("\n\n"):
        rows = [r.strip() for r in block.split("\n") if r.strip()]
        if rows:
            paragraphs.append(f"<p>{'<br>'.join(text(r) for r in rows)}</p>")
    return "".join(paragraphs)


def href(url: str, base: str = "") -> str | None:
    """A link target for an audit ``url``, escaped for an ``href`` attribute.

    The validator already allows only http(s), mailto and relative paths; this checks
    again, because a link is where text becomes code. A relative path is taken from
    the site's root and gets ``base`` (the way from the page up to the root) in front.

    >>> href("https://example.com/a?b=1&c=2")
    'https://example.com/a?b=1&amp;c=2'
    >>> href("evidence/fair.jpg", "../../")
    '../../evidence/fair.jpg'
    >>> href("javascript:alert(1)") is None, href(" JavaScript:x") is None, href("//evil.example") is None
    (True, True, True)
    """
    url = url.strip()
    low = url.lower()
    if low.startswith(("http://", "https://", "mailto:")):
        return text(url)
    if ":" in url.split("/", 1)[0] or url.startswith(("/", "\\")) or any(ord(c) < 32 for c in url):
        return None  # another scheme, a scheme-relative or absolute path: not ours to link
    return text(base + url)
