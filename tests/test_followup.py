"""Format 1.1 over two rounds: what became of last round's recommendations.

Two rounds of one client (``tests/fixtures/followup/audits``): the second carries the
first's recommendations on by id, with statuses. The later round's page shows the
follow-through, overall and per owner, as the JSON export gives it; the
``follow-through`` gate fails and passes on it; ``past-due`` no longer counts what
is done or dropped. An audit without the new fields shows none of it.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from journey_audit.audit.portfolio import load_portfolio
from journey_audit.figures.gates import evaluate, parse_gates
from journey_audit.site.metric_chart import measured
from journey_audit.site.page_light import expand
from journey_audit.site.sitegen import generate

FIXTURES = Path(__file__).parent / "fixtures" / "followup" / "audits"
GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.fixture(scope="module")
def rounds():
    portfolio = load_portfolio([FIXTURES])
    assert not portfolio.problems
    return {a.slug: a for a in portfolio.audits}


@pytest.fixture(scope="module")
def site():
    return generate(load_portfolio([FIXTURES]))


def _text(site, path: str) -> str:
    data = site.files[path]
    data = data if isinstance(data, str) else data.decode("utf-8") if isinstance(data, bytes) else data.read_text()
    return expand(data)  # the page whole (the site's pages are light: see page_light)


def _section(page: str, anchor: str) -> str:
    start = page.index(f"{{#{anchor}}}")
    end = page.find("\n## ", start)
    return page[start:end if end != -1 else None]


def test_the_later_page_shows_follow_through_as_the_json_gives_it(site):
    page = _text(site, "audits/tools-2026q3.md")
    data = json.loads(_text(site, "audits/tools-2026q3/tools-2026q3-figures.json"))
    ft = data["follow_through"]
    # reply-sla done, photos in progress, demo-bench dropped, price-tags done; the
    # recommendation without an id is not counted.
    assert (ft["done"], ft["total"], ft["percent"]) == (2, 4, 50.0)
    section = _section(page, "follow-through")
    assert "Last round&#39;s recommendations" in page
    assert f'data-rate="{ft["percent"]:.1f}%"' in section and "2 of 4 done (50.0%)" in section
    owners = {o["owner"]: o for o in ft["by_owner"]}
    assert owners == {"Sales": {"owner": "Sales", "done": 1, "total": 1, "percent": 100.0},
                      # photos has no owner of its own: its touchpoint's (FORMAT.md)
                      "Marketing": {"owner": "Marketing", "done": 0, "total": 1, "percent": 0.0},
                      "Retail": {"owner": "Retail", "done": 1, "total": 2, "percent": 50.0}}
    for owner, o in owners.items():
        row = re.search(rf'<tr data-owner="{owner}">(.*?)</tr>', section).group(1)
        assert f">{o['percent']:.1f}%</td>" in row and f">{o['done']}</td>" in row
    statuses = dict(re.findall(r'<tr data-id="([a-z-]+)" data-status="([a-z-]+)">', section))
    assert statuses == {r["id"]: r["status"] for r in ft["recommendations"]} == {
        "reply-sla": "done", "photos": "in-progress", "demo-bench": "dropped", "price-tags": "done"}


def test_done_and_dropped_recommendations_stay_visible_but_apart(site):
    recs = _section(_text(site, "audits/tools-2026q3.md"), "recommendations")
    open_part, _, closed_part = recs.partition("Done or dropped")
    assert "Show the tools in use" in open_part and ">In progress</td>" in open_part
    for text in ("Answer enquiries within 6 hours", "Put a demo bench in the shop", "Clear price tags"):
        assert text in closed_part and text not in open_part
    assert ">Dropped</td>" in closed_part and ">Done</td>" in closed_part


def test_the_first_round_has_no_follow_through(site):
    page = _text(site, "audits/tools-2026q1.md")
    assert "{#follow-through}" not in page
    assert "follow_through" not in json.loads(_text(site, "audits/tools-2026q1/tools-2026q1-figures.json"))
    # It has ids, so its recommendations show their status (open by default), none apart.
    assert ">Open</td>" in page and "Done or dropped" not in page


def test_an_audit_without_the_new_fields_shows_none_of_them():
    site = generate(load_portfolio([GOOD / "minimal.yaml", GOOD / "rich.yaml"]))
    for path, data in site.files.items():
        if path.endswith((".md", ".json")):
            text = _text(site, path)
            assert "follow-through" not in text and "follow_through" not in text and "data-status" not in text
            assert "Done or dropped" not in text and "ja-status-" not in text


@pytest.mark.parametrize("minimum, outcome", [(0.5, "pass"), (0.6, "fail"), (0, "pass")])
def test_the_follow_through_gate(rounds, minimum, outcome):
    gates, problems = parse_gates(f"gates:\n  - rule: follow-through\n    min: {minimum}\n", "g.yaml")
    assert not problems
    [result] = evaluate(rounds["tools-2026q3"], gates, rounds["tools-2026q1"], dt.date(2026, 9, 1))
    assert result.outcome == outcome and result.value == "50.0%"
    if outcome == "fail":
        assert result.format() == (f"{result.path}: error: follow-through 50.0% (2 of 4 "
                                   "recommendations done) is below the gate's minimum of 60% (gate follow-through)")


def test_the_follow_through_gate_is_skipped_without_a_previous_round(rounds):
    gates, _ = parse_gates("gates:\n  - rule: follow-through\n    min: 0.5\n", "g.yaml")
    [result] = evaluate(rounds["tools-2026q1"], gates, None, dt.date(2026, 9, 1))
    assert result.outcome == "skip"


def test_past_due_skips_done_and_dropped_recommendations(rounds):
    gates, _ = parse_gates("gates:\n  - rule: past-due\n    priority: high\n", "g.yaml")
    # Both high-priority recommendations with a due date are done or dropped: nothing left to check.
    [result] = evaluate(rounds["tools-2026q3"], gates, rounds["tools-2026q1"], dt.date(2026, 9, 1))
    assert result.outcome == "skip"
    # In the first round the same one is open and late.
    [late] = evaluate(rounds["tools-2026q1"], gates, None, dt.date(2026, 9, 1))
    assert late.outcome == "fail" and "was due 2026-05-01 (123 days ago)" in late.message


# -- measured results (metrics) ---------------------------------------------------------

def test_missed_targets_and_metric_changes_agree_with_the_json(site):
    page = _text(site, "audits/tools-2026q3.md")
    metrics = {(m["where"], m["id"]): m for m in
               json.loads(_text(site, "audits/tools-2026q3/tools-2026q3-figures.json"))["metrics"]}
    reply, conversion, visits = (metrics[("website", "first-reply")], metrics[("website", "conversion")],
                                 metrics[("search", "visits")])
    assert (reply["value"], reply["previous"], reply["change"], reply["met"]) == (8.5, 20, -11.5, False)
    assert (conversion["change"], conversion["met"]) == (0.75, True)
    assert (visits["change"], visits["met"]) == (300, None)
    # The missed-target table comes before the diagram and lists only the missed one.
    missed = _section(page, "missed-targets")
    assert page.index("{#missed-targets}") < page.index("{#stages}")
    assert re.findall(r'data-metric="([^"]+)"', missed) == ["website/first-reply"]
    assert "8.5 h" in missed and "6 h" in missed and ">Missed</td>" in missed and ">-11.5</td>" in missed
    # Each metric in its touchpoint's section, with its change as the JSON gives it.
    website = page[page.index("{#tp-website}"):page.index("{#tp-shop}")]
    for key in ("first-reply", "conversion"):
        m = metrics[("website", key)]
        row = re.search(rf'<tr data-metric="website/{key}"[^>]*>(.*?)</tr>', website).group(1)
        change = f"{m['change']:+g}"
        assert f">{change}</td>" in row and (">Met</td>" if m["met"] else ">Missed</td>") in row
    assert 'data-metric="search/visits"' in _section(page, "stages") and ">+300</td>" in page


def test_the_csv_has_a_column_per_metric(site):
    rows = _text(site, "audits/tools-2026q3/tools-2026q3-touchpoints.csv").lstrip("\ufeff").splitlines()
    header = rows[0].split(",")
    assert "metric:first-reply" in header and "metric:conversion" in header
    website = dict(zip(header, rows[1].split(",")))
    shop = dict(zip(header, rows[2].split(",")))
    assert (website["metric:first-reply"], website["metric:conversion"]) == ("8.5", "3.25")
    assert shop["metric:first-reply"] == ""


@pytest.mark.parametrize("ids, outcomes", [
    ("", ["fail", "pass"]),
    ("\n    metrics: [conversion]", ["pass"]),
    ("\n    metrics: first-reply", ["fail"]),
    ("\n    metrics: [nothing-here]", ["skip"]),
])
def test_the_metric_target_gate(rounds, ids, outcomes):
    gates, problems = parse_gates(f"gates:\n  - rule: metric-target{ids}\n    level: warn\n", "g.yaml")
    assert not problems
    results = evaluate(rounds["tools-2026q3"], gates, rounds["tools-2026q1"], dt.date(2026, 9, 1))
    assert [r.outcome for r in results] == outcomes
    for r in results:
        if r.failed:
            assert r.format() == (f"{r.path}:29:20: warning: touchpoint 'website' metric 'first-reply' is 8.5 h, "
                                  "missing its target of 6 h (lower is better) (gate metric-target)")


def test_the_metric_target_gate_refuses_what_is_not_an_id():
    _, problems = parse_gates("gates:\n  - rule: metric-target\n    metrics: [First Reply]\n", "g.yaml")
    assert [p.format() for p in problems] == [
        "g.yaml:3:15: error: 'metrics' must be a list of ids (lowercase letters, digits and hyphens), "
        "not 'First Reply' (gates-config)"]


# -- review: diff, textconv, fmt ---------------------------------------------------------

def test_the_diff_reports_status_changes_by_id_and_metric_changes_as_the_page_does(site):
    from journey_audit.review.diff import diff_files
    from journey_audit.review.diff_format import format_text

    sides = [(str(FIXTURES / f"{slug}.yaml"), (FIXTURES / f"{slug}.yaml").read_text(encoding="utf-8"), slug)
             for slug in ("tools-2026q1", "tools-2026q3")]
    text = format_text([diff_files(*sides)])
    assert "metric first-reply  20 h (target 6 h, missed) → 8.5 h (target 6 h, missed), -11.5" in text
    assert "metric conversion   2.5 % (target 3 %, missed) → 3.25 % (target 3 %, met), +0.75" in text
    assert "metric visits  1200 → 1500, +300" in text
    assert "~ recommendation: Answer enquiries within 6 hours (status open → done, done_on 2026-04-20)" in text
    assert "~ recommendation: Put a demo bench in the shop (due 2026-06-01, status open → dropped)" in text
    # The same changes, to the digit, on the page and in the JSON download.
    page = _text(site, "audits/tools-2026q3.md")
    metrics = json.loads(_text(site, "audits/tools-2026q3/tools-2026q3-figures.json"))["metrics"]
    for m in metrics:
        change = f"{m['change']:+g}"
        assert f", {change}" in text and f">{change}</td>" in page


def test_a_recommendation_with_an_id_is_the_same_one_whatever_its_text_now(write_audit):
    from journey_audit.review.diff import diff_files
    from journey_audit.review.diff_format import format_text

    base = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    old = base + "        recommendations:\n          - id: sla\n            text: Reply within a day\n" \
                 "            priority: high\n"
    new = base + "        recommendations:\n          - id: sla\n            text: Answer every enquiry in 6 hours\n" \
                 "            priority: high\n            status: done\n"
    text = format_text([diff_files(("a", old, "minimal"), ("b", new, "minimal"))])
    assert "~ recommendation: Reply within a day → Answer every enquiry in 6 hours (status open → done)" in text


def test_textconv_shows_ids_statuses_and_metrics():
    from journey_audit.review.textconv import textconv

    text = textconv((FIXTURES / "tools-2026q3.yaml").read_bytes(), "tools-2026q3.yaml")
    assert ("recommendation reply-sla (priority high, owner Sales, due 2026-05-01, status done, done on 2026-04-20): "
            "Answer enquiries within 6 hours") in text
    assert "metric first-reply: First reply to an enquiry = 8.5 h; target 6 h (lower is better), missed" in text
    assert "metric visits: Monthly visits = 1500" in text
    # A 1.0 audit's rendering has none of it.
    plain = textconv((GOOD / "rich.yaml").read_bytes(), "rich.yaml")
    assert "status " not in plain.replace("status: ", "") and "metric " not in plain


def test_fmt_puts_the_new_keys_in_the_format_order():
    from journey_audit.audit.fmt import format_text

    base = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    messy = base + ("        recommendations:\n          - done_on: 2026-08-15\n            status: done\n"
                    "            priority: high\n            text: Reply\n            id: sla\n"
                    "        metrics:\n          - better: lower\n            target: 6\n            value: 20\n"
                    "            name: Reply\n            id: reply\n")
    tidy = format_text(messy)
    keys = [line.strip().lstrip("- ").split(":")[0] for line in tidy.splitlines()[19:]]
    assert keys == ["metrics", "id", "name", "value", "target", "better",
                    "recommendations", "id", "text", "priority", "status", "done_on"]


# -- the next round starts from the last ------------------------------------------------

def test_new_from_writes_the_next_round_that_validate_refuses_until_filled(tmp_path, capsys):
    import shutil

    from journey_audit.audit.validate import validate_file
    from journey_audit.cli import main

    for slug in ("tools-2026q1", "tools-2026q3"):
        shutil.copy(FIXTURES / f"{slug}.yaml", tmp_path / f"{slug}.yaml")
    assert main(["new", "tools-2027q1", "--from", str(tmp_path / "tools-2026q3.yaml")]) == 0
    written = tmp_path / "tools-2027q1.yaml"
    text = written.read_text(encoding="utf-8")
    assert "previous: tools-2026q3" in text and "status: draft" in text
    # Open and in-progress recommendations carry on with their ids; done and dropped do not.
    assert "id: photos" in text and "status: in-progress" in text
    assert "reply-sla" not in text and "demo-bench" not in text and "price-tags" not in text
    # Metrics keep id, target and better; no old score or measurement is carried over.
    assert "id: first-reply" in text and "target: 6" in text and "better: lower" in text
    assert "8.5" not in text and "value: 1500" not in text and "score: 4" not in text
    _, problems = validate_file(written, "tools-2027q1.yaml")
    refused = {(p.line, p.rule) for p in problems}
    lines = text.splitlines()
    assert refused == {(i + 1, "type") for i, line in enumerate(lines) if line.rstrip().endswith(": TO-FILL")}
    # Filled in, it is a valid next round.
    filled = text.replace("score: TO-FILL", "score: 4").replace(": TO-FILL", ": 3")
    written.write_text(filled, encoding="utf-8")
    assert validate_file(written, "tools-2027q1.yaml")[1] == []
    # It never overwrites.
    assert main(["new", "tools-2027q1", "--from", str(tmp_path / "tools-2026q3.yaml")]) == 1


def test_the_client_page_charts_each_metric_measured_in_two_rounds(site, rounds):
    page = next(_text(site, p) for p in site.files if p.startswith("clients/") and p.endswith(".md"))
    section = _section(page, "metrics-across-rounds")
    charts = re.findall(r'<svg class="ja-chart ja-metric-chart".*?</svg>', section, re.S)
    # first-reply (20 → 8.5 h, target 6) and the stage's visits (1200 → 1500) are measured in both rounds.
    first_reply = next(c for c in charts if "<title>20 h</title>" in c)
    assert "<title>8.5 h</title>" in first_reply and 'class="ja-metric-target"' in first_reply
    assert any("<title>1200</title>" in c and "<title>1500</title>" in c for c in charts)
    assert len(charts) == len(measured(sorted(rounds.values(), key=lambda a: a.date))) >= 2


def test_a_client_with_one_round_has_no_metric_charts():
    from journey_audit.audit.validate import validate_text

    audit, _ = validate_text((FIXTURES / "tools-2026q1.yaml").read_text(encoding="utf-8"), "a.yaml", "tools-2026q1")
    page = next(_text(generate([audit]), p) for p in generate([audit]).files if p.startswith("clients/"))
    assert "metrics-across-rounds" not in page
