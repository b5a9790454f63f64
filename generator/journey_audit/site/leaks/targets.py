"""What must not be in a site: the needles ``verify-site`` looks for, from the portfolio.

Two kinds, treated differently:

- **Who and what another client is** (its name, client id, audit ids, people: auditors,
  raters and owners, industry, evidence file names): always looked for, wherever they
  would stand, the client's own touchpoints included, since a careless copy-paste puts
  them exactly there. Not looked for: a term this client has too (a shared auditor, the
  same industry), one two clients or more share (the consultancy's auditors, an owner
  like "Marketing": it tells no client from another), a word of the site's own labels
  or of the ``new`` template, and a text the consultant allowed in the allow-list
  (:mod:`.allow`).
- **Longer texts** of other clients and of drafts (summaries, stage and touchpoint
  names, messages, notes, recommendations, evidence titles, core messages, titles):
  looked for unless the client may see the same text anyway (its own published
  audits, the hand-written pages it is shown, the site's labels, the ``new``
  template's example wording, which many audits keep) or the allow-list allows it.
- **Distinctive sentences and clauses** of other clients' free texts
  (:mod:`...audit.rules.copied`): looked for even where this client's own audit holds
  them (an audit made as a copy of another client's), unless two other clients or more
  share them (house wording) or the allow-list allows them.

Internal notes of every audit, the client's own too, are always looked for sentence
by sentence. Ids and file names are matched as tokens whose edges are any character
but a letter or digit (``acme`` is found in ``acme-brochure.pdf``), except inside a
longer id of the client's own (``acme`` in ``clients/acme-tools/`` of client
``acme-tools``).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from ...audit.model import Audit, round_order
from ...audit.rules import copied
from ...errors import ScopeError
from ...figures.gates import words as gate_words
from ...labels import LABELS
from ...textwidth import width
from ..publish import evidence_path, page_clients, published
from ..textsearch import MIN_NAME, MIN_TEXT, TAG, Haystack, Matcher, Needle, spaced_form
from .allow import AllowList

# Only a text this specific is looked for (units: a CJK character 2, others 1; the
# limits for names and other texts are textsearch's).
MIN_SNIPPET = 12  # sentences of internal notes
PREFIX = 40  # a long name or title is also looked for by its start: diagrams and charts cut names with …

_SENTENCE = re.compile(r"(?<=[。！？；.!?;])\s*|\n+")


@dataclass
class Targets:
    """The needles for one site, and what was deliberately not looked for."""

    needles: list[Needle] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # texts too short to look for reliably
    shared: int = 0  # the client's own too, or the site's words
    allowed: list[str] = field(default_factory=list)  # texts the allow-list lets through


def sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def texts(audit: Audit) -> Iterator[str]:
    """The longer free texts of an audit (not its names, people or internal notes)."""
    if audit.summary:
        yield from sentences(audit.summary)
    for cm in audit.core_messages:
        yield cm.text
    for stage in audit.stages:
        yield stage.name
    for _, tp in audit.touchpoints():
        yield tp.name
        for value in (tp.message.intended, tp.message.method, tp.message.observed, tp.notes):
            if value:
                yield from sentences(value)
        for e in tp.evidence:
            yield e.title
        for r in tp.recommendations:
            yield r.text


def identity(audit: Audit) -> Iterator[tuple[str, str, bool]]:
    """Who and what the audit is about, as (text, role, is it a token): names, ids, people, files."""
    yield audit.client_id or "", "client id", True
    yield audit.slug, "audit id", True
    yield audit.client, "name", False
    yield audit.industry or "", "industry", False
    for person in audit.auditors:
        yield person, "auditor", False
    for _, tp in audit.touchpoints():
        yield tp.owner or "", "owner", False
        for r in tp.ratings:
            yield r.auditor, "auditor", False
        for r in tp.recommendations:
            yield r.owner or "", "owner", False
        for e in tp.evidence:
            path = evidence_path(e.url)
            if path:
                yield posixpath.basename(path), "evidence file", True
            elif e.url and re.match(r"https?://", e.url, re.IGNORECASE):
                yield re.sub(r"^https?://", "", e.url, flags=re.IGNORECASE).rstrip("/"), "evidence link", True


def public_texts(audit: Audit) -> Iterator[str]:
    """Every text of a published audit as the site may show it."""
    yield from (audit.title, audit.summary or "", *(cm.text for cm in audit.core_messages))
    yield from (s.name for s in audit.stages)
    yield from audit.scale.labels.values()
    for _, tp in audit.touchpoints():
        yield from (tp.name, tp.message.intended, tp.message.method or "", tp.message.observed or "",
                    tp.notes or "", *(e.title for e in tp.evidence), *(e.url or "" for e in tp.evidence))
        yield from (r.text for r in tp.recommendations)


@lru_cache(maxsize=1)
def site_words() -> tuple[str, ...]:
    """The site's own wording: its labels in every language, the gates' words."""
    return tuple([v for entry in LABELS.values() for v in entry.values()] + gate_words())


@lru_cache(maxsize=1)
def template_texts() -> tuple[str, ...]:
    """The example wording of the ``new`` template, which audits often keep (stage names and the like)."""
    from ...audit.starter import example_starters
    from ...audit.validate import validate_text

    found: list[str] = []
    for starter in example_starters():
        audit, _ = validate_text(starter, "starter.yaml", "example-2000")
        if audit is not None:
            found += list(texts(audit)) + [tp.owner or "" for _, tp in audit.touchpoints()]
            found += [m.name for _, tp in audit.touchpoints() for m in tp.metrics]
    return tuple(t for t in found if t)


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


def targets(audits: Iterable[Audit], client: str | None, pages: list[str], allow: AllowList,
            extra: Iterable[Needle] = ()) -> Targets:
    """What must not be in ``client``'s site (None: a site of every client).

    ``audits``: the whole portfolio, every client and draft. ``pages``: the texts of the
    hand-written pages the site may show. ``allow``: the consultant's allow-list.
    ``extra``: more texts to look for unless the client may see them anyway (pages
    marked for other clients: :func:`docs_targets`).
    """
    audits = sorted(audits, key=lambda a: (a.client_id or "", *round_order(a)))
    out = Targets()
    own = [a for a in audits if client is not None and a.client_id == client]
    own_ids = {spaced_form(t) for a in own for t, _, _ in identity(a) if t}
    own_tokens = tuple(sorted({t.casefold() for a in own for t, _, tok in identity(a) if t and tok}))
    shown_tokens = {t.casefold() for a in audits if a.status != "draft" and (client is None or a.client_id == client)
                    for t, _, tok in identity(a) if t and tok}
    words = {spaced_form(w) for w in (*site_words(), *template_texts())} | _common(audits)
    texts_: list[Needle] = list(extra)
    for a in audits:
        where = f"audit '{a.slug}'"
        if client is not None and a.client_id != client:
            whose = f" (client {a.client_id})"
            for text, role, token in identity(a):
                form = spaced_form(text)
                if not form or form in own_ids or form in words:
                    out.shared += bool(form)
                elif allow.allows(client, text):
                    out.allowed.append(text)
                elif token:
                    what = ("client id of another client" if role == "client id" else
                            f"id of {where}" if role == "audit id" else f"{role} of {where}")
                    shadows = tuple(t for t in own_tokens if form in t and t != form)
                    out.needles.append(Needle(text, what + whose, token=True, unless=shadows))
                else:
                    what = "name of another client" if role == "name" else f"{role} of {where}"
                    out.needles += _named(text, what + whose)
            texts_ += [*_named(a.title, f"title of {where}{whose}"),
                       *(Needle(t, f"text of {where}{whose}") for t in texts(a) if width(spaced_form(t)) >= MIN_TEXT)]
        elif a.status == "draft":
            shadows = tuple(t for t in shown_tokens if a.slug.casefold() in t and t != a.slug.casefold())
            out.needles.append(Needle(a.slug, f"id of draft {where}", token=True, unless=shadows))
            texts_ += [*_named(a.title, f"title of draft {where}"),
                       *(Needle(t, f"text of draft {where}") for t in texts(a) if width(spaced_form(t)) >= MIN_TEXT)]
        out.needles += _notes(a, out.notes)
    if client is not None:
        _copied(out, audits, client, allow)
    visible = [a for a in audits if client is None or a.client_id == client]
    _keep_texts(out, texts_, visible, pages, client, allow)
    out.needles = [n for n in dict.fromkeys(out.needles) if n.text.strip()]
    return out


def _copied(out: Targets, audits: list[Audit], client: str, allow: AllowList) -> None:
    """Other clients' distinctive sentences and clauses (:mod:`...audit.rules.copied`), looked for even
    where this client's own audit holds them: an audit made as a copy of another client's
    one shows that client's findings. Not looked for: the template's and the site's wording,
    a piece two other clients or more share (house wording), what the allow-list allows."""
    whose = copied.owners(audits)
    seen: set[str] = set()  # a piece of two rounds of one client: reported once
    for a in audits:
        if a.client_id == client:
            continue
        label = f"text of audit '{a.slug}' (client {a.client_id})"
        for _, _, _, text in copied.free_texts(a):
            for piece in copied.pieces(text):
                k = copied.key(piece)
                clients = whose.get(k)
                if k in seen:
                    continue
                seen.add(k)
                if clients is None or len(clients - {client}) > 1:
                    out.shared += 1
                elif allow.allows(client, piece) or allow.allows(client, text):
                    out.allowed.append(piece)
                else:
                    out.needles.append(Needle(piece, label))


def _common(audits: list[Audit]) -> set[str]:
    """People, owners, industries and file names that the audits of two clients or more share:
    the consultancy's auditors, departments like "Marketing"; they tell no client from another."""
    whose: dict[str, set[str]] = {}
    for a in audits:
        for text, role, _ in identity(a):
            if text and role not in ("client id", "audit id", "name"):
                whose.setdefault(spaced_form(text), set()).add(a.client_id or "")
    return {form for form, clients in whose.items() if len(clients) > 1}


