"""What of an audit may be published: an allow-list, applied before anything renders.

The site, the exports and the diagrams are made from :func:`published` audits only.
Each object is rebuilt from the fields named in :data:`PUBLIC_FIELDS`; every other
field gets its empty default. A field added to the model later is therefore private
until someone lists it here, and ``internal_notes`` can never slip through a page,
a CSV column or a diagram label that forgot to leave it out.

>>> from journey_audit.audit.validate import validate_text
>>> text = '''
... title: T
... client: C
... date: 2026-01-15
... involvement: high
... internal_notes: only for us
... core_messages: [{id: q, text: Q}]
... stages:
...   - id: s
...     name: S
...     touchpoints:
...       - id: t
...         name: N
...         channel: online
...         message: {intended: I, score: 3}
...         consistency: {q: 4}
...         internal_notes: also only for us
... '''
>>> audit, _ = validate_text(text, "a.yaml", "a")
>>> public = public_view(audit)
>>> public.internal_notes, public.stages[0].touchpoints[0].internal_notes
(None, None)
>>> public.title, public.stages[0].touchpoints[0].consistency
('T', {'q': 4})
>>> public_view(audit, include_internal=True).internal_notes
'only for us'
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from dataclasses import dataclass
from typing import Any, Iterable, Mapping
from urllib.parse import unquote

from ..audit.model import (
    Audit,
    CoreMessage,
    Evidence,
    Message,
    Metric,
    Rating,
    Recommendation,
    Scale,
    Segment,
    Stage,
    Touchpoint,
    Weights,
)
from ..errors import ScopeError
from ..labels import label

PUBLIC_FIELDS: dict[type, tuple[str, ...]] = {
    Audit: ("title", "client", "date", "involvement", "core_messages", "stages", "client_id", "auditors",
            "language", "industry", "previous", "status", "summary", "scale", "weights", "slug",
            "segments"),
    Segment: ("id", "name", "share", "involvement", "description"),
    Scale: ("min", "max", "labels"),
    Weights: ("message", "consistency"),
    CoreMessage: ("id", "text"),
    Stage: ("id", "name", "touchpoints", "prospects", "metrics", "prospects_by_segment"),
    Touchpoint: ("id", "name", "channel", "message", "consistency", "owner", "message_type",
                 "moment_of_truth", "importance", "notes", "evidence", "metrics", "recommendations", "ratings",
                 "segments", "direction", "trigger"),
    Message: ("intended", "score", "method", "observed", "appeal"),
    Evidence: ("title", "url"),
    Recommendation: ("text", "priority", "effort", "owner", "due", "id", "status", "done_on"),
    Metric: ("id", "name", "value", "unit", "target", "better", "source"),
    Rating: ("auditor", "message", "consistency"),
}

# Published only when the build asks for internal content (--include-internal).
INTERNAL_FIELDS: dict[type, tuple[str, ...]] = {
    Audit: ("internal_notes",),
    Touchpoint: ("internal_notes",),
}


def public_view(audit: Audit, include_internal: bool = False, auditor_names: bool = True) -> Audit:
    """A copy of ``audit`` holding only the publishable fields.

    ``auditor_names`` False (a client site that should not name the consultants): each
    auditor becomes "Auditor 1", "Auditor 2", … in the order of ``auditors``, in
    ``auditors`` and in every rating alike. A build with internal content always names them.

    >>> from journey_audit.audit.model import Message, Rating
    >>> tp = Touchpoint("t", "T", "event", Message("m", 3), {"q": 3}, ratings=[Rating("Li Wei", 2)])
    >>> a = Audit("T", "C", None, "high", [], [Stage("s", "S", [tp])], auditors=["Wang Min", "Li Wei"], language="zh")
    >>> v = public_view(a, auditor_names=False)
    >>> v.auditors, v.stages[0].touchpoints[0].ratings[0].auditor
    (['审计人员 1', '审计人员 2'], '审计人员 2')
    >>> public_view(a, include_internal=True, auditor_names=False).auditors
    ['Wang Min', 'Li Wei']
    """
    view = _copy(audit, include_internal)
    if not auditor_names and not include_internal:
        _pseudonyms(view)
    return view


def _pseudonyms(view: Audit) -> None:
    """Replace each auditor's name in ``view`` (a copy) by "Auditor <n>" in the audit's language."""
    names = list(dict.fromkeys([*view.auditors, *(r.auditor for _, tp in view.touchpoints() for r in tp.ratings)]))
    alias = {name: label("auditor_n", view.language).format(n=n) for n, name in enumerate(names, start=1)}
    view.auditors = [alias[name] for name in view.auditors]
    for _, tp in view.touchpoints():
        for r in tp.ratings:
            r.auditor = alias[r.auditor]


def published(audits: Iterable[Audit], include_internal: bool = False, drafts: bool = False,
              client: str | None = None, auditor_names: bool = True) -> list[Audit]:
    """The audits a site may show, each as its :func:`public_view`.

    Drafts are left out unless ``drafts``; with ``client``, only that client's audits
    are kept; ``auditor_names``: see :func:`public_view`. A ``previous`` link to an audit that is not published is removed, so no
    page, figure or download points at (or compares with) an audit the reader cannot see.
    """
    kept = [a for a in audits if (drafts or a.status != "draft") and (client is None or a.client_id == client)]
    slugs = {a.slug for a in kept}
    views = []
    for a in kept:
        view = public_view(a, include_internal, auditor_names)
        if view.previous is not None and view.previous not in slugs:
            view.previous = None
        views.append(view)
    return views


def _copy(obj: Any, include_internal: bool) -> Any:
    if isinstance(obj, list):
        return [_copy(x, include_internal) for x in obj]
    if isinstance(obj, dict):
        return {k: _copy(v, include_internal) for k, v in obj.items()}
    if not dataclasses.is_dataclass(obj):
        return obj  # str, int, date, bool, None: immutable values
    names = PUBLIC_FIELDS[type(obj)] + (INTERNAL_FIELDS.get(type(obj), ()) if include_internal else ())
    kwargs = {name: _copy(getattr(obj, name), include_internal) for name in names}
    return type(obj)(**kwargs)


# -- hand-written files in a client's site -------------------------------------------

ALL_CLIENTS = "all"


def page_clients(meta: Mapping[str, Any], where: str = "page") -> frozenset[str] | None:
    """The clients a hand-written page is for, from its front matter; None: every client.

    A page without the keys, or with ``client: all`` / ``clients: all``, is for every
    client; ``client: hotel-supplies`` or ``clients: [hotel-supplies, acme]`` for those only.

    >>> page_clients({}), page_clients({"clients": "all"})
    (None, None)
    >>> sorted(page_clients({"clients": ["acme", "hotel-supplies"]})), page_clients({"client": "acme"})
    (['acme', 'hotel-supplies'], frozenset({'acme'}))
    >>> page_clients({"clients": 3}, "docs/a.md")
    Traceback (most recent call last):
    ...
    journey_audit.errors.ScopeError: docs/a.md: front matter 'clients' must be 'all', a client id or a list of client ids, not 3
    """
    found = [(key, meta[key]) for key in ("client", "clients") if key in meta]
    if not found:
        return None
    if len(found) > 1:
        raise ScopeError(f"{where}: front matter has both 'client' and 'clients'; keep one")
    key, value = found[0]
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip() for v in values):
        raise ScopeError(f"{where}: front matter '{key}' must be '{ALL_CLIENTS}', a client id or a list of "
                         f"client ids, not {value!r}")
    ids = frozenset(v.strip() for v in values)
    return None if ALL_CLIENTS in ids else ids


def evidence_files(audits: Iterable[Audit]) -> set[str]:
    """Docs-relative paths of the files the audits link as evidence with a relative ``url``.

    >>> from journey_audit.audit.model import Evidence
    >>> a = Audit("T", "C", None, "high", [], [Stage("s", "S", [Touchpoint("t", "N", "online", None, {},
    ...     evidence=[Evidence("photo", "./evidence/acme/fair%20booth.jpg#top"), Evidence("w", "https://x.example"),
    ...               Evidence("pdf", "evidence\\\\shared\\\\x.pdf")])])])
    >>> sorted(evidence_files([a]))
    ['evidence/acme/fair booth.jpg', 'evidence/shared/x.pdf']
    """
    return {path for audit in audits for _, tp in audit.touchpoints() for e in tp.evidence
            if (path := evidence_path(e.url)) is not None}


def evidence_path(url: str | None) -> str | None:
    """The docs-relative path of the file an evidence ``url`` links, as a browser reads it
    (``evidence\\shared\\x.pdf`` is ``evidence/shared/x.pdf``), or None for a link to the
    web or mail (or out of the site).

    >>> evidence_path("./evidence/acme/fair%20booth.jpg#top"), evidence_path("https://x.example")
    ('evidence/acme/fair booth.jpg', None)
    >>> evidence_path("evidence\\\\shared\\\\x.pdf")
    'evidence/shared/x.pdf'
    """
    url = (url or "").strip().replace("\\", "/")
    if not url or re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", url) or url.startswith("/"):
        return None  # a link to the web or mail, not a file of the site
    path = posixpath.normpath(unquote(re.split(r"[?#]", url, maxsplit=1)[0]))
    return None if path.startswith("..") else path


@dataclass(frozen=True)
class DocsScope:
    """Which hand-written files of the docs folder a build may publish.

    ``client``: the client of a client build (None: every client). ``clients``: the
    ids of every client in the portfolio, published or not. ``private``: files that
    only unpublished audits link to (another client's, drafts).

    In a client build, a file is left out when its page is marked for other clients
    only, or when a folder on its path is named after another client (put a client's
    evidence in ``docs/evidence/<client_id>/``). In every build, a file that only
    unpublished audits link to as evidence is left out.
    """

    client: str | None
    clients: frozenset[str]
    private: frozenset[str]

    @classmethod
    def of(cls, audits: Iterable[Audit], published_audits: Iterable[Audit], client: str | None) -> "DocsScope":
        """The scope of a build of ``published_audits`` out of all the portfolio's ``audits``."""
        audits = list(audits)
        return cls(client, frozenset(a.client_id for a in audits if a.client_id),
                   frozenset(evidence_files(audits) - evidence_files(published_audits)))

    def leave_out(self, path: str, marked: frozenset[str] | None = None) -> str | None:
        """Why the docs file ``path`` (marked for clients ``marked``) stays out of the build; None: publish it.

        >>> scope = DocsScope("acme", frozenset({"acme", "hotel"}), frozenset({"evidence/draft.jpg"}))
        >>> scope.leave_out("method.md"), scope.leave_out("evidence/acme/a.jpg", None)
        (None, None)
        >>> scope.leave_out("notes.md", frozenset({"hotel"}))
        "it is marked for client 'hotel' only"
        >>> scope.leave_out("evidence/hotel/booth.jpg")
        "it is in a folder of client 'hotel'"
        >>> scope.leave_out("evidence/draft.jpg")
        'only unpublished audits link to it'
        """
        if self.client is not None:
            if marked is not None and self.client not in marked:
                return f"it is marked for client{'s' * (len(marked) > 1)} " + ", ".join(
                    f"'{c}'" for c in sorted(marked)) + " only"
            for folder in path.split("/")[:-1]:
                if folder != self.client and folder in self.clients:
                    return f"it is in a folder of client '{folder}'"
        if path in self.private:
            return "only unpublished audits link to it"
        return None
