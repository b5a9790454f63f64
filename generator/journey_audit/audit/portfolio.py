"""Find audit files, validate them all, and check the rules that span files.

>>> p = load_portfolio([Path("no/such/folder")])
>>> p.audits, [x.format() for x in p.problems]
([], ['no/such/folder:1:1: error: no such file or folder (io)'])
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .. import progress
from ..cache import Cache
from ..gcpause import paused
from .audit_cache import validate_cached
from .model import Audit, round_order
from .problems import ERROR, WARNING, Problem, sort_problems
from .rules import copied
from .rules.portfolio import NO_AUDITS, UNIQUE_SLUG
from .rules.previous import PREVIOUS
from .rules.yaml_source import IO
from .validate import validate_file

DEFAULT_DIR = Path("audits")


@dataclass
class Portfolio:
    """Every valid audit found, by slug, and every problem of every file."""

    audits: list[Audit] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == WARNING]

    def by_slug(self) -> dict[str, Audit]:
        return {a.slug: a for a in self.audits}

    def clients(self) -> dict[str, list[Audit]]:
        """Audits grouped by client_id, oldest first."""
        groups: dict[str, list[Audit]] = {}
        for a in sorted(self.audits, key=round_order):
            groups.setdefault(a.client_id or "", []).append(a)
        return dict(sorted(groups.items()))


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the working folder when inside it."""
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def find_audit_files(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Audit files under ``paths`` (files or folders), sorted; problems for missing paths,
    unreadable folders and links that dangle, loop or lead out of the folder given."""
    files: list[Path] = []
    problems: list[Problem] = []
    for p in paths:
        if p.is_dir():
            found, trouble = walk_audits(p)
            files.extend(found)
            problems.extend(trouble)
        elif p.exists():  # a file, or a pipe or device that reading refuses with its reason
            files.append(p)
        else:
            problems.append(Problem(display_path(p), 1, 1, ERROR, "no such file or folder", IO))
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    return unique, problems


def walk_audits(top: Path, name: str | None = None) -> tuple[list[Path], list[Problem]]:
    """The ``.yaml``/``.yml`` files under folder ``top`` (only ``name`` when given), sorted.

    Links are never followed out of ``top`` (a link to ``/etc/shadow`` must not be read,
    let alone quoted in a CI log); a link inside ``top`` to a folder, or to an audit file
    found where it is, is not followed either (it would read the same audits twice, or
    loop). Every link not followed, dangling links, link loops and folders that cannot
    be read are problems, one line each, not silently skipped. Hidden entries
    (``.git``) are skipped.
    """
    root = top.resolve()
    files: list[Path] = []
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        problems.append(Problem(display_path(Path(exc.filename or top)), 1, 1, ERROR,
                                f"cannot read folder: {exc.strerror}; fix its permissions or remove it", IO))

    for folder, dirs, names in os.walk(top, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for entry in [*dirs, *names]:
            x = Path(folder, entry)
            is_yaml = x.suffix in (".yaml", ".yml") and (name is None or x.name == name)
            if entry.startswith(".") or not (x.is_symlink() or is_yaml and entry not in dirs):
                continue
            if x.is_symlink():
                try:
                    target = x.resolve(strict=True)
                except (OSError, RuntimeError):  # RuntimeError: a loop, before Python 3.13
                    problems.append(Problem(display_path(x), 1, 1, ERROR, "link leads nowhere (dangling or a "
                                            "loop); remove it or point it at a file", IO))
                    continue
                if not (is_yaml or entry in dirs):
                    continue
                if not target.is_relative_to(root):
                    problems.append(Problem(display_path(x), 1, 1, ERROR, "link leads out of the audits folder "
                                            f"{display_path(top)}; not read: copy the file in instead", IO))
                    continue
                inside = _inner_link(x, target, root, entry in dirs)
                if inside is not None:
                    problems.append(Problem(display_path(x), 1, 1, ERROR, inside, IO))
                    continue
            files.append(x)
    return sorted(files), problems


def _inner_link(link: Path, target: Path, root: Path, is_dir: bool) -> str | None:
    """Why a link inside the audits folder is not followed (None: read it). A folder link
    would loop or read its audits twice; a link to another audit file would read that
    audit twice under two ids. The README: links are never skipped silently."""
    if is_dir:
        if link.parent.resolve().is_relative_to(target):
            return (f"link loops back to its own folder {display_path(target)}; not followed: remove the link")
        return (f"link to the folder {display_path(target)}, whose audits are read where they are; not followed: "
                "remove the link")
    hidden = any(part.startswith(".") for part in target.relative_to(root).parts)
    if target.suffix in (".yaml", ".yml") and not hidden:
        return (f"link to the audit file {display_path(target)}, which is read where it is (one file, one audit "
                "id); not read twice: remove the link, or copy the file if it is really another audit")
    return None


def load_portfolio(paths: Iterable[Path] | None = None, cache: Cache | None = None) -> Portfolio:
    """Load and validate audits from ``paths`` (default ``audits/``).

    With a ``cache``, a file validated before with the same bytes is not parsed
    again (see :mod:`journey_audit.audit.audit_cache`).
    """
    with paused():  # many lasting objects, no garbage: see gcpause
        return _load(paths, cache)


def _load(paths: Iterable[Path] | None, cache: Cache | None) -> Portfolio:
    paths = list(paths or [])
    if not paths:
        if not DEFAULT_DIR.is_dir():
            return Portfolio(problems=[Problem(str(DEFAULT_DIR), 1, 1, ERROR,
                                               "no audits/ folder here; run in a project folder or name the files",
                                               NO_AUDITS)])
        paths = [DEFAULT_DIR]
    files, problems = find_audit_files(paths)
    progress.start("audits", len(files))

    def validated(f: Path) -> tuple[Audit | None, list[Problem]]:
        result = validate_cached(f, display_path(f), cache)
        progress.advance("audits")
        return result

    return assemble(problems, map(validated, files))


def assemble(problems: list[Problem], results: Iterable[tuple[Audit | None, list[Problem]]]) -> Portfolio:
    """The portfolio of the files' validation ``results`` ((audit or None, its problems) each),
    with the folder walk's ``problems`` and the checks across files (links, copied text).

    :func:`load_portfolio` and serve's preview (which validates again only edited files) both end here.
    """
    portfolio = Portfolio(problems=list(problems))
    for audit, found in results:
        portfolio.problems.extend(found)
        if audit is not None:
            portfolio.audits.append(audit)
    check_links(portfolio)
    portfolio.problems += copied.check(portfolio.audits)  # across clients: see rules.copied
    portfolio.problems = sort_problems(portfolio.problems)
    return portfolio


def check_links(portfolio: Portfolio) -> None:
    """Rules across files: unique slugs, and ``previous`` pointing at an earlier round of the same client."""
    by_slug: dict[str, Audit] = {}
    kept: list[Audit] = []
    for a in portfolio.audits:
        if a.slug in by_slug:
            portfolio.problems.append(Problem(a.path, 1, 1, ERROR, f"audit id '{a.slug}' is also used by "
                                              f"{by_slug[a.slug].path}; file names must be unique", UNIQUE_SLUG))
            continue
        by_slug[a.slug] = a
        kept.append(a)
    portfolio.audits = kept
    bad: set[str] = set()
    for a in kept:
        if a.previous is None:
            continue
        line, col = a.at("previous")
        prev = by_slug.get(a.previous) or _find_outside(a)
        if prev is None:
            portfolio.problems.append(Problem(a.path, line, col, ERROR, f"previous audit '{a.previous}' was not found "
                                              "among the audits given", PREVIOUS))
            bad.add(a.slug)
        elif prev.client_id != a.client_id:
            portfolio.problems.append(Problem(a.path, line, col, ERROR, f"previous audit '{a.previous}' belongs to "
                                              f"client '{prev.client_id}', not '{a.client_id}'", PREVIOUS))
            bad.add(a.slug)
        elif prev.date > a.date:
            portfolio.problems.append(Problem(a.path, line, col, WARNING, f"previous audit '{a.previous}' is dated "
                                              f"{prev.date}, after this one ({a.date})", PREVIOUS))
    # A chain that loops back on itself has no first round.
    for a in kept:
        seen = {a.slug}
        cur = a
        while cur.previous and cur.previous in by_slug:
            cur = by_slug[cur.previous]
            if cur.slug in seen:
                line, col = a.at("previous")
                portfolio.problems.append(Problem(a.path, line, col, ERROR, "the chain of previous audits loops back "
                                                  f"to '{cur.slug}'", PREVIOUS))
                bad.add(a.slug)
                break
            seen.add(cur.slug)
    portfolio.audits = [a for a in kept if a.slug not in bad]


def _find_outside(audit: Audit) -> Audit | None:
    """The previous audit when it was not among the files given (e.g. ``validate one.yaml``)."""
    here = Path(audit.path).parent
    for folder in (here, here.parent, DEFAULT_DIR):
        for candidate in walk_audits(folder, f"{audit.previous}.yaml")[0] if folder.is_dir() else []:
            found, _ = validate_file(candidate, display_path(candidate))
            if found is not None:
                return found
    return None
