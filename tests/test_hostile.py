"""Hostile text is literal: a corpus of payloads in every text field, built into a site.

Audit text is typed by people and pasted from e-mails and web pages. Each payload
below goes into every text field of the format: one big audit gives each payload a
stage, a touchpoint (name, owner, intended / method / observed, notes, evidence
title, recommendation text and owner), a core message and a scale label, and lists
them all as auditors and in the summary; one small audit per payload carries it as
title, client and industry. The site is built with diagrams, then read with parsers:

- the HTML pages (``html.parser``) have no element, attribute, script or link that a
  build of the same audits with plain words instead of payloads does not have (no
  ``on*`` attribute, no ``<iframe>``, no ``javascript:`` link anywhere);
- every payload reads literally where its field is shown;
- the diagram downloads parse as XML (``xml.etree``) with no script, no event
  attribute and no link but ``#tp-…``, and labels cut to their caps;
- the DOT source uses only the attributes and label tags of diagram.py's allow-lists.

Characters that disguise text (bidirectional overrides, zero-width characters) are
not in the corpus: validation rejects them, which is tested too.
"""

from __future__ import annotations

import functools
import io
import json
import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from htmlpage import Element, load, parse
from journey_audit.diagram import dot as diagram
from journey_audit.site.build import build_site, config_file, default_config_text
from journey_audit.diagram.dot import dot_source
from journey_audit.errors import DiagramTooLarge
from journey_audit.site.escape import href
from journey_audit.diagram.render import render_many
from journey_audit.site.sitegen import SiteOptions, generate
from journey_audit.audit.validate import validate_text

ROOT = Path(__file__).resolve().parents[1]
LONG = "长" * 1500 + " " + "word " * 1500  # 4,000 characters: labels are capped, pages show it all

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "<!-- comment --> after the comment",
    "[x](javascript:alert(1))",
    '{: onclick="alert(1)"}',
    '--8<-- "/etc/passwd"',
    "{{ config }}",
    "{% include 'x' %}",
    "# heading",
    "| a | b |\n|---|---|\n| c | d |",
    "1. list",
    "    four-space indented text",
    "<style>body{display:none}</style>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "</textarea></title><svg onload=alert(1)>",
    '" onmouseover="alert(1)',
    "trailing backslash \\",
    "\\N \\G \\E \\T \\L \\H",
    "]]><script>alert(1)</script>",
    "emoji 🎉🚀✅ and 中文 mixed",
    LONG,
    "**bold** _em_ `code` ~~strike~~",
    '<a href="javascript:alert(1)">click</a>',
    "![img](x onerror=alert(1))",
    '=HYPERLINK("http://evil.example","x")',
    "@SUM(1+1)",
    "<svg><foreignObject><script>alert(1)</script></foreignObject></svg>",
    "javascript:alert(1)",
    "[^1]: footnote and *[HTML]: abbreviation",
    '<div markdown="1">**x**</div>',
    "&amp;&#60;&#x3C; entities",
    "${7*7} #{7*7}",
    "<<TABLE><TR><TD>x</TD></TR></TABLE>>",
    '"]; n0 -> n1 [label="x',
    '!!! warning "Admonition"',
    "<details open ontoggle=alert(1)>",
    '<base href="//evil.example/">',
    '<meta http-equiv="refresh" content="0;url=//evil.example">',
    "line one\n\n    indented second paragraph\n- item",
]
N = len(PAYLOADS)
CANNOT = ("invisible control character", "that can disguise text")


