"""The client page's trend chart: overall and per-stage scores across rounds.

The chart is read as XML (what does not parse does not show) and checked for what a
reader relies on: one line per stage plus the overall one, one point per round that
has the figure (a stage a round lacks leaves a gap, not a line across it), rounds in
date order from left to right, higher scores higher up, lines told apart without
colour, colours that read on Material's light and dark backgrounds, and audit text
shown literally. Every expected figure comes from :func:`journey_audit.figures.scoring.trend`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from journey_audit import palette
from journey_audit.site.charts import MARKERS, SERIES_COLOURS, SERIES_DASHES, SLATE_BACKGROUND, trend_svg
from journey_audit.figures.scoring import fmt, trend
from journey_audit.audit.validate import validate_text

SVG = "{http://www.w3.org/2000/svg}"


def round_(slug: str, date: str, stages: dict[str, int], names: dict[str, str] | None = None):
    """An audit whose stage ``id`` has one touchpoint scoring ``score`` on message and consistency."""
    names = names or {}
    blocks = "\n".join(
        f"""  - id: {sid}
    name: {names.get(sid, sid.title())!r}
    touchpoints:
      - {{id: tp-{sid}, name: T, channel: online, message: {{intended: I, score: {score}}}, consistency: {{q: {score}}}}}"""
        for sid, score in stages.items())
    audit, problems = validate_text(f"""
