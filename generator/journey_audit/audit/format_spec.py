"""The audit format as data: every field, its kind, whether it is required.

This is the single description of the audit format (``FORMAT.md``; the contract page
``shared/audit-format.md``) in code. The validator
walks it, the JSON Schema is exported from it, the formatter takes its key order
from it, and the starter audit is checked against it. Fields are listed in the
order of the format page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import model

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]*$"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"

CHANNELS = ("online", "print", "event", "person", "phone", "email", "sms", "social", "store",
            "product", "service", "word-of-mouth", "other")
MESSAGE_TYPES = ("planned", "product", "service", "unplanned")
LEVELS = ("high", "medium", "low")
STATUSES = ("open", "in-progress", "done", "dropped")  # a recommendation's, format 1.1
CLOSED_STATUSES = ("done", "dropped")  # no longer due: past-due skips them, pages set them apart
BETTER = ("higher", "lower")  # which way a metric improves, format 1.1
INVOLVEMENTS = ("high", "low")
DIRECTIONS = ("inbound", "outbound")  # who starts the contact, format 1.1
TRIGGERS = ("scheduled", "event", "customer")  # what sets the contact off, format 1.1
APPEALS = ("rational", "emotional", "both")  # how the message persuades, format 1.1


@dataclass(frozen=True)
class Text:
    """Any text; a number written without quotes is taken as written."""


@dataclass(frozen=True)
class Slug:
    """Lowercase letters, digits and hyphens."""


@dataclass(frozen=True)
class Date:
    """An ISO date, YYYY-MM-DD."""


@dataclass(frozen=True)
class Bool:
    """true or false."""


@dataclass(frozen=True)
class Int:
    minimum: int | None = None


@dataclass(frozen=True)
class Number:
    minimum: float | None = None
    maximum: float | None = None  # checked with the fields that use it (a segment's share)


@dataclass(frozen=True)
class Score:
    """A whole number on the audit's scale (the range is checked once the scale is known)."""


@dataclass(frozen=True)
class Enum:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Url:
    """http(s), mailto or a relative path."""


@dataclass(frozen=True)
class ListOf:
    item: Any
    min_items: int = 0


@dataclass(frozen=True)
class MapOf:
    key: Any
    value: Any
    nullable: bool = False
    min_items: int = 0


@dataclass(frozen=True)
class Field:
    name: str
    kind: Any
    required: bool = False
    doc: str = ""


