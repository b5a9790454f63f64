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

Figures are compared *as shown* (one decimal, :func:`scoring.round1`), so a gate
never fails on a figure the pages show as meeting it. ``stage-drop`` compares
stages by id with the audit named in ``previous``; without one it is skipped.
``past-due`` counts a recommendation as late from the day after its ``due`` date.

>>> gates, problems = parse_gates("gates:\\n  - rule: overall\\n    min: 3.5\\n", "g.yaml")
>>> gates[0].rule, gates[0].level, gates[0].params, problems
('overall', 'error', {'min': 3.5, 'figure': 'score'}, [])
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .model import Audit
from .problems import ERROR, WARNING, AuditError, Problem, did_you_mean
from .scoring import compute, delta, fmt, fmt_delta, round1
from .yamlsource import Node, parse_text, read_file

DEFAULT_CONFIG = "journey-audit.gates.yaml"
LEVELS = ("error", "warn")
PRIORITIES = ("high", "medium", "low")  # most urgent first
_FIGURES = ("message", "consistency", "score")

# rule → parameter → (kind, default; None: required). Kinds: "number" or a tuple of words.
RULES: dict[str, dict[str, tuple[Any, Any]]] = {
    "moment-of-truth": {"min": ("number", None), "figure": (_FIGURES, "message")},
    "overall": {"min": ("number", None), "figure": (_FIGURES, "score")},
    "stage-drop": {"max_drop": ("number", None), "figure": (_FIGURES, "consistency")},
    "past-due": {"priority": (PRIORITIES, "high")},
}


@dataclass(frozen=True)
class Gate:
    """One rule from the config, with its parameters (defaults filled in)."""

    rule: str
    level: str  # "error" or "warn"
    params: dict[str, Any]
    path: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)

    def describe(self) -> str:
        """The gate in words, e.g. "every moment of truth scores at least 3 on message".

        >>> Gate("stage-drop", "error", {"max_drop": 0.5, "figure": "consistency"}).describe()
        'no stage drops more than 0.5 on consistency since the previous round'
        """
        p = self.params
        if self.rule == "moment-of-truth":
            return f"every moment of truth scores at least {p['min']} on {p['figure']}"
        if self.rule == "overall":
            return f"the audit's {_figure_word(p['figure'])} is at least {p['min']}"
        if self.rule == "stage-drop":
            return f"no stage drops more than {p['max_drop']} on {p['figure']} since the previous round"
        return f"no {_priority_words(p['priority'])} recommendation is past its due date"


@dataclass(frozen=True)
class GateResult:
    """The outcome of one gate for one thing it checks (a touchpoint, a stage, …).

    ``outcome`` is ``pass``, ``fail`` or ``skip`` (nothing to check, e.g. no previous
    round). ``line``/``col`` point into the audit where a line makes sense (the
    score, the stage, the due date), else they are None. ``value`` and ``threshold``
    are the shown figure and the gate's limit, as text.
    """

    gate: Gate
    outcome: str
    message: str
    path: str
    line: int | None = None
    col: int | None = None
    subject: str | None = None  # touchpoint or stage id
    value: str | None = None
    threshold: str | None = None

    @property
    def failed(self) -> bool:
        return self.outcome == "fail"

    @property
    def level(self) -> str:
        """``error`` or ``warning``, as problems print it."""
        return ERROR if self.gate.level == "error" else WARNING

    def format(self, style: str = "text") -> str:
        """yamllint style, ``path:line:col: level: message (gate rule)``, without a line
        when none makes sense; a gate that passed or was skipped says so instead of a level.

        >>> g = Gate("overall", "warn", {"min": 3.5, "figure": "score"})
        >>> print(GateResult(g, "fail", "overall score 3.2 is below 3.5", "audits/a.yaml").format())
        audits/a.yaml: warning: overall score 3.2 is below 3.5 (gate overall)
        """
        level = self.level if self.failed else self.outcome
        if style == "github" and self.failed:
            if self.line is not None:
                return Problem(self.path, self.line, self.col or 1, level, self.message,
                               f"gate {self.gate.rule}").format(style)
            msg = self.message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
            return f"::{level} file={self.path},title=gate {self.gate.rule}::{msg}"
        where = self.path if self.line is None else f"{self.path}:{self.line}:{self.col or 1}"
        return f"{where}: {level}: {self.message} (gate {self.gate.rule})"


# -- reading the config ------------------------------------------------------------------

