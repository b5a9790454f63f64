"""Score gates: thresholds an audit must meet, so CI can fail on a regression.

The gates live in ``journey-audit.gates.yaml`` at the top of the project (``journey-audit
check --config`` names another file)::

    gates:
      - rule: moment-of-truth   # every moment of truth scores at least `min`
        min: 3
        figure: message         # message (default) | consistency | score
        level: error            # error (default): fails the check | warn: only reported
      - rule: overall           # the audit's overall figure is at least `min`
        min: 3.5
        figure: score           # score (default) | message | consistency
        level: warn
      - rule: stage-drop        # no stage falls more than `max_drop` since the previous round
        max_drop: 0.5
        figure: consistency     # consistency (default) | score | message
      - rule: past-due          # no open recommendation of this priority (or higher) is past its due date
        priority: high          # high (default) | medium | low

Each rule is a module of :mod:`.rules` (what it checks, its parameters, its wording in
the site's languages); :mod:`.config` reads the file, :mod:`.check` runs the rules,
:mod:`.model` holds what they share. Figures are compared *as shown* (one decimal,
:func:`~journey_audit.figures.scoring.round1`), so a gate never fails on a figure the
pages show as meeting it.

>>> gates, problems = parse_gates("gates:\\n  - rule: overall\\n    min: 3.5\\n", "g.yaml")
>>> gates[0].rule, gates[0].level, gates[0].params, problems
('overall', 'error', {'min': 3.5, 'figure': 'score'}, [])
"""

from __future__ import annotations

from . import rules
from .check import check_audits, evaluate, latest_rounds
from .config import DEFAULT_CONFIG, load_gates, parse_gates
from .model import LEVELS, Context, Found, Gate, GateResult
from .rules import RULES
from .rules.common import FIGURE_WORDS, FIGURES
from .rules.past_due import PRIORITIES

__all__ = ["DEFAULT_CONFIG", "FIGURES", "LEVELS", "PRIORITIES", "RULES", "Context", "Found", "Gate", "GateResult",
           "check_audits", "evaluate", "latest_rounds", "load_gates", "parse_gates", "rules", "words"]


def words() -> list[str]:
    """Every text of every rule's wording, in every language (what a site may show).

    >>> "No stage in common with the previous round." in words()
    True
    """
    return [text for rule in RULES for entry in rule.WORDS.values() for text in entry.values()] + [
        text for entry in FIGURE_WORDS.values() for text in entry.values()]