def _keep_texts(out: Targets, found: list[Needle], visible: list[Audit], pages: list[str], client: str | None,
                allow: AllowList) -> None:
    """Add the longer texts of ``found`` that the client may not see anyway (in the published
    ones of ``visible``, ``pages``, the site's words), nor the allow-list allows."""
    shown = published(visible)
    seen = [t for a in shown for t in public_texts(a) if t] + pages + list(site_words()) + list(template_texts())
    anyway = Matcher(found).found(Haystack.of("\n\0\n".join(seen)))
    out.shared += len(anyway)
    for i, n in enumerate(found):
        if i in anyway:
            continue
        if allow.allows(client, n.text):
            out.allowed.append(n.text)
        else:
            out.needles.append(n)


def _notes(a: Audit, notes: list[str]) -> list[Needle]:
    """The internal notes of audit ``a``, sentence by sentence (too short ones are noted in ``notes``)."""
    where = f"audit '{a.slug}'"
    found: list[Needle] = []
    notes_of = [(a.internal_notes, f"internal notes of {where}")]
    notes_of += [(tp.internal_notes, f"internal notes of touchpoint '{tp.id}' in {where}") for _, tp in a.touchpoints()]
    for text, what in notes_of:
        if not text:
            continue
        snippets = [s for s in sentences(text) if width(spaced_form(s)) >= MIN_SNIPPET]
        if not snippets and width(spaced_form(text)) >= MIN_NAME * 2:
            snippets = [" ".join(text.split())]
        if not snippets:
            notes.append(f"{a.path or a.slug}: {what} are too short to look for ({text.strip()!r})")
        found += [Needle(s, what) for s in snippets]
    return found


