"""moment-of-truth: every moment of truth scores at least ``min``.

A touchpoint marked ``moment_of_truth: true`` is where the client wins or loses the
buyer; this rule holds each of them to a minimum on one figure. ``figure: message``
(the default) is the touchpoint's message score as written in the audit (the result
points at that ``score:``); ``consistency`` and ``score`` are its computed figures,
compared as shown (one decimal). An audit without a moment of truth is skipped.

Parameters: ``min`` (a number, required), ``figure`` (message | consistency | score;
default message).

Example::

    gates:
      - rule: moment-of-truth
        min: 3
        figure: message
        level: error

>>> Gate(ID, "error", {"min": 3, "figure": "score"}).sentence("zh")
'每个关键时刻的得分至少为 3'
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ...scoring import fmt
from ..model import Context, Found, Gate, GateResult
from .common import FIGURE_WORDS, FIGURES, FOUND_MIN, at_least, word

ID = "moment-of-truth"
PARAMS = {"min": ("number", None), "figure": (FIGURES, "message")}
WORDS = {
    "rule": {"en": "Every moment of truth scores at least {min} on {figure}",
             "zh": "每个关键时刻的{figure}至少为 {min}"},
    "found": FOUND_MIN,
    "skip": {"en": "No touchpoint is marked as a moment of truth.", "zh": "没有标记为关键时刻的接触点。"},
}


def describe(params: Mapping[str, Any], lang: str | None) -> str:
    return word(WORDS["rule"], lang).format(min=params["min"], figure=word(FIGURE_WORDS[params["figure"]], lang))


def check(gate: Gate, ctx: Context) -> Iterator[GateResult]:
    """A result per moment of truth, in journey order; a skip when there is none."""
    figure, minimum = gate.params["figure"], gate.params["min"]
    checked = [tp for _, tp in ctx.audit.touchpoints() if tp.moment_of_truth]
    for tp in checked:
        raw = figure == "message"
        value = tp.message.score if raw else getattr(ctx.figures.touchpoints[tp.id], figure)
        shown = str(value) if raw else fmt(value)
        line, col = tp.message.at("score") if raw else (tp.line, tp.col)
        what = f"moment of truth '{tp.id}' ({tp.name}) scores {shown} on {figure}"
        ok = at_least(value, minimum)
        yield ctx.result(gate, "pass" if ok else "fail",
                         f"{what} (minimum {minimum})" if ok else f"{what}, below the gate's minimum of {minimum}",
                         line, col, subject=tp.id, value=shown, threshold=str(minimum),
                         subject_kind="touchpoint", subject_name=tp.name, facts={"figure": value, "min": minimum})
    if not checked:
        yield ctx.result(gate, "skip", "no touchpoint is marked as a moment of truth")


def found(result: GateResult, lang: str | None) -> Found:
    if result.outcome == "skip":
        return Found(word(WORDS["skip"], lang))
    figure = word(FIGURE_WORDS[result.gate.params["figure"]], lang)
    return Found(word(WORDS["found"], lang).format(figure=figure, value=result.value, min=result.threshold))
