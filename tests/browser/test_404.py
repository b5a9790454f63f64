"""The 404 page of a site hosted under a sub-path, as GitHub Pages serves a project site
(the page: generator/journey_audit/site/templates/404.html).

The README's GitHub Pages recipe publishes the site at ``https://owner.github.io/repo/``
without a ``site_url``; MkDocs then wrote the 404 page's links from the server's root
(``/assets/…``): the page came out unstyled and its links left the site. Here the
example site is served under ``/repo/`` by a server that, like GitHub Pages, answers a
missing address with the site's ``404.html`` (status 404) and has nothing outside
``/repo/``.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

import pytest

PREFIX = "/repo/"

# Every stylesheet the page links, whether it loaded, and where from
SHEETS_JS = """() => [...document.querySelectorAll('link[rel=stylesheet]')].map(l => {
  let rules = -1; try { rules = l.sheet ? l.sheet.cssRules.length : -1; } catch (e) {}
  return [l.href, rules];
})"""


class SubPathHost(http.server.SimpleHTTPRequestHandler):
    """The site under PREFIX only; a missing file gets the site's 404.html with status 404."""

    def log_message(self, format: str, *args) -> None:
        pass

    def translate_path(self, path: str) -> str:
        url = urlsplit(path).path
        if not url.startswith(PREFIX):
            return str(Path(self.directory) / "nothing-outside-the-sub-path" / "x")
        return super().translate_path("/" + url[len(PREFIX):])

    def list_directory(self, path):  # a folder without index.html is missing, as on GitHub Pages
        self.send_error(404)
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not urlsplit(self.path).path.startswith(PREFIX):
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="module")
def sub_path_site(built_site: Path) -> Iterator[str]:
    """The example site on http://127.0.0.1:<port>/repo/."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0),
                                             functools.partial(SubPathHost, directory=str(built_site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("missing", ["audits/no-such-audit/", "clients/acme/gone.html", "typo", "a/b/c/"])
def test_the_404_page_under_a_sub_path_is_styled_and_its_links_stay_in_the_site(context, sub_path_site: str,
                                                                              missing: str) -> None:
    page = context.new_page()
    failures: list[str] = []
    page.on("response", lambda r: r.status >= 400 and r.request.resource_type != "document"
            and failures.append(f"HTTP {r.status} for {r.url}"))
    page.on("requestfailed", lambda r: failures.append(f"failed: {r.url}"))
    response = page.goto(f"{sub_path_site}{PREFIX}{missing}")
    assert response.status == 404
    page.wait_for_load_state("networkidle")
    assert "404" in page.locator("article h1").inner_text()

    # Styled: every stylesheet came from the site and loaded; Material's header is laid out
    sheets = page.evaluate(SHEETS_JS)
    assert sheets and all(href.startswith(sub_path_site + PREFIX) and rules > 0 for href, rules in sheets), sheets
    assert page.locator(".md-header").evaluate("h => getComputedStyle(h).position") == "sticky"
    # Only the probes for the site's root (an address naming none of its folders) may miss
    probes = [f for f in failures if f.endswith("/404.html")]
    assert [f for f in failures if f not in probes] == []
    assert not probes or missing.split("/")[0] not in ("audits", "clients"), probes

    # Its links stay under /repo/, and the way home leads to the portfolio
    hrefs = page.locator("a[href]").evaluate_all("links => links.map(a => a.href)")
    inside = [h for h in hrefs if h.startswith(sub_path_site)]
    assert inside and all(h.startswith(sub_path_site + PREFIX) for h in inside), hrefs
    home = page.locator("a.md-header__button.md-logo")
    home.click()
    page.wait_for_load_state()
    assert page.url == f"{sub_path_site}{PREFIX}"
    assert page.locator(".ja-portfolio, article h1").first.is_visible()
