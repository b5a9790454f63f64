"""The audit diff as a reviewer reads it: two versions of an audit go in, the changes
come out in the audit's terms (text, Markdown, JSON).

``tests/fixtures/diff/base.yaml`` is a small audit; each other file there changes one
kind of thing. Golden outputs live in ``tests/fixtures/diff/golden/``; after an
intended change of the output, rewrite them with
``JOURNEY_AUDIT_UPDATE_GOLDEN=1 ./run test tests/test_diff.py`` and review the git diff.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from journey_audit.review import diff_format
from journey_audit.cli import main
from journey_audit.review.diff import diff_audits, diff_files
from journey_audit.review.diff_format import format_json, format_markdown, format_text, md_escape, render
from journey_audit.figures.scoring import compute, fmt, fmt_percent
from journey_audit.audit.validate import validate_text

from conftest import FIXTURES

DIFF = FIXTURES / "diff"
GOLDEN = DIFF / "golden"
VARIANTS = ["metadata", "scores", "structure", "recommendations", "core-messages", "stage-order", "reordered"]
SLUG = "acme-2026q2"
UPDATE = os.environ.get("JOURNEY_AUDIT_UPDATE_GOLDEN") == "1"


def text_of(name: str) -> str:
    return (DIFF / f"{name}.yaml").read_text(encoding="utf-8")


def audit(name: str):
    a, problems = validate_text(text_of(name), f"{name}.yaml", SLUG)
    assert a is not None, problems
    return a


def file_diff(name: str):
    return diff_files(("base.yaml", text_of("base"), SLUG), (f"{name}.yaml", text_of(name), SLUG))


def check_golden(path: Path, actual: str) -> None:
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with JOURNEY_AUDIT_UPDATE_GOLDEN=1 to write it"
    assert actual == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("style,suffix", [("text", "txt"), ("markdown", "md"), ("json", "json")])
@pytest.mark.parametrize("variant", VARIANTS)
def test_golden_outputs(variant, style, suffix):
    check_golden(GOLDEN / f"{variant}.{suffix}", render([file_diff(variant)], style))


# -- what each kind of change reports ----------------------------------------------------

def test_changed_scores_are_listed_old_to_new_with_the_scoring_modules_figures():
    old, new = audit("base"), audit("scores")
    d = diff_audits(old, new)
    fo, fn = compute(old), compute(new)
    assert [t.id for t in d.touchpoints] == ["trade-fair", "sample"]  # unchanged touchpoints are not listed
    fair = {s.name: s for s in d.touchpoints[0].scores}
    assert (fair["message"].old_text, fair["message"].new_text, fair["message"].delta_text) == ("2", "4", "+2")
    assert (fair["consistency.quality"].old_text, fair["consistency.quality"].new_text) == ("3", "4")
    assert "consistency.service" not in fair  # unchanged scores are not listed either
    for name in ("consistency", "score", "gap"):
        assert fair[name].old_text == fmt(getattr(fo.touchpoints["trade-fair"], name))
        assert fair[name].new_text == fmt(getattr(fn.touchpoints["trade-fair"], name))
    assert fair["score"].better == 1 and fair["gap"].better == 1  # a smaller gap is an improvement
    sample = {s.name: s for s in d.touchpoints[1].scores}
    assert (sample["consistency.service"].old_text, sample["consistency.service"].new_text) == ("–", "3")
    overall = d.figures[0]
    assert (overall.old_text, overall.new_text) == (fmt(fo.score), fmt(fn.score))
    stage = next(s for s in d.stages if s.id == "compare")
    assert {f.name: f.new_text for f in stage.figures}["score"] == fmt(fn.stages["compare"].score)


def test_touchpoints_are_matched_by_id_not_position():
    d = diff_audits(audit("base"), audit("structure"))
    by_id = {t.id: t for t in d.touchpoints}
    assert by_id["wechat-group"].status == "added" and by_id["wechat-group"].stage == "experience"
    assert by_id["magazine-ad"].status == "removed"
    sample = by_id["sample"]  # moved to another stage: one change, not a removal and an addition
    assert (sample.status, sample.old_stage, sample.stage) == ("changed", "compare", "buy")
    quote = by_id["quote"]
    assert (quote.old_name, quote.name) == ("报价单", "报价方案")
    assert "web-promo" not in by_id and "trade-fair" not in by_id
    assert d.counts() == {"added": 1, "removed": 1, "changed": 2, "moved": 1, "renamed": 1}
    stages = {s.id: s for s in d.stages}
    assert stages["experience"].status == "added"
    assert (stages["buy"].old_name, stages["buy"].name) == ("决策", "决策与购买")
    assert [(c.field, c.old, c.new) for c in stages["buy"].fields] == [("prospects", "100", "120")]


def test_same_data_written_differently_is_no_change():
    d = diff_audits(audit("base"), audit("reordered"))
    assert not d.changed and d.touchpoints == () and d.stages == () and d.stage_order is None
    assert "no change in the audit's data" in format_text([file_diff("reordered")])


def test_metadata_changes():
    d = diff_audits(audit("base"), audit("metadata"))
    assert [c.field for c in d.metadata] == ["title", "auditors", "industry", "status", "summary"]
    status = next(c for c in d.metadata if c.field == "status")
    assert (status.old, status.new) == ("draft", "final")
    assert next(c for c in d.metadata if c.field == "industry").old is None
    assert d.touchpoints == () and d.stages == ()


def test_recommendations_and_evidence_added_removed_changed():
    d = diff_audits(audit("base"), audit("recommendations"))
    recs = {t.id: [(r.status, r.text, r.old_text) for r in t.recommendations] for t in d.touchpoints}
    assert recs["web-promo"] == [("added", "关键词改投“五星级酒店用品”", None)]
    assert recs["trade-fair"] == [("removed", "Build a sample hotel room on the booth", None)]
    assert recs["quote"] == [("changed", "报价单附上24小时售后承诺", "报价单附上售后承诺")]  # reworded, matched
    quote_fields = [(c.field, c.old, c.new) for c in d.touchpoints[-1].recommendations[0].fields]
    assert quote_fields == [("priority", "medium", "high"), ("due", None, "2026-10-15")]
    sample = next(t for t in d.touchpoints if t.id == "sample")
    assert [(e.status, e.text) for e in sample.evidence] == [("changed", "样品包装照片"), ("added", "客户签收记录")]
    assert all(not t.scores for t in d.touchpoints)  # no score moved


def test_core_messages_added_and_reworded():
    d = diff_audits(audit("base"), audit("core-messages"))
    assert [(c.id, c.status) for c in d.core_messages] == [("service", "changed"), ("custom", "added")]
    assert d.core_messages[0].old_text == "24小时响应的售后服务"


def test_stage_order():
    d = diff_audits(audit("base"), audit("stage-order"))
    assert d.stage_order == (("search", "compare", "buy"), ("search", "buy", "compare"))
    funnel = next(f for f in d.figures if f.name == "funnel")
    assert funnel.new_text == fmt_percent(compute(audit("stage-order")).funnel.overall)


@pytest.mark.parametrize("variant", VARIANTS)
def test_every_figure_in_the_diff_is_the_scoring_modules(variant):
    new = audit(variant)
    fn = compute(new)
    d = diff_audits(audit("base"), new)
    shown = {f.name: f.new_text for f in d.figures}
    assert shown["score"] == fmt(fn.score) and shown["message"] == fmt(fn.message)
    assert shown["consistency"] == fmt(fn.consistency)
    for s in d.stages:
        for f in s.figures:
            if s.status != "removed" and f.kind == "figure":
                assert f.new_text == fmt(getattr(fn.stages[s.id], f.name))
    for t in d.touchpoints:
        for f in t.scores:
            if t.status != "removed" and f.kind == "figure":
                assert f.new_text == fmt(getattr(fn.touchpoints[t.id], f.name))


# -- formats -----------------------------------------------------------------------------

def test_markdown_escapes_what_would_break_a_table_or_a_list():
    hostile = text_of("scores").replace("name: Trade fair", 'name: "Fair | *booth* <script>"')
    fd = diff_files(("a.yaml", text_of("base"), SLUG), ("b.yaml", hostile, SLUG))
    md = format_markdown([fd])
    assert "Fair \\| \\*booth\\* \\<script\\>" in md and "<script>" not in md
    assert md_escape("第一行\n第二行") == "第一行<br>第二行"


def test_json_is_stable_and_every_field_is_documented():
    doc = json.loads(format_json([file_diff("structure"), file_diff("recommendations")]))
    assert doc["version"] == 1
    documented = set(re.findall(r"``([a-z_]+)``", diff_format.__doc__))
    keys: set[str] = set()

    def walk(x):
        if isinstance(x, dict):
            keys.update(x)
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(doc)
    assert keys - documented == set()
    wechat = next(t for t in doc["files"][0]["diff"]["touchpoints"] if t["id"] == "wechat-group")
    score = next(s for s in wechat["scores"] if s["name"] == "score")
    assert score["old"] is None and score["new"] == float(fmt(compute(audit("structure")).touchpoints["wechat-group"]
                                                                   .score))
    assert "客户微信服务群" in format_json([file_diff("structure")])  # UTF-8, not \\u escapes


def test_text_is_coloured_only_when_asked():
    plain = format_text([file_diff("scores")])
    coloured = format_text([file_diff("scores")], color=True)
    assert "\x1b[" not in plain and "\x1b[34m+2\x1b[0m" in coloured  # an improvement, in blue
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


# -- the command -------------------------------------------------------------------------

def test_diff_command_two_files(capsys):
    assert main(["diff", str(DIFF / "base.yaml"), str(DIFF / "scores.yaml"), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "- **trade-fair** Trade fair (compare, moment of truth): message 2 → 4 (+2)" in out


def test_diff_command_colour_follows_the_terminal(capsys, monkeypatch):
    args = ["diff", str(DIFF / "base.yaml"), str(DIFF / "scores.yaml")]
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    main(args)
    assert "\x1b[" in capsys.readouterr().out
    monkeypatch.setenv("NO_COLOR", "1")
    main(args)
    assert "\x1b[" not in capsys.readouterr().out
    monkeypatch.setattr("sys.stdout.isatty", lambda: False)
    monkeypatch.delenv("NO_COLOR")
    main(args)
    assert "\x1b[" not in capsys.readouterr().out


def test_diff_command_with_an_invalid_side_names_the_problem(tmp_path, capsys):
    broken = tmp_path / "acme-2026q2.yaml"
    broken.write_text(text_of("scores").replace("score: 4", "score: 9"), encoding="utf-8")
    assert main(["diff", str(DIFF / "base.yaml"), str(broken)]) == 1
    out = capsys.readouterr().out
    assert re.search(rf"{re.escape(str(broken))}:\d+:\d+: error: message score 9 is off the scale 1..5", out)
    assert "cannot compare" in out


def test_diff_command_usage_errors(capsys):
    assert main(["diff", str(DIFF / "base.yaml")]) == 2
    assert main(["diff", "--git", "a", "b", "c"]) == 2
    assert "diff takes OLD NEW" in capsys.readouterr().err
    assert main(["diff", "no/such.yaml", str(DIFF / "base.yaml")]) == 1
    assert "no/such.yaml" in capsys.readouterr().err
