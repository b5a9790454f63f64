"""past-due: no open recommendation of ``priority`` (or higher) is past its due date.

Every recommendation of that priority or a more urgent one that has a ``due:`` date is
checked against the day of the check (``journey-audit check --today``, the site's
build day): it is late from the day after its due date. Recommendations without a due
date, and those whose ``status`` is done or dropped (format 1.1), are not checked; when
none is left, the gate is skipped.

Parameters: ``priority`` (high | medium | low: high only, medium and high, or any;
default high).

Example::

    gates:
      - rule: past-due
        priority: high
        level: error

>>> Gate(ID, "error", {"priority": "medium"}).sentence("en")
'No medium- or high-priority recommendation is past its due date'
"""

from __future__ import annotations

from typing import Any, Iterator, Mapping

from ....audit.format_spec import CLOSED_STATUSES, LEVELS
from ..model import Context, Found, Gate, GateResult
from .common import word

ID = "past-due"
PRIORITIES = LEVELS  # most urgent first
PARAMS = {"priority": (PRIORITIES, "high")}
WORDS = {
    "rule": {"en": "No {priority} recommendation is past its due date", "zh": "没有逾期未完成的{priority}建议"},
    "found": {"en": "due {due}", "zh": "期限 {due}"},
    "found_late": {"en": "was due {due}, {days} days ago", "zh": "期限 {due}，已逾期 {days} 天"},
    "skip": {"en": "No such recommendation has a due date.", "zh": "相关建议都没有设定期限。"},
    # The recommendations a priority checks, as the rule names them.
    "high": {"en": "high-priority", "zh": "高优先级"},
    "medium": {"en": "medium- or high-priority", "zh": "中、高优先级"},
    "low": {"en": "open", "zh": "任何"},
}
_MESSAGE_TEXT = 60  # characters of a recommendation a message quotes


def describe(params: Mapping[str, Any], lang: str | None) -> str:
    return word(WORDS["rule"], lang).format(priority=word(WORDS[params["priority"]], lang))


def check(gate: Gate, ctx: Context) -> Iterator[GateResult]:
    """A result per recommendation checked, in journey order; a skip when there is none."""
    priority = gate.params["priority"]
    urgent = PRIORITIES[:PRIORITIES.index(priority) + 1]
    today = ctx.today
    checked = 0
    for _, tp in ctx.audit.touchpoints():
        for r in tp.recommendations:
            if r.priority not in urgent or r.due is None or r.status in CLOSED_STATUSES:
                continue
            checked += 1
            line, col = r.at("due")
            late = (today - r.due).days
            text = r.text if len(r.text) <= _MESSAGE_TEXT else r.text[:_MESSAGE_TEXT - 1] + "…"
            message = (f"{r.priority}-priority recommendation for '{tp.id}' was due {r.due} "
                       f"({late} day{'s' * (late != 1)} ago): {text}" if late > 0 else
                       f"{r.priority}-priority recommendation for '{tp.id}' is due {r.due}: {text}")
            yield ctx.result(gate, "fail" if late > 0 else "pass", message, line, col, subject=tp.id,
                             value=r.due.isoformat(), threshold=today.isoformat(),
                             subject_kind="touchpoint", subject_name=tp.name,
                             facts={"due": r.due, "today": today, "days_late": late, "priority": r.priority,
                                    "item": r.text})
    if not checked:
        yield ctx.result(gate, "skip", f"no {word(WORDS[priority], 'en')} recommendation has a due date")


def found(result: GateResult, lang: str | None) -> Found:
    """What was found, and the recommendation's text."""
    facts = result.facts
    if result.outcome == "skip":
        return Found(word(WORDS["skip"], lang))
    due = facts["due"].isoformat()
    text = (word(WORDS["found_late"], lang).format(due=due, days=facts["days_late"]) if result.failed
            else word(WORDS["found"], lang).format(due=due))
    return Found(text, facts["item"])
