"""Light pages: Markdown and the search index see the words, the heavy HTML comes after.

An audit page is mostly HTML (tables of coloured score chips, the heat map, charts,
the touchpoints' facts): Python-Markdown parses every tag of it once more to pass it
through, and the search plugin parses it again to index it. Neither needs it. So a
generated page is written *light*: headings stay Markdown (the table of contents,
the search sections), and each HTML block is replaced by a small stand-in holding
only the block's words, which is what the search index gets. The blocks themselves
follow the page after :data:`MARK`; :func:`split` takes them off before Markdown
runs, and :func:`fill` puts each block in place of its stand-in in the converted
HTML, after the search plugin has read it (the MkDocs plugin does both), or in the
Markdown (:func:`expand`, for a builder that renders the page itself).

What the index holds: every word the page shows (a run of text with a letter of any
script; figures, dates and the text drawn in charts are not words), once per page,
in page order, separated by spaces: ``<dt>Owner</dt><dd>Finance</dd>`` is indexed as
``Owner Finance``, never ``OwnerFinance``. A word with Chinese characters is also
given in the pieces a search engine's segmenter finds inside it (``24小时响应`` →
``小时 响应``), so a query of any of them finds the page.

>>> page = light('# Title {#t}\\n\\n<table><tr><th>Owner</th><td>Finance</td><td>3.5</td></tr></table>\\n\\n'
...               '<dl><dt>Owner</dt><dd>Sales &amp; service</dd></dl>\\n')
>>> print(split(page)[0])
# Title {#t}
<BLANKLINE>
<div class="ja-slot" data-ja-slot="0">Owner Finance</div>
<BLANKLINE>
<div class="ja-slot" data-ja-slot="1">Sales service</div>
>>> expand(page) == '# Title {#t}\\n\\n' + '\\n\\n'.join(split(page)[1])
True
"""

from __future__ import annotations

import functools
import html
import re
from typing import Sequence

from .escape import text as esc

MARK = "\n<!-- journey-audit:blocks -->\n"  # what follows is the page's HTML blocks
_BLOCK = "<!-- journey-audit:block -->\n"  # before each block (audit text is escaped: it never spells this)
STANDIN = re.compile(r'<div class="ja-slot" data-ja-slot="(\d+)">[^<]*</div>|\n*<div class="ja-words">[^<]*</div>\n?')

