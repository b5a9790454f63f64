"""A long journey's diagram on its page and on paper: text never smaller than a set minimum.

30 stages in one row were shown as a 97-pixel strip with 1.2 pt text in print. Drawn in
rows (journey_audit.diagram.rows), the smallest text of the diagram (the 10 pt figures
line) measured in Chromium, after the page has scaled the drawing:

- on screen, in windows 1200 to 1920 px wide: at least MIN_SCREEN_PX;
- printed on A4 (the diagram upright across the page, continued on the next sheet):
  at least MIN_PRINT_PT.

A short journey (the example audits) keeps its one row, turned to landscape in print.
"""

from __future__ import annotations

import functools
import http.server
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from shipped import materialise
from test_diagram_rows import LONG, journey

MIN_SCREEN_PX = 10.0  # the smallest text of the diagram on screen, in CSS pixels
MIN_PRINT_PT = 5.5  # ... and in print, in points

# The diagram's smallest and largest text as shown: font size × the drawing's scale on the page
TEXT_SIZES_JS = """svg => {
  const vb = svg.viewBox.baseVal;
  const scale = Math.min(svg.clientWidth / vb.width, svg.clientHeight / vb.height);
  const sizes = [...svg.querySelectorAll('text')].map(t => parseFloat(t.getAttribute('font-size')) * scale);
  return [Math.min(...sizes), Math.max(...sizes)];
}"""


@pytest.fixture(scope="module")
def long_site(chromium: str, tmp_path_factory: pytest.TempPathFactory):
    """A project with a 30-stage journey, the 11-stage fixture and a 3-stage one, built and served."""
    project = materialise(tmp_path_factory.mktemp("long-journeys"))
    folder = project / "audits" / "acme-long"
    folder.mkdir(parents=True)
    (folder / "long-thirty.yaml").write_text(journey(30).replace("2026-01-15", "2026-01-13"), encoding="utf-8")
    (folder / "long-journey.yaml").write_text(LONG.read_text(encoding="utf-8").replace("2026-01-15", "2026-01-14"),
                                              encoding="utf-8")
    (folder / "long-short.yaml").write_text(journey(3), encoding="utf-8")
    site = project / "site-out"
    done = subprocess.run([sys.executable, "-m", "journey_audit", "build", "--site-dir", str(site)],
                          cwd=project, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("window", [1200, 1280, 1440, 1920])
@pytest.mark.parametrize("slug", ["long-thirty", "long-journey"])
def test_a_long_journey_is_readable_on_screen(context, long_site: str, slug: str, window: int) -> None:
    page = context.new_page()
    page.set_viewport_size({"width": window, "height": 900})
    page.goto(f"{long_site}audits/{slug}/")
    diagram = page.locator("article .ja-diagram svg")
    smallest, _ = diagram.evaluate(TEXT_SIZES_JS)
    assert smallest >= MIN_SCREEN_PX, f"{slug} at {window} px: smallest text {smallest:.1f} px"
    box = diagram.bounding_box()
    assert box["height"] > box["width"] / 2, box  # rows, not a strip
    # The page does not scroll sideways for it
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("slug", ["long-thirty", "long-journey", "long-short"])
def test_a_journey_is_readable_in_print(context, long_site: str, slug: str) -> None:
    from browser_kit import PRINTABLE

    page = context.new_page()
    page.goto(f"{long_site}audits/{slug}/")
    page.set_viewport_size(PRINTABLE)
    page.emulate_media(media="print")
    smallest, _ = page.locator("article .ja-diagram svg").evaluate(TEXT_SIZES_JS)
    assert smallest * 0.75 >= MIN_PRINT_PT, f"{slug}: smallest printed text {smallest * 0.75:.1f} pt"
    upright = page.locator("article .ja-diagram svg").evaluate("svg => getComputedStyle(svg).transform")
    assert (upright == "none") == (slug != "long-short"), upright  # a short journey stays turned to landscape
