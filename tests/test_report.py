"""`journey-audit report`: an audit goes in, a PDF report or a 16:9 deck comes out.

The PDF is read back with pdftotext (poppler), the deck as its slides' XML; both must
show the title, the headline figures and every touchpoint, agreeing to the digit with
the JSON export, keep hostile text as text and never show internal notes.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest

from journey_audit.audit.validate import validate_file
from journey_audit.cli import main
from journey_audit.figures.scoring import compute
from journey_audit.labels import label
from journey_audit.site.exports import figures_data
from journey_audit.site.publish import public_view

FIXTURES = Path(__file__).parent / "fixtures"
CHINESE = FIXTURES / "good" / "rich.yaml"  # a draft, its previous round minimal.yaml beside it
ENGLISH = FIXTURES / "diagram" / "bike-repair.yaml"
HOSTILE = FIXTURES / "site" / "audits" / "hostile" / "hostile-2026q1.yaml"
INTERNAL = FIXTURES / "publish" / "audits" / "hotel-supplies" / "hotel-supplies-2026q3.yaml"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
# The small fixtures, and a Chinese and an English example audit as the commit ships them.
AUDITS = ["zh", "en", pytest.param("zh-example", marks=pytest.mark.slow),
          pytest.param("en-example", marks=pytest.mark.slow)]
EXAMPLES = {"zh-example": "hotel-supplies/hotel-supplies-2026q3.yaml",
            "en-example": "industrial-kam/industrial-kam-2026.yaml"}


def audit_path(which: str, request: pytest.FixtureRequest) -> Path:
    if which in EXAMPLES:
        return request.getfixturevalue("example_audits") / EXAMPLES[which]
    return {"zh": CHINESE, "en": ENGLISH}[which]


def squeeze(text: str) -> str:
    """Text without whitespace: a PDF breaks lines wherever the page is full."""
    return "".join(text.split())


def report(path: Path, fmt: str, out: Path, *extra: str) -> Path:
    target = out / f"{path.stem}.{fmt}"
    assert main(["report", str(path), "--format", fmt, "--out", str(target), "--no-cache", *extra]) == 0
    return target


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def slides(path: Path) -> list[list[str]]:
    """Each slide's text runs, in order."""
    with zipfile.ZipFile(path) as z:
        names = sorted((n for n in z.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")),
                       key=lambda n: int(n[len("ppt/slides/slide"):-4]))
        return [[t.text or "" for t in ElementTree.fromstring(z.read(n)).iter(A + "t")] for n in names]


def expected(path: Path) -> tuple[dict, str]:
    audit, _ = validate_file(path, str(path))
    audit = public_view(audit)
    return figures_data(audit, compute(audit)), audit.language or "en"


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")


@pytest.mark.slow
@needs_poppler
@pytest.mark.parametrize("which", AUDITS)
def test_the_pdf_shows_the_title_headline_figures_and_every_touchpoint(which: str, tmp_path: Path,
                                                                       request: pytest.FixtureRequest) -> None:
    path = audit_path(which, request)
    pdf = report(path, "pdf", tmp_path, "--drafts")
    data, lang = expected(path)
    text = squeeze(pdf_text(pdf))
    assert squeeze(data["title"]) in text
    for key, name in (("score", "overall"), ("message", "message"), ("consistency", "consistency")):
        assert squeeze(label(name, lang)) + f"{data[key]:.1f}" in text  # a badge: its name, then its figure
    for tp in data["touchpoints"]:
        assert squeeze(tp["name"]) in text
    assert f"{data['funnel']['overall_percent']:.1f}%" in text if data["funnel"]["overall_percent"] is not None else True
    assert squeeze(label("contents", lang)) in text
    tps = data["touchpoints"]
    for stage in data["stages"]:  # its row of the stage table: name, touchpoints, score, message, consistency
        count = sum(tp["stage"] == stage["id"] for tp in tps)
        assert squeeze(stage["name"]) + str(count) + "".join(f"{stage[k]:.1f}" for k in
                                                             ("score", "message", "consistency")) in text
    end = len(text)
    for tp in reversed(tps):  # the touchpoint sections end the report, in journey order: each shows its own
        start = text.rindex(squeeze(tp["name"]) + squeeze(label("stage", lang)), 0, end)  # heading, first fact
        section = text[start:end]
        for key in ("score", "gap", "consistency"):
            assert f"{tp[key]:.1f}" in section, (tp["name"], key)
        end = start
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in fonts.splitlines()[2:]]
    assert rows and all(r[-5] == "yes" for r in rows), fonts  # every font embedded
    if lang == "zh":
        assert any("CJK" in r[0] for r in rows), fonts


