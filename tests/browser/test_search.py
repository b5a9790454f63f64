"""Searching for a touchpoint in Chinese or English through Material's search box.

The query is typed, Material's search worker answers in the page, and the visitor
clicks the result: this tests the index, the Chinese word splitting (jieba at build
time) and the worker together, as a reader meets them.
"""

from __future__ import annotations

import re

import pytest

from browser_kit import expect

RESULTS = ".md-search-result__list"


def search(visitor, query: str) -> list[str]:
    """Type ``query`` into the header's search box; the links of the results, site-relative."""
    page = visitor.page
    box = page.locator("input.md-search__input")
    box.click()
    if query.isascii():
        box.press_sequentially(query)
    else:
        # Chinese comes from an input method: the chosen words arrive at once (an input
        # event, no key presses), then the key that confirmed them is released. Material
        # reads the box on keyup, so that release is what starts the search.
        page.keyboard.insert_text(query)
        page.keyboard.up("Space")
    expect(page.locator(f"{RESULTS} > .md-search-result__item").first).to_be_visible()
    hrefs = page.locator(f"{RESULTS} a").evaluate_all("links => links.map(a => a.href)")
    return [h[len(visitor.base_url):] for h in hrefs if h.startswith(visitor.base_url)]


def open_result(visitor, href: str) -> None:
    """Click the result linking to ``href`` (opening "more on this page" when it is folded)."""
    page = visitor.page
    link = page.locator(f'{RESULTS} a[href$="{href}"]').first
    if not link.is_visible():
        link.locator("xpath=ancestor::details[1]/summary").click()
    link.click()
    visitor.settle()


def touchpoints_named(portfolio, words: str) -> list[str]:
    """Result links (``audits/<slug>/#tp-<id>``) of every touchpoint whose name holds ``words``."""
    return [f"audits/{a.slug}/#tp-{tp.id}" for a in portfolio.audits for _, tp in a.touchpoints()
            if words.lower() in tp.name.lower()]


def english_name(portfolio) -> str:
    """A touchpoint name of an English audit that no other audit uses: one right answer."""
    uses: dict[str, set[str]] = {}
    for a in portfolio.audits:
        for _, tp in a.touchpoints():
            uses.setdefault(tp.name, set()).add(a.slug)
    for a in sorted(portfolio.audits, key=lambda a: a.slug):
        if (a.language or "").startswith("en"):
            for _, tp in a.touchpoints():
                if len(uses[tp.name]) == 1 and re.fullmatch(r"[A-Za-z]+( [A-Za-z]+)+", tp.name):
                    return tp.name
    pytest.fail("no English touchpoint name of several plain words is unique to one example audit",
                pytrace=False)


@pytest.mark.parametrize("query", ["售后服务", "english"])
def test_search_finds_the_touchpoint_and_opens_its_audit(visitor, portfolio, query):
    if query == "english":
        query = english_name(portfolio)
    expected = touchpoints_named(portfolio, query)
    assert expected, f"no example touchpoint is named {query!r}"
    visitor.open()

    found = search(visitor, query)
    missing = [href for href in expected if href not in found]
    assert not missing, f"searching {query!r} did not list {missing}; it listed {found}"

    exact = next(f"audits/{a.slug}/#tp-{tp.id}" for a in portfolio.audits for _, tp in a.touchpoints()
                 if tp.name == query)
    open_result(visitor, exact)
    assert visitor.url_path() == exact
    expect(visitor.page.locator(exact[exact.index("#"):])).to_be_in_viewport()
    assert visitor.problems == []


@pytest.mark.parametrize("word, target", [
    ("上门", "audits/hotel-supplies-2026q3/#tp-sales-visit"),  # a word inside 业务人员上门接洽
    ("满意度", None),
    ("shutdowns", "audits/industrial-kam-2026/#tp-shutdown-outreach"),
])
def test_search_finds_a_word_inside_a_longer_name(visitor, word, target):
    # Without Chinese word splitting at build time (jieba), words inside phrases are not found.
    visitor.open()
    found = search(visitor, word)
    assert found, f"no result for {word!r}"
    if target:
        assert target in found, found
        sections = [h for h in found if "#" in h]
        assert "#tp-" in sections[0], found  # the touchpoint's own section first, not the diagram
