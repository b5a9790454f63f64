"""What the browser tests share: a visitor that notices errors, and WCAG contrast.

A :class:`Visitor` is one browser tab on the served site that records what a person
would notice going wrong: messages in the console at level *error*, uncaught
exceptions, requests that failed and responses with an HTTP error status.

Contrast is measured the way WCAG 2 defines it, from the colours the browser
computed (``getComputedStyle``), not from our own palette code: the point is to
catch a stylesheet or a theme palette that overrides what the generator meant.

>>> round(contrast((0, 0, 0), (255, 255, 255)), 1)
21.0
>>> round(contrast((0x76, 0x76, 0x76), (255, 255, 255)), 2)  # the lightest grey that passes on white
4.54
>>> parse_color("rgba(0, 0, 0, 0.54)"), parse_color("color(srgb 1 0.5 0 / 0.5)")
((0.0, 0.0, 0.0, 0.54), (255.0, 127.5, 0.0, 0.5))
>>> over((0, 0, 0, 0.5), (255, 255, 255, 1))
(127.5, 127.5, 127.5, 1.0)
>>> required_ratio(16, 400), required_ratio(24, 400), required_ratio(19, 700)
(4.5, 3.0, 3.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import pytest

try:  # conftest.py skips every browser test, or fails in CI, when Playwright is missing
    from playwright.sync_api import expect
except ImportError:  # pragma: no cover
    expect = None

REPO = Path(__file__).resolve().parents[2]
VIEWPORT = {"width": 1280, "height": 800}

RGB = tuple[float, float, float]
RGBA = tuple[float, float, float, float]

# -- colours ---------------------------------------------------------------------------

_N = r"([-+]?[\d.]+(?:e[-+]?\d+)?%?)"
_RGB = re.compile(rf"rgba?\(\s*{_N}\s*,\s*{_N}\s*,\s*{_N}\s*(?:,\s*{_N}\s*)?\)$")
_SRGB = re.compile(rf"color\(srgb\s+{_N}\s+{_N}\s+{_N}\s*(?:/\s*{_N}\s*)?\)$")


def _alpha(text: str | None) -> float:
    if text is None:
        return 1.0
    return float(text[:-1]) / 100 if text.endswith("%") else float(text)


def parse_color(css: str) -> RGBA:
    """A computed CSS colour as (r, g, b, alpha), channels 0–255.

    Chromium serialises computed colours as ``rgb()``/``rgba()``, or ``color(srgb …)``
    when they come from ``color-mix()``; ``transparent`` is ``rgba(0, 0, 0, 0)``.
    """
    css = css.strip()
    if m := _RGB.match(css):
        r, g, b, a = m.groups()
        return float(r), float(g), float(b), _alpha(a)
    if m := _SRGB.match(css):
        r, g, b, a = m.groups()
        return float(r) * 255, float(g) * 255, float(b) * 255, _alpha(a)
    raise ValueError(f"cannot read the computed colour {css!r}")


def over(top: RGBA, below: RGBA) -> RGBA:
    """``top`` painted over ``below`` (source-over alpha compositing)."""
    a = top[3] + below[3] * (1 - top[3])
    if a == 0:
        return 0.0, 0.0, 0.0, 0.0
    mix = tuple((t * top[3] + b * below[3] * (1 - top[3])) / a for t, b in zip(top[:3], below[:3]))
    return (*mix, a)  # type: ignore[return-value]


def flatten(layers: Iterable[RGBA], canvas: RGBA = (255, 255, 255, 1)) -> RGB:
    """The colour seen through ``layers`` (topmost first) over the white canvas."""
    colour = canvas
    for layer in reversed(list(layers)):
        colour = over(layer, colour)
    return colour[:3]


def luminance(rgb: RGB) -> float:
    """WCAG relative luminance of an sRGB colour (0 black … 1 white)."""
    def channel(v: float) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in rgb[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: RGB, b: RGB) -> float:
    """WCAG contrast ratio of two opaque colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def required_ratio(size_px: float, weight: int) -> float:
    """WCAG AA minimum for text: 3:1 when large (≥ 18 pt, or ≥ 14 pt bold), else 4.5:1."""
    large = size_px >= 24 or (size_px >= 18.66 and weight >= 700)
    return 3.0 if large else 4.5


