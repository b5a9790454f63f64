"""Every page of the built site loads cleanly, and every link on it goes somewhere.

The pages are every HTML file of the build (the sitemap lists none without a
``site_url``). Each one is opened in the browser and left to load what it loads
(scripts, styles, the search index and its language files); the links are read
from the page as rendered, SVG links of the diagrams and charts included.
"""

from __future__ import annotations

import posixpath
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import pytest

LINKS_JS = r"""
() => ({
  ids: Array.from(document.querySelectorAll('[id], a[name]'), e => e.id || e.getAttribute('name')),
  links: Array.from(document.querySelectorAll('a'), a => [a.getAttribute('href') ?? a.getAttribute('xlink:href'),
                                                           a.closest('.ja-evidence') !== null])
              .filter(([h]) => h !== null),
  // boxes that scroll sideways at this width: a scroll bar under a table that fits
  scrolling: Array.from(document.querySelectorAll('.md-content *'))
              .filter(e => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX)
                           && e.scrollWidth > e.clientWidth + 1)
              .map(e => `${e.tagName.toLowerCase()}.${e.className}: ${e.scrollWidth} px in ${e.clientWidth}`),
})
"""


@pytest.fixture(scope="module")
def crawl(browser, built_site, site_url):
    """Each page's URL path → (problems, element ids, link targets), in one tab."""
    from browser_kit import Visitor

    pages = sorted(p.relative_to(built_site).as_posix() for p in built_site.rglob("*.html"))
    context = browser.new_context(viewport={"width": 1280, "height": 800}, service_workers="block")
    visitor = Visitor(context.new_page(), site_url)
    found, scrolling = {}, {}
    try:
        for path in pages:
            url_path = path[: -len("index.html")] if path.endswith("index.html") else path
            del visitor.problems[:]
            visitor.open(url_path)
            seen = visitor.page.evaluate(LINKS_JS)
            found[url_path] = (list(visitor.problems), set(seen["ids"]), seen["links"])
            scrolling[url_path] = seen["scrolling"]
    finally:
        context.close()
    crawl_scrolling.update(scrolling)
    return found


crawl_scrolling: dict[str, list[str]] = {}  # filled by `crawl`, read by the scroll-bar test


def test_the_build_has_the_pages_of_every_audit_and_client(crawl, portfolio):
    expected = {"", "404.html"} | {f"audits/{a.slug}/" for a in portfolio.audits} \
        | {f"clients/{a.client_id}/" for a in portfolio.audits}
    assert expected <= set(crawl), sorted(expected - set(crawl))


def test_no_table_that_fits_gets_a_scroll_bar(crawl):
    # Material wraps each table in a scroll box reaching .8rem past the text on both
    # sides; inside our own table box that made every table 16 px too wide, so each
    # showed a horizontal scroll bar at 1280 px although it fitted.
    found = [f"{path or '/'}: {box}" for path, boxes in sorted(crawl_scrolling.items()) for box in boxes]
    assert not found, "\n".join(found)


def test_no_console_errors_and_no_failed_requests_on_any_page(crawl):
    problems = [p for path, (found, _, _) in sorted(crawl.items()) for p in found]
    assert not problems, f"{len(problems)} problems on {len(crawl)} pages:\n" + "\n".join(problems)


def broken_links(crawl, built_site, site_url, evidence: bool) -> list[str]:
    """Links to a page, anchor or file of the site that is not there.

    ``evidence``: the links audits give to their evidence files (relative paths are
    taken from the site's root), else every other link: navigation, tables, diagrams.
    """
    broken = []
    for page, (_, _, links) in sorted(crawl.items()):
        for href, in_evidence in links:
            if in_evidence != evidence or not href or href.startswith(("mailto:", "tel:", "javascript:")):
                continue
            url, fragment = urldefrag(urljoin(site_url + page, href))
            if not url.startswith(site_url):
                continue  # another site: not ours to check here
            target = unquote(urlsplit(url).path)[1:]
            if target in crawl:
                if fragment and unquote(fragment) not in crawl[target][1]:
                    broken.append(f"{page or '/'}: {href} (no #{unquote(fragment)} on {target or '/'})")
            elif target.endswith("/") or posixpath.splitext(target)[1] == "":
                broken.append(f"{page or '/'}: {href} (no such page)")
            elif not (built_site / target).is_file():
                broken.append(f"{page or '/'}: {href} (no such file)")
    return broken


def test_every_link_reaches_a_page_or_file_and_its_anchor(crawl, built_site, site_url):
    broken = broken_links(crawl, built_site, site_url, evidence=False)
    assert not broken, f"{len(broken)} broken links:\n" + "\n".join(broken)


def test_evidence_an_audit_links_to_is_on_the_site(crawl, built_site, site_url):
    on_site = [href for _, _, links in crawl.values() for href, evidence in links
               if evidence and not urlsplit(href).scheme]
    assert on_site, "no example audit links an evidence file of the site: this test would check nothing"
    broken = broken_links(crawl, built_site, site_url, evidence=True)
    assert not broken, f"{len(broken)} evidence links lead nowhere:\n" + "\n".join(broken)
