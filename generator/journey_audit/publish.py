"""What of an audit may be published: an allow-list, applied before anything renders.

The site, the exports and the diagrams are made from :func:`published` audits only.
Each object is rebuilt from the fields named in :data:`PUBLIC_FIELDS`; every other
field gets its empty default. A field added to the model later is therefore private
until someone lists it here, and ``internal_notes`` can never slip through a page,
a CSV column or a diagram label that forgot to leave it out.

>>> from journey_audit.validate import validate_text
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
from typing import Any, Iterable

from .model import (Audit, CoreMessage, Evidence, Message, Recommendation, Scale, Stage, Touchpoint,
                    Weights)

PUBLIC_FIELDS: dict[type, tuple[str, ...]] = {
    Audit: ("title", "client", "date", "involvement", "core_messages", "stages", "client_id", "auditors",
            "language", "industry", "previous", "status", "summary", "scale", "weights", "slug"),
    Scale: ("min", "max", "labels"),
    Weights: ("message", "consistency"),
    CoreMessage: ("id", "text"),
    Stage: ("id", "name", "touchpoints", "prospects"),
    Touchpoint: ("id", "name", "channel", "message", "consistency", "owner", "message_type",
                 "moment_of_truth", "importance", "notes", "evidence", "recommendations"),
    Message: ("intended", "score", "method", "observed"),
    Evidence: ("title", "url"),
    Recommendation: ("text", "priority", "effort", "owner", "due"),
}

# Published only when the build asks for internal content (--include-internal).
INTERNAL_FIELDS: dict[type, tuple[str, ...]] = {
    Audit: ("internal_notes",),
    Touchpoint: ("internal_notes",),
}


def public_view(audit: Audit, include_internal: bool = False) -> Audit:
    """A copy of ``audit`` holding only the publishable fields."""
    return _copy(audit, include_internal)


def published(audits: Iterable[Audit], include_internal: bool = False, drafts: bool = False,
              client: str | None = None) -> list[Audit]:
    """The audits a site may show, each as its :func:`public_view`.

    Drafts are left out unless ``drafts``; with ``client``, only that client's audits
    are kept. A ``previous`` link to an audit that is not published is removed, so no
    page, figure or download points at (or compares with) an audit the reader cannot see.
    """
    kept = [a for a in audits if (drafts or a.status != "draft") and (client is None or a.client_id == client)]
    slugs = {a.slug for a in kept}
    views = []
    for a in kept:
        view = public_view(a, include_internal)
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
