"""What changed in format 1.1's segments between two versions of an audit, for :mod:`.diff`.

A segment is matched by id and shown as one line, ``segment <id>``: its name, share,
involvement and description, old → new. The figures of
:mod:`journey_audit.figures.segments` (each segment's score, the inbound share, the
appeal fit) go into :attr:`~.diff_model.AuditDiff.segment_figures`, apart from the
headline figures, and only when either version has segments, directions or appeals.
"""

from __future__ import annotations

from ..audit.model import Audit, Segment
from ..figures.scoring import AuditFigures
from ..figures.segments import segment_figures
from .diff import figure_change, percent_change, value_text
from .diff_model import FieldChange, FigureChange


def _segment_text(seg: Segment) -> str:
    facts = [f"share {value_text(seg.share)}"] if seg.share is not None else []
    facts += [f"{seg.involvement} involvement"] if seg.involvement else []
    facts += [seg.description] if seg.description else []
    return seg.name + (f" ({'; '.join(facts)})" if facts else "")


def segment_changes(old: Audit, new: Audit) -> list[FieldChange]:
    """Each segment added, removed or changed, matched by id, as ``segment <id>``: old → new.

    >>> a = Audit("T", "C", None, "high", [], [], segments=[Segment("a", "A", 0.2)])
    >>> b = Audit("T", "C", None, "high", [], [], segments=[Segment("a", "A", 0.3, "low"), Segment("b", "B")])
    >>> [(c.field, c.old, c.new) for c in segment_changes(a, b)]
    [('segment a', 'A (share 0.2)', 'A (share 0.3; low involvement)'), ('segment b', None, 'B')]
    """
    before = {s.id: _segment_text(s) for s in old.segments}
    after = {s.id: _segment_text(s) for s in new.segments}
    return [FieldChange(f"segment {i}", before.get(i), after.get(i))
            for i in dict.fromkeys([*after, *before]) if before.get(i) != after.get(i)]


def segment_figure_changes(old: Audit, new: Audit, of: AuditFigures, nf: AuditFigures) -> list[FigureChange]:
    """Each segment's score, the inbound share and the appeal fit, old → new, where either
    round has them (:mod:`journey_audit.figures.segments`); the unchanged ones are left
    out by the formatters like every other figure."""
    a, b = segment_figures(old, of), segment_figures(new, nf)
    if a is None and b is None:
        return []
    out = []
    segs_a, segs_b = (a.segments if a else {}), (b.segments if b else {})
    for sid in dict.fromkeys([*segs_b, *segs_a]):
        out.append(figure_change(f"segment {sid}", segs_a[sid].score if sid in segs_a else None,
                                 segs_b[sid].score if sid in segs_b else None))
    for name, get in (("inbound share", lambda r: r.inbound_share), ("appeal fit", lambda r: r.appeal.share)):
        x, y = (get(a) if a else None), (get(b) if b else None)
        if x is not None or y is not None:
            out.append(percent_change(name, x, y))
    return out
