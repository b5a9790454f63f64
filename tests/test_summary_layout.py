"""An audit's summary keeps the layout the consultant typed: paragraphs and lines.

Two paragraphs, or a list typed line by line, must not run together into one line on
the page; and the text stays text (no Markdown, no HTML).
"""

from __future__ import annotations

import re

from journey_audit.audit.validate import validate_text
from journey_audit.site.sitegen import SiteOptions, generate


def summary_html(minimal_text: str, summary_yaml: str) -> str:
    text = minimal_text.replace("involvement:", summary_yaml + "involvement:", 1)
    audit, problems = validate_text(text, "acme-2026.yaml", "acme-2026")
    assert audit is not None, [p.format() for p in problems]
    site = generate([audit], SiteOptions(diagrams=False))
    page = site.read("audits/acme-2026.md").decode("utf-8")
    return re.search(r'<div class="ja-summary"[^>]*>(.*?)</div>', page, re.S).group(1)


def test_paragraphs_and_a_typed_list_keep_their_layout(minimal_text):
    html = summary_html(minimal_text, "summary: |\n  第一段：展会表现好。\n\n  - 要点一 <b>\n  - 要点二\n  Second **line**\n")
    assert html == ("<p>第一段：展会表现好。</p>"
                    "<p>- 要点一 &lt;b&gt;<br>- 要点二<br>Second **line**</p>")


def test_a_folded_summary_keeps_its_paragraph_break(minimal_text):
    # In a folded block (>) YAML turns a blank line into one line break: it stays a break.
    html = summary_html(minimal_text, "summary: >\n  First paragraph,\n  still the first.\n\n  Second.\n")
    assert html == "<p>First paragraph, still the first.<br>Second.</p>"