def load_gates(path: Path, display: str | None = None) -> tuple[list[Gate], list[Problem]]:
    """Gates from a config file; problems point at its lines."""
    shown = display or str(path)
    if not path.is_file():
        return [], [Problem(shown, 1, 1, ERROR, f"no gates file {shown}; write one (see {DEFAULT_CONFIG} in the "
                                                "journey-audit README) or name it with --config", "gates-config")]
    try:
        _, root = read_file(path, shown)
    except AuditError as exc:
        return [], exc.problems
    return _gates_from(root, shown)


def parse_gates(text: str, display: str = "<string>") -> tuple[list[Gate], list[Problem]]:
    try:
        root = parse_text(text, display)
    except AuditError as exc:
        return [], exc.problems
    return _gates_from(root, display)


def _gates_from(root: Node, path: str) -> tuple[list[Gate], list[Problem]]:
    problems: list[Problem] = []

    def err(node: Node, message: str) -> None:
        problems.append(Problem(path, node.line, node.col, ERROR, message, "gates-config"))

    if root.kind != "map" or "gates" not in root.value:
        err(root, "a gates file holds one key, 'gates:', with a list of rules (- rule: overall …)")
        return [], problems
    for key, (knode, _) in root.value.items():
        if key != "gates":
            err(knode, f"unknown key '{key}'; a gates file holds only 'gates:'")
    items = root["gates"]
    if items.kind != "seq":
        err(items, "'gates' must be a list of rules, each starting with '- rule: …'")
        return [], problems
    gates = []
    for item in items.value:
        gate = _gate(item, path, err)
        if gate is not None:
            gates.append(gate)
    return gates, problems


def _gate(item: Node, path: str, err: Any) -> Gate | None:
    if item.kind != "map" or "rule" not in item.value:
        err(item, f"each gate needs 'rule:', one of {', '.join(RULES)}")
        return None
    rule_node = item["rule"]
    rule = rule_node.value
    if rule not in RULES:
        err(rule_node, f"unknown rule '{rule_node.text}'; use one of {', '.join(RULES)}"
                       f"{did_you_mean(str(rule_node.text), RULES)}")
        return None
    spec = RULES[rule]
    params: dict[str, Any] = {}
    level = "error"
    ok = True
    for key, (knode, vnode) in item.value.items():
        if key == "rule":
            continue
        if key == "level":
            if vnode.value not in LEVELS:
                err(vnode, f"level must be error or warn, not '{vnode.text}'")
                ok = False
            else:
                level = vnode.value
            continue
        if key not in spec:
            err(knode, f"rule '{rule}' has no setting '{key}'{did_you_mean(key, [*spec, 'level'])}; it takes "
                       f"{', '.join([*spec, 'level'])}")
            ok = False
            continue
        kind = spec[key][0]
        v = vnode.value
        if kind == "number":
            if vnode.kind != "scalar" or isinstance(v, bool) or not isinstance(v, (int, float)) or v < 0:
                err(vnode, f"'{key}' must be a number of 0 or more, not '{vnode.text}'")
                ok = False
                continue
        elif v not in kind:
            err(vnode, f"'{key}' must be one of {', '.join(kind)}, not '{vnode.text}'")
            ok = False
            continue
        params[key] = v
    for key, (_, default) in spec.items():
        if key not in params:
            if default is None and key not in item.value:
                err(item, f"rule '{rule}' needs '{key}:'")
                ok = False
            params[key] = default
    return Gate(rule, level, params, path, item.line) if ok else None


# -- evaluating --------------------------------------------------------------------------

def _figure_word(figure: str) -> str:
    return "overall score" if figure == "score" else f"overall {figure}"


def _priority_words(priority: str) -> str:
    return {"high": "high-priority", "medium": "medium- or high-priority", "low": ""}[priority] or "open"


def _at_least(value: Any, minimum: float) -> bool:
    # As shown: one decimal, so "3.5" on the page meets a minimum of 3.5.
    return round1(value) >= Decimal(repr(minimum))


