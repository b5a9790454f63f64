"""``journey-audit verify-site``: look through a built site for what its reader may not see.

A client's site must hold that client and nothing else, and no internal note of any
audit. The build makes sure of that by construction (:mod:`journey_audit.site.publish`,
the plugin's client scope); this is the independent check to run before deploying.
It reads every file of the built site, whatever its kind, and looks for what the
portfolio says must not be there:

- other clients: their names, client ids, audit ids and titles, and every longer text
  of their audits that is specific enough to tell (summaries, stage and touchpoint
  names, messages, notes, recommendations, evidence titles, core messages);
- the internal notes of every audit, the client's own included, sentence by sentence;
- draft audits: their ids and titles, and their texts that no published audit shares;
- the notice of a build made with ``--include-internal`` or ``--drafts``;
- files that only unpublished audits link to as evidence, and hand-written pages
  marked for other clients (their URL and their sentences), given the docs folder.

Every file is read as text: HTML, SVG, CSV, JSON (its strings decoded, so
``search_index.json``'s ``\\u`` escapes are read too), gzip files decompressed
(``sitemap.xml.gz``), PNG text chunks, and any other bytes as UTF-8. How a text is
found in them (entities decoded, zero-width characters, case and line breaks
ignored, ids as whole tokens, short Latin text as whole words) is :mod:`.textsearch`'s job.

What the client may see anyway is not looked for: a text of another audit that also
occurs in the client's own published audits or in the site's labels would flag the
client's own pages. Those texts are counted in the report.
"""

from __future__ import annotations

import gzip
import io
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from ..audit.model import Audit, round_order
from ..errors import VerifyError
from ..figures.gates import words as gate_words
from ..labels import LABELS
from ..textwidth import width
from .publish import ScopeError, evidence_files, page_clients, published
from .textsearch import MIN_NAME, MIN_TEXT, TAG, Haystack, Matcher, Needle, spaced_form

# Only a text this specific is looked for (units: a CJK character 2, others 1; the
# limits for names and other texts are textsearch's).
MIN_SNIPPET = 12  # sentences of internal notes
PREFIX = 40  # a long name or title is also looked for by its start: diagrams and charts cut names with …
MAX_UNPACKED = 64 * 1024 * 1024  # a gzip file is read up to this size

_SENTENCE = re.compile(r"(?<=[。！？；.!?;])\s*|\n+")
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
    needles: int = 0
    shared: int = 0  # texts not looked for: the client's own audits or the labels hold them too
    notes: list[str] = field(default_factory=list)  # texts too short to look for reliably

    @property
    def ok(self) -> bool:
        return not self.leaks


# -- what to look for -------------------------------------------------------------------

def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def _texts(audit: Audit) -> Iterator[str]:
    """The longer free texts of an audit (not its name, title or internal notes)."""
    if audit.summary:
        yield from _sentences(audit.summary)
    for cm in audit.core_messages:
        yield cm.text
    for stage in audit.stages:
        yield stage.name
    for _, tp in audit.touchpoints():
        yield tp.name
        for value in (tp.message.intended, tp.message.method, tp.message.observed, tp.notes):
            if value:
                yield from _sentences(value)
        for e in tp.evidence:
            yield e.title
        for r in tp.recommendations:
            yield r.text


def _public_texts(audit: Audit) -> Iterator[str]:
    """Every text of a published audit as the site may show it."""
    yield from (audit.title, audit.client, audit.client_id or "", audit.slug, audit.industry or "")
    yield from audit.auditors
    yield from audit.scale.labels.values()
    yield from (audit.summary or "", *(cm.text for cm in audit.core_messages), *(s.name for s in audit.stages))
    for _, tp in audit.touchpoints():
        yield from (tp.name, tp.owner or "", tp.message.intended, tp.message.method or "", tp.message.observed or "",
                    tp.notes or "", *(e.title for e in tp.evidence), *(e.url or "" for e in tp.evidence))
        for r in tp.recommendations:
            yield from (r.text, r.owner or "")


