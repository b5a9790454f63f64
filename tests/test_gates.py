"""Score gates (``journey-audit check``): a regression in an audit fails CI, with a
message that names the touchpoint and the threshold.

``tests/fixtures/gates/acme/`` holds two rounds of one client: in round two the trade
fair's consistency fell (stage ``compare`` drops 0.8) and the quote, a moment of
truth, still scores 2 on message.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from journey_audit.cli import main
from journey_audit.figures.gates import DEFAULT_CONFIG, check_audits, evaluate, load_gates, parse_gates
from journey_audit.audit.portfolio import load_portfolio
from journey_audit.figures.scoring import compute, fmt
from journey_audit.audit.validate import validate_text

from conftest import FIXTURES

GATES = FIXTURES / "gates"
ROUND2 = "audits/acme/acme-2026q2.yaml"
DAY_AFTER_DUE = "2026-10-01"  # web-promo's high-priority recommendation was due 2026-09-30


@pytest.fixture
def client(project: Path) -> Path:
    shutil.copytree(GATES, project / "audits")
    return project


def write_gates(project: Path, text: str) -> None:
    (project / DEFAULT_CONFIG).write_text(text, encoding="utf-8")


def test_a_regression_fails_the_check_naming_the_touchpoint_and_threshold(client, capsys):
    write_gates(client, "gates:\n  - rule: moment-of-truth\n    min: 3\n")
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    # Points at the quote's message score, line and column, in the round-two file.
    assert out == (f"{ROUND2}:91:18: error: moment of truth 'quote' (报价单) scores 2 on message, below the gate's "
                   "minimum of 3 (gate moment-of-truth)\n")
    assert err == "failed: 1 gate on 1 audit; 1 error, 0 warnings\n"


def test_stage_drop_against_the_previous_round(client, capsys):
    write_gates(client, "gates:\n  - rule: stage-drop\n    max_drop: 0.5\n")
    assert main(["check"]) == 1
    out = capsys.readouterr().out
    portfolio = load_portfolio([client / "audits"])
    old, new = (compute(a).stages["compare"].consistency for a in sorted(portfolio.audits, key=lambda a: a.date))
    assert out == (f"{ROUND2}:51:5: error: stage 'compare' (比较供应商): consistency {fmt(old)} → {fmt(new)} (-0.8) "
                   "since 'acme-2026q1', a drop of more than the gate's 0.5 (gate stage-drop)\n")
    write_gates(client, "gates:\n  - rule: stage-drop\n    max_drop: 0.8\n")  # exactly 0.8 is allowed
    assert main(["check"]) == 0


def test_warn_level_reports_without_failing(client, capsys):
    write_gates(client, "gates:\n  - rule: overall\n    min: 3.5\n    level: warn\n")
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert out == f"{ROUND2}: warning: overall score 2.7 is below the gate's minimum of 3.5 (gate overall)\n"
    assert err.startswith("ok: ")


def test_past_due_uses_the_given_day(client, capsys):
    write_gates(client, "gates:\n  - rule: past-due\n")
    assert main(["check", "--today", "2026-09-30"]) == 0  # due today is not late
    assert main(["check", "--today", DAY_AFTER_DUE]) == 1
    out = capsys.readouterr().out
    assert out == (f"{ROUND2}:40:18: error: high-priority recommendation for 'web-promo' was due 2026-09-30 "
                   "(1 day ago): 建立五星级酒店案例落地页 (gate past-due)\n")
    assert main(["check", "--today", "30.9.2026"]) == 2


def test_only_the_latest_round_is_checked_unless_asked(client, capsys):
    write_gates(client, "gates:\n  - rule: moment-of-truth\n    min: 3\n")
    main(["check", "--verbose"])
    assert "acme-2026q1" not in capsys.readouterr().out
    main(["check", "--verbose", "--all-rounds"])  # round one is a draft: not a round unless asked
    assert "acme-2026q1" not in capsys.readouterr().out
    main(["check", "--verbose", "--all-rounds", "--drafts"])
    out = capsys.readouterr().out
    assert re.search(r"audits/acme/acme-2026q1\.yaml:\d+:18: error: moment of truth 'quote'", out)
    assert re.search(r"audits/acme/acme-2026q1\.yaml:\d+:18: pass: moment of truth 'trade-fair' \(Trade fair\) "
                     r"scores 4", out)


def test_github_annotations(client, capsys):
    write_gates(client, "gates:\n  - rule: moment-of-truth\n    min: 3\n  - rule: overall\n    min: 3.5\n"
                        "    level: warn\n")
    assert main(["check", "--format", "github"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        f"::error file={ROUND2},line=91,col=18,title=gate moment-of-truth::moment of truth 'quote' (报价单) scores 2 "
        "on message, below the gate's minimum of 3",
        f"::warning file={ROUND2},title=gate overall::overall score 2.7 is below the gate's minimum of 3.5"]


# -- the library, as the site calls it ---------------------------------------------------

def audit_from(text: str, slug: str = "a"):
    a, problems = validate_text(text, f"{slug}.yaml", slug)
    assert a is not None, problems
    return a


ONE = """
title: T
client: C
date: 2026-01-01
involvement: low
weights: {message: 0.45, consistency: 0.55}
core_messages: [{id: q, text: Quality}]
stages: [{id: s, name: S, touchpoints: [{id: fair, name: 展会, channel: event, moment_of_truth: true,
          message: {intended: Range, score: 4}, consistency: {q: 3}}]}]