def docs_targets(docs: Path, client: str | None) -> tuple[list[Needle], list[str]]:
    """Hand-written pages of ``docs`` marked for other clients only: their URLs and their sentences.

    Also returns the text of the pages the client may see (unmarked, or marked for
    it; in a site of every client, every page), which is not looked for.
    """
    from mkdocs.utils.meta import get_data

    found: list[Needle] = []
    shown: list[str] = []
    for path in sorted(docs.rglob("*.md")):
        rel = path.relative_to(docs).as_posix()
        if not path.is_file():
            continue  # a FIFO named like a page: reading it would wait forever
        try:
            body, meta = get_data(path.read_text(encoding="utf-8", errors="replace"))
            marked = page_clients(meta, rel)
        except (ScopeError, OSError):
            continue  # the build refuses such a page; nothing of it can be in a site
        text = TAG.sub(" ", body).replace("#", " ")
        if client is None or marked is None or client in marked:
            shown.append(text)
            continue
        whose = ", ".join(sorted(marked))
        stem = rel[:-3].removesuffix("index").rstrip("/")
        if stem:  # its URL, with directory URLs or without
            found += [Needle(url, f"page {rel} (for {whose})", token=True) for url in (f"{stem}/", f"{stem}.html")]
        found += [Needle(t, f"text of page {rel} (for {whose})") for t in sentences(text)
                  if width(spaced_form(t)) >= MIN_TEXT]
    return found, shown
