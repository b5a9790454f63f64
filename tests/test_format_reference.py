"""FORMAT.md, the format reference shipped in the repository, cannot drift from the code.

Consultants read FORMAT.md; the validator walks ``format_spec``, editors read the
exported JSON Schema, and the pages show what ``scoring`` computes. These tests hold
the four together:

* each object of ``format_spec`` (the audit, ``scale``, ``stages[]``, …) has a table in
  FORMAT.md under a heading naming its path, listing exactly its fields, in the spec's
  order, with the right "required" mark and every allowed value of each enum field;
* every property name and enum value of ``schema/audit.schema.json`` is on the page;
* the example audits on the page validate without a problem, are already in the
  canonical form of ``journey-audit fmt``, and the complete one uses every field;
* the worked example's figures are the ones ``scoring.compute`` gives;
* what the page lists as "coming in format 1.1" is really not accepted yet;
* when the contract page (``../shared/audit-format.md``) sits next to this checkout,
  every field of its YAML blocks that the validator accepts is in the table of its
  object, and every field it does not accept yet is listed as coming. A user's clone
  has no contract page: those tests are skipped there.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterator

import pytest

from journey_audit.audit import format_spec as spec
from journey_audit.audit.fmt import format_text
from journey_audit.figures.scoring import compute, fmt, fmt_percent
from journey_audit.audit.validate import validate_text
from journey_audit.audit.yamlsource import parse_text

ROOT = Path(__file__).resolve().parents[1]
FORMAT = ROOT / "FORMAT.md"
SCHEMA = ROOT / "schema" / "audit.schema.json"
CONTRACT = Path(__file__).resolve().parents[2] / "shared" / "audit-format.md"
COMING = "Coming in format 1.1"  # the heading of the section on fields not accepted yet
MAP = object()  # resolve(): the path leads into a mapping whose keys are data (consistency, labels)


# -- reading FORMAT.md -----------------------------------------------------------------

@dataclass
class Section:
    level: int
    title: str
    lines: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    @property
    def path(self) -> str | None:
        """The object path the heading names: its first code span, or '' for the top level."""
        m = re.search(r"`([^`]+)`", self.title)
        if m:
            return m.group(1)
        return "" if "top level" in self.title.lower() else None

    def tables(self) -> list[list[dict[str, str]]]:
        """The Markdown tables of the section, each as rows of {header: cell}."""
        found: list[list[list[str]]] = []
        previous_was_row = False
        for line in self.lines:
            is_row = line.startswith("|")
            if is_row:
                if not previous_was_row:
                    found.append([])
                found[-1].append(_cells(line))
            previous_was_row = is_row
        out = []
        for rows in found:
            header, body = rows[0], [r for r in rows[1:] if not all(re.fullmatch(r":?-+:?", c) for c in r)]
            assert all(len(r) == len(header) for r in body), f"a row of a table under '{self.title}' has " \
                                                             f"{len(body[0])} cells, not {len(header)}"
            out.append([dict(zip(header, r)) for r in body])
        return out

    def field_rows(self) -> dict[str, dict[str, str]]:
        """Rows of the section's field tables (first column "Field"), by field name, in order."""
        rows: dict[str, dict[str, str]] = {}
        for table in self.tables():
            for row in table:
                if "Field" not in row:
                    break
                m = re.fullmatch(r"`([a-z_]+)`", row["Field"])
                assert m, f"under '{self.title}', {row['Field']!r} is not a field name in backticks"
                assert m.group(1) not in rows, f"field '{m.group(1)}' has two rows under '{self.title}'"
                rows[m.group(1)] = row
        return rows


def _cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]


def read_sections(text: str) -> list[Section]:
    out: list[Section] = [Section(0, "")]
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        m = None if in_code else re.match(r"(#{1,6}) (.*)", line)
        if m:
            out.append(Section(len(m.group(1)), m.group(2).strip()))
        else:
            out[-1].lines.append(line)
    return out


def _norm(path: str) -> str:
    return path.replace("[]", "")


@pytest.fixture(scope="module")
def page() -> str:
    assert FORMAT.is_file(), "FORMAT.md, the format reference, is missing at the top of the repository"
    return FORMAT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def parts(page: str) -> tuple[list[Section], list[Section]]:
    """The sections of the format 1.0 reference, and those of the "coming in 1.1" part."""
    sections = read_sections(page)
    starts = [i for i, s in enumerate(sections) if s.level == 2 and s.title.startswith(COMING)]
    assert len(starts) == 1, f"FORMAT.md needs one section '## {COMING} …'"
    return sections[:starts[0]], sections[starts[0]:]


