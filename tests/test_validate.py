"""The rules of the format page, one audit at a time and across a portfolio.

The single-mistake corpus lives in test_bad_inputs.py; here: what a valid audit
becomes (defaults applied), rules with several outcomes, and reporting all problems
of all files in one run.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from journey_audit.audit.portfolio import load_portfolio
from journey_audit.audit.validate import slugify, validate_file, validate_text

from conftest import GOOD


def problems_of(text: str, slug: str = "audit") -> list[str]:
    _, problems = validate_text(text, "a.yaml", slug)
    return [p.format() for p in problems]


# -- what a valid audit becomes ---------------------------------------------------

def test_minimal_audit_gets_the_defaults_of_the_format_page():
    audit, problems = validate_file(GOOD / "minimal.yaml")
    assert problems == []
    assert audit.slug == "minimal" and audit.client_id == "acme-tools"  # slug of `client`
    assert audit.date == dt.date(2026, 1, 15)
    assert audit.status == "final"
    assert (audit.scale.min, audit.scale.max, audit.scale.label(3)) == (1, 5, "Adequate")
    assert (audit.weights.message, audit.weights.consistency) == (0.5, 0.5)
    [(stage, tp)] = list(audit.touchpoints())
    assert tp.importance == 5 and tp.moment_of_truth is False  # default importance: the scale's max
    assert tp.evidence == [] and tp.recommendations == []


def test_rich_audit_keeps_every_field():
    audit, problems = validate_file(GOOD / "rich.yaml")
    assert problems == []
    assert audit.client_id == "acme-tools" and audit.previous == "minimal" and audit.status == "draft"
    assert audit.auditors == ["王敏", "Lee Chen"] and audit.language == "zh"
    assert audit.scale.labels[5] == "优秀"
    assert (audit.weights.message, audit.weights.consistency) == (0.4, 0.6)
    assert [s.prospects for s in audit.stages] == [1000, 400, 100]
    web = audit.touchpoint("web-promo")
    assert web.consistency == {"quality": 3, "service": None}
    assert [e.url for e in web.evidence] == ["https://example.com/evidence/home.png", "evidence/sem-report.pdf"]
    assert web.recommendations[0].due == dt.date(2026, 9, 30)
    assert [tp.id for _, tp in audit.touchpoints()] == ["web-promo", "sales-visit", "trade-fair", "quote"]
    # positions survive into the model, for every later step that must point at the file
    assert audit.touchpoint("quote").at("id") == (96, 13)
    assert web.message.at("score") == (49, 18)


def test_chinese_client_name_gets_a_stable_client_id(minimal_text):
    one, _ = validate_text(minimal_text.replace("client: Acme Tools", "client: 华锦酒店用品"))
    two, _ = validate_text(minimal_text.replace("client: Acme Tools", "client: 华锦酒店用品"))
    assert one.client_id == two.client_id and one.client_id.startswith("client-")


def test_quoted_date_and_empty_optional_fields_are_fine(minimal_text):
    text = minimal_text.replace("date: 2026-01-15", 'date: "2026-01-15"\nindustry:\nauditors: ~')
    audit, problems = validate_text(text)
    assert problems == [] and audit.date == dt.date(2026, 1, 15) and audit.industry is None


@pytest.mark.parametrize("url", ["https://example.com/a.png", "http://example.com", "mailto:team@example.com",
                                 "evidence/a.png", "../shared/report.pdf", "证据/截图.png"])
def test_allowed_evidence_links(minimal_text, url):
    text = minimal_text.replace("quality: 4", f"quality: 4\n        evidence:\n          - title: x\n"
                                              f"            url: \"{url}\"")
    assert problems_of(text) == []


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:x", "data:text/html,x",
                                 "file:///etc/passwd", "/etc/passwd", "//evil.example/x", "http://",
                                 "https://exa mple.com", "vbscript:x"])
def test_refused_evidence_links(minimal_text, url):
    text = minimal_text.replace("quality: 4", f"quality: 4\n        evidence:\n          - title: x\n"
                                              f"            url: \"{url}\"")
    assert problems_of(text) == [f"a.yaml:22:18: error: 'url' '{url}' is not an allowed link: use http://, "
                                 "https://, mailto: or a relative path (url)"]


# -- rules ------------------------------------------------------------------------

def test_custom_scale_moves_the_range_of_every_score(minimal_text):
    text = minimal_text.replace("involvement: low", "involvement: low\nscale: {min: 0, max: 10}")
    text = text.replace("score: 3", "score: 9").replace("quality: 4", "quality: 0")
    audit, problems = validate_text(text)
    assert problems == [] and audit.touchpoint("website").importance == 10 and audit.scale.labels == {}
    assert problems_of(text.replace("score: 9", "score: 11")) == [
        "a.yaml:18:18: error: message score 11 is off the scale 0..10: write a whole number from 0 to 10 (score-range)"]


def test_scale_labels_outside_the_scale(minimal_text):
    text = minimal_text.replace("involvement: low", "involvement: low\nscale: {min: 1, max: 4, labels: {1: 差, 5: 好}}")
    # the position is that of the label (好), on the line of its key
    assert problems_of(text) == ["a.yaml:5:43: error: label for 5, which is outside the scale 1..4 (scale)"]


def test_same_label_key_written_two_ways(minimal_text):
    text = minimal_text.replace("involvement: low", "involvement: low\nscale:\n  labels: {1: a, 01: b}")
    assert problems_of(text) == ["a.yaml:6:18: error: key '01' of 'labels' repeats 1; keep one (duplicate-key)"]


def test_importance_and_consistency_off_the_scale(minimal_text):
    text = minimal_text.replace("channel: online", "channel: online\n        importance: 9")
    text = text.replace("quality: 4", "quality: 0")
    assert problems_of(text) == [
        "a.yaml:15:21: error: importance 9 is off the scale 1..5: write a whole number from 1 to 5 (score-range)",
        "a.yaml:20:20: error: consistency score for 'quality' 0 is off the scale 1..5: write a whole number from 1 to 5 (or ~ where the core message does not apply) (score-range)",
    ]


def test_enum_suggests_the_word_meant(minimal_text):
    assert problems_of(minimal_text.replace("involvement: low", "involvement: hgh")) == [
        "a.yaml:4:14: error: 'involvement' must be one of high, low, not 'hgh' (did you mean 'high'?) (enum)"]


@pytest.mark.parametrize("old, new, expected", [
    ("title: Minimal audit", 'title: ""', "a.yaml:1:8: error: 'title' is empty (required)"),
    ("title: Minimal audit", "title:", "a.yaml:1:7: error: 'title' needs a value (required)"),
    ("date: 2026-01-15", "date: 15.01.2026",
     "a.yaml:3:7: error: 'date' '15.01.2026' is not a date: write YYYY-MM-DD, e.g. 2026-09-30 (date)"),
    ("score: 3", "score: 3.5", "a.yaml:17:18: error: 'score' must be a whole number, not '3.5' (type)"),
    ("stages:\n", "stages: []\nx:\n", "a.yaml:8:9: error: 'stages' needs at least 1 item (required)"),
    ("id: website", "id: -website",
     "a.yaml:12:13: error: 'id' '-website' is not a valid id: use lowercase letters, digits and hyphens, starting "
     "with a letter or digit (e.g. 'website') (slug)"),
])
def test_one_field_wrong(minimal_text, old, new, expected):
    got = problems_of(minimal_text.replace(old, new))
    assert got[0] == expected, got


def test_every_problem_of_a_file_in_one_run_in_file_order(minimal_text):
    text = (minimal_text.replace("title: Minimal audit\n", "")
            .replace("client: Acme Tools", "client: [a, b]")
            .replace("score: 3", "score: 3.5"))
    assert problems_of(text) == [
        "a.yaml:1:1: error: the audit is missing required key 'title' (required)",
        "a.yaml:1:9: error: 'client' must be text, not a list (type)",
        "a.yaml:16:18: error: 'score' must be a whole number, not '3.5' (type)",
    ]


def test_low_moment_of_truth_with_a_recommendation_is_not_flagged(rich_text):
    # `quote` is a moment of truth scored 2 and has a recommendation: no warning.
    assert problems_of(rich_text, "rich") == []
    without = rich_text.replace("        recommendations:\n          - text: 报价单附上售后承诺\n"
                                "            priority: medium\n", "")
    assert problems_of(without, "rich") == [
        "a.yaml:96:9: warning: moment of truth 'quote' scores 2 on message but has no recommendation "
        "(moment-of-truth)"]


def test_funnel_with_some_stages_counted(rich_text):
    text = rich_text.replace("    prospects: 400\n", "")
    assert problems_of(text, "rich") == [
        "a.yaml:34:3: warning: only some stages give prospects; the funnel skips the others (funnel)"]


def test_slugify():
    assert slugify("Hotel Supplies Manufacturer") == "hotel-supplies-manufacturer"
    assert slugify("Café Crème 2026") == "cafe-creme-2026"
    assert slugify("酒店用品") == ""


# -- a portfolio ------------------------------------------------------------------

def test_good_fixtures_validate_together_and_link():
    portfolio = load_portfolio([GOOD])
    assert portfolio.problems == []
    assert {c: [a.slug for a in audits] for c, audits in portfolio.clients().items()} == {
        "acme-tools": ["minimal", "rich"]}


def test_all_problems_of_all_files_sorted_by_file_and_line(tmp_path, write_audit, minimal_text):
    write_audit(minimal_text.replace("score: 3", "score: 9"), "b/acme-2.yaml")
    write_audit(minimal_text.replace("date: 2026-01-15", "date: soon").replace("name: Website", "name: ''"),
                "a/acme-1.yaml")
    write_audit(minimal_text, "c/acme-ok.yaml")
    portfolio = load_portfolio([tmp_path / "audits"])
    assert [(Path(p.path).name, p.line, p.rule) for p in portfolio.problems] == [
        ("acme-1.yaml", 3, "date"), ("acme-1.yaml", 13, "required"), ("acme-2.yaml", 17, "score-range")]
    assert [a.slug for a in portfolio.audits] == ["acme-ok"]


def test_one_slug_in_two_client_folders(tmp_path, write_audit, minimal_text):
    write_audit(minimal_text, "one/acme.yaml")
    write_audit(minimal_text, "two/acme.yaml")
    portfolio = load_portfolio([tmp_path / "audits"])
    [problem] = portfolio.problems
    assert (Path(problem.path).parent.name, problem.rule) == ("two", "unique-slug")
    assert "is also used by" in problem.message and len(portfolio.audits) == 1


def test_previous_dated_after_this_audit_is_a_warning(write_audit, minimal_text, rich_text):
    write_audit(minimal_text.replace("2026-01-15", "2026-12-01"), "minimal.yaml")
    path = write_audit(rich_text, "rich.yaml")
    portfolio = load_portfolio([path.parent])
    assert [(p.level, p.line, p.col, p.message) for p in portfolio.problems] == [
        ("warning", 11, 11, "previous audit 'minimal' is dated 2026-12-01, after this one (2026-06-30)")]


def test_previous_found_outside_the_files_given():
    # `journey-audit validate rich.yaml` still finds its previous round next to it.
    portfolio = load_portfolio([GOOD / "rich.yaml"])
    assert portfolio.problems == [] and [a.slug for a in portfolio.audits] == ["rich"]


def test_missing_path():
    portfolio = load_portfolio([Path("no/such/audits")])
    assert [p.format() for p in portfolio.problems] == ["no/such/audits:1:1: error: no such file or folder (io)"]


# -- a mistake in one place does not hide the others -------------------------------

TWO_TOUCHPOINTS = """\
title: Two mistakes
client: Acme Tools
date: 2026-01-15
involvement: low
{scale}core_messages:
  - id: quality
    text: Tools that last
