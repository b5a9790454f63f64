"""`validate` reports every mistake of a file in one run.

A consultant fixes a file once, not six times: a duplicate key, a bad date or choice,
or a misspelt required key must not hide the other problems of the same file, and the
slips a Chinese keyboard makes (a full-width colon ``：`` after a key) or an
over-indented line are pointed at where they are, with the fix.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from journey_audit.audit.validate import validate_text

from conftest import FIXTURES

MISTAKES = FIXTURES / "mistakes"


def problems_of(text: str) -> list[str]:
    _, problems = validate_text(text, "a.yaml", "audit")
    return [p.format() for p in problems]


def test_six_mistakes_are_six_problems_in_one_run(tmp_path: Path) -> None:
    audits = tmp_path / "audits"
    audits.mkdir()
    (audits / "six-mistakes.yaml").write_bytes((MISTAKES / "six-mistakes.yaml").read_bytes())
    done = subprocess.run([sys.executable, "-m", "journey_audit", "validate"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    lines = [ln for ln in done.stderr.splitlines() if ": error: " in ln]
    assert [ln.split(": error: ")[0] for ln in lines] == [
        "audits/six-mistakes.yaml:4:7",    # date 2026-13-01
        "audits/six-mistakes.yaml:5:14",   # involvement hihg
        "audits/six-mistakes.yaml:9:9",    # core message id used twice
        "audits/six-mistakes.yaml:14:5",   # duplicate key name
        "audits/six-mistakes.yaml:21:18",  # score 9 off the scale
        "audits/six-mistakes.yaml:22:44",  # consistency key that is no core message
    ]
    assert [ln.rsplit("(", 1)[1] for ln in lines] == [
        "date)", "enum)", "unique-id)", "duplicate-key)", "score-range)", "consistency)"]


def test_a_duplicate_key_keeps_the_first_value_and_the_rest_is_checked(minimal_text: str) -> None:
    text = minimal_text.replace("title: ", "title: First\ntitle: ", 1).replace("score: 3", "score: 9", 1)
    found = problems_of(text)
    assert any("duplicate key 'title'" in p and "(duplicate-key)" in p for p in found)
    assert any("(score-range)" in p for p in found), found


def test_a_misspelt_required_key_does_not_hide_the_scores(minimal_text: str) -> None:
    text = minimal_text.replace("client:", "cleint:", 1).replace("score: 3", "score: 9", 1)
    found = problems_of(text)
    assert any("unknown key 'cleint'" in p and "did you mean 'client'" in p for p in found), found
    assert any("(score-range)" in p for p in found), found


def test_a_bad_required_choice_does_not_hide_the_cross_field_checks(minimal_text: str) -> None:
    text = minimal_text.replace("involvement: low", "involvement: hihg", 1).replace("score: 3", "score: 9", 1)
    found = problems_of(text)
    assert [p.rsplit("(", 1)[1] for p in found] == ["enum)", "score-range)"], found


def test_a_full_width_colon_is_pointed_at_with_the_fix() -> None:
    found = problems_of("title： 华锦酒店用品\nclient: 华锦\ndate: 2026-09-01\n")
    assert found == ["a.yaml:1:6: error: full-width colon '：' after key 'title': use an ASCII colon ':' "
                     "(yaml-syntax)"]


def test_every_full_width_colon_at_once_and_none_inside_text(minimal_text: str) -> None:
    text = minimal_text.replace("title:", "title：", 1).replace("client:", "client ：", 1)
    found = problems_of(text)
    assert len(found) == 2 and all("full-width colon" in p for p in found), found
    # A full-width colon inside a value is text, as it should be.
    assert problems_of(minimal_text.replace("title: ", "title: 审计：第一轮 ", 1)) == []


def test_an_over_indented_line_says_so(minimal_text: str) -> None:
    lines = minimal_text.splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.strip().startswith("name:") and ln.startswith("    "))
    lines[i] = " " + lines[i]
    found = problems_of("\n".join(lines) + "\n")
    assert len(found) == 1 and f"a.yaml:{i + 1}:" in found[0], found
    assert "indented more than the key above it" in found[0]


def test_a_full_width_space_after_a_colon_is_pointed_at() -> None:
    found = problems_of("title: T\nlanguage:\u3000en\nclient: C\n")
    assert found == ["a.yaml:2:10: error: full-width space after 'language:': use an ASCII space (yaml-syntax)"]


def test_a_tab_in_the_indentation_says_to_use_spaces(minimal_text: str) -> None:
    text = minimal_text.replace("  - id: quality", "\t- id: quality", 1)
    found = problems_of(text)
    assert len(found) == 1 and "indent with spaces, never tabs" in found[0], found


def test_clients_leaves_out_a_client_with_only_drafts(project, capsys) -> None:
    # The hosting recipes build one site per listed client; a draft-only client has none.
    from journey_audit.cli import main

    (project / "audits").mkdir()
    (project / "audits" / "acme-2026.yaml").write_text((FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8"),
                                                       encoding="utf-8")
    assert main(["new", "beta-2026q4", "--client", "Beta"]) == 0
    capsys.readouterr()
    assert main(["clients"]) == 0
    assert capsys.readouterr().out.split() == ["acme-tools"]
    assert main(["clients", "--drafts"]) == 0
    assert capsys.readouterr().out.split() == ["acme-tools", "beta"]
