"""Who an audit that does not validate is about, so that verify-site still looks for it.

An audit with a mistake (a score left as ``TO-FILL``) is no audit to publish, but its
client's name may well be in a site already. Its top-level ``client``, ``client_id``,
``title``, ``industry``, ``auditors`` and ``status`` are read with the same bounded
reader ``validate`` uses (size limit, regular files only, aliases bounded), when they
are plain texts; nothing else of the file is used.

>>> a = salvage_text("title: Q3\\nclient: Rivalco Kitchenware\\nauditors: [Ann Lee, 3]\\nstages: TO-FILL\\n",
...                  "audits/rivalco-2026.yaml")
>>> a.client, a.client_id, a.slug, a.auditors, a.status
('Rivalco Kitchenware', 'rivalco-kitchenware', 'rivalco-2026', ['Ann Lee'], 'final')
>>> salvage_text("- just a list", "a.yaml") is None
True
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path, PurePosixPath

from ...audit.model import Audit
from ...audit.rules.values import slugify
from ...audit.yamlsource import decode, parse_text, read_bytes
from ...errors import JourneyAuditError


def salvage(path: Path, display: str | None = None) -> Audit | None:
    """What file ``path`` says of who it is about, as an :class:`Audit` without touchpoints; None
    when even that cannot be read (not YAML, not a mapping, no client)."""
    shown = display or str(path)
    try:
        return salvage_text(decode(read_bytes(path, shown), shown), shown)
    except JourneyAuditError:
        return None


def salvage_text(text: str, path: str) -> Audit | None:
    """:func:`salvage` of the text of an audit file (``path`` names it: its stem is the audit id)."""
    try:
        root = parse_text(text, path)
    except JourneyAuditError:
        return None
    if root.kind != "map":
        return None

    def plain(key: str) -> str | None:
        entry = root.value.get(key)
        value = entry[1].value if entry is not None and entry[1].kind == "scalar" else None
        return value.strip() if isinstance(value, str) and value.strip() else None

    client = plain("client")
    if client is None:
        return None
    entry = root.value.get("auditors")
    auditors = [n.value for n in entry[1].value if n.kind == "scalar" and isinstance(n.value, str)] if (
        entry is not None and entry[1].kind == "seq") else []
    client_id = plain("client_id") or slugify(client) or "client-" + hashlib.sha1(client.encode("utf-8")).hexdigest()[:8]  # as validate makes it
    return Audit(plain("title") or "", client, dt.date.min, "high", [], [], client_id=client_id,
                 auditors=auditors, industry=plain("industry"),
                 status="draft" if plain("status") == "draft" else "final",
                 slug=PurePosixPath(path.replace("\\", "/")).stem, path=path)
