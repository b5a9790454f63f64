"""The "Changes since …" section of an audit page: what moved since the previous round.

Made from the same :func:`journey_audit.review.diff.diff_audits` as ``journey-audit diff``, so
the page and the pull-request comment agree to the digit: every figure, before, after
and change, is the diff's text (``fmt``/``fmt_delta`` of :mod:`scoring`); nothing is
computed here. The diff is taken between the *public* views of both rounds
(:func:`journey_audit.site.publish.public_view`), so internal notes never show, even in a
build that publishes them elsewhere.

What a consultant reads, in the audit's language: the headline figures before → after;
the stage figures that changed; touchpoints added, removed, moved to another stage,
renamed, or with another importance, channel, owner, message type or moment-of-truth
flag; every touchpoint whose scores changed (message, each consistency score,
consistency, score, gap); recommendations added, removed or changed; core messages
added, removed or reworded; and a warning when the scale or the weights changed (the
scores then do not compare). Changed wording of the observed message, the method or
the notes is left to the touchpoint's own section. Touchpoints that are still in the
audit link to their section (``#tp-<id>``). Audit text is escaped.

>>> from journey_audit.audit.validate import validate_text
>>> text = '''
... title: T
... client: C
... date: 2026-01-01
... involvement: low
... core_messages: [{id: q, text: Quality}]
... stages: [{id: s, name: Search, touchpoints: [{id: fair, name: "Fair <b>", channel: event,
...           message: {intended: I, score: 2}, consistency: {q: 3}, internal_notes: SECRET}]}]
... '''
>>> old, _ = validate_text(text, slug="a")
>>> new, _ = validate_text(text.replace("score: 2", "score: 4").replace("SECRET", "SECRET2"), slug="b")
>>> html = changes_section(changes_between(old, new), old, new, "en", "../a/")
>>> "2.5 → 3.5" in html, "+1.0" in html, "Fair &lt;b&gt;" in html, "SECRET" in html
(True, True, True, False)
"""

from __future__ import annotations

from typing import Iterable, Sequence

from ..audit.model import Audit
from ..figures.scoring import AuditFigures, compute
from ..labels import label
from ..review.diff import diff_audits
from ..review.diff_model import (
    ADDED,
    CHANGED,
    REMOVED,
    AuditDiff,
    FieldChange,
    FigureChange,
    ItemChange,
    TouchpointDiff,
)
from .escape import text as esc
from .page_html import status_label
from .publish import public_view

# Written values of a touchpoint shown when they change (the rest is in its own section).
TOUCHPOINT_FIELDS = ("importance", "moment_of_truth", "channel", "message_type", "owner",
                     "direction", "trigger", "segments", "message.appeal")  # the last four: format 1.1
_FIGURE_LABELS = {"score": "overall", "message": "message", "consistency": "consistency",
                  "funnel": "funnel_conversion", "conversion": "next_stage"}
_SCORE_COLUMNS = ("message", "consistency", "score", "gap")
_MARKS = {ADDED: "+", REMOVED: "−", CHANGED: "~"}


def changes_between(old: Audit, new: Audit, figures: tuple[AuditFigures, AuditFigures] | None = None) -> AuditDiff:
    """The diff the section shows: between the public views of ``old`` and ``new``.

    ``figures``: the two audits' figures when the caller has them already.
    """
    # Figures do not depend on the fields public_view drops: take them from the audits given.
    return diff_audits(public_view(old), public_view(new), figures or (compute(old), compute(new)))


def heading(old: Audit, lang: str) -> str:
    """The section's title, naming the previous round by its date.

    >>> import datetime as dt
    >>> heading(Audit("T", "C", dt.date(2026, 3, 31), "high", [], []), "en")
    'Changes since 2026-03-31'
    """
    return label("changes_since", lang).format(date=old.date.isoformat())


