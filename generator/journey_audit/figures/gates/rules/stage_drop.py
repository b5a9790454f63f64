"""stage-drop: no stage falls more than ``max_drop`` since the previous round.

Stages are compared by id with the audit that ``previous:`` names, on one figure
(consistency by default), as shown: the drop is the difference of the two figures
each rounded to one decimal, so 2.0 → 1.5 is a drop of 0.5, which a ``max_drop`` of
0.5 allows. Without a previous round at hand (the audit names none, or it is not
among the audits checked), or without a stage id in common, the gate is skipped.

Parameters: ``max_drop`` (a number, required), ``figure`` (consistency | score |
message; default consistency).

Example::

    gates:
      - rule: stage-drop
        max_drop: 0.5
        figure: consistency
        level: error

>>> Gate(ID, "error", {"max_drop": 0.5, "figure": "consistency"}).sentence("zh")
'与上一轮相比，没有阶段的一致性下降超过 0.5'
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator, Mapping

from ...scoring import delta, fmt, fmt_delta
from ..model import Context, Found, Gate, GateResult
from .common import FIGURE_WORDS, FIGURES, word

ID = "stage-drop"
PARAMS = {"max_drop": ("number", None), "figure": (FIGURES, "consistency")}
WORDS = {
    "rule": {"en": "No stage drops more than {max_drop} on {figure} since the previous round",
             "zh": "与上一轮相比，没有阶段的{figure}下降超过 {max_drop}"},
    "found": {"en": "{figure} {before_after} ({change}; a drop of at most {limit} is allowed)",
              "zh": "{figure} {before_after}（{change}，最多允许下降 {limit}）"},
    "skip": {"en": "No previous round to compare with.", "zh": "没有可比较的上一轮审计。"},
    "skip_no_common_stage": {"en": "No stage in common with the previous round.",
                             "zh": "与上一轮审计没有相同的阶段。"},
}


def describe(params: Mapping[str, Any], lang: str | None) -> str:
    return word(WORDS["rule"], lang).format(max_drop=params["max_drop"],
                                            figure=word(FIGURE_WORDS[params["figure"]], lang))


def check(gate: Gate, ctx: Context) -> Iterator[GateResult]:
    """A result per stage the previous round has too, in journey order; else a skip,
    whose ``reason`` fact is ``no-previous``, ``previous-missing`` or ``no-common-stage``."""
    audit, previous, old_figures = ctx.audit, ctx.previous, ctx.previous_figures
    if previous is None or old_figures is None:
        if audit.previous:
            yield ctx.result(gate, "skip", f"previous audit '{audit.previous}' is not available",
                             facts={"reason": "previous-missing"})
        else:
            yield ctx.result(gate, "skip", "no previous round (the audit names no 'previous')",
                             facts={"reason": "no-previous"})
        return
    figure, max_drop = gate.params["figure"], gate.params["max_drop"]
    limit = Decimal(repr(max_drop))
    compared = 0
    for stage in audit.stages:
        old = old_figures.stages.get(stage.id)
        if old is None:
            continue
        compared += 1
        before, after = getattr(old, figure), getattr(ctx.figures.stages[stage.id], figure)
        d = delta(before, after)
        what = (f"stage '{stage.id}' ({stage.name}): {figure} {fmt(before)} → {fmt(after)} ({fmt_delta(d)}) "
                f"since '{previous.slug}'")
        failed = -d > limit
        yield ctx.result(gate, "fail" if failed else "pass",
                         f"{what}, a drop of more than the gate's {max_drop}" if failed else what,
                         stage.line, stage.col, subject=stage.id, value=fmt_delta(d), threshold=f"-{max_drop}",
                         subject_kind="stage", subject_name=stage.name,
                         facts={"before": before, "after": after, "change": d, "max_drop": max_drop,
                                "previous": previous.slug})
    if not compared:
        yield ctx.result(gate, "skip", f"no stage id in common with '{previous.slug}'",
                         facts={"reason": "no-common-stage"})


def found(result: GateResult, lang: str | None) -> Found:
    facts = result.facts
    if result.outcome == "skip":
        return Found(word(WORDS["skip_no_common_stage" if facts.get("reason") == "no-common-stage" else "skip"],
                          lang))
    return Found(word(WORDS["found"], lang).format(
        figure=word(FIGURE_WORDS[result.gate.params["figure"]], lang),
        before_after=f"{fmt(facts['before'])} → {fmt(facts['after'])}", change=result.value,
        limit=facts["max_drop"]))
