"""The audit page's static SVG charts: importance–performance and the funnel.

Read as XML (a chart that does not parse does not show), then checked for what a
reader relies on: one dot per touchpoint in the right quadrant and colour, every
dot visible and linked to its section, the figures as the scoring module gives
them, and audit text shown literally.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from journey_audit import palette
from journey_audit.site.charts import funnel_svg, importance_performance_svg
from journey_audit.labels import label
from journey_audit.audit.portfolio import load_portfolio
from journey_audit.figures.scoring import compute, fmt_percent, quadrant
from journey_audit.audit.validate import validate_file, validate_text

HOSTILE = Path(__file__).parent / "fixtures" / "site" / "audits" / "hostile" / "hostile-2026q1.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def dots(root: ET.Element) -> list[tuple[str, str, ET.Element, ET.Element]]:
    """(href, tooltip, circle, number) of each dot."""
    out = []
    for a in root.iter(f"{SVG}a"):
        circles = a.findall(f"{SVG}circle")
        out.append((a.get("href"), a.find(f"{SVG}title").text, circles[-1], a.find(f"{SVG}text")))
    return out


def crowded(n: int, score: int = 3, importance: int = 5, moments: bool = False):
    """An audit whose n touchpoints all sit on the same spot of the chart (moments of truth, or not)."""
    tps = "\n".join(f"      - {{id: t{i}, name: T{i}, channel: online, importance: {importance}, "
                    f"moment_of_truth: {str(moments).lower()}, "
                    f"message: {{intended: I, score: {score}}}, consistency: {{q: {score}}}}}" for i in range(n))
    audit, problems = validate_text(f"""
title: Crowd
client: C
date: 2026-01-15
involvement: high
core_messages: [{{id: q, text: Q}}]
stages:
  - id: s
    name: S
    touchpoints:
{tps}
""", "crowd.yaml", "crowd")
    assert audit is not None, problems
    return audit


@pytest.fixture(scope="module")
def examples(example_audits):
    return load_portfolio([example_audits]).audits


def test_one_dot_per_touchpoint_linked_coloured_and_in_its_quadrant(examples):
    for audit in examples:
        f = compute(audit)
        lang = audit.language
        root = parse(importance_performance_svg(audit, f, lang))
        found = dots(root)
        assert [d[0] for d in found] == [f"#tp-{tp.id}" for _, tp in audit.touchpoints()]
        for number, ((_, tp), (_, tip, circle, text)) in enumerate(zip(audit.touchpoints(), found), start=1):
            t = f.touchpoints[tp.id]
            fill = palette.fill(t.score, audit.scale.min, audit.scale.max)
            assert circle.get("fill") == fill and text.get("fill") == palette.text_on(fill)
            assert text.text == str(number)
            assert tip.startswith(f"{number}. {tp.name}") and label(f"quadrant_{quadrant(t, audit)}", lang) in tip


def test_a_chart_with_links_is_a_named_group_and_one_without_an_image(examples):
    """Screen readers skip everything inside role=img: the dots' links must stay reachable."""
    audit = examples[0]
    f = compute(audit)
    ipa = parse(importance_performance_svg(audit, f, audit.language))
    assert ipa.get("role") == "group"
    title = ipa.find(f"{SVG}title")
    assert ipa.get("aria-labelledby") == title.get("id") and title.text == label("ipa", audit.language)
    assert list(ipa.iter(f"{SVG}a"))
    for audit in examples:
        svg = funnel_svg(audit, compute(audit), audit.language)
        if svg is not None:
            funnel = parse(svg)
            assert funnel.get("role") == "img" and not list(funnel.iter(f"{SVG}a"))
            break
    else:
        pytest.fail("no example audit has a funnel")


def test_the_quadrants_are_named_where_a_reader_expects_them():
    audit = crowded(1)
    root = parse(importance_performance_svg(audit, compute(audit), "en"))
    named = {t.text: (float(t.get("x")), float(t.get("y"))) for t in root.iter(f"{SVG}text")
             if t.get("font-weight") == "bold" and not t.text.isdigit()}
    top_left, top_right = named["Concentrate here"], named["Keep up the good work"]
    bottom_left, bottom_right = named["Low priority"], named["Possible overkill"]
    assert top_left[1] == top_right[1] < bottom_left[1] == bottom_right[1]
    assert top_left[0] < top_right[0] and bottom_left[0] < bottom_right[0]


