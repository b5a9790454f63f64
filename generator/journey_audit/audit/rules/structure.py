"""Structure: every value has the shape :mod:`~journey_audit.audit.format_spec` gives it.

:func:`walk` goes down the format and the node tree side by side and builds the model
objects. It checks shapes and keys here; the value of a leaf of the right type (an id,
a date, a link…) is judged by :mod:`.values`. A wrong optional field is left out and
noted in ``report.damaged``, so one mistake does not hide the others.

type
    A value has the type its field asks for: a mapping, a list, text, a whole number…

    >>> from .examples import example
    >>> example("score: 3", "score: 3.5")
    a.yaml:17:18: error: 'score' must be a whole number, not '3.5' (type)
    >>> example("channel: online", "channel: online\\n        moment_of_truth: yes")
    a.yaml:15:26: error: 'moment_of_truth' must be true or false, not 'yes' (yes/no/on/off are text in YAML 1.2) (type)

required
    Every required key is there, with a value; text is not empty; a list has its items.

    >>> example("involvement: low\\n", "")
    a.yaml:1:1: error: the audit is missing required key 'involvement' (required)
    >>> example("name: Website", "name: ''")
    a.yaml:13:15: error: 'name' is empty (required)

unknown-key
    Every key is one the format knows; a near miss names the key meant.

    >>> example("channel:", "chanel:")
    a.yaml:14:9: error: unknown key 'chanel' in an item of 'touchpoints' (did you mean 'channel'?) (unknown-key)

duplicate-key
    No key is written twice: YAML would keep only the later value. Also refused while
    reading (:mod:`journey_audit.audit.yamlsource`), where two keys are the same text.

    >>> example("quality: 4", "quality: 4\\n          quality: 5")
    a.yaml:20:11: error: duplicate key 'quality' (first at line 19); the later value would silently replace the earlier one: keep one (duplicate-key)
    >>> example("involvement: low", "involvement: low\\nscale: {labels: {1: a, 01: b}}")
    a.yaml:5:24: error: key '01' of 'labels' repeats 1; keep one (duplicate-key)
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .. import format_spec as spec
from ..model import packed
from ..problems import did_you_mean
from . import values
from .rule import ERROR, INVALID, Report, Rule

if TYPE_CHECKING:
    from ..yamlsource import Node

TYPE = "type"
REQUIRED = "required"
UNKNOWN_KEY = "unknown-key"
DUPLICATE_KEY = "duplicate-key"

RULES = (
    Rule(TYPE, ERROR, "a value has the type its field asks for (mapping, list, text, number, true/false)"),
    Rule(REQUIRED, ERROR, "every required key is there with a value; text is not empty; lists have their items"),
    Rule(UNKNOWN_KEY, ERROR, "every key is one the format knows"),
    Rule(DUPLICATE_KEY, ERROR, "no key is written twice (also 1 and 01 in a mapping of scores)"),
)

_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}


def walk(report: Report, node: Node, kind: Any, what: str) -> Any:
    """Check ``node`` against ``kind``; returns the value (a model object for an Obj) or INVALID."""
    t = type(kind)
    if t is spec.Obj:
        return _obj(report, node, kind, what)
    if t is spec.ListOf:
        return _list_of(report, node, kind, what)
    if t is spec.MapOf:
        return _map_of(report, node, kind, what)
    if node.kind != "scalar":
        shape = "a list" if node.kind == "seq" else "a mapping"
        report.error(node.line, node.col, f"{what} must be {_describe(kind)}, not {shape}", TYPE)
        return INVALID
    return scalar(report, node, kind, what)


# Required leaves that only name or date something: no check across fields computes with them.
_NAMING_KINDS = (spec.Text, spec.Slug, spec.Date, spec.Enum)


def _stand_in(report: Report, kind: spec.Obj, f: spec.Field, found: dict[str, Any]) -> bool:
    """For a required field that is wrong or missing (already reported): True when the
    object can still be made, with None in its place, so that checks across fields run
    (every mistake of a file in one run); False when the object must be left out."""
    if type(f.kind) not in _NAMING_KINDS:
        return False
    report.damaged.update((f.name, kind))
    found[f.name] = None
    return True


def _obj(report: Report, node: Node, kind: spec.Obj, what: str) -> Any:
    if node.kind != "map":
        report.error(node.line, node.col, f"{what} must be a mapping of keys ({', '.join(kind.names()[:3])}, …)",
                     TYPE)
        return INVALID
    found: dict[str, Any] = {}
    pos: dict[str, int] = {}
    ok = True
    suggested: set[str] = set()  # a misspelt key is one mistake, not also a missing key
    for key, (knode, vnode) in node.value.items():
        f = kind.get(key)
        if f is None:
            hint = did_you_mean(key, kind.names())
            suggested.add(hint.partition("'")[2].partition("'")[0])
            report.error(knode.line, knode.col, f"unknown key '{key}' in {what}{hint}", UNKNOWN_KEY)
            continue
        pos[key] = packed(vnode.line, vnode.col)
        if vnode.kind == "scalar" and vnode.value is None and not vnode.quoted:
            if f.required:
                report.error(vnode.line, vnode.col, f"'{key}' needs a value", REQUIRED)
                ok = _stand_in(report, kind, f, found) and ok
            continue  # an empty optional field is the same as leaving it out
        value = walk(report, vnode, f.kind, f"'{key}'")
        if value is INVALID:
            # An optional field that is wrong is left out, so the rest can still be checked.
            if f.required:
                ok = _stand_in(report, kind, f, found) and ok
            else:
                report.damaged.add(f.name)
            continue
        if type(f.kind) is spec.MapOf:
            for k, (_, v) in vnode.value.items():
                pos[sys.intern(f"{key}.{k}")] = packed(v.line, v.col)  # the same names in every touchpoint
        elif type(f.kind) is spec.ListOf and type(f.kind.item) is spec.Slug:  # ids named in a list
            for n, item in enumerate(vnode.value):
                pos[sys.intern(f"{key}[{n}]")] = packed(item.line, item.col)
        found[key] = value
    for f in kind.fields:
        if f.required and f.name not in found and f.name not in pos:
            ok = _stand_in(report, kind, f, found) and ok
            if f.name not in suggested:
                report.error(node.line, node.col, f"{what} is missing required key '{f.name}'", REQUIRED)
    if not ok:
        return INVALID
    return kind.cls(**found, line=node.line, col=node.col, pos=pos)


def _list_of(report: Report, node: Node, kind: spec.ListOf, what: str) -> Any:
    if node.kind != "seq":
        report.error(node.line, node.col, f"{what} must be a list (items starting with '- ')", TYPE)
        return INVALID
    if len(node.value) < kind.min_items:
        report.error(node.line, node.col, f"{what} needs at least {kind.min_items} item", REQUIRED)
        return INVALID
    item_what = f"an item of {what}"
    items = [walk(report, n, kind.item, item_what) for n in node.value]
    kept = [i for i in items if i is not INVALID]
    if len(kept) < len(items):
        # Keep the valid items: errors in one touchpoint must not hide those of the others.
        report.damaged.add(kind.item)
        if len(kept) < max(1, kind.min_items):
            return INVALID
    return kept


def _map_of(report: Report, node: Node, kind: spec.MapOf, what: str) -> Any:
    if node.kind != "map":
        report.error(node.line, node.col, f"{what} must be a mapping", TYPE)
        return INVALID
    out: dict[Any, Any] = {}
    ok = True
    for key, (knode, vnode) in node.value.items():
        if type(kind.key) is spec.Int and knode.quoted and _is_int(key):
            k: Any = int(key)  # {"1": Harmful}, as JSON writes keys: the schema accepts it too
        else:
            k = scalar(report, knode, kind.key, f"key '{key}' of {what}")
        if kind.nullable and vnode.kind == "scalar" and vnode.value is None and not vnode.quoted:
            v: Any = None
        else:
            v = walk(report, vnode, kind.value, f"'{key}' in {what}")
        if k is not INVALID and k in out:  # 1 and 01 are different keys to YAML, the same score to us
            report.error(knode.line, knode.col, f"key '{key}' of {what} repeats {k}; keep one", DUPLICATE_KEY)
            ok = False
        elif k is INVALID or v is INVALID:
            ok = False
        else:
            out[k] = v
    return out if ok else INVALID


def scalar(report: Report, node: Node, kind: Any, what: str) -> Any:
    """A leaf: its type is checked here, its value by :mod:`.values`; returns the value or INVALID."""
    leaf = _LEAVES.get(type(kind))
    if leaf is None:
        raise TypeError(kind)  # a kind this walker does not know: a bug in format_spec
    return leaf(report, node, kind, what)


def _text(report: Report, node: Node, kind: Any, what: str) -> Any:
    # A number or true/false is taken as written; null (~) is no text at all.
    v = node.value
    text = v if isinstance(v, str) else "" if v is None else node.text
    if not text.strip():  # (text with an invisible character is never blank: values.text judges it)
        report.error(node.line, node.col, f"{what} is empty", REQUIRED)
        return INVALID
    return values.text(report, node, what, text)


def _bool(report: Report, node: Node, kind: Any, what: str) -> Any:
    if isinstance(node.value, bool):
        return node.value
    hint = " (yes/no/on/off are text in YAML 1.2)" if node.text in _YAML11_BOOLS else ""
    report.error(node.line, node.col, f"{what} must be true or false, not '{node.text}'{hint}", TYPE)
    return INVALID


def _int(report: Report, node: Node, kind: Any, what: str) -> Any:
    v = node.value
    if isinstance(v, int) and not isinstance(v, bool):
        return values.at_least(report, node, getattr(kind, "minimum", None), what, v)
    quoted = " (remove the quotes)" if node.quoted and _is_int(node.text) else ""
    report.error(node.line, node.col, f"{what} must be a whole number, not '{node.text}'{quoted}", TYPE)
    return INVALID


def _number(report: Report, node: Node, kind: Any, what: str) -> Any:
    v = node.value
    if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
        return values.at_least(report, node, kind.minimum, what, v)
    finite = " (.nan and .inf are not measurements)" if isinstance(v, float) else ""
    report.error(node.line, node.col, f"{what} must be a finite number, not '{node.text}'{finite}", TYPE)
    return INVALID


# Each kind of leaf: a function of (report, node, kind, what) that returns the value or INVALID.
_LEAVES: dict[type, Callable[[Report, Any, Any, str], Any]] = {
    spec.Text: _text, spec.Bool: _bool, spec.Int: _int, spec.Score: _int, spec.Number: _number,
    spec.Slug: values.slug, spec.Date: values.date, spec.Enum: values.enum, spec.Url: values.url,
}


def _describe(kind: Any) -> str:
    return {
        spec.Text: "text", spec.Slug: "an id (slug)", spec.Date: "a date (YYYY-MM-DD)", spec.Bool: "true or false",
        spec.Int: "a whole number", spec.Score: "a whole number", spec.Number: "a number",
        spec.Enum: "one word of a fixed list", spec.Url: "a link",
    }.get(type(kind), "a value")


def _is_int(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[0-9]+", text.strip()))
