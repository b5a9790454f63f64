"""Journey diagrams drawn by Graphviz: what a reader of the page, the deck or the CLI gets.

These tests run the real ``dot`` (``./run setup`` installs Graphviz and the Noto
CJK fonts). They check the drawing rather than pixels: the SVG's text, ids, links
and tooltips, box widths measured against the font, the cache and the errors.

What they pin is ours, not Graphviz's: the SVG is read as XML (not as the text one
Graphviz version writes), no layout coordinate is written down, and Graphviz's own
error messages are only passed on.
"""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import graphviz
import pytest

from journey_audit.cache import Cache
from journey_audit.diagram import render
from journey_audit.diagram.dot import FONTS, dot_source
from journey_audit.diagram.render import Stats, inline_svg, journey_svg, render_files, render_many
from journey_audit.errors import DotNotFound, RenderError
from journey_audit.audit.validate import validate_file, validate_text

FIXTURES = Path(__file__).parent / "fixtures" / "diagram"
SVG_TEXT = re.compile(r"<text\b[^>]*>([^<]*)</text>")
SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"
SHAPES = {f"{SVG}{name}" for name in ("path", "polygon", "rect", "ellipse")}


def load(name: str):
    audit, problems = validate_file(FIXTURES / name, name)
    assert audit is not None, [p.format() for p in problems]
    return audit


def texts(svg: str) -> list[str]:
    return [html.unescape(t) for t in SVG_TEXT.findall(svg)]


def svg_tree(svg: str | bytes) -> ET.Element:
    """The SVG as XML (a file from render_many, or the inline SVG of a page)."""
    return ET.fromstring(svg.encode() if isinstance(svg, str) else svg)


def groups(root: ET.Element, cls: str) -> list[ET.Element]:
    """Graphviz's ``<g class="node">`` (or cluster, edge, graph) groups, in document order."""
    return [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]


def first_shape(group: ET.Element) -> ET.Element:
    """The first shape drawn in a group: a node's box, a cluster's frame, the page background."""
    return next(e for e in group.iter() if e.tag in SHAPES)


def outline_xs(shape: ET.Element) -> list[float]:
    """The x coordinates of a path's or polygon's points (whatever numbers Graphviz chose)."""
    data = shape.get("d") or shape.get("points") or ""
    return [float(x) for x in re.findall(r"(-?[\d.]+)\s*,\s*-?[\d.]+", data)]


# -- hostile text ---------------------------------------------------------------------

HOSTILE = [
    'say "hi"',
    "back\\slash",
    "trailing\\",
    "\\N \\G \\E \\T",
    "\\n\\l\\r \\\\",
    "<b>&amp; & </b>",
    "{a} | [b]",
    '"]; x [label="',
    "-> n0 -- n1;",
    "&#92; &lt; &#45;",
    '<IMG SRC="x.png"/>',
]


def hostile_audit(words: list[str] = HOSTILE):
    """An audit whose every name and message is one of ``words`` (YAML double-quoted)."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    tps = "".join(f"""
      - id: tp-{i}
        name: {q(name)}
        channel: online
        moment_of_truth: {'true' if i % 2 else 'false'}
        message:
          intended: {q("intended " + name)}
          observed: {q(name + " observed")}
          score: {1 + i % 5}
        consistency:
          core: {1 + (i * 3) % 5}""" for i, name in enumerate(words))
    text = f"""title: {q(words[7])}
client: {q(words[0])}
date: 2026-01-01
involvement: high
scale:
  labels: {{1: {q(words[1])}, 2: {q(words[5])}, 3: {q(words[2])}}}
core_messages:
  - id: core
    text: {q(words[6])}
stages:
  - id: one
    name: {q(words[3])}
    prospects: 100
    touchpoints:{tps}
  - id: two
    name: {q(words[8])}
    prospects: 10
    touchpoints:
      - id: last
        name: {q(words[4])}
        channel: online
        message:
          intended: {q(words[9])}
          score: 2
        consistency:
          core: 2