def evaluate(audit: Audit, gates: list[Gate], previous: Audit | None = None,
             today: dt.date | None = None) -> list[GateResult]:
    """Every gate's results for one audit, in the gates' order.

    ``previous`` is the audit named by ``audit.previous`` (for ``stage-drop``);
    ``today`` the date due dates are checked against (default: today).
    """
    today = today or dt.date.today()
    figures = compute(audit)
    prev_figures = compute(previous) if previous is not None else None
    out: list[GateResult] = []
    for gate in gates:
        p = gate.params

        def result(outcome: str, message: str, line: int | None = None, col: int | None = None,
                   subject: str | None = None, value: str | None = None, threshold: str | None = None) -> None:
            out.append(GateResult(gate, outcome, message, audit.path, line, col, subject, value, threshold))

        if gate.rule == "moment-of-truth":
            checked = [tp for _, tp in audit.touchpoints() if tp.moment_of_truth]
            for tp in checked:
                f = figures.touchpoints[tp.id]
                raw = p["figure"] == "message"
                value = tp.message.score if raw else getattr(f, p["figure"])
                shown = str(value) if raw else fmt(value)
                line, col = tp.message.at("score") if raw else (tp.line, tp.col)
                if _at_least(value, p["min"]):
                    result("pass", f"moment of truth '{tp.id}' ({tp.name}) scores {shown} on {p['figure']} "
                                   f"(minimum {p['min']})", line, col, tp.id, shown, str(p["min"]))
                else:
                    result("fail", f"moment of truth '{tp.id}' ({tp.name}) scores {shown} on {p['figure']}, below "
                                   f"the gate's minimum of {p['min']}", line, col, tp.id, shown, str(p["min"]))
            if not checked:
                result("skip", "no touchpoint is marked as a moment of truth")
        elif gate.rule == "overall":
            value = getattr(figures, p["figure"])
            word = _figure_word(p["figure"])
            if _at_least(value, p["min"]):
                result("pass", f"{word} {fmt(value)} (minimum {p['min']})", value=fmt(value), threshold=str(p["min"]))
            else:
                result("fail", f"{word} {fmt(value)} is below the gate's minimum of {p['min']}",
                       value=fmt(value), threshold=str(p["min"]))
        elif gate.rule == "stage-drop":
            if previous is None or prev_figures is None:
                why = f"previous audit '{audit.previous}' is not available" if audit.previous else \
                    "no previous round (the audit names no 'previous')"
                result("skip", why)
                continue
            limit = Decimal(repr(p["max_drop"]))
            compared = 0
            for stage in audit.stages:
                old = prev_figures.stages.get(stage.id)
                if old is None:
                    continue
                compared += 1
                a, b = getattr(old, p["figure"]), getattr(figures.stages[stage.id], p["figure"])
                d = delta(a, b)
                change = f"{fmt(a)} → {fmt(b)} ({fmt_delta(d)})"
                what = f"stage '{stage.id}' ({stage.name}): {p['figure']} {change} since '{previous.slug}'"
                if -d > limit:
                    result("fail", f"{what}, a drop of more than the gate's {p['max_drop']}", stage.line, stage.col,
                           stage.id, fmt_delta(d), f"-{p['max_drop']}")
                else:
                    result("pass", what, stage.line, stage.col, stage.id, fmt_delta(d), f"-{p['max_drop']}")
            if not compared:
                result("skip", f"no stage id in common with '{previous.slug}'")
        elif gate.rule == "past-due":
            urgent = PRIORITIES[:PRIORITIES.index(p["priority"]) + 1]
            checked = 0
            for _, tp in audit.touchpoints():
                for r in tp.recommendations:
                    if r.priority not in urgent or r.due is None:
                        continue
                    checked += 1
                    line, col = r.at("due")
                    late = (today - r.due).days
                    text = r.text if len(r.text) <= 60 else r.text[:59] + "…"
                    if late > 0:
                        result("fail", f"{r.priority}-priority recommendation for '{tp.id}' was due {r.due} "
                                       f"({late} day{'s' * (late != 1)} ago): {text}", line, col, tp.id,
                               r.due.isoformat(), today.isoformat())
                    else:
                        result("pass", f"{r.priority}-priority recommendation for '{tp.id}' is due {r.due}: {text}",
                               line, col, tp.id, r.due.isoformat(), today.isoformat())
            if not checked:
                result("skip", f"no {_priority_words(p['priority'])} recommendation has a due date")
    return out


def latest_rounds(audits: list[Audit]) -> list[Audit]:
    """The newest audit of each client (by date, then slug): the current state that
    gates guard. Earlier rounds are history; their recommendations were followed up
    in the next round."""
    latest: dict[str, Audit] = {}
    for a in sorted(audits, key=lambda a: (a.date, a.slug)):
        latest[a.client_id or ""] = a
    return sorted(latest.values(), key=lambda a: a.path)


def check_audits(audits: list[Audit], gates: list[Gate], today: dt.date | None = None,
                 all_rounds: bool = False) -> list[GateResult]:
    """Results of every gate for the latest round of each client (or every audit);
    ``stage-drop`` compares with the audit that ``previous`` names, when it is among ``audits``."""
    by_slug = {a.slug: a for a in audits}
    out: list[GateResult] = []
    for a in (sorted(audits, key=lambda a: a.path) if all_rounds else latest_rounds(audits)):
        out += evaluate(a, gates, by_slug.get(a.previous) if a.previous else None, today)
    return out