@pytest.mark.parametrize("which", AUDITS)
def test_the_deck_shows_the_title_headline_figures_and_every_touchpoint(which: str, tmp_path: Path,
                                                                        request: pytest.FixtureRequest) -> None:
    path = audit_path(which, request)
    deck = report(path, "pptx", tmp_path, "--drafts")
    data, lang = expected(path)
    shown = slides(deck)
    assert shown[0][0] == data["title"]
    headline = shown[1]
    for key, name in (("score", "overall"), ("message", "message"), ("consistency", "consistency")):
        i = headline.index(label(name, lang))
        assert headline[i + 1] == f"{data[key]:.1f}"
    funnel = data["funnel"]["overall_percent"]
    assert headline[headline.index(label("funnel_conversion", lang)) + 1] == (
        "–" if funnel is None else f"{funnel:.1f}%")
    texts = {t for slide in shown for t in slide}
    for tp in data["touchpoints"]:
        assert tp["name"] in texts or "★ " + tp["name"] in texts
    found = {tp["id"]: tp for tp in data["touchpoints"]}
    stages = {s["id"]: s["name"] for s in data["stages"]}
    priorities = [row for title, rows, _ in tables_of(deck) if title.startswith(label("priorities", lang))
                  for row in rows[1:]]
    assert priorities == [[str(rank), ("★ " if found[i]["moment_of_truth"] else "") + found[i]["name"],
                           stages[found[i]["stage"]], str(found[i]["importance"]), f"{found[i]['score']:.1f}",
                           f"{found[i]['gap']:.1f}"] for rank, i in enumerate(data["priorities"][:10], start=1)]
    with zipfile.ZipFile(deck) as z:
        assert z.read("ppt/presentation.xml").count(b'cx="12192000" cy="6858000"') == 1  # 16:9
        assert any(n.startswith("ppt/media/") for n in z.namelist())  # the diagram, as a picture


def long_audit(n: int) -> str:
    """An audit of ``n`` touchpoints, each with a recommendation long enough to wrap."""
    tps = "".join(f"""
      - id: tp{i}
        name: Touchpoint {i:02d} with a name long enough to wrap in its column
        channel: online
        message: {{intended: I, score: {i % 5 + 1}}}
        consistency: {{q: {(i + 1) % 5 + 1}, s: {(i + 2) % 5 + 1}}}
        recommendations:
          - text: Recommendation {i:02d} - {"rewrite the page so that every visitor finds the answer " * 3}
            priority: {("high", "medium", "low")[i % 3]}
            effort: low
""" for i in range(n))
    return f"""title: A long journey
client: Acme Tools
date: 2026-01-15
involvement: low
core_messages:
  - {{id: q, text: Tools that last a working life}}
  - {{id: s, text: Service within a day}}
stages:
  - id: all
    name: Everything
    touchpoints:{tps}"""


def tables_of(path: Path) -> list[tuple[str, list[list[str]], int]]:
    """(title, rows of cell texts, bottom of the table in EMU) of each slide with a table."""
    out = []
    with zipfile.ZipFile(path) as z:
        names = sorted((n for n in z.namelist() if n.startswith("ppt/slides/slide") and n.endswith(".xml")),
                       key=lambda n: int(n[len("ppt/slides/slide"):-4]))
        for n in names:
            root = ElementTree.fromstring(z.read(n))
            frame = next(root.iter("{http://schemas.openxmlformats.org/presentationml/2006/main}graphicFrame"), None)
            if frame is None:
                continue
            top = int(next(frame.iter(A + "off")).get("y"))
            rows = [[("".join(t.text or "" for t in tc.iter(A + "t"))) for tc in tr.iter(A + "tc")]
                    for tr in frame.iter(A + "tr")]
            bottom = top + sum(int(tr.get("h")) for tr in frame.iter(A + "tr"))
            out.append(("".join(t.text or "" for t in root.iter(A + "t")).split(rows[0][0])[0], rows, bottom))
    return out


def test_the_deck_continues_long_lists_on_further_slides_losing_nothing(tmp_path: Path) -> None:
    audit = tmp_path / "long-2026.yaml"
    audit.write_text(long_audit(40), encoding="utf-8")
    tables = tables_of(report(audit, "pptx", tmp_path))
    for title, rows, bottom in tables:
        assert bottom <= 6858000, title  # every table ends on its slide (rows measured, not counted)
    for heading, first_cell in (("Consistency heat map", "Touchpoint"), ("Recommendations", "Priority")):
        parts = [(title, rows) for title, rows, _ in tables if title.startswith(heading)]
        assert len(parts) >= 2, heading  # too long for one slide: continued
        assert parts[0][0] == heading and all(title == f"{heading} (continued)" for title, _ in parts[1:])
        assert all(rows[0][0] == first_cell for _, rows in parts)  # each slide repeats the head
        body = [row for _, rows in parts for row in rows[1:]]
        if heading == "Recommendations":  # most urgent first, journey order within: each one, once
            texts = [row[1].split(" - ")[0] for row in body]
            order = sorted(range(40), key=lambda i: (i % 3, i))
            assert texts == [f"Recommendation {i:02d}" for i in order]
            assert all(row[1].endswith("answer ") or row[1].endswith("answer") for row in body)  # never cut
        else:  # in journey order, each touchpoint once, its values beside it
            assert [row[0] for row in body] == [f"Touchpoint {i:02d} with a name long enough to wrap in its column"
                                                for i in range(40)]
            assert [row[1:] for row in body] == [[str((i + 1) % 5 + 1), str((i + 2) % 5 + 1)] for i in range(40)]


