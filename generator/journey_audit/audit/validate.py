"""Check one audit file against the format and turn it into model objects.

:func:`validate_file` never raises for bad input: it returns the audit (or None when
the file cannot be used) and every problem it found, each pointing at a line.

This module is the driver; the rules live in :mod:`journey_audit.audit.rules`, one
module per family, registered there. A file is read (the ``yaml_source`` rules, by
:mod:`~journey_audit.audit.yamlsource`), walked along the format (``structure`` and
``values``), given its defaults, then checked across fields (``rules.AUDIT_CHECKS``).
Cross-file rules (``previous``, duplicate slugs) run in :mod:`journey_audit.audit.portfolio`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from ..errors import AuditError
from . import format_spec as spec
from .model import DEFAULT_LABELS, DEFAULT_LABELS_ZH, Audit
from .problems import ERROR, Problem, sort_problems
from .rules import AUDIT_CHECKS, structure, values
from .rules.rule import INVALID, Report
from .rules.scale import MAX_SCALE_SPAN
from .rules.values import slugify
from .yamlsource import Node, decode, parse_text, read_bytes

__all__ = ["MAX_SCALE_SPAN", "slugify", "validate_bytes", "validate_file", "validate_node", "validate_text"]


def validate_file(path: Path, display: str | None = None) -> tuple[Audit | None, list[Problem]]:
    shown = display or str(path)
    try:
        data = read_bytes(path, shown)
    except AuditError as exc:
        return None, exc.problems
    return validate_bytes(data, shown, path.stem)


def validate_bytes(data: bytes, display: str, slug: str) -> tuple[Audit | None, list[Problem]]:
    """Like :func:`validate_file`, for a file's bytes already read."""
    try:
        text = decode(data, display)
    except AuditError as exc:
        return None, exc.problems
    return validate_text(text, display, slug)


def validate_text(text: str, display: str = "<string>", slug: str = "audit") -> tuple[Audit | None, list[Problem]]:
    """Every problem of one audit's text at once, sorted; the Audit when there is no error."""
    recovered: list[Problem] = []  # e.g. duplicate keys: reported, and the rest still checked
    try:
        root = parse_text(text, display, recovered)
    except AuditError as exc:
        return None, exc.problems
    return validate_node(root, display, slug, recovered)


def validate_node(root: Node, display: str, slug: str,
                  earlier: list[Problem] = ()) -> tuple[Audit | None, list[Problem]]:
    """Validate a parsed tree; ``earlier``: problems parsing already found in the same file."""
    if root.kind == "map" and root.value and not set(root.value) & set(spec.AUDIT.names()):
        # Not an audit at all (a config or secrets file reached by mistake): say so without
        # quoting its keys, which may be secrets, into a terminal or CI log.
        return None, [Problem(display, 1, 1, ERROR, "not an audit: none of its top-level keys is an audit field "
                              "(title, client, date, …); check the file named", structure.UNKNOWN_KEY)]
    report = Report(display)
    report.problems.extend(earlier)
    values.check_file_name(report, slug)
    audit = structure.walk(report, root, spec.AUDIT, "the audit")
    if audit is INVALID:
        return None, sort_problems(report.problems)
    audit.slug = slug
    audit.path = display
    _fill_defaults(audit)
    for check in AUDIT_CHECKS:
        if check(report, audit) is False:
            break
    problems = sort_problems(report.problems)  # in file order, as an editor lists them
    if any(p.level == ERROR for p in problems):
        return None, problems
    return audit, problems


def _fill_defaults(audit: Audit) -> None:
    """The defaults that depend on other fields (the format page gives them)."""
    if audit.client_id is None and audit.client is not None:
        audit.client_id = slugify(audit.client) or "client-" + _short_hash(audit.client)
    scale = audit.scale
    if not scale.labels and (scale.min, scale.max) == (1, 5):
        scale.labels = dict(DEFAULT_LABELS_ZH if audit.language == "zh" else DEFAULT_LABELS)
    for _, tp in audit.touchpoints():
        if tp.importance is None:
            tp.importance = scale.max


def _short_hash(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]
