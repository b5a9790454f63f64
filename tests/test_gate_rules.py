"""Every score-gate rule is one module of ``figures/gates/rules/``, registered in one
list: these tests hold each registered rule to what that package's docstring asks of
it, so a new rule cannot be half-written (no wording in one of the site's languages,
an example the config reader refuses, an id another rule has)."""

from __future__ import annotations

import datetime as dt
import inspect
from pathlib import Path
from types import ModuleType

import pytest

from journey_audit.figures.gates import Gate, evaluate, parse_gates, rules
from journey_audit.figures.gates.model import Context, Found, GateResult
from journey_audit.audit.validate import validate_text
from journey_audit.site.sitegen import LANGUAGES

RULES = rules.RULES
ids = [rule.ID for rule in RULES]


def test_every_rule_module_is_registered():
    folder = Path(rules.__file__).parent
    modules = {p.stem for p in folder.glob("*.py")} - {"__init__", "common"}
    assert modules == {rule.__name__.rsplit(".", 1)[1] for rule in RULES}


def test_ids_are_unique_and_every_rule_is_found_by_its_id():
    assert len(set(ids)) == len(ids)
    assert all(rules.get(rule.ID) is rule for rule in RULES)
    assert ids == list(rules.IDS)


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_a_rule_has_its_id_parameters_and_functions(rule: ModuleType):
    assert isinstance(rule.ID, str) and rule.ID and rule.ID == rule.ID.strip().lower()
    assert isinstance(rule.PARAMS, dict) and "level" not in rule.PARAMS and "rule" not in rule.PARAMS
    for name, (kind, default) in rule.PARAMS.items():
        assert kind in ("number", "ids") or (isinstance(kind, tuple) and kind and all(isinstance(k, str) for k in kind)), name
        assert default is None or (kind == "number" and isinstance(default, (int, float))) or (
            kind == "ids" and default == ()) or default in kind, name
    for name, arity in (("describe", 2), ("check", 2), ("found", 2)):
        assert callable(getattr(rule, name, None)), name
        assert len(inspect.signature(getattr(rule, name)).parameters) == arity, name


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_a_rule_has_a_docstring_whose_example_the_config_accepts(rule: ModuleType):
    doc = inspect.getdoc(rule)
    assert doc and doc.startswith(f"{rule.ID}: "), "the docstring starts with the id and what the rule checks"
    for name in rule.PARAMS:
        assert f"``{name}``" in doc, f"the docstring explains '{name}'"
    example = rules.example(rule)
    gates, problems = parse_gates(example, f"{rule.ID} example")
    assert problems == [] and gates, [p.format() for p in problems]
    assert {g.rule for g in gates} == {rule.ID}
    assert all(set(g.params) == set(rule.PARAMS) for g in gates)


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_a_rule_has_its_wording_in_every_language_of_the_site(rule: ModuleType):
    assert {"rule", "skip"} <= set(rule.WORDS)
    for key, entry in rule.WORDS.items():
        assert set(entry) >= set(LANGUAGES), f"{rule.ID}: '{key}' in {', '.join(LANGUAGES)}"
        assert all(isinstance(entry[lang], str) and entry[lang].strip() for lang in LANGUAGES), key
    gates, _ = parse_gates(rules.example(rule))
    for lang in LANGUAGES:
        sentence = gates[0].sentence(lang)
        assert sentence and "{" not in sentence, (lang, sentence)
    assert gates[0].describe()[:1].islower()


def test_a_language_the_rules_do_not_speak_falls_back_to_english():
    gate = Gate("overall", "warn", {"min": 3.5, "figure": "score"})
    assert gate.sentence("fr") == gate.sentence(None) == gate.sentence("en")
    assert gate.sentence("en") == "The audit's overall score is at least 3.5"


AUDIT = """
title: T
client: C
date: 2026-01-01
involvement: low
core_messages: [{id: q, text: Quality}]
stages: [{id: s, name: Search, touchpoints: [{id: fair, name: Fair, channel: event, moment_of_truth: true,
          message: {intended: Range, score: 4}, consistency: {q: 3},
          recommendations: [{text: Fix it, priority: low, due: 2026-01-05}]}]}]
"""


@pytest.mark.parametrize("rule", RULES, ids=ids)
def test_a_rule_checks_and_words_every_result(rule: ModuleType):
    """On a small audit, with and without a previous round: every result of the example
    gates is worded in every language, from its own values."""
    audit, problems = validate_text(AUDIT, "a.yaml", "a")
    assert audit is not None, problems
    gates, _ = parse_gates(rules.example(rule))
    for previous in (None, audit):
        for today in (dt.date(2026, 1, 1), dt.date(2026, 2, 1)):
            results = evaluate(audit, gates, previous, today)
            assert results and all(isinstance(r, GateResult) and r.gate is gates[0] for r in results)
            for r in results:
                assert r.outcome in ("pass", "fail", "skip") and r.message and r.path == "a.yaml"
                assert (r.subject is None) == (r.subject_kind is None), "a subject says what it is"
                for lang in LANGUAGES:
                    found = r.found(lang)
                    assert isinstance(found, Found) and found.text and "{" not in found.text


def test_a_result_carries_its_values_as_values():
    audit, _ = validate_text(AUDIT, "a.yaml", "a")
    gates, _ = parse_gates("gates: [{rule: past-due, priority: low}, {rule: stage-drop, max_drop: 0},"
                           " {rule: moment-of-truth, min: 3, figure: consistency}]")
    due, drop, mot = evaluate(audit, gates, audit, dt.date(2026, 1, 7))
    assert due.facts["due"] == dt.date(2026, 1, 5) and due.facts["days_late"] == 2 and due.facts["item"] == "Fix it"
    assert due.found("zh") == Found("期限 2026-01-05，已逾期 2 天", "Fix it")
    assert (drop.subject_kind, drop.subject_name, drop.facts["change"]) == ("stage", "Search", 0)
    assert (mot.subject_kind, mot.subject_name, mot.facts["figure"]) == ("touchpoint", "Fair", 3)


def test_a_context_makes_results_for_its_audit():
    audit, _ = validate_text(AUDIT, "a.yaml", "a")
    from journey_audit.figures.scoring import compute
    ctx = Context(audit, compute(audit), None, None, dt.date(2026, 1, 1))
    gate = Gate("overall", "error", {"min": 1, "figure": "score"})
    assert ctx.result(gate, "pass", "ok").path == "a.yaml"
