"""The formatter's view of an audit file: YAML nodes with their layout, and the
comments and blank lines around them.

:func:`read_tree` turns the text into a tree of :class:`Coll` (a mapping or a list),
:class:`Entry` (a key and its value, or a list item) and :class:`Scalar` nodes that
remember where they were written, in which style, and which comments go with them;
:mod:`.fmt` reorders that tree and writes it out again. Where each comment belongs
(the key below it, the end of its line, the end of a block, the top of the file) is
decided here, as the rules in :mod:`.fmt`'s docstring say.

This is the second builder over libyaml's event stream; :mod:`.yamlsource` has the
first. They share the loader, the line breaks and the plain-scalar resolution, not
the loop: that one builds the data every later step reads, refusing tags, duplicate
and merge keys, counting what aliases expand to (so it attaches a collection when it
ends) and sharing an alias's target; this one keeps layout (styles, end lines, the
order entries were written in, so it attaches a collection where it starts) and
copies an alias's value, because the formatter writes anchors out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..textwidth import width
from .yamlsource import LINE_BREAK, Loader, resolve_plain

_BLOCK_HEADER = re.compile(r"[|>][-+0-9]*")


@dataclass(eq=False)
class Comment:
    """A ``# …`` comment: where it was, and whether it had its line to itself."""

    text: str
    line: int
    col: int
    own_line: bool
    column: int = 0  # where it starts on screen (Chinese characters are two columns wide)
    blank_before: bool = False


@dataclass(eq=False)
class Scalar:
    """A key or a value as written: its data, its style, where it starts and ends."""

    value: Any  # as our YAML 1.2 loader reads it
    text: str  # as written (for a quoted scalar: its value)
    style: str | None  # None (plain), "'", '"', "|" or ">"
    line: int
    col: int
    end_line: int
    end_col: int
    header: str = ""  # block scalars: the indicator, e.g. ">-"
    content: tuple[int, int] = (0, -1)  # block scalars: first and last line of content


@dataclass(eq=False)
class Entry:
    """A key and its value, or a list item, with the comments that go with it."""

    key: Scalar | None  # None for a list item
    value: Any
    line: int
    col: int  # column of the key, or of the item's dash
    parent: Coll
    before: list[Comment] = field(default_factory=list)
    eol: list[Comment] = field(default_factory=list)
    blank_before: bool = False
    end_line: int = 0


@dataclass(eq=False)
class Coll:
    """A mapping or a list, in block or flow style; ``tail``: comments after its last entry."""

    kind: str  # "map" or "seq"
    flow: bool
    line: int
    col: int
    end_line: int
    end_col: int = 0
    entries: list[Entry] = field(default_factory=list)
    tail: list[Comment] = field(default_factory=list)
    holder: Entry | None = None

    @property
    def indent(self) -> int:
        return self.entries[0].col if self.entries else self.col