# -- measuring text on a page ----------------------------------------------------------

# For every element under `selector` that has text of its own: its colour and the
# backgrounds from it up to <html>, topmost first (Python composites them).
HTML_TEXT_JS = r"""
(selector) => {
  const out = [];
  const chain = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage !== 'none') layers.push('IMAGE');
      layers.push(cs.backgroundColor);
    }
    return layers;
  };
  for (const root of document.querySelectorAll(selector)) {
    for (const el of [root, ...root.querySelectorAll('*')]) {
      if (el.closest('svg')) continue;
      const own = Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim();
      if (!own || !el.getClientRects().length) continue;
      const cs = getComputedStyle(el);
      if (cs.visibility !== 'visible' || Number(cs.opacity) === 0) continue;
      out.push({text: own.slice(0, 40), where: el.tagName.toLowerCase() + (el.className ? '.' + String(el.className).split(' ').join('.') : ''),
                color: cs.color, layers: chain(el), size: parseFloat(cs.fontSize), weight: Number(cs.fontWeight)});
    }
  }
  return out;
}
"""

# For every SVG <text> under `selector`: its fill and, at three points along its middle
# (left, centre, right), the fills of the shapes painted beneath it, topmost first,
# then the HTML backgrounds behind the <svg>. A shape is beneath the text when it
# comes before it in the document, is filled and contains the point
# (isPointInFill, in the shape's own coordinates: it works off screen too).
SVG_TEXT_JS = r"""
(selector) => {
  const out = [];
  const htmlChain = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage !== 'none') layers.push('IMAGE');
      layers.push(cs.backgroundColor);
    }
    return layers;
  };
  const withOpacity = (color, opacity) => ({color, opacity});
  for (const svg of document.querySelectorAll(selector)) {
    if (!svg.getClientRects().length) continue;
    const behind = htmlChain(svg.parentElement);
    const shapes = Array.from(svg.querySelectorAll('path, polygon, rect, circle, ellipse, polyline'));
    for (const text of svg.querySelectorAll('text')) {
      const words = text.textContent.trim();
      if (!words) continue;
      const cs = getComputedStyle(text);
      if (cs.display === 'none' || cs.visibility !== 'visible') continue;
      const box = text.getBBox();
      const ctm = text.getScreenCTM();
      if (!ctm || !box.width) continue;
      const y = box.y + box.height / 2;
      const points = [box.x + 1, box.x + box.width / 2, box.x + box.width - 1].map(
        x => new DOMPoint(x, y).matrixTransform(ctm));
      const samples = points.map(p => {
        const layers = [];
        for (let i = shapes.length - 1; i >= 0; i--) {
          const s = shapes[i];
          if (!(s.compareDocumentPosition(text) & Node.DOCUMENT_POSITION_FOLLOWING)) continue;
          const ss = getComputedStyle(s);
          if (ss.fill === 'none' || ss.display === 'none' || ss.visibility !== 'visible') continue;
          const m = s.getScreenCTM();
          if (!m) continue;
          if (!s.isPointInFill(p.matrixTransform(m.inverse()))) continue;
          layers.push(withOpacity(ss.fill, Number(ss.fillOpacity) * Number(ss.opacity)));
        }
        return layers;
      });
      const scale = Math.hypot(ctm.a, ctm.b);
      out.push({text: words.slice(0, 40), where: svg.getAttribute('class') || 'svg', fill: cs.fill,
                opacity: Number(cs.fillOpacity) * Number(cs.opacity), samples, behind,
                size: parseFloat(cs.fontSize) * scale, weight: Number(cs.fontWeight)});
    }
  }
  return out;
}
"""


@dataclass
class TextContrast:
    """One piece of text as drawn: where, its contrast, and the minimum it needs."""

    where: str
    text: str
    ratio: float
    required: float

    def __str__(self) -> str:
        return f"{self.where}: {self.text!r} {self.ratio:.2f}:1 (needs {self.required}:1)"


