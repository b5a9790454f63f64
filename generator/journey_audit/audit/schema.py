"""Export the audit format as a JSON Schema (draft 2020-12) for editors.

With ``# yaml-language-server: $schema=schema/audit.schema.json`` at the top of an
audit, editors using the YAML language server complete keys and flag mistakes as
you type. The schema comes from :mod:`journey_audit.audit.format_spec`, the same
description the validator walks, so the two cannot drift apart. Rules across
fields (scores on the audit's own scale, every core message scored) are left to
``journey-audit validate``.

>>> s = audit_schema()
>>> s["$schema"], s["required"][:3]
('https://json-schema.org/draft/2020-12/schema', ['title', 'client', 'date'])
"""

from __future__ import annotations

import json
from typing import Any

from . import format_spec as spec

SCHEMA_ID = "https://journey-audit.example/schema/audit.schema.json"


def _kind(kind: Any) -> dict[str, Any]:
    t = type(kind)
    if t is spec.Obj:
        return {
            "type": "object",
            "properties": {f.name: _field(f) for f in kind.fields},
            "required": [f.name for f in kind.fields if f.required],
            "additionalProperties": False,
        }
    if t is spec.ListOf:
        out: dict[str, Any] = {"type": "array", "items": _kind(kind.item)}
        if kind.min_items:
            out["minItems"] = kind.min_items
        return out
    if t is spec.MapOf:
        value = _kind(kind.value)
        if kind.nullable:
            value = {"anyOf": [value, {"type": "null"}]}
        key_pattern = spec.SLUG_PATTERN if type(kind.key) is spec.Slug else r"^-?[0-9]+$"
        out = {"type": "object", "propertyNames": {"pattern": key_pattern}, "additionalProperties": value}
        if kind.min_items:
            out["minProperties"] = kind.min_items
        return out
    if t is spec.Text:
        # A number (or true/false) written without quotes is taken as text too, as written.
        return {"type": ["string", "number", "boolean"]}
    if t is spec.Slug:
        return {"type": "string", "pattern": spec.SLUG_PATTERN}
    if t is spec.Date:
        return {"type": "string", "pattern": spec.DATE_PATTERN, "format": "date"}
    if t is spec.Bool:
        return {"type": "boolean"}
    if t is spec.Int:
        return {"type": "integer"} | ({"minimum": kind.minimum} if kind.minimum is not None else {})
    if t is spec.Score:
        return {"type": "integer"}
    if t is spec.Number:
        return ({"type": "number"} | ({"minimum": kind.minimum} if kind.minimum is not None else {})
                | ({"maximum": kind.maximum} if kind.maximum is not None else {}))
    if t is spec.Enum:
        return {"enum": list(kind.values)}
    if t is spec.Url:
        return {"type": "string", "pattern": r"^(https?://\S+|mailto:\S+@\S+|(?![a-zA-Z][a-zA-Z0-9+.-]*:)[^/\\\s].*)$"}
    raise TypeError(kind)


def _field(f: spec.Field) -> dict[str, Any]:
    out = _kind(f.kind)
    if not f.required:
        out = _or_null(out)
    if f.doc:
        out = {"description": f.doc} | out
    return out


def _or_null(out: dict[str, Any]) -> dict[str, Any]:
    """Allow null too: the validator reads an empty optional field (``industry:``) as left out."""
    if "enum" in out:
        return out | {"enum": [*out["enum"], None]}
    kinds = out["type"] if isinstance(out["type"], list) else [out["type"]]
    return out | {"type": [*kinds, "null"]}


def audit_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "journey-audit touchpoint audit",
        "description": "One touchpoint audit (接触点审计): stages, touchpoints, message and consistency scores.",
    } | _kind(spec.AUDIT)


def schema_json() -> str:
    return json.dumps(audit_schema(), ensure_ascii=False, indent=2) + "\n"
