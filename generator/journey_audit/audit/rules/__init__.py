"""Every validation rule, registered in one place (on the model of yamllint's ``rules``).

Each rule family is a module that owns its rule ids (constants), their ``RULES``
(id, level, one line), the messages and the checks, with an example of each rule in
its docstring. A problem's rule id, the word in brackets at the end of its line, is
always one of :data:`RULES`:

>>> get("score-range")
Rule(id='score-range', level='error', description='every score (message, consistency, importance) is on the scale')
>>> len(RULES), len(BY_ID) == len(RULES)
(41, True)

The families, in the order they run on a file:

- :mod:`.yaml_source`: reading the file (syntax, encoding, size, nesting, aliases, tags…);
  applied by :mod:`journey_audit.audit.yamlsource`.
- :mod:`.structure`: keys and types, walking :mod:`journey_audit.audit.format_spec`.
- :mod:`.values`: ids, dates, minimums, words from a list, links, invisible characters.
- the checks across fields of a structurally sound audit, :data:`AUDIT_CHECKS`:
  :mod:`.scale`, :mod:`.ids`, :mod:`.consistency`, :mod:`.ratings`, :mod:`.moment_of_truth`,
  :mod:`.funnel`, :mod:`.previous`, :mod:`.followup`, :mod:`.segments`, :mod:`.template_text`.
- :mod:`.portfolio`: across files, applied by :mod:`journey_audit.audit.portfolio`.

:mod:`journey_audit.audit.validate` is the driver that runs them.
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Audit
from . import (
    consistency,
    copied,
    followup,
    funnel,
    ids,
    moment_of_truth,
    portfolio,
    previous,
    ratings,
    scale,
    segments,
    structure,
    template_text,
    values,
    yaml_source,
)
from .rule import Report, Rule

FAMILIES = (yaml_source, structure, values, scale, ids, consistency, ratings, moment_of_truth, funnel, previous,
            followup, segments, template_text, portfolio, copied)

#: The registry: every rule of every family, in the order the families run.
RULES: tuple[Rule, ...] = tuple(rule for family in FAMILIES for rule in family.RULES)
BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}

#: The checks across fields, in order, run on an audit whose structure is sound. A check
#: that returns False ends the run: the scale is not a scale, so no score can be judged.
AUDIT_CHECKS: tuple[Callable[[Report, Audit], bool | None], ...] = (
    scale.usable, scale.check, ids.check, consistency.check, ratings.check, moment_of_truth.check, funnel.check,
    previous.check, followup.check, segments.check, template_text.check)


def get(rule_id: str) -> Rule:
    """The registered rule of this id; KeyError naming the known ids when there is none."""
    try:
        return BY_ID[rule_id]
    except KeyError:
        raise KeyError(f"no validation rule '{rule_id}'; the rules are {', '.join(BY_ID)}") from None
