"""Derived figures of an audit, checked against values computed by hand.

An audit goes in (written as YAML, validated like any other), figures come out.
The arithmetic is in the comments; the expected values are exact fractions, so a
figure that is right only after rounding still fails.
"""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction as F

import pytest

from journey_audit.figures.scoring import compute, delta, fmt, fmt_delta, fmt_percent, round1
from journey_audit.audit.validate import validate_text

# Scale 1..5 (middle 3), weights message 0.4 / consistency 0.6, core messages q, s, c.
# Stage `buy` lists `mail` before `call`: both have the same gap, `call` is a moment of truth.
AUDIT = """\
title: Scoring by hand
client: Acme Tools
date: 2026-01-15
involvement: high
weights: {message: 0.4, consistency: 0.6}
core_messages:
  - {id: q, text: Quality}
  - {id: s, text: Service}
  - {id: c, text: Custom design}
stages:
  - id: search
    name: 寻找信息
    prospects: 1000
    touchpoints:
      - {id: web, name: 网络推广, channel: online, importance: 5,
         message: {intended: x, score: 2}, consistency: {q: 3, s: ~, c: 4}}
      - {id: fair, name: 展会, channel: event, importance: 3,
         message: {intended: x, score: 4}, consistency: {q: 4, s: 2, c: 3}}
  - id: compare
    name: 比较供应商
    prospects: 400
    touchpoints:
      - {id: quote, name: 报价单, channel: print, importance: 4,
         message: {intended: x, score: 3}, consistency: {q: 2, s: 2, c: 2}}
  - id: buy
    name: 决策与购买
    prospects: 100
    touchpoints:
      - {id: mail, name: 邮件, channel: email, importance: 5,
         message: {intended: x, score: 3}, consistency: {q: 3, s: 3, c: 3}}
      - {id: call, name: 电话, channel: phone, importance: 5, moment_of_truth: true,
         message: {intended: x, score: 3}, consistency: {q: 3, s: 3, c: ~},
         recommendations: [{text: y, priority: high}]}
"""


@pytest.fixture(scope="module")
def figures():
    audit, problems = validate_text(AUDIT, "scoring.yaml", "scoring")
    assert problems == [], problems
    return compute(audit)


def test_touchpoint_consistency_leaves_null_out(figures):
    # web: q 3, s ~ (does not apply), c 4  →  (3 + 4) / 2 = 3.5, not (3 + 0 + 4) / 3
    assert figures.touchpoints["web"].consistency == F(7, 2)
    # call: q 3, s 3, c ~  →  6 / 2 = 3
    assert figures.touchpoints["call"].consistency == 3


def test_touchpoint_score_with_weights_0_4_and_0_6(figures):
    # web:   0.4 × 2 + 0.6 × 3.5 = 0.8 + 2.1 = 2.9
    # fair:  consistency (4 + 2 + 3) / 3 = 3;  0.4 × 4 + 0.6 × 3 = 1.6 + 1.8 = 3.4
    # quote: consistency 2;                    0.4 × 3 + 0.6 × 2 = 1.2 + 1.2 = 2.4
    # mail, call: consistency 3;               0.4 × 3 + 0.6 × 3 = 3.0
    got = {i: t.score for i, t in figures.touchpoints.items()}
    assert got == {"web": F(29, 10), "fair": F(17, 5), "quote": F(12, 5), "mail": 3, "call": 3}


def test_gap_is_importance_times_distance_to_the_top(figures):
    # web 5 × (5 − 2.9) = 10.5;  fair 3 × (5 − 3.4) = 4.8;  quote 4 × (5 − 2.4) = 10.4;
    # mail 5 × (5 − 3) = 10;  call 5 × (5 − 3) = 10
    got = {i: t.gap for i, t in figures.touchpoints.items()}
    assert got == {"web": F(21, 2), "fair": F(24, 5), "quote": F(52, 5), "mail": 10, "call": 10}


