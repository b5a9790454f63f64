"""Several auditors (format 1.1 ``ratings``): each one's own scores, and how far they agree.

An audit with three auditors' ratings goes in; the audit page's Auditors section, the
JSON export and the ``krippendorff`` package run on the same ratings must agree to the
digit. Fewer than two auditors' ratings on any item give "–" and no error; an audit
without ratings looks exactly as before.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import krippendorff
import numpy as np
import pytest
import yaml

from conftest import FIXTURES, GOOD
from htmlpage import parse
from journey_audit.audit.validate import validate_file, validate_text
from journey_audit.figures.agreement import fmt_alpha
from journey_audit.figures.gates import parse_gates
from journey_audit.figures.gates.check import evaluate
from journey_audit.figures.scoring import compute
from journey_audit.review.diff import diff_audits
from journey_audit.review.textconv import render
from journey_audit.site.exports import figures_json, touchpoints_csv
from journey_audit.site.pages import AuditPageParts, AuditView, Links, audit_page
from journey_audit.site.publish import public_view

THREE = FIXTURES / "ratings" / "three-auditors.yaml"


def load(path: Path):
    audit, problems = validate_file(path)
    assert audit is not None and not problems, [p.format() for p in problems]
    return audit


def page_html(audit) -> str:
    """The audit page's generated HTML (Markdown headings aside), as the site shows it."""
    return audit_page(AuditView(audit, compute(audit)), Links("audits/x.md"), "en", AuditPageParts(downloads=()))


def package_alpha(path: Path) -> float:
    """Krippendorff's ordinal alpha straight from the file's ratings, by the package, without our code."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    coders = data["auditors"]
    units = []
    for stage in data["stages"]:
        for tp in stage["touchpoints"]:
            ratings = {r["auditor"]: r for r in tp.get("ratings", [])}
            if not ratings:
                continue
            units.append({a: r.get("message") for a, r in ratings.items()})
            for cid in tp["consistency"]:
                units.append({a: (r.get("consistency") or {}).get(cid) for a, r in ratings.items()})
    matrix = np.array([[np.nan if u.get(c) is None else u[c] for u in units] for c in coders], dtype=float)
    scale = data.get("scale", {})
    domain = list(range(scale.get("min", 1), scale.get("max", 5) + 1))
    return float(krippendorff.alpha(reliability_data=matrix, level_of_measurement="ordinal", value_domain=domain))


def test_alpha_flags_and_leans_agree_on_the_page_in_the_json_and_with_the_package():
    audit = load(THREE)
    expected = f"{package_alpha(THREE):.3f}"
    g = compute(audit).agreement
    assert fmt_alpha(g.alpha) == expected == "0.542"

    page = parse(page_html(audit))
    section = page.find("div", cls="ja-auditors")
    assert section.find("span", cls="ja-alpha-value").text == expected
    assert "not reliable enough" in section.text  # below 0.667
    leans = {row.attrs["data-auditor"]: row.find_all("td")[1].text for row in section.find_all("tr")
             if "data-auditor" in row.attrs}
    assert leans == {"Ellen Park": "+0.5", "Chen Lei": "-0.6", "Ana Silva": "+0.3"}
    # The booth is flagged (its auditors were 3 apart on the message), with each one's scores.
    assert 'href="#tp-booth"' in str(page_html(audit).split('class="ja-auditors"')[1].split("ja-leans")[0])
    booth_row = section.find("div", cls="ja-ratings").find_all("tr")[1]
    assert [td.text for td in booth_row.find_all("td")] == ["Message", "4", "1", "3", "3"]

    data = json.loads(figures_json(audit, compute(audit)))["agreement"]
    assert f"{data['alpha']:.3f}" == expected and data["alpha_reading"] == "unreliable"
    assert data["flagged"] == ["booth"]
    assert {a["name"]: a["lean"] for a in data["auditors"]} == {"Ellen Park": 0.5, "Chen Lei": -0.6, "Ana Silva": 0.3}
    assert [(t["id"], t["spread"]) for t in data["touchpoints"]] == [("booth", 3), ("website", 1), ("counter", 1)]


def test_flagged_touchpoints_are_marked_in_the_heat_map_and_their_section():
    html = page_html(load(THREE))
    page = parse(html)
    flagged = {row.attrs["data-tp"] for row in page.find("div", cls="ja-heatmap").find_all("tr")
               if "data-tp" in row.attrs and row.find_all("span", cls="ja-flag")}
    assert flagged == {"booth"}
    assert re.search(r"^### Trade&#45;show booth \{#tp-booth", html, re.M)  # the heading stays the name
    section = page.find("div", cls="ja-touchpoint", data_tp="booth")
    assert "Auditors differ by 3 points" in section.text
    assert not page.find("div", cls="ja-touchpoint", data_tp="website").find_all("div", cls="ja-ratings")


def one_auditor(text: str) -> str:
    """The three-auditor audit with only Ellen's ratings left."""
    kept, skip = [], False
    for line in text.splitlines():
        if line.strip().startswith("- auditor:"):
            skip = "Ellen Park" not in line
        elif not line.startswith("            "):
            skip = False
        if not skip:
            kept.append(line)
    return "\n".join(kept) + "\n"


def test_fewer_than_two_auditors_gives_a_dash_and_no_error():
    audit, problems = validate_text(one_auditor(THREE.read_text(encoding="utf-8")), "a.yaml", "a")
    assert audit is not None and problems == []
    g = compute(audit).agreement
    assert g.alpha is None and g.pairable == 0 and g.flagged == ()
    page = parse(page_html(audit))
    assert page.find("span", cls="ja-alpha-value").text == "–"
    assert "not measurable" in page.find("div", cls="ja-auditors").text
    assert json.loads(figures_json(audit, compute(audit)))["agreement"]["alpha"] is None
    gates, errors = parse_gates("gates:\n  - rule: auditor-agreement\n    min: 0.667\n", "g.yaml")
    assert errors == []
    [result] = evaluate(audit, gates)
    assert result.outcome == "skip"


