"""The registry of validation rules (``journey_audit.audit.rules``) and the source agree.

Every rule id a problem can carry is registered, with its level and one line; every
registered rule is documented with an example in its family's docstring, and is
produced by a bad fixture (``tests/fixtures/bad/``) or, for the few a small file
cannot show, by a case here.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path
from typing import Any

import pytest

from journey_audit.audit import rules
from journey_audit.audit.portfolio import load_portfolio
from journey_audit.audit.problems import ERROR, WARNING, Problem
from journey_audit.audit.starter import starter_text
from journey_audit.audit.validate import validate_text
from journey_audit.audit.yamlsource import MAX_BYTES, MAX_DEPTH

from conftest import BAD

PACKAGE = Path(rules.__file__).resolve().parents[2]  # generator/journey_audit

# Problem rule ids that are not validation rules: other commands' own problems.
NOT_VALIDATION = {
    "fmt": "journey-audit fmt would not write its result (audit/fmt.py)",
    "gates-config": "the gates file cannot be read (figures/gates/)",
}
# Where a rule id is built from data rather than named: the gates' "gate <rule>".
BUILT_IDS_ALLOWED_IN = ("figures/gates/",)
# The modules that report validation problems: every id in them is a constant of a rule family.
CONSTANTS_ONLY = ("audit/validate.py", "audit/yamlsource.py", "audit/portfolio.py", "audit/rules/")

# Registered ids that no file in tests/fixtures/bad produces, each shown by a case below.
NOT_IN_BAD_FIXTURES = {"io", "file-size", "nesting", "key", "no-audits", "unique-slug", "copied-text",
                       "template-text"}


# -- the registry -------------------------------------------------------------------

def test_one_registry_of_unique_ids():
    ids = [r.id for r in rules.RULES]
    assert len(ids) == len(set(ids)) == len(rules.BY_ID)
    for rule in rules.RULES:
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", rule.id), rule
        assert rule.level in (ERROR, WARNING), rule
        assert rule.description and "\n" not in rule.description and len(rule.description) < 110, rule
        assert rules.get(rule.id) is rule


def test_unknown_id_names_the_known_ones():
    with pytest.raises(KeyError, match="no validation rule 'scor-range'; the rules are io, "):
        rules.get("scor-range")


def test_each_family_owns_its_ids_as_constants_and_documents_each_with_an_example():
    for family in rules.FAMILIES:
        constants = {v for k, v in vars(family).items() if k.isupper() and isinstance(v, str)}
        doc = family.__doc__ or ""
        headers = [ln for ln in doc.splitlines() if ln in {r.id for r in family.RULES}]
        assert headers == [r.id for r in family.RULES], family.__name__  # one section per rule, in order
        for rule in family.RULES:
            assert rule.id in constants, (family.__name__, rule.id)
            section = doc.split(f"\n{rule.id}\n", 1)[1]
            later = [f"\n{h}\n" for h in headers[headers.index(rule.id) + 1:]]
            section = section.split(later[0])[0] if later else section
            assert ">>>" in section or "::" in section, f"{family.__name__}: no example for {rule.id}"


# -- every id in the source is registered --------------------------------------------

def _rule_arg(call: ast.Call) -> ast.expr | None:
    """The expression giving the rule id of a problem made by ``call``, if it makes one."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    if name == "Problem":
        kw = [k.value for k in call.keywords if k.arg == "rule"]
        return call.args[5] if len(call.args) >= 6 else kw[0] if kw else None
    if isinstance(func, ast.Attribute) and name in ("error", "warn", "error_at", "warn_at") and len(call.args) == 4:
        return call.args[3]  # Report.error(line, col, message, rule) and the like
    if isinstance(func, ast.Attribute) and name == "fail" and len(call.args) == 3:
        return call.args[2]  # yamlsource's _Builder.fail(event, message, rule)
    return None


def rule_ids_in_source(package: Path) -> tuple[dict[str, list[str]], list[str], list[str]]:
    """(id → where it is used, literal ids in CONSTANTS_ONLY modules, ids built from data) of every problem made."""
    used: dict[str, list[str]] = {}
    literal: list[str] = []
    built: list[str] = []
    for path in sorted(package.rglob("*.py")):
        rel = path.relative_to(package).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        module: Any = None
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            expr = _rule_arg(call)
            if expr is None:
                continue
            where = f"{rel}:{call.lineno}"
            if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
                used.setdefault(expr.value, []).append(where)
                if rel.startswith(CONSTANTS_ONLY):
                    literal.append(f"{where}: '{expr.value}'")
                continue
            if isinstance(expr, ast.Name) and expr.id in _parameters(call, parents):
                continue  # a helper passing on its caller's id: the caller is checked
            if isinstance(expr, (ast.Name, ast.Attribute)):
                module = module or importlib.import_module("journey_audit." + ".".join(path.with_suffix("")
                                                                                      .relative_to(package).parts))
                used.setdefault(eval(ast.unparse(expr), vars(module)), []).append(where)
                continue
            built.append(f"{where}: {ast.unparse(expr)}")
    return used, literal, built


