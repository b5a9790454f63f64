"""How tall a table row on a slide is, and which rows go on which slide.

A deck's tables are native (editable) tables, and a table does not flow onto the next
slide by itself: a long list must be split before it is laid out. A fixed number of
rows per slide runs off the slide as soon as a recommendation wraps to three lines, so
each row is measured instead: its cells' text wrapped at the column's width (in ems: a
Latin character about half an em, a wide one, as :func:`journey_audit.textwidth.is_wide`
says, a little over one), the tallest cell making the row's height. The estimate errs on the tall side (PowerPoint
and LibreOffice grow a row whose text needs more room, pushing the table off the
slide, but never shrink one), and the rows of a list are shared out over as many slides
as their heights need, in order, none left out.

>>> wrapped("Build a shutdown calendar for every key account", 5)  # Build a/shutdown/calendar/for every/key/account
6
>>> wrapped("展会" * 6, 5)  # a Chinese character breaks anywhere
3
>>> slides([3, 2, 2, 4, 1], room=5)
[[0, 1], [2], [3, 4]]
"""

from __future__ import annotations

import math
import re
from typing import Sequence

from ..textwidth import is_wide

EMU_PER_PT = 12700
CELL_MARGINS_X = 2 * 91440  # EMU: a table cell's left and right inset (0.1 in each, PowerPoint's default)
CELL_MARGINS_Y = 2 * 45720  # EMU: its top and bottom inset (0.05 in each)
LATIN_EM = 0.5  # Noto Sans: a Latin character is about half an em wide, on average
WIDE_EM = 1.05  # a Chinese character is one em; the rest is room for the estimate's error
LINE_HEIGHT = 1.45  # line height in font sizes: Noto Sans CJK's ascent and descent
MIN_ROW = 24 * EMU_PER_PT  # EMU: no row shorter than this, for the eye

_TOKEN = re.compile(r"\S+\s*|\s+")


def ems(text: str) -> float:
    """The width of ``text`` in ems (estimated: see :data:`LATIN_EM`, :data:`WIDE_EM`)."""
    if text.isascii():
        return len(text) * LATIN_EM
    return sum(WIDE_EM if is_wide(c) else LATIN_EM for c in text)


def wrapped(text: str, room: float) -> int:
    """Lines ``text`` takes, wrapped at word breaks (anywhere in Chinese) in ``room`` ems."""
    lines = 0
    for paragraph in text.split("\n"):
        lines += 1
        used = 0.0
        for token in _tokens(paragraph):
            need = ems(token.rstrip())
            if used and used + need > room:
                lines += 1
                used = 0.0
            if need > room:  # a word longer than the column breaks inside it
                full = math.ceil(need / room) - 1
                lines += full
                used = need - full * room
            else:
                used += ems(token)
    return lines


def _tokens(text: str) -> list[str]:
    """Words with their trailing spaces, each wide character its own word (Chinese breaks anywhere)."""
    out = []
    for word in _TOKEN.findall(text):
        if word.isascii() or not any(is_wide(c) for c in word):
            out.append(word)
            continue
        start = 0
        for i, c in enumerate(word):
            if is_wide(c):
                if word[start:i]:
                    out.append(word[start:i])
                out.append(c)
                start = i + 1
        if word[start:]:
            out.append(word[start:])
    return out


def row_height(cells: Sequence[str], widths: Sequence[int], size: float) -> int:
    """Height (EMU) of a table row whose cells hold ``cells`` in columns ``widths`` (EMU) at ``size`` pt."""
    lines = 1
    for text, w in zip(cells, widths):
        room = max(1.0, (w - CELL_MARGINS_X) / EMU_PER_PT / size)
        lines = max(lines, wrapped(text, room))
    return max(MIN_ROW, round(lines * size * LINE_HEIGHT * EMU_PER_PT + CELL_MARGINS_Y))


def slides(heights: Sequence[int], room: int) -> list[list[int]]:
    """The row indices each slide holds: rows in order, as many as fit in ``room``; at least one a slide.

    A row taller than ``room`` alone gets a slide of its own. No rows: one empty slide.
    """
    out: list[list[int]] = [[]]
    used = 0
    for i, h in enumerate(heights):
        if out[-1] and used + h > room:
            out.append([])
            used = 0
        out[-1].append(i)
        used += h
    return out