def test_the_heat_map_slide_is_a_native_table_in_the_score_colours(tmp_path: Path) -> None:
    from journey_audit import palette

    deck = report(ENGLISH, "pptx", tmp_path)
    audit, _ = validate_file(ENGLISH, str(ENGLISH))
    with zipfile.ZipFile(deck) as z:
        xml = b"".join(z.read(n) for n in z.namelist() if n.startswith("ppt/slides/slide"))
    assert b"<a:tbl>" in xml
    some = next(v for _, tp in audit.touchpoints() for v in tp.consistency.values() if v is not None)
    colour = palette.fill(some, audit.scale.min, audit.scale.max).lstrip("#").upper()
    assert f'<a:srgbClr val="{colour}"/>'.encode() in xml


@pytest.mark.slow
@needs_poppler
def test_hostile_text_stays_text_in_both(tmp_path: Path) -> None:
    audit, _ = validate_file(HOSTILE, str(HOSTILE))
    text = squeeze(pdf_text(report(HOSTILE, "pdf", tmp_path)))
    assert squeeze(audit.title) in text and squeeze(audit.client) in text
    shown = [t for slide in slides(report(HOSTILE, "pptx", tmp_path)) for t in slide]
    assert audit.title in shown
    assert any(t.lstrip("★ ") == audit.stages[0].touchpoints[0].name for t in shown)


@pytest.mark.slow
@needs_poppler
def test_internal_notes_and_drafts_stay_out_unless_asked(tmp_path: Path) -> None:
    text = pdf_text(report(INTERNAL, "pdf", tmp_path))
    assert "CANARY-INTERNAL" not in text and "CANARY-DRAFT" not in text
    with zipfile.ZipFile(report(INTERNAL, "pptx", tmp_path)) as z:
        assert not any(b"CANARY" in z.read(n) for n in z.namelist())
    assert "CANARY-INTERNAL" in pdf_text(report(INTERNAL, "pdf", tmp_path / "internal", "--include-internal"))


def test_a_folder_makes_one_file_per_published_audit(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    folder = INTERNAL.parent.parent
    assert main(["report", str(folder), "--format", "pptx", "--out", str(tmp_path), "--no-cache"]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canary-other-2026.pptx", "hotel-supplies-2026q3.pptx"]
    assert "hotel-supplies-2026q1, a draft" in capsys.readouterr().err


def test_changes_since_the_previous_round_when_it_is_beside_the_audit(tmp_path: Path) -> None:
    shown = slides(report(CHINESE, "pptx", tmp_path, "--drafts", "--lang", "zh"))
    assert any(s and s[0].startswith("自 ") for s in shown)  # 自 <date> 以来的变化
    shown = slides(report(ENGLISH, "pptx", tmp_path))
    assert not any(s and s[0].startswith("Changes since") for s in shown)


def test_one_file_for_many_audits_is_refused(tmp_path: Path) -> None:
    folder = INTERNAL.parent.parent
    assert main(["report", str(folder), "--format", "pdf", "--out", str(tmp_path / "all.pdf"), "--no-cache"]) == 2
    assert not (tmp_path / "all.pdf").exists()


@needs_poppler
def test_the_pdf_shows_segments_rollups_and_appeal_fit_as_the_page_does(tmp_path: Path) -> None:
    # format 1.1: the deliverable carries the segment figures the site shows, to the digit
    path = FIXTURES / "segments" / "tiers.yaml"
    data, lang = expected(path)
    text = squeeze(pdf_text(report(path, "pdf", tmp_path)))
    for key in ("segments", "rollups", "appeal_fit"):
        assert squeeze(label(key, lang)) in text
    for segment in data["segments"]:
        assert squeeze(segment["name"]) in text
        assert "".join(f"{segment[k]:.1f}" for k in ("score", "message", "consistency")) in text, segment["id"]
    assert f"{data['appeal_fit']['percent']:.1f}%" in text
    for channel in data["rollups"]["channel"]:
        assert f"{channel['total_gap']:.1f}" in text


def test_the_deck_has_a_segments_slide_agreeing_with_the_json_export(tmp_path: Path) -> None:
    path = FIXTURES / "segments" / "tiers.yaml"
    data, lang = expected(path)
    deck = slides(report(path, "pptx", tmp_path))
    [segment_slide] = [s for s in deck if s and s[0] == label("segments", lang)]
    for segment in data["segments"]:
        row = segment_slide.index(segment["name"])
        assert segment_slide[row + 1:row + 5] == [str(len(segment["touchpoints"]))] + [
            f"{segment[k]:.1f}" for k in ("score", "message", "consistency")], segment["id"]
    # and none for an audit without segments
    assert not [s for s in slides(report(ENGLISH, "pptx", tmp_path)) if s and s[0] == label("segments", "en")]