def changes_section(diff: AuditDiff, old: Audit, new: Audit, lang: str, previous_href: str) -> str:
    """The section's HTML (without its heading); ``previous_href`` links the previous round."""
    names = _Names(old, new, lang)
    link = f'<a href="{esc(previous_href)}">{esc(old.title)}</a>'
    lead = esc(label("changes_lead", lang)).format(previous=link, date=esc(old.date.isoformat()))
    counts = diff.counts()
    if any(counts.values()):
        lead += " " + esc(label("changes_counts", lang).format(**counts))
    parts = [f'<p class="ja-lead">{lead}</p>']
    if not diff.changed:
        parts.append(f'<p class="ja-hint">{esc(label("changes_none", lang))}</p>')
        return _wrap(new, parts)
    comparable = {c.field for c in diff.metadata} & {"scale.min", "scale.max", "weights.message",
                                                      "weights.consistency"}
    if comparable:
        parts.append(f'<div class="ja-changes-warning" role="note"><p>{esc(label("changes_scale", lang))} '
                     + esc(", ".join(_metadata_text(c) for c in diff.metadata if c.field in comparable))
                     + "</p></div>")
    parts.append(_figures_table(diff.figures, lang))
    parts.append(_stages(diff, names, lang))
    parts.append(_touchpoint_lists(diff.touchpoints, names, lang))
    parts.append(_scores_table(diff.touchpoints, names, lang))
    parts.append(_recommendations(diff.touchpoints, names, lang))
    parts.append(_core_messages(diff, lang))
    return _wrap(new, [p for p in parts if p])


# -- pieces ------------------------------------------------------------------------------

class _Names:
    """Names of stages, touchpoints and core messages, as each round wrote them."""

    def __init__(self, old: Audit, new: Audit, lang: str):
        self.lang = lang
        self.old_stages = {s.id: s.name for s in old.stages}
        self.new_stages = {s.id: s.name for s in new.stages}
        self.core = {cm.id: cm.text for cm in old.core_messages}
        self.core.update({cm.id: cm.text for cm in new.core_messages})
        self.current = {tp.id for _, tp in new.touchpoints()}

    def stage(self, stage_id: str, old: bool = False) -> str:
        first, second = (self.old_stages, self.new_stages) if old else (self.new_stages, self.old_stages)
        return esc(first.get(stage_id) or second.get(stage_id) or stage_id)

    def touchpoint(self, t: TouchpointDiff) -> str:
        """The touchpoint's name, linked to its section while it is still in the audit."""
        star = "★ " if t.moment_of_truth else ""
        if t.id in self.current and t.status != REMOVED:
            return f'<a href="#tp-{esc(t.id)}">{star}{esc(t.name)}</a>'
        return f"{star}{esc(t.name)}"


def _colon(subject: str, found: str, lang: str) -> str:
    """"subject: found" in ``lang`` (both already HTML)."""
    return esc(label("subject_found", lang)).format(subject=subject, found=found)


def _parens(inner: str, lang: str, cls: str = "ja-where") -> str:
    """" (inner)" in ``lang`` (already HTML), quieter than the text around it."""
    return f'<span class="{cls}">{esc(label("in_parens", lang)).format(text=inner)}</span>'


def _wrap(new: Audit, parts: Sequence[str]) -> str:
    lang = f' lang="{esc(new.language)}"' if new.language else ""
    # data-search-exclude (Material): the section names many touchpoints; in the search
    # index it would outrank each touchpoint's own section. A <section>, because Material
    # ends the exclusion at the first end tag of the same name, and the tables are in <div>s.
    return f'<section class="ja-changes" data-search-exclude{lang}>\n' + "\n".join(parts) + "\n</section>"


def _metadata_text(c: FieldChange) -> str:
    return f"{c.field} {c.old or '–'} → {c.new or '–'}"


def _delta(f: FigureChange, lang: str) -> str:
    """The change with its sign; better/worse as a class (colour) and in words (tooltip)."""
    if f.delta is None:
        return '<span class="ja-delta">–</span>'
    cls, word = {1: ("ja-better", "better"), -1: ("ja-worse", "worse")}.get(f.better, ("ja-same", "unchanged"))
    return f'<span class="ja-delta {cls}" title="{esc(label(word, lang))}">{esc(f.delta_text)}</span>'


def _before_after(f: FigureChange, lang: str) -> str:
    return (f'<span class="ja-before-after">{esc(f.old_text)} → {esc(f.new_text)}</span> '
            + _delta(f, lang))


def _table(head: Iterable[str], rows: Iterable[str], cls: str, caption: str = "") -> str:
    ths = "".join(f'<th scope="col">{esc(h)}</th>' for h in head)
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (f'<div class="ja-table-wrap {cls}"><table>{cap}\n<thead><tr>{ths}</tr></thead>\n<tbody>\n'
            + "\n".join(rows) + "\n</tbody></table></div>")


def _subhead(key: str, lang: str) -> str:
    return f'<p class="ja-subhead">{esc(label(key, lang))}</p>'


