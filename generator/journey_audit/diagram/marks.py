"""Marks of format 1.1 on the journey diagram's touchpoints: who starts the contact and what sets it off.

Glyphs rather than colours, so they survive greyscale print: ← inbound (the customer
starts the contact), → outbound (the company starts it), ◆ set off by an event. The
legend lists only the marks an audit uses, so a diagram without them is as before.
"""

from __future__ import annotations

from ..audit.model import Audit, Touchpoint
from ..labels import label

DIRECTION_MARKS = {"inbound": "←", "outbound": "→"}  # format 1.1: glyphs, so they survive greyscale print
EVENT_MARK = "◆"


def contact_marks(tp: Touchpoint) -> str:
    """The marks before a node's figures (format 1.1): ← inbound or → outbound, ◆ event-triggered.

    >>> from journey_audit.audit.model import Message
    >>> contact_marks(Touchpoint("t", "T", "phone", Message("m", 3), {}, direction="inbound", trigger="event"))
    '← ◆ '
    """
    marks = [DIRECTION_MARKS[tp.direction]] if tp.direction else []
    marks += [EVENT_MARK] if tp.trigger == "event" else []
    return " ".join(marks) + " " if marks else ""


def contact_legend(audit: Audit) -> list[str]:
    """The legend's lines for the marks of :func:`contact_marks` that the audit uses."""
    tps = [tp for _, tp in audit.touchpoints()]
    out = [label("legend_direction", audit.language)] if any(tp.direction for tp in tps) else []
    return out + ([label("legend_event", audit.language)] if any(tp.trigger == "event" for tp in tps) else [])
