"""The allow-list of intentional mentions: what ``verify-site`` accepts in a client's site.

``verify-site`` looks for every other client's name, ids, people, industry and
evidence file names in a client's site, wherever they stand, even in the client's own
touchpoints: a copy-paste from another audit is exactly how they get there. When a
mention is meant (a joint case study both clients approved, a partner named on
every site), the consultant says so in ``journey-audit.allow.yaml`` beside
``mkdocs.yml`` (or the file ``--allow`` names), with the reason::

    # What verify-site accepts in a client's site, each with why.
    hotel-supplies:                 # in the site of client hotel-supplies …
      - text: Acme Tools            # … this text of another client may stand
        reason: joint case study, approved by both clients (mail of 2026-03-02)
    all:                            # in every client's site
      - text: Wang Min
        reason: our partner, named on every site

A ``text`` is compared whole (case, spacing and invisible characters ignored) with
what would be looked for: a name, an id, a person, a sentence of another audit. It
never lets through internal notes (those are never meant for a client).

>>> allow = read_allow_text("hotel-supplies:\\n  - {text: Acme  TOOLS, reason: joint case study}\\n", "a.yaml")
>>> allow.allows("hotel-supplies", "acme tools"), allow.allows("other", "Acme Tools")
(True, False)
>>> read_allow_text("hotel-supplies:\\n  - text: Acme\\n", "a.yaml")
Traceback (most recent call last):
...
journey_audit.errors.VerifyError: a.yaml:2:5: each allowed text needs a reason (why the client may see it)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ...errors import VerifyError
from ..textsearch import spaced_form

DEFAULT_ALLOW = Path("journey-audit.allow.yaml")
EVERY_CLIENT = "all"


@dataclass
class AllowList:
    """Texts allowed per client id (``all``: in every client's site), each with its reason."""

    terms: dict[str, dict[str, str]] = field(default_factory=dict)  # client → normal form → reason
    path: str | None = None

    def allows(self, client: str | None, text: str) -> bool:
        """Whether ``text`` may stand in ``client``'s site."""
        form = spaced_form(text)
        return any(form in self.terms.get(key, {}) for key in (client, EVERY_CLIENT) if key)

    def clients(self) -> set[str]:
        return set(self.terms) - {EVERY_CLIENT}


def read_allow(path: Path | None) -> AllowList:
    """The allow-list in file ``path`` (None, or no such default file: an empty list).

    Errors (:class:`VerifyError`, with ``path:line:col``): not YAML, not a mapping of
    client ids to lists of ``{text, reason}``, a text or reason missing or empty.
    """
    if path is None:
        return AllowList()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise VerifyError(f"{path}: cannot read the allow-list ({exc.__class__.__name__}: {exc})") from None
    return read_allow_text(text, str(path))


def _where(path: str, node) -> str:
    return f"{path}:{node.start_mark.line + 1}:{node.start_mark.column + 1}"


def read_allow_text(text: str, path: str) -> AllowList:
    """The allow-list written in ``text`` (read from file ``path``, for messages)."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        raise VerifyError(f"{path}: not YAML: {exc}") from None
    allow = AllowList(path=path)
    if root is None:
        return allow
    if not isinstance(root, yaml.MappingNode):
        raise VerifyError(f"{_where(path, root)}: the allow-list maps client ids (or 'all') to lists of "
                          "{text, reason}")
    for key, value in root.value:
        if not isinstance(key, yaml.ScalarNode) or not key.value.strip():
            raise VerifyError(f"{_where(path, key)}: a client id (or 'all') is expected here")
        if not isinstance(value, yaml.SequenceNode):
            raise VerifyError(f"{_where(path, value)}: '{key.value}' needs a list of {{text, reason}}")
        terms = allow.terms.setdefault(key.value.strip(), {})
        for entry in value.value:
            fields = {k.value: v for k, v in entry.value} if isinstance(entry, yaml.MappingNode) else {}
            found = {k: v.value.strip() for k, v in fields.items()
                     if isinstance(v, yaml.ScalarNode) and k in ("text", "reason")}
            if not found.get("text"):
                raise VerifyError(f"{_where(path, entry)}: each entry needs a text (what may stand in the site)")
            if not found.get("reason"):
                raise VerifyError(f"{_where(path, entry)}: each allowed text needs a reason (why the client may "
                                  "see it)")
            unknown = sorted(set(fields) - {"text", "reason"})
            if unknown:
                raise VerifyError(f"{_where(path, entry)}: unknown key '{unknown[0]}' (an entry has text and reason)")
            terms[spaced_form(found["text"])] = found["reason"]
    return allow
