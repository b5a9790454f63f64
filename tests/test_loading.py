"""Loading YAML: values by the YAML 1.2 core schema, each with the line and column
where it was written, and our own error for everything we refuse."""

from __future__ import annotations

import math

import pytest

from journey_audit.errors import AuditError
from journey_audit.audit.yamlsource import decode, parse_text, read_file

from conftest import GOOD


def refused(text: str) -> str:
    with pytest.raises(AuditError) as caught:
        parse_text(text, "a.yaml")
    [problem] = caught.value.problems
    return problem.format()


def test_values_remember_where_they_were_written():
    root = parse_text("title: 展会审计\nstages:\n  - id: search\n    name: 寻找信息\n", "a.yaml")
    stage = root["stages"].value[0]
    assert (root["title"].line, root["title"].col) == (1, 8)
    assert (stage.line, stage.col) == (3, 5)  # a mapping starts at its first key
    assert (stage["name"].value, stage["name"].line, stage["name"].col) == ("寻找信息", 4, 11)
    key, _ = root.value["stages"]
    assert (key.line, key.col) == (2, 1)


def test_columns_count_characters_not_bytes():
    # Each Chinese character is one column, as in an editor (and three bytes in UTF-8).
    root = parse_text("k: {名称: 展会, score: 3}\n", "a.yaml")
    assert root["k"]["score"].col == 20


def test_windows_line_endings_keep_lines_right():
    root = parse_text("title: a\r\nclient: 华锦\r\ndate: 2026-01-15\r\n", "a.yaml")
    assert (root["date"].value, root["date"].line, root["date"].col) == ("2026-01-15", 3, 7)


@pytest.mark.parametrize("written, value", [
    # YAML 1.1 surprises that YAML 1.2 (and we) read as text
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("y", "y"), ("NO", "NO"),
    ("1:30", "1:30"), ("2026-09-30", "2026-09-30"), ("2026-09-30 10:00:00", "2026-09-30 10:00:00"),
    ("0b101", "0b101"), ("1_000", "1_000"), ("012e", "012e"),
    # the YAML 1.2 core schema
    ("true", True), ("False", False), ("~", None), ("null", None), ("", None),
    ("3", 3), ("-2", -2), ("+4", 4), ("007", 7), ("0o17", 15), ("0x1F", 31),
    ("2.5", 2.5), ("1e3", 1000.0), (".5", 0.5), ("-.inf", -math.inf),
])
def test_plain_scalars_follow_yaml_1_2(written, value):
    node = parse_text(f"v: {written}\n", "a.yaml")["v"]
    assert node.value == value and type(node.value) is type(value)
    assert not node.quoted


def test_nan_is_a_float():
    assert math.isnan(parse_text("v: .nan\n")["v"].value)


@pytest.mark.parametrize("written", ['"3"', "'true'", '"~"', "! 3", "|\n  3\n"])
def test_quoted_or_block_values_are_text(written):
    node = parse_text(f"v: {written}", "a.yaml")["v"]
    assert node.value.strip() in ("3", "true", "~")
    assert isinstance(node.value, str)


def test_block_scalars_keep_chinese_text_and_line_breaks():
    root = parse_text("summary: |\n  第一段。\n  second line\nnote: >\n  folded\n  text\n", "a.yaml")
    assert root["summary"].value == "第一段。\nsecond line\n"
    assert root["note"].value == "folded text\n"


def test_small_aliases_are_expanded():
    root = parse_text("a: &x {q: 3}\nb: *x\n", "a.yaml")
    assert root.plain() == {"a": {"q": 3}, "b": {"q": 3}}


def test_plain_gives_python_data():
    root = parse_text("a: [1, two, ~]\nb: {c: true}\n", "a.yaml")
    assert root.plain() == {"a": [1, "two", None], "b": {"c": True}}


def test_explicit_document_markers_are_fine():
    assert parse_text("---\ntitle: x\n...\n", "a.yaml").plain() == {"title": "x"}


@pytest.mark.parametrize("text, expected", [
    ("a: 1\nb: 2\na: 3\n", "a.yaml:3:1: error: duplicate key 'a' (first at line 1); the later value would silently "
                           "replace the earlier one: keep one (duplicate-key)"),
    ("k: {a: 1, a: 2}\n", "a.yaml:1:11: error: duplicate key 'a' (first at line 1); the later value would silently "
                          "replace the earlier one: keep one (duplicate-key)"),
    ("? [a]\n: b\n", "a.yaml:1:3: error: a key must be plain text, not a list or mapping (key)"),
    ("a: !!int 3\n", "a.yaml:1:4: error: explicit tag !!int is not allowed; remove it (quote the value to make it "
                     "text) (tag)"),
    ("a: !!set {x}\n", "a.yaml:1:4: error: explicit tag !!set is not allowed; remove it (tag)"),
    ("a: !custom 3\n", "a.yaml:1:4: error: explicit tag !custom is not allowed; remove it (quote the value to make "
                       "it text) (tag)"),
    ("a: &x [*x]\n", "a.yaml:1:8: error: alias *x has no complete anchor &x before it (alias)"),
    ("a: b\x07\n", "a.yaml:1:5: error: control character U+0007 is not allowed in YAML; delete it (yaml-syntax)"),
    ("a: b\n\ud800\n", "a.yaml:2:1: error: character U+D800 is not valid Unicode text; delete it (encoding)"),
    ("\n\n   \n", "a.yaml:1:1: error: file is empty; an audit needs at least title, client, date, involvement, "
                 "core_messages and stages (try: journey-audit new) (empty-file)"),
    ("~\n", "a.yaml:1:1: error: file is empty (empty-file)"),
])
def test_refused(text, expected):
    assert refused(text) == expected


def test_syntax_error_points_where_the_parser_gave_up():
    # The wording is libyaml's (and differs in the pure-Python parser); the place is ours to check.
    with pytest.raises(AuditError) as caught:
        parse_text("title: x\nstages: [1, 2\n", "a.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col, problem.rule) == (3, 1, "yaml-syntax")
    assert problem.message.startswith("YAML syntax: ") and "flow sequence" in problem.message


@pytest.mark.parametrize("data, col, name", [
    ("title: 酒店用品接触点审计\n".encode("gbk"), 8, "GBK (GB18030)"),
    ("title: café crème\n".encode("cp1252"), 11, "Windows-1252 (Latin)"),
])
def test_not_utf8_names_a_likely_encoding(data, col, name):
    with pytest.raises(AuditError) as caught:
        decode(data, "a.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col, problem.rule) == (1, col, "encoding")
    assert problem.message.startswith("file is not UTF-8") and f"it looks like {name}" in problem.message


def test_read_file_of_a_good_audit():
    text, root = read_file(GOOD / "rich.yaml")
    assert root["client"].value == "艾克美工具有限公司"
    assert text.startswith("# yaml-language-server")


def test_read_missing_file(tmp_path):
    with pytest.raises(AuditError) as caught:
        read_file(tmp_path / "gone.yaml", "gone.yaml")
    assert [p.format() for p in caught.value.problems] == [
        "gone.yaml:1:1: error: cannot read file: No such file or directory (io)"]