def q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def corpus(words: list[str]) -> dict[str, str]:
    """Audit files (name → YAML) with ``words`` in every text field."""
    n = len(words)
    stages = []
    for k, w in enumerate(words):
        stages.append(f"""
  - id: s{k}
    name: {q(w)}
    prospects: {1000 - k}
    touchpoints:
      - id: t{k}
        name: {q(w)}
        channel: online
        owner: {q(w)}
        moment_of_truth: {'true' if k % 5 == 0 else 'false'}
        message:
          intended: {q(w)}
          method: {q(w)}
          observed: {q(w)}
          score: {k}
        consistency: {{{", ".join(f"m{j}: {(j + k) % n}" for j in range(n))}}}
        notes: {q(w)}
        evidence:
          - title: {q(w)}
            url: "https://example.com/e?k={k}&x=%3Cb%3E"
          - title: {q(w)}
            url: evidence/e{k}.jpg
        recommendations:
          - text: {q(w)}
            priority: high
            owner: {q(w)}""")
    big = f"""title: Hostile corpus
client: Hostile client
client_id: hostile
date: 2026-01-15
language: en
industry: {q(words[0])}
auditors: [{", ".join(q(w) for w in words)}]
involvement: high
summary: {q(chr(10).join(chr(10) + w for w in words))}
scale:
  min: 0
  max: {n - 1}
  labels: {{{", ".join(f"{k}: {q(w)}" for k, w in enumerate(words))}}}
core_messages:
{chr(10).join(f"  - id: m{k}{chr(10)}    text: {q(w)}" for k, w in enumerate(words))}
stages:{"".join(stages)}
"""
    files = {"hostile/hostile-all.yaml": big}
    for k, w in enumerate(words):
        files[f"small/small-{k}.yaml"] = f"""title: {q(w)}
client: {q(w)}
client_id: c{k}
date: 2026-02-{1 + k % 28:02d}
industry: {q(w)}
involvement: low
core_messages: [{{id: q, text: Quality}}]
stages:
  - id: s
    name: Search
    touchpoints:
      - {{id: web, name: Website, channel: online, message: {{intended: I, score: 3}}, consistency: {{q: 3}}}}
"""
    return files


def build_corpus(folder: Path, words: list[str]) -> Path:
    for name, text in corpus(words).items():
        path = folder / "audits" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(folder)  # a folder holding only audits/: the built-in configuration
    try:
        err = io.StringIO()
        assert build_site(site_dir=folder / "site", err=err) == 0, err.getvalue()
    finally:
        os.chdir(cwd)
    return folder / "site"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    return build_corpus(tmp_path_factory.mktemp("hostile"), PAYLOADS)


@pytest.fixture(scope="module")
def benign(tmp_path_factory) -> Path:
    """The same audits with plain words: what the site's markup is when no text is hostile."""
    # Every third text on two lines: a line break the author typed is the site's own markup (<br>).
    return build_corpus(tmp_path_factory.mktemp("benign"),
                        [f"plain words {k}" + ("\nsecond line" if k % 3 == 0 else "") for k in range(N)])


def squash(text: str) -> str:
    """Text without whitespace: pages may wrap or join lines, never change a character."""
    return "".join(text.split())


@functools.lru_cache(maxsize=4)
def pages(site: Path) -> dict[str, Element]:
    return {p.relative_to(site).as_posix(): load(p) for p in site.rglob("*.html")}


def markup(site: Path) -> tuple[set[str], set[str], set[str]]:
    """Every element name, attribute name and inline script of the site's pages."""
    tags, attrs, scripts = set(), set(), set()
    for page in pages(site).values():
        for el in page.iter():
            tags.add(el.tag)
            attrs |= set(el.attrs)
            if el.tag == "script" and "src" not in el.attrs:
                scripts.add(re.sub(r'"base":\s*"[^"]*"', "", el.text))
    return tags, attrs, scripts


# -- the corpus itself --------------------------------------------------------------------

def test_the_corpus_is_valid_and_large():
    assert N >= 25
    for name, text in corpus(PAYLOADS).items():
        audit, problems = validate_text(text, name, Path(name).stem)
        assert audit is not None and not problems, [p.format() for p in problems]


# -- HTML ----------------------------------------------------------------------------------

