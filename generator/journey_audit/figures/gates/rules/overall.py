"""overall: the audit's overall figure is at least ``min``.

The audit as a whole: its overall score (the default), or its overall message score or
consistency, compared as shown (one decimal), so an audit whose page shows 3.5 meets a
minimum of 3.5. One result per audit, pointing at no line.

Parameters: ``min`` (a number, required), ``figure`` (score | message | consistency;
default score).

Example::

    gates:
      - rule: overall
        min: 3.5
        figure: score
        level: warn

>>> Gate(ID, "warn", {"min": 3.5, "figure": "score"}).sentence("en")
"The audit's overall score is at least 3.5"
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ...scoring import fmt
from ..model import Context, Found, Gate, GateResult
from .common import FIGURES, FOUND_MIN, at_least, word

ID = "overall"
PARAMS = {"min": ("number", None), "figure": (FIGURES, "score")}
WORDS = {
    "rule": {"en": "The audit's {figure} is at least {min}", "zh": "审计的{figure}至少为 {min}"},
    "found": FOUND_MIN,
    "skip": {"en": "Nothing to check.", "zh": "没有可检查的内容。"},
    # The overall figures, as the rule names them.
    "message": {"en": "overall message score", "zh": "信息总体得分"},
    "consistency": {"en": "overall consistency", "zh": "总体一致性"},
    "score": {"en": "overall score", "zh": "总分"},
}


def describe(params: Mapping[str, Any], lang: str | None) -> str:
    return word(WORDS["rule"], lang).format(figure=word(WORDS[params["figure"]], lang), min=params["min"])


def check(gate: Gate, ctx: Context) -> Iterator[GateResult]:
    """One result: the audit's figure against the minimum."""
    figure, minimum = gate.params["figure"], gate.params["min"]
    value = getattr(ctx.figures, figure)
    what = f"{'overall score' if figure == 'score' else f'overall {figure}'} {fmt(value)}"
    ok = at_least(value, minimum)
    yield ctx.result(gate, "pass" if ok else "fail",
                     f"{what} (minimum {minimum})" if ok else f"{what} is below the gate's minimum of {minimum}",
                     value=fmt(value), threshold=str(minimum), facts={"figure": value, "min": minimum})


def found(result: GateResult, lang: str | None) -> Found:
    if result.outcome == "skip":
        return Found(word(WORDS["skip"], lang))
    figure = word(WORDS[result.gate.params["figure"]], lang)
    return Found(word(WORDS["found"], lang).format(figure=figure, value=result.value, min=result.threshold))