_SVG = re.compile(r"<svg\b.*?</svg>", re.S)  # a chart's text: shown beside it as text, or in the tables
_TAG = re.compile(r"<[^<>]*>")
_LETTER = re.compile(r"[^\W\d_]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_EDGE = "\"'()[]{}<>,.;:!?·–—、。，．：；！？（）《》「」『』【】“”‘’"


def words(block: str) -> list[str]:
    """The words a reader sees in the HTML ``block``, in order (with repeats).

    >>> words('<td>Web &amp; shop</td><td>4.5</td><td>(VIP客户)</td><svg><text>x</text></svg>')
    ['Web', 'shop', 'VIP客户']
    """
    text = html.unescape(_TAG.sub(" ", _SVG.sub(" ", block)))
    found = (w.strip(_EDGE) for w in text.split())
    return [w for w in found if _LETTER.search(w)]


@functools.lru_cache(maxsize=1 << 16)  # pages of one portfolio repeat their labels and names
def _pieces(word: str) -> tuple[str, ...]:
    """The Chinese words inside ``word`` that a query may be (jieba's search mode), besides ``word``."""
    if not _HAN.search(word):
        return ()
    try:
        import jieba
    except ImportError:  # the search plugin then does not segment either
        return ()
    # The search plugin cuts the text with jieba.cut: only the shorter words inside its
    # words are missing there (售后服务 → 售后, 服务), and a single character is no word.
    cut = set(jieba.cut(word))
    return tuple(p for p in dict.fromkeys(jieba.cut_for_search(word)) if len(p) > 1 and p not in cut and _HAN.search(p))


class LightPage:
    """One page's HTML blocks and the words already given to the index."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.seen: set[str] = set()
        self.later: list[str] = []  # words of blocks kept out of their own search section

    def _new(self, found: list[str]) -> list[str]:
        new = []
        for word in found:
            for w in (word, *_pieces(word)):
                if w not in self.seen:
                    self.seen.add(w)
                    new.append(w)
        return new

    def standin(self, block: str) -> str:
        """A stand-in for the HTML ``block`` holding its words not yet indexed on this page.

        A block marked ``data-search-exclude`` (the changes and the gates name many
        touchpoints: indexed there, they would outrank each touchpoint's own section)
        gives its words to the page's last section instead, those not found elsewhere.
        """
        number = len(self.blocks)
        self.blocks.append(block)
        if "data-search-exclude" in block[:block.find(">")]:
            self.later += words(block)
            return f'<div class="ja-slot" data-ja-slot="{number}"></div>'
        return f'<div class="ja-slot" data-ja-slot="{number}">{esc(" ".join(self._new(words(block))))}</div>'

    def rest(self) -> str:
        """The words of excluded blocks not indexed elsewhere on the page, as a last block ('' for none)."""
        new = self._new(self.later)
        return f'<div class="ja-words">{esc(" ".join(new))}</div>' if new else ""

    def appendix(self) -> str:
        return MARK + "".join(_BLOCK + b + "\n" for b in self.blocks) if self.blocks else ""


def light(page: str) -> str:
    """The generated ``page`` (Markdown with HTML blocks) made light; :func:`expand` gives it back as it was.

    The page's blocks are what Markdown reads as blocks: the texts between blank lines.
    Each that starts with a tag is HTML (a comment stays: a placeholder of the diagram).
    """
    lp = LightPage()
    chunks = [lp.standin(c) if c.startswith("<") and not c.startswith("<!--") else c for c in _blocks(page)]
    rest = lp.rest()
    return "\n\n".join(chunks) + (f"\n\n{rest}\n" if rest else "") + lp.appendix()


_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)\b[^<>]*?(/?)>")
_CLOSE = re.compile(r"</[a-zA-Z]")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())


def _depth(html_text: str) -> int:
    """Elements opened and not closed in ``html_text`` (void and self-closed ones aside)."""
    opened = sum(1 for m in _OPEN.finditer(html_text) if not m.group(2) and m.group(1).lower() not in _VOID)
    return opened - len(_CLOSE.findall(html_text))


def _blocks(page: str) -> list[str]:
    """The page's texts between blank lines, an HTML block kept whole until every element it
    opens is closed (as Markdown reads it): audit text may hold a blank line."""
    out: list[str] = []
    depth = 0
    for chunk in page.split("\n\n"):
        if depth > 0:
            out[-1] += "\n\n" + chunk
            depth += _depth(chunk)
        else:
            out.append(chunk)
            depth = _depth(chunk) if chunk.startswith("<") else 0
    return out


def split(page: str) -> tuple[str, list[str]]:
    """A light page's Markdown and its HTML blocks (a page that is not light: itself, [])."""
    light, found, rest = page.partition(MARK)
    if not found:
        return page, []
    return light, [b[:-1] if b.endswith("\n") else b for b in rest.split(_BLOCK)[1:]]


def fill(content: str, blocks: Sequence[str]) -> str:
    """``content`` (the page's Markdown or HTML) with each stand-in replaced by its block."""
    if not blocks:
        return content

    def block(m: re.Match) -> str:
        if m.group(1) is None:  # the words of excluded blocks: for the index only
            return ""
        n = int(m.group(1))
        return blocks[n] if n < len(blocks) else m.group(0)

    return STANDIN.sub(block, content)


def expand(page: str) -> str:
    """A light page as one Markdown text with its HTML in place (what it was before it was made light)."""
    light, blocks = split(page)
    return fill(light, blocks)
