"""metric-target: every measured result with a target meets it.

Each metric (format 1.1) of a touchpoint or stage that has a ``target`` is checked:
met is ``value >= target`` when ``better: higher``, ``value <= target`` when lower
(FORMAT.md, "Derived figures"). One result per metric checked, at its line; skipped
when no metric (of those named) has a target.

Parameters: ``metrics`` (a list of metric ids; default: every metric with a target).

Example::

    gates:
      - rule: metric-target
        metrics: [first-reply]
        level: error

>>> Gate(ID, "error", {"metrics": ("first-reply",)}).sentence("en")
'Every metric first-reply meets its target'
>>> Gate(ID, "warn", {"metrics": ()}).sentence("zh")
'每项有目标的指标都达标'
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ...scoring import fmt_measure, metric_figures
from ..model import Context, Found, Gate, GateResult
from .common import word

ID = "metric-target"
PARAMS = {"metrics": ("ids", ())}
WORDS = {
    "rule": {"en": "Every metric with a target meets it", "zh": "每项有目标的指标都达标"},
    "rule_ids": {"en": "Every metric {ids} meets its target", "zh": "指标 {ids} 都达标"},
    "found": {"en": "{value} (target {target}, {better})", "zh": "{value}（目标 {target}，{better}）"},
    "higher": {"en": "higher is better", "zh": "越高越好"},
    "lower": {"en": "lower is better", "zh": "越低越好"},
    "skip": {"en": "No such metric has a target.", "zh": "相关指标都没有设定目标。"},
}


def describe(params: Mapping[str, Any], lang: str | None) -> str:
    ids = params.get("metrics") or ()
    if not ids:
        return word(WORDS["rule"], lang)
    return word(WORDS["rule_ids"], lang).format(ids=", ".join(ids))


def check(gate: Gate, ctx: Context) -> Iterator[GateResult]:
    """A result per metric with a target (of those named), in journey order; a skip when none."""
    wanted = set(gate.params.get("metrics") or ())
    owners = {s.id: s for s in ctx.audit.stages} | {tp.id: tp for _, tp in ctx.audit.touchpoints()}
    checked = 0
    for m in metric_figures(ctx.audit, ctx.previous):
        if m.met is None or (wanted and m.id not in wanted):
            continue
        checked += 1
        written = next(x for x in owners[m.where].metrics if x.id == m.id)
        line, col = written.at("value")
        unit = f" {m.unit}" if m.unit else ""
        shown = f"{m.kind} '{m.where}' metric '{m.id}' is {fmt_measure(m.value)}{unit}"
        target = f"{fmt_measure(m.target)}{unit}"
        yield ctx.result(gate, "pass" if m.met else "fail",
                         f"{shown} (target {target}, {m.better} is better)" if m.met
                         else f"{shown}, missing its target of {target} ({m.better} is better)",
                         line, col, subject=m.where, value=f"{fmt_measure(m.value)}{unit}", threshold=target,
                         subject_kind=m.kind, subject_name=owners[m.where].name,
                         facts={"metric": m.id, "better": m.better, "item": m.name})
    if not checked:
        yield ctx.result(gate, "skip", "no such metric has a target")


def found(result: GateResult, lang: str | None) -> Found:
    """The value against the target, and the metric's name."""
    if result.outcome == "skip":
        return Found(word(WORDS["skip"], lang))
    facts = result.facts
    return Found(word(WORDS["found"], lang).format(value=result.value, target=result.threshold,
                                                   better=word(WORDS[facts["better"]], lang)), facts["item"])
