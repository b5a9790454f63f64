"""Finding texts in the files of a built site as a reader would read them.

A text and the place to look in are both brought to normal forms before comparing:
HTML entities are decoded (repeatedly: text may be escaped twice), zero-width
characters removed (the search index splits Chinese words with U+200B), case
ignored, and whitespace ignored for text found whole only across lines (a name
wrapped over several ``<text>`` lines of a diagram); tags are looked through as well
as removed. Ids are matched as tokens: no letter or digit on either side (``acme``
is found in ``acme-brochure.pdf`` and ``acme_2026``, not in ``acmeware``; a needle may
name longer ids it is not found inside, ``acme`` not in ``acme-tools``), short Latin
text as whole words. :class:`Matcher` looks for many texts at once, in
one pass over each file for the long ones. What to look for, and where, is
:mod:`.verify_site`'s business.

>>> hay = Haystack.of('<text>Friends&#39;</text>\\n<text>recommendations</text> 华锦\\u200b酒店')
>>> hay.has(Needle("friends' recommendations", "x")), hay.has(Needle("华锦酒店", "x"))
(True, True)
>>> Haystack.of("placement").has(Needle("Acme", "x")), Haystack.of("x acme-tools").has(
...     Needle("acme", "x", token=True, unless=("acme-tools",)))
(False, False)
>>> Haystack.of("evidence/acme-brochure.pdf").has(Needle("acme", "x", token=True))
True
>>> Haystack.of("<td>客户 31</td>").has(Needle("客户 3", "x")), Haystack.of("<td>客户 3</td><td>2026</td>").has(
...     Needle("客户 3", "x"))
(False, True)
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

from ..charset import strip_invisible
from ..textwidth import has_wide, width

# Only a text this specific is looked for (units: a CJK character 2, others 1).
MIN_NAME = 4  # names, titles, ids
MIN_TEXT = 16  # other texts of other clients' and draft audits

TAG = re.compile(r"<[^<>]*>")  # an HTML or XML tag
_WORD = re.compile(r"[\w]", re.UNICODE)
_TOKEN = re.compile(r"[^\W_]")  # a letter or digit: an id's edge is anything else (- _ . / …)
_ASCII_WORD = re.compile(r"[a-z0-9]")
_K = 8  # length of the pieces long texts are indexed by
_STEP = MIN_TEXT - _K + 1  # every long text has an indexed piece at each multiple of this in the haystack


@dataclass(frozen=True)
class Needle:
    """A text to look for (one that must not be in the site), and what it is (for the report)."""

    text: str
    what: str
    token: bool = False  # an id: found only as a whole token (no letter or digit on either side)
    prefix: bool = False  # the start of a longer text: may go on with any character
    unless: tuple[str, ...] = ()  # longer ids (casefolded) that hold a token without it being found


# -- normal forms ---------------------------------------------------------------------

def _unescape(text: str) -> str:
    for _ in range(3):  # escaped twice (&amp;lt;) is still the same text to a reader
        new = html.unescape(text)
        if new == text:
            break
        text = new
    return text


def spaced_form(text: str) -> str:
    """``text`` without invisible characters, case folded, each run of whitespace one space."""
    return " ".join(strip_invisible(text).casefold().split())


@dataclass
class _Forms:
    spaced: list[str]  # whitespace runs as one space: for words and ids
    compact: list[str]  # the same without whitespace: for text wrapped over lines, and Chinese


def _forms(text: str) -> _Forms:
    """The text as found (entities decoded) and with its tags removed, spaced and compact."""
    text = _unescape(text)
    variants = [text, TAG.sub(" ", text)]
    if "%" in text:  # a name in a URL (a sitemap, a link)
        variants.append(unquote(text))
    spaced = list(dict.fromkeys(spaced_form(v) for v in variants))
    return _Forms(spaced, [s.replace(" ", "") for s in spaced])  # position by position


class Haystack:
    """The normal forms of one text to look in (a file, or what the client may see)."""

    def __init__(self, forms: _Forms):
        self.forms = forms
        self._gaps: dict[int, set[int]] = {}

    def gaps(self, i: int) -> set[int]:
        """Positions in compact form ``i`` that had whitespace (or a tag) before them."""
        if i not in self._gaps:
            spaced = self.forms.spaced[i]
            self._gaps[i] = {m.start() - n for n, m in enumerate(re.finditer(" ", spaced))}
        return self._gaps[i]

    @classmethod
    def of(cls, *texts: str) -> "Haystack":
        spaced: list[str] = []
        compact: list[str] = []
        for t in texts:
            f = _forms(t)
            spaced += f.spaced
            compact += f.compact
        return cls(_Forms(spaced, compact))

    def has(self, needle: Needle) -> bool:
        """Whether ``needle`` occurs (any length; :class:`_Index` does long texts faster)."""
        return any(_matches(needle, form, self) for form in _needle_forms(needle))


def _needle_forms(needle: Needle) -> list[tuple[str, str]]:
    """(kind, text) pairs: kind 'token', 'word' (spaced, whole words) or 'compact'."""
    if needle.token:
        return [("token", needle.text.casefold())]
    forms = _forms(needle.text)
    out = []
    for spaced in forms.spaced:
        compact = spaced.replace(" ", "")
        if width(compact) < MIN_NAME:
            continue  # e.g. '<b>x</b>' without its tags: too short to mean anything
        if not has_wide(spaced) and len(compact) < MIN_TEXT:
            out.append(("word", spaced))  # short Latin text: whole words only ('acme' is not in 'placement')
        else:
            out.append(("compact", compact))
    return list(dict.fromkeys(out))


def _matches(needle: Needle, form: tuple[str, str], hay: Haystack) -> bool:
    kind, text = form
    if kind == "compact":
        # Chinese needs no word boundary, but a Latin letter or digit at either end does:
        # 客户 3 is not in 客户 31. Whitespace that was there (now gone) is a boundary.
        ends = [_ASCII_WORD.match(text[0]), _ASCII_WORD.match(text[-1])]
        for i, h in enumerate(hay.forms.compact):
            start = h.find(text)
            while start >= 0:
                end = start + len(text)
                if not any(ends) or (
                        (not ends[0] or start == 0 or not _ASCII_WORD.match(h[start - 1]) or start in hay.gaps(i))
                        and (not ends[1] or needle.prefix or end == len(h) or not _ASCII_WORD.match(h[end])
                             or end in hay.gaps(i))):
                    return True
                start = h.find(text, start + 1)
        return False
    boundary = _TOKEN if kind == "token" else _WORD
    for h in hay.forms.spaced:
        start = h.find(text)
        while start >= 0:
            end = start + len(text)
            before_ok = start == 0 or not (boundary.match(h[start - 1]) and boundary.match(text[0]))
            after_ok = (needle.prefix or end == len(h)
                        or not (boundary.match(h[end]) and boundary.match(text[-1])))
            if before_ok and after_ok and not _inside(h, start, end, needle.unless):
                return True
            start = h.find(text, start + 1)
    return False


def _inside(h: str, start: int, end: int, longer: tuple[str, ...]) -> bool:
    """Whether ``h[start:end]`` lies within an occurrence of one of the ``longer`` texts."""
    for text in longer:
        at = h.find(text, max(0, end - len(text)))
        while 0 <= at <= start:
            if at + len(text) >= end:
                return True
            at = h.find(text, at + 1)
    return False


class _Index:
    """Many long texts found in one pass over a haystack, whatever their number.

    Each text of at least MIN_TEXT characters is indexed by its pieces of _K
    characters at offsets 0.._STEP-1; any occurrence of it covers a haystack position
    that is a multiple of _STEP with one of those pieces, so only those positions are
    looked up, and a hit is confirmed by comparing the whole text.
    """

    def __init__(self) -> None:
        self.pieces: dict[str, list[tuple[int, str, int]]] = {}

    def add(self, key: int, compact: str) -> None:
        for offset in range(_STEP):
            self.pieces.setdefault(compact[offset:offset + _K], []).append((key, compact, offset))

    def search(self, haystack: str) -> set[int]:
        found: set[int] = set()
        pieces = self.pieces
        if not pieces:
            return found
        for pos in range(0, len(haystack) - _K + 1, _STEP):
            hits = pieces.get(haystack[pos:pos + _K])
            if hits:
                for key, text, offset in hits:
                    if key not in found and pos >= offset and haystack.startswith(text, pos - offset):
                        found.add(key)
        return found


class Matcher:
    """A set of needles, ready to be looked for in many haystacks."""

    def __init__(self, needles: list[Needle]):
        self.needles = needles
        self.index = _Index()
        self.short: list[tuple[int, tuple[str, str]]] = []
        for i, n in enumerate(needles):
            for form in _needle_forms(n):
                if form[0] == "compact" and len(form[1]) >= MIN_TEXT:
                    self.index.add(i, form[1])
                else:
                    self.short.append((i, form))

    def found(self, hay: Haystack) -> set[int]:
        hits: set[int] = set()
        for compact in hay.forms.compact:
            hits |= self.index.search(compact)
        for i, form in self.short:
            if i not in hits and _matches(self.needles[i], form, hay):
                hits.add(i)
        return hits
