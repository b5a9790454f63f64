"""The score-gate rules, one module each, registered in :data:`RULES`.

A rule module holds everything about its rule (like yamllint's ``rules/``):

- its docstring: ``<id>: what it checks``, then how, its parameters, and an
  ``Example::`` block, a gates file that uses it (the tests load it with
  :func:`~journey_audit.figures.gates.parse_gates`);
- ``ID``: the name a gates file gives it (``rule: stage-drop``);
- ``PARAMS``: parameter → ``(kind, default)``; a kind is ``"number"`` (0 or more), ``"ids"`` (a list of ids, default ``()``) or a
  tuple of the words allowed, a default of None makes the parameter required
  (``level`` is every rule's, see :mod:`..config`);
- ``WORDS``: its wording in each language of the site (``zh`` and ``en``): at least
  ``rule`` (the gate as a sentence, with its parameters as ``{name}``) and ``skip``
  (why nothing was checked);
- ``describe(params, lang)``: the gate as a sentence in ``lang``;
- ``check(gate, ctx)``: its :class:`~..model.GateResult` s for the audit of a
  :class:`~..model.Context`, one per thing checked (or a skip), each with its line in
  the audit, an English message for ``journey-audit check``, what it is about
  (``subject``, ``subject_kind``: ``touchpoint`` is linked on the page, ``stage`` is
  not, ``subject_name``) and its values as values (``facts``);
- ``found(result, lang)``: what a result found, in ``lang``, as the audit page shows it
  (:class:`~..model.Found`: a text, and an item's text to show after it).

The page (:mod:`journey_audit.site.page_gates`) renders any rule from these alone.

Shared pieces (the figures a rule can name, comparing as shown) are in :mod:`.common`.

**Adding a rule** is one new module here (copy the closest rule) and registering it
below: import it and list it in :data:`RULES`, whose order is the order messages list
the rules in. Nothing else changes: the config reader, ``journey-audit check`` and the
page take a rule's parameters, checks and words from its module.
``tests/test_gate_rules.py`` checks that every module here is registered and that every
registered rule has what is above.

>>> [rule.ID for rule in RULES]
['moment-of-truth', 'overall', 'stage-drop', 'past-due', 'follow-through', 'metric-target', 'auditor-agreement']
>>> print(example(get("overall")))
gates:
  - rule: overall
    min: 3.5
    figure: score
    level: warn
"""

from __future__ import annotations

import textwrap
from types import ModuleType

from . import (
    auditor_agreement,
    follow_through,
    metric_target,
    moment_of_truth,
    overall,
    past_due,
    stage_drop,
)

RULES: list[ModuleType] = [
    moment_of_truth,
    overall,
    stage_drop,
    past_due,
    follow_through,
    metric_target,
    auditor_agreement,
]

_BY_ID = {rule.ID: rule for rule in RULES}
IDS = tuple(_BY_ID)


def get(rule_id: str) -> ModuleType:
    """The rule module of ``rule_id``; KeyError for an unknown one."""
    return _BY_ID[rule_id]


def example(rule: ModuleType) -> str:
    """The gates file of a rule's ``Example::`` block (its indented lines, dedented)."""
    doc = rule.__doc__ or ""
    if "Example::" not in doc:
        return ""
    lines = []
    for line in doc.split("Example::", 1)[1].splitlines()[1:]:
        if line.strip() and not line.startswith(" "):
            break
        lines.append(line)
    return textwrap.dedent("\n".join(lines)).strip("\n")
