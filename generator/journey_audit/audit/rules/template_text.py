"""Template text: ``template-text``, a final audit still holding the ``new`` template's examples.

``journey-audit new`` writes a starter whose summary says what to write there; a final
audit is published to the client, who would read it as the finding. The starter's other
examples (stages, messages, recommendations) are plausible findings a consultant may
keep on purpose, so only the summary's instruction counts.

template-text
    >>> from .examples import example
    >>> from ..starter import starter_text
    >>> import yaml
    >>> summary = yaml.safe_load(starter_text("x-2000", "X"))["summary"].strip()
    >>> example("date: 2026-01-15", f"date: 2026-01-15\\nsummary: {summary!r}")
    a.yaml:4:10: warning: the summary is still the instruction of the new template; write what this audit found (template-text)
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from ..model import Audit
from .rule import WARNING, Report, Rule

TEMPLATE_TEXT = "template-text"

RULES = (
    Rule(TEMPLATE_TEXT, WARNING, "a final audit's summary is not the new template's instruction"),
)


@lru_cache(maxsize=1)
def template_summaries() -> frozenset[str]:
    """The summary of the English and of the Chinese starter, spaces normalised."""
    import yaml

    from ..starter import example_starters

    return frozenset(_norm(yaml.safe_load(text).get("summary")) for text in example_starters()) - {""}


def _norm(text: Any) -> str:
    return " ".join(text.split()) if isinstance(text, str) else ""


def check(report: Report, audit: Audit) -> None:
    if audit.status != "final":  # a draft may hold it while it is being written
        return
    if isinstance(audit.summary, str) and _norm(audit.summary) in template_summaries():
        report.warn_at(audit, "summary", "the summary is still the instruction of the new template; write what "
                                         "this audit found", TEMPLATE_TEXT)
