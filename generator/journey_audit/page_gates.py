"""The "Gates" section of an audit page: which score gates pass, fail or were skipped.

The gates are those of ``journey-audit check`` (:mod:`journey_audit.gates`, read from
``journey-audit.gates.yaml``), evaluated by :func:`journey_audit.gates.evaluate` on the
audits the site publishes. Like ``check``, only a client's latest round is gated:
its earlier rounds are history, and their recommendations were followed up in the
next round; their pages say so and link the latest round.

Each gate is written out in the audit's language (the rule with its threshold and
level), then each of its results with a pass / fail / skip badge and what was found,
naming touchpoints (linked to ``#tp-<id>``) and stages as the audit writes them.
Values are the gate results' own (figures as shown, ``fmt``); nothing is computed
here. Badges carry their outcome as a word and a symbol (✓ ✗ –) besides their colour.

>>> from journey_audit.gates import parse_gates, evaluate
>>> from journey_audit.validate import validate_text
>>> audit, _ = validate_text('''
... title: T
... client: C
... date: 2026-01-01
... involvement: low
... core_messages: [{id: q, text: Q}]
... stages: [{id: s, name: Search, touchpoints: [{id: fair, name: "Fair <b>", channel: event,
...           moment_of_truth: true, message: {intended: I, score: 2}, consistency: {q: 3}}]}]
... ''', slug="a")
>>> gates, _ = parse_gates("gates: [{rule: moment-of-truth, min: 3}, {rule: overall, min: 2, level: warn}]")
>>> from journey_audit.scoring import compute
>>> report = GateReport(evaluate(audit, gates), gates, "g.yaml", audit.date)
>>> html = gates_section(report, audit, compute(audit), None, "en", lambda slug: slug)
>>> import re
>>> re.findall(r'data-rule="([^"]+)" data-outcome="(\\w+)"', html)
[('moment-of-truth', 'fail'), ('overall', 'pass')]
>>> "Fair &lt;b&gt;" in html
True
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable, Sequence

from .escape import text as esc
from .gates import PRIORITIES, Gate, GateResult, evaluate, latest_rounds
from .labels import label
from .model import Audit
from .scoring import AuditFigures, fmt

_SYMBOLS = {"pass": "✓", "fail": "✗", "skip": "–"}


@dataclass(frozen=True)
class GateReport:
    """What the Gates section of one audit page shows.

    ``results`` are every gate's results for this audit, in the gates' order (empty
    for an earlier round); ``gates`` the gates themselves; ``source`` the config file
    they come from (for messages: the page does not show a client our file names);
    ``today`` the date due dates were checked against; ``latest`` the slug of the
    client's latest round when this audit is an earlier one.
    """

    results: Sequence[GateResult]
    gates: Sequence[Gate]
    source: str
    today: dt.date
    latest: str | None = None


def site_reports(audits: Sequence[Audit], gates: Sequence[Gate], source: str,
                 today: dt.date | None = None) -> dict[str, GateReport]:
    """A report per audit slug: results for each client's latest round (with its
    ``previous`` when that is among ``audits``), a pointer to it for the others."""
    today = today or dt.date.today()
    by_slug = {a.slug: a for a in audits}
    reports = {}
    latest = {a.client_id: a for a in latest_rounds(list(audits))}
    for a in audits:
        newest = latest[a.client_id]
        if newest is a:
            previous = by_slug.get(a.previous) if a.previous else None
            reports[a.slug] = GateReport(evaluate(a, list(gates), previous, today), gates, source, today)
        else:
            reports[a.slug] = GateReport((), gates, source, today, latest=newest.slug)
    return reports


def gates_section(report: GateReport, audit: Audit, figures: AuditFigures, previous: AuditFigures | None,
                  lang: str, audit_href: Callable[[str], str]) -> str:
    """The section's HTML (without its heading).

    ``figures`` and ``previous`` (the previous round's figures, or None) give a stage's
    figure before and after beside a ``stage-drop`` result; ``audit_href`` links an
    audit page from its slug.
    """
    la = f' lang="{esc(audit.language)}"' if audit.language else ""
    # The client reads the gates, not our configuration: no file name, no command.
    hint = esc(label("gates_hint", lang)).format(date=esc(report.today.isoformat()))
    out = [f'<p class="ja-hint">{hint}</p>']
    if report.latest is not None:
        link = f'<a href="{esc(audit_href(report.latest))}">{esc(report.latest)}</a>'
        out.append(f'<p class="ja-gates-latest">{esc(label("gates_latest_only", lang)).format(latest=link)}</p>')
        return f'<div class="ja-gates" data-search-exclude{la}>\n' + "\n".join(out) + "\n</div>"
    found = _Found(audit, figures, previous, lang)
    items = []
    for gate in report.gates:
        results = [r for r in report.results if r.gate is gate]
        if not results:
            continue
        outcome = "fail" if any(r.failed for r in results) else "pass" if any(
            r.outcome == "pass" for r in results) else "skip"
        level = label(f"gate_level_{gate.level}", lang)
        texts = found.texts(gate, results)
        rows = "".join(f'<li class="ja-gate-result" data-outcome="{r.outcome}" data-subject="{esc(r.subject or "")}">'
                       f"{_badge(r.outcome, gate, lang)} {text}</li>" for r, text in zip(results, texts))
        items.append(f'<li class="ja-gate" data-rule="{esc(gate.rule)}" data-outcome="{outcome}" '
                     f'data-level="{esc(gate.level)}">{_badge(outcome, gate, lang)} '
                     f'<span class="ja-gate-rule">{esc(describe(gate, lang))}</span>'
                     f'<span class="ja-gate-level">{esc(label("in_parens", lang)).format(text=esc(level))}</span>'
                     f'<ul class="ja-gate-results">{rows}</ul></li>')
    out.append(f'<ul class="ja-gate-list">{"".join(items)}</ul>')
    return f'<div class="ja-gates" data-search-exclude{la}>\n' + "\n".join(out) + "\n</div>"


def _badge(outcome: str, gate: Gate, lang: str) -> str:
    # A failing warn gate is a warning, not a failure of the check: its badge says so.
    kind = "warn" if outcome == "fail" and gate.level == "warn" else outcome
    word = label(f"gate_{kind}", lang)
    return (f'<span class="ja-gate-badge ja-gate-{kind}">'
            f'<span aria-hidden="true">{_SYMBOLS[outcome]}</span> {esc(word)}</span>')


def describe(gate: Gate, lang: str) -> str:
    """The gate in words, in ``lang``.

    >>> describe(Gate("stage-drop", "error", {"max_drop": 0.5, "figure": "consistency"}), "zh")
    '与上一轮相比，没有阶段的一致性下降超过 0.5'
    >>> describe(Gate("overall", "warn", {"min": 3.5, "figure": "score"}), "en")
    "The audit's overall score is at least 3.5"
    """
    p = gate.params
    if gate.rule == "past-due":
        return label("gate_rule_past-due", lang).format(priority=label(f"gate_priority_{p['priority']}", lang))
    kind = "gate_overall_" if gate.rule == "overall" else "gate_figure_"
    return label(f"gate_rule_{gate.rule}", lang).format(figure=label(kind + p["figure"], lang), min=p.get("min"),
                                                        max_drop=p.get("max_drop"))


class _Found:
    """What each result found, in words, with the audit's names for its subjects."""

    def __init__(self, audit: Audit, figures: AuditFigures, previous: AuditFigures | None, lang: str):
        self.audit, self.figures, self.previous, self.lang = audit, figures, previous, lang
        self.names = {tp.id: tp.name for _, tp in audit.touchpoints()}
        self.stages = {s.id: s.name for s in audit.stages}

    def touchpoint(self, tp_id: str | None) -> str:
        return f'<a href="#tp-{esc(tp_id)}">{esc(self.names.get(tp_id or "", tp_id or ""))}</a>'

    def texts(self, gate: Gate, results: Sequence[GateResult]) -> list[str]:
        if gate.rule == "past-due":
            return self._past_due(gate, results)
        return [self._text(r) for r in results]

    def _text(self, r: GateResult) -> str:
        lang, rule, p = self.lang, r.gate.rule, r.gate.params
        if r.outcome == "skip":
            key = "gate_skip_no_common_stage" if rule == "stage-drop" and self.previous is not None \
                else "gate_skip_" + rule
            return esc(label(key, lang))
        if rule == "overall":
            return esc(label("gate_found_min", lang).format(figure=label("gate_overall_" + p["figure"], lang),
                                                            value=r.value, min=r.threshold))
        figure = label("gate_figure_" + p["figure"], lang)
        if rule == "moment-of-truth":
            found = label("gate_found_min", lang).format(figure=figure, value=r.value, min=r.threshold)
            return self.found(self.touchpoint(r.subject), found)
        # stage-drop: the stage's figure before and after, as the pages show them
        sid = r.subject or ""
        before_after = ""
        if self.previous is not None and sid in self.previous.stages and sid in self.figures.stages:
            before_after = (f"{fmt(getattr(self.previous.stages[sid], p['figure']))} → "
                            f"{fmt(getattr(self.figures.stages[sid], p['figure']))}")
        found = label("gate_found_drop", lang).format(figure=figure, before_after=before_after, change=r.value,
                                                      limit=p["max_drop"])
        return self.found(esc(self.stages.get(sid, sid)), " ".join(found.split()))

    def found(self, subject_html: str, found: str) -> str:
        """"<subject>: <what was found>", the subject already HTML."""
        return esc(label("subject_found", self.lang)).format(subject=subject_html, found=esc(found))

    def _past_due(self, gate: Gate, results: Sequence[GateResult]) -> list[str]:
        """Results of a past-due gate, each with its recommendation's text.

        :func:`gates.evaluate` gives one result per recommendation it checks, in
        journey order; the same walk pairs each result with its recommendation (a
        result that does not match its pair's touchpoint and due date gets no text).
        """
        urgent = PRIORITIES[:PRIORITIES.index(gate.params["priority"]) + 1]
        checked = [(tp.id, r) for _, tp in self.audit.touchpoints() for r in tp.recommendations
                   if r.priority in urgent and r.due is not None]
        out = []
        for i, res in enumerate(results):
            if res.outcome == "skip":
                out.append(self._text(res))
                continue
            tp_id, rec = checked[i] if i < len(checked) else (None, None)
            matches = rec is not None and tp_id == res.subject and rec.due.isoformat() == res.value
            due, day = dt.date.fromisoformat(res.value), dt.date.fromisoformat(res.threshold)
            found = (label("gate_found_late", self.lang).format(due=res.value, days=(day - due).days) if res.failed
                     else label("gate_found_due", self.lang).format(due=res.value))
            text = f' <span class="ja-gate-item">{esc(rec.text)}</span>' if matches else ""
            out.append(self.found(self.touchpoint(res.subject), found) + text)
        return out
