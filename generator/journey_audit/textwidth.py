"""How wide text is on screen: a Chinese (East Asian wide or fullwidth) character
takes two columns of a terminal, or about one em of a chart, every other character one.

The one place that says which characters are wide. The terminal tables
(:mod:`journey_audit.figures.summary`, the diff's text form), the formatter's comment
columns, the diagram's line wrapping, the charts' text estimates and verify-site's
sense of "long enough" all count with it, so they agree with each other.

Why not the ``wcwidth`` package: it gives other widths than these for text our
outputs already depend on, and every output must stay byte for byte as it is.
``wcwidth`` counts combining accents and zero-width characters (U+0301, U+200B) as 0
columns and control characters as -1, and follows a newer Unicode than Python's
``unicodedata`` (☰ U+2630 is 2 columns there, 1 here); a comment after such text
would move in ``journey-audit fmt``, a diagram name would wrap elsewhere. Python's
own table is also what the rest of the package (and the tests) were written against.

>>> width("展会 fair"), width("abc"), is_wide("展"), is_wide("a")
(9, 3, True, False)
>>> pad("展会", 6) + "|", pad("7", 3, right=True)
('展会  |', '  7')
"""

from __future__ import annotations

import unicodedata


def is_wide(char: str) -> bool:
    """Whether one character takes two columns (East Asian width W or F)."""
    return unicodedata.east_asian_width(char) in "WF"


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: 2 for each wide character, 1 for any other."""
    if text.isascii():  # most text: no character of it is wide
        return len(text)
    return sum(2 if is_wide(c) else 1 for c in text)


def has_wide(text: str) -> bool:
    """Whether any character of ``text`` is wide (Chinese, Japanese, Korean, fullwidth forms)."""
    return not text.isascii() and any(map(is_wide, text))


def pad(text: str, size: int, right: bool = False) -> str:
    """``text`` padded with spaces to ``size`` columns (on the left with ``right``); never cut."""
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap
