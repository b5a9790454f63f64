"""The result of comparing two versions of an audit: plain data, nothing computed.

:mod:`.diff` fills these classes in; the terminal and pull-request formats
(:mod:`.diff_format`), the JSON export and the site's "Changes since …" section
(:mod:`journey_audit.site.page_changes`) only read them. A figure's change is given
both exactly and as the pages show it, so every reader prints the same digits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from ..audit.problems import Problem

ADDED, REMOVED, CHANGED = "added", "removed", "changed"


@dataclass(frozen=True)
class FieldChange:
    """A written value that changed; ``old``/``new`` are text, None when absent."""

    field: str  # e.g. "status", "message.observed", "scale.max"
    old: str | None
    new: str | None


@dataclass(frozen=True)
class FigureChange:
    """A score or figure before and after, exactly and as shown.

    ``name`` is ``message`` (a touchpoint's message score), ``consistency.<core
    message id>`` (one consistency score), ``consistency``, ``score``, ``gap``,
    ``conversion`` (a stage's conversion to the next stage) or ``funnel`` (first stage
    to last). ``old``/``new`` are the exact values (int or Fraction; None when absent
    or "does not apply"); the ``*_text`` fields are what the pages show.
    """

    name: str
    kind: str  # "score" (a whole number as written), "figure" (one decimal) or "percent"
    old: Any
    new: Any
    old_text: str
    new_text: str
    delta: Decimal | int | None  # the change of the shown values; None when a side is missing
    delta_text: str
    better: int  # +1 an improvement, -1 a decline, 0 no change (a smaller gap is better)

    @property
    def changed(self) -> bool:
        return self.old_text != self.new_text


@dataclass(frozen=True)
class ItemChange:
    """A recommendation or a piece of evidence added, removed or changed.

    ``text`` is the item's text (a recommendation's ``text``, evidence's ``title``) as
    it is now, or as it was when removed; ``old_text`` is set when the text itself changed.
    """

    status: str  # added | removed | changed
    text: str
    old_text: str | None = None
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class CoreMessageChange:
    id: str
    status: str  # added | removed | changed
    text: str  # as it is now (as it was, when removed)
    old_text: str | None = None  # set when the text changed


@dataclass(frozen=True)
class TouchpointDiff:
    """One touchpoint that is new, gone, or different in any written value or figure.

    ``stage`` is where it is now (where it was, when removed); ``old_stage`` is set
    when it moved to another stage, ``old_name`` when it was renamed. ``scores`` holds
    the changed scores in a fixed order (message, each consistency score, consistency,
    score, gap); for an added or removed touchpoint it holds all of them, the missing
    side shown as "–".
    """

    id: str
    status: str  # added | removed | changed
    name: str
    stage: str
    moment_of_truth: bool
    old_name: str | None = None
    old_stage: str | None = None
    fields: tuple[FieldChange, ...] = ()
    scores: tuple[FigureChange, ...] = ()
    recommendations: tuple[ItemChange, ...] = ()
    evidence: tuple[ItemChange, ...] = ()


@dataclass(frozen=True)
class StageDiff:
    """A stage that is new, gone, renamed, or whose written values or figures changed.

    ``figures`` holds the changed stage figures (score, message, consistency,
    conversion); for an added or removed stage, all of them.
    """

    id: str
    status: str  # added | removed | changed
    name: str
    old_name: str | None = None
    fields: tuple[FieldChange, ...] = ()
    figures: tuple[FigureChange, ...] = ()


@dataclass(frozen=True)
class AuditInfo:
    """Who the audit is: enough to name it in a heading."""

    slug: str
    title: str
    client: str
    date: str
    path: str
    score_text: str
    touchpoints: int


@dataclass(frozen=True)
class AuditDiff:
    """Everything that differs between two versions of one audit.

    ``figures`` always holds the audit's headline figures (score, message,
    consistency, and the funnel when either side has one), changed or not, and
    ``segment_figures`` those of format 1.1's segments when either side has them; every
    other list holds changes only, in the new audit's order, removed items last.
    ``stage_order`` is ``(old ids, new ids)`` when stages kept in both changed order.
    """

    old: AuditInfo
    new: AuditInfo
    metadata: tuple[FieldChange, ...]
    core_messages: tuple[CoreMessageChange, ...]
    figures: tuple[FigureChange, ...]
    stages: tuple[StageDiff, ...]
    stage_order: tuple[tuple[str, ...], tuple[str, ...]] | None
    touchpoints: tuple[TouchpointDiff, ...]
    # Format 1.1, when either side has segments, directions or appeals: each segment's
    # score ("segment <id>"), the "inbound share" and the "appeal fit", changed or not.
    segment_figures: tuple[FigureChange, ...] = ()

    @property
    def changed(self) -> bool:
        """Whether anything at all differs."""
        return bool(self.metadata or self.core_messages or self.stages or self.stage_order or self.touchpoints
                    or any(f.changed for f in self.figures + self.segment_figures))

    def counts(self) -> dict[str, int]:
        """How many touchpoints were added, removed, changed (and of those, moved and renamed)."""
        tps = self.touchpoints
        return {ADDED: sum(t.status == ADDED for t in tps), REMOVED: sum(t.status == REMOVED for t in tps),
                CHANGED: sum(t.status == CHANGED for t in tps), "moved": sum(t.old_stage is not None for t in tps),
                "renamed": sum(t.old_name is not None for t in tps)}


@dataclass
class FileDiff:
    """The comparison of one audit file between two versions.

    ``status`` is ``modified``, ``renamed`` (another path, same audit), ``added`` or
    ``removed``. ``diff`` is set when both sides are valid audits; ``old``/``new``
    describe each side that is valid; ``problems`` lists why a side could not be used.
    """

    status: str
    old_label: str | None
    new_label: str | None
    old: AuditInfo | None = None
    new: AuditInfo | None = None
    diff: AuditDiff | None = None
    problems: list[Problem] = field(default_factory=list)
