"""Ids: ``unique-id``, each core message, stage and touchpoint id used once in a file.

A touchpoint's id is the anchor of its section on the site, so it is unique in the
whole file, not only in its stage.

unique-id
    >>> from .examples import example
    >>> example("      - id: website", "      - id: shop\\n        name: Shop\\n        channel: store\\n"
    ...         "        message: {intended: x, score: 3}\\n        consistency: {quality: 4}\\n      - id: shop")
    a.yaml:17:13: error: touchpoint id 'shop' is used twice (first at line 12) (unique-id)
"""

from __future__ import annotations

from typing import Any

from ..model import Audit
from .rule import ERROR, Report, Rule

UNIQUE_ID = "unique-id"

RULES = (
    Rule(UNIQUE_ID, ERROR, "each core message, stage and touchpoint id is used once in the file"),
)


def check(report: Report, audit: Audit) -> None:
    _unique(report, audit.core_messages, "core message")
    _unique(report, audit.stages, "stage")
    _unique(report, [tp for _, tp in audit.touchpoints()], "touchpoint")


def _unique(report: Report, items: list[Any], what: str) -> None:
    seen: dict[str, Any] = {}
    for item in items:
        if item.id is None:  # reported as a bad id already
            continue
        if item.id in seen:
            first = seen[item.id]
            report.error_at(item, "id", f"{what} id '{item.id}' is used twice (first at line {first.at('id')[0]})",
                            UNIQUE_ID)
        else:
            seen[item.id] = item