class _Builder:
    """Builds the tree from libyaml's events, iteratively, like :mod:`.yamlsource`."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.entries: list[Entry] = []  # every entry, in document order
        self.scalars: list[Scalar] = []
        self.colls: list[Coll] = []
        self.anchors: dict[str, Any] = {}

    def build(self, text: str) -> Coll:
        stack: list[list[Any]] = []  # [collection, entry waiting for its value, anchor]
        root = None
        for ev in yaml.parse(text, Loader=Loader):
            cls = type(ev)
            if cls is yaml.ScalarEvent:
                node = self.scalar(ev)
                if ev.anchor:
                    self.anchors[ev.anchor] = node
                root = self.attach(stack, node, ev) or root
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                m = ev.start_mark
                node = Coll("map" if cls is yaml.MappingStartEvent else "seq", bool(ev.flow_style),
                             m.line, m.column, m.line)
                self.colls.append(node)
                root = self.attach(stack, node, ev) or root
                stack.append([node, None, ev.anchor])
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                node, _, anchor = stack.pop()
                if node.flow:
                    node.end_line, node.end_col = ev.end_mark.line, ev.end_mark.column
                if anchor:
                    self.anchors[anchor] = node
            elif cls is yaml.AliasEvent:
                root = self.attach(stack, _clone(self.anchors[ev.anchor]), ev) or root
        for coll in reversed(self.colls):  # innermost first: a block ends where its last entry ends
            for e in coll.entries:
                e.end_line = max(e.line, _end_line(e.value))
            if not coll.flow:
                coll.end_line = coll.entries[-1].end_line if coll.entries else coll.line
        return root

    def scalar(self, ev: Any) -> Scalar:
        s, e = ev.start_mark, ev.end_mark
        plain = not ev.style  # libyaml reports a plain scalar's style as "" (PyYAML: None)
        node = Scalar(resolve_plain(ev.value) if plain else ev.value, ev.value, ev.style or None,
                       s.line, s.column, e.line, e.column)
        if ev.style in ("|", ">"):
            match = _BLOCK_HEADER.search(self.lines[s.line], s.column)
            node.header = match.group() if match else ev.style
            last = e.line if e.column > 0 else e.line - 1
            while last > s.line and not self.lines[last].strip():
                last -= 1
            node.content = (s.line + 1, last)
            node.end_line = max(s.line, last)
        self.scalars.append(node)
        return node

    def attach(self, stack: list[list[Any]], node: Any, ev: Any) -> Any:
        if not stack:
            return node
        top = stack[-1]
        parent: Coll = top[0]
        m = ev.start_mark
        if parent.kind == "seq":
            entry = Entry(None, node, m.line, self.dash_col(m.line, m.column, parent), parent)
            self.add(parent, entry)
        elif top[1] is None:
            entry = Entry(node, None, m.line, m.column, parent)
            self.add(parent, entry)
            top[1] = entry
            return None
        else:
            entry = top[1]
            entry.value = node
            top[1] = None
        if isinstance(node, Coll):
            node.holder = entry
        return None

    def add(self, parent: Coll, entry: Entry) -> None:
        parent.entries.append(entry)
        self.entries.append(entry)

    def dash_col(self, line: int, col: int, parent: Coll) -> int:
        if parent.flow:
            return col
        before = self.lines[line][:col].rstrip()
        return len(before) - 1 if before.endswith("-") else col


def _clone(node: Any) -> Any:
    """A copy of an anchored value for one of its aliases: same values, no comments."""
    if isinstance(node, Scalar):
        return node
    copy = Coll(node.kind, node.flow, node.line, node.col, node.end_line, node.end_col)
    for e in node.entries:
        value = _clone(e.value)
        entry = Entry(e.key, value, e.line, e.col, copy)
        if isinstance(value, Coll):
            value.holder = entry
        copy.entries.append(entry)
    return copy


def _end_line(node: Any) -> int:
    return node.end_line


# -- comments and blank lines ------------------------------------------------------------

def _covered(b: _Builder) -> tuple[set[int], dict[int, list[tuple[int, int]]]]:
    """Lines wholly inside scalars, and column ranges of scalars on the other lines."""
    full: set[int] = set()
    spans: dict[int, list[tuple[int, int]]] = {}
    for s in b.scalars:
        if s.style in ("|", ">"):
            full.update(range(s.content[0], s.content[1] + 1))
        elif s.line == s.end_line:
            spans.setdefault(s.line, []).append((s.col, s.end_col))
        else:
            spans.setdefault(s.line, []).append((s.col, 1 << 30))
            full.update(range(s.line + 1, s.end_line))
            spans.setdefault(s.end_line, []).append((0, s.end_col))
    return full, spans


def _find_comments(lines: list[str], full: set[int], spans: dict[int, list[tuple[int, int]]]) -> tuple[
        list[Comment], list[int]]:
    comments: list[Comment] = []
    blanks: list[int] = []
    for n, text in enumerate(lines):
        if n in full:
            continue
        if not text.strip():
            blanks.append(n)
            continue
        ranges = spans.get(n, ())
        for m in re.finditer("#", text):
            p = m.start()
            if (p == 0 or text[p - 1] in " \t") and not any(a <= p < b for a, b in ranges):
                comments.append(Comment(text[p:].rstrip(), n, p, not text[:p].strip(), width(text[:p])))
                break
    return comments, blanks


def _chain(entry: Entry) -> list[Coll]:
    """The collections around ``entry``, innermost first."""
    out = []
    coll: Coll | None = entry.parent
    while coll is not None:
        out.append(coll)
        coll = coll.holder.parent if coll.holder else None
    return out


def _attach_comments(b: _Builder, root: Coll, lines: list[str]) -> tuple[list[Comment], bool]:
    """Give every comment and blank line a place; returns the file's header comments."""
    full, spans = _covered(b)
    comments, blanks = _find_comments(lines, full, spans)
    flow_kept = {id(c) for c in b.colls if c.flow and _stays_flow(c, comments)}
    for c in b.colls:
        if c.flow and id(c) not in flow_kept:
            c.flow = False
    entries = [e for e in b.entries if not (e.parent.flow and id(e.parent) in flow_kept)]
    head: list[Comment] = []
    first = entries[0] if entries else None
    last_eol: list[Any] | None = None  # [entry, column, line] of the latest end-of-line comment
    for c in comments:
        if first is None or c.line < first.line:
            head.append(c)
            continue
        nxt = next((e for e in entries if e.line > c.line), None)
        if c.own_line:
            if last_eol and last_eol[2] == c.line - 1 and last_eol[1] == c.col:
                last_eol[0].eol.append(c)  # a lined-up continuation of the comment above
                last_eol[2] = c.line
                continue
            last_eol = None
            if nxt is not None and c.col <= nxt.col:
                nxt.before.append(c)
                continue
            prev = [e for e in entries if e.line < c.line][-1]
            home = next((k for k in _chain(prev) if k.indent <= c.col), root)
            if nxt is not None and home in _chain(nxt):
                nxt.before.append(c)
            else:
                home.tail.append(c)
        else:
            around = [e for e in entries if e.line <= c.line <= e.end_line]
            owner = around[-1] if around else [e for e in entries if e.line <= c.line][-1]
            owner.eol.append(c)
            last_eol = [owner, c.col, c.line]

    # A blank line belongs to what follows it: a comment, or the entries starting on that line.
    by_line = {c.line: c for c in comments if c.own_line}
    starts: dict[int, Entry] = {}
    for e in entries:
        starts.setdefault(e.line, e)
    head_blank = False
    for n in blanks:
        following = n + 1
        while following < len(lines) and following not in full and not lines[following].strip():
            following += 1
        if following in by_line:
            by_line[following].blank_before = True
        elif following in starts:
            if starts[following] is first and head:
                head_blank = True
            else:
                starts[following].blank_before = True
    return head, head_blank