def _figures_table(figures: Sequence[FigureChange], lang: str) -> str:
    rows = [f'<tr data-figure="{esc(f.name)}"><th scope="row">{esc(label(_FIGURE_LABELS[f.name], lang))}</th>'
            f'<td class="ja-num">{esc(f.old_text)}</td><td class="ja-num">{esc(f.new_text)}</td>'
            f'<td class="ja-num">{_delta(f, lang)}</td></tr>' for f in figures]
    head = (label("figure", lang), label("before", lang), label("after", lang), label("change", lang))
    return _table(head, rows, "ja-changes-figures")


def _stages(diff: AuditDiff, names: _Names, lang: str) -> str:
    if not diff.stages and not diff.stage_order:
        return ""
    columns = ("score", "message", "consistency", "conversion")
    rows = []
    for s in diff.stages:
        name = names.stage(s.id, old=s.status == REMOVED)
        if s.old_name:
            name += _parens(esc(label("renamed_from", lang).format(name=s.old_name)), lang, "ja-was")
        if s.status != CHANGED:
            name += f' <span class="ja-status ja-status-{s.status}">{esc(label("change_" + s.status, lang))}</span>'
        by_name = {f.name: f for f in s.figures}

        def cell(name: str) -> str:
            if name not in by_name:
                return ""
            f = by_name[name]
            # An added or removed stage has one side only: its figure, as the status says.
            if s.status != CHANGED:
                return esc(f.new_text if s.status == ADDED else f.old_text)
            return _before_after(f, lang)

        cells = "".join(f"<td>{cell(c)}</td>" for c in columns)
        rows.append(f'<tr data-stage="{esc(s.id)}"><th scope="row">{name}</th>{cells}</tr>')
    out = [_subhead("changes_stages", lang)]
    if rows:
        head = (label("stage", lang), label("score", lang), label("message", lang), label("consistency", lang),
                label("next_stage", lang))
        out.append(_table(head, rows, "ja-changes-stages", label("changes_only_changed", lang)))
    if diff.stage_order:
        old, new = diff.stage_order
        order = " → ".join(names.stage(i) for i in new)
        out.append(f'<p class="ja-changes-order">{esc(label("changes_stage_order", lang))} {order}</p>')
    return "\n".join(out)


def _field_name(name: str, lang: str) -> str:
    """A touchpoint field as the page names it; an auditor's own score (``ratings.<auditor>.message``,
    ``ratings.<auditor>.consistency.<id>``; names may hold dots, ids do not) by auditor.

    >>> _field_name("ratings.Dr. Li.consistency.quality", "en"), _field_name("ratings.Li.message", "zh")
    ("Dr. Li's own score (quality)", 'Li 的独立评分（信息）')
    """
    if not name.startswith("ratings."):
        return label(name.removeprefix("message."), lang)  # message.appeal: "Appeal"
    rest = name[len("ratings."):]
    if rest.endswith(".message"):
        auditor, what = rest[:-len(".message")], label("message", lang)
    else:
        auditor, _, what = rest.rpartition(".consistency.")
    return label("rating_by", lang).format(auditor=auditor, what=what)


def _field_value(name: str, value: str | None, lang: str) -> str:
    if value is None:
        return "–"
    if name == "moment_of_truth":
        return label("yes" if value == "true" else "no", lang)
    if name in ("channel", "message_type", "direction", "trigger", "message.appeal"):
        return label(f"{name.removeprefix('message.')}_{value}", lang)
    return value


