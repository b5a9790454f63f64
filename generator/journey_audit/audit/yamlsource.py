"""Read one YAML file into a tree of nodes that remember their line and column.

Why not ``yaml.safe_load``: it keeps the last of two duplicate keys silently, reads
``no`` as false and ``1:30`` as 5400 (YAML 1.1), drops positions, and its composer
recurses (RecursionError near depth 500 in pure Python, a segfault in libyaml's C
composer). We take only libyaml's *event* stream, which is produced without
recursion, and build the tree ourselves, iteratively, with limits on depth and on
the size that aliases expand to. Plain scalars are resolved with the YAML 1.2 core
schema; every explicit tag is refused.

>>> root = parse_text("title: 展会\\nscore: 3\\nok: no\\n", "a.yaml")
>>> root["title"].value, root["score"].value, root["ok"].value
('展会', 3, 'no')
>>> root["score"].line, root["score"].col
(2, 8)
"""

from __future__ import annotations

import codecs
import math
import os
import re
import shlex
import stat
import sys
from pathlib import Path
from typing import Any, Iterator

import yaml

from ..errors import AuditError
from .problems import ERROR, Problem
from .rules.structure import DUPLICATE_KEY
from .rules.yaml_source import (
    ALIAS,
    EMPTY_FILE,
    ENCODING,
    FILE_SIZE,
    IO,
    KEY,
    MERGE_KEY,
    MULTIPLE_DOCUMENTS,
    NESTING,
    TAG,
    YAML_SYNTAX,
)

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40
MAX_NODES = 200_000  # counting what aliases expand to
MAX_EXPANDED_BYTES = 4 * MAX_BYTES  # text bytes, counting what aliases expand to
MAX_DIGITS = 1000  # far above any audit figure, far below Python's int-parsing limit (4300)

# The loader class whose event stream we read (libyaml's C parser when PyYAML has it);
# the formatter's layout tree (:mod:`.yamltree`) reads the same stream.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

# YAML 1.2 core schema, plain scalars only (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT10 = re.compile(r"[-+]?[0-9]+\Z")
_INT8 = re.compile(r"0o[0-7]+\Z")
_INT16 = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_NUMBER_START = set("0123456789-+.")
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what libyaml counts as a new line


class Node:
    """A YAML value with its position. ``kind`` is 'scalar', 'map' or 'seq'.

    For a scalar, ``value`` is the resolved Python value (str, int, float, bool or
    None) and ``text`` the scalar as written. For a map, ``value`` is a dict from key
    text to ``(key_node, value_node)``; for a sequence, a list of nodes.
    """

    __slots__ = ("kind", "value", "text", "line", "col", "quoted", "size", "nbytes")

    def __init__(self, kind: str, value: Any, line: int, col: int, text: str = "", quoted: bool = False):
        self.kind = kind
        self.value = value
        self.text = text
        self.line = line
        self.col = col
        self.quoted = quoted
        self.size = 1
        # UTF-8 bytes of the text below this node, aliases expanded: what writing it out costs
        self.nbytes = len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))

    def __getitem__(self, key: str) -> "Node":
        return self.value[key][1]

    def __repr__(self) -> str:
        return f"Node({self.kind}, {self.value!r}, {self.line}:{self.col})"

    def plain(self) -> Any:
        """The node as plain Python data (dicts, lists, scalars)."""
        if self.kind == "scalar":
            return self.value
        if self.kind == "seq":
            return [n.plain() for n in self.value]
        return {k: v.plain() for k, (_, v) in self.value.items()}


def resolve_plain(text: str) -> Any:
    """Resolve an unquoted scalar by the YAML 1.2 core schema.

    >>> [resolve_plain(s) for s in ["no", "1:30", "2026-09-30", "~", "True", "0x1F", "2.5", "007", ".nan"]]
    ['no', '1:30', '2026-09-30', None, True, 31, 2.5, 7, nan]
    """
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    if text[0] in _NUMBER_START:
        if _INT10.match(text):
            return int(text)
        if _INT8.match(text):
            return int(text[2:], 8)
        if _INT16.match(text):
            return int(text[2:], 16)
        if _FLOAT.match(text):
            return float(text)
        if _INF.match(text):
            return -math.inf if text[0] == "-" else math.inf
        if _NAN.match(text):
            return math.nan
    return text