def _stays_flow(coll: Coll, comments: list[Comment]) -> bool:
    if not all(isinstance(e.value, Scalar) for e in coll.entries):
        return False
    start, end = (coll.line, coll.col), (coll.end_line, coll.end_col)
    return not any(start <= (c.line, c.col) < end for c in comments)


@dataclass
class Tree:
    """An audit file read for formatting: its top-level mapping (or list), the comments
    above its first key (``head``, with ``head_blank`` when a blank line follows them)
    and its lines as libyaml counts them."""

    root: Coll
    head: list[Comment]
    head_blank: bool
    lines: list[str]


def read_tree(text: str) -> Tree:
    """The layout tree of ``text``, every comment and blank line in its place.

    Call it on text our loader accepts (:func:`.yamlsource.parse_text`): it reports no
    errors of its own.

    >>> t = read_tree("# top\\n\\nb: 1  # one\\na:\\n  - x\\n")
    >>> [c.text for c in t.head], t.head_blank, [e.key.value for e in t.root.entries]
    (['# top'], True, ['b', 'a'])
    >>> [c.text for c in t.root.entries[0].eol], t.root.entries[1].value.entries[0].value.value
    (['# one'], 'x')
    """
    lines = LINE_BREAK.split(text)
    builder = _Builder(lines)
    root = builder.build(text)
    head, head_blank = _attach_comments(builder, root, lines)
    return Tree(root, head, head_blank, lines)