def field_tables(sections: list[Section]) -> dict[str, dict[str, dict[str, str]]]:
    """Normalised object path → its field rows, for every section with a path and a field table."""
    out: dict[str, dict[str, dict[str, str]]] = {}
    for s in sections:
        rows = s.field_rows()
        if rows and s.path is not None:
            assert _norm(s.path) not in out, f"two field tables for `{s.path}`"
            out[_norm(s.path)] = rows
    return out


@pytest.fixture(scope="module")
def reference(parts) -> dict[str, dict[str, dict[str, str]]]:
    return field_tables(parts[0])


@pytest.fixture(scope="module")
def coming(parts) -> dict[str, dict[str, dict[str, str]]]:
    return field_tables(parts[1])


# -- walking format_spec -----------------------------------------------------------------

def unwrap(kind: Any) -> tuple[Any, str]:
    """The kind inside any lists, and the '[]' suffixes of the path."""
    suffix = ""
    while isinstance(kind, spec.ListOf):
        kind, suffix = kind.item, suffix + "[]"
    return kind, suffix


def spec_objects(obj: spec.Obj = spec.AUDIT, path: str = "") -> Iterator[tuple[str, spec.Obj]]:
    """Every object of the format with its path: ('', AUDIT), ('scale', SCALE), ('stages[]', STAGE), …"""
    yield path, obj
    for f in obj.fields:
        kind, suffix = unwrap(f.kind)
        if isinstance(kind, spec.Obj):
            yield from spec_objects(kind, f"{path}.{f.name}{suffix}".lstrip("."))


def spec_fields() -> Iterator[tuple[str, spec.Field]]:
    for path, obj in spec_objects():
        for f in obj.fields:
            yield path, f


def enum_values(kind: Any) -> tuple[str, ...]:
    kind, _ = unwrap(kind)
    if isinstance(kind, spec.MapOf):
        return enum_values(kind.key) + enum_values(kind.value)
    return kind.values if isinstance(kind, spec.Enum) else ()


def resolve(parents: list[str]) -> Any:
    """The object of the format at the path ``parents`` (keys, lists stepped through);
    MAP inside a mapping of data; None where the format has no such object."""
    obj: Any = spec.AUDIT
    for name in parents:
        f = obj.get(name)
        if f is None:
            return None
        kind, _ = unwrap(f.kind)
        if isinstance(kind, spec.MapOf):
            return MAP
        if not isinstance(kind, spec.Obj):
            return None
        obj = kind
    return obj


def accepted(path: str, name: str) -> bool:
    obj = resolve([p for p in _norm(path).split(".") if p])
    return isinstance(obj, spec.Obj) and obj.get(name) is not None


OBJECTS = list(spec_objects())


# -- the field reference -------------------------------------------------------------

@pytest.mark.parametrize("path, obj", OBJECTS, ids=[p or "top-level" for p, _ in OBJECTS])
def test_each_object_has_a_table_of_exactly_its_fields_in_order(reference, path, obj):
    heading = f"`{path}`" if path else "(top level)"
    assert _norm(path) in reference, f"FORMAT.md has no field table under a heading naming {heading}"
    documented = list(reference[_norm(path)])
    assert documented == obj.names(), (
        f"the table of {heading} in FORMAT.md lists {documented}; format_spec has {obj.names()} "
        "(same fields, same order)")


def test_no_table_documents_an_object_the_format_does_not_have(reference):
    assert set(reference) == {_norm(p) for p, _ in OBJECTS}


@pytest.mark.parametrize("path, f", list(spec_fields()), ids=lambda x: x if isinstance(x, str) else x.name)
def test_each_field_row_states_required_and_every_allowed_value(reference, path, f):
    row = reference.get(_norm(path), {}).get(f.name)
    assert row is not None, f"'{f.name}' of `{path or 'top level'}` is missing from FORMAT.md"
    assert row["Required"] == ("**yes**" if f.required else "no"), \
        f"'{f.name}' of `{path or 'top level'}` is {'required' if f.required else 'optional'} in format_spec"
    assert row["Type"], f"'{f.name}' has no type in FORMAT.md"
    for value in enum_values(f.kind):
        assert f"`{value}`" in row["Allowed values and default"], \
            f"'{f.name}' may be `{value}`, but its row in FORMAT.md does not say so"


def test_every_field_name_and_enum_value_of_format_spec_is_on_the_page(page):
    names = {f.name for _, f in spec_fields()}
    values = {v for _, f in spec_fields() for v in enum_values(f.kind)}
    assert len(names) > 40 and {"channel", "consistency", "moment_of_truth", "internal_notes"} <= names
    assert set(spec.CHANNELS) | set(spec.MESSAGE_TYPES) | set(spec.LEVELS) <= values
    assert [n for n in sorted(names) if f"`{n}`" not in page] == []
    assert [v for v in sorted(values) if f"`{v}`" not in page] == []


