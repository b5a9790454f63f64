"""The audit diff as text for a terminal, Markdown for a pull request, or JSON.

Each function takes the :class:`~journey_audit.review.diff.FileDiff` list that ``journey-audit
diff`` builds and only formats it: every figure and its change were computed by
:mod:`journey_audit.review.diff` from :mod:`journey_audit.figures.scoring`. Unchanged touchpoints and
stages never appear. The text form is coloured only when asked (the command asks
when standard output is a terminal and ``NO_COLOR`` is not set): blue for better or
added, red for worse or removed (a pair colour-blind readers tell apart), and every
change also carries a sign (``+``, ``-``, ``~``) so nothing depends on colour.

JSON fields
-----------
The JSON output is one object; :data:`JSON_VERSION` changes only when a field is
renamed, removed or changes meaning (new fields may be added). Text is UTF-8,
never ``\\u`` escaped. Lists are in the new audit's order, removed items last.

* ``version``: 1.
* ``files``: one object per compared file:

  * ``status``: ``modified``, ``renamed``, ``added`` or ``removed``.
  * ``old_label``, ``new_label``: how each side was named (``HEAD~1:audits/a.yaml``,
    a path), null for a missing side.
  * ``old``, ``new``: each valid side's ``slug``, ``title``, ``client``, ``date``
    (YYYY-MM-DD), ``score_text`` (overall, as shown) and ``touchpoints`` (count); null
    when the side is missing or invalid.
  * ``problems``: why a side could not be compared: ``path``, ``line``, ``col``,
    ``level``, ``message``, ``rule`` (as ``journey-audit validate`` reports them).
  * ``diff``: null unless both sides are valid audits; else:

    * ``changed``: false when the two versions hold the same data.
    * ``counts``: touchpoints ``added``, ``removed``, ``changed``, and of those
      ``moved`` (another stage) and ``renamed`` (same id, another name).
    * ``metadata``: changed audit fields, each ``field`` (``title``, ``status``,
      ``scale.max``, ``weights.message``, …), ``old`` and ``new`` (text, null when absent).
    * ``core_messages``: ``id``, ``status`` (added, removed, changed), ``text``,
      ``old_text`` (set when reworded).
    * ``figures``: the audit's ``score``, ``message``, ``consistency`` and ``funnel``
      (first to last stage), always, changed or not. Every figure object has
      ``name``; ``kind`` (``score``: a whole number as written; ``figure``: one
      decimal; ``percent``); ``old`` and ``new``: numbers *as shown* (a percentage
      as its number of percent), null when absent; ``old_text``, ``new_text``: as
      shown (``–`` when absent); ``delta``: the difference of the shown values (in
      percentage points for a percent), null when a side is absent; ``delta_text``
      (``+0.2``, ``-1``, ``±0.0``, ``+1.5 pp``); ``better``: 1 improvement, -1 decline,
      0 neither (a smaller ``gap`` is better); ``changed``: the shown value changed.
    * ``segment_figures`` (format 1.1, only when either version has segments, directions
      or appeals): ``segment <id>`` (the segment's score), ``inbound share`` and
      ``appeal fit``, as figure objects, changed or not.
    * ``stages``: changed stages: ``id``, ``status``, ``name``, ``old_name`` (set when
      renamed), ``fields`` (``prospects``), ``figures`` (changed ``score``,
      ``message``, ``consistency``, ``conversion`` to the next stage; all of them
      for an added or removed stage).
    * ``stage_order``: ``{"old": [...], "new": [...]}`` stage ids kept in both, when
      their order changed; else null.
    * ``touchpoints``: changed touchpoints only: ``id``, ``status``, ``name``,
      ``old_name``, ``stage``, ``old_stage`` (set when moved), ``moment_of_truth``,
      ``fields`` (``channel``, ``owner``, ``importance``, ``message.observed``, …),
      ``scores`` (figure objects: ``message``, ``consistency.<core message id>``,
      ``consistency``, ``score``, ``gap``; only changed ones, all for an added or
      removed touchpoint), ``recommendations`` and ``evidence``: each ``status``,
      ``text`` (a recommendation's text, evidence's title), ``old_text`` (set when
      reworded) and ``fields`` (``priority``, ``effort``, ``owner``, ``due``, ``url``).
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from typing import Any, Sequence

from ..figures.scoring import round1
from ..textwidth import pad, width
from .diff_model import (
    ADDED,
    CHANGED,
    REMOVED,
    AuditDiff,
    FieldChange,
    FigureChange,
    FileDiff,
    ItemChange,
    TouchpointDiff,
)

JSON_VERSION = 1

_NAMES = {"score": "overall"}
_MARK = {ADDED: "+", REMOVED: "-", CHANGED: "~"}
_SHORT = 60  # values wider than this (or on several lines) are shown as before/after lines


# -- text --------------------------------------------------------------------------------

class _Style:
    """ANSI styling, or none at all."""

    CODES = {"bold": "1", "dim": "2", "better": "34", "worse": "31", "added": "34", "removed": "31"}

    def __init__(self, color: bool):
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        if not self.color or not text or style not in self.CODES:
            return text
        return f"\x1b[{self.CODES[style]}m{text}\x1b[0m"

    def delta(self, f: FigureChange) -> str:
        return self(f.delta_text, "better" if f.better > 0 else "worse" if f.better < 0 else "dim")

    def mark(self, status: str) -> str:
        return self(_MARK[status], {ADDED: "added", REMOVED: "removed"}.get(status, "bold"))


def _one_line(value: str | None) -> bool:
    return value is None or ("\n" not in value.strip("\n") and width(value) <= _SHORT)


def _show(value: str | None) -> str:
    return "–" if value is None else value.strip("\n")


def format_text(files: Sequence[FileDiff], color: bool = False) -> str:
    """The diff for a terminal (one block per file; blank lines between files)."""
    st = _Style(color)
    blocks = [_text_file(f, st) for f in files]
    return "\n\n".join(blocks) + "\n" if blocks else "no audit changed\n"


def _text_file(f: FileDiff, st: _Style) -> str:
    out: list[str] = []
    if f.status == "added":
        out.append(st(f"{_MARK[ADDED]} added audit {f.new_label}", "added"))
    elif f.status == "removed":
        out.append(st(f"{_MARK[REMOVED]} removed audit {f.old_label}", "removed"))
    elif f.status == "renamed":
        out.append(st(f"renamed {f.old_label} → {f.new_label}", "bold"))
    else:
        same = f.old_label == f.new_label
        out.append(st(f"{f.old_label}" if same else f"{f.old_label} → {f.new_label}", "bold"))
    for p in f.problems:
        out.append(f"  {p.format()}")
    if f.problems:
        out.append("  (cannot compare: the audit above does not validate)")
    info = f.new or f.old
    if info is not None:
        out.append(f"  {info.title} ({info.slug}, {info.date})")
    if f.diff is None:
        if f.status in ("added", "removed") and info is not None:
            out.append(f"  overall {info.score_text}, {info.touchpoints} touchpoints")
        return "\n".join(out)
    d = f.diff
    if not d.changed:
        out.append(st("  no change in the audit's data (only layout, comments or order)", "dim"))
        return "\n".join(out)
    out += _text_section("Figures", [(_NAMES.get(x.name, x.name), x) for x in d.figures + d.segment_figures], st)
    if d.metadata:
        out.append(st("Metadata", "bold"))
        out += _text_rows([], d.metadata, 2, st)
    if d.core_messages:
        out.append(st("Core messages", "bold"))
        for c in d.core_messages:
            text = f"{_show(c.old_text)} → {c.text}" if c.old_text is not None else c.text
            out.append(f"  {st.mark(c.status)} {c.id}: {text}" + (" (removed)" if c.status == REMOVED else ""))
    if d.stages or d.stage_order:
        out.append(st("Stages", "bold"))
        for s in d.stages:
            extra = f" (renamed from {s.old_name})" if s.old_name else ""
            out.append(f"  {st.mark(s.status)} {s.id} {s.name}{extra}" + _status_word(s.status))
            out += _text_rows([(x.name, x) for x in s.figures], s.fields, 6, st)
        if d.stage_order:
            out.append(f"  order: {', '.join(d.stage_order[0])} → {', '.join(d.stage_order[1])}")
    if d.touchpoints:
        out.append(st("Touchpoints", "bold") + f": {_counts_text(d)}")
        for t in d.touchpoints:
            out += _text_touchpoint(t, st)
    return "\n".join(out)


def _status_word(status: str) -> str:
    return {ADDED: " (added)", REMOVED: " (removed)"}.get(status, "")


def _text_section(title: str, rows: list[tuple[str, FigureChange]], st: _Style) -> list[str]:
    return [st(title, "bold")] + _text_rows(rows, [], 2, st, dim_unchanged=True)


def _text_rows(figures: list[tuple[str, FigureChange]], fields: Sequence[FieldChange], indent: int, st: _Style,
               dim_unchanged: bool = False) -> list[str]:
    """Figures (old → new, change) and written values (old → new) under one column of names."""
    names = [n for n, _ in figures] + [c.field for c in fields]
    if not names:
        return []
    lead, size = " " * indent, max(width(n) for n in names) + 2
    values = [f"{f.old_text} → {f.new_text}" for _, f in figures]
    vsize = max((width(v) for v in values), default=0) + 2
    out = []
    for (name, f), value in zip(figures, values):
        line = lead + pad(name, size) + pad(value, vsize) + st.delta(f)
        out.append(st(line, "dim") if dim_unchanged and not f.changed else line)
    for c in fields:
        if _one_line(c.old) and _one_line(c.new):
            out.append(lead + pad(c.field, size) + f"{_show(c.old)} → {_show(c.new)}")
            continue
        out.append(lead + c.field)
        for mark, value, style in (("-", c.old, "removed"), ("+", c.new, "added")):
            lines = _show(value).split("\n")
            out.append(lead + "  " + st(f"{mark} {lines[0]}", style))
            out += [lead + "    " + st(x, style) if x else "" for x in lines[1:]]
    return out


def _counts_text(d: AuditDiff) -> str:
    c = d.counts()
    parts = [f"{c[k]} {k}" for k in (CHANGED, ADDED, REMOVED) if c[k]]
    return ", ".join(parts)


def _where(t: TouchpointDiff) -> str:
    return f"({t.stage}" + (", moment of truth" if t.moment_of_truth else "") + ")"


def _brief(scores: Sequence[FigureChange], old: bool = False) -> str:
    pick = {"message", "consistency", "score", "gap"}
    return ", ".join(f"{s.name} {s.old_text if old else s.new_text}" for s in scores if s.name in pick)


def _text_touchpoint(t: TouchpointDiff, st: _Style) -> list[str]:
    head = f"  {st.mark(t.status)} {t.id} {t.name} {_where(t)}"
    if t.status == ADDED:
        return [head + ": " + st(_brief(t.scores), "added")]
    if t.status == REMOVED:
        return [head + ": " + st("removed; was " + _brief(t.scores, old=True), "removed")]
    out = [head]
    moves: list[FieldChange] = []
    if t.old_stage:
        moves.append(FieldChange("stage", t.old_stage, t.stage))
    if t.old_name:
        moves.append(FieldChange("name", t.old_name, t.name))
    out += _text_rows([(s.name, s) for s in t.scores], [*moves, *t.fields], 6, st)
    for r in t.recommendations:
        out += _text_item("recommendation", r, st)
    for e in t.evidence:
        out += _text_item("evidence", e, st)
    return out


def _text_item(kind: str, item: ItemChange, st: _Style) -> list[str]:
    style = {ADDED: "added", REMOVED: "removed"}.get(item.status, "")
    details = ", ".join(f"{c.field} {_show(c.old)} → {_show(c.new)}" if c.old is not None else f"{c.field} {c.new}"
                        for c in item.fields)
    text = item.text if item.old_text is None else f"{item.old_text} → {item.text}"
    line = f"      {_MARK[item.status]} {kind}: {text}" + (f" ({details})" if details else "")
    return [st(line, style) if style else line]


# -- Markdown ----------------------------------------------------------------------------

_MD_SPECIAL = set("\\`*_[]<>|#~!")


def md_escape(text: str) -> str:
    """Text that Markdown shows as written (line breaks become ``<br>``).

    >>> md_escape("a*b* | <c> 展会")
    'a\\\\*b\\\\* \\\\| \\\\<c\\\\> 展会'
    """
    out = "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in text.strip("\n"))
    return out.replace("\r\n", "\n").replace("\n", "<br>")


def _code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


def format_markdown(files: Sequence[FileDiff]) -> str:
    """The diff as GitHub-flavoured Markdown, for a pull-request comment."""
    if not files:
        return "No audit changed.\n"
    return "\n\n".join(_md_file(f) for f in files) + "\n"


def _md_figure(f: FigureChange) -> str:
    return f"{f.old_text} → {f.new_text} ({f.delta_text})"


def _md_file(f: FileDiff) -> str:
    info = f.new or f.old
    title = f"### {md_escape(info.title)} ({_code(info.slug)})" if info else f"### {_code(f.new_label or f.old_label)}"
    out = [title, ""]
    if f.status == "added":
        out.append(f"Added: {_code(f.new_label)}")
    elif f.status == "removed":
        out.append(f"Removed: {_code(f.old_label)}")
    elif f.old_label == f.new_label:
        out.append(_code(f.old_label))
    else:
        out.append(f"{_code(f.old_label)} → {_code(f.new_label)}")
    if f.problems:
        out += ["", "Cannot compare: this side does not validate.", "", "```"]
        out += [p.format() for p in f.problems]
        out.append("```")
    if f.diff is None:
        if f.status in ("added", "removed") and info is not None:
            out += ["", f"Overall {info.score_text}, {info.touchpoints} touchpoints."]
        return "\n".join(out)
    d = f.diff
    if not d.changed:
        out += ["", "No change in the audit's data (only layout, comments or order)."]
        return "\n".join(out)
    overall = d.figures[0]
    counts = _counts_text(d)
    out += ["", f"**Overall {_md_figure(overall)}**" + (f" · touchpoints: {counts}" if counts else ""), "",
            "| Figure | Before | After | Change |", "| --- | ---: | ---: | ---: |"]
    out += [f"| {_NAMES.get(x.name, x.name)} | {x.old_text} | {x.new_text} | {x.delta_text} |"
            for x in d.figures + d.segment_figures]
    if d.metadata:
        out += ["", "**Metadata**", ""] + _md_fields(d.metadata, "")
    if d.core_messages:
        out += ["", "**Core messages**", ""]
        for c in d.core_messages:
            text = md_escape(c.text) if c.old_text is None else f"{md_escape(c.old_text)} → {md_escape(c.text)}"
            out.append(f"- {c.status} {_code(c.id)}: {text}")
    if d.stages or d.stage_order:
        out += ["", "**Stages**", ""]
        for s in d.stages:
            figures = ", ".join(f"{x.name} {_md_figure(x)}" if s.status == CHANGED else f"{x.name} "
                                f"{x.new_text if s.status == ADDED else x.old_text}" for x in s.figures)
            renamed = f" (renamed from {md_escape(s.old_name)})" if s.old_name else ""
            status = f" — {s.status}" if s.status != CHANGED else ""
            out.append(f"- **{md_escape(s.id)}** {md_escape(s.name)}{renamed}{status}" + (f": {figures}" if figures else ""))
            out += _md_fields(s.fields, "  ")
        if d.stage_order:
            out.append(f"- order: {', '.join(d.stage_order[0])} → {', '.join(d.stage_order[1])}")
    if d.touchpoints:
        out += ["", "**Touchpoints**", ""]
        for t in d.touchpoints:
            out += _md_touchpoint(t)
    return "\n".join(out)


def _md_fields(fields: Sequence[FieldChange], indent: str) -> list[str]:
    out = []
    for c in fields:
        if _one_line(c.old) and _one_line(c.new):
            out.append(f"{indent}- {c.field}: {md_escape(_show(c.old))} → {md_escape(_show(c.new))}")
        else:
            out += [f"{indent}- {c.field}:", f"{indent}  - before: {md_escape(_show(c.old))}",
                    f"{indent}  - after: {md_escape(_show(c.new))}"]
    return out


def _md_touchpoint(t: TouchpointDiff) -> list[str]:
    where = f"({md_escape(t.stage)}" + (", moment of truth" if t.moment_of_truth else "") + ")"
    name = f"**{md_escape(t.id)}** {md_escape(t.name)} {where}"
    if t.status == ADDED:
        return [f"- {name} — added: {_brief(t.scores)}"]
    if t.status == REMOVED:
        return [f"- ~~{name}~~ — removed; was {_brief(t.scores, old=True)}"]
    scores = ", ".join(f"{s.name} {_md_figure(s)}" for s in t.scores)
    out = [f"- {name}" + (f": {scores}" if scores else "")]
    moves = []
    if t.old_stage:
        moves.append(FieldChange("stage", t.old_stage, t.stage))
    if t.old_name:
        moves.append(FieldChange("name", t.old_name, t.name))
    out += _md_fields([*moves, *t.fields], "  ")
    for kind, items in (("recommendation", t.recommendations), ("evidence", t.evidence)):
        for item in items:
            text = md_escape(item.text) if item.old_text is None else \
                f"{md_escape(item.old_text)} → {md_escape(item.text)}"
            details = ", ".join(f"{c.field} {md_escape(_show(c.old))} → {md_escape(_show(c.new))}"
                                if c.old is not None else f"{c.field} {md_escape(_show(c.new))}" for c in item.fields)
            out.append(f"  - {kind} {item.status}: {text}" + (f" ({details})" if details else ""))
    return out


# -- JSON --------------------------------------------------------------------------------

def _number(f: FigureChange, value: Any) -> Any:
    """A figure as the pages show it, as a JSON number (None stays null)."""
    if value is None:
        return None
    if f.kind == "score":
        return value
    shown = round1(Fraction(value) * 100 if f.kind == "percent" else value)
    return float(shown)


def _figure_json(f: FigureChange) -> dict[str, Any]:
    d = f.delta
    return {"name": f.name, "kind": f.kind, "old": _number(f, f.old), "new": _number(f, f.new),
            "old_text": f.old_text, "new_text": f.new_text,
            "delta": None if d is None else (d if isinstance(d, int) else float(Decimal(d))),
            "delta_text": f.delta_text, "better": f.better, "changed": f.changed}


def _field_json(c: FieldChange) -> dict[str, Any]:
    return {"field": c.field, "old": c.old, "new": c.new}


def _item_json(i: ItemChange) -> dict[str, Any]:
    return {"status": i.status, "text": i.text, "old_text": i.old_text, "fields": [_field_json(c) for c in i.fields]}


def diff_json(d: AuditDiff) -> dict[str, Any]:
    """One :class:`AuditDiff` as JSON-ready data (see ``docs/diff-json.md``)."""
    return {
        "changed": d.changed,
        "counts": d.counts(),
        "metadata": [_field_json(c) for c in d.metadata],
        "core_messages": [{"id": c.id, "status": c.status, "text": c.text, "old_text": c.old_text}
                          for c in d.core_messages],
        "figures": [_figure_json(f) for f in d.figures],
        **({"segment_figures": [_figure_json(f) for f in d.segment_figures]} if d.segment_figures else {}),
        "stages": [{"id": s.id, "status": s.status, "name": s.name, "old_name": s.old_name,
                    "fields": [_field_json(c) for c in s.fields], "figures": [_figure_json(f) for f in s.figures]}
                   for s in d.stages],
        "stage_order": None if d.stage_order is None else {"old": list(d.stage_order[0]),
                                                            "new": list(d.stage_order[1])},
        "touchpoints": [{"id": t.id, "status": t.status, "name": t.name, "old_name": t.old_name,
                         "stage": t.stage, "old_stage": t.old_stage, "moment_of_truth": t.moment_of_truth,
                         "fields": [_field_json(c) for c in t.fields], "scores": [_figure_json(f) for f in t.scores],
                         "recommendations": [_item_json(i) for i in t.recommendations],
                         "evidence": [_item_json(i) for i in t.evidence]}
                        for t in d.touchpoints],
    }


def _info_json(info: Any) -> dict[str, Any] | None:
    if info is None:
        return None
    return {"slug": info.slug, "title": info.title, "client": info.client, "date": info.date,
            "score_text": info.score_text, "touchpoints": info.touchpoints}


def format_json(files: Sequence[FileDiff]) -> str:
    """The diff as JSON (UTF-8 text, Chinese unescaped, keys in a fixed order)."""
    doc = {"version": JSON_VERSION, "files": [
        {"status": f.status, "old_label": f.old_label, "new_label": f.new_label,
         "old": _info_json(f.old), "new": _info_json(f.new),
         "problems": [{"path": p.path, "line": p.line, "col": p.col, "level": p.level, "message": p.message,
                       "rule": p.rule} for p in f.problems],
         "diff": diff_json(f.diff) if f.diff is not None else None}
        for f in files]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


FORMATS = {"text": format_text, "markdown": format_markdown, "json": format_json}


def render(files: Sequence[FileDiff], style: str = "text", color: bool = False) -> str:
    """The diff in one of :data:`FORMATS`; ``color`` applies to text only."""
    return format_text(files, color) if style == "text" else FORMATS[style](files)
