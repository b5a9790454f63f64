"""auditor-agreement: the auditors' own scores agree at least ``min`` (Krippendorff's alpha).

Alpha is the audit's agreement figure (:mod:`journey_audit.figures.agreement`, from the
touchpoints' ``ratings``), compared as shown (three decimals), so an audit whose page
shows 0.667 meets a minimum of 0.667. An audit without ratings, or whose alpha is
undefined (fewer than two auditors rated the same item), is skipped. One result per
audit, pointing at no line.

Parameters: ``min`` (a number, required; Krippendorff's own thresholds are 0.8 for
reliable and 0.667 for tentative conclusions).

Example::

    gates:
      - rule: auditor-agreement
        min: 0.667
        level: warn

>>> Gate(ID, "warn", {"min": 0.667}).sentence("en")
"The auditors' own scores agree with Krippendorff's alpha of at least 0.667"
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator, Mapping

from ...agreement import fmt_alpha, round3
from ..model import Context, Found, Gate, GateResult
from .common import word

ID = "auditor-agreement"
PARAMS = {"min": ("number", None)}
WORDS = {
    "rule": {"en": "The auditors' own scores agree with Krippendorff's alpha of at least {min}",
             "zh": "审计人员独立评分的一致性（Krippendorff's alpha）至少为 {min}"},
    "found": {"en": "alpha {value} (minimum {min})", "zh": "alpha {value}（最低 {min}）"},
    "skip": {"en": "No alpha: fewer than two auditors rated the same item.",
             "zh": "无法计算 alpha：同一项目的独立评分少于两份。"},
}


def describe(params: Mapping[str, Any], lang: str | None) -> str:
    return word(WORDS["rule"], lang).format(min=params["min"])


def check(gate: Gate, ctx: Context) -> Iterator[GateResult]:
    """One result: the audit's alpha against the minimum; a skip when alpha is undefined."""
    g, minimum = ctx.figures.agreement, gate.params["min"]
    if g is None or g.alpha is None:
        yield ctx.result(gate, "skip", "no auditor agreement: fewer than two auditors rated the same item")
        return
    shown = fmt_alpha(g.alpha)
    ok = round3(g.alpha) >= Decimal(repr(minimum))
    yield ctx.result(gate, "pass" if ok else "fail",
                     f"auditor agreement (alpha) {shown} (minimum {minimum})" if ok
                     else f"auditor agreement (alpha) {shown} is below the gate's minimum of {minimum}",
                     value=shown, threshold=str(minimum), facts={"alpha": g.alpha, "min": minimum})


def found(result: GateResult, lang: str | None) -> Found:
    if result.outcome == "skip":
        return Found(word(WORDS["skip"], lang))
    return Found(word(WORDS["found"], lang).format(value=result.value, min=result.threshold))