def test_dots_on_the_same_spot_are_all_visible_and_inside_the_frame():
    audit = crowded(12)
    root = parse(importance_performance_svg(audit, compute(audit), "en"))
    frame = next(r for r in root.iter(f"{SVG}rect") if r.get("fill") == "none")
    x0, y0 = float(frame.get("x")), float(frame.get("y"))
    x1, y1 = x0 + float(frame.get("width")), y0 + float(frame.get("height"))
    centres = [(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for _, _, c, _ in dots(root)]
    assert len(centres) == 12
    for i, (x, y, r) in enumerate(centres):
        assert x0 <= x - r and x + r <= x1 and y0 <= y - r and y + r <= y1
        for (x2, y2, r2) in centres[i + 1:]:
            assert math.dist((x, y), (x2, y2)) >= r + r2


def test_crowded_moments_of_truth_keep_their_rings_apart():
    audit = crowded(7, moments=True)
    root = parse(importance_performance_svg(audit, compute(audit), "en"))
    rings = [[(float(c.get("cx")), float(c.get("cy")), float(c.get("r"))) for c in a.findall(f"{SVG}circle")
              if c.get("fill") == "none"][0] for a in root.iter(f"{SVG}a")]
    assert len(rings) == 7
    for i, (x, y, r) in enumerate(rings):
        for (x2, y2, r2) in rings[i + 1:]:
            assert math.dist((x, y), (x2, y2)) > r + r2


def test_moments_of_truth_get_a_second_ring():
    audit, _ = validate_file(HOSTILE, "hostile.yaml")
    root = parse(importance_performance_svg(audit, compute(audit), "en"))
    rings = [len(a.findall(f"{SVG}circle")) for a in root.iter(f"{SVG}a")]
    assert rings == [2 if tp.moment_of_truth else 1 for _, tp in audit.touchpoints()]


def test_funnel_shows_each_conversion_and_marks_the_leakiest_step(examples):
    for audit in examples:
        f = compute(audit)
        svg = funnel_svg(audit, f, audit.language)
        if len([s for s in audit.stages if s.prospects is not None]) < 2:
            assert svg is None
            continue
        texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
        for step in f.funnel.steps:
            mark = "▼" if step.from_stage == f.funnel.leakiest else "↓"
            assert any(t.startswith(f"{mark} {fmt_percent(step.conversion)}") for t in texts), texts
        assert sum(t.startswith("▼") for t in texts) == (1 if f.funnel.leakiest else 0)
        counts = [f"{s.prospects:,}" for s in audit.stages if s.prospects is not None]
        assert [t for t in texts if t in counts] == counts


def test_no_funnel_without_prospect_counts():
    audit = crowded(2)
    assert funnel_svg(audit, compute(audit), "en") is None


def test_audit_text_in_charts_is_literal():
    audit, _ = validate_file(HOSTILE, "hostile.yaml")
    f = compute(audit)
    ipa = importance_performance_svg(audit, f, "en")
    funnel = funnel_svg(audit, f, "en")
    for svg in (ipa, funnel):
        root = parse(svg)  # well-formed: nothing broke out of its element
        assert not [e for e in root.iter() if e.tag.split("}")[-1] in ("script", "foreignObject", "image", "style")]
        assert not [k for e in root.iter() for k in e.attrib if k.startswith("on")]
    assert '1. <svg onload=alert("tp")> 展会 {#evil .x}' in dots(parse(ipa))[0][1]
    stage_names = [t.text for t in parse(funnel).iter(f"{SVG}title")]
    assert any(name.startswith('</table><script>alert("stage")</script>') for name in stage_names)


def test_chart_words_follow_the_language():
    audit = crowded(1)
    zh = importance_performance_svg(audit, compute(audit), "zh")
    assert "重点改进" in zh and "Concentrate here" not in zh
