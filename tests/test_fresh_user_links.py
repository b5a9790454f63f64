"""What a fresh user found: links inside audits/ were skipped without a word.

The README: links that lead out of the audits folder, dangle or loop are errors, never
followed or skipped silently. A link to another audit file, and a folder link back to
its own folder, each get one located line saying what to do; the real audit is read
once, under its own id.
"""

from __future__ import annotations

from pathlib import Path

from journey_audit.cli import main


def project(tmp_path: Path) -> Path:
    assert main(["new", "real-2026", "--client", "X"]) == 0
    return tmp_path / "audits" / "x"


def test_a_link_to_another_audit_and_a_looping_folder_link_are_each_reported(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = project(tmp_path)
    (folder / "alias.yaml").symlink_to("real-2026.yaml")
    (folder / "loop").symlink_to("../x", target_is_directory=True)
    capsys.readouterr()
    assert main(["validate"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert ("audits/x/alias.yaml:1:1: error: link to the audit file audits/x/real-2026.yaml, which is read where it "
            "is (one file, one audit id); not read twice: remove the link, or copy the file if it is really another "
            "audit (io)") in err
    assert "audits/x/loop:1:1: error: link loops back to its own folder audits/x; not followed: remove the link (io)" \
        in err
    assert err[-1] == "failed: 1 valid audit; 2 errors, 0 warnings"


def test_a_link_to_another_folder_of_audits_is_reported(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    project(tmp_path)
    (tmp_path / "audits" / "again").symlink_to("x", target_is_directory=True)
    capsys.readouterr()
    assert main(["validate"]) == 1
    err = capsys.readouterr().err
    assert "audits/again:1:1: error: link to the folder audits/x, whose audits are read where they are" in err


def test_an_audit_without_links_is_still_read_without_a_word(tmp_path: Path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    project(tmp_path)
    assert main(["validate"]) == 0