"""
    audit, problems = validate_text(text, "hostile.yaml", "hostile")
    assert audit is not None, [p.format() for p in problems]
    return audit


def parsed_graph(source: str) -> dict:
    """The graph as Graphviz parsed and laid it out (``dot -Tjson``)."""
    return json.loads(subprocess.run(["dot", "-Tjson"], input=source.encode(), capture_output=True,
                                     check=True, env=render._environment()).stdout)


def test_hostile_text_renders_literally_and_cannot_change_the_graph() -> None:
    audit = hostile_audit()
    source = dot_source(audit)
    # What Graphviz parsed: exactly our nodes, clusters and edges, no attribute from audit text.
    parsed = parsed_graph(source)
    n = len(HOSTILE) + 1
    subgraphs = parsed["objects"][:parsed["_subgraph_cnt"]]
    nodes = parsed["objects"][parsed["_subgraph_cnt"]:]
    assert [o["name"] for o in nodes] == [f"n{i}" for i in range(n)]
    assert [o["name"] for o in subgraphs if o["name"].startswith("cluster")] == ["cluster_0", "cluster_1"]
    names = [o["name"] for o in parsed["objects"]]
    edges = sorted((names[e["tail"]], names[e["head"]]) for e in parsed["edges"])
    # Eleven touchpoints make two columns, n0-n5 and n6-n10 (each step down is written bottom-up);
    # n5 → n6 continues the journey, n6 → n11 goes to the next stage.
    down = [(f"n{i + 1}", f"n{i}") for i in [0, 1, 2, 3, 4, 6, 7, 8, 9]]
    assert edges == sorted(down + [("n5", "n6"), ("n6", "n11")])
    # Each node has the attributes it has with plain words in the same places: whatever
    # Graphviz adds of its own (layout, drawing) is the same, nothing comes from the text.
    plain = parsed_graph(dot_source(hostile_audit([f"plain words {i}" for i in range(len(HOSTILE))])))
    plain_nodes = plain["objects"][plain["_subgraph_cnt"]:]
    assert [set(o) for o in nodes] == [set(o) for o in plain_nodes]
    assert set(parsed) == set(plain)
    for node in nodes:
        assert node["URL"].startswith("#tp-")
    assert "x" not in parsed and all("x" not in o for o in parsed["objects"])

    svg = render_many([source], names=["hostile.yaml"])[0].decode()
    shown = texts(svg)
    for name in HOSTILE:
        assert any(name in line for line in shown), name
    # Tooltips: the exact text, in a <title> every browser shows.
    tips = {a.get(XLINK).removeprefix("#tp-"): a.find(f"{SVG}title").text for a in svg_tree(svg).iter(f"{SVG}a")
            if a.get(XLINK, "").startswith("#tp-")}
    assert len(tips) == len(HOSTILE) + 1
    for i, name in enumerate(HOSTILE):
        assert tips[f"tp-{i}"] == f"{name}\nIntended message: intended {name}\nObserved: {name} observed"
    assert "<IMG" not in svg and "<image" not in svg


# What graphviz.quoting.quote() treats specially (keywords, HTML-like strings, bare IDs,
# backslash escapes, an escaped quote), as names, messages and stage names.
QUOTE_TRAPS = [
    "node", "Edge", "GRAPH", "strict", "subgraph",
    "<b>bold?</b>", "<<B>x</B>>", "<>",
    "plain_id", "-4.2",
    "\\l left \\r right", 'quote \\" escaped', 'two \\\\" slashes', "odd \\\\\\", "\\",
    '""', "换行\n第二行", '中文“引号”与"ASCII"\\斜杠',
]


def traps_audit(words: list[str]):
    """One stage per word, its touchpoint's name and messages that word too."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 (a YAML double-quoted scalar)
    stages = "".join(f"""
  - id: s{i}
    name: {q(word)}
    touchpoints:
      - id: t{i}
        name: {q(word)}
        channel: online
        moment_of_truth: {'true' if i % 2 else 'false'}
        message:
          intended: {q(word)}
          observed: {q(word)}
          score: {1 + i % 5}
        consistency:
          core: 3""" for i, word in enumerate(words))
    text = (f"title: {q(words[6])}\nclient: {q(words[0])}\ndate: 2026-01-01\ninvolvement: high\n"
            f"core_messages:\n  - id: core\n    text: {q(words[3])}\nstages:{stages}\n")
    audit, problems = validate_text(text, "traps.yaml", "traps")
    assert audit is not None, [p.format() for p in problems]
    return audit


