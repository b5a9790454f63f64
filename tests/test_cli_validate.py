"""The command line as a consultant uses it: validate, scores, schema, new.

Commands run through ``journey_audit.cli.main([...])`` in a scratch project folder;
one test runs the installed ``journey-audit`` console script for real.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from journey_audit.cli import main
from journey_audit.audit.schema import audit_schema
from journey_audit.figures.scoring import compute, fmt
from journey_audit.audit.validate import validate_file

from conftest import BAD, GOOD


def copy_good(project: Path) -> None:
    shutil.copytree(GOOD, project / "audits" / "acme-tools")


# -- validate --------------------------------------------------------------------

def test_validate_default_folder_clean(project, capsys):
    copy_good(project)
    assert main(["validate"]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == "ok: 2 valid audits; 0 errors, 0 warnings\n"


def test_validate_reports_every_file_sorted_and_fails(project, capsys):
    copy_good(project)
    for name in ("unknown-key.yaml", "bad-date.yaml", "funnel-grows.yaml"):
        shutil.copy(BAD / name, project / "audits" / name)
    assert main(["validate"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "audits/bad-date.yaml:4:7: error: 'date' '2026-13-01' is not a date: write YYYY-MM-DD, e.g. 2026-09-30 (date)",
        "audits/funnel-grows.yaml:27:16: warning: prospects grow from 100 ('search') to 250 ('buy'); a funnel only "
        "narrows (funnel)",
        "audits/unknown-key.yaml:17:9: error: unknown key 'chanel' in an item of 'touchpoints' (did you mean "
        "'channel'?) (unknown-key)",
        "failed: 3 valid audits; 2 errors, 1 warning",
    ]


def test_warnings_pass_unless_strict(project, capsys):
    target = project / "moment-of-truth-low.yaml"
    shutil.copy(BAD / "moment-of-truth-low.yaml", target)
    assert main(["validate", target.name]) == 0
    assert capsys.readouterr().err.endswith("ok: 1 valid audit; 0 errors, 1 warning\n")
    assert main(["validate", "--strict", target.name]) == 1
    assert capsys.readouterr().err.endswith("failed: 1 valid audit; 0 errors, 1 warning\n")


def test_github_annotations(project, capsys):
    shutil.copy(BAD / "score-off-scale.yaml", project / "score-off-scale.yaml")
    assert main(["validate", "--format", "github", "score-off-scale.yaml"]) == 1
    out, err = capsys.readouterr()
    assert out == ("::error file=score-off-scale.yaml,line=20,col=18,title=score-range::message score 7 is off "
                   "the scale 1..5: write a whole number from 1 to 5\n")
    assert err == ""


def test_files_and_folders_together(project, capsys):
    copy_good(project)
    shutil.copy(BAD / "norway.yaml", project / "norway.yaml")
    assert main(["validate", "audits", "norway.yaml", "audits/acme-tools/minimal.yaml"]) == 1
    err = capsys.readouterr().err
    assert err.count("norway.yaml:6:11: error:") == 1
    assert err.endswith("failed: 2 valid audits; 1 error, 0 warnings\n")  # minimal.yaml counted once


def test_no_audits_folder(project, capsys):
    assert main(["validate"]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "audits:1:1: error: no audits/ folder here; run in a project folder or name the files (no-audits)")


# -- scores ------------------------------------------------------------------------

def test_scores_prints_the_figures_of_scoring(project, capsys):
    copy_good(project)
    assert main(["scores"]) == 0
    out = capsys.readouterr().out.splitlines()
    rich, _ = validate_file(GOOD / "rich.yaml")
    figures = compute(rich)
    row = next(line for line in out if line.startswith("rich "))
    assert f"  {fmt(figures.score)}  " in row and "比较供应商" in row  # the leakiest stage, by name
    assert out[0].split() == ["audit", "client", "date", "tps", "overall", "message", "consist.", "funnel",
                              "leakiest", "stage"]


# -- schema ----------------------------------------------------------------------

def test_schema_to_stdout_and_to_a_file(project, capsys):
    assert main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == audit_schema()
    assert main(["schema", "-o", "out/audit.schema.json"]) == 0
    assert json.loads((project / "out/audit.schema.json").read_text(encoding="utf-8")) == audit_schema()


# -- new -----------------------------------------------------------------------

def test_new_writes_an_audit_that_validates_as_written(project, capsys):
    assert main(["schema", "-o", "schema/audit.schema.json"]) == 0
    assert main(["new", "acme-2026q4", "--client", 'ACME "Tools": Inc']) == 0
    path = project / "audits" / "acme-tools-inc" / "acme-2026q4.yaml"
    assert capsys.readouterr().out == (f"wrote audits/acme-tools-inc/acme-2026q4.yaml: fill it in, then run "
                                       "`journey-audit validate audits/acme-tools-inc/acme-2026q4.yaml`\n")
    audit, problems = validate_file(path)
    assert problems == [] and audit.client == 'ACME "Tools": Inc' and audit.status == "draft"
    assert main(["validate"]) == 0
    # The editor modeline points at the schema, relative to the audit.
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schema/audit.schema.json"
    assert (path.parent / first.split("=", 1)[1]).resolve() == (project / "schema/audit.schema.json").resolve()


def test_new_refuses_to_overwrite(project, capsys):
    assert main(["new", "acme-2026q4", "--client", "ACME Tools"]) == 0
    path = project / "audits/acme-tools/acme-2026q4.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "# my edits\n", encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "acme-2026q4", "--client", "ACME Tools"]) == 1
    assert capsys.readouterr().err == ("error: audits/acme-tools/acme-2026q4.yaml already exists; choose another "
                                       "id or edit that file\n")
    assert path.read_text(encoding="utf-8").endswith("# my edits\n")


def test_new_for_a_chinese_client(project, capsys):
    assert main(["new", "huajin-2026q4", "--client", "华锦酒店用品", "--title", "华锦接触点审计"]) == 0
    audit, problems = validate_file(project / "audits/huajin/huajin-2026q4.yaml")
    assert problems == [] and (audit.client, audit.title, audit.client_id) == ("华锦酒店用品", "华锦接触点审计", "huajin")


def test_new_refuses_a_bad_id(project, capsys):
    assert main(["new", "Acme_2026", "--client", "ACME"]) == 2
    assert "'Acme_2026' is not a valid audit id" in capsys.readouterr().err
    assert not (project / "audits").exists()


# -- the real console script ---------------------------------------------------

def test_console_script(tmp_path):
    script = shutil.which("journey-audit", path=str(Path(sys.executable).parent)) or shutil.which("journey-audit")
    if script is None:
        pytest.skip("journey-audit is not installed in this environment (pip install -e .)")
    shutil.copytree(GOOD, tmp_path / "audits" / "acme-tools")
    for name in ("python-tag.yaml", "alias-bomb.yaml", "gbk.yaml", "tab-indent.yaml"):
        shutil.copy(BAD / name, tmp_path / "audits" / name)
    run = subprocess.run([script, "validate"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    lines = run.stderr.splitlines()
    assert [line.split(": ")[0] for line in lines[:-1]] == [
        "audits/alias-bomb.yaml:7:5", "audits/gbk.yaml:1:3", "audits/python-tag.yaml:2:8",
        "audits/tab-indent.yaml:8:1"]
    assert lines[-1] == "failed: 2 valid audits; 4 errors, 0 warnings"
    assert "Traceback" not in run.stderr
