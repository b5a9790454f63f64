"""The example site built by Zensical (``build --engine zensical``), as a visitor meets it:
the navigation leads from the portfolio to an audit, the diagram's touchpoints jump to
their sections, and the search box finds a Chinese and an English word."""

from __future__ import annotations

import functools
import http.server
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Iterator

import pytest

from browser_kit import Visitor, expect

class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(scope="module")
def zensical_url(chromium: str, example_project: Path, tmp_path_factory) -> Iterator[str]:
    """The example site built with Zensical, served on http://127.0.0.1:<free port>/."""
    site = tmp_path_factory.mktemp("zensical-browser") / "site"
    done = subprocess.run([sys.executable, "-m", "journey_audit", "build", "--engine", "zensical", "--site-dir",
                           str(site)], cwd=example_project, capture_output=True, text=True, timeout=600,
                          env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    assert done.returncode == 0, done.stderr
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def zvisitor(context, zensical_url: str) -> Visitor:
    return Visitor(context.new_page(), zensical_url)


def test_the_navigation_leads_to_an_audit_and_its_diagram_links_work(zvisitor):
    zvisitor.open()
    zvisitor.page.get_by_role("link", name="Clients").first.click()
    zvisitor.settle()
    zvisitor.page.locator('nav a[href$="hotel-supplies/"]').first.click()  # the client's section
    zvisitor.settle()
    assert zvisitor.url_path() == "clients/hotel-supplies/"
    zvisitor.page.locator('nav a[href$="audits/hotel-supplies-2026q3/"]').first.click()
    zvisitor.settle()
    assert zvisitor.url_path() == "audits/hotel-supplies-2026q3/"
    diagram = zvisitor.page.locator(".ja-diagram svg")
    expect(diagram).to_be_visible()
    diagram.locator('a[href="#tp-sales-visit"], a[*|href="#tp-sales-visit"]').first.click()
    expect(zvisitor.page.locator("#tp-sales-visit")).to_be_in_viewport()
    assert zvisitor.problems == []


@pytest.mark.parametrize("query, target", [
    # With an English theme, Zensical's search matches Chinese as whole runs of text
    # (it splits Chinese into words only when theme.language is zh): the whole name.
    ("业务人员上门接洽", "audits/hotel-supplies-2026q3/#tp-sales-visit"),
    ("shutdowns", "audits/industrial-kam-2026/#tp-shutdown-outreach"),
])
def test_search_finds_a_chinese_and_an_english_touchpoint(zvisitor, query, target):
    zvisitor.open()
    page = zvisitor.page
    page.locator("button.md-search__button").click()  # Zensical's own search dialog
    box = page.locator('input[role="combobox"]')
    box.fill(query)
    results = page.locator('[id$="-results"] a')
    expect(results.first).to_be_visible()
    found = [h[len(zvisitor.base_url):] for h in results.evaluate_all("links => links.map(a => a.href)")
             if h.startswith(zvisitor.base_url)]
    assert target in found, found
    assert zvisitor.problems == []