def decode(data: bytes, path: str) -> str:
    """UTF-8 text of a file, or an AuditError that names the likely encoding."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise AuditError([Problem(path, 1, 1, ERROR,
                                  "file is UTF-16, not UTF-8; save it again as UTF-8", ENCODING)])
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = len(data[data.rfind(b"\n", 0, exc.start) + 1:exc.start].decode("utf-8")) + 1
        guess = _guess_encoding(data)
        hint = f"it looks like {guess}; " if guess else ""
        raise AuditError([Problem(
            path, line, col, ERROR,
            f"file is not UTF-8 (byte 0x{data[exc.start]:02X}); {hint}save it again as UTF-8, "
            f"e.g. {iconv_line(path, guess.split()[0] if guess else 'GBK')}", ENCODING)]) from None


def iconv_line(path: str, encoding: str) -> str:
    """The shell command that converts the file at ``path`` to UTF-8 in place (quoted for a POSIX shell).

    >>> print(iconv_line("audits/acme/q1 2026.yaml", "GBK"))
    iconv -f GBK -t UTF-8 'audits/acme/q1 2026.yaml' > 'audits/acme/q1 2026.yaml'.utf8 && mv 'audits/acme/q1 2026.yaml'.utf8 'audits/acme/q1 2026.yaml'
    """
    q = shlex.quote(path)
    return f"iconv -f {encoding} -t UTF-8 {q} > {q}.utf8 && mv {q}.utf8 {q}"


def _guess_encoding(data: bytes) -> str:
    for name, label in (("gb18030", "GBK (GB18030)"), ("big5", "Big5"), ("shift_jis", "Shift_JIS")):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        # Accept a guess only when most non-ASCII characters are CJK ideographs.
        wide = [c for c in text if ord(c) > 127]
        if wide and sum("\u4e00" <= c <= "\u9fff" for c in wide) >= 0.6 * len(wide):
            return label
    return "Windows-1252 (Latin)"


def read_bytes(path: Path, display: str | None = None) -> bytes:
    """The bytes of one audit file; AuditError when it is over the size limit, unreadable or
    not a regular file (a FIFO or a device would block or never end: checked after opening,
    without blocking, so nothing can swap the file in between)."""
    shown = display or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise AuditError([Problem(shown, 1, 1, ERROR, f"cannot read file: {exc.strerror}", IO)]) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise AuditError([Problem(shown, 1, 1, ERROR, "not a regular file (a pipe, device or folder); "
                                      "an audit is a plain .yaml file", IO)])
        if info.st_size > MAX_BYTES:  # said without reading it
            raise AuditError([Problem(shown, 1, 1, ERROR,
                                      f"file is {info.st_size // 1024} KiB, over the {MAX_BYTES // 1024} KiB limit "
                                      "for one audit; split it or remove pasted bulk", FILE_SIZE)])
        with os.fdopen(fd, "rb", closefd=False) as f:
            data = f.read(MAX_BYTES + 1)  # a file growing while read stops at the limit too
    except OSError as exc:
        raise AuditError([Problem(shown, 1, 1, ERROR, f"cannot read file: {exc.strerror}", IO)]) from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise AuditError([Problem(shown, 1, 1, ERROR, f"file is over the {MAX_BYTES // 1024} KiB limit for one "
                                  "audit; split it or remove pasted bulk", FILE_SIZE)])
    return data


def read_file(path: Path, display: str | None = None) -> tuple[str, Node]:
    """Read, decode and parse one file; returns ``(text, root)``."""
    shown = display or str(path)
    text = decode(read_bytes(path, shown), shown)
    return text, parse_text(text, shown)


def parse_text(text: str, path: str = "<string>", recovered: list[Problem] | None = None) -> Node:
    """Parse YAML text into a Node tree; AuditError on anything we refuse.

    ``recovered``: where the caller wants every mistake of a file at once, a list that
    receives the problems parsing can step over (a duplicate key: the first value is
    kept), instead of stopping at the first. Without it they raise like the others.
    """
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:  # lone surrogates: only text made in Python can hold them
        line, col = _line_col(text, exc.start)
        raise AuditError([Problem(path, line, col, ERROR, f"character U+{ord(text[exc.start]):04X} is not valid "
                                  "Unicode text; delete it", ENCODING)]) from None
    if size > MAX_BYTES:
        raise AuditError([Problem(path, 1, 1, ERROR, "text is over the size limit for one audit", FILE_SIZE)])
    if not text.strip() or all(not ln.strip() or ln.lstrip().startswith("#") for ln in text.splitlines()):
        raise AuditError([Problem(path, 1, 1, ERROR,
                                  "file is empty; an audit needs at least title, client, date, involvement, "
                                  "core_messages and stages (try: journey-audit new)", EMPTY_FILE)])
    try:
        builder = _Builder(path, recovered is not None)
        root = builder.build(yaml.parse(text, Loader=Loader))
    except yaml.MarkedYAMLError as exc:
        slips = keyboard_slips(text, path)
        if slips:  # the cause, where the parser only notices a line or two later
            raise AuditError(slips) from None
        mark = exc.problem_mark or exc.context_mark
        line, col = _clamp(text, mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(s for s in (exc.context, exc.problem) if s)
        if "tab" in what or _tab_indented(text, line):
            what += "; indent with spaces, never tabs"
        elif "mapping values are not allowed" in what and _over_indented(text, line):
            what += "; this line is indented more than the key above it: align it with that key"
        raise AuditError([Problem(path, line, col, ERROR, f"YAML syntax: {what}", YAML_SYNTAX)]) from None
    except yaml.reader.ReaderError as exc:  # a character YAML forbids, e.g. NUL or BEL
        line, col = _line_col(text, exc.position)
        raise AuditError([Problem(path, line, col, ERROR, f"control character U+{exc.character:04X} is not allowed "
                                  "in YAML; delete it", YAML_SYNTAX)]) from None
    except yaml.YAMLError as exc:
        raise AuditError([Problem(path, 1, 1, ERROR, f"YAML syntax: {exc}", YAML_SYNTAX)]) from None
    if recovered is not None:
        recovered.extend(builder.recovered)
    return root


# A key (always ASCII in the format) followed by a full-width colon, as a Chinese
# keyboard types it: YAML reads the whole line as text and fails a line or two later.
_FULLWIDTH_KEY = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*)\s*(：)")
# The same keyboard's full-width space (U+3000) between a key's colon and its value.
_FULLWIDTH_SPACE = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][A-Za-z0-9_-]*):\u3000")


def keyboard_slips(text: str, path: str) -> list[Problem]:
    """Problems for keys followed by a full-width colon ``：``, at the colon.

    >>> [p.format() for p in keyboard_slips("title： T\\nclient: C\\n", "a.yaml")]
    ["a.yaml:1:6: error: full-width colon '：' after key 'title': use an ASCII colon ':' (yaml-syntax)"]
    """
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        m = _FULLWIDTH_KEY.match(line)
        if m and ":" not in line[:m.start(3)]:
            found.append(Problem(path, number, m.start(3) + 1, ERROR, f"full-width colon '：' after key "
                                 f"'{m.group(2)}': use an ASCII colon ':'", YAML_SYNTAX))
            continue
        m = _FULLWIDTH_SPACE.match(line)
        if m:
            found.append(Problem(path, number, m.end(), ERROR, f"full-width space after '{m.group(2)}:': "
                                 "use an ASCII space", YAML_SYNTAX))
    return found


def _tab_indented(text: str, line: int) -> bool:
    """True when line ``line`` (1-based), or the one before, starts with a tab in its indentation.

    >>> _tab_indented("a:\\n\\t- b\\n", 2)
    True
    """
    lines = text.splitlines()
    near = lines[max(0, line - 2):line]
    return any("\t" in ln[:len(ln) - len(ln.lstrip(" \t"))] for ln in near)


def _over_indented(text: str, line: int) -> bool:
    """True when ``line`` (1-based) starts further right than the key line above it.

    >>> _over_indented("a:\\n  - id: s\\n     name: x\\n", 3)
    True
    """
    lines = text.splitlines()
    if not 1 < line <= len(lines):
        return False
    here = lines[line - 1]
    above = next((ln for ln in reversed(lines[:line - 1]) if ln.strip() and not ln.lstrip().startswith("#")), "")
    key_col = len(above) - len(above.lstrip(" -")) if ":" in above else -1
    return key_col >= 0 and len(here) - len(here.lstrip(" ")) > key_col


def _line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of character ``index`` of ``text``."""
    start = text.rfind("\n", 0, index) + 1
    return text.count("\n", 0, index) + 1, index - start + 1


