"""Long work shows its progress: bars on a terminal, summary lines in a log, warnings grouped."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from journey_audit import progress
from journey_audit.audit.portfolio import load_portfolio

GOOD = Path(__file__).parent / "fixtures" / "good"
CLI = [sys.executable, "-m", "journey_audit"]
RULE = "moment-of-truth"


def write_audits(folder: Path, n: int) -> Path:
    """``n`` audits of as many clients, each with a moment of truth scored 1 and no recommendation (a warning)."""
    audits = folder / "audits"
    audits.mkdir(parents=True)
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    text = text.replace("        channel: online\n", "        channel: online\n        moment_of_truth: true\n")
    text = text.replace("          score: 3\n", "          score: 1\n")
    for i in range(n):
        (audits / f"acme-{i}.yaml").write_text(text.replace("client: Acme Tools", f"client: Acme Tools {i}"),
                                               encoding="utf-8")
    return audits


def lines_of(problems, limit=progress.SHOWN_PER_RULE) -> list[str]:
    return progress.grouped(((p.format(), p.level, p.rule) for p in problems), limit)


def test_repeated_warnings_show_the_first_few_and_a_count(tmp_path):
    portfolio = load_portfolio([write_audits(tmp_path, 5)])
    assert len(portfolio.warnings) == 5 and all(p.rule == RULE for p in portfolio.warnings)
    lines = lines_of(portfolio.problems)
    assert len(lines) == 4
    assert lines[0].endswith(f"({RULE})") and "acme-0.yaml:12:9: warning:" in lines[0]
    assert lines[-1] == f"… and 2 more warnings like these ({RULE}): 5 in all; --verbose lists them all"
    assert len(lines_of(portfolio.problems, None)) == 5  # --verbose


def test_errors_are_never_grouped(tmp_path):
    audits = write_audits(tmp_path, 5)
    for f in audits.iterdir():
        f.write_text(f.read_text(encoding="utf-8").replace("date: 2026-01-15", "date: 2026-13-15"), encoding="utf-8")
    portfolio = load_portfolio([audits])
    assert len(portfolio.errors) == 5
    assert sum(": error:" in line for line in lines_of(portfolio.problems)) == 5


def test_a_log_gets_one_summary_line_per_step(tmp_path):
    log = io.StringIO()
    with progress.reporting(progress.for_stream(log)):
        load_portfolio([write_audits(tmp_path, 4)])
    assert log.getvalue().startswith("audits validated: 4 in ") and log.getvalue().count("\n") == 1


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_terminal_gets_bars_with_counts_and_time_left(tmp_path, monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    screen = Terminal()
    with progress.reporting(progress.for_stream(screen)) as reporter:
        assert isinstance(reporter, progress.Bars)
        load_portfolio([write_audits(tmp_path, 4)])
    assert "audits validated" in screen.getvalue() and "4/4" in screen.getvalue()
    assert "left" in screen.getvalue()
    monkeypatch.setenv("CI", "true")  # a CI runner with a terminal still gets a log
    assert isinstance(progress.for_stream(Terminal()), progress.Summary)


@pytest.mark.slow
def test_build_in_ci_prints_summary_lines_and_grouped_warnings(tmp_path):
    write_audits(tmp_path, 5)
    env = {**os.environ, "CI": "true"}
    run = subprocess.run([*CLI, "build"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    err = run.stderr.splitlines()
    assert sum(f"({RULE})" in line for line in err) == 4  # three listed, one count
    assert f"… and 2 more warnings like these ({RULE}): 5 in all; --verbose lists them all" in err
    for step in ("audits validated: 5 in", "diagrams drawn: 10 in", "pages converted:", "pages written:"):
        assert any(line.startswith(step) for line in err), (step, err)
    assert err[-1].startswith("built ")
    verbose = subprocess.run([*CLI, "build", "--verbose"], cwd=tmp_path, env=env, capture_output=True, text=True,
                             timeout=600)
    assert sum(f"({RULE})" in line for line in verbose.stderr.splitlines()) == 5