def schema_names(node: Any) -> Iterator[tuple[str, str]]:
    """('property', name) and ('enum', value) for everything the JSON Schema names."""
    if isinstance(node, dict):
        for name in node.get("properties", {}):
            yield "property", name
        for value in node.get("enum", []):
            if value is not None:
                yield "enum", value
        for child in node.values():
            yield from schema_names(child)
    elif isinstance(node, list):
        for child in node:
            yield from schema_names(child)


def test_every_property_and_enum_value_of_the_json_schema_is_on_the_page(page):
    named = set(schema_names(json.loads(SCHEMA.read_text(encoding="utf-8"))))
    assert ("property", "touchpoints") in named and ("enum", "word-of-mouth") in named
    assert sorted(f"{what} {name}" for what, name in named if f"`{name}`" not in page) == []


def test_the_id_and_date_rules_are_stated(page):
    assert spec.SLUG_PATTERN in page
    assert "YYYY-MM-DD" in page
    assert "# yaml-language-server: $schema=../../schema/audit.schema.json" in page


# -- the examples -----------------------------------------------------------------------

def example_audits(page: str) -> list[str]:
    """The YAML blocks of the page that are whole audits (they set a top-level title)."""
    return [b for b in re.findall(r"```yaml\n(.*?)```", page, re.S) if re.search(r"^title:", b, re.M)]


def used_fields(data: Any, obj: spec.Obj = spec.AUDIT, path: str = "") -> set[str]:
    if isinstance(data, list):
        return set().union(*(used_fields(item, obj, path) for item in data))
    out = set()
    for name, value in data.items():
        out.add(path + name)
        kind, _ = unwrap(obj.get(name).kind)
        if isinstance(kind, spec.Obj) and value is not None:
            out |= used_fields(value, kind, f"{path}{name}.")
    return out


def test_the_example_audits_validate_and_are_canonical(page):
    examples = example_audits(page)
    assert len(examples) >= 2
    for text in examples:
        audit, problems = validate_text(text, "FORMAT.md", "example")
        assert [p.format() for p in problems] == []
        assert format_text(text) == text, "an example in FORMAT.md is not as `journey-audit fmt` writes it"
    assert any(re.search(r"^language: zh$", t, re.M) and re.search(r"[\u4e00-\u9fff]", t) for t in examples)
    assert any(re.search(r"^language: en$", t, re.M) for t in examples)


def test_the_complete_example_uses_every_field(page):
    complete = example_audits(page)[0]
    used = used_fields(parse_text(complete, "FORMAT.md").plain())
    every = {f"{_norm(p)}.{f.name}".lstrip(".") for p, f in spec_fields()}
    assert sorted(every - used) == []


def worked_section(parts) -> Section:
    [section] = [s for s in parts[0] if s.title == "Worked example"]
    return section


def test_the_worked_example_shows_what_scoring_computes(page, parts):
    section = worked_section(parts)
    tables = {t[0] and next(iter(t[0])): t for t in section.tables()}
    [audit_row] = tables["Audit"]
    slug = audit_row["Audit"].strip("`")
    audit, problems = validate_text(example_audits(page)[0], "FORMAT.md", slug)
    assert problems == []
    figures = compute(audit)

    def dash(x: Any) -> str:
        return "–" if x is None else str(x)

    shown = {r["Touchpoint"].strip("`"): r for r in tables["Touchpoint"]}
    assert list(shown) == list(figures.touchpoints)
    for tp_id, f in figures.touchpoints.items():
        row = shown[tp_id]
        assert (row["Importance"], row["Message"], row["Consistency"], row["Score"], row["Gap"]) == (
            str(f.importance), fmt(f.message), fmt(f.consistency), fmt(f.score), fmt(f.gap)), tp_id
    shown = {r["Stage"].strip("`"): r for r in tables["Stage"]}
    assert list(shown) == list(figures.stages)
    for stage_id, f in figures.stages.items():
        row = shown[stage_id]
        assert (row["Score"], row["Message"], row["Consistency"], row["Prospects"], row["Conversion to next"],
                row["Lost"]) == (fmt(f.score), fmt(f.message), fmt(f.consistency), dash(f.prospects),
                                 fmt_percent(f.conversion), dash(f.lost)), stage_id
    shown = {r["Core message"].strip("`"): r for r in tables["Core message"]}
    assert list(shown) == list(figures.core_messages)
    for cm_id, f in figures.core_messages.items():
        row = shown[cm_id]
        assert (row["Scored"], row["Mean"], row["Coverage"], row["Spread"]) == (
            str(f.scored), fmt(f.mean), fmt_percent(f.coverage), fmt(f.spread)), cm_id
    assert (audit_row["Score"], audit_row["Message"], audit_row["Consistency"]) == (
        fmt(figures.score), fmt(figures.message), fmt(figures.consistency))

    text = " ".join(section.text.split())
    assert f"= {fmt_percent(figures.funnel.overall)}." in text
    assert f"The stage that loses most: `{figures.funnel.leakiest}`" in text
    assert "Priority list: " + ", ".join(f"`{i}`" for i in figures.priorities) + "." in text
    m = re.search(r"The (\w+) stage scores .*? = ([0-9.]+) exactly, shown as ([0-9.]+)\.", text)
    stage = figures.stages[m.group(1)]
    assert (stage.score, fmt(stage.score)) == (Fraction(m.group(2)), m.group(3))


