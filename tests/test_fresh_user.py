"""What a fresh user ran into, each as a kind: errors that say what to do, a sample that passes.

- a score off the scale names the allowed range to write;
- a number of hundreds of digits is named by its length, never echoed whole;
- a file saved as GBK gets an ``iconv`` line with its own path, which works as printed;
- the shipped gates file passes on the shipped examples (``check`` on a fresh clone is
  green), while each of its gates still fails an audit that breaks it.
(fmt keeping a misspelt key in place: tests/test_fmt.py.)
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from journey_audit.audit.validate import validate_file, validate_text
from journey_audit.cli import main
from journey_audit.figures.gates import DEFAULT_CONFIG

from conftest import FIXTURES
from shipped import REPO

MINIMAL = (FIXTURES / "good" / "minimal.yaml").read_text(encoding="utf-8")


def messages(text: str) -> list[str]:
    _, problems = validate_text(text, "a.yaml", "a")
    return [p.format() for p in problems]


@pytest.mark.parametrize("old,new,expected", [
    ("score: 3", "score: 9", "message score 9 is off the scale 1..5: write a whole number from 1 to 5"),
    ("quality: 4", "quality: 0", "consistency score for 'quality' 0 is off the scale 1..5: write a whole number "
                                 "from 1 to 5 (or ~ where the core message does not apply)"),
    ("involvement: low", "involvement: low\nscale: {min: 0, max: 10}",
     None),  # on a 0..10 scale, 3 and 4 are fine
    ("score: 3", "score: 11\n          importance: 0", "write a whole number from 1 to 5"),
])
def test_a_score_off_the_scale_says_what_to_write(old: str, new: str, expected: str | None) -> None:
    found = messages(MINIMAL.replace(old, new))
    if expected is None:
        assert found == []
    else:
        assert any(expected in m for m in found), found


def test_the_range_to_write_follows_the_audits_own_scale() -> None:
    text = MINIMAL.replace("involvement: low", "involvement: low\nscale: {min: 0, max: 10}").replace("score: 3",
                                                                                                     "score: 12")
    assert messages(text) == ["a.yaml:18:18: error: message score 12 is off the scale 0..10: write a whole number "
                              "from 0 to 10 (score-range)"]


@pytest.mark.parametrize("old,new", [
    ("score: 3", "score: " + "9" * 900),  # off the scale
    ("score: 3", "score: " + "9" * 900 + ".5"),  # not a whole number
    ("involvement: low", "involvement: " + "5" * 900),  # not one of the choices
    ("involvement: low", "involvement: low\nscale: {min: 1, max: " + "7" * 900 + "}"),  # a scale too long
    ("date: 2026-01-15", "date: " + "2" * 900),  # not a date
])
def test_a_huge_number_is_named_by_its_length_not_echoed(old: str, new: str) -> None:
    found = messages(MINIMAL.replace(old, new))
    assert found, new[:40]
    for message in found:
        assert len(message) < 400, message
        assert not re.search(r"\d{41}", message), message
    assert any("(900 digits)" in m for m in found), found


def test_the_iconv_line_of_a_gbk_file_names_it_and_works_as_printed(tmp_path: Path) -> None:
    folder = tmp_path / "audits" / "展会 客户"  # a space and Chinese in the path: quoted for the shell
    folder.mkdir(parents=True)
    path = folder / "acme-2026q1.yaml"
    path.write_bytes(MINIMAL.replace("Minimal audit", "展会审计").encode("gbk"))
    display = str(path.relative_to(tmp_path))
    _, problems = validate_file(path, display)
    [message] = [p.message for p in problems]
    assert "it looks like GBK" in message
    command = message.split("e.g. ", 1)[1]
    assert command.startswith("iconv -f GBK -t UTF-8 ") and f"'{display}'" in command, command
    if shutil.which("iconv") is None:
        pytest.skip("no iconv here to run the printed line")
    subprocess.run(["sh", "-c", command], cwd=tmp_path, check=True, timeout=30)
    audit, problems = validate_file(path, display)
    assert problems == [] and audit.title == "展会审计"


# -- the sample gates file -------------------------------------------------------------------

def check(project: Path, *args: str) -> int:
    return main(["check", "--config", str(project / DEFAULT_CONFIG), str(project / "audits"), *args])


def test_the_shipped_gates_pass_on_the_shipped_examples(example_project: Path, capsys) -> None:
    assert check(example_project) == 0
    out = capsys.readouterr()
    assert ": error:" not in out.out + out.err
    # ... and they still find what the example audits are about, as warnings
    assert "warning: " in out.out and "(gate past-due)" in out.out and "(gate moment-of-truth)" in out.out


def test_the_readme_gates_pass_on_the_shipped_examples(example_project: Path, tmp_path: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    snippet = re.search(r"\*\*Score gates\.\*\*.*?```yaml\n(gates:.*?)```", readme, re.S).group(1)
    (tmp_path / DEFAULT_CONFIG).write_text(snippet, encoding="utf-8")
    assert main(["check", "--config", str(tmp_path / DEFAULT_CONFIG), str(example_project / "audits")]) == 0


@pytest.mark.parametrize("rule", ["past-due", "moment-of-truth"])
def test_each_sample_gate_made_an_error_fails_the_examples(example_project: Path, tmp_path: Path, rule: str,
                                                          capsys) -> None:
    """The gates still work: the sample's warnings are real failures, which `level: error` makes fatal."""
    sample = (example_project / DEFAULT_CONFIG).read_text(encoding="utf-8")
    block = re.search(rf"  - rule: {rule}\n(?:    .*\n)*", sample).group(0)
    strict = sample.replace(block, block.replace("level: warn", "level: error"))
    assert strict != sample
    shutil.copytree(example_project / "audits", tmp_path / "audits")
    (tmp_path / DEFAULT_CONFIG).write_text(strict, encoding="utf-8")
    assert check(tmp_path, "--today", "2027-01-01") == 1
    assert f"(gate {rule})" in capsys.readouterr().out


def test_past_due_as_an_error_fails_only_once_a_due_date_has_passed(example_project: Path, tmp_path: Path) -> None:
    shutil.copytree(example_project / "audits", tmp_path / "audits")
    (tmp_path / DEFAULT_CONFIG).write_text("gates:\n  - rule: past-due\n    priority: high\n    level: error\n",
                                           encoding="utf-8")
    assert check(tmp_path, "--today", "2026-01-01") == 0
    assert check(tmp_path, "--today", "2027-01-01") == 1
