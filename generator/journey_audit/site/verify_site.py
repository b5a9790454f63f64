"""``journey-audit verify-site``: look through a built site for what its reader may not see.

A client's site must hold that client and nothing else, and no internal note of any
audit. The build makes sure of that by construction (:mod:`journey_audit.site.publish`,
the plugin's client scope); this is the independent check to run before deploying.
It reads every file of the built site, whatever its kind, and looks for what the
portfolio says must not be there (:mod:`.leaks.targets`):

- other clients: their names, client ids, audit ids, people (auditors, owners),
  industries and evidence file names, wherever they stand (a copy-paste into the
  client's own touchpoint included), unless the allow-list (:mod:`.leaks.allow`)
  says the mention is meant; their titles and longer texts, unless the client may
  see the same text anyway; their distinctive sentences and clauses even then (an
  audit copied from another client's: :mod:`..audit.rules.copied`);
- the internal notes of every audit, the client's own included, sentence by sentence;
- draft audits: their ids and titles, and their texts that no published audit shares;
- the notice of a build made with ``--include-internal`` or ``--drafts``;
- files that only unpublished audits link to as evidence, and hand-written pages
  marked for other clients (their URL and their sentences), given the docs folder.

Every file is read for what it holds, its kind told by its content (gzip, zip and the
Office formats, PDF, PNG text chunks, UTF-16, data: URLs, base64, JSON and JavaScript
escapes: :mod:`.leaks.decode`), and by its name. The theme's own files, byte for byte
as the theme ships them, are not read: they hold nothing of any audit, and their words
(``search``, ``assets``) are no client's. How a text is found (entities decoded,
zero-width characters, case and line breaks ignored, ids as tokens, short Latin text
as whole words) is :mod:`.textsearch`'s job.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..audit.model import Audit
from ..audit.problems import did_you_mean
from ..errors import VerifyError
from .leaks.allow import AllowList
from .leaks.decode import Budget, png_texts, texts
from .leaks.targets import docs_targets, targets
from .publish import evidence_files, published
from .textsearch import Haystack, Matcher, Needle

__all__ = ["Haystack", "Leak", "Needle", "Report", "file_texts", "png_texts", "theme_file", "verify_site"]

MAX_FILE = 64 * 1024 * 1024  # bytes read of one file of the site
MAX_SEARCHED = 16 * 1024 * 1024  # characters searched in one file of the site, all its decoded texts together

_NOTICES = ((b'class="ja-internal-build"', "the notice of a build with internal notes or drafts"),
            (b'class="ja-internal"', "an internal-notes block"))


@dataclass(frozen=True)
class Leak:
    """A needle found in a file of the site."""

    path: str  # relative to the site folder
    what: str
    text: str

    def format(self) -> str:
        shown = self.text if len(self.text) <= 80 else self.text[:79] + "…"
        return f"{self.path}: {self.what}: {json.dumps(shown, ensure_ascii=False)}"


@dataclass
class Report:
    """What :func:`verify_site` looked for, where, and what it found."""

    leaks: list[Leak] = field(default_factory=list)
    files: int = 0
    theme: int = 0  # files of the theme, as it ships them: not read
    needles: int = 0
    shared: int = 0  # texts not looked for: the client's own too, or the site's words
    allowed: list[str] = field(default_factory=list)  # texts the allow-list lets through
    notes: list[str] = field(default_factory=list)  # texts too short to look for; files not read to the end

    @property
    def ok(self) -> bool:
        return not self.leaks


def file_texts(name: str, data: bytes, budget: Budget | None = None) -> list[str]:
    """Every text a file of the site holds, as it could be read (``name`` is not used to tell its kind)."""
    return texts(data, budget)


@lru_cache(maxsize=1)
def theme_roots() -> tuple[tuple[Path, str], ...]:
    """Where the theme's static files are (Material's, ours), with the folder they get in a site."""
    import material

    return ((Path(material.__file__).parent / "templates", ""), (Path(__file__).parent / "assets",
                                                                 "assets/journey-audit/"))


def theme_file(rel: str, data: bytes) -> bool:
    """Whether the site's file ``rel`` is a static file of the theme, byte for byte as it ships."""
    if rel.endswith(".html"):
        return False  # templates: rendered with the site's content, never copied
    for root, prefix in theme_roots():
        if rel.startswith(prefix):
            shipped = root / rel[len(prefix):]
            try:
                if shipped.is_file() and shipped.stat().st_size == len(data) and shipped.read_bytes() == data:
                    return True
            except OSError:
                continue
    return False


