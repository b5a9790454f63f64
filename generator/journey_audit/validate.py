"""Check one audit file against the format and turn it into model objects.

:func:`validate_file` never raises for bad input: it returns the audit (or None when
the file cannot be used) and every problem it found, each pointing at a line.
Cross-file rules (``previous``, duplicate slugs) live in :mod:`journey_audit.portfolio`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sys
import unicodedata
from pathlib import Path
from typing import Any

from . import format_spec as spec
from .model import DEFAULT_LABELS, DEFAULT_LABELS_ZH, Audit, packed
from .problems import ERROR, WARNING, AuditError, Problem, did_you_mean, sort_problems
from .yamlsource import Node, decode, parse_text, read_bytes

_SLUG = re.compile(spec.SLUG_PATTERN)
_DATE = re.compile(spec.DATE_PATTERN)
_INVALID = object()
MAX_SCALE_SPAN = 100
# Characters that reorder or hide text: a name could look like another (Trojan Source).
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\u061c\U000e0000-\U000e007f]")
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "Yes", "No", "On", "Off", "YES", "NO", "ON", "OFF"}


def slugify(text: str) -> str:
    """A slug from free text (ASCII letters and digits only).

    >>> slugify("Hotel Supplies Manufacturer")
    'hotel-supplies-manufacturer'
    >>> slugify("酒店用品")
    ''
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def validate_file(path: Path, display: str | None = None) -> tuple[Audit | None, list[Problem]]:
    shown = display or str(path)
    try:
        data = read_bytes(path, shown)
    except AuditError as exc:
        return None, exc.problems
    return validate_bytes(data, shown, path.stem)


def validate_bytes(data: bytes, display: str, slug: str) -> tuple[Audit | None, list[Problem]]:
    """Like :func:`validate_file`, for a file's bytes already read."""
    try:
        root = parse_text(decode(data, display), display)
    except AuditError as exc:
        return None, exc.problems
    return validate_node(root, display, slug)


def validate_text(text: str, display: str = "<string>", slug: str = "audit") -> tuple[Audit | None, list[Problem]]:
    try:
        root = parse_text(text, display)
    except AuditError as exc:
        return None, exc.problems
    return validate_node(root, display, slug)


def validate_node(root: Node, display: str, slug: str) -> tuple[Audit | None, list[Problem]]:
    checker = _Checker(display)
    if not _SLUG.match(slug):
        checker.error(1, 1, f"file name '{slug}.yaml' is not a valid audit id: use lowercase letters, digits "
                            f"and hyphens, e.g. '{slugify(slug) or 'client-2026q1'}.yaml'", "slug")
    audit = checker.walk(root, spec.AUDIT, "the audit")
    if audit is _INVALID:
        return None, sort_problems(checker.problems)
    audit.slug = slug
    audit.path = display
    checker.semantics(audit)
    problems = sort_problems(checker.problems)  # in file order, as an editor lists them
    if any(p.level == ERROR for p in problems):
        return None, problems
    return audit, problems


