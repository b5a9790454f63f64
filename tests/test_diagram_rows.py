"""Diagrams that stay readable: a long journey in rows, names broken without orphans, emoji drawn.

A journey of many stages drawn in one row was shrunk by the page to a strip (30 stages:
97 pixels high, 1.2 pt text in print). It is now drawn in rows; these tests check the
drawing Graphviz really makes (SVG geometry, PNG pixels), the browser tests in
tests/browser/test_diagram_rows.py the size of its text on a page and on paper.
"""

from __future__ import annotations

import io
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journey_audit.audit.validate import validate_file, validate_text
from journey_audit.diagram import rows
from journey_audit.diagram.dot import dot_source, stage_widths, wrap
from journey_audit.diagram.render import inline_svg, render_many
from journey_audit.textwidth import SHORT_TAIL, width

FIXTURES = Path(__file__).parent / "fixtures"
LONG = FIXTURES / "diagram-rows" / "long-journey.yaml"
SVG = "{http://www.w3.org/2000/svg}"


def journey(stages: int, touchpoints: int = 2) -> str:
    """An audit of ``stages`` stages of ``touchpoints`` touchpoints each, as YAML text."""
    out = ["title: Long journey", "client: Acme Tools", "date: 2026-01-15", "involvement: low",
           "core_messages:", "  - id: quality", "    text: Tools that last", "stages:"]
    for s in range(stages):
        out += [f"  - id: s{s}", f"    name: Stage number {s + 1}", f"    prospects: {1000 - s * 10}",
                "    touchpoints:"]
        for t in range(touchpoints):
            out += [f"      - id: t{s}-{t}", f"        name: Touchpoint {t} of stage {s + 1}",
                    "        channel: online", "        message:", "          intended: Show the tools",
                    "          score: 3", "        consistency:", "          quality: 4"]
    return "\n".join(out) + "\n"


def audit_of(text: str, slug: str = "long"):
    audit, problems = validate_text(text, f"{slug}.yaml", slug)
    assert audit is not None, [p.format() for p in problems]
    return audit


def drawn(audit) -> ET.Element:
    [svg] = render_many([dot_source(audit)], "svg")
    return ET.fromstring(svg)


def stage_boxes(root: ET.Element, slug: str) -> dict[int, tuple[float, float]]:
    """Stage number → (left x, top y) of its box in the drawing (SVG user units, y down)."""
    boxes = {}
    for group in root.iter(f"{SVG}g"):
        found = re.fullmatch(rf"jd-{slug}-s(\d+)", group.get("id", ""))
        if found:
            path = group.find(f"{SVG}path")
            if path is None:
                path = group.find(f"{SVG}polygon")
            numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", path.get("d") or path.get("points"))]
            boxes[int(found.group(1))] = (min(numbers[0::2]), min(numbers[1::2]))
    return boxes


# -- rows ----------------------------------------------------------------------------

def test_a_journey_of_a_few_stages_is_drawn_in_one_row_as_before(example_audits: Path) -> None:
    for path in sorted(example_audits.rglob("*.yaml")):
        audit, _ = validate_file(path, path.name)
        source = dot_source(audit)
        assert "cluster_row" not in source and "constraint" not in source, path.name
        assert 'class="jd-diagram"' in inline_svg(render_many([source], "svg")[0].decode())


def test_thirty_stages_are_drawn_in_rows_of_readable_width() -> None:
    audit = audit_of(journey(30))
    root = drawn(audit)
    width_pt = float(root.get("viewBox").split()[2])
    # One row was 7039 pt wide: shown 938 px wide, its 10 pt figures were 1.3 px.
    assert width_pt <= rows.ROW_WIDTH, width_pt
    boxes = stage_boxes(root, "long")
    assert sorted(boxes) == list(range(30))
    row_tops = sorted({round(top) for _, top in boxes.values()})
    assert len(row_tops) >= 8, row_tops  # about three stages a row
    # The customer's order reads left to right, then row after row downwards.
    for s in range(29):
        (x0, y0), (x1, y1) = boxes[s], boxes[s + 1]
        assert (abs(y1 - y0) < 10 and x1 > x0) or (y1 > y0 + 50 and x1 < x0), (s, boxes[s], boxes[s + 1])