"""


def test_figures_are_compared_as_shown():
    audit = audit_from(ONE)  # overall 0.45 × 4 + 0.55 × 3 = 3.45, shown as 3.5
    assert fmt(compute(audit).score) == "3.5"
    gates, _ = parse_gates("gates:\n  - rule: overall\n    min: 3.5\n  - rule: overall\n    min: 3.6\n")
    assert [r.outcome for r in evaluate(audit, gates)] == ["pass", "fail"]


def test_results_for_the_site_pass_fail_skip_with_values():
    audit = audit_from(ONE)
    gates, _ = parse_gates("gates:\n  - rule: moment-of-truth\n    min: 3\n    figure: score\n"
                           "  - rule: stage-drop\n    max_drop: 0.5\n  - rule: past-due\n")
    results = evaluate(audit, gates, today=dt.date(2026, 1, 2))
    assert [(r.gate.rule, r.outcome, r.subject, r.value, r.threshold) for r in results] == [
        ("moment-of-truth", "pass", "fair", "3.5", "3"),
        ("stage-drop", "skip", None, None, None),
        ("past-due", "skip", None, None, None)]
    assert results[1].message == "no previous round (the audit names no 'previous')"
    assert gates[0].describe() == "every moment of truth scores at least 3 on score"


def test_check_audits_compares_with_the_previous_round():
    portfolio = load_portfolio([GATES])
    gates, _ = parse_gates("gates:\n  - rule: stage-drop\n    max_drop: 0.5\n    figure: score\n")
    results = check_audits(portfolio.audits, gates)
    assert {r.subject: r.outcome for r in results} == {"search": "pass", "compare": "fail", "buy": "pass"}


# -- the gates file ----------------------------------------------------------------------

def test_the_example_gates_file_loads(example_project):
    gates, problems = load_gates(example_project / DEFAULT_CONFIG)  # as the commit ships it
    assert problems == []
    assert [(g.rule, g.level) for g in gates] == [("moment-of-truth", "warn"), ("overall", "warn"),
                                                  ("stage-drop", "error"), ("past-due", "warn")]


@pytest.mark.parametrize("text,expected", [
    ("gates:\n  - rule: overal\n    min: 3\n",
     "g.yaml:2:11: error: unknown rule 'overal'; use one of moment-of-truth, overall, stage-drop, past-due, "
     "follow-through, metric-target, auditor-agreement "
     "(did you mean 'overall'?) (gates-config)"),
    ("gates:\n  - rule: overall\n", "g.yaml:2:5: error: rule 'overall' needs 'min:' (gates-config)"),
    ("gates:\n  - rule: overall\n    min: high\n",
     "g.yaml:3:10: error: 'min' must be a number of 0 or more, not 'high' (gates-config)"),
    ("gates:\n  - rule: overall\n    min: 3\n    level: fatal\n",
     "g.yaml:4:12: error: level must be error or warn, not 'fatal' (gates-config)"),
    ("gates:\n  - rule: past-due\n    priorty: high\n",
     "g.yaml:3:5: error: rule 'past-due' has no setting 'priorty' (did you mean 'priority'?); it takes priority, "
     "level (gates-config)"),
    ("rules: []\n", "g.yaml:1:1: error: a gates file holds one key, 'gates:', with a list of rules (- rule: overall …) "
                    "(gates-config)"),
    ("gates: overall\n", "g.yaml:1:8: error: 'gates' must be a list of rules, each starting with '- rule: …' "
                         "(gates-config)"),
    ("gates: [\n", None),
])
def test_mistakes_in_the_gates_file_point_at_their_line(text, expected):
    gates, problems = parse_gates(text, "g.yaml")
    assert gates == [] and problems
    if expected is None:
        assert problems[0].rule == "yaml-syntax"
    else:
        assert [p.format() for p in problems] == [expected]


def test_missing_gates_file(client, capsys):
    assert main(["check"]) == 1
    assert "no gates file journey-audit.gates.yaml" in capsys.readouterr().err


def test_a_draft_is_not_taken_for_the_latest_round(client, capsys):
    # Right after `journey-audit new`, the client's newest file is a draft template:
    # check still judges the last real round, unless asked to count drafts.
    write_gates(client, "gates:\n  - rule: moment-of-truth\n    min: 3\n")
    assert main(["new", "acme-2026q3", "--client", "ACME Tools"]) == 0
    capsys.readouterr()
    assert main(["check"]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{ROUND2}:91:18: error: moment of truth 'quote'") and "acme-2026q3" not in out + err
    main(["check", "--drafts", "--verbose"])
    out, _ = capsys.readouterr()
    assert "acme-2026q3.yaml" in out and ROUND2 not in out


def test_the_summary_counts_the_audits_that_could_not_be_checked(project, capsys):
    (project / "audits").mkdir()
    (project / "audits" / "broken.yaml").write_text(
        (FIXTURES / "bad" / "score-off-scale.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    write_gates(project, "gates:\n  - rule: overall\n    min: 3\n")
    assert main(["check"]) == 1
    err = capsys.readouterr().err
    assert "(score-range)" in err and err.rstrip().endswith("and 1 error in the audits (listed above)")