def test_text_graphviz_quoting_treats_specially_renders_literally() -> None:
    source = dot_source(traps_audit(QUOTE_TRAPS))
    parsed = parsed_graph(source)
    n = len(QUOTE_TRAPS)
    subgraphs = parsed["objects"][:parsed["_subgraph_cnt"]]
    nodes = parsed["objects"][parsed["_subgraph_cnt"]:]
    # Many stages: the journey is drawn in rows (rows of clusters, a marker node "w<s>" ending each row).
    touchpoints = {o["name"]: o for o in nodes if re.fullmatch(r"n\d+", o["name"])}
    assert sorted(touchpoints, key=lambda name: int(name[1:])) == [f"n{i}" for i in range(n)]
    assert sorted((o["name"] for o in subgraphs if re.fullmatch(r"cluster_\d+", o["name"])),
                  key=lambda name: int(name[8:])) == [f"cluster_{i}" for i in range(n)]
    assert len(parsed["edges"]) == n - 1
    plain = parsed_graph(dot_source(traps_audit([f"plain words {i}" for i in range(n)])))
    plain_nodes = {o["name"]: o for o in plain["objects"][plain["_subgraph_cnt"]:]}
    assert {k: set(o) for k, o in touchpoints.items()} == {k: set(plain_nodes[k]) for k in touchpoints}
    assert set(parsed) == set(plain)

    root = svg_tree(render_many([source], names=["traps.yaml"])[0])
    shown = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    tips = {a.get(XLINK).removeprefix("#tp-"): a.find(f"{SVG}title").text for a in root.iter(f"{SVG}a")
            if a.get(XLINK, "").startswith("#tp-")}
    for i, trap in enumerate(QUOTE_TRAPS):
        flat = " ".join(trap.split())
        assert tips[f"t{i}"] == f"{flat}\nIntended message: {flat}\nObserved: {flat}"
        assert f"{i + 1}. {flat}" in shown, flat  # the stage's name, on one line
        assert flat in " ".join(shown), flat
    # HTML-like names stayed text: no element of theirs (nor an image) in the drawing.
    assert not {e.tag.removeprefix(SVG).lower() for e in root.iter()} & {"b", "img", "image", "table", "td"}


def test_file_reading_attributes_are_refused(tmp_path: Path) -> None:
    # Not reachable from audit text (above); Graphviz's safe mode is a second wall.
    secret = tmp_path / "secret.png"
    secret.write_bytes(render_many(["digraph { a }"], "png")[0])
    svg = render_many([f'digraph {{ a [image="{secret}", label=""] }}'])[0].decode()
    assert "<image" not in svg and str(secret) not in svg


# -- the SVG a page inlines -----------------------------------------------------------

def test_inline_svg_is_ready_for_the_page_and_keeps_its_text() -> None:
    audit = load("tea-shop.yaml")
    svg = journey_svg(audit)
    assert svg.startswith("<svg ") and "<?xml" not in svg and "<!DOCTYPE" not in svg and "<!--" not in svg
    root = svg[:svg.index(">")]
    assert "viewBox=" in root and ' width="' not in root and ' height="' not in root
    ids = re.findall(r'\bid="([^"]*)"', svg)
    assert ids and all(i.startswith("jd-tea-shop") for i in ids)
    assert len(ids) == len(set(ids))
    links = re.findall(r'xlink:href="([^"]*)"', svg)
    assert sorted(links) == sorted(f"#tp-{tp.id}" for _, tp in audit.touchpoints())
    # Real, searchable text (not outlines), in the font list that covers Chinese.
    shown = texts(svg)
    assert "小红书种草笔记" in shown and "茶叶店客户接触点审计" in shown
    assert f'font-family="{FONTS}"' in svg
    # Opaque: a white page background and filled stages, so dark mode shows no dark-on-dark text.
    tree = svg_tree(svg)
    [graph] = groups(tree, "graph")
    assert first_shape(graph).get("fill") == "#ffffff"
    assert [first_shape(c).get("fill") for c in groups(tree, "cluster")] == ["#f3f4f6"] * len(audit.stages)