def _parameters(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> set[str]:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            a = node.args
            return {p.arg for p in a.posonlyargs + a.args + a.kwonlyargs}
    return set()


def test_every_rule_id_a_problem_can_carry_is_registered():
    used, literal, built = rule_ids_in_source(PACKAGE)
    unknown = {i: where for i, where in used.items() if i not in rules.BY_ID and i not in NOT_VALIDATION}
    assert unknown == {}
    assert literal == [], "validation modules name rule ids by their family's constants"
    assert [b for b in built if not b.startswith(BUILT_IDS_ALLOWED_IN)] == []
    # and no rule is registered that nothing reports
    assert set(rules.BY_ID) - set(used) == set()


def test_the_source_walk_catches_an_unregistered_id(tmp_path):
    (tmp_path / "audit").mkdir()
    (tmp_path / "audit" / "probe.py").write_text(
        "def f(report, node, rule):\n"
        "    report.error(node.line, node.col, 'x', 'scor-range')\n"
        "    report.warn(1, 1, 'x', rule)\n"
        "    return Problem('a', 1, 1, 'error', 'x', f'built {node}')\n")
    used, literal, built = rule_ids_in_source(tmp_path)
    assert used == {"scor-range": ["audit/probe.py:2"]} and literal == []
    assert built == ["audit/probe.py:4: f'built {node}'"]


# -- every registered rule is produced ----------------------------------------------

def _bad_fixture_problems(monkeypatch: pytest.MonkeyPatch) -> list[Problem]:
    monkeypatch.chdir(BAD)
    found = [p for f in sorted(BAD.glob("*.yaml")) for p in load_portfolio([Path(f.name)]).problems]
    monkeypatch.chdir(BAD / "previous-other-client")
    return found + load_portfolio([Path(".")]).problems


def _other_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minimal_text: str) -> list[Problem]:
    """The rules a small bad file cannot show (sizes, depths, missing paths, several files)."""
    found = validate_text("#" * (MAX_BYTES + 1), "a.yaml")[1]
    found += validate_text("".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)), "a.yaml")[1]
    found += validate_text("? [a]\n: b\n", "a.yaml")[1]
    # a final audit made by `new` whose summary is still the template's instruction
    starter = starter_text("acme-2026", "Acme").replace("status: draft", "status: final", 1)
    found += validate_text(starter, "acme-2026.yaml", "acme-2026")[1]
    found += load_portfolio([tmp_path / "missing"]).problems
    for client in ("one", "two"):
        (tmp_path / client).mkdir()
        (tmp_path / client / "acme.yaml").write_text(minimal_text, encoding="utf-8")
    found += load_portfolio([tmp_path / "one", tmp_path / "two"]).problems
    copy = minimal_text + "summary: We call every new buyer back within one working day.\n"  # two clients: a copy
    for client in ("three", "four"):
        (tmp_path / client).mkdir()
        (tmp_path / client / f"{client}.yaml").write_text(copy + f"client_id: {client}\n", encoding="utf-8")
    found += load_portfolio([tmp_path / "three", tmp_path / "four"]).problems
    monkeypatch.chdir(tmp_path)  # no audits/ folder here
    return found + load_portfolio().problems


def test_every_registered_rule_is_produced_at_its_level(tmp_path, monkeypatch, minimal_text):
    from_fixtures = _bad_fixture_problems(monkeypatch)
    others = _other_cases(tmp_path, monkeypatch, minimal_text)
    produced = {p.rule for p in from_fixtures + others}
    assert produced == set(rules.BY_ID)
    assert set(rules.BY_ID) - {p.rule for p in from_fixtures} == NOT_IN_BAD_FIXTURES
    for p in from_fixtures + others:
        # `previous` is an error, except a previous round dated after this one: a warning.
        assert p.level == rules.get(p.rule).level or (p.rule, p.level) == ("previous", WARNING), p.format()
