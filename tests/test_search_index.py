"""Light pages and the search index: what Markdown and the search see, and what readers find.

An audit page goes through Markdown and the search plugin light (headings, and each
HTML block's words in a stand-in); the blocks go back in after. These tests take
audits in and check the page that comes out is the whole page, and that the words a
reader would type (owners in a list of facts, ``24小时``, ``VIP客户``) are words of the
index as Material's search splits them, query and index alike.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from journey_audit.audit.portfolio import load_portfolio
from journey_audit.site import page_light
from journey_audit.site.plugin import SCRIPT_BOUNDARY
from journey_audit.site.sitegen import SiteOptions, generate

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
SEARCH = FIXTURES / "search" / "audits"
SEPARATOR = re.compile(r"[\s\u200b\u3000\-、。，．？！；：]+|" + SCRIPT_BOUNDARY)  # mkdocs.yml's, extended


@pytest.fixture(scope="module")
def site():
    portfolio = load_portfolio([SEARCH, FIXTURES / "good"])
    assert not portfolio.errors, [p.format() for p in portfolio.errors]
    return generate(portfolio, SiteOptions(diagrams=False))


def pages(site) -> dict[str, str]:
    return {path: site.read(path).decode("utf-8") for path in site.files if path.endswith(".md")}


def test_a_light_page_made_whole_is_the_page_as_generated(site):
    for path, text in pages(site).items():
        light, blocks = page_light.split(text)
        assert blocks, f"{path}: no HTML block was taken out"
        assert "<table" not in light and "<dl" not in light, path  # Markdown sees no heavy HTML
        whole = page_light.expand(text)
        assert page_light.light(whole) == text  # the same page, made light again the same way
        assert page_light.MARK not in whole and "ja-slot" not in whole


def test_every_word_a_block_shows_is_in_its_page_s_stand_ins(site):
    for path, text in pages(site).items():
        light, blocks = page_light.split(text)
        indexed = set(" ".join(re.findall(r'data-ja-slot="\d+">([^<]*)<', light)).split())
        shown = {w for b in blocks for w in page_light.words(b)}
        assert shown, path
        # Escaped text in the stand-ins is as escaped in the blocks: compare both unescaped.
        import html
        assert {html.unescape(w) for w in shown} - {html.unescape(w) for w in indexed} == set(), path


def test_words_of_a_list_of_facts_or_a_table_row_are_never_glued():
    # Browsers show <dt>Owner</dt><dd>Finance</dd> as two words; the index must too.
    block = "<dl><div><dt>Owner</dt><dd>Finance</dd></div><div><dt>Importance</dt><dd>5</dd></div></dl>"
    assert page_light.words(block) == ["Owner", "Finance", "Importance"]
    assert page_light.words("<tr><td>Web shop</td><td>Billing desk</td></tr>") == ["Web", "shop", "Billing", "desk"]


def test_the_words_inside_a_chinese_word_are_indexed_too():
    standin = page_light.LightPage().standin("<p>24小时响应的售后服务</p>")
    words = standin.split(">", 1)[1].rsplit("<", 1)[0].split()
    assert words[0] == "24小时响应的售后服务" and {"售后", "服务"} <= set(words[1:])


@pytest.mark.parametrize("query, parts", [
    ("24小时", ["24", "小时"]), ("VIP客户", ["VIP", "客户"]), ("QQ群", ["QQ", "群"]),
    ("“24小时响应”", ["24", "小时响应"]), ("客户24", ["客户", "24"]), ("Finance", ["Finance"]),
])
def test_the_search_splits_where_latin_or_digits_meet_chinese(query, parts):
    assert [p for p in SEPARATOR.split(query) if p] == parts


def _tokens(text: str) -> set[str]:
    """The words of a text in the index, as Material's search worker splits them (lower case)."""
    return {t.lower() for t in SEPARATOR.split(text) if t}


def _finds(query: str, doc_tokens: set[str]) -> bool:
    """Whether every part of a typed query starts a word of the page (Material adds a trailing *)."""
    return all(any(t.startswith(q.lower()) for t in doc_tokens) for q in SEPARATOR.split(query) if q)


@pytest.mark.slow
def test_the_built_site_s_index_has_the_words_readers_type(tmp_path):
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "journey_audit", "build", "--audits", str(SEARCH),
                           "--config", str(REPO / "mkdocs.yml"), "--site-dir", str(site)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["config"]["separator"].endswith(SCRIPT_BOUNDARY)
    separator = re.compile(index["config"]["separator"])
    assert [p for p in separator.split("VIP客户") if p] == ["VIP", "客户"]
    pages: dict[str, set[str]] = {}
    for doc in index["docs"]:
        pages.setdefault(doc["location"].split("#")[0], set()).update(_tokens(doc["title"] + " " + doc["text"]))
    for query in ("24小时", "VIP客户", "QQ群", "小时", "服务", "客服", "中心", "运营部"):
        assert _finds(query, pages["audits/jinhua-2026/"]), query
    for query in ("Finance", "Billing", "Monthly invoice", "Invoices anyone can read"):
        assert _finds(query, pages["audits/acme-2026/"]), query
    assert not any("financeimportance" in t or "ownerfinance" in t for t in pages["audits/acme-2026/"])
    # The page itself is whole: its tables and lists are back, no stand-in is left.
    html = (site / "audits" / "acme-2026" / "index.html").read_text(encoding="utf-8")
    assert 'class="ja-slot"' not in html and "journey-audit:block" not in html
    assert html.count("<table") >= 4 and '<dl class="ja-facts">' in html and "Billing desk" in html


def test_a_blank_line_in_audit_text_keeps_its_html_block_whole():
    # An owner typed over two paragraphs: Markdown reads the HTML block up to its closing
    # tag, so the light page must take out all of it, not leave its end to Markdown.
    page = '# T {#t}\n\n<dl><dt>Owner</dt><dd>line one\n\n    indented\n- item</dd></dl>\n\n<p>after</p>\n'
    light, blocks = page_light.split(page_light.light(page))
    assert blocks == ['<dl><dt>Owner</dt><dd>line one\n\n    indented\n- item</dd></dl>', '<p>after</p>\n']
    assert "\n- item" not in light and "\n    indented" not in light  # no Markdown list, no code block
    assert page_light.expand(page_light.light(page)) == page
