"""The exported JSON Schema: valid draft 2020-12, committed as the command prints it,
accepting every real audit and rejecting structural mistakes, like the validator.

Audits are read with our own loader (YAML 1.2 values: ``no`` is text, dates are
strings), which is what the YAML language server in an editor sees too.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from journey_audit.cli import main
from journey_audit.audit.schema import audit_schema
from journey_audit.audit.validate import validate_file
from journey_audit.audit.yamlsource import read_file

from conftest import BAD, GOOD
from shipped import REPO, example_audit_names

COMMITTED = REPO / "schema" / "audit.schema.json"
FORMAT_PAGE = REPO.parent / "shared" / "audit-format.md"
# The example audits as the commit ships them, and the good fixtures.
ACCEPTED = [("example", name) for name in example_audit_names()] + \
    [("good", p.name) for p in sorted(GOOD.glob("*.yaml"))]


@pytest.fixture(scope="module")
def checker() -> Draft202012Validator:
    return Draft202012Validator(audit_schema())


def data_of(path: Path):
    _, root = read_file(path)
    return root.plain()


def errors(checker: Draft202012Validator, data) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.validator}" for e in checker.iter_errors(data)]


def test_schema_is_valid_draft_2020_12():
    schema = audit_schema()
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_committed_schema_is_what_the_command_prints(capsys):
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert COMMITTED.read_text(encoding="utf-8") == printed, \
        "schema/audit.schema.json is stale: run `journey-audit schema -o schema/audit.schema.json`"
    assert json.loads(printed) == audit_schema()


def test_schema_keeps_chinese_readable():
    assert "接触点审计" in COMMITTED.read_text(encoding="utf-8")


@pytest.mark.parametrize("where, name", ACCEPTED, ids=[Path(name).name for _, name in ACCEPTED])
def test_accepts_every_example_and_good_audit(checker, where, name, request):
    path = (request.getfixturevalue("example_audits") if where == "example" else GOOD) / name
    assert errors(checker, data_of(path)) == []


def test_accepts_the_example_on_the_format_page(checker):
    if not FORMAT_PAGE.is_file():
        pytest.skip("the format page is not next to this checkout")
    from journey_audit.audit.yamlsource import parse_text

    block = re.search(r"```yaml\n(.*?)```", FORMAT_PAGE.read_text(encoding="utf-8"), re.S).group(1)
    assert errors(checker, parse_text(block, "format-page").plain()) == []


# Mistakes the schema catches as well as the validator: (fixture, where, which keyword).
STRUCTURAL = [
    # (the schema cannot know `chanel` was meant as `channel`, so it also misses `channel`)
    ("unknown-key.yaml", "stages/0/touchpoints/0: additionalProperties"),
    ("text-for-number.yaml", "stages/0/touchpoints/0/message/score: type"),
    ("list-for-mapping.yaml", "stages/0/touchpoints/0/message: type"),
    ("yes-bool.yaml", "stages/0/touchpoints/0/moment_of_truth: type"),
    ("norway.yaml", "language: enum"),
    ("quoted-score.yaml", "stages/0/touchpoints/0/message/score: type"),
    ("sexagesimal.yaml", "stages/1/touchpoints/0/importance: type"),
    ("bad-enum.yaml", "stages/1/touchpoints/0/channel: enum"),
    ("missing-required.yaml", ": required"),
    ("bad-slug-id.yaml", "stages/1/id: pattern"),
    ("negative-prospects.yaml", "stages/0/prospects: minimum"),
    ("javascript-url.yaml", "stages/0/touchpoints/0/evidence/0/url: pattern"),
]


@pytest.mark.parametrize("name, expected", STRUCTURAL, ids=[s[0] for s in STRUCTURAL])
def test_rejects_structural_mistakes(checker, name, expected):
    assert expected in errors(checker, data_of(BAD / name))
    assert validate_file(BAD / name)[0] is None  # the validator agrees


@pytest.mark.parametrize("old, new, expected", [
    ("involvement: low", "involvement: low\nconsistency: 3", ": additionalProperties"),
    ("date: 2026-01-15", "date: 15.01.2026", "date: pattern"),
    ("stages:\n", "stages: []\nx:\n", ": additionalProperties"),
    ("        consistency:\n          quality: 4", "        consistency: {}",
     "stages/0/touchpoints/0/consistency: minProperties"),
    ("          quality: 4", "          Quality: 4", "stages/0/touchpoints/0/consistency: pattern"),
    ("    name: Search\n", "", "stages/0: required"),
])
def test_rejects_other_mistakes(checker, minimal_text, old, new, expected):
    from journey_audit.audit.yamlsource import parse_text

    assert expected in errors(checker, parse_text(minimal_text.replace(old, new)).plain())


def test_leaves_cross_field_rules_to_the_validator(checker):
    # A score off the audit's own scale, or a core message not scored: only `journey-audit validate` knows.
    for name in ("score-off-scale.yaml", "missing-core-message.yaml", "duplicate-touchpoint-id.yaml"):
        assert errors(checker, data_of(BAD / name)) == []
        assert validate_file(BAD / name)[0] is None


def test_empty_optional_fields_are_accepted_by_both(checker, minimal_text):
    from journey_audit.audit.validate import validate_text
    from journey_audit.audit.yamlsource import parse_text

    text = minimal_text.replace("involvement: low", "involvement: low\nindustry:\nlanguage: ~\nscale:")
    assert errors(checker, parse_text(text).plain()) == []
    assert validate_text(text)[1] == []
