"""follow-through: at least ``min`` of the previous round's recommendations are done.

The follow-through (FORMAT.md, "Derived figures of format 1.1"): of the previous
round's recommendations that have an ``id``, the share whose status is ``done`` (taken
from this round's recommendation with the same id when there is one). Compared as
shown, a percentage with one decimal, so a page showing 50.0% meets a ``min`` of 0.5.
One result per audit; skipped when the audit names no previous round, the previous
round is not at hand, or none of its recommendations has an id.

Parameters: ``min`` (the share done, a number from 0 to 1, required).

Example::

    gates:
      - rule: follow-through
        min: 0.6
        level: warn

>>> Gate(ID, "warn", {"min": 0.6}).sentence("en")
"At least 60% of the previous round's recommendations are done"
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterator, Mapping

from ...scoring import fmt_percent, follow_through, round1
from ..model import Context, Found, Gate, GateResult
from .common import word

ID = "follow-through"
PARAMS = {"min": ("number", None)}
WORDS = {
    "rule": {"en": "At least {min} of the previous round's recommendations are done",
             "zh": "上一轮建议至少完成 {min}"},
    "found": {"en": "{done} of {total} done ({rate}; minimum {min})",
              "zh": "已完成 {done} / {total} 项（{rate}；最低 {min}）"},
    "skip": {"en": "No recommendation of a previous round has an id.", "zh": "上一轮没有带 id 的建议。"},
    "no-previous": {"en": "There is no previous round (no `previous:` in the audit).", "zh": "没有上一轮（审计未写 `previous:`）。"},
}


def _percent(share: float) -> str:
    return f"{Decimal(repr(share)) * 100:f}".rstrip("0").rstrip(".") + "%"


def describe(params: Mapping[str, Any], lang: str | None) -> str:
    return word(WORDS["rule"], lang).format(min=_percent(params["min"]))


def check(gate: Gate, ctx: Context) -> Iterator[GateResult]:
    """One result: the follow-through against the minimum; a skip without one."""
    minimum = gate.params["min"]
    ft = follow_through(ctx.previous, ctx.audit)
    if ctx.audit.previous is None:  # why there is nothing to follow through: say that, not a symptom
        yield ctx.result(gate, "skip", "there is no previous round: the audit names none with `previous:`",
                         facts={"no_previous": True})
        return
    if ft is None or ft.rate is None:
        yield ctx.result(gate, "skip", "no recommendation of a previous round has an id")
        return
    ok = round1(ft.rate * 100) >= Decimal(repr(minimum)) * 100
    what = f"follow-through {fmt_percent(ft.rate)} ({ft.done} of {len(ft.items)} recommendations done)"
    yield ctx.result(gate, "pass" if ok else "fail",
                     f"{what} (minimum {_percent(minimum)})" if ok
                     else f"{what} is below the gate's minimum of {_percent(minimum)}",
                     value=fmt_percent(ft.rate), threshold=_percent(minimum),
                     facts={"rate": ft.rate, "done": ft.done, "total": len(ft.items), "min": minimum})


def found(result: GateResult, lang: str | None) -> Found:
    if result.outcome == "skip":
        return Found(word(WORDS["no-previous" if (result.facts or {}).get("no_previous") else "skip"], lang))
    f = result.facts
    return Found(word(WORDS["found"], lang).format(done=f["done"], total=f["total"], rate=result.value,
                                                   min=result.threshold))