def test_every_row_ends_with_its_conversion_and_the_number_of_the_next_rows_first_stage() -> None:
    audit = audit_of(journey(12, 1))
    source = dot_source(audit)
    starts = [int(m) for m in re.findall(r'\[id="jd-long-w(\d+)"', source)]
    assert starts, source
    svg = render_many([source], "svg")[0].decode()
    for s in starts:
        assert re.search(rf'<g id="jd-long-w{s}" class="node">.*?>{s + 2}\.</text>', svg, re.S), s
    # Every step of the funnel still labels an arrow: 11 conversions for 12 stages.
    assert len(re.findall(r'id="jd-long-f\d+"', source)) == 11
    assert len(re.findall(r"label=<(?:<B>▼ )?[\d.]+%", source)) == 11


def test_a_wrapped_journey_prints_upright(example_audits: Path) -> None:
    svg = render_many([dot_source(audit_of(journey(8)))], "svg")[0].decode()
    assert 'class="jd-diagram jd-rows"' in inline_svg(svg)


@pytest.mark.parametrize("widths,starts", [
    ([234] * 5, [0]), ([234] * 6, [0, 3]), ([234] * 7, [0, 3, 6]),
    ([654, 654, 234], [0, 1]),  # three-column stages: fewer a row
    ([200, 2000, 200], [0, 1, 2]),  # a stage wider than a row has a row of its own
])
def test_rows_are_balanced_and_never_wider_than_the_limit(widths: list[int], starts: list[int]) -> None:
    assert rows.split(widths) == starts


def test_the_estimated_width_is_close_to_the_drawn_width() -> None:
    """Rows are cut by estimate (the DOT source does not depend on Graphviz): within 10 % of the drawing."""
    texts = [journey(3, 2), journey(3, 9), journey(1, 20), journey(2, 12), journey(2, 1).replace("Stage number", "门店体验与新品品鉴会")]
    for text in texts:
        audit = audit_of(text)
        assert "cluster_row" not in dot_source(audit)
        real = float(drawn(audit).get("viewBox").split()[2])
        estimate = sum(stage_widths(audit)) + rows.PAD - rows.STAGE_EXTRA / 2  # no arrow after the last stage
        assert abs(estimate - real) / real < 0.10, (estimate, real)


def test_the_long_journey_fixture_matches_its_golden_file() -> None:
    audit, problems = validate_file(LONG, LONG.name)
    assert audit is not None, problems
    golden = LONG.with_suffix(".dot")
    if os.environ.get("JOURNEY_AUDIT_UPDATE_GOLDEN") == "1":
        golden.write_text(dot_source(audit), encoding="utf-8")
    assert dot_source(audit) == golden.read_text(encoding="utf-8")


# -- names broken without orphans -----------------------------------------------------------

def test_a_long_word_is_not_broken_before_its_last_letter() -> None:
    assert wrap("Internationalisation-recommendations") == ["Internationalisation-", "recommendations"]
    assert wrap("a" * 25) == ["a" * 13, "a" * 12]  # was 24 + a lone "a"


def test_no_chinese_character_alone_on_the_last_line() -> None:
    assert wrap("一二三四五六七八九十一二三") == ["一二三四五六七八九十一", "二三"]  # was 12 + "三"
    assert wrap("2. Buy {: onclick=\"alert(1)\" }", 28) == ["2. Buy {:", 'onclick="alert(1)" }']


@given(st.text(st.sampled_from("abcdefghij-"), min_size=25, max_size=90), st.integers(8, 30))
def test_a_word_wider_than_a_line_never_leaves_a_lone_letter(word: str, size: int) -> None:
    lines = wrap(word, size, max_lines=1000)
    assert "".join(lines) == word
    assert all(width(line) <= size for line in lines)
    if width(word) > size:
        assert width(lines[-1]) > SHORT_TAIL, lines


# -- emoji ---------------------------------------------------------------------------------

def test_emoji_in_a_name_are_drawn_in_colour_not_as_boxes() -> None:
    """./run installs a colour emoji font (Debian fonts-noto-color-emoji): 🎉 is drawn, in colour."""
    from PIL import Image

    audit = audit_of(journey(1, 1).replace("Touchpoint 0 of stage 1", "🎉🎉🎉"))
    [png] = render_many([dot_source(audit)], "png")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    # The touchpoint's fill is pale; an emoji adds strongly saturated pixels (a box would be ink-grey).
    saturated = sum(1 for r, g, b in image.get_flattened_data() if max(r, g, b) - min(r, g, b) > 120)
    plain = Image.open(io.BytesIO(render_many([dot_source(audit_of(journey(1, 1)))], "png")[0])).convert("RGB")
    baseline = sum(1 for r, g, b in plain.get_flattened_data() if max(r, g, b) - min(r, g, b) > 120)
    assert saturated > baseline + 200, (saturated, baseline)