def test_the_rounding_examples_round_as_the_code_does(parts):
    [section] = [s for s in parts[0] if s.title == "Rounding"]
    pairs = re.findall(r"([−-]?[0-9]+(?:[./][0-9]+)?) → ([−-]?[0-9]+(?:\.[0-9]+)?%?)", section.text)
    assert len(pairs) >= 4
    for written, shown in pairs:
        x = Fraction(written.replace("−", "-"))
        assert (fmt_percent(x) if shown.endswith("%") else fmt(x)) == shown.replace("−", "-"), written


# -- format 1.1 ---------------------------------------------------------------------------

def test_fields_listed_as_coming_in_1_1_are_really_not_accepted_yet(coming):
    listed = [(path, name) for path, rows in coming.items() for name in rows]
    now_accepted = [f"{path}.{name}".lstrip(".") for path, name in listed if accepted(path, name)]
    assert now_accepted == [], (
        "format_spec now accepts these fields, yet FORMAT.md lists them under 'Coming in format 1.1': "
        "document them in the field reference (section 3) and take them out of that list")


# -- the contract page, when it is next to this checkout -----------------------------------

KEY_LINE = re.compile(r"^(?P<indent> *)(?P<dash>- )?(?P<key>[A-Za-z_][\w-]*):(?:\s|$)")


def contract_keys(text: str) -> list[tuple[str, str]]:
    """(parent path, key) for each key written on its own line in the page's YAML blocks."""
    out = []
    for block in re.findall(r"```yaml\n(.*?)```", text, re.S):
        stack: list[tuple[int, str]] = []
        for line in block.splitlines():
            m = KEY_LINE.match(line)
            if not m:
                continue  # comments and their continuation lines
            col = len(m.group("indent")) + (2 if m.group("dash") else 0)
            while stack and stack[-1][0] >= col:
                stack.pop()
            out.append((".".join(k for _, k in stack), m.group("key")))
            stack.append((col, m.group("key")))
    return out


@pytest.fixture(scope="module")
def contract() -> list[tuple[str, str]]:
    if not CONTRACT.is_file():
        pytest.skip("the contract page ../shared/audit-format.md is not next to this checkout")
    return contract_keys(CONTRACT.read_text(encoding="utf-8"))


def test_contract_fields_that_validate_accepts_are_in_their_table(contract, reference):
    keys = [(p, k) for p, k in contract if resolve([x for x in p.split(".") if x]) is not MAP and accepted(p, k)]
    assert len(keys) > 40 and ("stages.touchpoints", "moment_of_truth") in keys
    missing = [f"{p}.{k}".lstrip(".") for p, k in keys if k not in reference.get(p, {})]
    assert missing == [], "fields of the contract that validate accepts, not in FORMAT.md's table of their object"


def test_contract_fields_not_accepted_yet_are_listed_as_coming(contract, reference, coming, parts):
    coming_text = "\n".join(s.title + "\n" + s.text for s in parts[1])
    keys = [(p, k) for p, k in contract
            if resolve([x for x in p.split(".") if x]) is not MAP and not accepted(p, k)]
    missing = []
    for p, k in keys:
        if p in reference or p in coming:  # an object with a table: the key must be in one of them
            if k not in reference.get(p, {}) and k not in coming.get(p, {}):
                missing.append(f"{p}.{k}".lstrip("."))
        elif re.fullmatch(r"[a-z_]+", k) and f"`{k}`" not in coming_text:  # else a key of data (a segment id)
            missing.append(f"{p}.{k}".lstrip("."))
    assert missing == [], f"fields of the contract that validate does not accept yet, not in FORMAT.md's '{COMING}'"


# -- the template of `journey-audit new` points here -------------------------------------

def test_the_new_template_points_at_this_page():
    from journey_audit.audit.starter import starter_text

    header = [line for line in starter_text("acme-2026q4", "ACME").splitlines() if line.startswith("#")]
    assert any("FORMAT.md" in line for line in header[:3])
    assert not any("audit-format.md" in line for line in header), "users' clones have no contract page"
