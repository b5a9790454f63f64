"""Canonical formatting of audit files: ``journey-audit fmt``.

Two people who write the same audit get the same file, so a diff shows what changed
and nothing else. What "canonical" means, rule by rule:

* **Key order** is the order of the format page (read from :mod:`format_spec`). A key
  the format does not know (a misspelt one) stays after the key it was written after. A
  touchpoint's ``consistency`` follows the order of the audit's ``core_messages``;
  ``scale.labels`` runs from the lowest score up. List items are never reordered.
* **Indentation**: two spaces per level; list items sit two spaces under their key
  (``stages:`` then ``  - id: search``), as on the format page.
* **Quoting**: a string is written plain when our YAML 1.2 loader reads it back as
  the same text *and* no YAML 1.1 tool would take it for something else (``no``,
  ``on``, ``y``, ``1:30``, ``1_000`` are booleans or numbers there); otherwise it is written in
  double quotes. Dates stay plain. Numbers and booleans stay exactly as typed (in a
  text field, ``1.50`` is the text "1.50", so the digits must not change); null is
  written ``~``. Text with line breaks becomes a literal block (``|``); a folded block
  (``>``) keeps its lines; text that a block cannot hold exactly (a leading space on
  its first line, trailing spaces, tabs, control characters, several final line breaks) is
  double-quoted with escapes. Chinese and all other text is written as UTF-8, never
  as ``\\u`` escapes. Plain text is never wrapped, however long.
* **Flow collections** (``[a, b]``, ``{1: Weak}``) stay on one line when they hold
  only scalars and no comment; otherwise they are written in block style.
* **Comments** are kept. A comment on its own line belongs to the key or list item
  below it and moves with it; a comment at the end of a line stays at the end of
  that line, at the same column unless the value has grown into it (so lined-up
  comments stay lined up; at least two spaces after the value), and comment lines
  lined up below it stay below it; comments
  above the first key stay at the top of the file; a comment after the last item
  of a block, indented into that block, stays at the end of that block. Blank lines
  between items are kept, several in a row become one.
* Anchors and aliases are written out (the values repeated: nothing is shared);
  document markers (``---``) and directives are dropped; line breaks follow the
  file's first one (LF or CRLF); the file ends with exactly one line break.

Safety: a file our loader cannot read (YAML errors, duplicate keys, tags, a wrong
encoding) is never rewritten. Before writing, the new text is read back with our
own loader and must give exactly the data of the original, value by value and type
by type; if not, the file is left alone and the problem reported. The new file
replaces the old one atomically (a temporary file in the same folder, then
``os.replace``), so a crash never leaves half a file.

The file is read into a layout tree that keeps every comment in its place
(:mod:`.yamltree`); this module puts the tree in canonical order and writes it.

>>> print(format_text("client: ACME # who\\ntitle:   'Audit:  first round'\\nauditors: ['Li', \\"no\\"]\\n"), end="")
title: "Audit:  first round"
client: ACME  # who
auditors: [Li, "no"]
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable

import yaml

from ..errors import AuditError, FormatError
from ..files import write_atomic
from ..textwidth import width
from . import format_spec as spec
from .problems import ERROR, Problem
from .yamlsource import (
    LINE_BREAK,
    MAX_BYTES,
    decode,
    parse_text,
    read_bytes,
    resolve_plain,
)
from .yamltree import Coll, Comment, Entry, Scalar, read_tree

_YAML11 = yaml.resolver.Resolver()
_PLAIN_IN_YAML11 = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:timestamp"}
_YAML11_SHORT_BOOLS = {"y", "Y", "n", "N"}  # booleans in the YAML 1.1 spec that PyYAML skips
_ANALYZER = yaml.emitter.Emitter(io.StringIO(), allow_unicode=True)


# -- key order ---------------------------------------------------------------------------

def _order(node: Any, kind: Any, name: str, core_ids: list[str]) -> None:
    if not isinstance(node, Coll):
        return
    t = type(kind)
    if node.kind == "map" and t is spec.Obj:
        order = _known_order([str(e.key.value) for e in node.entries], {n: i for i, n in enumerate(kind.names())})
        node.entries[:] = [node.entries[i] for i in order]
        for e in node.entries:
            f = kind.get(str(e.key.value))
            _order(e.value, f.kind if f else None, f.name if f else "", core_ids)
    elif node.kind == "seq" and t is spec.ListOf:
        for e in node.entries:
            _order(e.value, kind.item, "", core_ids)
    elif node.kind == "map" and t is spec.MapOf:
        keys = [e.key.value for e in node.entries]
        if name == "consistency":
            rank = {c: i for i, c in enumerate(core_ids)}
            node.entries.sort(key=lambda e: rank.get(e.key.value, len(rank)))
        elif type(kind.key) is spec.Int and all(type(k) is int for k in keys):
            node.entries.sort(key=lambda e: e.key.value)


def _known_order(keys: list[str], rank: dict[str, int]) -> list[int]:
    """Positions of ``keys`` in the format's order (``rank``). A key the format does not
    know (often a misspelt one, which validate reports) goes with the key written before
    it, so it stays where its author looks for it, not at the end of the mapping.

    >>> _known_order(["b", "nmae", "a", "zz"], {"a": 0, "b": 1})
    [2, 3, 0, 1]
    """
    anchor, order = -1, []
    for i, name in enumerate(keys):
        known = rank.get(name)
        if known is not None:
            anchor = known
        order.append((anchor, known is None, i))
    return [i for _, _, i in sorted(order)]


def _core_ids(root: Coll) -> list[str]:
    for e in root.entries:
        if e.key.value == "core_messages" and isinstance(e.value, Coll) and e.value.kind == "seq":
            ids = []
            for item in e.value.entries:
                if isinstance(item.value, Coll) and item.value.kind == "map":
                    ids += [x.value.value for x in item.value.entries
                            if x.key.value == "id" and isinstance(x.value, Scalar)]
            return ids
    return []


# -- scalars -----------------------------------------------------------------------------

def _printable(ch: str) -> bool:
    o = ord(ch)
    return 0x20 <= o <= 0x7E or 0xA0 <= o <= 0xD7FF or 0xE000 <= o <= 0xFFFD and o != 0xFEFF \
        or 0x10000 <= o <= 0x10FFFF


def plain_ok(text: str, flow: bool = False) -> bool:
    """Whether ``text`` can be written without quotes and read back the same everywhere.

    >>> [plain_ok(s) for s in ["展会 trade fair", "no", "1:30", "2026-09-30", "a: b", "x#y", ""]]
    [True, False, False, True, False, True, False]
    """
    if not text or text != text.strip() or text in _YAML11_SHORT_BOOLS:
        return False
    if resolve_plain(text) != text or not isinstance(resolve_plain(text), str):
        return False
    if _YAML11.resolve(yaml.ScalarNode, text, (True, False)) not in _PLAIN_IN_YAML11:
        return False
    a = _ANALYZER.analyze_scalar(text)
    if a.multiline or a.empty or not all(map(_printable, text)):
        return False
    return a.allow_flow_plain if flow else a.allow_block_plain


_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}


def double_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar; non-ASCII stays as it is.

    >>> print(double_quoted('say "好"\\tnow\\u2028'))
    "say \\"好\\"\\tnow\\u2028"
    """
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif _printable(ch):
            out.append(ch)
        else:
            o = ord(ch)
            out.append(f"\\x{o:02x}" if o <= 0xFF else f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def _literal_ok(text: str) -> bool:
    if "\n" not in text or not text.strip() or text.startswith(("\n", " ")) or text.endswith("\n\n"):
        return False
    if any(not _printable(ch) and ch != "\n" for ch in text):
        return False
    return all(line == line.rstrip(" ") for line in text.split("\n"))


class _Renderer:
    def __init__(self, lines: list[str]):
        self.lines = lines

    def scalar(self, s: Scalar, context: str, indent: int) -> tuple[str, list[str]]:
        """``(text on the key's line, lines below it)`` for one scalar."""
        v = s.value
        if not isinstance(v, str):
            return ("~" if v is None else s.text), []
        if context == "block":
            folded = self.folded(s, indent) if s.style == ">" else None
            if folded is not None:
                return folded
            if "\n" in v and _literal_ok(v):
                body = v[:-1] if v.endswith("\n") else v
                pad = " " * (indent + 2)
                return ("|" if v.endswith("\n") else "|-"), [pad + ln if ln else "" for ln in body.split("\n")]
        return (v if plain_ok(v, flow=context == "flow") else double_quoted(v)), []

    def folded(self, s: Scalar, indent: int) -> tuple[str, list[str]] | None:
        # Keep the author's line breaks: the same lines, indented anew. Only when the
        # block's indentation is detected (no digit) and the result reads back the same.
        if any(ch.isdigit() or ch == "+" for ch in s.header):
            return None
        source = self.lines[s.content[0]:s.content[1] + 1]
        written = [ln for ln in source if ln.strip()]
        if not written:
            return None
        old = len(written[0]) - len(written[0].lstrip(" "))
        pad = " " * (indent + 2)
        body = [pad + ln[old:] if ln.strip() else (pad + ln[old:] if len(ln) > old else "") for ln in source]
        try:
            back = parse_text("k: " + s.header + "\n" + "\n".join(ln[indent:] for ln in body) + "\n")["k"].value
        except AuditError:
            return None
        return (s.header, body) if back == s.value else None

    def key(self, k: Scalar) -> str:
        if not isinstance(k.value, str):
            return "~" if k.value is None else k.text
        return k.value if plain_ok(k.value) else double_quoted(k.value)

    def flow(self, c: Coll) -> str:
        if c.kind == "seq":
            return "[" + ", ".join(self.scalar(e.value, "flow", 0)[0] for e in c.entries) + "]"
        return "{" + ", ".join(f"{self.key(e.key)}: {self.scalar(e.value, 'flow', 0)[0]}" for e in c.entries) + "}"


# -- writing -----------------------------------------------------------------------------

class _Writer:
    def __init__(self, renderer: _Renderer):
        self.r = renderer
        self.out: list[str] = []

    def blank(self, start: int) -> None:
        if len(self.out) > start and self.out[-1] != "":
            self.out.append("")

    def comments(self, items: Iterable[Comment], indent: int, start: int) -> None:
        for c in items:
            if c.blank_before:
                self.blank(start)
            self.out.append(" " * indent + c.text)

    def block(self, coll: Coll, indent: int) -> None:
        start = len(self.out)
        for e in coll.entries:
            self.comments(e.before, indent, start)
            if e.blank_before:
                self.blank(start)
            self.entry(e, indent)
        self.comments(coll.tail, indent, start)

    def entry(self, e: Entry, indent: int) -> None:
        v = e.value
        eol = list(e.eol)
        if e.key is None and isinstance(v, Coll) and not v.flow and v.entries:
            # "- id: x": the item's first line is its first entry's line, behind the dash.
            first = v.entries[0]
            if first.before or first.blank_before:
                self.comments(first.before, indent, len(self.out))
                first.before, first.blank_before = [], False
            at = len(self.out)
            self.block(v, indent + 2)
            self.out[at] = " " * indent + "- " + self.out[at][indent + 2:]
            self.add_eol(at, eol)
            return
        lead = " " * indent + ("- " if e.key is None else self.r.key(e.key) + ":")
        below: list[str] = []
        if isinstance(v, Scalar):
            text, below = self.r.scalar(v, "block", indent)
            line = lead + ("" if e.key is None else " ") + text
            if below and len(eol) > 1:  # comment lines cannot go inside a block scalar: put them above
                self.comments(eol[1:], indent, len(self.out))
                eol = eol[:1]
        elif v.flow or not v.entries:
            line = lead + ("" if e.key is None else " ") + (self.r.flow(v) if v.flow else "[]" if v.kind == "seq" else "{}")
        else:
            line = lead.rstrip()
        at = len(self.out)
        self.out.append(line)
        self.out.extend(below)
        self.add_eol(at, eol)
        if isinstance(v, Coll) and not v.flow and v.entries:
            self.block(v, indent + 2)

    def add_eol(self, at: int, eol: list[Comment]) -> None:
        if not eol:
            return
        # Keep the comment's column (lined-up comments stay lined up) unless the value now reaches it.
        column = max(width(self.out[at]) + 2, eol[0].column)
        self.out[at] += " " * (column - width(self.out[at])) + eol[0].text
        self.out[at + 1:at + 1] = [" " * column + c.text for c in eol[1:]]


def format_text(text: str, display: str = "<string>") -> str:
    """The canonical form of an audit's text.

    Raises :class:`AuditError` when our loader refuses the text (the file must not be
    rewritten), and :class:`FormatError` when the result would not read back as the
    same data.
    """
    before = parse_text(text, display)
    if before.kind != "map":
        raise AuditError([Problem(display, before.line, before.col, ERROR,
                                  "the top level of an audit must be a mapping of keys (title:, client:, …)",
                                  "type")])
    if before.nbytes > MAX_BYTES:  # fmt writes aliases out: the result could not be read again
        raise AuditError([Problem(display, before.line, before.col, ERROR,
                                  "aliases repeat text past the size limit of one audit once written out; fmt "
                                  "leaves this file as it is: write each text once, without aliases", "alias")])
    tree = read_tree(text)
    _order(tree.root, spec.AUDIT, "", _core_ids(tree.root))
    w = _Writer(_Renderer(tree.lines))
    w.comments(tree.head, 0, 0)
    if tree.head and tree.head_blank:
        w.out.append("")
    w.block(tree.root, 0)
    while w.out and w.out[-1] == "":
        w.out.pop()
    newline = "\r\n" if (m := LINE_BREAK.search(text)) and m.group() == "\r\n" else "\n"
    result = newline.join(w.out) + newline
    try:
        after = parse_text(result, display)
    except AuditError as exc:
        raise FormatError(f"the formatted text does not read back ({exc.problems[0].message})") from None
    if _data(after) != _data(before):
        raise FormatError("the formatted text reads back as different data")
    return result


def _data(node: Any) -> Any:
    """The data of a loaded tree, exactly: types, values, and numbers as typed."""
    if node.kind == "scalar":
        v = node.value
        if isinstance(v, float) and v != v:
            v = "nan"
        return type(v).__name__, v, (node.text if v is not None and not isinstance(v, str) else None)
    if node.kind == "seq":
        return [_data(n) for n in node.value]
    return {_data(k): _data(v) for k, v in node.value.values()}


# -- files -------------------------------------------------------------------------------

@dataclass
class FormatResult:
    """What ``fmt`` did (or would do) to one file."""

    path: str
    changed: bool = False  # the file is (or was) not in canonical form
    problems: list[Problem] = field(default_factory=list)


def format_file(path: Path, display: str | None = None, check: bool = False) -> FormatResult:
    """Format one file in place (or only look, with ``check``); never raises for bad input."""
    shown = display or str(path)
    result = FormatResult(shown)
    try:
        data = read_bytes(path, shown)  # regular files only, within the size limit
        text = decode(data, shown)
        new = format_text(text, shown)
    except OSError as exc:
        result.problems.append(Problem(shown, 1, 1, ERROR, f"cannot read file: {exc.strerror}", "io"))
        return result
    except AuditError as exc:
        result.problems.extend(exc.problems)
        return result
    except FormatError as exc:
        result.problems.append(Problem(shown, 1, 1, ERROR, f"not formatted: {exc}; the file was left as it is "
                                       "(please report this as a bug in journey-audit fmt)", "fmt"))
        return result
    encoded = new.encode("utf-8")
    result.changed = encoded != data
    if result.changed and not check:
        try:
            write_atomic(path, encoded)
        except OSError as exc:
            result.problems.append(Problem(shown, 1, 1, ERROR, f"cannot write file: {exc.strerror}", "io"))
    return result


def format_paths(paths: Iterable[Path], check: bool = False) -> tuple[list[FormatResult], list[Problem]]:
    """Format every audit file under ``paths`` (files or folders; default ``audits/``).

    Returns one result per file, and problems for paths that do not exist.
    """
    from .portfolio import DEFAULT_DIR, display_path, find_audit_files

    paths = list(paths) or [DEFAULT_DIR]
    files, problems = find_audit_files(paths)
    return [format_file(f, display_path(f), check) for f in files], problems
