"""What a fresh user found in the wording: messages that name an option that does not
exist, or the wrong reason.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from journey_audit.audit.portfolio import load_portfolio
from journey_audit.audit.rules.examples import MINIMAL
from journey_audit.audit.validate import validate_text
from journey_audit.errors import DiagramTooLarge
from journey_audit.figures.gates import evaluate, parse_gates
from journey_audit.figures.gates.rules import follow_through
from journey_audit.site.plugin import JourneyAuditPlugin

ROUNDS = Path(__file__).parent / "fixtures" / "followup" / "audits"


def messages(text: str) -> list[str]:
    return [p.format() for p in validate_text(text, "a.yaml", "a")[1]]


def test_a_day_the_month_does_not_have_is_named_as_such():
    assert messages(MINIMAL.replace("2026-01-15", "2026-02-30")) == [
        "a.yaml:3:7: error: 'date' '2026-02-30' is not a date: there is no such day: month 2026-02 has 28 days, "
        "not 30 (date)"]
    assert "month 2028-02 has 29 days, not 30" in messages(MINIMAL.replace("2026-01-15", "2028-02-30"))[0]
    assert messages(MINIMAL.replace("2026-01-15", "2026-13-01"))[0].endswith(
        "is not a date: write YYYY-MM-DD, e.g. 2026-09-30 (date)")


@pytest.mark.parametrize("field, chinese, english", [
    ("appeal", "理性", "rational"), ("appeal", "感性", "emotional"), ("appeal", "两者", "both"),
    ("involvement", "高", "high"), ("direction", "接触性", "inbound"), ("direction", "外出型", "outbound")])
def test_the_chinese_word_of_a_value_is_refused_but_names_the_english_value(field, chinese, english):
    if field == "involvement":
        text = MINIMAL.replace("involvement: low", f"involvement: {chinese}")
    elif field == "appeal":
        text = MINIMAL.replace("score: 3", f"score: 3\n          appeal: {chinese}")
    else:
        text = MINIMAL.replace("channel: online", f"channel: online\n        direction: {chinese}")
    [line] = messages(text)
    assert f"error: '{field}' must be one of" in line and f"not '{chinese}' (did you mean '{english}'?) (enum)" in line


def test_the_follow_through_gate_without_a_previous_round_says_so():
    portfolio = load_portfolio([ROUNDS])
    first = next(a for a in portfolio.audits if a.slug == "tools-2026q1")
    assert first.previous is None
    gates, _ = parse_gates("gates:\n  - rule: follow-through\n    min: 0.5\n", "g.yaml")
    [result] = evaluate(first, gates, None, dt.date(2026, 9, 1))
    assert result.outcome == "skip"
    assert result.message == "there is no previous round: the audit names none with `previous:`"
    assert follow_through.found(result, "en").text == "There is no previous round (no `previous:` in the audit)."
    assert follow_through.found(result, "zh").text == "没有上一轮（审计未写 `previous:`）。"


def test_a_too_large_journey_names_the_option_that_really_exists():
    message = str(DiagramTooLarge("audits/huge.yaml", 500, 200))
    assert "build without diagrams" not in message
    assert "`diagrams: false` under `- journey-audit:` in mkdocs.yml's plugins" in message
    assert "diagrams" in dict(JourneyAuditPlugin.config_scheme)