@pytest.mark.slow
def test_no_markup_comes_from_audit_text(hostile, benign):
    tags, attrs, scripts = markup(hostile)
    plain_tags, plain_attrs, plain_scripts = markup(benign)
    assert tags - plain_tags == set()
    assert attrs - plain_attrs == set()
    assert scripts - plain_scripts == set()
    assert not [a for a in attrs if a.startswith("on")]
    assert not tags & {"iframe", "object", "embed", "img", "style", "base", "form", "details", "foreignobject",
                       "textarea", "title"} - plain_tags


@pytest.mark.slow
def test_every_script_is_materials_or_ours_and_every_link_is_allowed(hostile):
    for path, page in pages(hostile).items():
        for el in page.iter():
            if el.tag == "script" and "src" in el.attrs:  # the site's own assets (the theme's or ours)
                assert re.match(r"/?(\.\./)*assets/[^:]*$", el.attrs["src"]), (path, el)
            for key in ("href", "src", "xlink:href", "action", "formaction"):
                value = el.attrs.get(key, "").strip().lower()
                if el.tag == "base" and value == "about:blank":  # 404.html: nowhere, until its script sets the root
                    continue
                assert not value.startswith(("javascript:", "data:", "vbscript:", "//")), (path, el)
                scheme = re.match(r"([a-z][a-z0-9+.-]*):", value)
                assert scheme is None or scheme.group(1) in ("http", "https", "mailto"), (path, el)


def _text(el: Element) -> str:
    return squash(el.text.replace("¶", ""))


@pytest.mark.slow
def test_every_touchpoint_field_reads_literally(hostile):
    page = pages(hostile)["audits/hostile-all/index.html"]
    for k, w in enumerate(PAYLOADS):
        star = "★" if k % 5 == 0 else ""
        assert _text(page.find("h3", id=f"tp-t{k}")) == star + squash(w), k
        section = page.find("div", cls="ja-touchpoint", data_tp=f"t{k}")
        message = [squash(dd.text) for dd in section.find("dl", cls="ja-message").find_all("dd")]
        assert message == [squash(w)] * 3, k
        facts = {squash(d.find("dt").text): squash(d.find("dd").text) for d in section.find("dl", cls="ja-facts")
                 .find_all("div")}
        assert facts["Owner"] == facts["Stage"] == squash(w), k
        scores = section.find("dl", cls="ja-scores").find("dd")
        assert squash(scores.text) == squash(f"{k} {w}"), k  # the score and its scale label
        assert _text(section.find("div", cls="ja-notes")) == squash(w), k
        evidence = section.find("ul", cls="ja-evidence").find_all("a")
        assert [squash(a.text) for a in evidence] == [squash(w)] * 2, k
        assert [a.attrs["href"] for a in evidence] == [f"https://example.com/e?k={k}&x=%3Cb%3E", f"../../evidence/e{k}.jpg"]
        assert [squash(li.text) for li in section.find("ul", cls="ja-consistency").find_all("li")][k].startswith(
            squash(w) + ":"), k


@pytest.mark.slow
def test_every_audit_level_field_reads_literally(hostile):
    page = pages(hostile)["audits/hostile-all/index.html"]
    summary = squash(page.find("div", cls="ja-summary").text)
    auditors = squash(page.find("dl", cls="ja-meta").text)
    for w in PAYLOADS:
        assert squash(w) in summary and squash(w) in auditors
    stages = page.find("div", cls="ja-stages").find("tbody").find_all("tr")
    assert [squash(r.find("td").text) for r in stages] == [squash(w) for w in PAYLOADS]
    heat = page.find("div", cls="ja-heatmap").find("thead").find_all("th")[1:]
    assert [squash(th.text) for th in heat] == [squash(w) for w in PAYLOADS]
    recs = page.find("div", cls="ja-recommendations").find("tbody").find_all("tr")
    assert [[squash(td.text) for td in r.find_all("td")][1] for r in recs] == [squash(w) for w in PAYLOADS]
    assert [[squash(td.text) for td in r.find_all("td")][4] for r in recs] == [squash(w) for w in PAYLOADS]
    funnel = [t.text for t in page.find("figure", cls="ja-funnel-figure").find_all("title")]
    assert squash(PAYLOADS[0]) in squash(" ".join(funnel))