def _named(text: str, what: str) -> list[Needle]:
    """A name or title, and its start when diagrams or charts may show it cut."""
    flat = " ".join(text.split())
    needles = [Needle(flat, what)]
    if width(flat) > PREFIX:
        cut, used = 0, 0
        while cut < len(flat) and used + width(flat[cut]) <= PREFIX:
            used += width(flat[cut])
            cut += 1
        needles.append(Needle(flat[:cut].rstrip(), what + " (its start)", prefix=True))
    return needles


def needles(audits: Iterable[Audit], client: str | None) -> tuple[list[Needle], list[str]]:
    """What must not be in ``client``'s site (None: a site of every client), with notes on texts too short to look for.

    ``audits``: the whole portfolio, every client and draft.
    """
    found: list[Needle] = []
    notes: list[str] = []
    for a in sorted(audits, key=lambda a: (a.client_id or "", *round_order(a))):
        where = f"audit '{a.slug}'"
        other = client is not None and a.client_id != client
        if other:
            whose = f" (client {a.client_id})"
            found += [Needle(a.client_id or "", f"client id of another client{whose}", token=True),
                      Needle(a.slug, f"id of {where}{whose}", token=True),
                      *_named(a.client, f"name of another client{whose}"),
                      *_named(a.title, f"title of {where}{whose}")]
            found += [Needle(t, f"text of {where}{whose}") for t in _texts(a) if width(spaced_form(t)) >= MIN_TEXT]
        elif a.status == "draft":
            found += [Needle(a.slug, f"id of draft {where}", token=True), *_named(a.title, f"title of draft {where}")]
            found += [Needle(t, f"text of draft {where}") for t in _texts(a) if width(spaced_form(t)) >= MIN_TEXT]
        notes_of = [(a.internal_notes, f"internal notes of {where}", a.path)]
        notes_of += [(tp.internal_notes, f"internal notes of touchpoint '{tp.id}' in {where}", a.path)
                     for _, tp in a.touchpoints()]
        for text, what, path in notes_of:
            if not text:
                continue
            snippets = [s for s in _sentences(text) if width(spaced_form(s)) >= MIN_SNIPPET]
            if not snippets and width(spaced_form(text)) >= MIN_NAME * 2:
                snippets = [" ".join(text.split())]
            if not snippets:
                notes.append(f"{path or a.slug}: {what} are too short to look for ({text.strip()!r})")
            found += [Needle(s, what) for s in snippets]
    return [n for n in dict.fromkeys(found) if n.text.strip()], notes


def docs_needles(docs: Path, client: str | None) -> tuple[list[Needle], list[str]]:
    """Hand-written pages of ``docs`` marked for other clients only: their URLs and their sentences.

    Also returns the text of the pages the client may see (unmarked, or marked for
    it), which is not looked for. In a site of every client (no ``client``) every
    page may be shown.
    """
    from mkdocs.utils.meta import get_data

    found: list[Needle] = []
    shown: list[str] = []
    if client is None:
        return found, shown
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        try:
            body, meta = get_data(path.read_text(encoding="utf-8", errors="replace"))
            marked = page_clients(meta, rel)
        except ScopeError:
            continue  # the build refuses such a page; nothing of it can be in a site
        text = TAG.sub(" ", body).replace("#", " ")
        if marked is None or client in marked:
            shown.append(text)
            continue
        whose = ", ".join(sorted(marked))
        stem = rel[:-3].removesuffix("index").rstrip("/")
        if stem:  # its URL, with directory URLs or without
            found += [Needle(url, f"page {rel} (for {whose})", token=True) for url in (f"{stem}/", f"{stem}.html")]
        found += [Needle(t, f"text of page {rel} (for {whose})") for t in _sentences(text)
                  if width(spaced_form(t)) >= MIN_TEXT]
    return found, shown


def _allowed(audits: list[Audit], client: str | None, pages: list[str]) -> Haystack:
    """What the site may show: the client's published audits, its hand-written ``pages`` and the labels."""
    shown = published(audits, client=client)
    texts = [t for a in shown for t in _public_texts(a) if t] + pages
    texts += [v for entry in LABELS.values() for v in entry.values()] + gate_words()
    return Haystack.of("\n\0\n".join(texts))


# -- reading the site ---------------------------------------------------------------------

