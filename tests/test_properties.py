"""Property-based tests: whatever text comes in, the loader and the validator answer
with our own problems (a file, a line inside it, a message), never another exception.

Example counts are bounded so the module runs in a few seconds; the searches are
marked ``slow`` all the same (the quick loop, ``pytest -m "not slow"``, leaves them out).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey_audit.audit import format_spec as spec
from journey_audit.errors import AuditError
from journey_audit.audit.validate import validate_text
from journey_audit.audit.yamlsource import parse_text

from conftest import GOOD

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like YAML: indicators, indentation, tags, anchors, quotes, Chinese, controls.
YAMLISH = st.lists(
    st.one_of(
        st.sampled_from(list(":-?[]{},#&*!|>'\"%@`\n\t ") + ["  ", "- ", ": ", "\n  ", "---\n", "<<", "!!",
                                                            "~", "yes", "1:30", "2026-13-01", "展会", "\u202e"]),
        st.characters(codec="utf-8"),
    ),
    max_size=60,
).map("".join)

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=False), st.text(max_size=12))
KEYS = st.one_of(st.sampled_from(spec.AUDIT.names() + ["id", "name", "score", "message", "consistency"]),
                 st.text(max_size=8))
TREES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                      st.dictionaries(KEYS, inner, max_size=5)), max_leaves=25)


def assert_located(problems, text: str) -> None:
    # YAML (and libyaml's marks) break lines at \r\n, \r, \n, NEL and the Unicode line separators.
    last_line = len(re.split("\r\n|[\r\n\x85\u2028\u2029]", text))
    for p in problems:
        assert p.level in ("error", "warning") and p.message and p.rule
        assert 1 <= p.line <= last_line and p.col >= 1, p.format()


def assert_only_our_errors(text: str) -> None:
    try:
        parse_text(text, "fuzz.yaml")
    except AuditError as exc:
        assert exc.problems
        assert_located(exc.problems, text)
    audit, problems = validate_text(text, "fuzz.yaml", "fuzz")  # must not raise
    assert audit is not None or any(p.level == "error" for p in problems)
    assert_located(problems, text)


@FAST
@given(YAMLISH)
@pytest.mark.slow
def test_random_yamlish_text(text):
    assert_only_our_errors(text)


@FAST
@given(TREES)
@pytest.mark.slow
def test_random_structures_dumped_to_yaml(tree):
    assert_only_our_errors(yaml.safe_dump(tree, allow_unicode=True, sort_keys=False))


@FAST
@given(TREES)
@pytest.mark.slow
def test_random_structures_in_flow_style(tree):
    assert_only_our_errors(yaml.safe_dump(tree, allow_unicode=True, default_flow_style=True, width=60))


# -- mutating a valid audit ----------------------------------------------------------

RICH = parse_text((GOOD / "rich.yaml").read_text(encoding="utf-8"), "rich.yaml").plain()


def _spec_of(kind: Any, key: Any) -> Any:
    """The kind of the value under ``key`` of a value of ``kind`` (None when free-form)."""
    if type(kind) is spec.Obj:
        f = kind.get(key)
        return f.kind if f else None
    if type(kind) is spec.ListOf:
        return kind.item
    if type(kind) is spec.MapOf:
        return kind.value
    return None


def key_paths(data: Any, kind: Any = spec.AUDIT, path: tuple = ()) -> list[tuple[tuple, bool]]:
    """Every (path to a mapping key, whether the format requires that key)."""
    out = []
    if isinstance(data, dict):
        for k, v in data.items():
            required = type(kind) is spec.Obj and kind.get(k) is not None and kind.get(k).required
            out.append(((*path, k), required))
            out.extend(key_paths(v, _spec_of(kind, k), (*path, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(key_paths(v, _spec_of(kind, i), (*path, i)))
    return out


PATHS = key_paths(RICH)


def mutated(path: tuple, change) -> dict:
    import copy

    data = copy.deepcopy(RICH)
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    change(parent, path[-1])
    return data


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def test_mutation_targets_cover_the_format():
    required = {p[-1] for p, r in PATHS if r}
    assert {"title", "stages", "touchpoints", "intended", "score", "consistency", "text", "priority"} <= required
    assert len(PATHS) > 80


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(PATHS))
@pytest.mark.slow
def test_dropping_a_key(target):
    path, required = target
    text = dump(mutated(path, lambda parent, key: parent.pop(key)))
    audit, problems = validate_text(text, "rich.yaml", "rich")
    assert_located(problems, text)
    if required or path[-2:-1] == ("consistency",):  # every core message must be scored
        assert audit is None and any(p.level == "error" for p in problems), path


@settings(max_examples=120, deadline=None)
@given(st.sampled_from(PATHS), st.sampled_from([[["nested"]], {"x": {"y": 1}}, "", "1:30"]))
@pytest.mark.slow
def test_changing_a_type(target, value):
    path, _ = target
    text = dump(mutated(path, lambda parent, key: parent.__setitem__(key, value)))
    audit, problems = validate_text(text, "rich.yaml", "rich")
    assert_located(problems, text)
    # No field of the format takes a list of lists or a nested mapping, nor empty text;
    # "1:30" (a number in YAML 1.1) is fine as free text or a relative link, never as a number.
    if not (value == "1:30" and type(_kind_at(path)) in (spec.Text, spec.Url)):
        assert audit is None, (path, value)
        assert any(p.level == "error" for p in problems)


def _kind_at(path: tuple) -> Any:
    kind = spec.AUDIT
    for step in path:
        kind = _spec_of(kind, step)
    return kind


def test_unchanged_rich_audit_round_trips():
    # The mutations start from an audit that is still valid after a dump by PyYAML.
    audit, problems = validate_text(dump(RICH), "rich.yaml", "rich")
    assert problems == [] and audit is not None