def _touchpoint_lists(tps: Sequence[TouchpointDiff], names: _Names, lang: str) -> str:
    out = []

    def section(key: str, items: list[str]) -> None:
        if items:
            out.append(f'{_subhead(key, lang)}<ul class="ja-changes-list ja-changes-{key.removeprefix("changes_")}">'
                       + "".join(items) + "</ul>")

    def score_of(t: TouchpointDiff, old: bool) -> str:
        f = next(s for s in t.scores if s.name == "score")
        return esc(f.old_text if old else f.new_text)

    section("changes_added", [
        f'<li data-tp="{esc(t.id)}">{names.touchpoint(t)}'
        + _parens(f'{names.stage(t.stage)} · {esc(label("score_now", lang))} {score_of(t, False)}', lang) + "</li>"
        for t in tps if t.status == ADDED])
    section("changes_removed", [
        f'<li data-tp="{esc(t.id)}">{names.touchpoint(t)}'
        + _parens(f'{names.stage(t.stage, old=True)} · {esc(label("score_was", lang))} {score_of(t, True)}', lang)
        + "</li>" for t in tps if t.status == REMOVED])
    section("changes_moved", [
        f'<li data-tp="{esc(t.id)}">'
        + _colon(names.touchpoint(t), f"{names.stage(t.old_stage, old=True)} → {names.stage(t.stage)}", lang)
        + "</li>" for t in tps if t.old_stage])
    section("changes_renamed", [
        f'<li data-tp="{esc(t.id)}">{esc(t.old_name)} → {names.touchpoint(t)}</li>' for t in tps if t.old_name])
    details = []
    for t in tps:
        fields = [c for c in t.fields if c.field in TOUCHPOINT_FIELDS or c.field.startswith("ratings.")] \
            if t.status == CHANGED else []
        if fields:
            text = label("clause_sep", lang).join(f"{_field_name(c.field, lang)} {_field_value(c.field, c.old, lang)} → "
                                                  f"{_field_value(c.field, c.new, lang)}" for c in fields)
            details.append(f'<li data-tp="{esc(t.id)}">{_colon(names.touchpoint(t), esc(text), lang)}</li>')
    section("changes_details", details)
    return "\n".join(out)


def _scores_table(tps: Sequence[TouchpointDiff], names: _Names, lang: str) -> str:
    rows = []
    for t in tps:
        if t.status != CHANGED or not t.scores:
            continue
        by_name = {s.name: s for s in t.scores}
        per_core = [s for s in t.scores if s.name.startswith("consistency.")]
        cells = []
        for column in _SCORE_COLUMNS:
            cell = _before_after(by_name[column], lang) if column in by_name else ""
            if column == "consistency" and per_core:
                items = "".join("<li>" + _colon(esc(names.core.get(s.name.split(".", 1)[1], s.name)),
                                                _before_after(s, lang), lang) + "</li>" for s in per_core)
                cell += f'<ul class="ja-per-core">{items}</ul>'
            cells.append(f'<td data-score="{column}">{cell}</td>')
        rows.append(f'<tr data-tp="{esc(t.id)}"><th scope="row">{names.touchpoint(t)}</th>{"".join(cells)}</tr>')
    if not rows:
        return ""
    head = (label("touchpoint", lang), label("message", lang), label("consistency", lang), label("score", lang),
            label("gap", lang))
    return _subhead("changes_scores", lang) + "\n" + _table(head, rows, "ja-changes-scores",
                                                            label("changes_only_changed", lang))


def _item(i: ItemChange, lang: str) -> str:
    text = esc(i.text) if i.old_text is None else f"{esc(i.old_text)} → {esc(i.text)}"
    details = []
    for c in i.fields:
        name = label(c.field, lang)
        if c.field == "priority" or c.field == "effort":
            old, new = (label(f"level_{v}", lang) if v else "–" for v in (c.old, c.new))
        elif c.field == "status":  # format 1.1
            old, new = (status_label(v, lang) if v else "–" for v in (c.old, c.new))
        else:
            old, new = c.old or "–", c.new or "–"
        details.append(f"{name} {new}" if c.old is None else f"{name} {old} → {new}")
    extra = _parens(esc(label("list_sep", lang).join(details)), lang) if details else ""
    return (f'<li class="ja-change-{i.status}"><span class="ja-mark" aria-hidden="true">{_MARKS[i.status]}</span> '
            f'<span class="ja-status ja-status-{i.status}">{esc(label("change_" + i.status, lang))}</span> '
            f"{text}{extra}</li>")


def _recommendations(tps: Sequence[TouchpointDiff], names: _Names, lang: str) -> str:
    items = [f'<li data-tp="{esc(t.id)}">{names.touchpoint(t)}<ul class="ja-changes-items">'
             + "".join(_item(r, lang) for r in t.recommendations) + "</ul></li>"
             for t in tps if t.recommendations]
    if not items:
        return ""
    return (_subhead("changes_recommendations", lang)
            + f'<ul class="ja-changes-list ja-changes-recommendations">{"".join(items)}</ul>')


def _core_messages(diff: AuditDiff, lang: str) -> str:
    if not diff.core_messages:
        return ""
    items = "".join(_item(ItemChange(c.status, c.text, c.old_text), lang) for c in diff.core_messages)
    return _subhead("changes_core_messages", lang) + f'<ul class="ja-changes-items ja-changes-core">{items}</ul>'
