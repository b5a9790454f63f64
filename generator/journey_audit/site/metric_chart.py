"""A client's measured results across rounds: one small line chart per metric.

Format 1.1 ``metrics`` are matched across rounds by where they are (the touchpoint or
stage id) and their own id, as the metric's change is (FORMAT.md, "Metric met"). A
metric measured in two or more of the client's rounds gets a chart: a place per round
across (labelled with its date), its own value range up (not the score scale: hours,
counts and shares differ), the target as a dashed line, each value marked and named
in a tooltip. The values are shown as written (:func:`~journey_audit.figures.scoring.fmt_measure`).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

from ..audit.model import Audit, Metric
from ..figures.scoring import fmt_measure
from ..labels import label
from .charts import FONT, SMALL, clip
from .escape import text as esc
from .page_html import md_heading

Key = tuple[str, str, str]  # ("touchpoint" | "stage", its id, the metric's id)
WIDTH, LEFT, RIGHT, TOP, PLOT_H, INSET = 640, 56, 24, 14, 150, 28


def measured(rounds: Sequence[Audit]) -> dict[Key, list[Metric | None]]:
    """Each metric of the rounds (oldest first) → its entry in every round (None where not measured),
    in the order the latest rounds write them; only metrics measured in two rounds or more."""
    found: dict[Key, list[Metric | None]] = {}
    for i, audit in enumerate(rounds):
        places = [("stage", s.id, s.metrics) for s in audit.stages]
        places += [("touchpoint", tp.id, tp.metrics) for _, tp in audit.touchpoints()]
        for kind, where, metrics in places:
            for m in metrics:
                found.setdefault((kind, where, m.id), [None] * len(rounds))[i] = m
    return {k: v for k, v in found.items() if sum(m is not None for m in v) >= 2}


def metric_svg(rounds: Sequence[Audit], entries: Sequence[Metric | None], lang: str) -> str:
    """The chart of one metric across ``rounds`` (its entry per round, None where not measured)."""
    latest = next(m for m in reversed(entries) if m is not None)
    values = [Fraction(repr(m.value)) if m is not None else None for m in entries]
    target = Fraction(repr(latest.target)) if latest.target is not None else None
    known = [v for v in values if v is not None] + ([target] if target is not None else [])
    lo, hi = min(known), max(known)
    pad = (hi - lo) / 10 or abs(hi) / 10 or Fraction(1)
    lo, hi = lo - pad, hi + pad
    plot_w = WIDTH - LEFT - RIGHT

    def x(i: int) -> float:
        return LEFT + INSET + i * (plot_w - 2 * INSET) / (len(rounds) - 1)

    def y(v: Fraction) -> float:
        return TOP + PLOT_H - float((v - lo) / (hi - lo)) * PLOT_H

    unit = f" {latest.unit}" if latest.unit else ""
    title = f"{' '.join(latest.name.split())}{unit}"
    height = TOP + PLOT_H + 30
    out = [f'<svg class="ja-chart ja-metric-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">',
           f"<title>{esc(title)}</title>",
           f'<path d="M{LEFT} {TOP + PLOT_H}H{LEFT + plot_w}" stroke="currentColor" stroke-opacity="0.6"/>']
    for v in (min(known), max(known)):
        out.append(f'<text x="{LEFT - 8}" y="{y(v) + 4:.1f}" text-anchor="end" fill="currentColor" '
                   f'font-size="{SMALL}">{esc(fmt_measure(v))}</text>')
    if target is not None:
        out.append(f'<g class="ja-metric-target"><title>{esc(label("metric_target", lang))}: '
                   f'{esc(fmt_measure(target))}{esc(unit)}</title><path d="M{LEFT} {y(target):.1f}H{LEFT + plot_w}" '
                   'stroke="currentColor" stroke-dasharray="6 4" stroke-opacity="0.7"/></g>')
    points = [(x(i), y(v), v) for i, v in enumerate(values) if v is not None]
    out.append('<path d="M' + "L".join(f"{px:.1f} {py:.1f}" for px, py, _ in points) +
               '" fill="none" stroke="currentColor" stroke-width="2"/>')
    for px, py, v in points:
        out.append(f'<g><title>{esc(fmt_measure(v))}{esc(unit)}</title>'
                   f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="currentColor"/></g>')
    slot = (plot_w - 2 * INSET) / (len(rounds) - 1)
    for i, a in enumerate(rounds):
        out.append(f'<text x="{x(i):.1f}" y="{TOP + PLOT_H + 18}" text-anchor="middle" fill="currentColor" '
                   f'font-size="{SMALL}">{esc(clip(a.date.isoformat(), slot - 4, SMALL))}</text>')
    out.append("</svg>")
    return "".join(out)


def metrics_across_rounds(rounds: Sequence[Audit], lang: str) -> tuple[str, ...]:
    """The client page's section: a heading and a chart per metric measured in two rounds or more
    (``rounds`` oldest first); nothing when there is none."""
    figures = []
    for entries in measured(rounds).values():
        latest = next(m for m in reversed(entries) if m is not None)
        caption = " ".join(latest.name.split()) + (f" ({latest.unit})" if latest.unit else "")
        figures.append(f'<figure class="ja-figure ja-metric-figure">\n<figcaption>{esc(caption)}</figcaption>\n'
                       f'<div data-search-exclude>{metric_svg(rounds, entries, lang)}</div>\n</figure>')
    if not figures:
        return ()
    return (md_heading(2, label("metrics_across_rounds", lang), "metrics-across-rounds"), *figures)
