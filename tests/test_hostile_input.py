"""Hostile and broken input: every command answers with located errors (exit 0 or 1),
never a traceback, and never hangs (each run has a 10 s budget).

The corpus is made in ``tmp_path`` from the minimal audit: numbers too long for
Python's int parser, ``.nan``/``.inf`` gate limits, aliases repeating a long text,
a FIFO as an audit and as the ``previous`` round, links out of the audits folder
(to a secrets file that must never be quoted), dangling links and link loops.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = Path(__file__).parent / "fixtures" / "good"
CLI = [sys.executable, "-m", "journey_audit"]
SECRET = "canary-secret-7f3a"


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*CLI, *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=10,
                          stdin=subprocess.DEVNULL)


def minimal() -> str:
    return (GOOD / "minimal.yaml").read_text(encoding="utf-8")


def corpus(root: Path) -> dict[str, Path]:
    """name → an input (file or folder) under ``root``."""
    base = minimal()
    cases: dict[str, Path] = {}

    def audit(name: str, text: str) -> None:
        folder = root / name
        folder.mkdir()
        (folder / f"{name}.yaml").write_text(text, encoding="utf-8")
        cases[name] = folder

    audit("huge-int", base.replace("title:", "prospects_total: " + "9" * 5000 + "\ntitle:", 1))
    audit("huge-int-quoted-ok", base.replace("title:", "extra: " + "9" * 5000 + "\ntitle:", 1))
    long = "x" * 20_000
    audit("alias-bomb", base.replace("title:", f"notes_x: &a {long}\nmore: [" + ",".join(["*a"] * 90_000) + "]\ntitle:", 1))
    audit("alias-6mb", base.replace("title:", f"summary: &a {long}\nauditors: [" + ",".join(["*a"] * 300) + "]\ntitle:", 1))
    fifo = root / "fifo"
    fifo.mkdir()
    os.mkfifo(fifo / "fifo-2026.yaml")
    cases["fifo"] = fifo
    prev = root / "previous-fifo"
    prev.mkdir()
    (prev / "acme-2026.yaml").write_text(base.replace("title:", "previous: acme-2025\ntitle:", 1), encoding="utf-8")
    os.mkfifo(prev / "acme-2025.yaml")
    cases["previous-fifo"] = prev / "acme-2026.yaml"
    links = root / "links"
    (links / "acme").mkdir(parents=True)
    (root / "secrets.yaml").write_text(f"api_key: {SECRET}\npassword: {SECRET}\n", encoding="utf-8")
    (links / "acme" / "evil.yaml").symlink_to(root / "secrets.yaml")
    (links / "acme" / "dangling.yaml").symlink_to(root / "nowhere.yaml")
    (links / "acme" / "loop.yaml").symlink_to("loop.yaml")
    (links / "outside").symlink_to(root)
    cases["links"] = links
    cases["secrets-given"] = root / "secrets.yaml"
    return cases


@pytest.fixture
def bad(tmp_path: Path) -> dict[str, Path]:
    return corpus(tmp_path)


@pytest.mark.parametrize("command", [["validate"], ["fmt", "--check"], ["scores"], ["textconv"]])
def test_no_input_in_the_corpus_gives_a_traceback_or_hangs(bad, tmp_path, command):
    for name, path in bad.items():
        if command == ["textconv"] and path.is_dir():
            continue
        result = run(*command, path, cwd=tmp_path)
        assert result.returncode in (0, 1), (name, result.stderr)
        assert "Traceback" not in result.stdout + result.stderr, (name, result.stderr)
        if command != ["textconv"]:  # git's textconv shows a file it cannot read as it is, by design
            assert SECRET not in result.stdout + result.stderr, name


def test_each_kind_is_named_with_its_place(bad, tmp_path):
    out = {name: run("validate", path, cwd=tmp_path) for name, path in bad.items()}
    for result in out.values():
        result.stdout += result.stderr
    assert "prospects_total" not in out["huge-int"].stdout  # the number is the error, before any key check
    assert ":1:18: error: a number of 5000 digits" in out["huge-int"].stdout
    assert "expands to more than 8 MiB of text" in out["alias-bomb"].stdout
    assert "fifo-2026.yaml:1:1: error: not a regular file" in out["fifo"].stdout
    assert "acme-2025.yaml:1:1: error: not a regular file" in out["previous-fifo"].stdout \
        or "previous audit 'acme-2025' was not found" in out["previous-fifo"].stdout
    links = out["links"].stdout
    assert "evil.yaml:1:1: error: link leads out of the audits folder" in links
    assert "outside:1:1: error: link leads out of the audits folder" in links
    assert "dangling.yaml:1:1: error: link leads nowhere" in links
    assert "loop.yaml:1:1: error: link leads nowhere" in links
    assert out["links"].returncode == 1
    assert "not an audit: none of its top-level keys is an audit field" in out["secrets-given"].stdout
    assert "api_key" not in out["secrets-given"].stdout


def test_fmt_refuses_aliases_it_could_not_write_back_and_leaves_the_file(bad, tmp_path):
    path = bad["alias-6mb"] / "alias-6mb.yaml"
    before = path.read_bytes()
    result = run("fmt", path, cwd=tmp_path)
    assert result.returncode == 1 and "aliases repeat text past the size limit" in result.stdout + result.stderr
    assert path.read_bytes() == before


def test_gate_limits_must_be_finite_numbers(tmp_path):
    (tmp_path / "audits").mkdir()
    (tmp_path / "audits" / "acme-2026.yaml").write_text(minimal(), encoding="utf-8")
    (tmp_path / "gates.yaml").write_text(
        "gates:\n  - rule: overall\n    min: .nan\n  - rule: overall\n    min: -.inf\n"
        "  - rule: overall\n    min: .inf\n", encoding="utf-8")
    (tmp_path / "long.yaml").write_text("gates:\n  - rule: overall\n    min: " + "9" * 5000 + "\n", encoding="utf-8")
    result = run("check", "--config", "gates.yaml", "audits", cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "Traceback" not in out
    assert "gates.yaml:3:10: error: 'min' must be a number of 0 or more, not '.nan'" in out
    assert "gates.yaml:5:10: error: 'min' must be a number of 0 or more, not '-.inf'" in out
    assert "gates.yaml:7:10: error: 'min' must be a number of 0 or more, not '.inf'" in out
    result = run("check", "--config", "long.yaml", "audits", cwd=tmp_path)
    out = result.stdout + result.stderr
    assert result.returncode == 1 and "long.yaml:3:10: error: a number of 5000 digits" in out