@pytest.mark.slow
def test_titles_clients_and_industries_read_literally(hostile):
    portfolio = load(hostile / "index.html").find("div", cls="ja-portfolio").find("tbody")
    for k, w in enumerate(PAYLOADS):
        page = load(hostile / "audits" / f"small-{k}" / "index.html")
        assert _text(page.find("h1")) == squash(w), k
        assert squash(page.find("title").text).startswith(squash(w)), k  # the browser tab
        meta = {squash(d.find("dt").text): squash(d.find("dd").text) for d in page.find("dl", cls="ja-meta")
                .find_all("div")}
        assert meta["Client"] == meta["Industry"] == squash(w), k
        row = [squash(td.text) for td in portfolio.find("tr", data_audit=f"small-{k}").find_all("td")]
        assert row[:2] == [squash(w), squash(w)], k
        client = load(hostile / "clients" / f"c{k}" / "index.html")
        assert _text(client.find("h1")) == squash(w), k
        nav = squash(client.find("nav", cls="md-nav--primary").text)  # the client's section title
        assert squash(w)[:200] in nav, k


@pytest.mark.slow
def test_the_search_index_holds_no_live_markup(hostile):
    index = json.loads((hostile / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for field in ("title", "text"):
            for el in parse(doc[field]).iter():
                assert el.tag in {"p", "code", "a", "strong", "em", "ul", "ol", "li", "dl", "dt", "dd", "table",
                                  "caption", "thead", "tbody", "tfoot", "tr", "th", "td", "div", "span", "pre"}, \
                    (doc["location"], el)
                assert not [a for a in el.attrs if a.startswith("on")]


@pytest.mark.slow
def test_downloads_keep_payloads_as_data(hostile):
    folder = hostile / "audits" / "hostile-all"
    data = json.loads((folder / "hostile-all-figures.json").read_text(encoding="utf-8"))
    assert [t["name"] for t in data["touchpoints"]] == PAYLOADS
    import csv

    rows = list(csv.DictReader(io.StringIO((folder / "hostile-all-touchpoints.csv").read_text(encoding="utf-8-sig"))))
    for row, w in zip(rows, PAYLOADS):
        shown = "'" + w if w.startswith(("=", "+", "-", "@")) else w  # a formula is shown, not run
        assert row["touchpoint"] == row["intended"] == row["notes"] == shown


# -- diagrams --------------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
XLINK = "{http://www.w3.org/1999/xlink}href"


@pytest.mark.slow
def test_diagram_downloads_are_well_formed_and_inert(hostile):
    svgs = sorted(hostile.rglob("*-journey.svg"))
    assert len(svgs) == N + 1
    for path in svgs:
        root = ET.parse(path).getroot()  # well-formed XML, or this raises
        for el in root.iter():
            name = el.tag.removeprefix(SVG)
            assert name not in ("script", "foreignObject", "iframe", "image", "style"), (path, name)
            assert not [a for a in el.attrib if a.startswith("on")], (path, el.attrib)
            link = el.attrib.get(XLINK) or el.attrib.get("href")
            if link is not None:
                assert link.startswith("#tp-"), (path, link)


@pytest.mark.slow
def test_diagram_labels_read_literally_up_to_their_caps(hostile):
    root = ET.parse(hostile / "audits" / "hostile-all" / "hostile-all-journey.svg").getroot()
    texts = [(t.text or "") for t in root.iter(f"{SVG}text")]
    assert max(len(t) for t in texts) <= diagram.MAX_NAME
    links = {a.attrib[XLINK]: a for a in root.iter(f"{SVG}a") if a.attrib.get(XLINK, "").startswith("#tp-")}
    for k, w in enumerate(PAYLOADS):
        node = links[f"#tp-t{k}"]
        shown = squash("".join(t.text or "" for t in node.iter(f"{SVG}text")))
        start = squash(w)[:20]  # wrapped over lines and cut with … when long, but the start is there as typed
        assert shown.removeprefix("★").startswith(start), (k, shown[:60])
        tip = node.find(f"{SVG}title").text
        assert len(tip) <= diagram.MAX_TOOLTIP and squash(tip).startswith(squash(w)[:20]), k
    legend = [t for t in texts if re.match(r"\d+ ", t)]
    assert len(legend) == diagram.MAX_SWATCHES  # a 40-point scale shows 11 swatches, labels capped
    assert all(len(t) <= diagram.MAX_SCALE_LABEL + 4 for t in legend)


def _dot_parts(source: str) -> tuple[list[str], list[str]]:
    """Attribute names outside strings and labels, and the HTML-like labels, of a DOT source."""
    names, labels, rest, i = [], [], [], 0
    while i < len(source):
        c = source[i]
        if c == '"':
            j = i + 1
            while source[j] != '"':
                j += 2 if source[j] == "\\" else 1
            rest.append(" S ")
            i = j + 1
        elif c == "<":
            depth, j = 0, i
            while True:
                depth += {"<": 1, ">": -1}.get(source[j], 0)
                j += 1
                if depth == 0:
                    break
            labels.append(source[i:j])
            rest.append(" L ")
            i = j
        else:
            rest.append(c)
            i += 1
    names = re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*=", "".join(rest))
    return names, labels


def test_dot_uses_only_allow_listed_attributes_and_label_tags():
    for name, text in corpus(PAYLOADS).items():
        audit, _ = validate_text(text, name, Path(name).stem)
        names, labels = _dot_parts(dot_source(audit))
        assert set(names) <= diagram.ATTRIBUTES, set(names) - diagram.ATTRIBUTES
        assert "label" in names and "tooltip" in names
        for label in labels:
            tags = re.findall(r"</?([A-Za-z]+)([^<>]*)>", label[1:-1])
            assert {t for t, _ in tags} <= diagram.HTML_LABEL_TAGS, label[:200]
            for _, attrs in tags:
                assert set(re.findall(r"([A-Z-]+)=", attrs)) <= diagram.HTML_LABEL_ATTRIBUTES, attrs


def test_an_attribute_outside_the_allow_list_is_refused():
    with pytest.raises(ValueError, match="not in diagram.ATTRIBUTES: image"):
        diagram._attrs(image="/etc/passwd")


@pytest.mark.slow
def test_a_journey_too_big_to_draw_gets_no_diagram_and_a_clear_message():
    n = diagram.MAX_TOUCHPOINTS + 1
    tps = "".join(f"\n      - {{id: t{k}, name: T{k}, channel: online, message: {{intended: I, score: 3}}, "
                  f"consistency: {{q: 3}}}}" for k in range(n))
    text = (f"title: Huge\nclient: Huge\ndate: 2026-01-01\ninvolvement: low\ncore_messages: [{{id: q, text: Q}}]\n"
            f"stages:\n  - id: s\n    name: S\n    touchpoints:{tps}\n")
    audit, problems = validate_text(text, "audits/huge.yaml", "huge")
    assert audit is not None, problems
    with pytest.raises(DiagramTooLarge, match=rf"audits/huge.yaml: {n} touchpoints; a journey diagram shows at most "
                                              rf"{diagram.MAX_TOUCHPOINTS}"):
        dot_source(audit)
    site = generate([audit], SiteOptions(diagrams=True))
    assert site.warnings == [f"no journey diagram: audits/huge.yaml: {n} touchpoints; a journey diagram shows at most "
                             f"{diagram.MAX_TOUCHPOINTS}. Split the journey into several audits, or leave the "
                             "diagrams out of the site with `diagrams: false` under `- journey-audit:` in mkdocs.yml's "
                             "plugins."]
    assert "audits/huge.md" in site.files and not [p for p in site.files if p.endswith((".svg", ".png"))]


# -- what validation refuses -------------------------------------------------------------------

@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b", "\u200d",
                                  "\u200e", "\u200f", "\u2060", "\ufeff", "\u061c"])