class _Checker:
    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        # What was left out of the model because it was wrong: checks that need it are skipped.
        self.damaged: set[Any] = set()

    def error(self, line: int, col: int, message: str, rule: str) -> None:
        self.problems.append(Problem(self.path, line, col, ERROR, message, rule))

    def warn(self, line: int, col: int, message: str, rule: str) -> None:
        self.problems.append(Problem(self.path, line, col, WARNING, message, rule))

    # -- structure ---------------------------------------------------------------

    def walk(self, node: Node, kind: Any, what: str) -> Any:
        """Check ``node`` against ``kind``; returns the value or _INVALID."""
        t = type(kind)
        if t is spec.Obj:
            return self.obj(node, kind, what)
        if t is spec.ListOf:
            return self.list_of(node, kind, what)
        if t is spec.MapOf:
            return self.map_of(node, kind, what)
        if node.kind != "scalar":
            shape = "a list" if node.kind == "seq" else "a mapping"
            self.error(node.line, node.col, f"{what} must be {_describe(kind)}, not {shape}", "type")
            return _INVALID
        return self.scalar(node, kind, what)

    def obj(self, node: Node, kind: spec.Obj, what: str) -> Any:
        if node.kind != "map":
            self.error(node.line, node.col, f"{what} must be a mapping of keys ({', '.join(kind.names()[:3])}, …)",
                       "type")
            return _INVALID
        values: dict[str, Any] = {}
        pos: dict[str, int] = {}
        ok = True
        suggested: set[str] = set()  # a misspelt key is one mistake, not also a missing key
        for key, (knode, vnode) in node.value.items():
            f = kind.get(key)
            if f is None:
                hint = did_you_mean(key, kind.names())
                suggested.add(hint.partition("'")[2].partition("'")[0])
                self.error(knode.line, knode.col, f"unknown key '{key}' in {what}{hint}", "unknown-key")
                continue
            pos[key] = packed(vnode.line, vnode.col)
            if vnode.kind == "scalar" and vnode.value is None and not vnode.quoted:
                if f.required:
                    self.error(vnode.line, vnode.col, f"'{key}' needs a value", "required")
                    ok = False
                continue  # an empty optional field is the same as leaving it out
            value = self.walk(vnode, f.kind, f"'{key}'")
            if value is _INVALID:
                # An optional field that is wrong is left out, so the rest can still be checked.
                if f.required:
                    ok = False
                else:
                    self.damaged.add(f.name)
                continue
            if type(f.kind) is spec.MapOf:
                for k, (_, v) in vnode.value.items():
                    pos[sys.intern(f"{key}.{k}")] = packed(v.line, v.col)  # the same names in every touchpoint
            values[key] = value
        for f in kind.fields:
            if f.required and f.name not in values and f.name not in pos:
                ok = False
                if f.name not in suggested:
                    self.error(node.line, node.col, f"{what} is missing required key '{f.name}'", "required")
        if not ok:
            return _INVALID
        return kind.cls(**values, line=node.line, col=node.col, pos=pos)

    def list_of(self, node: Node, kind: spec.ListOf, what: str) -> Any:
        if node.kind != "seq":
            self.error(node.line, node.col, f"{what} must be a list (items starting with '- ')", "type")
            return _INVALID
        if len(node.value) < kind.min_items:
            self.error(node.line, node.col, f"{what} needs at least {kind.min_items} item", "required")
            return _INVALID
        item_what = f"an item of {what}"
        items = [self.walk(n, kind.item, item_what) for n in node.value]
        kept = [i for i in items if i is not _INVALID]
        if len(kept) < len(items):
            # Keep the valid items: errors in one touchpoint must not hide those of the others.
            self.damaged.add(kind.item)
            if len(kept) < max(1, kind.min_items):
                return _INVALID
        return kept

    def map_of(self, node: Node, kind: spec.MapOf, what: str) -> Any:
        if node.kind != "map":
            self.error(node.line, node.col, f"{what} must be a mapping", "type")
            return _INVALID
        out: dict[Any, Any] = {}
        ok = True
        for key, (knode, vnode) in node.value.items():
            if type(kind.key) is spec.Int and knode.quoted and _is_int(key):
                k: Any = int(key)  # {"1": Harmful}, as JSON writes keys: the schema accepts it too
            else:
                k = self.scalar(knode, kind.key, f"key '{key}' of {what}")
            if kind.nullable and vnode.kind == "scalar" and vnode.value is None and not vnode.quoted:
                v: Any = None
            else:
                v = self.walk(vnode, kind.value, f"'{key}' in {what}")
            if k is not _INVALID and k in out:  # 1 and 01 are different keys to YAML, the same score to us
                self.error(knode.line, knode.col, f"key '{key}' of {what} repeats {k}; keep one", "duplicate-key")
                ok = False
            elif k is _INVALID or v is _INVALID:
                ok = False
            else:
                out[k] = v
        return out if ok else _INVALID

    def scalar(self, node: Node, kind: Any, what: str) -> Any:
        v = node.value
        t = type(kind)
        if t is spec.Text:
            # A number or true/false is taken as written; null (~) is no text at all.
            text = v if isinstance(v, str) else "" if v is None else node.text
            bad = _INVISIBLE.search(text)
            if bad:
                name = unicodedata.name(bad.group(), f"U+{ord(bad.group()):04X}")
                self.error(node.line, node.col, f"{what} contains an invisible control character "
                                                f"U+{ord(bad.group()):04X} ({name}) that can disguise text; delete it",
                           "invisible-character")
                return _INVALID
            if not text.strip():
                self.error(node.line, node.col, f"{what} is empty", "required")
                return _INVALID
            return text
        if t is spec.Slug:
            if isinstance(v, str) and _SLUG.match(v):
                return v
            text = node.text
            hint = slugify(text)
            hint = f" (e.g. '{hint}')" if hint and hint != text else ""
            self.error(node.line, node.col, f"{what} '{text}' is not a valid id: use lowercase letters, digits and "
                                            f"hyphens, starting with a letter or digit{hint}", "slug")
            return _INVALID
        if t is spec.Date:
            if isinstance(v, str) and _DATE.match(v):
                try:
                    return dt.date.fromisoformat(v)
                except ValueError:
                    pass
            self.error(node.line, node.col, f"{what} '{node.text}' is not a date: write YYYY-MM-DD, e.g. 2026-09-30",
                       "date")
            return _INVALID
        if t is spec.Bool:
            if isinstance(v, bool):
                return v
            hint = " (yes/no/on/off are text in YAML 1.2)" if node.text in _YAML11_BOOLS else ""
            self.error(node.line, node.col, f"{what} must be true or false, not '{node.text}'{hint}", "type")
            return _INVALID
        if t is spec.Int or t is spec.Score:
            if isinstance(v, int) and not isinstance(v, bool):
                minimum = getattr(kind, "minimum", None)
                if minimum is not None and v < minimum:
                    self.error(node.line, node.col, f"{what} must be {minimum} or more, not {v}", "range")
                    return _INVALID
                return v
            quoted = " (remove the quotes)" if node.quoted and _is_int(node.text) else ""
            self.error(node.line, node.col, f"{what} must be a whole number, not '{node.text}'{quoted}", "type")
            return _INVALID
        if t is spec.Number:
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v):
                if kind.minimum is not None and v < kind.minimum:
                    self.error(node.line, node.col, f"{what} must be {kind.minimum} or more, not {v}", "range")
                    return _INVALID
                return v
            self.error(node.line, node.col, f"{what} must be a number, not '{node.text}'", "type")
            return _INVALID
        if t is spec.Enum:
            if isinstance(v, str) and v in kind.values:
                return v
            self.error(node.line, node.col, f"{what} must be one of {', '.join(kind.values)}, not "
                                            f"'{node.text}'{did_you_mean(str(node.text).lower(), kind.values)}", "enum")
            return _INVALID
        if t is spec.Url:
            if isinstance(v, str) and _url_ok(v):
                return v
            self.error(node.line, node.col, f"{what} '{node.text}' is not an allowed link: use http://, https://, "
                                            "mailto: or a relative path", "url")
            return _INVALID
        raise TypeError(kind)  # a kind this walker does not know: a bug in format_spec

    # -- rules across fields -----------------------------------------------------

    def semantics(self, audit: Audit) -> None:
        if audit.client_id is None:
            audit.client_id = slugify(audit.client) or "client-" + _short_hash(audit.client)
        # Checks that need a part the structural pass had to leave out are skipped.
        scale_known = not {"scale", "min", "max"} & self.damaged
        cores_known = spec.CORE_MESSAGE not in self.damaged
        funnel_known = not ({"prospects", spec.STAGE} & self.damaged)
        scale = audit.scale
        if not scale.labels and (scale.min, scale.max) == (1, 5):
            scale.labels = dict(DEFAULT_LABELS_ZH if audit.language == "zh" else DEFAULT_LABELS)
        if scale.min >= scale.max:
            line, col = audit.at("scale")
            self.error(line, col, f"scale min ({scale.min}) must be below max ({scale.max})", "scale")
            return
        if scale.max - scale.min > MAX_SCALE_SPAN:
            # Every page draws one step per point (legends, chart ticks): keep it a rating scale.
            line, col = audit.at("scale")
            self.error(line, col, f"scale {scale.min}..{scale.max} has more than {MAX_SCALE_SPAN} steps; "
                                  "use a rating scale such as 1..5 or 0..10", "scale")
            return
        for score in scale.labels:
            if not scale.min <= score <= scale.max:
                line, col = scale.at(f"labels.{score}")
                self.error(line, col, f"label for {score}, which is outside the scale {scale.min}..{scale.max}",
                           "scale")
        w = audit.weights
        if not {"weights", "message", "consistency"} & self.damaged and abs(w.message + w.consistency - 1) > 1e-9:
            line, col = audit.at("weights")
            self.error(line, col, f"weights must add up to 1 (message {w.message} + consistency {w.consistency} "
                                  f"= {w.message + w.consistency:g})", "weights")

        self.unique(audit.core_messages, "core message")
        self.unique(audit.stages, "stage")
        self.unique([tp for _, tp in audit.touchpoints()], "touchpoint")
        core_ids = [cm.id for cm in audit.core_messages]

        def on_scale(obj: Any, name: str, value: int | None, what: str) -> None:
            if scale_known and value is not None and not scale.min <= value <= scale.max:
                line, col = obj.at(name)
                self.error(line, col, f"{what} {value} is off the scale {scale.min}..{scale.max}", "score-range")

        middle = scale.middle
        for stage, tp in audit.touchpoints():
            if tp.importance is None:
                tp.importance = scale.max
            else:
                on_scale(tp, "importance", tp.importance, "importance")
            on_scale(tp.message, "score", tp.message.score, "message score")
            suggested: set[str] = set()  # a misspelt id is one mistake, not also a missing score
            for cid, value in tp.consistency.items():
                if cid not in core_ids and cores_known:
                    line, col = tp.at(f"consistency.{cid}")
                    hint = did_you_mean(cid, core_ids)
                    suggested.add(hint.partition("'")[2].partition("'")[0])
                    self.error(line, col, f"'{cid}' is not a core message of this audit{hint}", "consistency")
                else:
                    on_scale(tp, f"consistency.{cid}", value, f"consistency score for '{cid}'")
            missing = [c for c in core_ids if c not in tp.consistency and c not in suggested and cores_known]
            if missing:
                line, col = tp.at("consistency")
                self.error(line, col, f"touchpoint '{tp.id}' does not score core message "
                                      f"{', '.join(repr(m) for m in missing)}; add a score, or `{missing[0]}: ~` "
                                      "if it does not apply", "consistency")
            elif all(v is None for v in tp.consistency.values()):
                line, col = tp.at("consistency")
                self.error(line, col, f"touchpoint '{tp.id}' scores no core message; give at least one a score",
                           "consistency")
            if tp.moment_of_truth and tp.message.score < middle and not tp.recommendations:
                self.warn(tp.line, tp.col, f"moment of truth '{tp.id}' scores {tp.message.score} on message but has "
                                           "no recommendation", "moment-of-truth")

        if funnel_known:
            self.funnel_warnings(audit)
        if audit.previous == audit.slug:
            line, col = audit.at("previous")
            self.error(line, col, "an audit cannot be its own previous audit", "previous")

    def funnel_warnings(self, audit: Audit) -> None:
        with_counts = [s for s in audit.stages if s.prospects is not None]
        if with_counts and len(with_counts) < len(audit.stages):
            line, col = audit.at("stages")
            self.warn(line, col, "only some stages give prospects; the funnel skips the others", "funnel")
        for before, after in zip(audit.stages, audit.stages[1:]):
            if before.prospects is not None and after.prospects is not None and after.prospects > before.prospects:
                line, col = after.at("prospects")
                self.warn(line, col, f"prospects grow from {before.prospects} ('{before.id}') to {after.prospects} "
                                     f"('{after.id}'); a funnel only narrows", "funnel")

    def unique(self, items: list[Any], what: str) -> None:
        seen: dict[str, Any] = {}
        for item in items:
            if item.id in seen:
                first = seen[item.id]
                line, col = item.at("id")
                self.error(line, col, f"{what} id '{item.id}' is used twice (first at line {first.at('id')[0]})",
                           "unique-id")
            else:
                seen[item.id] = item


def _describe(kind: Any) -> str:
    return {
        spec.Text: "text", spec.Slug: "an id (slug)", spec.Date: "a date (YYYY-MM-DD)", spec.Bool: "true or false",
        spec.Int: "a whole number", spec.Score: "a whole number", spec.Number: "a number",
        spec.Enum: "one word of a fixed list", spec.Url: "a link",
    }.get(type(kind), "a value")


def _is_int(text: str) -> bool:
    return bool(re.fullmatch(r"[-+]?[0-9]+", text.strip()))


def _url_ok(url: str) -> bool:
    low = url.strip().lower()
    if low.startswith(("http://", "https://")):
        return len(low) > 8 and not any(c in url for c in " \t\n\"'<>`")
    if low.startswith("mailto:"):
        return "@" in url and not any(c in url for c in " \t\n\"'<>`")
    # Relative paths only: no scheme (javascript:, data:, file:), no host, not absolute.
    if re.match(r"^[a-z][a-z0-9+.-]*:", low) or low.startswith(("/", "\\")) or not low:
        return False
    return not any(c in url for c in "\t\n\"'<>`")


def _short_hash(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