@dataclass(frozen=True)
class Obj:
    cls: type
    fields: tuple[Field, ...] = field(default=())

    def names(self) -> list[str]:
        return [f.name for f in self.fields]

    def get(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


SCALE = Obj(model.Scale, (
    Field("min", Int(), doc="Lowest score (default 1)."),
    Field("max", Int(), doc="Highest score (default 5)."),
    Field("labels", MapOf(Int(), Text()), doc="A label for each score, e.g. {1: Harmful, 5: Excellent}."),
))

WEIGHTS = Obj(model.Weights, (
    Field("message", Number(0), doc="Weight of the message score (default 0.5)."),
    Field("consistency", Number(0), doc="Weight of the consistency (default 0.5). The two add up to 1."),
))

CORE_MESSAGE = Obj(model.CoreMessage, (
    Field("id", Slug(), True, "Slug, unique in the file."),
    Field("text", Text(), True, "The core message as the brand states it."),
))

EVIDENCE = Obj(model.Evidence, (
    Field("title", Text(), True, "What the evidence shows."),
    Field("url", Url(), doc="http(s) address or a relative path."),
))

RECOMMENDATION = Obj(model.Recommendation, (
    Field("id", Slug(), doc="Slug, unique in the file; the same id in the next round is the same recommendation."),
    Field("text", Text(), True, "What to do."),
    Field("priority", Enum(LEVELS), True, "high, medium or low."),
    Field("effort", Enum(LEVELS), doc="high, medium or low."),
    Field("owner", Text(), doc="Who does it."),
    Field("due", Date(), doc="ISO date, YYYY-MM-DD."),
    Field("status", Enum(STATUSES), doc="open, in-progress, done or dropped (default open)."),
    Field("done_on", Date(), doc="ISO date it was done; only with status done."),
))

METRIC = Obj(model.Metric, (
    Field("id", Slug(), True, "Slug, unique within its touchpoint (or stage)."),
    Field("name", Text(), True, "What is measured."),
    Field("value", Number(), True, "This round's measurement, a finite number."),
    Field("unit", Text(), doc="The unit, e.g. h or %."),
    Field("target", Number(), doc="The value aimed at, a finite number."),
    Field("better", Enum(BETTER), doc="higher or lower; required with target."),
    Field("source", Text(), doc="Where the measurement comes from."),
))

MESSAGE = Obj(model.Message, (
    Field("intended", Text(), True, "The message this touchpoint should carry."),
    Field("method", Text(), doc="How it should carry it."),
    Field("observed", Text(), doc="What the audit found."),
    Field("score", Score(), True, "Message score, a whole number on the scale."),
    Field("appeal", Enum(APPEALS), doc="How the message persuades: rational, emotional or both (format 1.1)."),
))

SEGMENT = Obj(model.Segment, (
    Field("id", Slug(), True, "Slug, unique among the segments."),
    Field("name", Text(), True, "Customer tier (客户分级) or persona (客户画像)."),
    Field("share", Number(0, 1), doc="Fraction 0..1 of the prospects in this segment; the shares add up to at most 1."),
    Field("involvement", Enum(INVOLVEMENTS), doc="high or low (default: the audit's involvement)."),
    Field("description", Text(), doc="Who they are."),
))

RATING = Obj(model.Rating, (
    Field("auditor", Text(), True, "A name listed in `auditors`; one entry per auditor."),
    Field("message", Score(), doc="This auditor's message score, a whole number on the scale."),
    Field("consistency", MapOf(Slug(), Score(), nullable=True),
          doc="This auditor's consistency scores; keys are core message ids (~ where it does not apply)."),
))

TOUCHPOINT = Obj(model.Touchpoint, (
    Field("id", Slug(), True, "Slug, unique in the whole file; the anchor of its section."),
    Field("name", Text(), True, "The touchpoint's name."),
    Field("channel", Enum(CHANNELS), True, "Kind of contact."),
    Field("owner", Text(), doc="The department responsible."),
    Field("message_type", Enum(MESSAGE_TYPES), doc="Duncan's four kinds of brand message."),
    Field("moment_of_truth", Bool(), doc="A decisive touchpoint (default false)."),
    Field("importance", Score(), doc="Importance on the scale (default: the scale's max)."),
    Field("segments", ListOf(Slug(), 1), doc="The segment ids that meet this touchpoint (default: every segment)."),
    Field("direction", Enum(DIRECTIONS), doc="inbound (the customer starts the contact) or outbound (the company does)."),
    Field("trigger", Enum(TRIGGERS), doc="scheduled (a calendar), event (an order, a complaint…) or customer "
                                          "(the customer's own initiative)."),
    Field("message", MESSAGE, True, "Which message, how, what was observed, and its score."),
    Field("consistency", MapOf(Slug(), Score(), nullable=True, min_items=1), True,
          "A score for EVERY core message id, or null (~) where it does not apply."),
    Field("ratings", ListOf(RATING), doc="Each auditor's own scores, before agreeing (format 1.1)."),
    Field("notes", Text(), doc="Short public remarks."),
    Field("internal_notes", Text(), doc="Never published in a client build."),
    Field("evidence", ListOf(EVIDENCE), doc="Screenshots, documents, recordings."),
    Field("metrics", ListOf(METRIC), doc="Measured customer results at this touchpoint."),
    Field("recommendations", ListOf(RECOMMENDATION), doc="What to change."),
))

STAGE = Obj(model.Stage, (
    Field("id", Slug(), True, "Slug, unique in the file."),
    Field("name", Text(), True, "The stage's name."),
    Field("prospects", Int(0), doc="Prospects entering the stage (funnel)."),
    Field("metrics", ListOf(METRIC), doc="Measured customer results of the stage as a whole."),
    Field("prospects_by_segment", MapOf(Slug(), Int(0)), doc="Prospects per segment id, whole numbers >= 0."),
    Field("touchpoints", ListOf(TOUCHPOINT, 1), True, "In the customer's order, at least one."),
))

AUDIT = Obj(model.Audit, (
    Field("title", Text(), True, "Title of the audit."),
    Field("client", Text(), True, "Who the audit is for."),
    Field("client_id", Slug(), doc="Groups the audits of one client (default: slug of client)."),
    Field("date", Date(), True, "ISO date of the audit, YYYY-MM-DD."),
    Field("auditors", ListOf(Text()), doc="Who did the audit."),
    Field("language", Enum(("zh", "en")), doc="Language of the generated page labels."),
    Field("industry", Text(), doc="The client's industry."),
    Field("involvement", Enum(INVOLVEMENTS), True, "涉入度 of the product: high or low."),
    Field("previous", Slug(), doc="Slug of the earlier audit of this client."),
    Field("status", Enum(("draft", "final")), doc="draft or final (default final)."),
    Field("summary", Text(), doc="Executive summary, shown on the audit page."),
    Field("internal_notes", Text(), doc="Never published in a client build."),
    Field("scale", SCALE, doc="Score scale (default 1..5)."),
    Field("weights", WEIGHTS, doc="Weights of message and consistency (default 0.5 / 0.5)."),
    Field("segments", ListOf(SEGMENT, 1), doc="Customer segments: tiers (客户分级) or personas (客户画像)."),
    Field("core_messages", ListOf(CORE_MESSAGE, 1), True, "The brand's core messages, at least one."),
    Field("stages", ListOf(STAGE, 1), True, "In the customer's order, at least one."),
))
