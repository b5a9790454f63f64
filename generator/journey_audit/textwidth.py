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
>>> break_lines("Internationalisation-recommendations for 客户答谢会", 24)
['Internationalisation-', 'recommendations for 客户', '答谢会']
"""

from __future__ import annotations

import re
import unicodedata

# Line-breaking rules for Chinese (禁则): no line starts with a closing mark, none ends with an opening one.
_NO_START = set("，。、；：！？）」』】》〉”’,.;:!?)]}%…·")
_NO_END = set("（「『【《〈“‘([{")
# A word wider than a line breaks after one of these if that is enough (e-mail, URLs, compounds).
_SOFT = re.compile(r"[^-/_]*[-/_]+|[^-/_]+")
SHORT_TAIL = 2  # columns: a last line this narrow (one letter, one Chinese character) is an orphan


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


def _atoms(text: str) -> list[tuple[bool, str]]:
    """Unbreakable pieces, each with whether a space precedes it.

    A CJK character is a piece of its own; a run of other characters (a Latin word,
    a number) stays whole; punctuation sticks to its neighbour as the rules above say.
    """
    atoms: list[tuple[bool, str]] = []
    space = False
    for ch in text:
        if ch.isspace():
            space = bool(atoms)
            continue
        wide = is_wide(ch)
        if atoms and not space:
            prev = atoms[-1][1]
            if ch in _NO_START or prev[-1] in _NO_END or (not wide and not is_wide(prev[-1])):
                atoms[-1] = (atoms[-1][0], prev + ch)
                continue
        atoms.append((space, ch))
        space = False
    return atoms


def _pieces(word: str, size: int) -> list[str]:
    """``word`` (wider than ``size`` columns) cut into pieces that fit.

    After hyphens or slashes where that is enough; otherwise into pieces of about
    equal width, so no piece is a lone letter ("Internationalisatio" + "n" is not a line).

    >>> _pieces("Internationalisation-recommendations", 24), _pieces("a" * 25, 24)
    (['Internationalisation-', 'recommendations'], ['aaaaaaaaaaaaa', 'aaaaaaaaaaaa'])
    """
    soft = _SOFT.findall(word)
    if len(soft) > 1 and all(width(p) <= size for p in soft) and width(soft[-1]) > SHORT_TAIL:
        return soft
    total = width(word)
    count = -(-total // size)  # the fewest pieces that fit
    pieces, piece, used, done = [], "", 0, 0
    for ch in word:
        w = 2 if is_wide(ch) else 1
        # the k-th cut falls at k/count of the word (rounded up): pieces differ by a column at most
        if piece and (done + w > -(-total * (len(pieces) + 1) // count) or used + w > size):
            pieces.append(piece)
            piece, used = "", 0
        piece, used, done = piece + ch, used + w, done + w
    return pieces + [piece]


def break_lines(text: str, size: int) -> list[str]:
    """``text`` broken into lines of at most ``size`` columns (``size`` ≥ 4), every character kept.

    Breaks at spaces and between Chinese characters, never before a closing mark or
    after an opening one; a word wider than a line is cut (:func:`_pieces`). A last
    line of one letter or character takes the last piece of the line above, if it fits.

    >>> break_lines("一二三四五六七八九十一二三", 24)
    ['一二三四五六七八九十一', '二三']
    """
    lines: list[list[tuple[bool, str]]] = [[]]
    used = 0
    for space, atom in _atoms(text):
        parts = _pieces(atom, size) if width(atom) > size else [atom]
        for i, part in enumerate(parts):
            gap = 1 if space and i == 0 and lines[-1] else 0
            if lines[-1] and used + gap + width(part) > size:
                lines.append([])
                used, gap = 0, 0
            lines[-1].append((space and i == 0, part))
            used += gap + width(part)
    if len(lines) > 1 and len(lines[-2]) > 1 and _line_width(lines[-1]) <= SHORT_TAIL:
        moved = [(False, lines[-2][-1][1])] + lines[-1]
        if _line_width(moved) <= size:
            lines[-2:] = [lines[-2][:-1], moved]
    return ["".join((" " if space and j else "") + atom for j, (space, atom) in enumerate(line))
            for line in lines]


def _line_width(line: list[tuple[bool, str]]) -> int:
    return sum(width(atom) + (1 if space and j else 0) for j, (space, atom) in enumerate(line))