def file_texts(name: str, data: bytes) -> list[str]:
    """Every text a file of the site holds, as it would be read."""
    if name.endswith(".gz"):
        try:
            with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
                data = f.read(MAX_UNPACKED)
        except (OSError, EOFError):
            pass
        else:
            return file_texts(name[:-3], data)
    texts = [data.decode("utf-8", "replace")]
    if name.endswith(".json"):
        try:
            texts.append("\n".join(_strings(json.loads(data))))
        except ValueError:
            pass
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        texts += png_texts(data)
    return texts


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def png_texts(data: bytes) -> list[str]:
    """The text chunks of a PNG (tEXt, zTXt, iTXt), as ``key: text``.

    >>> import zlib
    >>> chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + b"\\0\\0\\0\\0"
    >>> png_texts(b"\\x89PNG\\r\\n\\x1a\\n" + chunk(b"tEXt", b"Title\\0Acme") + chunk(b"zTXt", b"C\\0\\0" + zlib.compress(b"Z")))
    ['Title: Acme', 'C: Z']
    """
    out, pos = [], 8
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        pos += 12 + length
        try:
            if kind == b"tEXt":
                key, _, text = body.partition(b"\0")
                out.append(f"{key.decode('latin-1')}: {text.decode('latin-1')}")
            elif kind == b"zTXt":
                key, _, rest = body.partition(b"\0")
                out.append(f"{key.decode('latin-1')}: {zlib.decompress(rest[1:]).decode('latin-1')}")
            elif kind == b"iTXt":
                key, _, rest = body.partition(b"\0")
                compressed, rest = rest[0], rest[2:]
                _, _, rest = rest.partition(b"\0")  # language tag
                _, _, text = rest.partition(b"\0")  # translated keyword
                text = zlib.decompress(text) if compressed else text
                out.append(f"{key.decode('latin-1')}: {text.decode('utf-8', 'replace')}")
        except (zlib.error, IndexError):
            continue
        if kind == b"IEND":
            break
    return out


def scan(site: Path, targets: list[Needle]) -> tuple[list[Leak], int]:
    """Every needle found in every file of ``site`` (and in the files' names); the number of files read."""
    matcher = Matcher(targets)
    names = Matcher([n for n in targets if n.token])
    leaks: list[Leak] = []
    count = 0
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        count += 1
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        hits = matcher.found(Haystack.of(*file_texts(path.name, data)))
        for i in sorted(names.found(Haystack.of(rel))):
            leaks.append(Leak(rel, names.needles[i].what + " (in the file's name)", names.needles[i].text))
        leaks += [Leak(rel, targets[i].what, targets[i].text) for i in sorted(hits)]
        if path.suffix == ".html":
            leaks += [Leak(rel, what, marker.decode()) for marker, what in _NOTICES if marker in data]
    return leaks, count


def verify_site(site: Path, audits: list[Audit], client: str | None = None, docs: Path | None = None) -> Report:
    """Check the built site in folder ``site`` against the portfolio ``audits`` (all of them, drafts too).

    ``client``: the site is that client's; None: a site of every client (then only
    internal notes and drafts must stay out). ``docs``: the docs folder the site was
    built from, for its pages marked for other clients.
    """
    site = Path(site)
    if not site.is_dir():
        raise VerifyError(f"{site}: no such folder; build the site first (journey-audit build)")
    known = sorted({a.client_id for a in audits if a.client_id})
    if client is not None and client not in known:
        raise VerifyError(f"no audit of client '{client}' was found (clients: {', '.join(known) or 'none'})")
    targets, notes = needles(audits, client)
    pages: list[str] = []
    if docs is not None and docs.is_dir():
        more, pages = docs_needles(docs, client)
        targets += more
    allowed = Matcher(targets).found(_allowed(audits, client, pages))
    report = Report(notes=notes, shared=len(allowed))
    targets = [n for i, n in enumerate(targets) if i not in allowed]
    report.needles = len(targets)
    report.leaks, report.files = scan(site, targets)
    shown = published(audits, client=client)
    for path in sorted(evidence_files(audits) - evidence_files(shown)):
        if (site / path).is_file():
            report.leaks.append(Leak(path, "evidence that only unpublished audits link to", path))
    report.leaks.sort(key=lambda leak: leak.path)
    return report
