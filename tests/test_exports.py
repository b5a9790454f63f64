"""The downloads: the touchpoint table as CSV for Excel, the computed figures as JSON.

They must agree with the pages to the digit, open Chinese text correctly in Excel
(UTF-8 with BOM), and keep text as text (no spreadsheet formulas from audit text).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from journey_audit.figures.segments import uses_segments
from journey_audit.site.exports import (CSV_COLUMNS, CSV_SEGMENT_COLUMNS, CSV_TEXT_COLUMNS, FIGURES_FORMAT, figures_json,
                                        touchpoints_csv)
from journey_audit.audit.portfolio import load_portfolio
from journey_audit.site.publish import public_view
from journey_audit.figures.scoring import compute, delta, fmt, fmt_percent, quadrant
from journey_audit.audit.validate import validate_file, validate_text

HOSTILE = Path(__file__).parent / "fixtures" / "site" / "audits" / "hostile" / "hostile-2026q1.yaml"


@pytest.fixture(scope="module")
def examples(example_audits):
    portfolio = load_portfolio([example_audits])
    return [public_view(a) for a in portfolio.audits]


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "no byte order mark: Excel would misread Chinese text"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_has_one_row_per_touchpoint_with_the_documented_columns(examples):
    for audit in examples:
        f = compute(audit)
        data = touchpoints_csv(audit, f)
        rows = read_csv(data)
        core = [f"consistency:{cm.id}" for cm in audit.core_messages]
        metrics = list(dict.fromkeys(f"metric:{m.id}" for _, tp in audit.touchpoints() for m in tp.metrics))
        spread = ["rating_spread"] if f.agreement is not None else []  # only an audit with ratings has it
        segmented = list(CSV_SEGMENT_COLUMNS) if uses_segments(audit) else []  # format 1.1 fields written
        assert list(rows[0]) == [*CSV_COLUMNS, *segmented, *core, *metrics, *CSV_TEXT_COLUMNS, *spread]
        assert [r["touchpoint_id"] for r in rows] == [tp.id for _, tp in audit.touchpoints()]
        assert b"\r\n" in data  # Excel's line ends
        for row, (stage, tp) in zip(rows, audit.touchpoints()):
            t = f.touchpoints[tp.id]
            assert (row["stage"], row["touchpoint"], row["intended"]) == (stage.name, tp.name, tp.message.intended)
            assert (row["consistency"], row["score"], row["gap"]) == (fmt(t.consistency), fmt(t.score), fmt(t.gap))
            assert row["quadrant"] == quadrant(t, audit)
            for cm in audit.core_messages:
                v = tp.consistency[cm.id]
                assert row[f"consistency:{cm.id}"] == ("" if v is None else str(v))


def test_json_figures_agree_with_the_pages_to_the_digit(examples):
    by_slug = {a.slug: a for a in examples}
    for audit in examples:
        f = compute(audit)
        prev = compute(by_slug[audit.previous]) if audit.previous else None
        data = json.loads(figures_json(audit, f, prev))
        assert data["format"] == FIGURES_FORMAT and data["audit"] == audit.slug
        shown = lambda x: fmt(x) if x is not None else None  # noqa: E731
        assert [str(data[k]) for k in ("score", "message", "consistency")] == [fmt(f.score), fmt(f.message),
                                                                               fmt(f.consistency)]
        for tp in data["touchpoints"]:
            t = f.touchpoints[tp["id"]]
            assert [str(tp[k]) for k in ("message", "consistency", "score", "gap")] == \
                [fmt(t.message), fmt(t.consistency), fmt(t.score), fmt(t.gap)]
        for cm in data["core_messages"]:
            c = f.core_messages[cm["id"]]
            assert (shown(cm["spread"]), f"{cm['coverage_percent']}%") == (shown(c.spread), fmt_percent(c.coverage))
        assert data["priorities"] == list(f.priorities)
        if data["funnel"]["overall_percent"] is not None:
            assert f"{data['funnel']['overall_percent']}%" == fmt_percent(f.funnel.overall)
        if prev:
            assert data["change"]["score"] == float(delta(prev.score, f.score))
        else:
            assert data["change"] is None


def test_halves_round_away_from_zero_in_the_json_as_on_the_page():
    audit, problems = validate_text("""
title: Tie
client: C
date: 2026-01-15
involvement: low
core_messages: [{id: a, text: A}, {id: b, text: B}]
stages:
  - id: s
    name: S
    touchpoints:
      - {id: t, name: T, channel: online, message: {intended: I, score: 2}, consistency: {a: 2, b: 3}}
""", "tie.yaml", "tie")
    assert audit is not None, problems
    f = compute(audit)
    assert f.score == Decimal("2.25") and fmt(f.score) == "2.3"
    assert json.loads(figures_json(audit, f))["score"] == 2.3


def test_text_that_looks_like_a_formula_stays_text():
    audit, _ = validate_file(HOSTILE, "hostile.yaml")
    rows = read_csv(touchpoints_csv(public_view(audit), compute(audit)))
    assert rows[0]["owner"] == "'=HYPERLINK(\"http://evil.example\",\"click\")"
    assert rows[0]["touchpoint"] == '<svg onload=alert("tp")> 展会 {#evil .x}'  # literal, not escaped
    assert rows[0]["observed"].endswith("trailing backslash \\")


def test_internal_notes_are_exported_only_when_asked_for():
    audit, _ = validate_file(HOSTILE, "hostile.yaml")
    f = compute(audit)
    public = touchpoints_csv(public_view(audit), f)
    assert b"CANARY" not in public and "internal_notes" not in read_csv(public)[0]
    internal = read_csv(touchpoints_csv(public_view(audit, include_internal=True), f))
    assert internal[0]["internal_notes"] == "CANARY-INTERNAL-TOUCHPOINT secret"
    assert b"CANARY" not in figures_json(public_view(audit), f).encode()