def test_the_gate_fails_below_its_minimum_and_passes_at_it():
    audit = load(THREE)
    for minimum, outcome in ((0.667, "fail"), (0.542, "pass")):
        gates, _ = parse_gates(f"gates:\n  - rule: auditor-agreement\n    min: {minimum}\n", "g.yaml")
        [result] = evaluate(audit, gates)
        assert (result.outcome, result.value) == (outcome, "0.542")


def strip_agreement(html: str) -> str:
    """The page without what ratings add: the Auditors section, the flags, the per-touchpoint scores."""
    html = re.sub(r'\n\n## Auditors \{#auditors\}\n\n<div class="ja-auditors".*?\n</div>', "", html, flags=re.S)
    html = re.sub(r' <span class="ja-flag"[^>]*>⚑</span>', "", html)
    return re.sub(r'<p class="ja-subhead">⚑ .*?</tbody></table></div>', "", html, flags=re.S)


def without_ratings(text: str) -> str:
    return re.sub(r"\n        ratings:\n(?:          .*\n)+", "\n", text)


def test_an_audit_without_ratings_looks_exactly_as_before():
    text = THREE.read_text(encoding="utf-8")
    plain, _ = validate_text(without_ratings(text), "a.yaml", "a")
    rated, _ = validate_text(text, "a.yaml", "a")
    assert compute(plain).agreement is None
    before = page_html(plain)
    assert "ja-auditors" not in before and "⚑" not in before
    assert strip_agreement(page_html(rated)) == before  # ratings only add; without them nothing changes
    assert touchpoints_csv(plain, compute(plain)).splitlines()[0].endswith(b"notes")
    assert "agreement" not in json.loads(figures_json(plain, compute(plain)))
    assert "rating by" not in render(plain) and "agreement" not in render(plain)
    for good in GOOD.glob("*.yaml"):  # the shipped fixtures, which have no ratings
        audit = load(good)
        assert compute(audit).agreement is None and "ja-auditors" not in page_html(audit)


def test_a_changed_rating_is_reported_by_auditor_in_diff_and_textconv():
    old = load(THREE)
    new, _ = validate_text(THREE.read_text(encoding="utf-8").replace("            message: 1\n", "            message: 2\n"),
                           "a.yaml", "three-auditors")
    [tp] = [t for t in diff_audits(old, new).touchpoints if t.id == "booth"]
    assert [(c.field, c.old, c.new) for c in tp.fields] == [("ratings.Chen Lei.message", "1", "2")]
    assert "rating by Chen Lei: message 2; consistency (quality 4, service 1)" in render(new)
    assert "auditor agreement: alpha 0.542; leans Ellen Park +0.5, Chen Lei -0.6, Ana Silva +0.3" in render(old)


def test_client_sites_may_show_auditors_as_numbers_and_internal_builds_never_do():
    audit = load(THREE)
    hidden = public_view(audit, auditor_names=False)
    html = page_html(hidden)
    assert "Ellen Park" not in html and "Chen Lei" not in html
    assert "Auditor 1" in html and "Auditor 2" in html
    assert json.loads(figures_json(hidden, compute(hidden)))["agreement"]["auditors"][1] == \
        {"name": "Auditor 2", "lean": -0.6}
    assert "Chen Lei" in page_html(public_view(audit, include_internal=True, auditor_names=False))
    assert "Chen Lei" in page_html(public_view(audit))  # the default shows the names


@pytest.mark.parametrize("ratings, expected", [
    ("- {auditor: Li Wey, message: 3}",
     "a.yaml:22:23: error: 'Li Wey' is not one of the audit's auditors (did you mean 'Li Wei'?) (ratings)"),
    ("- {auditor: Li Wei, consistency: {quality: 0}}",
     "a.yaml:22:54: error: Li Wei's consistency score for 'quality' 0 is off the scale 1..5: write a whole number from 1 to 5 (or ~ where the core message does not apply) (ratings)"),
    ("- {auditor: Li Wei, message: two}", "a.yaml:22:40: error: 'message' must be a whole number, not 'two' (type)"),
    ("- {auditor: Li Wei, mesage: 2}",
     "a.yaml:22:31: error: unknown key 'mesage' in an item of 'ratings' (did you mean 'message'?) (unknown-key)"),
])
def test_invalid_ratings_are_reported_where_they_are_written(minimal_text, ratings, expected):
    text = minimal_text.replace("involvement: low", "involvement: low\nauditors: [Wang Min, Li Wei]")
    text = text.rstrip("\n") + "\n        ratings:\n          " + ratings + "\n"
    _, problems = validate_text(text, "a.yaml", "a")
    assert [p.format() for p in problems] == [expected]


def test_the_build_option_hides_the_names_on_every_generated_file_unless_internal():
    from journey_audit.site.build import _options
    from journey_audit.site.sitegen import SiteOptions, generate

    assert _options(None, None, False, False, hide_auditor_names=True)["auditor_names"] is False
    assert _options(None, None, False, False)["auditor_names"] is None  # the configuration's value stands
    audit = load(THREE)
    for options, shown in ((SiteOptions(diagrams=False, auditor_names=False), False),
                           (SiteOptions(diagrams=False, auditor_names=False, include_internal=True), True),
                           (SiteOptions(diagrams=False), True)):
        site = generate([audit], options)
        texts = [site.read(path).decode("utf-8", "replace") for path in site.files]
        assert any("Chen Lei" in t for t in texts) is shown
        assert any("Auditor 2" in t for t in texts) is not shown