def test_priorities_by_gap_moment_of_truth_first_on_ties(figures):
    # 10.5 web > 10.4 quote > 10 call = 10 mail > 4.8 fair; call (moment of truth) before mail,
    # although mail comes first in the journey.
    assert figures.priorities == ("web", "quote", "call", "mail", "fair")


def test_stage_scores_are_importance_weighted_means(figures):
    search = figures.stages["search"]
    # score:       (5 × 2.9 + 3 × 3.4) / (5 + 3) = (14.5 + 10.2) / 8 = 24.7 / 8 = 3.0875
    # message:     (5 × 2 + 3 × 4) / 8 = 22 / 8 = 2.75
    # consistency: (5 × 3.5 + 3 × 3) / 8 = 26.5 / 8 = 3.3125
    assert (search.score, search.message, search.consistency) == (F(247, 80), F(11, 4), F(53, 16))
    assert (fmt(search.score), fmt(search.message), fmt(search.consistency)) == ("3.1", "2.8", "3.3")
    # a plain mean would give (2.9 + 3.4) / 2 = 3.15: the weights matter
    buy = figures.stages["buy"]
    assert (buy.score, buy.message, buy.consistency) == (3, 3, 3)


def test_audit_scores_are_importance_weighted_means(figures):
    # importances 5 + 3 + 4 + 5 + 5 = 22
    # score:       (5 × 2.9 + 3 × 3.4 + 4 × 2.4 + 5 × 3 + 5 × 3) / 22 = (14.5 + 10.2 + 9.6 + 15 + 15) / 22 = 64.3 / 22
    # message:     (5 × 2 + 3 × 4 + 4 × 3 + 5 × 3 + 5 × 3) / 22 = 64 / 22
    # consistency: (5 × 3.5 + 3 × 3 + 4 × 2 + 5 × 3 + 5 × 3) / 22 = 64.5 / 22
    assert figures.score == F(643, 220)
    assert figures.message == F(32, 11)
    assert figures.consistency == F(129, 44)
    assert (fmt(figures.score), fmt(figures.message), fmt(figures.consistency)) == ("2.9", "2.9", "2.9")


def test_coverage_and_spread_per_core_message(figures):
    # middle of 1..5 = 3; spread = population standard deviation (divide by n, not n − 1)
    q, s, c = (figures.core_messages[i] for i in "qsc")
    # q: 3, 4, 2, 3, 3  → mean 15/5 = 3; ≥ 3: four of five = 80%;
    #    deviations 0, 1, −1, 0, 0 → variance 2/5 → spread √0.4 = 0.632… (sample sd would be 0.707…)
    assert (q.scored, q.mean, q.coverage) == (5, 3, F(4, 5))
    assert q.spread == pytest.approx(math.sqrt(0.4))
    assert (fmt_percent(q.coverage), fmt(q.spread)) == ("80.0%", "0.6")
    # s: ~, 2, 2, 3, 3 → four scored, mean 2.5; ≥ 3: two of four = 50%; deviations ±0.5 → variance 1/4 → 0.5
    assert (s.scored, s.mean, s.coverage, s.spread) == (4, F(5, 2), F(1, 2), 0.5)
    # c: 4, 3, 2, 3, ~ → mean 3; ≥ 3: three of four = 75%; deviations 1, 0, −1, 0 → variance 2/4 → √0.5 = 0.707…
    assert (c.scored, c.mean, c.coverage) == (4, 3, F(3, 4))
    assert c.spread == pytest.approx(math.sqrt(0.5))
    assert fmt(c.spread) == "0.7"


