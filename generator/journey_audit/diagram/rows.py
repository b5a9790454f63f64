"""A long journey wrapped into rows, so its text stays readable on a page and on paper.

Stages run left to right; a journey of many stages drawn in one row grows wider and
wider, and the page shrinks it to its width: 30 stages came out as a 97-pixel strip
with 1.2 pt text in print. So a journey wider than :data:`ONE_ROW` is cut into
rows of about equal width, one under the other; the funnel's arrow from the last stage
of a row curves down to the first stage of the next.

The widths are estimates made from the audit alone (the DOT source must not depend on
Graphviz), calibrated against Graphviz's drawings with the Noto CJK fonts: the tests
compare them with real drawings. A journey that fits in one row (the example audits, up
to about five one-column stages) gets no rows at all: its DOT source is as it was.

How small text gets, in the worst case (a row as wide as :data:`ROW_WIDTH`): the
page shows the diagram at its width, at most its natural size; see
``tests/test_diagram_rows.py`` for the sizes measured in a browser.
"""

from __future__ import annotations


# Points, as Graphviz lays out (72 per inch). A journey up to ONE_ROW wide is drawn in one row
# as it always was: about five stages of one column, as wide as the example audits draw
# (1207-1241 pt); the page shows it across the screen and turns it to landscape in print.
# A longer journey is drawn in rows of at most ROW_WIDTH, printed across a portrait A4
# page (186 mm = 527 pt of text width): a row of three one-column stages is about 840 pt
# wide, so 10 pt figures print at about 6 pt.
ONE_ROW = 1400
ROW_WIDTH = 1050
NODE_WIDTH = 170  # a touchpoint (width="2.3" inch, names wrapped at 24 units, margins)
COLUMN_GAP = 40  # between the columns of a stage (ranksep 0.55 inch)
STAGE_EXTRA = 64  # a stage's margins, and the gap with the arrow and its label to the next stage
MARKER_WIDTH = 100  # the end of a row: an arrow, its label and "7." (the next row's first stage)
PAD = 36  # the drawing's margin (pad 0.25 inch each side)
UNIT = 7  # points per width unit of a bold 12 pt stage name (a Chinese character is 2 units)


def stage_width(columns: int, header_units: int) -> int:
    """Estimated width in points of a stage drawn with ``columns`` columns of touchpoints
    and a header whose widest line is ``header_units`` units (:func:`.textwidth.width`)."""
    body = max(1, columns) * NODE_WIDTH + max(0, columns - 1) * COLUMN_GAP
    return max(body, header_units * UNIT) + STAGE_EXTRA


def split(widths: list[int], one_row: int = ONE_ROW, limit: int = ROW_WIDTH) -> list[int]:
    """Where each row starts (stage positions), for stages of the given widths.

    One row (``[0]``) when they fit in ``one_row``; otherwise the fewest rows of at most
    ``limit``, made as narrow as that many rows allow (a stage wider than
    ``limit`` alone has a row of its own).

    >>> split([234] * 5), split([234] * 6), split([234] * 30)
    ([0], [0, 3], [0, 3, 6, 9, 12, 15, 18, 21, 24, 27])
    >>> split([200, 1500, 200])
    [0, 1, 2]
    """
    if sum(widths) <= one_row:
        return [0]
    limit -= MARKER_WIDTH + PAD  # every row but the last ends with the number of the next row's first stage
    count = len(_fill(widths, limit))  # the fewest rows
    cap = -(-sum(widths) // count)
    while len(_fill(widths, cap)) > count:  # the narrowest rows that are no more: balanced
        cap += 10
    return _fill(widths, cap)


def _fill(widths: list[int], cap: int) -> list[int]:
    """Row starts when each row takes stages while they fit in ``cap`` (at least one)."""
    starts, used = [0], 0
    for i, w in enumerate(widths):
        if used and used + w > cap:
            starts.append(i)
            used = 0
        used += w
    return starts