@pytest.mark.parametrize("field", ["title", "client", "stage name", "touchpoint name", "intended", "evidence title",
                                   "recommendation"])
def test_characters_that_disguise_text_are_rejected(char, field):
    spot = {"title": "T", "client": "C", "stage name": "S", "touchpoint name": "N", "intended": "I",
            "evidence title": "E", "recommendation": "R"}[field]
    text = f"""title: T
client: C
date: 2026-01-01
involvement: low
core_messages: [{{id: q, text: Q}}]
stages:
  - id: s
    name: S
    touchpoints:
      - id: t
        name: N
        channel: online
        message: {{intended: I, score: 3}}
        consistency: {{q: 3}}
        evidence: [{{title: E, url: "https://example.com/"}}]
        recommendations: [{{text: R, priority: high}}]
"""
    key = {"title": "title: ", "client": "client: ", "stage name": "    name: ", "touchpoint name": "        name: ",
           "intended": "intended: ", "evidence title": "{title: ", "recommendation": "{text: "}[field]
    hostile = text.replace(f"{key}{spot}", f'{key}"{spot}a{char}b"', 1)
    assert hostile != text
    audit, problems = validate_text(hostile, "audits/x.yaml", "x")
    assert audit is None
    assert any(all(c in p.message for c in CANNOT) and f"U+{ord(char):04X}" in p.message for p in problems), \
        [p.format() for p in problems]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", " javascript:alert(1)",
                                 "data:text/html,<script>", "vbscript:x", "file:///etc/passwd", "//evil.example/x",
                                 "/etc/passwd", "\\\\evil\\share", 'https://example.com/"onmouseover="x',
                                 "https://example.com/<script>", "mailto:nobody"])