def test_funnel_conversions_and_the_leakiest_stage(figures):
    funnel = figures.funnel
    # search → compare: 400 / 1000 = 40% (600 lost); compare → buy: 100 / 400 = 25% (300 lost)
    assert [(s.from_stage, s.to_stage, s.conversion) for s in funnel.steps] == [
        ("search", "compare", F(2, 5)), ("compare", "buy", F(1, 4))]
    # The leakiest stage loses the largest SHARE: compare (75%), though search loses more people (600).
    assert funnel.leakiest == "compare"
    assert funnel.overall == F(1, 10) and fmt_percent(funnel.overall) == "10.0%"
    assert (figures.stages["search"].lost, figures.stages["compare"].lost) == (600, 300)
    assert figures.stages["buy"].conversion is None  # last stage: nothing to convert to


def test_funnel_without_counts_and_with_an_empty_stage():
    no_counts, _ = validate_text(AUDIT.replace("    prospects: 1000\n", "").replace("    prospects: 400\n", "")
                                 .replace("    prospects: 100\n", ""), "a.yaml", "a")
    funnel = compute(no_counts).funnel
    assert (funnel.steps, funnel.leakiest, funnel.overall) == ((), None, None)
    zero, _ = validate_text(AUDIT.replace("prospects: 1000", "prospects: 0").replace("prospects: 400", "prospects: 0")
                            .replace("prospects: 100", "prospects: 0"), "a.yaml", "a")
    funnel = compute(zero).funnel
    # 0 → 0 has no conversion rate (not 0%, not a division error)
    assert [s.conversion for s in funnel.steps] == [None, None]
    assert (funnel.leakiest, funnel.overall) == (None, None)


@pytest.mark.parametrize("x, shown", [
    (F(9, 4), "2.3"),      # 2.25 → 2.3 (halves away from zero)
    (F(47, 20), "2.4"),    # 2.35 → 2.4
    (F(-1, 4), "-0.3"),    # −0.25 → −0.3
    (F(-9, 4), "-2.3"),
    (2.25, "2.3"), (2.35, "2.4"), (-0.25, "-0.3"),  # floats, read as the decimal they were written as
    (F(1, 20), "0.1"), (F(-1, 100), "0.0"),       # never "-0.0"
    (3, "3.0"), (None, "–"),
])
def test_rounding_of_halves(x, shown):
    assert fmt(x) == shown


def test_a_half_that_floats_would_round_down():
    # weights 0.4 / 0.6, message 1, consistency (2 + 3 + 3 + 3) / 4 = 2.75:
    # 0.4 × 1 + 0.6 × 2.75 = 0.4 + 1.65 = 2.05 → 2.1  (in floats, round(0.4 * 1 + 0.6 * 2.75, 1) gives 2.0)
    text = """\
title: t
client: c
date: 2026-01-15
involvement: low
weights: {message: 0.4, consistency: 0.6}
core_messages: [{id: a, text: A}, {id: b, text: B}, {id: c, text: C}, {id: d, text: D}]
stages:
  - id: s
    name: S
    touchpoints:
      - {id: t, name: T, channel: other, message: {intended: x, score: 1}, consistency: {a: 2, b: 3, c: 3, d: 3}}
"""
    audit, problems = validate_text(text, "a.yaml", "a")
    assert problems == [], problems
    figures = compute(audit)
    assert figures.touchpoints["t"].score == F(41, 20) and fmt(figures.touchpoints["t"].score) == "2.1"
    # one touchpoint: the audit's figures are the touchpoint's
    assert (fmt(figures.score), fmt(figures.message), fmt(figures.consistency)) == ("2.1", "1.0", "2.8")


def test_round1_and_deltas_agree_with_what_is_shown():
    assert round1(F(9, 4)) == Decimal("2.3")
    # 2.04 shows as 2.0 and 2.16 as 2.2: the change shown is +0.2, not +0.1 (2.16 − 2.04 = 0.12)
    assert delta(F(204, 100), F(216, 100)) == Decimal("0.2")
    assert fmt_delta(delta(F(5, 2), F(9, 4))) == "-0.2"   # 2.5 → 2.3
    assert fmt_delta(delta(3, 3)) == "±0.0"
    assert fmt_delta(delta(None, 3)) == "–"
