"""Customer segments (format 1.1): ``segments``, touchpoint ``segments`` and ``prospects_by_segment``.

The segment figures (:mod:`journey_audit.figures.segments`) rest on these: every
segment id named anywhere is a segment of the file, and the shares describe parts of
one whole.

segment-id
    A touchpoint's ``segments`` and the keys of ``prospects_by_segment`` name segments
    of the file, each at most once; a near miss names the id meant.

    >>> from .examples import example
    >>> SEG = "involvement: low\\nsegments:\\n  - {id: key-accounts, name: A}\\n  - {id: small, name: C}"
    >>> example("involvement: low", SEG, "channel: online", "channel: online\\n        segments: [key-acounts]")
    a.yaml:18:20: error: 'key-acounts' is not a segment of this audit (did you mean 'key-accounts'?) (segment-id)
    >>> example("involvement: low", SEG, "channel: online", "channel: online\\n        segments: [small, small]")
    a.yaml:18:27: error: segment 'small' is listed twice for touchpoint 'website' (segment-id)
    >>> example("    name: Search", "    name: Search\\n    prospects_by_segment: {key: 5}")
    a.yaml:11:33: error: 'key' is not a segment of this audit; list the segments under `segments` first (segment-id)

unique-id
    Each segment id is used once (the rule of :mod:`.ids`).

    >>> example("involvement: low", "involvement: low\\nsegments: [{id: a, name: A}, {id: a, name: B}]")
    a.yaml:5:35: error: segment id 'a' is used twice (first at line 5) (unique-id)

segment-share
    A share is a fraction from 0 to 1, and the shares of all segments add up to at most 1.

    >>> example("involvement: low", "involvement: low\\nsegments: [{id: a, name: A, share: 1.5}]")
    a.yaml:5:36: error: share 1.5 of segment 'a' is more than 1: write a fraction, e.g. 0.2 for 20% (segment-share)
    >>> example("involvement: low", "involvement: low\\nsegments: [{id: a, name: A, share: 0.7}, {id: b, name: B, share: 0.4}]")
    a.yaml:5:66: error: the segments' shares add up to 1.1, more than 1 (from segment 'b' on) (segment-share)
"""

from __future__ import annotations

from fractions import Fraction

from .. import format_spec as spec
from ..model import Audit
from ..problems import did_you_mean
from .ids import UNIQUE_ID
from .rule import ERROR, Report, Rule

SEGMENT_ID = "segment-id"
SEGMENT_SHARE = "segment-share"

RULES = (
    Rule(SEGMENT_ID, ERROR, "touchpoint segments and prospects_by_segment name segments of the file, once each"),
    Rule(SEGMENT_SHARE, ERROR, "a segment's share is 0 to 1; the shares add up to at most 1"),
)


def check(report: Report, audit: Audit) -> None:
    if not report.intact(spec.SEGMENT, "segments"):
        return  # a segment that could not be read: its id may be the one named below
    known = [s.id for s in audit.segments if s.id is not None]
    _unique(report, audit)
    _shares(report, audit)
    for stage in audit.stages:
        for key in stage.prospects_by_segment:
            _named(report, stage, f"prospects_by_segment.{key}", key, known)
        for tp in stage.touchpoints:
            seen: set[str] = set()
            for n, seg in enumerate(tp.segments):
                if seg in seen:
                    _error_in_list(report, tp, n, f"segment '{seg}' is listed twice for touchpoint '{tp.id}'")
                elif seg not in known:
                    _error_in_list(report, tp, n, _unknown(seg, known))
                seen.add(seg)


def _unknown(seg: str, known: list[str]) -> str:
    if not known:
        return f"'{seg}' is not a segment of this audit; list the segments under `segments` first"
    return f"'{seg}' is not a segment of this audit{did_you_mean(seg, known)}"


def _named(report: Report, obj, where: str, seg: str, known: list[str]) -> None:
    if seg not in known:
        report.error_at(obj, where, _unknown(seg, known), SEGMENT_ID)


def _error_in_list(report: Report, tp, n: int, message: str) -> None:
    report.error_at(tp, f"segments[{n}]", message, SEGMENT_ID)  # the item's place (structure walk)


def _unique(report: Report, audit: Audit) -> None:
    first: dict[str, object] = {}
    for seg in audit.segments:
        if seg.id in first:
            report.error_at(seg, "id", f"segment id '{seg.id}' is used twice (first at line "
                                       f"{first[seg.id].at('id')[0]})", UNIQUE_ID)
        else:
            first[seg.id] = seg


def _shares(report: Report, audit: Audit) -> None:
    total = Fraction(0)
    tipping = None  # the segment whose share takes the total past 1: where the error points
    for seg in audit.segments:
        if seg.share is None:
            continue
        if seg.share > 1:
            report.error_at(seg, "share", f"share {seg.share} of segment '{seg.id}' is more than 1: write a fraction, "
                                          "e.g. 0.2 for 20%", SEGMENT_SHARE)
            return
        total += Fraction(repr(seg.share)) if isinstance(seg.share, float) else Fraction(seg.share)
        if total > 1 and tipping is None:
            tipping = seg
    if tipping is not None:
        report.error_at(tipping, "share", f"the segments' shares add up to {float(total):g}, more than 1 (from "
                                          f"segment '{tipping.id}' on)", SEGMENT_SHARE)
