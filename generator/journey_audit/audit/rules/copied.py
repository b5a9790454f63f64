"""Text copied from another client: a portfolio rule, applied by :mod:`journey_audit.audit.portfolio`.

copied-text
    A distinctive sentence (or clause) of one client's audit stands word for word in an
    audit of another client: most often a new audit made as a copy of another client's
    one, whose summary, findings and recommendations were not all rewritten. Each of
    the two audits gets the warning, pointing at the other::

        audits/yuelai/yuelai-2026.yaml:12:10: warning: summary "国际站询盘设专人轮值,首次回复控制在4小时以内" is word for word in audits/hotel-supplies/hotel-supplies-2026q3.yaml:40:13 (client 'hotel-supplies'): copied from another client? rewrite it in this client's words, or leave it if both clients may read it (copied-text)

After three such fields of one audit, one more line counts the rest::

        audits/yuelai/yuelai-2026.yaml:40:18: warning: 79 more fields of this audit, from here on, are word for word in audits of client 'hotel-supplies': was the audit copied from that client's? rewrite them in this client's words (copied-text)

Only distinctive pieces count (:func:`distinctive`: 12 CJK characters or 6 Latin
words); the ``new`` template's wording and the site's labels never do; a piece that
three clients or more share is the consultancy's house wording, not a copy.
:mod:`journey_audit.site.leaks.targets` looks for the same pieces in a client's site.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable, Iterator

from ...charset import strip_invisible
from ...labels import LABELS
from ..model import Audit, Metric
from ..problems import WARNING, Problem
from .rule import Rule

COPIED = "copied-text"

RULES = (Rule(COPIED, WARNING, "no distinctive sentence stands word for word in audits of two clients"),)

MIN_CJK = 12  # CJK characters in a distinctive piece …
MIN_WORDS = 6  # … or Latin words
SHOWN = 3  # copied fields told one by one, for each audit and other client; the rest are counted

_SENTENCE = re.compile(r"(?<=[。！？；])|(?<=[.!?;])\s+|\n+")
_CLAUSE = re.compile(r"[，,：:、]")
_CUT = re.compile(r"[。！？；.!?;\n，,：:、]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")
_EDGE = " \t\n。！？；.!?;，,：:、()（）\"'“”‘’「」-—"


def key(text: str) -> str:
    """The form two pieces are compared in: no invisible characters nor whitespace, case folded."""
    return "".join(strip_invisible(text).casefold().split()).strip(_EDGE)


def distinctive(text: str) -> bool:
    """Whether ``text`` is specific enough to tell a copy: ≥ 12 CJK characters or ≥ 6 Latin words
    (a CJK character counts half a word when both are mixed)."""
    cjk = len(_CJK.findall(text))
    words = len(_WORD.findall(text))
    return cjk >= MIN_CJK or words >= MIN_WORDS or cjk + 2 * words >= MIN_CJK


def pieces(text: str) -> list[str]:
    """The distinctive pieces of a free text: itself, its sentences and their clauses (a sentence
    pasted inside a longer text is found by its own piece)."""
    if len(text) < 8:
        return []  # too short to hold a distinctive piece: most names (the cost of the check is here)
    found = [" ".join(text.split())]
    if not _CUT.search(text):
        return found if distinctive(found[0]) else []
    for sentence in _SENTENCE.split(text):
        if sentence and sentence.strip():
            found.append(" ".join(sentence.split()).strip(_EDGE))
            found += [" ".join(c.split()).strip(_EDGE) for c in _CLAUSE.split(sentence)]
    return [p for p in dict.fromkeys(found) if p and distinctive(p)]


def free_texts(audit: Audit) -> Iterator[tuple[Any, str, str, str]]:
    """Every free text of ``audit`` as (model object, field, what it is, text); not its names,
    people, ids nor internal notes (those are looked for on their own)."""
    if audit.summary:
        yield audit, "summary", "summary", audit.summary
    for cm in audit.core_messages:
        yield cm, "text", f"core message '{cm.id}'", cm.text
    for seg in audit.segments:
        yield seg, "name", f"segment '{seg.id}'", seg.name
        if seg.description:
            yield seg, "description", f"segment '{seg.id}'", seg.description
    for stage in audit.stages:
        yield stage, "name", f"stage '{stage.id}'", stage.name
        yield from _metrics(stage.metrics, f"stage '{stage.id}'")
    for _, tp in audit.touchpoints():
        where = f"touchpoint '{tp.id}'"
        yield tp, "name", f"name of {where}", tp.name
        for name in ("intended", "method", "observed"):
            value = getattr(tp.message, name)
            if value:
                yield tp.message, name, f"message {name} of {where}", value
        if tp.notes:
            yield tp, "notes", f"notes of {where}", tp.notes
        for e in tp.evidence:
            yield e, "title", f"evidence of {where}", e.title
        for r in tp.recommendations:
            yield r, "text", f"recommendation of {where}", r.text
        yield from _metrics(tp.metrics, where)


def _metrics(metrics: list[Metric], where: str) -> Iterator[tuple[Any, str, str, str]]:
    for m in metrics:
        yield m, "name", f"metric '{m.id}' of {where}", m.name
        if m.source:
            yield m, "source", f"metric '{m.id}' of {where}", m.source


@lru_cache(maxsize=1)
def common_keys() -> frozenset[str]:
    """Pieces no client owns: the site's labels in every language and the ``new`` template's wording."""
    from ..starter import example_starters
    from ..validate import validate_text

    texts = [v for entry in LABELS.values() for v in entry.values()]
    for starter in example_starters():
        audit, _ = validate_text(starter, "starter.yaml", "example-2000")
        if audit is not None:
            texts += [t for _, _, _, t in free_texts(audit)]
    return frozenset(key(p) for t in texts for p in pieces(t))


@lru_cache(maxsize=1 << 16)
def keys(text: str) -> tuple[str, ...]:
    """The keys of the distinctive pieces of ``text`` less the common ones (rounds of one client
    repeat many texts: each is cut once)."""
    common = common_keys()
    return tuple(k for k in dict.fromkeys(key(p) for p in pieces(text)) if k not in common)


def owners(audits: Iterable[Audit]) -> dict[str, set[str]]:
    """For each distinctive piece (by :func:`key`) of the audits, the clients whose audits hold it."""
    whose: dict[str, set[str]] = {}
    for a in audits:
        for _, _, _, text in free_texts(a):
            for k in keys(text):
                whose.setdefault(k, set()).add(a.client_id or "")
    return whose


def check(audits: list[Audit]) -> list[Problem]:
    """A warning on each field of an audit with a piece that one other client's audit holds too: the
    first :data:`SHOWN` fields of an audit for each other client, then one line counting the rest."""
    places: dict[str, dict[str, tuple[Audit, Any, str]]] = {}  # piece → client → where it first stands
    fields: list[tuple[Audit, Any, str, str, tuple[str, ...]]] = []
    for a in audits:
        for obj, name, what, text in free_texts(a):
            found = keys(text)
            fields.append((a, obj, name, what, found))
            for k in found:
                places.setdefault(k, {}).setdefault(a.client_id or "", (a, obj, name))
    problems: list[Problem] = []
    copies: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (audit, other client) → where its copies are
    for a, obj, name, what, found in fields:
        for k in found:
            clients = places[k]
            if len(clients) != 2:
                continue  # this client's alone, or house wording
            other, oobj, oname = next(v for c, v in clients.items() if c != (a.client_id or ""))
            line, col = obj.at(name)
            seen = copies.setdefault((a.path, other.client_id or ""), [])
            seen.append((line, col))
            if len(seen) <= SHOWN:
                problems.append(_copied(a, obj, name, what, other, oobj.at(oname)))
            break  # one warning a field
    for (path, client), where in copies.items():
        if len(where) > SHOWN:
            line, col = where[SHOWN]
            problems.append(Problem(path, line, col, WARNING, f"{len(where) - SHOWN} more fields of this audit, from "
                                    f"here on, are word for word in audits of client '{client}': was the audit "
                                    "copied from that client's? rewrite them in this client's words", COPIED))
    return problems


def _copied(a: Audit, obj: Any, name: str, what: str, other: Audit, at: tuple[int, int]) -> Problem:
    line, col = obj.at(name)
    text = " ".join(str(getattr(obj, name)).split())
    shown = text if len(text) <= 60 else text[:59] + "…"
    return Problem(a.path, line, col, WARNING, f'{what} "{shown}" is word for word in {other.path}:{at[0]}:{at[1]} '
                   f"(client '{other.client_id}'): copied from another client? rewrite it in this client's words, "
                   "or leave it if both clients may read it", COPIED)