title: Round {slug}
client: Acme
client_id: acme
date: {date}
involvement: high
core_messages: [{{id: q, text: Q}}]
stages:
{blocks}
""", f"{slug}.yaml", slug)
    assert audit is not None, [p.format() for p in problems]
    return audit


@pytest.fixture
def rounds():
    """Four rounds; stage 'buy' is missing from the third, 'reorder' only in the last."""
    return [round_("r1", "2025-01-15", {"search": 2, "buy": 3}),
            round_("r2", "2025-06-30", {"search": 3, "buy": 2}),
            round_("r3", "2025-12-31", {"search": 4}),
            round_("r4", "2026-06-30", {"search": 5, "buy": 4, "reorder": 1})]


def series(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("data-series"): g for g in root.iter(f"{SVG}g") if "ja-series" in (g.get("class") or "")}


def points(group: ET.Element) -> list[tuple[str, str, float, float]]:
    """(round slug, value as shown, x, y) of each point of a series."""
    out = []
    for g in group.iter(f"{SVG}g"):
        if g.get("class") != "ja-point":
            continue
        shape = next(e for e in g if e.tag != f"{SVG}title")
        x, y = _centre(shape)
        out.append((g.get("data-round"), g.get("data-value"), x, y))
    return out


def _centre(shape: ET.Element) -> tuple[float, float]:
    if shape.tag == f"{SVG}circle":
        return float(shape.get("cx")), float(shape.get("cy"))
    if shape.tag == f"{SVG}rect":
        return (float(shape.get("x")) + float(shape.get("width")) / 2,
                float(shape.get("y")) + float(shape.get("height")) / 2)
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d"))]
    xs, ys = numbers[0::2], numbers[1::2]
    return (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2


def test_one_series_per_stage_plus_overall_with_a_point_per_round_that_has_it(rounds):
    t = trend(rounds)
    root = ET.fromstring(trend_svg(rounds, t, "en"))
    found = series(root)
    assert set(found) == {"overall", "search", "buy", "reorder"}
    expected = {"overall": t.overall, **t.stages}
    for key, values in expected.items():
        shown = [(slug, value) for slug, value, _, _ in points(found[key])]
        assert shown == [(r.slug, fmt(v)) for r, v in zip(rounds, values) if v is not None], key
    assert len(points(found["buy"])) == 3 and len(points(found["reorder"])) == 1


def test_a_stage_missing_from_a_round_leaves_a_gap(rounds):
    root = ET.fromstring(trend_svg(rounds, trend(rounds), "en"))
    buy = series(root)["buy"]
    [line] = buy.findall(f"{SVG}path")
    d = line.get("d")
    xs = {slug: x for slug, _, x, _ in points(buy)}
    # One stroke from r1 to r2; r4 stands alone (no line across the missing r3).
    assert d.count("M") == 1 and d.count("L") == 1
    assert f"{xs['r4']:.1f}" not in d
    # A stage with a single point has no line at all, only its marker.
    assert series(root)["reorder"].findall(f"{SVG}path") == []
    assert len(points(series(root)["reorder"])) == 1


def test_rounds_run_left_to_right_by_date_and_higher_scores_are_higher(rounds):
    t = trend(rounds)
    root = ET.fromstring(trend_svg(rounds, t, "en"))
    overall = points(series(root)["overall"])
    xs = [x for _, _, x, _ in overall]
    assert xs == sorted(xs) and len(set(xs)) == len(rounds)
    search = points(series(root)["search"])  # scores 2, 3, 4, 5: each higher up (smaller y)
    ys = [y for _, _, _, y in search]
    assert ys == sorted(ys, reverse=True) and len(set(ys)) == 4
    dates = [t.text for t in root.iter(f"{SVG}text") if re.fullmatch(r"\d{4}-\d\d-\d\d", t.text or "")]
    assert dates == [r.date.isoformat() for r in rounds]


def test_lines_differ_by_dash_and_marker_as_well_as_colour(rounds):
    """In greyscale or print only dashes and marker shapes tell the lines apart."""
    styles = [(SERIES_DASHES[i % len(SERIES_DASHES)], MARKERS[i % len(MARKERS)]) for i in range(len(MARKERS))]
    assert len(set(styles)) == len(styles)
    root = ET.fromstring(trend_svg(rounds, trend(rounds), "en"))
    lines = {key: group.findall(f"{SVG}path") for key, group in series(root).items()}
    dashes = [line.get("stroke-dasharray") for key in ("search", "buy") for line in lines[key]]
    assert len(dashes) == 2 and None not in dashes and len(set(dashes)) == 2
    [overall] = lines["overall"]  # solid and thicker, with round markers
    assert overall.get("stroke-dasharray") is None and float(overall.get("stroke-width")) > 2
    marks = [e.tag for g in series(root)["overall"].iter(f"{SVG}g") if g.get("class") == "ja-point"
             for e in g if e.tag != f"{SVG}title"]
    assert marks == [f"{SVG}circle"] * 4


@pytest.mark.parametrize("background", ["#ffffff", SLATE_BACKGROUND])
def test_line_colours_read_on_the_light_and_the_dark_palette(background):
    # WCAG 1.4.11 asks 3:1 for graphics; the overall line is currentColor (the text colour).
    assert all(palette.contrast(c, background) >= 3 for c in SERIES_COLOURS)
    assert len(set(SERIES_COLOURS)) == len(SERIES_COLOURS)


def test_the_legend_names_every_series_and_the_overall_line_comes_first(rounds):
    root = ET.fromstring(trend_svg(rounds, trend(rounds), "en"))
    items = [g for g in root.iter(f"{SVG}g") if g.get("class") == "ja-legend-item"]
    assert [g.get("data-series") for g in items] == ["overall", "search", "buy", "reorder"]
    assert [g.find(f"{SVG}text").text for g in items] == ["Overall", "Search", "Buy", "Reorder"]


def test_stage_names_are_literal_and_words_follow_the_language():
    names = {"s": '<script>alert("x")</script> & 寻找信息'}
    rounds = [round_("a", "2026-01-01", {"s": 2}, names), round_("b", "2026-06-30", {"s": 4}, names)]
    svg = trend_svg(rounds, trend(rounds), "zh")
    root = ET.fromstring(svg)
    assert root.find(f"{SVG}script") is None and "<script>" not in svg
    legend = [t.text for t in root.iter(f"{SVG}text")]
    assert any(t and t.startswith('<script>alert("x")') for t in legend)
    assert root.find(f"{SVG}title").text == "得分趋势" and "总分" in legend


def test_no_chart_for_a_single_round():
    one = [round_("a", "2026-01-01", {"s": 3})]
    assert trend_svg(one, trend(one), "en") is None
