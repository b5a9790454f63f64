"""An audit as canonical, readable lines, for ``git diff`` and ``git log -p``.

git runs ``journey-audit textconv FILE`` on each side of a change (after ``journey-audit
git-setup``) and diffs the outputs line by line. The rendering is built for that:

* it depends only on the audit's data, never on key order, quoting or comments, so
  a commit that only reformats an audit shows no change;
* one fact per line, each line readable on its own (a score line names the
  touchpoint's scores; a recommendation line carries its priority and due date);
* the figures of :mod:`scoring` are part of it, so changing one score shows the
  touchpoint's, its stage's and the audit's figures moving with it;
* headings start with ``#`` (audit), ``##`` (stage) and ``###`` (touchpoint), which
  ``git-setup`` tells git to use as hunk headers, so every hunk names its touchpoint.

A file that is not a valid audit is shown as written, under a heading that lists
its problems: git must always get text back, even for a broken old revision.

>>> from journey_audit.audit.validate import validate_text
>>> text = '''
... title: 展会审计
... client: ACME
... date: 2026-01-01
... involvement: low
... core_messages: [{id: q, text: Quality}]
... stages: [{id: s, name: Search, touchpoints: [{id: fair, name: 展会, channel: event,
...           moment_of_truth: true, message: {intended: The full range, score: 2}, consistency: {q: 3}}]}]
... '''
>>> print(render(validate_text(text, slug="a")[0]), end="")  # doctest: +ELLIPSIS
# audit: 展会审计
client: ACME (acme)
...
## stage s: Search
figures: score 2.5, message 2.0, consistency 3.0
<BLANKLINE>
### touchpoint fair: 展会 (stage s)
channel event; importance 5; moment of truth
scores: message 2; consistency 3.0 (q 3); score 2.5; gap 12.5
intended: The full range
"""

from __future__ import annotations

import re
from pathlib import Path

from ..audit.model import Audit, Metric, Touchpoint
from ..audit.validate import validate_text
from ..audit.yamlsource import decode
from ..errors import AuditError
from ..figures.agreement import fmt_alpha
from ..figures.scoring import (
    AuditFigures,
    compute,
    fmt,
    fmt_delta,
    fmt_measure,
    fmt_percent,
    metric_figures_of,
    round1,
)
from ..figures.segments import segment_figures

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")
# git hands textconv a temporary copy named "XXXXXX_<name>".
_GIT_TEMP = re.compile(r"[A-Za-z0-9]{6}_(.+)\Z")


def _text(label: str, value: str | None) -> list[str]:
    """``label: value``, a multi-line value indented below its label; nothing when absent."""
    if value is None:
        return []
    lines = value.strip("\n").split("\n")
    if len(lines) == 1:
        return [f"{label}: {lines[0]}"]
    return [f"{label}:"] + ["  " + ln if ln else "" for ln in lines]


def _score(v: int | None) -> str:
    return "~" if v is None else str(v)


