"""The "Gates" section of an audit page: which score gates pass, fail or were skipped.

The gates are those of ``journey-audit check`` (:mod:`journey_audit.figures.gates`, read from
``journey-audit.gates.yaml``), evaluated by :func:`journey_audit.figures.gates.evaluate` on the
audits the site publishes. Like ``check``, only a client's latest round is gated:
its earlier rounds are history, and their recommendations were followed up in the
next round; their pages say so and link the latest round.

Each gate is written out in the audit's language (the rule with its threshold and
level), then each of its results with a pass / fail / skip badge and what was found,
naming touchpoints (linked to ``#tp-<id>``) and stages as the audit writes them.
This module knows no rule: the words are each rule's own (:mod:`journey_audit.figures.gates.rules`:
:meth:`Gate.sentence`, :meth:`GateResult.found`), and so are the values, which the
results carry as values (figures as shown, dates); nothing is computed or read back
out of text here. Badges carry their outcome as a word and a symbol (✓ ✗ –) besides
their colour.

>>> from journey_audit.figures.gates import parse_gates, evaluate
>>> from journey_audit.audit.validate import validate_text
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
>>> from journey_audit.figures.scoring import compute
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

from ..audit.model import Audit
from ..figures.gates import Gate, GateResult, evaluate, latest_rounds
from ..figures.scoring import AuditFigures, FiguresOf, compute
from ..labels import label
from .escape import text as esc

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
                 today: dt.date | None = None, figures: FiguresOf = compute) -> dict[str, GateReport]:
    """A report per audit slug: results for each client's latest round (with its
    ``previous`` when that is among ``audits``), a pointer to it for the others.
    ``figures`` gives an audit's figures (a :class:`FiguresMemo` computes each once)."""
    today = today or dt.date.today()
    by_slug = {a.slug: a for a in audits}
    reports = {}
    latest = {a.client_id: a for a in latest_rounds(list(audits))}
    for a in audits:
        newest = latest[a.client_id]
        if newest is a:
            previous = by_slug.get(a.previous) if a.previous else None
            reports[a.slug] = GateReport(evaluate(a, list(gates), previous, today, figures), gates, source, today)
        else:
            reports[a.slug] = GateReport((), gates, source, today, latest=newest.slug)
    return reports


def gates_section(report: GateReport, audit: Audit, figures: AuditFigures, previous: AuditFigures | None,
                  lang: str, audit_href: Callable[[str], str]) -> str:
    """The section's HTML (without its heading); ``audit_href`` links an audit page from its slug.

    ``figures`` and ``previous`` (this round's and the previous round's figures) are
    not needed any more: the results carry the figures they show.
    """
    la = f' lang="{esc(audit.language)}"' if audit.language else ""
    # The client reads the gates, not our configuration: no file name, no command.
    hint = esc(label("gates_hint", lang)).format(date=esc(report.today.isoformat()))
    out = [f'<p class="ja-hint">{hint}</p>']
    if report.latest is not None:
        link = f'<a href="{esc(audit_href(report.latest))}">{esc(report.latest)}</a>'
        out.append(f'<p class="ja-gates-latest">{esc(label("gates_latest_only", lang)).format(latest=link)}</p>')
        return f'<div class="ja-gates" data-search-exclude{la}>\n' + "\n".join(out) + "\n</div>"
    items = []
    for gate in report.gates:
        results = [r for r in report.results if r.gate is gate]
        if not results:
            continue
        outcome = "fail" if any(r.failed for r in results) else "pass" if any(
            r.outcome == "pass" for r in results) else "skip"
        level = label(f"gate_level_{gate.level}", lang)
        rows = "".join(f'<li class="ja-gate-result" data-outcome="{r.outcome}" data-subject="{esc(r.subject or "")}">'
                       f"{_badge(r.outcome, gate, lang)} {_found(r, lang)}</li>" for r in results)
        items.append(f'<li class="ja-gate" data-rule="{esc(gate.rule)}" data-outcome="{outcome}" '
                     f'data-level="{esc(gate.level)}">{_badge(outcome, gate, lang)} '
                     f'<span class="ja-gate-rule">{esc(gate.sentence(lang))}</span>'
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


def _found(result: GateResult, lang: str) -> str:
    """What a result found, as HTML: "<subject>: <what was found>" when it is about a
    touchpoint (linked) or a stage, then the text of the item it is about, if any."""
    found = result.found(lang)
    html = esc(found.text)
    if result.subject is not None and result.subject_kind is not None:
        name = esc(result.subject_name if result.subject_name is not None else result.subject)
        subject = f'<a href="#tp-{esc(result.subject)}">{name}</a>' if result.subject_kind == "touchpoint" else name
        html = esc(label("subject_found", lang)).format(subject=subject, found=html)
    if found.item is not None:
        html += f' <span class="ja-gate-item">{esc(found.item)}</span>'
    return html
