"""Audits as git sees them: ``REV:PATH`` sides, the audits changed between revisions,
and the one-time setup that makes ``git diff`` show audits readably.

Everything goes through the ``git`` command, so revisions mean exactly what they
mean to git (``HEAD~1``, ``main``, a tag, ``:PATH`` for the staged version). A path
after the colon is relative to the top of the repository, or to the current folder
when it starts with ``./``, as in ``git show``.

>>> split_rev_path("HEAD~1:audits/acme.yaml")
('HEAD~1', 'audits/acme.yaml')
>>> split_rev_path("audits/acme.yaml") is None
True
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ..errors import GitError

DRIVER = "journey-audit"
AUDIT_SUFFIXES = (".yaml", ".yml")
# Hunk headers of `git diff` name the stage or touchpoint (lines of textconv starting with '#').
XFUNCNAME = "^#+ .*$"


@dataclass(frozen=True)
class Source:
    """One side of a comparison: a file's bytes and how to name it."""

    label: str  # "HEAD~1:audits/a.yaml", or the file path
    data: bytes
    path: str  # the file's path: its name gives the audit's slug

    def side(self) -> tuple[str, bytes, str]:
        """``(label, content, slug)`` as :func:`journey_audit.review.diff.diff_files` takes it."""
        return self.label, self.data, Path(self.path).stem


@dataclass(frozen=True)
class ChangedFile:
    status: str  # modified | renamed | added | removed
    old: Source | None
    new: Source | None


def split_rev_path(arg: str) -> tuple[str, str] | None:
    """``(rev, path)`` when ``arg`` names a file in a revision rather than on disk."""
    if os.path.exists(arg) or ":" not in arg:
        return None
    rev, path = arg.split(":", 1)
    return (rev, path) if path else None


def git(args: Sequence[str], cwd: str | os.PathLike | None = None) -> bytes:
    """Run git; its standard output, or a GitError with git's own explanation."""
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed (or not on PATH)") from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        message = next((ln for ln in lines if ln.startswith("fatal:")), lines[0] if lines else "failed")
        raise GitError(re.sub(r"^(fatal|error): ", "", message))
    return done.stdout


def _check_rev(rev: str) -> None:
    if rev.startswith("-"):
        raise GitError(f"'{rev}' is not a revision (it starts with '-')")


def show(rev: str, path: str, cwd: str | os.PathLike | None = None) -> bytes:
    """The bytes of ``path`` in revision ``rev`` (``git show REV:PATH``, never textconv'd)."""
    _check_rev(rev)
    try:
        return git(["show", "--no-textconv", f"{rev}:{path}"], cwd)
    except GitError as exc:
        raise GitError(f"{rev}:{path}: {exc}") from None


def read_source(arg: str, cwd: str | os.PathLike | None = None) -> Source:
    """A side named on the command line: a file, or ``REV:PATH``."""
    rev_path = split_rev_path(arg)
    if rev_path is not None:
        rev, path = rev_path
        return Source(arg, show(rev, path, cwd), path)
    try:
        return Source(arg, Path(cwd or ".", arg).read_bytes(), arg)
    except OSError as exc:
        raise GitError(f"{arg}: {exc.strerror or exc}") from None


def toplevel(cwd: str | os.PathLike | None = None) -> Path:
    """The top folder of the repository around ``cwd``."""
    return Path(git(["rev-parse", "--show-toplevel"], cwd).decode("utf-8").strip())


def _verify(rev: str, cwd: str | os.PathLike | None) -> None:
    _check_rev(rev)
    try:
        git(["rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"], cwd)
    except GitError:
        raise GitError(f"unknown revision '{rev}'") from None