def _ratings(tp: Touchpoint, audit: Audit, figures: AuditFigures) -> list[str]:
    """One line per auditor's own scores (format 1.1 ``ratings``), then the touchpoint's spread."""
    order = [cm.id for cm in audit.core_messages]
    out = []
    for r in tp.ratings:
        own = sorted(r.consistency.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
        parts = ([f"message {r.message}"] if r.message is not None else []) + (
            [f"consistency ({', '.join(f'{c} {_score(v)}' for c, v in own)})"] if own else [])
        out.append(f"rating by {r.auditor}: {'; '.join(parts) or 'nothing rated'}")
    g = figures.agreement
    t = g.touchpoints.get(tp.id) if g is not None else None
    if t is not None and t.spread is not None:
        out.append(f"rating spread: {t.spread}" + (" (flagged: auditors differ by 2 or more)" if t.flagged else ""))
    return out


def _touchpoint(tp: Touchpoint, stage_id: str, audit: Audit, figures: AuditFigures) -> list[str]:
    f = figures.touchpoints[tp.id]
    attrs = [f"channel {tp.channel}"]
    attrs += [f"owner {tp.owner}"] if tp.owner else []
    attrs += [f"message type {tp.message_type}"] if tp.message_type else []
    attrs.append(f"importance {tp.importance}")
    attrs += ["moment of truth"] if tp.moment_of_truth else []
    # Format 1.1: who meets it, who starts it, what sets it off, how it persuades.
    attrs += [f"segments {', '.join(tp.segments)}"] if tp.segments else []
    attrs += [f"{k} {v}" for k, v in (("direction", tp.direction), ("trigger", tp.trigger),
                                      ("appeal", tp.message.appeal)) if v]
    consistency = ", ".join(f"{cid} {_score(v)}" for cid, v in _in_core_order(tp, audit))
    out = ["", f"### touchpoint {tp.id}: {tp.name} (stage {stage_id})", "; ".join(attrs),
           f"scores: message {tp.message.score}; consistency {fmt(f.consistency)} ({consistency}); "
           f"score {fmt(f.score)}; gap {fmt(f.gap)}"]
    out += _ratings(tp, audit, figures)
    out += _text("intended", tp.message.intended)
    out += _text("method", tp.message.method)
    out += _text("observed", tp.message.observed)
    out += _text("notes", tp.notes)
    out += _text("internal notes", tp.internal_notes)
    for e in tp.evidence:
        out.append(f"evidence: {e.title}" + (f" <{e.url}>" if e.url else ""))
    out += _metrics(tp.metrics)
    for r in tp.recommendations:
        details = [f"priority {r.priority}"] + [f"{k} {v}" for k, v in
                                                (("effort", r.effort), ("owner", r.owner), ("due", r.due)) if v]
        # Format 1.1: the id that follows it across rounds, and what became of it.
        details += [f"status {r.status}"] if r.id is not None or r.status != "open" else []
        details += [f"done on {r.done_on}"] if r.done_on else []
        head = f"recommendation {r.id}" if r.id is not None else "recommendation"
        out += _text(f"{head} ({', '.join(details)})", r.text)
    return out


def _metrics(metrics: list[Metric]) -> list[str]:
    """One line per metric (format 1.1): its value as written, its target and whether it is met."""
    out = []
    for m in metric_figures_of(metrics):
        unit = f" {m.unit}" if m.unit else ""
        target = (f"; target {fmt_measure(m.target)}{unit} ({m.better} is better), "
                  f"{'met' if m.met else 'missed'}" if m.met is not None else "")
        out.append(f"metric {m.id}: {m.name} = {fmt_measure(m.value)}{unit}{target}")
    return out


def _segments(audit: Audit, figures: AuditFigures) -> list[str]:
    """Format 1.1: each segment with its figures, the inbound share and the appeal fit; nothing
    for an audit without segments, directions, triggers or appeals."""
    report = segment_figures(audit, figures)
    if report is None:
        return []
    out = ["", "## segments"] if report.segments else []
    for seg in audit.segments:
        g = report.segments[seg.id]
        facts = [f"share {fmt_percent(g.share)}"] if g.share is not None else []
        facts += [f"{g.involvement} involvement", f"score {fmt(g.score)}", f"meets {', '.join(g.touchpoints) or '–'}"]
        facts += [f"funnel {fmt_percent(g.funnel.overall)}"] if g.funnel.overall is not None else []
        out.append(f"segment {seg.id}: {seg.name} ({'; '.join(facts)})")
        out += _text("  description", seg.description)
    out += ["", f"inbound share: {fmt_percent(report.inbound_share)}; appeal fit: {fmt_percent(report.appeal.share)}"
            + (f" (misfits: {', '.join(m.id for m in report.appeal.misfits)})" if report.appeal.misfits else "")]
    return out


def _in_core_order(tp: Touchpoint, audit: Audit) -> list[tuple[str, int | None]]:
    order = [cm.id for cm in audit.core_messages]
    return sorted(tp.consistency.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))


