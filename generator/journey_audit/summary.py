"""A plain-text table of each audit's headline figures, for the terminal.

Chinese characters take two terminal columns, so padding counts display width.

>>> width("展会 fair")
9
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

from .model import Audit
from .scoring import compute, fmt, fmt_percent


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def _clip(text: str, size: int) -> str:
    out = ""
    for c in text:
        if width(out + c) > size - 1:
            return out + "…"
        out += c
    return out


def summary_table(audits: Sequence[Audit]) -> str:
    head = ("audit", "client", "date", "tps", "overall", "message", "consist.", "funnel", "leakiest stage")
    rows = []
    for a in sorted(audits, key=lambda a: (a.client_id, a.date, a.slug)):
        f = compute(a)
        n = sum(1 for _ in a.touchpoints())
        leak = next((s.name for s in a.stages if s.id == f.funnel.leakiest), "–")
        rows.append((a.slug, _clip(a.client, 24), a.date.isoformat(), str(n), fmt(f.score), fmt(f.message),
                     fmt(f.consistency), fmt_percent(f.funnel.overall), _clip(leak, 20)))
    sizes = [max(width(r[i]) for r in [head, *rows]) for i in range(len(head))]
    numeric = {3, 4, 5, 6, 7}
    lines = ["  ".join(_pad(c, sizes[i], i in numeric) for i, c in enumerate(r)).rstrip() for r in [head, *rows]]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    return "\n".join(lines)
