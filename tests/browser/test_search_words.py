"""Search finds every word an audit page shows, typed as a reader types it.

The words are taken from the page as the browser renders it (its text, the charts'
drawn labels aside), a sample of them is typed into Material's search box, and the
page must be among the results. Words glued together in the index
(``OwnerFinanceImportance5``: no whitespace between ``<dt>``, ``<dd>`` and table
cells) or split differently in the index and in the query (``24小时``: the index split
at the Latin/Chinese boundary, the query not) are not found; this catches both.

A small site of two fixture audits (tests/fixtures/search/) holds the mixed-script
words a Chinese client writes: ``24小时``, ``VIP客户``, ``QQ群``, and an English
owner in a facts list.
"""

from __future__ import annotations

import functools
import http.server
import os
import random
import re
import subprocess
import sys
import threading
from pathlib import Path

import jieba
import pytest

from browser_kit import REPO, Visitor, expect

RESULTS = ".md-search-result__list"
FIXTURES = REPO / "tests" / "fixtures" / "search" / "audits"
EDGE = "\"'()[]{}<>,.;:!?·–—、。，．：；！？（）《》「」『』【】“”‘’"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


HAN = re.compile(r"[\u3400-\u9fff]")
SAMPLE = 12  # words searched per page: each search takes the browser about a second


def page_words(visitor: Visitor) -> list[str]:
    """The distinct words the article shows: text with a letter of any script, charts' labels
    aside (they repeat the tables), permalink signs aside."""
    text = visitor.page.evaluate("""() => {
        const article = document.querySelector("article").cloneNode(true);
        article.querySelectorAll("svg, .headerlink").forEach(e => e.remove());
        document.body.appendChild(article);  // innerText needs a rendered element
        const text = article.innerText;
        article.remove();
        return text;
    }""")
    words = []
    for w in (w.strip(EDGE) for w in text.split()):
        if HAN.search(w):  # a run of Chinese is a phrase: a reader types the words in it
            words += [p for p in jieba.cut_for_search(w) if len(p) > 1 and HAN.search(p)]
        elif re.search(r"[^\W\d_]", w):
            words.append(w)
    return list(dict.fromkeys(words))


def search(visitor: Visitor, query: str) -> list[str]:
    """Type ``query`` into a fresh search box; every result link, site-relative (all loaded)."""
    page = visitor.page
    box = page.locator("input.md-search__input")
    box.click()
    if query.isascii():
        box.press_sequentially(query)
    else:  # Chinese comes from an input method: the words at once, then the key is released
        page.keyboard.insert_text(query)
        page.keyboard.up("Space")
    meta = page.locator(".md-search-result__meta")
    expect(meta).not_to_have_text(re.compile(r"^(Type to start searching|键入以开始搜索)?$"))
    items = page.locator(f"{RESULTS} > .md-search-result__item")
    if items.count() == 0:
        return []
    # Material shows the results ten at a time, more as the list is scrolled.
    for _ in range(10):
        before = items.count()
        page.locator(".md-search__scrollwrap").evaluate("e => e.scrollTop = e.scrollHeight")
        page.wait_for_timeout(150)
        if items.count() == before:
            break
    hrefs = page.locator(f"{RESULTS} a").evaluate_all("links => links.map(a => a.href)")
    return [h[len(visitor.base_url):] for h in hrefs if h.startswith(visitor.base_url)]


def found_on(visitor: Visitor, query: str, page_path: str) -> bool:
    visitor.open(page_path)
    return any(h.split("#")[0] == page_path for h in search(visitor, query))


def sample(words: list[str], seed: str) -> list[str]:
    return random.Random(seed).sample(words, min(SAMPLE, len(words)))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_sample_of_the_words_an_audit_page_shows_finds_it(visitor, zh_audit, en_audit, language):
    audit = zh_audit if language == "zh" else en_audit
    path = f"audits/{audit.slug}/"
    visitor.open(path)
    words = page_words(visitor)
    assert len(words) > 50, words
    missed = [w for w in sample(words, audit.slug) if not found_on(visitor, w, path)]
    assert not missed, f"searching these words shown on {path} did not find it: {missed}"
    assert visitor.problems == []


# -- mixed scripts and glued words, on a site of the fixture audits ----------------------

@pytest.fixture(scope="module")
def fixture_site_url(chromium, tmp_path_factory) -> str:
    """The two fixture audits built with the project's mkdocs.yml, served on 127.0.0.1."""
    site = tmp_path_factory.mktemp("search-site") / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    done = subprocess.run([sys.executable, "-m", "journey_audit", "build", "--audits", str(FIXTURES),
                           "--config", str(REPO / "mkdocs.yml"), "--site-dir", str(site)],
                          cwd=tmp_path_factory.mktemp("search-project"), env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("query, page", [
    ("24小时", "audits/jinhua-2026/"),  # digits joined to Chinese
    ("VIP客户", "audits/jinhua-2026/"),  # Latin letters joined to Chinese
    ("QQ群", "audits/jinhua-2026/"),
    ("小时", "audits/jinhua-2026/"),  # the Chinese words inside them
    ("客户", "audits/jinhua-2026/"),
    ("服务", "audits/jinhua-2026/"),  # inside 售后服务, one word to jieba
    ("Finance", "audits/acme-2026/"),  # an owner in a <dt>/<dd> list of facts
    ("Billing", "audits/acme-2026/"),  # an owner in a table cell
])
def test_mixed_script_and_listed_words_find_their_page(context, fixture_site_url, query, page):
    visitor = Visitor(context.new_page(), fixture_site_url)
    assert found_on(visitor, query, page), f"searching {query!r} did not find {page}"
    assert visitor.problems == []
