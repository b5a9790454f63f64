"""One list of characters text may not hold: what validate accepts, a build can
publish (pages, SVG, Graphviz); verify-site reads past the same characters.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from journey_audit.audit.validate import validate_text
from journey_audit.site.build import build_site
from journey_audit.site.textsearch import Haystack, Needle

GOOD = Path(__file__).parent / "fixtures" / "good"


def minimal() -> str:
    return (GOOD / "minimal.yaml").read_text(encoding="utf-8")


def title_problems(escaped: str) -> list[str]:
    _, problems = validate_text(minimal().replace("title: Minimal audit", f'title: "Acme{escaped}audit"'), "a.yaml")
    return [p.format() for p in problems]


@pytest.mark.parametrize("escaped, code", [
    ("\\0", "0000"), ("\\e", "001B"), ("\\x7f", "007F"), ("\\x85", "0085"), ("\\r", "000D"),
    ("\\uFFFE", "FFFE"), ("\\uFFFF", "FFFF"), ("\\u202E", "202E"), ("\\u2066", "2066"), ("\\u200B", "200B"),
    ("\\u00AD", "00AD"), ("\\u2060", "2060"), ("\\u3164", "3164"), ("\\U000E0041", "E0041"), ("\\u180E", "180E"),
    ("\\u200D", "200D"), ("\\u200C", "200C"),  # joiners between Latin letters: nothing needs them there
])
def test_a_control_invisible_or_xml_forbidden_character_is_an_error_with_its_place(escaped, code):
    problems = title_problems(escaped)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"a.yaml:1:8: error: 'title' contains an invisible control character U+{code} ")
    assert problems[0].endswith("that can disguise text; delete it (invisible-character)")


@pytest.mark.parametrize("text", [
    "👩\\u200D💻 team",  # ZWJ inside an emoji sequence
    "👍🏽\\u200D❤\\uFE0F",  # after a skin tone, and a variation selector on a visible character
    "می\\u200Cخواهم",  # ZWNJ in Persian
    "क्\\u200Cष",  # ZWNJ in Devanagari
    "葛\\U000E0100城",  # an ideographic variation sequence
    "tab\\there",
])
def test_joiners_and_selectors_that_writing_needs_are_accepted(text):
    assert title_problems(" " + text + " ") == []


def test_links_follow_the_same_rule():
    text = minimal().replace("        channel: online\n",
                             "        channel: online\n        evidence: [{title: x, url: \"https://a.example/\\u202Ecod.exe\"}]\n")
    _, problems = validate_text(text, "a.yaml")
    assert [p.rule for p in problems] == ["invisible-character"]
    assert "U+202E" in problems[0].message


@pytest.mark.slow
def test_what_validate_accepts_builds(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "audits").mkdir()
    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - journey-audit\n", encoding="utf-8")
    text = minimal().replace("name: Website", 'name: "👩\\u200D💻 Web\\tsite ❤\\uFE0F می\\u200Cخواهم"')
    assert validate_text(text, "a.yaml")[1] == []
    (tmp_path / "audits" / "acme-2026.yaml").write_text(text, encoding="utf-8")
    err = io.StringIO()
    assert build_site(err=err) == 0, err.getvalue()
    assert "👩\u200d💻" in (tmp_path / "site" / "audits" / "acme-2026" / "index.html").read_text(encoding="utf-8")


def test_verify_site_reads_past_every_character_of_the_list():
    for hidden in ("\u200b", "\u2060", "\u00ad", "\u202e", "\u200d", "\x1b", "\ufe0f", "\U000e0041"):
        assert Haystack.of(f"<p>Canary{hidden}Corp</p>").has(Needle("CanaryCorp", "name")), repr(hidden)