def _clamp(text: str, line: int, col: int) -> tuple[int, int]:
    """A position inside the text: libyaml puts "end of stream" on a line after the last one.

    >>> _clamp("a: [", 2, 1)
    (1, 5)
    """
    lines = LINE_BREAK.split(text)
    if line <= len(lines):
        return line, col
    return len(lines), len(lines[-1]) + 1


def _shown_tag(tag: str) -> str:
    """A tag as the user wrote it: tag:yaml.org,2002:str → !!str."""
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


_DROPPED = Node("scalar", None, 0, 0, "")  # the key of a duplicate: its value is read, then dropped


class _Builder:
    def __init__(self, path: str, recover: bool = False):
        self.path = path
        self.anchors: dict[str, Node] = {}
        self.recover = recover  # step over duplicate keys (keeping the first value), noting them
        self.recovered: list[Problem] = []

    def fail(self, event: Any, message: str, rule: str) -> AuditError:
        m = event.start_mark
        return AuditError([Problem(self.path, m.line + 1, m.column + 1, ERROR, message, rule)])

    def build(self, events: Iterator[Any]) -> Node:
        # stack of [node, pending_key_node, anchor]; iterative so depth costs no recursion.
        stack: list[list[Any]] = []
        root: Node | None = None
        documents = 0
        for ev in events:
            cls = type(ev)
            if cls is yaml.ScalarEvent:
                node = self.scalar(ev)
                self.anchor(ev, node)
                root = self.attach(stack, node, ev, root)
            elif cls is yaml.MappingStartEvent or cls is yaml.SequenceStartEvent:
                if ev.tag is not None and ev.tag != "!":
                    raise self.fail(ev, f"explicit tag {_shown_tag(ev.tag)} is not allowed; remove it", TAG)
                if len(stack) >= MAX_DEPTH:
                    raise self.fail(ev, f"nesting deeper than {MAX_DEPTH} levels; an audit never needs this", NESTING)
                m = ev.start_mark
                kind = "map" if cls is yaml.MappingStartEvent else "seq"
                node = Node(kind, {} if kind == "map" else [], m.line + 1, m.column + 1)
                stack.append([node, None, ev])
            elif cls is yaml.MappingEndEvent or cls is yaml.SequenceEndEvent:
                node, _, start = stack.pop()
                self.anchor(start, node)
                root = self.attach(stack, node, start, root, completed=True)
            elif cls is yaml.AliasEvent:
                target = self.anchors.get(ev.anchor)
                if target is None:
                    raise self.fail(ev, f"alias *{ev.anchor} has no complete anchor &{ev.anchor} before it", ALIAS)
                root = self.attach(stack, target, ev, root)
            elif cls is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise self.fail(ev, "a file holds one audit; remove the second document (after ---)", MULTIPLE_DOCUMENTS)
        if root is None or root.kind == "scalar" and root.value is None:
            raise AuditError([Problem(self.path, 1, 1, ERROR, "file is empty", EMPTY_FILE)])
        return root

    def scalar(self, ev: Any) -> Node:
        m = ev.start_mark
        tag = ev.tag
        if tag is not None and tag != "!":
            raise self.fail(ev, f"explicit tag {_shown_tag(tag)} is not allowed; remove it (quote the value to make "
                                "it text)", TAG)
        text = ev.value
        if ev.implicit[0] and tag is None:  # plain scalar; `! 3` (the non-specific tag) is text, like "3"
            if len(text) > MAX_DIGITS and text[0] in _NUMBER_START and _INT10.match(text):
                raise self.fail(ev, f"a number of {len(text)} digits; no audit figure needs more than "
                                    f"{MAX_DIGITS}: shorten it (or quote it to make it text)", YAML_SYNTAX)
            value = resolve_plain(text)
            return Node("scalar", value, m.line + 1, m.column + 1, text)
        return Node("scalar", text, m.line + 1, m.column + 1, text, quoted=True)

    def anchor(self, ev: Any, node: Node) -> None:
        if ev.anchor is not None:
            self.anchors[ev.anchor] = node

    def attach(self, stack: list[list[Any]], node: Node, ev: Any, root: Node | None, completed: bool = False) -> Node | None:
        if completed:
            # A completed collection's size counts its children as expanded: an alias adds
            # the whole size of its target, so an alias bomb trips the limit without expanding.
            if node.kind == "map":
                node.size = 1 + sum(k.size + v.size for k, v in node.value.values())
                node.nbytes = sum(k.nbytes + v.nbytes for k, v in node.value.values())
            else:
                node.size = 1 + sum(n.size for n in node.value)
                node.nbytes = sum(n.nbytes for n in node.value)
            if node.size > MAX_NODES:
                raise self.fail(ev, f"this value expands to more than {MAX_NODES} values (aliases repeating "
                                    "aliases?); write the values out", ALIAS)
            if node.nbytes > MAX_EXPANDED_BYTES:  # a long text repeated by aliases: few values, much memory
                raise self.fail(ev, f"this value expands to more than {MAX_EXPANDED_BYTES // 1024 // 1024} MiB of "
                                    "text (an alias repeating a long text?); write the text out once", ALIAS)
        if not stack:
            return node
        top = stack[-1]
        parent = top[0]
        if parent.kind == "seq":
            parent.value.append(node)
        elif top[1] is None:
            if node.kind != "scalar":
                raise self.fail(ev, "a key must be plain text, not a list or mapping", KEY)
            if node.text == "<<" and not node.quoted:
                raise self.fail(ev, "merge keys (<<) are not supported; write the keys out", MERGE_KEY)
            if node.text in parent.value:
                first = parent.value[node.text][0]
                problem = self.fail(ev, f"duplicate key '{node.text}' (first at line {first.line}); the later value "
                                        "would silently replace the earlier one: keep one", DUPLICATE_KEY)
                if not self.recover:
                    raise problem
                self.recovered += problem.problems
                node = _DROPPED  # its value goes nowhere
            top[1] = node
        else:
            if top[1] is not _DROPPED:
                parent.value[sys.intern(top[1].text)] = (top[1], node)  # keys repeat in every touchpoint: one copy
            top[1] = None
        return root