def _read(path: Path, rel: str, report: Report) -> bytes:
    """The file's bytes, up to MAX_FILE (a video of evidence need not fill the memory)."""
    try:
        with open(path, "rb") as f:
            if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
                return b""  # swapped for a FIFO or a device since it was listed
            data = f.read(MAX_FILE + 1)
    except OSError as exc:  # what cannot be checked may not be deployed
        report.leaks.append(Leak(rel, "a file that cannot be read, so it was not checked", exc.strerror or str(exc)))
        return b""
    if len(data) > MAX_FILE:
        report.notes.append(f"{rel}: only its first {MAX_FILE // 2**20} MB were read")
        data = data[:MAX_FILE]
    return data


def _capped(texts: list[str], budget: Budget) -> list[str]:
    """The texts up to MAX_SEARCHED characters in all: searching costs time in proportion."""
    kept, left = [], MAX_SEARCHED
    for text in texts:
        if len(text) > left:
            budget.note(f"it holds more than {MAX_SEARCHED // 2**20} M characters of text: only the first were "
                        "searched")
            kept.append(text[:left])
            break
        kept.append(text)
        left -= len(text)
    return kept


def scan(site: Path, needles: list[Needle], report: Report) -> None:
    """Add to ``report`` every needle found in every file of ``site`` (and in the files' names)."""
    matcher = Matcher(needles)
    names = Matcher([n for n in needles if n.token])
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        rel = path.relative_to(site).as_posix()
        data = _read(path, rel, report)
        if theme_file(rel, data):
            report.theme += 1
            continue
        report.files += 1
        budget = Budget()
        found = _capped(file_texts(path.name, data, budget), budget)
        hits = matcher.found(Haystack.of(*found))
        report.notes += [f"{rel}: {cut}" for cut in budget.cut]
        for i in sorted(names.found(Haystack.of(rel))):
            report.leaks.append(Leak(rel, names.needles[i].what + " (in the file's name)", names.needles[i].text))
        report.leaks += [Leak(rel, n.what, n.text) for n in _outermost([needles[i] for i in sorted(hits)])]
        if b"ja-internal" in data:
            report.leaks += [Leak(rel, what, marker.decode()) for marker, what in _NOTICES if marker in data]


def _outermost(hits: list[Needle]) -> list[Needle]:
    """The hits less those inside a longer hit of the same source (a sentence of a pasted paragraph)."""
    return [n for n in hits if not any(m is not n and m.what == n.what and len(m.text) > len(n.text)
                                       and n.text in m.text for m in hits)]


def verify_site(site: Path, audits: list[Audit], client: str | None = None, docs: Path | None = None,
                allow: AllowList | None = None) -> Report:
    """Check the built site in folder ``site`` against the portfolio ``audits`` (all of them, drafts too).

    ``client``: the site is that client's; None: a site of every client (then only
    internal notes and drafts must stay out). ``docs``: the docs folder the site was
    built from, for its pages marked for other clients. ``allow``: the intentional
    mentions the consultant allowed (:func:`.leaks.allow.read_allow`).
    Errors: :class:`VerifyError` for a missing site folder or an unknown client.
    """
    site = Path(site)
    if not site.is_dir():
        what = "not a folder" if site.exists() else "no such folder"
        raise VerifyError(f"{site}: {what}; give the folder of a built site (journey-audit build makes one)")
    if not any(p.is_file() for p in site.rglob("*")):  # a typo in a deploy script must not pass the leak check
        raise VerifyError(f"{site}: an empty folder, not a built site; give the folder journey-audit build wrote")
    known = sorted({a.client_id for a in audits if a.client_id})
    if client is not None and client not in known:
        raise VerifyError(f"no audit of client '{client}' was found{did_you_mean(client, known)} "
                          f"(clients: {', '.join(known) or 'none'})")
    allow = allow or AllowList()
    pages: list[str] = []
    more: list[Needle] = []
    if docs is not None and docs.is_dir():
        more, pages = docs_targets(docs, client)
    found = targets(audits, client, pages, allow, more)
    report = Report(notes=list(found.notes), shared=found.shared, allowed=found.allowed, needles=len(found.needles))
    for unknown in sorted(allow.clients() - set(known)):
        report.notes.append(f"{allow.path}: client '{unknown}' has no audit (clients: {', '.join(known)})")
    scan(site, found.needles, report)
    shown = published(audits, client=client)
    for path in sorted(evidence_files(audits) - evidence_files(shown)):
        if (site / path).is_file():
            report.leaks.append(Leak(path, "evidence that only unpublished audits link to", path))
    report.leaks.sort(key=lambda leak: leak.path)
    return report