def _layers(css: Sequence[str]) -> list[RGBA]:
    if "IMAGE" in css:  # a background image: the colour beneath says nothing
        raise ValueError("text on a background image; measure it some other way")
    return [parse_color(c) for c in css]


def html_contrasts(page, selector: str) -> list[TextContrast]:
    """Contrast of every piece of HTML text under ``selector`` on ``page``."""
    found = []
    for item in page.evaluate(HTML_TEXT_JS, selector):
        bg = flatten(_layers(item["layers"]))
        fg = flatten([parse_color(item["color"])], (*bg, 1.0))
        found.append(TextContrast(item["where"], item["text"], contrast(fg, bg),
                                  required_ratio(item["size"], item["weight"])))
    return found


def svg_contrasts(page, selector: str) -> list[TextContrast]:
    """Contrast of every SVG ``<text>`` under the ``<svg>`` elements ``selector`` names.

    The worst of three points along the text counts (a label may cross an edge).
    """
    found = []
    for item in page.evaluate(SVG_TEXT_JS, selector):
        behind = _layers(item["behind"])
        ratios = []
        for sample in item["samples"]:
            shapes = [(*parse_color(s["color"])[:3], parse_color(s["color"])[3] * s["opacity"]) for s in sample]
            bg = flatten(shapes + behind)
            fill = parse_color(item["fill"])
            fg = flatten([(*fill[:3], fill[3] * item["opacity"])], (*bg, 1.0))
            ratios.append(contrast(fg, bg))
        found.append(TextContrast(item["where"], item["text"], min(ratios),
                                  required_ratio(item["size"], item["weight"])))
    return found


# -- paper -----------------------------------------------------------------------------

MM = 96 / 25.4  # CSS pixels per millimetre
# An A4 sheet less the margins of the site's @page rule (12 mm left and right, 14 mm
# top and bottom): the box an audit page is laid out in when printed.
PRINTABLE = {"width": round((210 - 2 * 12) * MM), "height": round((297 - 2 * 14) * MM)}


# -- the audits the journeys open ------------------------------------------------------

def newest(audits, language: str):
    """The newest audit written in ``language`` (zh, en), or a failure saying none is."""
    chosen = [a for a in audits if (a.language or "").startswith(language)]
    if not chosen:
        pytest.fail(f"the example audits have none in language {language!r}; the browser tests need one",
                    pytrace=False)
    return max(chosen, key=lambda a: (a.date, a.slug))


# -- a visitor -------------------------------------------------------------------------

@dataclass
class Visitor:
    """A browser tab on the site, with what went wrong while it was open.

    ``problems`` lists, with the page they happened on: console errors, uncaught
    exceptions, failed requests and HTTP error responses.
    """

    page: object
    base_url: str
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        page = self.page
        page.on("console", lambda m: m.type == "error" and self.problems.append(
            f"{page.url}: console error: {m.text}"))
        page.on("pageerror", lambda exc: self.problems.append(f"{page.url}: uncaught {exc}"))
        page.on("requestfailed", lambda r: self.problems.append(
            f"{page.url}: request failed: {r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(
            f"{page.url}: HTTP {r.status} for {r.url}"))

    def open(self, path: str = "") -> None:
        """Go to ``path`` (relative to the site root) and wait until the page is quiet."""
        self.page.goto(self.base_url + path.lstrip("/"))
        self.settle()

    def settle(self) -> None:
        """Wait for the page and what it loads (search index, scripts) to finish."""
        self.page.wait_for_load_state("networkidle")

    def dark(self) -> None:
        """Switch to the dark palette with Material's own toggle in the header."""
        page = self.page
        page.locator("form[data-md-component=palette] label:not([hidden])").click()
        page.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")

    def print_layout(self) -> None:
        """Lay the page out as print media, on a viewport the size of a sheet's printable area."""
        self.page.set_viewport_size(PRINTABLE)
        self.page.emulate_media(media="print")

    def url_path(self) -> str:
        """The current page's path and fragment, relative to the site root."""
        url = self.page.url
        assert url.startswith(self.base_url), url
        return url[len(self.base_url):]
