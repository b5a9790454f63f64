"""Journey diagrams as DOT source: an audit goes in, Graphviz's input comes out.

No ``dot`` runs here (see test_render.py for what it draws). The golden files under
``tests/fixtures/diagram/`` are the expected DOT of each fixture audit; after an
intended change, regenerate them with ``JOURNEY_AUDIT_UPDATE_GOLDEN=1 ./run test
tests/test_diagram.py`` and review the diff like any other change.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journey_audit import palette

from journey_audit.figures import scoring
from journey_audit.diagram.dot import MAX_ROWS, dot_source, wrap
from journey_audit.audit.validate import validate_file, validate_text

FIXTURES = Path(__file__).parent / "fixtures" / "diagram"
AUDITS = sorted(FIXTURES.glob("*.yaml"))


def load(name: str):
    audit, problems = validate_file(FIXTURES / name, name)
    assert audit is not None, [p.format() for p in problems]
    return audit


def node_attrs(source: str) -> dict[str, str]:
    """Node name → its attribute text, from the DOT this module writes (one node per line)."""
    return dict(re.findall(r"^ +(n\d+) \[(.*)\]$", source, re.M))


def attr(attrs: str, key: str) -> str | None:
    m = re.search(rf'(?:^|, ){key}="((?:[^"\\]|\\.)*)"', attrs)
    return m.group(1) if m else None


# -- golden files ------------------------------------------------------------------

@pytest.mark.parametrize("path", AUDITS, ids=lambda p: p.stem)
def test_dot_source_matches_the_golden_file(path: Path) -> None:
    audit = load(path.name)
    golden = path.with_suffix(".dot")
    source = dot_source(audit)
    if os.environ.get("JOURNEY_AUDIT_UPDATE_GOLDEN") == "1":
        golden.write_text(source, encoding="utf-8")
    expected = golden.read_text(encoding="utf-8")
    diff = "".join(difflib.unified_diff(expected.splitlines(True), source.splitlines(True),
                                        str(golden), "dot_source()"))
    assert source == expected, "the DOT source changed; if intended, regenerate the golden file:\n" + diff


def test_same_audit_same_bytes() -> None:
    first = dot_source(load("tea-shop.yaml"))
    assert dot_source(load("tea-shop.yaml")) == first
    assert dot_source(load("tea-shop.yaml"), scoring.compute(load("tea-shop.yaml"))) == first


# -- what the picture says -------------------------------------------------------------

def test_every_touchpoint_shows_its_figures_as_the_pages_format_them() -> None:
    audit = load("tea-shop.yaml")
    figures = scoring.compute(audit)
    nodes = node_attrs(dot_source(audit))
    assert len(nodes) == sum(1 for _ in audit.touchpoints())
    for (_, tp), (name, attrs) in zip(audit.touchpoints(), nodes.items()):
        tf = figures.touchpoints[tp.id]
        assert f"信息 {scoring.fmt(tf.message)} · 一致性 {scoring.fmt(tf.consistency)}" in attrs
        assert attr(attrs, "URL") == f"#tp-{tp.id}"
        assert attr(attrs, "id") == f"jd-tea-shop-{name}"
        fill = palette.fill(tf.score, audit.scale.min, audit.scale.max)
        assert attr(attrs, "fillcolor") == fill
        assert attr(attrs, "fontcolor") == palette.text_on(fill)
        assert palette.contrast(fill, palette.text_on(fill)) >= 4.5


def test_tooltip_gives_the_intended_and_observed_message() -> None:
    nodes = node_attrs(dot_source(load("tea-shop.yaml")))
    assert attr(nodes["n0"], "tooltip") == ("小红书种草笔记\\n应传递的信息：用茶园实拍讲清楚高山原产地"
                                            "\\n实际观察：笔记多是店面摆拍,看不出产地")
    # Nothing observed: the tooltip says so with the dash used for missing figures.
    assert attr(nodes["n1"], "tooltip").endswith("\\n实际观察：–")


def test_moments_of_truth_are_marked_without_relying_on_colour() -> None:
    audit = load("tea-shop.yaml")
    nodes = node_attrs(dot_source(audit))
    for (_, tp), attrs in zip(audit.touchpoints(), nodes.values()):
        marked = [attr(attrs, "peripheries") == "2", f"<B>★ {tp.name}</B>" in attrs]
        assert marked == [tp.moment_of_truth] * 2, tp.id


def test_funnel_conversion_labels_the_arrows_and_the_leakiest_stage_is_marked() -> None:
    audit = load("tea-shop.yaml")
    figures = scoring.compute(audit)
    source = dot_source(audit)
    assert figures.funnel.leakiest == "notice"
    leak, other = figures.funnel.steps
    assert f"label=<<B>▼ {scoring.fmt_percent(leak.conversion)}</B>>, penwidth=\"3\"" in source
    assert f"label=<{scoring.fmt_percent(other.conversion)}>" in source
    clusters = re.findall(r"^    graph \[(id=\"jd-tea-shop-s\d+\".*)\]$", source, re.M)
    assert ["▼ 流失最多" in c for c in clusters] == [True, False, False]
    assert [attr(c, "penwidth") for c in clusters] == ["3", "1", "1"]


def test_an_audit_without_prospects_has_no_funnel_marks() -> None:
    source = dot_source(load("bike-repair.yaml"))
    assert "▼" not in source and "%" not in source
    assert "conversion" not in source  # nor its line in the legend


def test_the_legend_explains_the_colours_of_the_audits_own_scale() -> None:
    audit = load("bike-repair.yaml")
    source = dot_source(audit)
    for value, name in audit.scale.labels.items():
        fill = palette.fill(value, audit.scale.min, audit.scale.max)
        assert f'<TD BGCOLOR="{fill}" BORDER="1" COLOR="#1a1a1a"><FONT COLOR="{palette.text_on(fill)}">' \
               f"{value} {name}</FONT></TD>" in source
    assert "★ bold, double border = moment of truth" in source


def test_backgrounds_are_opaque_for_the_dark_palette() -> None:
    source = dot_source(load("tea-shop.yaml"))
    assert 'bgcolor="#ffffff"' in source
    clusters = re.findall(r"^    graph \[(.*)\]$", source, re.M)
    assert clusters and all('style="rounded,filled"' in c and 'fillcolor="#f3f4f6"' in c for c in clusters)
    assert "transparent" not in source


def test_a_long_stage_takes_several_balanced_columns(minimal_text: str) -> None:
    touchpoint = minimal_text[minimal_text.index("      - id: website"):]
    many = "".join(touchpoint.replace("website", f"site-{i}") for i in range(MAX_ROWS + 1))
    audit, problems = validate_text(minimal_text.replace(touchpoint, many), "long.yaml", "long")
    assert audit is not None, problems
    ranks = re.findall(r"\{ rank=same; (.*); \}", dot_source(audit))
    assert ranks == ["n0; n1; n2; n3; n4", "n5; n6; n7; n8"]


def test_slugs_are_required_for_ids_and_links(minimal_text: str) -> None:
    audit, _ = validate_text(minimal_text, "m.yaml", "m")
    audit.stages[0].touchpoints[0].id = 'x" onclick="alert(1)'
    with pytest.raises(ValueError, match="not a slug"):
        dot_source(audit)


# -- wrapping long names -----------------------------------------------------------------

def test_long_chinese_and_english_names_wrap_instead_of_stretching() -> None:
    assert wrap("店内试饮台与茶艺师现场讲解冲泡方法") == ["店内试饮台与茶艺师现场讲", "解冲泡方法"]
    assert wrap("Map listing with opening hours and walk-in repair times") == [
        "Map listing with opening", "hours and walk-in repair", "times"]
    # Mixed text keeps Latin words whole; Chinese never starts a line with a closing mark.
    assert wrap("阿里巴巴国际站 Alibaba.com 店铺", 16) == ["阿里巴巴国际站", "Alibaba.com 店铺"]
    assert wrap("一二三四五六七，八九", 14) == ["一二三四五六", "七，八九"]


@given(st.text(st.sampled_from("ab 中文，（）-x\u3000"), max_size=60), st.integers(4, 30))
def test_wrapping_keeps_every_character_and_the_width(text: str, width: int) -> None:
    lines = wrap(text, width, max_lines=1000)
    assert "".join(lines).replace(" ", "") == "".join(text.split())
    for line in lines:
        assert sum(2 if ch in "中文，（）" else 1 for ch in line) <= width, (line, width)


# -- DOT quoting (graphviz.quoting) ------------------------------------------------------
#
# graphviz's quote() writes an HTML-like string (<…>) as it is, leaves a plain ID or
# number bare, quotes keywords, and takes \" as an escaped quote. None of that may
# apply to audit text: it is always a double-quoted string of literal characters.

QUOTE_TRAPS = [
    "node", "Edge", "GRAPH", "strict", "digraph", "subgraph",  # DOT keywords
    "<b>bold?</b>", "<<B>x</B>>", "<>", "<IMG SRC=\"x.png\"/>",  # HTML-like strings
    "plain_id", "-4.2", ".42",  # bare IDs and numbers
    "\\l left \\r right \\n", "\\N \\G \\E \\T \\H \\L", 'quote \\" escaped', 'two \\\\" backslashes',
    "odd \\\\\\", "\\", '"', '""', '"]; x [label="',
    "换行\n第二行", '中文“引号”与"ASCII"\\反斜杠',
]


def dot_scan(source: str, start: int = 0) -> tuple[str, int]:
    """A DOT double-quoted string at ``start`` as Graphviz's scanner reads it: its text and where it ends.

    ``\\"`` is a quote, ``\\\\`` stays two backslashes (escString reads them later), an
    escaped newline is dropped, anything else is itself.
    """
    assert source[start] == '"', source[start:start + 20]
    out, i = [], start + 1
    while source[i] != '"':
        if source[i] == "\\" and i + 1 < len(source) and source[i + 1] in '"\\\n':
            out.append({'"': '"', "\\": "\\\\", "\n": ""}[source[i + 1]])
            i += 2
        else:
            out.append(source[i])
            i += 1
    return "".join(out), i + 1


def esc_string(text: str) -> str:
    """One pass of Graphviz's escString reading: ``\\\\`` is a backslash, ``\\n`` (also ``\\l``,
    ``\\r``) a line break; ``\\N``, ``\\G`` … would be replaced by names (marked ⟨N⟩ here)."""
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\" and i + 1 < len(text):
            c = text[i + 1]
            out.append("\\" if c == "\\" else "\n" if c in "nlr" else f"⟨{c}⟩")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


@given(st.text())
def test_any_text_is_one_literal_dot_string(text: str) -> None:
    import warnings

    from graphviz.quoting import escape

    from journey_audit.diagram.dot import dot_string

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # graphviz's DotSyntaxWarning: a string dot could not read
        quoted = dot_string(escape(text))
    read, end = dot_scan(quoted)
    assert end == len(quoted), quoted  # no quote ends it early
    assert esc_string(read) == text


@given(st.text())
def test_any_text_is_a_literal_tooltip_and_label_text(text: str) -> None:
    import html

    from journey_audit.diagram.dot import dot_string, html_text, tooltip_text

    entities = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    quoted = dot_string(tooltip_text(text))
    read, end = dot_scan(quoted)
    assert end == len(quoted)
    assert esc_string(esc_string(read)) == entities  # Graphviz reads a tooltip twice
    body = html_text(text)
    assert not set(body) & set('<>"') and html.unescape(esc_string(body)) == text


@pytest.mark.parametrize("value", ["node", "STRICT", "LR", "0.25", "-4.2", "<b>x</b>", "<>", "", "a b"])
def test_values_are_always_double_quoted_never_bare_or_html(value: str) -> None:
    from journey_audit.diagram.dot import dot_string

    assert dot_string(value) == f'"{value}"'


def test_only_html_like_labels_are_written_as_they_are() -> None:
    from journey_audit.diagram import dot as diagram
    assert diagram._attrs(label="<<B>x</B>>") == "[label=<<B>x</B>>]"
    with pytest.raises(ValueError, match="not an HTML-like label"):
        diagram._attrs(label="<B>x")  # starts like one, is not one: refused, not quoted or passed on
    with pytest.raises(ValueError, match="not an HTML-like label"):
        diagram._html_label("plain text")


def test_names_graphviz_quoting_treats_specially_stay_text(minimal_text: str) -> None:
    """Keywords, HTML-like strings, bare IDs and backslash escapes as names, messages and stages."""
    import json

    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 (a YAML double-quoted scalar)
    touchpoint = minimal_text[minimal_text.index("      - id: website"):]
    stage = minimal_text[minimal_text.index("  - id: search"):]
    stages = "".join(
        stage.replace("id: search", f"id: s{i}").replace("name: Search", f"name: {q(trap)}")
        .replace(touchpoint, touchpoint.replace("website", f"tp-{i}").replace("name: Website", f"name: {q(trap)}")
                 .replace("intended: Show the tools at work", f"intended: {q(trap)}\n          observed: {q(trap)}"))
        for i, trap in enumerate(QUOTE_TRAPS))
    audit, problems = validate_text(minimal_text.replace(stage, stages), "traps.yaml", "traps")
    assert audit is not None, [p.format() for p in problems]
    source = dot_source(audit)

    nodes = node_attrs(source)
    assert sorted(nodes, key=lambda name: int(name[1:])) == [f"n{i}" for i in range(len(QUOTE_TRAPS))]
    line = re.compile(r'id="jd-traps-n\d+", label=<<TABLE [^\n]*</TABLE>>, fillcolor="#[0-9a-f]{6}", '
                      r'fontcolor="#[0-9a-f]{6}", URL="#tp-tp-\d+", tooltip="(?:[^"\\]|\\.)*"'
                      r'(?:, peripheries="2", penwidth="1.5")?\Z')
    for i, trap in enumerate(QUOTE_TRAPS):
        attrs = nodes[f"n{i}"]
        assert line.match(attrs), attrs
        tip, _ = dot_scan(attrs, attrs.index('tooltip="') + len("tooltip="))
        flat = " ".join(trap.split())
        expected = f"{flat}\nIntended message: {flat}\nObserved: {flat}"
        assert esc_string(esc_string(tip)) == expected.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    # Outside quoted strings and HTML-like labels, only our own words: no keyword, tag or escape from the audit.
    rest, i = [], 0
    while i < len(source):
        if source[i] == '"':
            _, i = dot_scan(source, i)
            rest.append("S")
        elif source[i] == "<":
            depth = 0
            while True:
                depth += {"<": 1, ">": -1}.get(source[i], 0)
                i += 1
                if depth == 0:
                    break
            rest.append("L")
        else:
            rest.append(source[i])
            i += 1
    words = set(re.findall(r"[^\s\[\]{};=,>-]+", "".join(rest)))
    assert words <= {"digraph", "journey", "graph", "node", "edge", "subgraph", "S", "L", "dir", "rank", "same"} | \
        {f"cluster_{s}" for s in range(len(QUOTE_TRAPS))} | set(diagram_attributes()) | set(nodes) | \
        {f"cluster_row{r}" for r in range(len(QUOTE_TRAPS))} | {f"w{s}" for s in range(len(QUOTE_TRAPS))}, words
    assert "\\" not in "".join(rest)


def diagram_attributes() -> frozenset[str]:
    from journey_audit.diagram.dot import ATTRIBUTES

    return ATTRIBUTES
