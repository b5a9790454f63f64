"""What a fresh user found: impossible funnel counts pass, and a stage that gains is
labelled as the one that loses most.

A segment's count that grows from one stage to the next, or exceeds the stage's own
prospects, gets a located warning (an error with ``--strict``); the page and the JSON
never mark a step that gains as "loses most".
"""

from __future__ import annotations

import json
from pathlib import Path

from conftest import FIXTURES
from journey_audit.audit.validate import validate_text
from journey_audit.cli import main
from journey_audit.figures.scoring import compute
from journey_audit.site.exports import figures_data
from journey_audit.site.pages import AuditPageParts, AuditView, Links, audit_page

TIERS = (FIXTURES / "segments" / "tiers.yaml").read_text(encoding="utf-8")


def tiers(*changes: str) -> str:
    text = TIERS
    for old, new in zip(changes[::2], changes[1::2]):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


GROWING = tiers("key-accounts: 200", "key-accounts: 40", "key-accounts: 90", "key-accounts: 45")
TOO_MANY = tiers("key-accounts: 200", "key-accounts: 1200")


def messages(text: str) -> list[str]:
    _, problems = validate_text(text, "a.yaml", "a")
    return [p.format() for p in problems]


def test_a_segment_that_grows_between_stages_is_warned_where_it_grows():
    [line] = messages(GROWING)
    assert line.startswith("a.yaml:68:21:")
    assert "warning: prospects of segment 'key-accounts' grow from 40 ('search') to 45 ('buy')" in line
    assert line.endswith("(funnel)")


def test_a_segment_counting_more_than_its_stage_is_warned_where_it_is_written():
    [line] = messages(TOO_MANY)
    assert line.startswith("a.yaml:30:21:")
    assert "segment 'key-accounts' counts 1200 prospects in stage 'search', more than the stage's 1000" in line


def test_strict_validate_fails_on_impossible_segment_counts(tmp_path: Path, capsys):
    path = tmp_path / "a.yaml"
    path.write_text(GROWING, encoding="utf-8")
    assert main(["validate", "--strict", str(path)]) != 0
    assert "grow from 40" in capsys.readouterr().err


def test_a_stage_that_gains_is_never_marked_as_losing_most():
    audit, _ = validate_text(GROWING, "a.yaml", "a")
    figures = compute(audit)
    data = json.loads(json.dumps(figures_data(audit, figures)))
    [key] = [s for s in data["segments"] if s["id"] == "key-accounts"]
    assert key["funnel"]["steps"][0]["conversion_percent"] == 112.5
    assert key["funnel"]["leakiest_stage"] is None
    page = audit_page(AuditView(audit, figures), Links("audits/x.md"), "en", AuditPageParts(downloads=()))
    assert "112.5%" in page
    assert "▼ 112.5%" not in page


def test_the_overall_funnel_never_marks_a_gain_as_the_leak():
    audit, problems = validate_text(tiers("prospects: 150", "prospects: 1500"), "a.yaml", "a")
    assert any("prospects grow from 1000" in p.format() for p in problems)
    figures = compute(audit)
    assert figures.funnel.leakiest is None
    assert figures_data(audit, figures)["funnel"]["leakiest_stage"] is None


def test_segments_adding_up_to_more_than_their_stage_are_warned_once():
    [line] = messages(tiers("key-accounts: 200", "key-accounts: 400"))
    assert line.startswith("a.yaml:30:7:")
    assert "warning: the segments' prospects in stage 'search' add up to 1100, more than the stage's 1000" in line


def test_segments_within_their_stage_give_no_warning():
    assert messages(TIERS) == []
