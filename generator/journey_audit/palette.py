"""Colours for scores: one colour-blind-safe scale for diagrams, heat maps and charts.

ColorBrewer's 5-class RdYlBu (red = harmful … blue = excellent) is marked safe for
colour-blind readers; scores between steps are interpolated. The text colour on each
fill is white where that reaches WCAG AA (4.5:1), black elsewhere, so a label
stays readable on every fill, in the light and the dark palette alike (fills are
opaque, never transparent).

>>> fill(1, 1, 5), fill(5, 1, 5)
('#d7191c', '#2c7bb6')
>>> text_on('#ffffbf'), text_on('#2c7bb6')
('#000000', '#ffffff')
>>> min(contrast(text_on(fill(1 + i / 100, 1, 5)), fill(1 + i / 100, 1, 5)) for i in range(401)) >= 4.5
True
"""

from __future__ import annotations

from functools import lru_cache

STEPS = ("#d7191c", "#fdae61", "#ffffbf", "#abd9e9", "#2c7bb6")
DARK_TEXT = "#000000"  # pure black: #1a1a1a falls below 4.5:1 on some mid blues and oranges
LIGHT_TEXT = "#ffffff"
NEUTRAL = "#e0e0e0"  # no score (a core message that does not apply)


def _rgb(colour: str) -> tuple[int, int, int]:
    c = colour.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(v):02x}" for v in rgb)


@lru_cache(maxsize=4096)  # a page asks for the same few scores thousands of times
def fill(score: float | None, lo: int, hi: int) -> str:
    """Fill colour for ``score`` on the scale ``lo..hi``."""
    if score is None:
        return NEUTRAL
    t = 0.0 if hi == lo else min(1.0, max(0.0, (float(score) - lo) / (hi - lo)))
    pos = t * (len(STEPS) - 1)
    i = min(int(pos), len(STEPS) - 2)
    f = pos - i
    a, b = _rgb(STEPS[i]), _rgb(STEPS[i + 1])
    return _hex(tuple(x + (y - x) * f for x, y in zip(a, b)))


def luminance(colour: str) -> float:
    def channel(v: int) -> float:
        s = v / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def text_on(background: str) -> str:
    """White or black text for ``background``, at least 4.5:1 on every fill of the scale."""
    # White where it passes WCAG AA (it reads better on saturated fills), else black.
    return LIGHT_TEXT if contrast(LIGHT_TEXT, background) >= 4.5 else DARK_TEXT
