"""Terminal and CI output cannot be forged: a file name with a newline or `::` makes no
second GitHub annotation, and an ESC sequence from an audit never reaches the terminal.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from journey_audit.audit.problems import Problem
from journey_audit.figures.gates.model import Gate, GateResult

GOOD = Path(__file__).parent / "fixtures" / "good"
CLI = [sys.executable, "-m", "journey_audit"]


def test_github_properties_are_escaped_as_github_documents():
    p = Problem("a%b\r\nc::warning file=x.yaml,line=1", 3, 7, "error", "100% bad\nline\x1b[2J", "unknown-key")
    assert p.format("github") == ("::error file=a%25b%0D%0Ac%3A%3Awarning file=x.yaml%2Cline=1,line=3,col=7,"
                                  "title=unknown-key::100%25 bad%0Aline\\x1b[2J")
    result = GateResult(Gate("overall", "error", {"min": 3.5, "figure": "score"}), "fail", "low,\nlower",
                        "a:b,c\n.yaml")
    assert result.format("github") == "::error file=a%3Ab%2Cc%0A.yaml,title=gate overall::low,%0Alower"
    assert result.format() == "a:b,c\\n.yaml: error: low,\\nlower (gate overall)"


def test_text_output_escapes_control_characters_from_names_and_keys():
    p = Problem("a\nb.yaml", 2, 1, "error", "unknown key 'evil\x1b[31mkey\u202e' in the audit", "unknown-key")
    assert p.format() == "a\\nb.yaml:2:1: error: unknown key 'evil\\x1b[31mkey\\u202e' in the audit (unknown-key)"


def test_validate_and_scores_print_no_raw_escape(tmp_path):
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    folder = tmp_path / "x\x1b[2J"
    folder.mkdir()
    (folder / "acme-2026.yaml").write_text(text.replace("title: Minimal audit",
                                                        'title: "M\\e[31m"\n"k\\e]0;pwned\\a": 1'), encoding="utf-8")
    (tmp_path / "ok").mkdir()
    (tmp_path / "ok" / "acme-2025.yaml").write_text(text, encoding="utf-8")
    for command in (["validate"], ["validate", "--format", "github"], ["scores"], ["check", "--config", "none.yaml"]):
        out = subprocess.run([*CLI, *command, folder.name, "ok"], cwd=tmp_path, capture_output=True, timeout=30)
        both = out.stdout + out.stderr
        assert out.returncode == 1 and b"\x1b" not in both and b"\x07" not in both, (command, both)
        assert b"Traceback" not in both
    out = subprocess.run([*CLI, "validate", folder.name], cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert "x\\x1b[2J/acme-2026.yaml:2:1: error: unknown key 'k\\x1b]0;pwned\\x07' in the audit" in out.stderr
