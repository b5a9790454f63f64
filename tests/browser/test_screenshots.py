"""Full-page screenshots for a reviewer: the portfolio and an audit page, light, dark, print.

Every run writes them to ``test-output/screenshots/<page>-<mode>.png`` (git-ignored),
and checks each shows what its name says: the palette's own background colour in
the light and dark shots, no site header in the print shot.

``JOURNEY_AUDIT_UPDATE_SCREENSHOTS=1`` also refreshes the copies shown in the README
(``screenshots/``): each page down to the heat map (a whole audit page is twenty
screens long), in 256 colours, so the repository stays small.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from browser_kit import REPO, luminance, newest, parse_color

COMMITTED = REPO / "screenshots"
COMMITTED_END = "#heat-map"  # the README's copy stops where this heading starts …
COMMITTED_HEIGHT = 4000  # … or after this many pixels
PAGES = {"portfolio": "portfolio", "first_zh_audit": "audit-zh"}


@pytest.fixture(scope="module")
def first_zh_audit(portfolio):
    """The newest Chinese audit of a first round: its page shows the diagram near the top."""
    return newest([a for a in portfolio.audits if not a.previous] or portfolio.audits, "zh")


def save_committed_copy(png: bytes, name: str, end: float | None) -> None:
    """The README's copy: the page down to ``end`` px, quantised to a 256-colour palette."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.crop((0, 0, image.width, round(min(image.height, end or image.height, COMMITTED_HEIGHT))))
    COMMITTED.mkdir(exist_ok=True)
    image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        COMMITTED / f"{name}.png", optimize=True)


@pytest.mark.parametrize("mode", ["light", "dark", "print"])
@pytest.mark.parametrize("which", list(PAGES))
def test_full_page_screenshot(visitor, which, mode, request, output_dir):
    from PIL import Image

    page = visitor.page
    visitor.open("" if which == "portfolio" else f"audits/{request.getfixturevalue(which).slug}/")
    if mode == "dark":
        visitor.dark()
    if mode == "print":
        visitor.print_layout()
    name = f"{PAGES[which]}-{mode}"
    png = page.screenshot(path=output_dir / "screenshots" / f"{name}.png", full_page=True, animations="disabled")
    image = Image.open(io.BytesIO(png)).convert("RGB")

    width, height = page.evaluate("[document.documentElement.clientWidth, document.documentElement.scrollHeight]")
    assert (image.width, abs(image.height - height) <= 1) == (width, True), (image.size, width, height)
    if mode == "print":
        header = parse_color(page.evaluate(
            "getComputedStyle(document.querySelector('.md-header')).backgroundColor"))[:3]
        top = image.crop((0, 0, image.width, 60)).getcolors(maxcolors=1 << 16) or []
        assert all(colour != tuple(round(c) for c in header) for _, colour in top), "the header is printed"
    else:
        background = parse_color(page.evaluate("getComputedStyle(document.body).backgroundColor"))[:3]
        beside = image.getpixel((image.width - 3, image.height // 2))  # the margin right of the content
        assert all(abs(a - b) <= 2 for a, b in zip(beside, background)), (beside, background)
        assert (luminance(background) < 0.1) if mode == "dark" else (luminance(background) > 0.9)
    if os.environ.get("JOURNEY_AUDIT_UPDATE_SCREENSHOTS") == "1":
        end = page.evaluate("(sel) => { const h = document.querySelector(sel); "
                            "return h && h.getBoundingClientRect().top + scrollY - 8; }", COMMITTED_END)
        save_committed_copy(png, name, end)
    assert visitor.problems == []