def test_links_other_than_http_https_mailto_and_relative_are_rejected(url):
    text = f"""title: T
client: C
date: 2026-01-01
involvement: low
core_messages: [{{id: q, text: Q}}]
stages:
  - id: s
    name: S
    touchpoints:
      - id: t
        name: N
        channel: online
        message: {{intended: I, score: 3}}
        consistency: {{q: 3}}
        evidence: [{{title: E, url: {q(url)}}}]
"""
    audit, problems = validate_text(text, "audits/x.yaml", "x")
    assert audit is None and any(p.rule == "url" for p in problems), [p.format() for p in problems]
    link = href(url)  # the page would not link it either, or only escaped
    assert link is None or not set(link) & set("\"'<> ") and link.startswith(("https:", "mailto:"))


def test_no_markdown_extension_reads_files():
    """pymdownx.snippets reads any file under the working folder (inside code fences too); b64 inlines files."""
    readers = {"pymdownx.snippets", "pymdownx.b64", "markdown_include.include", "mdx_include", "mkdocs_include"}
    configs = {"mkdocs.yml": yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8")),
               "default-mkdocs.yml": yaml.safe_load(default_config_text())}
    for name, config in configs.items():
        used = {e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]}
        assert not used & readers, name
    from mkdocs.config import load_config

    with config_file(ROOT / "mkdocs.yml") as path:
        loaded = load_config(config_file=str(path))
    names = {e if isinstance(e, str) else next(iter(e)) for e in loaded.markdown_extensions}
    assert names <= {"toc", "tables", "fenced_code", "attr_list", "admonition"}, names


def test_dot_runs_with_file_loading_disabled(tmp_path, monkeypatch):
    """Even a DOT source that asks for a file (ours never do) gets nothing: Graphviz's SERVER_NAME safe mode."""
    import struct
    import zlib

    from journey_audit.diagram import render
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    picture = tmp_path / "secret.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
                        + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))
    monkeypatch.setenv("GV_FILE_PATH", str(tmp_path))  # removed from dot's environment too
    source = f'digraph {{ a [image="{picture}", label=""]; b [shapefile="{picture}"] }}'
    svg = render_many([source], "svg")[0].decode()
    assert "<image" not in svg and "secret" not in svg
    assert render._environment()["SERVER_NAME"] and "GV_FILE_PATH" not in render._environment()
