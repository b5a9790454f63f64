"""A plain-text table of each audit's headline figures, for the terminal.

Chinese characters take two terminal columns, so padding counts display width
(:mod:`journey_audit.textwidth`). Clients come in order of their id, each client's
rounds oldest first (:func:`~journey_audit.audit.model.round_order`).
"""

from __future__ import annotations

from typing import Sequence

from ..audit.model import Audit, round_order
from ..textwidth import pad, width
from .scoring import compute, fmt, fmt_percent


def _clip(text: str, size: int) -> str:
    """``text`` cut with … to fit ``size`` columns.

    >>> _clip("展会 trade fair", 8)
    '展会 tr…'
    """
    out = ""
    for c in text:
        if width(out + c) > size - 1:
            return out + "…"
        out += c
    return out


def summary_table(audits: Sequence[Audit]) -> str:
    head = ("audit", "client", "date", "tps", "overall", "message", "consist.", "funnel", "leakiest stage")
    rows = []
    for a in sorted(audits, key=lambda a: (a.client_id, *round_order(a))):
        f = compute(a)
        n = sum(1 for _ in a.touchpoints())
        leak = next((s.name for s in a.stages if s.id == f.funnel.leakiest), "–")
        rows.append((a.slug, _clip(a.client, 24), a.date.isoformat(), str(n), fmt(f.score), fmt(f.message),
                     fmt(f.consistency), fmt_percent(f.funnel.overall), _clip(leak, 20)))
    sizes = [max(width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    numeric = {3, 4, 5, 6, 7}
    lines = ["  ".join(pad(c, sizes[i], i in numeric) for i, c in enumerate(r)).rstrip() for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(lines)
