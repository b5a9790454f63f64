"""The portfolio: rules on the set of files, applied by :mod:`journey_audit.audit.portfolio`.

(Where ``previous`` points across files is the ``previous`` rule, :mod:`.previous`.)

no-audits
    With no file named, the audits are read from ``audits/`` in the working folder::

        audits:1:1: error: no audits/ folder here; run in a project folder or name the files (no-audits)

unique-slug
    The file name is the audit's id (and its page's address): two files in different
    client folders cannot have the same name. The second one is left out::

        audits/two/acme.yaml:1:1: error: audit id 'acme' is also used by audits/one/acme.yaml; file names must be unique (unique-slug)
"""

from __future__ import annotations

from .rule import ERROR, Rule

NO_AUDITS = "no-audits"
UNIQUE_SLUG = "unique-slug"

RULES = (
    Rule(NO_AUDITS, ERROR, "with no file named, there is an audits/ folder to read"),
    Rule(UNIQUE_SLUG, ERROR, "no two audit files have the same name (the audit's id)"),
)
