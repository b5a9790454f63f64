"""Reading the gates file, ``journey-audit.gates.yaml`` at the top of the project
(``journey-audit check --config`` names another)::

    gates:
      - rule: moment-of-truth   # a rule of figures/gates/rules/, with its parameters
        min: 3
        level: error            # error (default): fails the check | warn: only reported

Mistakes are problems that point at their line in the file, like an audit's.

>>> gates, problems = parse_gates("gates:\\n  - rule: overall\\n    min: 3.5\\n", "g.yaml")
>>> gates[0].rule, gates[0].level, gates[0].params, problems
('overall', 'error', {'min': 3.5, 'figure': 'score'}, [])
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any, Callable

from ...audit.format_spec import SLUG_PATTERN
from ...audit.problems import ERROR, Problem, did_you_mean
from ...audit.yamlsource import Node, parse_text, read_file
from ...errors import AuditError
from . import rules
from .model import LEVELS, Gate

DEFAULT_CONFIG = "journey-audit.gates.yaml"

Complain = Callable[[Node, str], None]


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
    """Gates from the text of a config file, named ``display`` in problems."""
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


def _gate(item: Node, path: str, err: Complain) -> Gate | None:
    ids = ", ".join(rules.IDS)
    if item.kind != "map" or "rule" not in item.value:
        err(item, f"each gate needs 'rule:', one of {ids}")
        return None
    rule_node = item["rule"]
    rule = rule_node.value
    if rule not in rules.IDS:
        err(rule_node, f"unknown rule '{rule_node.text}'; use one of {ids}"
                       f"{did_you_mean(str(rule_node.text), rules.IDS)}")
        return None
    spec = rules.get(rule).PARAMS
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
        elif key not in spec:
            err(knode, f"rule '{rule}' has no setting '{key}'{did_you_mean(key, [*spec, 'level'])}; it takes "
                       f"{', '.join([*spec, 'level'])}")
            ok = False
        elif _param_ok(key, spec[key][0], vnode, err):
            params[key] = _ids(vnode) if spec[key][0] == "ids" else vnode.value
        else:
            ok = False
    for key, (_, default) in spec.items():
        if key not in params:
            if default is None and key not in item.value:
                err(item, f"rule '{rule}' needs '{key}:'")
                ok = False
            params[key] = default
    return Gate(rule, level, params, path, item.line) if ok else None


def _ids(vnode: Node) -> tuple[str, ...]:
    return tuple(n.value for n in vnode.value) if vnode.kind == "seq" else (vnode.value,)


def _param_ok(key: str, kind: Any, vnode: Node, err: Complain) -> bool:
    """Whether a parameter's value is of its kind (else says why)."""
    v = vnode.value
    if kind == "ids":  # a list of ids (or one id): metric ids, format 1.1
        items = v if vnode.kind == "seq" else [vnode]
        bad = [n for n in items if n.kind != "scalar" or not isinstance(n.value, str)
               or not re.fullmatch(SLUG_PATTERN, n.value)]
        if bad:
            err(bad[0], f"'{key}' must be a list of ids (lowercase letters, digits and hyphens), "
                        f"not '{getattr(bad[0], 'text', '')}'")
            return False
    elif kind == "number":
        if vnode.kind != "scalar" or isinstance(v, bool) or not isinstance(v, (int, float)) \
                or not math.isfinite(v) or v < 0:  # .nan and .inf are numbers to YAML, not to a gate
            err(vnode, f"'{key}' must be a number of 0 or more, not '{vnode.text}'")
            return False
    elif v not in kind:
        err(vnode, f"'{key}' must be one of {', '.join(kind)}, not '{vnode.text}'")
        return False
    return True
