"""Auditor agreement: how far the auditors' own scores (``ratings``) agree, before they agreed.

Defined in ``FORMAT.md`` ("Derived figures of format 1.1", Auditor agreement) after the
contract ``shared/audit-format.md``:

- **alpha**: Krippendorff's alpha, ordinal metric, over every rated item (each
  touchpoint's message, and each touchpoint × core message), with the auditors as
  coders and missing ratings allowed. Computed by the ``krippendorff`` package
  (Castro Santiago's implementation of Krippendorff 2011, "Computing Krippendorff's
  Alpha-Reliability"), not by our own code. Undefined (``None``, shown "–") when no
  item has two auditors' ratings, or when all paired ratings are the same value
  (alpha is 0/0 then).
- **spread** of a touchpoint: the largest ``max − min`` over its items' ratings; 2 or
  more (:data:`FLAG_SPREAD`) is flagged.
- **lean** of an auditor: the mean of (their rating − the agreed score) over the items
  they rated whose agreed score exists; positive scores high, negative low. Exact.

Alpha's reading follows Krippendorff's own thresholds (:func:`reading`).

>>> from journey_audit.audit.model import Audit, CoreMessage, Message, Rating, Stage, Touchpoint
>>> tp = Touchpoint("t", "T", "event", Message("m", 3), {"q": 3}, ratings=[
...     Rating("A", 3, {"q": 3}), Rating("B", 4, {"q": 3}), Rating("C", 1, {"q": 2})])
>>> a = Audit("T", "C", None, "high", [CoreMessage("q", "Q")], [Stage("s", "S", [tp])], auditors=["A", "B", "C"])
>>> g = agreement(a)
>>> fmt_alpha(g.alpha), g.touchpoints["t"].spread, g.flagged, [str(g.leans[x]) for x in "ABC"]
('-0.237', 3, ('t',), ['0', '1/2', '-3/2'])
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from ..audit.model import Audit, Touchpoint

FLAG_SPREAD = 2  # a spread of two points or more is flagged (the contract)
RELIABLE, TENTATIVE = Decimal("0.800"), Decimal("0.667")  # Krippendorff (2004), Content Analysis, §11.4
_THREE_PLACES = Decimal("0.001")

Item = tuple[str, str | None]  # (touchpoint id, None for its message or a core message id)


@dataclass(frozen=True)
class TouchpointAgreement:
    id: str
    spread: int | None  # largest max − min over its items; None when no auditor rated it
    flagged: bool
    # auditor → (message rating, {core message id: rating}); only auditors who rated it, in `auditors` order
    ratings: dict[str, tuple[int | None, dict[str, int | None]]]


@dataclass(frozen=True)
class Agreement:
    alpha: float | None  # Krippendorff's ordinal alpha; None when undefined
    pairable: int  # items with two or more auditors' ratings
    auditors: tuple[str, ...]  # as listed in `auditors`
    leans: dict[str, Fraction | None]  # auditor → mean (rating − agreed score); None when they rated nothing
    touchpoints: dict[str, TouchpointAgreement]  # only rated touchpoints, in journey order
    flagged: tuple[str, ...]  # touchpoint ids with a spread ≥ FLAG_SPREAD, in journey order


def has_ratings(audit: Audit) -> bool:
    """True when any touchpoint has ``ratings``: only then are there agreement figures."""
    return any(tp.ratings for _, tp in audit.touchpoints())


def _items(tp: Touchpoint) -> dict[Item, dict[str, int]]:
    """Each item of ``tp`` → {auditor: rating}, items in a fixed order (message, then core messages)."""
    items: dict[Item, dict[str, int]] = {(tp.id, None): {}}
    for r in tp.ratings:
        if r.message is not None:
            items[(tp.id, None)][r.auditor] = r.message
    for cid in tp.consistency:
        items[(tp.id, cid)] = {r.auditor: r.consistency[cid] for r in tp.ratings
                               if r.consistency.get(cid) is not None}
    for r in tp.ratings:  # a core message the agreed scores mark ~ may still be rated
        for cid, v in r.consistency.items():
            if v is not None:
                items.setdefault((tp.id, cid), {})[r.auditor] = v
    return items


def alpha(table: list[dict[str, int]], coders: list[str], domain: list[int]) -> float | None:
    """Krippendorff's ordinal alpha of ``table`` (one {coder: rating} per item) by the
    ``krippendorff`` package; None when no item is pairable or the ratings do not vary."""
    import krippendorff  # numpy behind it: imported only when an audit has ratings
    import numpy as np

    if not any(len(row) >= 2 for row in table):
        return None
    data = np.array([[row.get(c, np.nan) for row in table] for c in coders], dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # 0/0 when the ratings do not vary: undefined
        try:
            value = float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal",
                                             value_domain=domain))
        except ValueError:  # raised by the package when nothing is pairable
            return None
    return None if math.isnan(value) else value


def agreement(audit: Audit) -> Agreement | None:
    """The agreement figures of a valid audit (see the module docstring); None without any ``ratings``."""
    if not has_ratings(audit):
        return None
    coders = list(dict.fromkeys([*audit.auditors, *(r.auditor for _, tp in audit.touchpoints() for r in tp.ratings)]))
    table: list[dict[str, int]] = []
    diffs: dict[str, list[int]] = {c: [] for c in coders}
    tps: dict[str, TouchpointAgreement] = {}
    for _, tp in audit.touchpoints():
        if not tp.ratings:
            continue
        items = _items(tp)
        table.extend(items.values())
        for (_, cid), row in items.items():
            agreed = tp.message.score if cid is None else tp.consistency.get(cid)
            for coder, v in row.items():
                if agreed is not None:
                    diffs[coder].append(v - agreed)
        spreads = [max(row.values()) - min(row.values()) for row in items.values() if row]
        spread = max(spreads) if spreads else None
        by = {r.auditor: (r.message, dict(r.consistency)) for r in tp.ratings}
        tps[tp.id] = TouchpointAgreement(tp.id, spread, spread is not None and spread >= FLAG_SPREAD,
                                         {c: by[c] for c in coders if c in by})
    value = alpha(table, coders, list(range(audit.scale.min, audit.scale.max + 1)))
    leans = {c: Fraction(sum(d), len(d)) if d else None for c, d in diffs.items()}
    return Agreement(value, sum(len(row) >= 2 for row in table), tuple(coders), leans, tps,
                     tuple(t.id for t in tps.values() if t.flagged))


def round3(x: float) -> Decimal:
    """Alpha as shown: three decimals, halves away from zero (Krippendorff's thresholds have three)."""
    return Decimal(repr(x)).quantize(_THREE_PLACES, rounding=ROUND_HALF_UP)


def fmt_alpha(x: float | None) -> str:
    """Alpha as shown everywhere: '0.812', or an en dash when it is undefined.

    >>> fmt_alpha(0.81249), fmt_alpha(None), fmt_alpha(-0.0001)
    ('0.812', '–', '0.000')
    """
    if x is None:
        return "–"
    d = round3(x)
    return str(d if d != 0 else Decimal("0.000"))


def reading(x: float | None) -> str | None:
    """Krippendorff's reading of alpha *as shown*: 'reliable' (≥ 0.800), 'tentative' (≥ 0.667),
    'unreliable' (below), None when undefined.

    >>> reading(0.8), reading(0.7), reading(0.6664), reading(None)
    ('reliable', 'tentative', 'unreliable', None)
    """
    if x is None:
        return None
    shown = round3(x)
    return "reliable" if shown >= RELIABLE else "tentative" if shown >= TENTATIVE else "unreliable"
