"""Audits in git: ``REV:PATH`` sides, ``diff --git``, and ``git-setup`` making ``git diff``
readable — all against a real repository made in a temporary folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from journey_audit.cli import main
from journey_audit.review.gitsource import changed_audits, git_setup, read_source, textconv_command
from journey_audit.errors import GitError

from conftest import FIXTURES

DIFF = FIXTURES / "diff"
AUDIT = "audits/acme/acme-2026q2.yaml"

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def run(repo: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "T",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True).stdout.decode()


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with two commits of one audit (base, then scores changed), as the working folder."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", os.devnull)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    run(tmp_path, "init", "-q", "-b", "main")
    audit = tmp_path / AUDIT
    audit.parent.mkdir(parents=True)
    shutil.copy(DIFF / "base.yaml", audit)
    (tmp_path / "README.md").write_text("notes\n")
    run(tmp_path, "add", ".")
    run(tmp_path, "commit", "-q", "-m", "round one")
    shutil.copy(DIFF / "scores.yaml", audit)
    (tmp_path / "README.md").write_text("more notes\n")
    run(tmp_path, "commit", "-q", "-am", "scores")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_rev_path_reads_the_file_as_committed(repo):
    src = read_source(f"HEAD~1:{AUDIT}")
    assert src.data == (DIFF / "base.yaml").read_bytes()
    assert src.label == f"HEAD~1:{AUDIT}" and src.side()[2] == "acme-2026q2"
    assert read_source(AUDIT).data == (DIFF / "scores.yaml").read_bytes()  # a plain path is the file on disk


def test_diff_between_two_revisions_of_one_file(repo, capsys):
    assert main(["diff", f"HEAD~1:{AUDIT}", f"HEAD:{AUDIT}", "--format", "json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    (f,) = doc["files"]
    assert (f["old_label"], f["new_label"]) == (f"HEAD~1:{AUDIT}", f"HEAD:{AUDIT}")
    fair = next(t for t in f["diff"]["touchpoints"] if t["id"] == "trade-fair")
    assert [(s["name"], s["old"], s["new"]) for s in fair["scores"]][0] == ("message", 2, 4)


def test_diff_git_lists_only_changed_audits(repo, capsys):
    assert main(["diff", "--git", "HEAD~1", "HEAD"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"HEAD~1:{AUDIT} → HEAD:{AUDIT}\n")
    assert "README" not in out
    assert "  ~ trade-fair Trade fair (compare, moment of truth)\n      message              2 → 4       +2" in out


def test_diff_git_against_the_working_tree_follows_adds_removes_and_renames(repo, capsys):
    run(repo, "mv", AUDIT, "audits/acme/acme-2026q2-final.yaml")
    moved = repo / "audits/acme/acme-2026q2-final.yaml"
    moved.write_text(moved.read_text(encoding="utf-8").replace("status: draft", "status: final"), encoding="utf-8")
    shutil.copy(DIFF / "metadata.yaml", repo / "audits/acme/acme-2026q3.yaml")  # new, not yet tracked
    changes = changed_audits("HEAD")
    assert [(c.status, c.old and c.old.path, c.new and c.new.path) for c in changes] == [
        ("renamed", AUDIT, "audits/acme/acme-2026q2-final.yaml"),
        ("added", None, "audits/acme/acme-2026q3.yaml")]
    assert main(["diff", "--git", "HEAD", "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "- status: draft → final" in out
    assert "Added: `audits/acme/acme-2026q3.yaml`" in out
    run(repo, "add", "-A")
    run(repo, "commit", "-q", "-m", "rename")
    (repo / "audits/acme/acme-2026q2-final.yaml").unlink()
    assert [(c.status, c.old.label) for c in changed_audits("HEAD")] == [
        ("removed", "HEAD:audits/acme/acme-2026q2-final.yaml")]


def test_git_errors_are_plain_messages(repo, tmp_path_factory, capsys, monkeypatch):
    assert main(["diff", "--git", "no-such-rev"]) == 1
    assert capsys.readouterr().err == "error: unknown revision 'no-such-rev'\n"
    assert main(["diff", "HEAD:audits/missing.yaml", AUDIT]) == 1
    err = capsys.readouterr().err
    # One line naming what was asked for, then git's own reason (in git's words).
    assert err.startswith("error: HEAD:audits/missing.yaml: ") and err.count("\n") == 1, err
    assert err.removeprefix("error: HEAD:audits/missing.yaml: ").strip() and "Traceback" not in err
    with pytest.raises(GitError, match="starts with '-'"):
        read_source("--output=x:y")
    monkeypatch.chdir(tmp_path_factory.mktemp("not-a-repo"))
    assert main(["diff", "--git", "HEAD"]) == 1
    err = capsys.readouterr().err
    # git's reason (no repository here), not ours for a repository that lacks the revision.
    assert err.startswith("error: ") and err.count("\n") == 1 and "unknown revision" not in err, err


def test_git_setup_is_idempotent_and_says_what_it_did(repo, capsys):
    assert main(["git-setup"]) == 0
    first = capsys.readouterr().out.splitlines()
    assert first[0] == "added to .gitattributes: audits/**/*.yaml diff=journey-audit (commit it to share it " \
                       "with the team)"
    assert first[1].startswith("set: git config diff.journey-audit.textconv ")
    assert run(repo, "config", "diff.journey-audit.textconv").strip() == textconv_command()
    assert main(["git-setup"]) == 0
    second = capsys.readouterr().out.splitlines()
    assert second[0].startswith("already in .gitattributes") and all(s.startswith("already") for s in second)
    assert (repo / ".gitattributes").read_text().count("diff=journey-audit") == 1


def test_after_setup_git_diff_shows_the_audit_in_its_own_terms(repo):
    git_setup()
    out = run(repo, "diff", "HEAD~1", "HEAD", "--", AUDIT)
    assert "-scores: message 2; consistency 2.5 (quality 3, service 2); score 2.3; gap 13.8" in out
    assert "+scores: message 4; consistency 3.0 (quality 4, service 2); score 3.5; gap 7.5" in out
    # Hunk headers name the touchpoint (or stage) where the hunk starts, not a bare line number.
    assert "@@ ### touchpoint magazine-ad: 行业杂志广告 (stage search)" in out
    log = run(repo, "log", "-p", "-1", "--format=%s", "--", AUDIT)
    assert "+scores: message 4;" in log