def changed_audits(rev1: str, rev2: str | None = None, paths: Sequence[str] = ("audits",),
                   cwd: str | os.PathLike | None = None) -> list[ChangedFile]:
    """Every audit file (``*.yaml``, ``*.yml`` under ``paths``) that differs between
    ``rev1`` and ``rev2``; without ``rev2``, between ``rev1`` and the working tree,
    including new files git does not track yet. Renames are followed."""
    root = toplevel(cwd)  # first: outside a repository, say so rather than "unknown revision"
    _verify(rev1, cwd)
    if rev2 is not None:
        _verify(rev2, cwd)
    here = Path(cwd or ".").resolve()
    out = git(["diff", "--name-status", "-z", "-M", "--no-color", "--no-ext-diff", rev1,
               *([rev2] if rev2 else []), "--", *paths], cwd)
    fields = out.decode("utf-8", "surrogateescape").split("\0")
    changes: list[ChangedFile] = []

    def old_side(path: str) -> Source:
        return Source(f"{rev1}:{path}", show(rev1, path, root), path)

    def new_side(path: str) -> Source:
        if rev2 is not None:
            return Source(f"{rev2}:{path}", show(rev2, path, root), path)
        shown = os.path.relpath(root / path, here)
        return Source(shown, (root / path).read_bytes(), path)

    i = 0
    while i < len(fields) - 1:
        code = fields[i]
        if code[:1] in ("R", "C"):
            a, b = fields[i + 1], fields[i + 2]
            i += 3
            if _is_audit(a) or _is_audit(b):
                renamed = code[0] == "R"
                changes.append(ChangedFile("renamed" if renamed else "added", old_side(a) if renamed else None,
                                           new_side(b)))
            continue
        path = fields[i + 1]
        i += 2
        if not _is_audit(path):
            continue
        if code == "A":
            changes.append(ChangedFile("added", None, new_side(path)))
        elif code == "D":
            changes.append(ChangedFile("removed", old_side(path), None))
        else:  # M, T: changed in place
            changes.append(ChangedFile("modified", old_side(path), new_side(path)))
    if rev2 is None:
        untracked = git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name", "--", *paths], cwd)
        for path in untracked.decode("utf-8", "surrogateescape").split("\0"):
            if path and _is_audit(path):
                changes.append(ChangedFile("added", None, new_side(path)))
    return sorted(changes, key=lambda c: (c.new or c.old).path)


def _is_audit(path: str) -> bool:
    return path.endswith(AUDIT_SUFFIXES)


# -- git setup ---------------------------------------------------------------------------

def textconv_command() -> str:
    """How git should call textconv: by name when ``journey-audit`` is on PATH,
    else through this Python (e.g. a virtual environment that is not activated)."""
    if shutil.which("journey-audit"):
        return "journey-audit textconv"
    return f"{shlex.quote(sys.executable)} -m journey_audit textconv"


def git_setup(audits: str = "audits", cwd: str | os.PathLike | None = None,
              command: str | None = None) -> list[str]:
    """Make ``git diff`` and ``git log -p`` show audits through ``journey-audit textconv``.

    Adds ``<audits>/**/*.yaml diff=journey-audit`` to the repository's
    ``.gitattributes`` (shared with the team when committed) and sets
    ``diff.journey-audit.textconv`` and ``diff.journey-audit.xfuncname`` in this
    clone's git config. Safe to run again: it changes only what is missing and
    says what it did.
    """
    root = toplevel(cwd)
    done: list[str] = []
    pattern = f"{audits.strip('/')}/**/*.yaml diff={DRIVER}"
    attributes = root / ".gitattributes"
    existing = attributes.read_text(encoding="utf-8") if attributes.exists() else ""
    if pattern in (line.strip() for line in existing.splitlines()):
        done.append(f"already in .gitattributes: {pattern}")
    else:
        sep = "" if not existing or existing.endswith("\n") else "\n"
        attributes.write_text(existing + sep + pattern + "\n", encoding="utf-8")
        done.append(f"added to .gitattributes: {pattern} (commit it to share it with the team)")
    for key, value in ((f"diff.{DRIVER}.textconv", command or textconv_command()),
                       (f"diff.{DRIVER}.xfuncname", XFUNCNAME)):
        try:
            current = git(["config", "--local", "--get", key], root).decode("utf-8").strip()
        except GitError:
            current = None
        if current == value:
            done.append(f"already set: git config {key} {shlex.quote(value)}")
        else:
            git(["config", "--local", key, value], root)
            done.append(f"set: git config {key} {shlex.quote(value)}")
    return done


def file_diffs(sources: Sequence[str], git_revisions: bool = False, paths: Sequence[str] = ("audits",),
               cwd: str | os.PathLike | None = None) -> list:
    """What ``journey-audit diff`` compares: ``OLD NEW`` (files or ``REV:PATH``), or with
    ``git_revisions`` every audit changed between ``REV1`` and ``REV2`` (default: the
    working tree). Returns :class:`journey_audit.review.diff.FileDiff` objects; GitError when
    a side cannot be read at all."""
    from .diff import diff_files

    if git_revisions:
        changes = changed_audits(sources[0], sources[1] if len(sources) > 1 else None, paths, cwd)
        return [diff_files(c.old and c.old.side(), c.new and c.new.side(), c.status) for c in changes]
    old, new = (read_source(s, cwd) for s in sources)
    return [diff_files(old.side(), new.side())]
