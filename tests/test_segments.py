"""Customer segments, who starts each contact and how the message persuades (format 1.1).

An audit with every new field (``segments``, ``prospects_by_segment``, a touchpoint's
``segments``, ``direction``, ``trigger``, ``message.appeal``) goes in; its page shows the
segment scores, the segment funnels, the rollups and the appeal fit, and they agree to
the digit with the JSON download; the diagram marks direction and trigger; the diff
reports a changed direction, segment or appeal; every invalid value gets a located
error; and an audit without these fields comes out exactly as before.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest

from conftest import FIXTURES, GOOD
from htmlpage import parse
from journey_audit.audit.validate import validate_file, validate_text
from journey_audit.diagram import dot as dot_module
from journey_audit.diagram.dot import dot_source
from journey_audit.figures.scoring import compute
from journey_audit.review.diff import diff_audits, diff_files
from journey_audit.review.diff_format import render as render_diff
from journey_audit.review.textconv import render as textconv
from journey_audit.site import page_sections, pages
from journey_audit.site.exports import figures_data, touchpoints_csv
from journey_audit.site.pages import AuditPageParts, AuditView, Links, audit_page
from journey_audit.site.publish import public_view

TIERS = FIXTURES / "segments" / "tiers.yaml"


def load(path: Path):
    audit, problems = validate_file(path)
    assert audit is not None and not problems, [p.format() for p in problems]
    return audit


def page_html(audit) -> str:
    return audit_page(AuditView(audit, compute(audit)), Links("audits/x.md"), "en", AuditPageParts(downloads=()))


@pytest.fixture(scope="module")
def tiers():
    return public_view(load(TIERS))


@pytest.fixture(scope="module")
def tiers_page(tiers):
    return parse(page_html(tiers))


@pytest.fixture(scope="module")
def tiers_json(tiers):
    return json.loads(json.dumps(figures_data(tiers, compute(tiers))))


def chips(row) -> list[str]:
    return [td.text for td in row.find_all("td")]


# -- the page agrees with the JSON download ------------------------------------------------

def test_segment_scores_on_the_page_are_those_of_the_json(tiers_page, tiers_json):
    table, stages = tiers_page.find(cls="ja-segments"), tiers_page.find(cls="ja-segment-stages")
    for seg in tiers_json["segments"]:
        [row] = table.find_all("tr", **{"data-segment": seg["id"]})
        assert f"{seg['share_percent']:.1f}%" in row.find("th").text
        assert chips(row) == [str(len(seg["touchpoints"]))] + [f"{seg[k]:.1f}" for k in ("score", "message",
                                                                                          "consistency")]
        [row] = stages.find_all("tr", **{"data-segment": seg["id"]})
        assert chips(row) == ["–" if s["score"] is None else f"{s['score']:.1f}" for s in seg["stages"]]
    assert [s["id"] for s in tiers_json["segments"]] == ["key-accounts", "small-shops"]
    # A-class meets the hotline, the visit and the invoice: (5×3.5 + 5×3.0 + 2×3.0) / 12 = 3.25 → 3.3
    assert tiers_json["segments"][0]["score"] == 3.3
    assert tiers_json["segments"][0]["touchpoints"] == ["hotline", "visit", "invoice"]
    assert "High involvement" in table.find("tr", **{"data-segment": "key-accounts"}).find("th").text
    # the whole audit's figures first, for comparison
    assert chips(table.find("tr", cls="ja-segment-all"))[1] == f"{tiers_json['score']:.1f}"


def test_each_segment_funnel_is_beside_the_overall_one(tiers_page, tiers_json):
    table = tiers_page.find(cls="ja-segment-funnels")
    assert chips(table.find("tr", cls="ja-segment-all")) == ["1,000▼ → 15.0%", "150", "15.0%"]
    for seg in tiers_json["segments"]:
        [row] = table.find_all("tr", **{"data-segment": seg["id"]})
        [step] = seg["funnel"]["steps"]
        assert chips(row) == [f"{step['from_prospects']:,}▼ → {step['conversion_percent']:.1f}%",
                              f"{step['to_prospects']:,}", f"{seg['funnel']['overall_percent']:.1f}%"]
    assert tiers_json["segments"][0]["funnel"]["overall_percent"] == 45.0  # 90 of 200


def test_which_touchpoints_each_segment_meets(tiers_page):
    table = tiers_page.find(cls="ja-segment-touchpoints")
    met = {row.attrs["data-tp"]: [td.text for td in row.find_all("td")] for row in table.find_all("tr")
           if "data-tp" in row.attrs}
    assert met == {"hotline": ["●", "●"], "flyer": ["", "●"], "visit": ["●", ""], "invoice": ["●", "●"]}


def test_rollups_on_the_page_are_those_of_the_json(tiers_page, tiers_json):
    for key, rows in tiers_json["rollups"].items():
        shown = tiers_page.find_all("tr", **{"data-rollup": key})
        assert [r.attrs["data-value"] for r in shown] == [x["value"] or "" for x in rows]
        for r, x in zip(shown, rows):
            cells = chips(r)
            assert cells[1:] == [str(x["count"]), f"{x['score']:.1f}", f"{x['total_gap']:.1f}"]
    direction = {r["value"]: r for r in tiers_json["rollups"]["direction"]}
    assert (direction["outbound"]["count"], direction["outbound"]["total_gap"]) == (2, 19.0)
    assert direction[None]["touchpoints"] == ["invoice"]
    # The gaps of each table add up to the audit's.
    total = sum(t["gap"] for t in tiers_json["touchpoints"])
    for rows in tiers_json["rollups"].values():
        assert sum(r["total_gap"] for r in rows) == pytest.approx(total, abs=0.1 * len(rows))
    assert tiers_page.find(cls="ja-inbound-share").text.endswith(f"{tiers_json['inbound_share_percent']:.1f}%")


def test_appeal_fit_and_its_misfits_linked(tiers_page, tiers_json):
    fit = tiers_json["appeal_fit"]
    assert (fit["percent"], fit["fitting"], fit["rated"]) == (33.3, 1, 3)
    assert f"{fit['percent']:.1f}%" in tiers_page.find(cls="ja-appeal-fit").text
    items = tiers_page.find(cls="ja-appeal-misfits").find_all("li")
    assert [li.attrs["data-tp"] for li in items] == [m["touchpoint"] for m in fit["misfits"]] == ["flyer", "visit"]
    assert [li.find("a").attrs["href"] for li in items] == ["#tp-flyer", "#tp-visit"]
    assert "Rational appeal where low involvement calls for emotional" in items[0].text


def test_touchpoint_sections_show_segments_direction_trigger_and_appeal(tiers_page):
    facts = tiers_page.find("div", cls="ja-touchpoint", **{"data-tp": "flyer"}).find(cls="ja-facts").text
    for text in ("C-class small shops", "→ Outbound (the company starts)", "Scheduled", "Rational"):
        assert text in facts
    hotline = tiers_page.find("div", cls="ja-touchpoint", **{"data-tp": "hotline"}).find(cls="ja-facts").text
    assert "All" in hotline and "← Inbound" in hotline


def test_the_csv_carries_the_fields(tiers):
    rows = list(csv.DictReader(io.StringIO(touchpoints_csv(tiers, compute(tiers)).decode("utf-8-sig"))))
    flyer = next(r for r in rows if r["touchpoint_id"] == "flyer")
    assert (flyer["segments"], flyer["direction"], flyer["trigger"], flyer["appeal"]) == (
        "small-shops", "outbound", "scheduled", "rational")


def test_a_chinese_audit_gets_chinese_labels():
    text = TIERS.read_text(encoding="utf-8").replace("language: en", "language: zh")
    audit, problems = validate_text(text, "t.yaml", "t")
    assert problems == []
    page = parse(page_html(audit))
    assert "诉求方式不匹配的接触点" in page.text and "← 接触性（客户发起）" in page.text
    assert "低涉入度需要感性诉求，却采用理性诉求" in page.find(cls="ja-appeal-misfits").text


# -- diagram, diff, textconv ---------------------------------------------------------------

def test_the_diagram_marks_direction_and_trigger_with_glyphs_and_a_legend(tiers):
    dot = dot_source(tiers)
    node = next(line for line in dot.splitlines() if "#tp-visit" in line)
    assert "→ ◆ Message" in node  # outbound, set off by an event: no colour needed to read it
    assert "← Message" in next(line for line in dot.splitlines() if "#tp-hotline" in line)
    assert "← inbound (the customer starts)" in dot and "◆ = set off by an event" in dot


def changed(text: str, **edits: str) -> str:
    for old, new in edits.values():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def test_diff_reports_a_changed_direction_segment_and_appeal():
    before = TIERS.read_text(encoding="utf-8")
    after = changed(before, direction=("direction: inbound", "direction: outbound"),
                    segments=("segments: [small-shops]", "segments: [key-accounts, small-shops]"),
                    appeal=("appeal: emotional", "appeal: rational"),
                    share=("share: 0.7", "share: 0.6"))
    result = diff_files(("before", before, "tiers"), ("after", after, "tiers"))
    fields = {(t.id, c.field): (c.old, c.new) for t in result.diff.touchpoints for c in t.fields}
    assert fields == {("hotline", "direction"): ("inbound", "outbound"),
                      ("flyer", "segments"): ("small-shops", "key-accounts, small-shops"),
                      ("visit", "message.appeal"): ("emotional", "rational")}
    [seg] = result.diff.metadata
    assert (seg.field, seg.old, seg.new) == ("segment small-shops", "C-class small shops (share 0.7; low involvement)",
                                             "C-class small shops (share 0.6; low involvement)")
    figures = {f.name: (f.old_text, f.new_text) for f in result.diff.segment_figures}
    assert figures["appeal fit"] == ("33.3%", "100.0%") and figures["inbound share"] == ("33.3%", "0.0%")
    text = render_diff([result])
    assert "direction  inbound → outbound" in text and "message.appeal  emotional → rational" in text
    assert '"field": "segments"' in render_diff([result], "json") and '"segment_figures"' in render_diff([result], "json")
    assert "| appeal fit | 33.3% | 100.0% | +66.7 pp |" in render_diff([result], "markdown")


def test_textconv_shows_the_fields_and_figures(tiers):
    text = textconv(tiers)
    assert "segment key-accounts: A-class key accounts (share 20.0%; high involvement; score 3.3;" in text
    assert "inbound share: 33.3%; appeal fit: 33.3% (misfits: flyer, visit)" in text
    assert "segments small-shops; direction outbound; trigger scheduled; appeal rational" in text
    assert "prospects by segment: key-accounts 200, small-shops 700" in text


# -- every invalid value gets a located error ------------------------------------------------

MINIMAL = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
SEGS = "segments:\n  - id: key-accounts\n    name: A\n  - id: small-shops\n    name: C\ncore_messages:"


def minimal_with(*pairs: str) -> str:
    text = MINIMAL.replace("core_messages:", SEGS, 1)
    for old, new in zip(pairs[::2], pairs[1::2]):
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


TP = "channel: online"
BAD = [
    # (what is wrong, edits, rule, text found at the reported line and column, words of the message)
    ("direction misspelt", (TP, TP + "\n        direction: inbond"), "enum", "inbond", "did you mean 'inbound'"),
    ("trigger misspelt", (TP, TP + "\n        trigger: events"), "enum", "events", "did you mean 'event'"),
    ("appeal misspelt", ("score: ", "appeal: rationl\n          score: "), "enum", "rationl",
     "did you mean 'rational'"),
    ("segment id misspelt", (TP, TP + "\n        segments: [key-acounts]"), "segment-id", "key-acounts",
     "did you mean 'key-accounts'"),
    ("segment listed twice", (TP, TP + "\n        segments:\n          - small-shops\n          - small-shops"),
     "segment-id", "small-shops", "listed twice"),
    ("no segment at all on a touchpoint", (TP, TP + "\n        segments: []"), "required", "[]", "at least 1"),
    ("prospects for an unknown segment", ("touchpoints:", "prospects_by_segment: {key-accounts: 3, smal-shops: 1}\n"
                                          "    touchpoints:"), "segment-id", "1", "did you mean 'small-shops'"),
    ("negative prospects", ("touchpoints:", "prospects_by_segment: {key-accounts: -3}\n    touchpoints:"),
     "range", "-3", "0 or more"),
    ("prospects not whole", ("touchpoints:", "prospects_by_segment: {key-accounts: 2.5}\n    touchpoints:"),
     "type", "2.5", "whole number"),
    ("share above 1", ("    name: A\n", "    name: A\n    share: 20\n"), "segment-share", "20", "more than 1"),
    ("negative share", ("    name: A\n", "    name: A\n    share: -0.2\n"), "range", "-0.2", "0 or more"),
    ("shares above 1 together", ("    name: A\n", "    name: A\n    share: 0.5\n", "    name: C\n",
                                 "    name: C\n    share: 0.6\n"), "segment-share", "0.6", "add up to 1.1"),
    ("segment involvement misspelt", ("    name: A\n", "    name: A\n    involvement: hi\n"), "enum", "hi",
     "must be one of high, low"),
    ("segment id used twice", ("  - id: small-shops", "  - id: key-accounts"), "unique-id", "key-accounts",
     "used twice"),
    ("segment without a name", ("    name: C\n", ""), "required", "id: small-shops", "missing required key 'name'"),
    ("unknown key in a segment", ("    name: A\n", "    name: A\n    shares: 0.2\n"), "unknown-key", "shares",
     "did you mean 'share'"),
]


@pytest.mark.parametrize("what, edits, rule, at, words", BAD, ids=[b[0] for b in BAD])
def test_every_invalid_value_gets_a_located_error(what, edits, rule, at, words):
    text = minimal_with(*edits)
    audit, problems = validate_text(text, "a.yaml", "a")
    assert audit is None, what
    [p] = [p for p in problems if p.rule == rule]
    assert words in p.message
    line = text.splitlines()[p.line - 1]
    assert line[p.col - 1:].startswith(at), (p.format(), line)


def test_prospects_by_segment_without_segments_says_to_list_them():
    text = MINIMAL.replace("touchpoints:", "prospects_by_segment: {tier-a: 5}\n    touchpoints:", 1)
    _, problems = validate_text(text, "a.yaml", "a")
    assert [p.format() for p in problems] == [
        "a.yaml:11:36: error: 'tier-a' is not a segment of this audit; list the segments under `segments` first "
        "(segment-id)"]


# -- an audit without the new fields is exactly as before --------------------------------------

@pytest.mark.parametrize("name", ["minimal.yaml", "rich.yaml"])
def test_an_audit_without_the_new_fields_looks_exactly_as_before(name, monkeypatch):
    """Page, diagram and downloads of an audit without the fields are what they are with
    every hook of this feature taken out, i.e. what they were before it."""
    audit = public_view(load(GOOD / name))
    figures = compute(audit)
    page, dot = page_html(audit), dot_source(audit)
    data = figures_data(audit, figures)
    csv_bytes = touchpoints_csv(audit, figures)
    text = textconv(audit)
    monkeypatch.setattr(pages, "segment_sections", lambda *a: ())
    monkeypatch.setattr(page_sections, "touchpoint_facts", lambda *a: [])
    monkeypatch.setattr(dot_module, "contact_marks", lambda tp: "")
    monkeypatch.setattr(dot_module, "contact_legend", lambda audit: [])
    assert page_html(audit) == page and dot_source(audit) == dot
    assert not {"segments", "rollups", "appeal_fit", "inbound_share_percent", "touchpoint_fields"} & set(data)
    header = csv_bytes.decode("utf-8-sig").splitlines()[0].split(",")
    assert not {"segments", "direction", "trigger", "appeal"} & set(header)
    assert "## segments" not in text and "inbound share" not in text
    assert not re.search(r"segment|appeal|inbound", page.replace("ja-segment", ""), re.I)
    assert [f.name for f in diff_audits(audit, audit).figures] == ["score", "message", "consistency"] + (
        ["funnel"] if figures.funnel.overall is not None else [])
    assert diff_audits(audit, audit).segment_figures == ()


# -- the built example site ------------------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("slug", ["hotel-supplies-2026q3", "apparel-retail-2026h1"])
def test_the_built_example_pages_agree_with_their_json_download(example_site, slug):
    """The shipped examples with segments (A/B/C tiers in Chinese, personas in English):
    the built page and the JSON file downloaded beside it agree to the digit."""
    from htmlpage import load

    page = load(example_site / "audits" / slug / "index.html")
    data = json.loads((example_site / "audits" / slug / f"{slug}-figures.json").read_text(encoding="utf-8"))
    assert len(data["segments"]) == 3
    table, stages = page.find(cls="ja-segments"), page.find(cls="ja-segment-stages")
    funnels = page.find(cls="ja-segment-funnels")
    for seg in data["segments"]:
        [row] = table.find_all("tr", **{"data-segment": seg["id"]})
        assert chips(row)[1:] == [f"{seg[k]:.1f}" for k in ("score", "message", "consistency")]
        [row] = stages.find_all("tr", **{"data-segment": seg["id"]})
        assert chips(row) == ["–" if s["score"] is None else f"{s['score']:.1f}" for s in seg["stages"]]
        [row] = funnels.find_all("tr", **{"data-segment": seg["id"]})
        assert chips(row)[-1] == f"{seg['funnel']['overall_percent']:.1f}%"
    for key, rows in data["rollups"].items():
        shown = page.find_all("tr", **{"data-rollup": key})
        assert [chips(r)[1:] for r in shown] == [[str(x["count"]), f"{x['score']:.1f}", f"{x['total_gap']:.1f}"]
                                                 for x in rows]
    misfits = page.find(cls="ja-appeal-misfits").find_all("li")
    assert [li.attrs["data-tp"] for li in misfits] == [m["touchpoint"] for m in data["appeal_fit"]["misfits"]]
    for li in misfits:
        assert f"tp-{li.attrs['data-tp']}" in page.ids  # the link lands on its section
    assert f"{data['appeal_fit']['percent']:.1f}%" in page.find(cls="ja-appeal-fit").text


def test_the_changes_section_names_a_changed_direction_segment_and_appeal():
    from journey_audit.site.page_changes import changes_between, changes_section

    before = TIERS.read_text(encoding="utf-8")
    after = changed(before, direction=("direction: inbound", "direction: outbound"),
                    appeal=("appeal: emotional", "appeal: rational"),
                    segments=("segments: [small-shops]", "segments: [key-accounts, small-shops]"))
    old, _ = validate_text(before, "a.yaml", "tiers-1")
    new, _ = validate_text(after, "b.yaml", "tiers-2")
    html = parse(changes_section(changes_between(old, new), old, new, "en", "../tiers-1/"))
    text = {li.attrs["data-tp"]: li.text for li in html.find_all("li") if "data-tp" in li.attrs}
    assert "Direction ← Inbound (the customer starts) → → Outbound (the company starts)" in text["hotline"]
    assert "Appeal Emotional → Rational" in text["visit"]
    assert "Customer segments small-shops → key-accounts, small-shops" in text["flyer"]