def render(audit: Audit) -> str:
    """The canonical text of one valid audit."""
    f = compute(audit)
    out = [f"# audit: {audit.title}", f"client: {audit.client} ({audit.client_id})", f"date: {audit.date}"]
    if audit.auditors:
        out.append(f"auditors: {', '.join(audit.auditors)}")
    for label, value in (("language", audit.language), ("industry", audit.industry),
                         ("involvement", audit.involvement), ("previous", audit.previous),
                         ("status", audit.status)):
        out += _text(label, value)
    scale = audit.scale
    labels = ", ".join(f"{k} {v}" for k, v in sorted(scale.labels.items()))
    out.append(f"scale: {scale.min}..{scale.max}" + (f" ({labels})" if labels else ""))
    out.append(f"weights: message {audit.weights.message}, consistency {audit.weights.consistency}")
    out += _text("summary", audit.summary)
    out += _text("internal notes", audit.internal_notes)
    funnel = f", funnel {fmt_percent(f.funnel.overall)}" if f.funnel.overall is not None else ""
    out.append(f"figures: overall {fmt(f.score)}, message {fmt(f.message)}, consistency {fmt(f.consistency)}{funnel}")
    if f.agreement is not None:
        g = f.agreement
        leans = ", ".join(f"{name} {fmt_delta(None if g.leans[name] is None else round1(g.leans[name]))}"
                          for name in g.auditors)
        out.append(f"auditor agreement: alpha {fmt_alpha(g.alpha)}; leans {leans}")
    out += _segments(audit, f)
    out += ["", "## core messages"]
    for cm in audit.core_messages:
        c = f.core_messages[cm.id]
        out.append(f"{cm.id}: {cm.text} (mean {fmt(c.mean)}, coverage {fmt_percent(c.coverage)}, "
                   f"spread {fmt(c.spread)}, scored by {c.scored})")
    for stage in audit.stages:
        s = f.stages[stage.id]
        out += ["", f"## stage {stage.id}: {stage.name}"]
        if stage.prospects is not None:
            onward = f", to the next stage {fmt_percent(s.conversion)} (lost {s.lost})" if s.conversion is not None \
                else ""
            out.append(f"prospects: {stage.prospects}{onward}")
        out.append(f"figures: score {fmt(s.score)}, message {fmt(s.message)}, consistency {fmt(s.consistency)}")
        if stage.prospects_by_segment:
            out.append("prospects by segment: " + ", ".join(f"{k} {v}" for k, v in stage.prospects_by_segment.items()))
        out += _metrics(stage.metrics)
        for tp in stage.touchpoints:
            out += _touchpoint(tp, stage.id, audit, f)
    return "\n".join(out) + "\n"


def slug_for(path: str) -> str:
    """The audit id a file name gives, seeing through git's temporary copies.

    >>> slug_for("/tmp/Ab3dE9_acme-2026q1.yaml"), slug_for("audits/acme-2026q1.yaml"), slug_for("x/Bad Name.yaml")
    ('acme-2026q1', 'acme-2026q1', 'audit')
    """
    stem = Path(path).stem
    if _SLUG.match(stem):
        return stem
    m = _GIT_TEMP.match(stem)
    return m.group(1) if m and _SLUG.match(m.group(1)) else "audit"


def textconv(data: bytes, path: str) -> str:
    """What ``journey-audit textconv`` prints for a file's bytes: the rendering of a
    valid audit, or the problems followed by the text as written."""
    try:
        text = decode(data, path)
    except AuditError as exc:
        problems, text = exc.problems, data.decode("utf-8", "replace")
    else:
        audit, problems = validate_text(text, path, slug_for(path))
        if audit is not None:
            return render(audit)
    head = ["# not a valid audit; shown as written"] + [f"# {p.format()}" for p in problems if p.level == "error"]
    return "\n".join(head) + "\n\n" + text + ("" if text.endswith("\n") else "\n")