stages:
  - id: search
    name: Search
    touchpoints:
      - id: website
        name: Website
        channel: online
        message:
          intended: Show the tools at work
          score: three
        consistency:
          quality: 4
      - id: showroom
        name: Showroom
        channel: store
        message:
          intended: Let people hold the tools
          score: 9
        consistency:
          quality: 4
"""


def test_a_broken_touchpoint_does_not_hide_the_mistakes_of_the_next():
    assert problems_of(TWO_TOUCHPOINTS.format(scale="")) == [
        "a.yaml:17:18: error: 'score' must be a whole number, not 'three' (type)",
        "a.yaml:25:18: error: message score 9 is off the scale 1..5: write a whole number from 1 to 5 (score-range)",
    ]


def test_a_broken_scale_is_not_replaced_by_the_default_to_judge_scores():
    # With the scale unreadable, 9 may well be on it: only the scale itself is reported.
    scale = "scale:\n  min: 0\n  max: ten\n"
    assert problems_of(TWO_TOUCHPOINTS.format(scale=scale)) == [
        "a.yaml:7:8: error: 'max' must be a whole number, not 'ten' (type)",
        "a.yaml:20:18: error: 'score' must be a whole number, not 'three' (type)",
    ]


@pytest.mark.parametrize("char", ["\u00ad", "\U000e0041"])  # soft hyphen, an invisible tag letter
def test_other_invisible_characters_are_refused_in_names(minimal_text, char):
    text = minimal_text.replace("name: Website", f"name: Web{char}site")
    [problem] = problems_of(text)
    assert problem.startswith("a.yaml:13:15: error: 'name' contains an invisible control character") \
        and problem.endswith("(invisible-character)")


def test_a_scale_of_a_million_points_is_refused(minimal_text):
    text = minimal_text.replace("involvement: low\n", "involvement: low\nscale:\n  min: 0\n  max: 1000000\n")
    assert problems_of(text) == ["a.yaml:6:3: error: scale 0..1000000 has more than 100 steps; use a rating scale "
                                 "such as 1..5 or 0..10 (scale)"]