def test_png_for_slides() -> None:
    png = render.journey_png(load("bike-repair.yaml"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(png[16:20], "big")
    assert width > 800  # drawn at 144 dpi, sharp on a slide


# -- Chinese text fits its boxes ---------------------------------------------------------

def _font(spec: str):
    from PIL import ImageFont  # the test extra installs Pillow
    found = subprocess.run(["fc-match", "-f", "%{family}|%{file}|%{index}", spec], capture_output=True,
                           text=True).stdout
    family, path, index = found.split("|")
    assert "Noto Sans CJK" in family, ("the diagrams need the Noto CJK fonts where they are drawn: "
                                       "apt-get install fonts-noto-cjk")
    return lambda size: ImageFont.truetype(path, size, index=int(index))


def test_box_widths_cover_the_text_measured_with_the_font() -> None:
    regular, bold = _font("Noto Sans CJK SC"), _font("Noto Sans CJK SC:bold")
    svg = render_many([dot_source(load(n)) for n in ("tea-shop.yaml", "bike-repair.yaml")])
    checked = 0
    for doc in svg:
        for group in groups(svg_tree(doc), "node"):
            # The first shape is the (inner) box; a moment of truth's outer border follows it.
            xs = outline_xs(first_shape(group))
            left, right = min(xs), max(xs)
            for el in group.iter(f"{SVG}text"):
                text = el.text or ""
                size = float(el.get("font-size"))
                x = float(el.get("x"))
                font = (bold if el.get("font-weight") == "bold" else regular)(round(size))
                width = font.getlength(text)
                anchor = el.get("text-anchor", "start")
                start = {"middle": x - width / 2, "end": x - width}.get(anchor, x)
                # Inside the rounded box, with room to spare for another browser's font.
                assert left + 4 <= start and start + width <= right - 4, (text, left, right, start, width)
                checked += 1
    assert checked >= 10


# -- cache, batching, determinism ----------------------------------------------------------

def test_an_unchanged_audit_never_calls_dot_again(tmp_path: Path) -> None:
    audit = load("tea-shop.yaml")
    cache, stats = Cache(tmp_path / "cache"), Stats()
    [first] = render_many([dot_source(audit)], "svg", cache, stats=stats)
    assert stats.dot_calls == 2  # dot -V once, then the drawing
    assert stats.graphs_rendered == 1

    # A new build, a new process: the cache folder remembers the drawing and dot's version.
    assert render_many([dot_source(audit)], "svg", cache, stats=stats) == [first]
    assert stats.dot_calls == 2 and stats.cache_hits == 1
    assert journey_svg(audit, cache) == inline_svg(first.decode())

    audit.stages[0].touchpoints[0].name = "小红书笔记"
    [changed] = render_many([dot_source(audit)], "svg", cache, stats=stats)
    assert changed != first and "小红书笔记" in changed.decode()
    assert stats.dot_calls == 3


def test_without_a_cache_nothing_is_kept(tmp_path: Path) -> None:
    # The renderer holds no state: without a cache, each call draws (and asks dot its version) again.
    source = dot_source(load("tea-shop.yaml"))
    stats = Stats()
    assert render_many([source], "png", stats=stats) == render_many([source], "png", stats=stats)
    assert stats.graphs_rendered == 2 and stats.dot_calls == 4 and stats.cache_hits == 0
    [png] = render_files([source], "png", Cache(tmp_path / "cache"), stats=stats)
    assert isinstance(png, Path) and png.read_bytes().startswith(b"\x89PNG")
    assert stats.graphs_rendered == 3


def test_many_audits_are_drawn_each_by_its_own_dot_the_same_in_any_order() -> None:
    # A dot drawing several graphs draws all but the first differently (cluster order):
    # one dot per graph, so two cold builds are byte-identical whatever the order and cores.
    audit = load("tea-shop.yaml")
    sources = []
    for i in range(5):
        audit.title = f"Audit {i}"
        sources.append(dot_source(audit))
    stats = Stats()
    out = render_many(sources + sources[:1], jobs=2, stats=stats)
    assert stats.graphs_rendered == 5  # the repeated source is drawn once
    assert stats.dot_calls == 1 + 5
    assert out[5] == out[0]
    assert [f"Audit {i}" in o.decode() for i, o in enumerate(out[:5])] == [True] * 5
    assert render_many(sources[::-1], jobs=1)[::-1] == out[:5]
    assert [render_many([s])[0] for s in sources] == out[:5]


def test_after_one_audit_changes_only_that_one_is_drawn_again(tmp_path: Path) -> None:
    audit = load("tea-shop.yaml")
    sources = []
    for i in range(4):
        audit.title = f"Audit {i}"
        sources.append(dot_source(audit))
    cache, stats = Cache(tmp_path), Stats()
    render_many(sources, cache=cache, stats=stats)
    assert stats.graphs_rendered == 4
    audit.title = "Audit 3, edited"
    sources[3] = dot_source(audit)
    out = render_many(sources, cache=cache, jobs=2, stats=stats)
    assert stats.graphs_rendered == 5  # the edited one only
    assert "Audit 3, edited" in out[3].decode() and "Audit 0" in out[0].decode()


def test_the_same_source_gives_byte_identical_svg(tmp_path: Path) -> None:
    source = dot_source(load("tea-shop.yaml"))
    stats = Stats()
    first = render_many([source], cache=Cache(tmp_path / "a"), stats=stats)
    assert render_many([source], cache=Cache(tmp_path / "b"), stats=stats) == first
    assert stats.graphs_rendered == 2


# -- a damaged cache ---------------------------------------------------------------------------

DAMAGE = {
    "truncated": lambda data: data[:len(data) // 2],
    "zeroed": lambda data: bytes(len(data)),
    "emptied": lambda data: b"",
    "garbled": lambda data: data[:40] + bytes(b ^ 0x55 for b in data[40:48]) + data[48:],
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
@pytest.mark.parametrize("which", ["drawing", "its hash"])
def test_a_damaged_drawing_is_drawn_again_as_it_was(tmp_path: Path, damage: str, which: str) -> None:
    source = dot_source(load("tea-shop.yaml"))
    cache, stats = Cache(tmp_path), Stats()
    [expected] = render_many([source], "png")  # no cache
    [path] = render_files([source], "png", cache, stats=stats)
    assert path.read_bytes() == expected
    target = path if which == "drawing" else path.with_name(path.name + ".sha256")
    target.write_bytes(DAMAGE[damage](target.read_bytes()))
    assert render_many([source], "png", cache, stats=stats) == [expected]
    assert render_files([source], "png", cache, stats=stats) == [path] and path.read_bytes() == expected
    assert stats.graphs_rendered == 2 and stats.cache_hits == 1  # drawn again once, then found


def test_a_damaged_or_missing_version_of_dot_is_asked_again(tmp_path: Path) -> None:
    source = dot_source(load("tea-shop.yaml"))
    cache, stats = Cache(tmp_path), Stats()
    first = render_many([source], cache=cache, stats=stats)
    [memo] = cache.drawings.folder.rglob("*.txt")
    memo.write_bytes(memo.read_bytes()[:5])
    assert render_many([source], cache=cache, stats=stats) == first
    assert stats.dot_calls == 3 and stats.graphs_rendered == 1  # dot -V again, nothing drawn again
    for f in cache.drawings.folder.rglob("*.txt*"):
        f.unlink()
    assert render_many([source], cache=cache, stats=stats) == first and stats.dot_calls == 4


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    source = dot_source(load("tea-shop.yaml"))
    [png] = render_files([source], "png", Cache(blocked))
    assert png == render_many([source], "png")[0]


# -- errors ------------------------------------------------------------------------------------

def test_a_failing_render_names_the_audit() -> None:
    good = dot_source(load("bike-repair.yaml"))
    with pytest.raises(RenderError) as caught:
        render_many([good, "digraph { a -> }", good + " "], names=["a.yaml", "audits/broken.yaml", "c.yaml"])
    # Ours: which audit's drawing failed (not the ones drawn with it); then Graphviz's reason, in its words.
    prefix = "could not draw the journey diagram of audits/broken.yaml: "
    message = str(caught.value)
    assert message.startswith(prefix) and message[len(prefix):].strip(), message


def test_a_render_that_takes_too_long_is_stopped() -> None:
    with pytest.raises(RenderError, match="did not finish within"):
        render_many([dot_source(load("tea-shop.yaml"))], names=["slow.yaml"], time_limit=0.001)


def test_only_svg_and_png() -> None:
    with pytest.raises(ValueError, match="svg, png"):
        render_many(["digraph {}"], "pdf")


def test_without_dot_the_library_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DotNotFound, match="apt-get install graphviz"):
        journey_svg(load("tea-shop.yaml"))
    # What the graphviz package raises for a missing dot catches it too.
    with pytest.raises(graphviz.ExecutableNotFound, match="apt-get install graphviz"):
        render_many(["digraph {}"])


def test_without_dot_the_command_fails_clearly(tmp_path: Path) -> None:
    env = {"PATH": str(tmp_path), "HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "journey_audit", "diagram", str(FIXTURES), "--out",
                           str(tmp_path / "out")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode != 0
    assert "apt-get install graphviz" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "out").exists()
    # The DOT source needs no Graphviz.
    done = subprocess.run([sys.executable, "-m", "journey_audit", "diagram", str(FIXTURES), "--format", "dot",
                           "--out", str(tmp_path / "dot")], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "dot").iterdir()) == ["bike-repair.dot", "tea-shop.dot"]


def test_the_command_writes_one_picture_per_audit(tmp_path: Path) -> None:
    from journey_audit.cli import main

    out = tmp_path / "out"
    assert main(["diagram", str(FIXTURES), "--format", "png", "--out", str(out), "--cache",
                 str(tmp_path / "cache")]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["bike-repair.png", "tea-shop.png"]
    assert (out / "tea-shop.png").read_bytes().startswith(b"\x89PNG")


def test_the_command_draws_the_valid_audits_and_reports_the_others(tmp_path: Path, capsys) -> None:
    from journey_audit.cli import main

    audits = tmp_path / "audits"
    audits.mkdir()
    (audits / "tea-shop.yaml").write_bytes((FIXTURES / "tea-shop.yaml").read_bytes())
    (audits / "broken.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["diagram", str(audits), "--format", "dot", "--out", str(out)]) == 1
    assert [p.name for p in out.iterdir()] == ["tea-shop.dot"]
    err = capsys.readouterr().err
    assert "broken.yaml:" in err and "error" in err and "wrote 1 dot diagram" in err


def test_png_downloads_can_stay_files_in_the_cache(tmp_path: Path) -> None:
    audit = load("tea-shop.yaml")
    source = dot_source(audit)
    stats = Stats()
    [first] = render_files([source], "png", Cache(tmp_path), names=["tea-shop"], stats=stats)
    assert isinstance(first, Path) and first.read_bytes().startswith(b"\x89PNG")
    calls = stats.dot_calls
    assert render_files([source], "png", Cache(tmp_path), stats=stats) == [first]
    assert stats.dot_calls == calls and stats.cache_hits == 1  # found in the cache: nothing drawn
