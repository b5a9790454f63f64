"""Static SVG charts of an audit page: importance–performance and the funnel.

Small hand-written SVG, no JavaScript and no chart library: the charts print, work
offline and cost nothing to build. They are inline in the page, so they draw lines
and text in ``currentColor`` (dark on Material's light palette, light on slate) and
fill areas either opaquely (score colours from :mod:`.palette`, with the text colour
:func:`~journey_audit.palette.text_on` picks) or with a faint tint that reads on both
backgrounds. Text is real ``<text>``, so it can be selected, searched and read by
screen readers; audit text is XML-escaped. Every figure comes from
:func:`journey_audit.scoring.compute`, formatted with the scoring module's helpers.

>>> from journey_audit.validate import validate_text
>>> audit, _ = validate_text('''
... title: T
... client: C
... date: 2026-01-15
... involvement: high
... core_messages: [{id: q, text: Q}]
... stages:
...   - id: s
...     name: "<Search>"
...     prospects: 100
...     touchpoints:
...       - {id: a, name: "A & B", channel: online, importance: 5, message: {intended: I, score: 2}, consistency: {q: 2}}
...   - id: t
...     name: Buy
...     prospects: 25
...     touchpoints:
...       - {id: b, name: B, channel: store, importance: 1, message: {intended: I, score: 5}, consistency: {q: 5}}
... ''', "a.yaml", "a")
>>> from journey_audit.scoring import compute
>>> svg = importance_performance_svg(audit, compute(audit), "en")
>>> svg.count('<a href="#tp-'), "A &amp; B" in svg, "Concentrate here" in svg
(2, True, True)
>>> "&lt;Search&gt;" in funnel_svg(audit, compute(audit), "en")
True
"""

from __future__ import annotations

import math
import unicodedata
from fractions import Fraction

from . import palette
from .escape import text as esc
from .labels import label
from .model import Audit
from .scoring import AuditFigures, fmt, fmt_percent, quadrant

FONT = 13  # px; charts are drawn at their natural size and shrink with the page
SMALL = 11
TINT = 0.08  # opacity of quadrant tints: visible on white and on slate alike


def text_width(text: str, size: float = FONT) -> float:
    """Approximate width of ``text`` in px: a CJK character is one em, others about 0.55 em.

    >>> text_width("展会"), text_width("ab", 10)
    (26.0, 11.0)
    """
    return float(sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.55 for c in text))


def clip(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with … to fit ``width`` px (the full text goes in a ``<title>``).

    >>> clip("Compare suppliers", 60)
    'Compare…'
    """
    text = " ".join(text.split())
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


def importance_performance_svg(audit: Audit, figures: AuditFigures, lang: str) -> str:
    """Each touchpoint as a numbered dot: score across, importance up, four quadrants.

    Dots carry their number in journey order (the page lists the names beside the
    chart) and link to the touchpoint's section. Moments of truth get a second ring.
    Dots that would overlap are nudged apart, so every one stays visible and clickable.
    """
    lo, hi = audit.scale.min, audit.scale.max
    width, height = 640, 480
    left, right, top, bottom = 64, 20, 32, 56  # the frame; quadrant names of the top row go above it
    inset = 22  # data stay this far inside the frame, so dots on the scale's ends are whole
    plot_w, plot_h = width - left - right, height - top - bottom
    span = (hi - lo) or 1

    def x(score: float) -> float:
        return left + inset + (float(score) - lo) / span * (plot_w - 2 * inset)

    def y(importance: float) -> float:
        return top + plot_h - inset - (float(importance) - lo) / span * (plot_h - 2 * inset)

    mid = Fraction(lo + hi, 2)
    mx, my = x(mid), y(mid)
    title = label("ipa", lang)
    out = [f'<svg class="ja-chart ja-ipa" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">',
           f"<title>{esc(title)}</title>"]
    # Quadrants: the one to concentrate on is tinted red, the one to keep up blue.
    out.append(f'<rect x="{left}" y="{top}" width="{mx - left:.1f}" height="{my - top:.1f}" '
               f'fill="{palette.STEPS[0]}" fill-opacity="{TINT * 1.5}"/>')
    out.append(f'<rect x="{mx:.1f}" y="{top}" width="{left + plot_w - mx:.1f}" height="{my - top:.1f}" '
               f'fill="{palette.STEPS[-1]}" fill-opacity="{TINT}"/>')
    out.append(f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
               f'stroke="currentColor" stroke-opacity="0.6"/>')
    out.append(f'<path d="M{mx:.1f} {top}V{top + plot_h}M{left} {my:.1f}H{left + plot_w}" '
               f'stroke="currentColor" stroke-dasharray="5 4" stroke-opacity="0.7"/>')
    pad = 6
    for key, tx, ty, anchor in (("concentrate", left, top - pad - 2, "start"),
                                ("keep_up", left + plot_w, top - pad - 2, "end"),
                                ("low_priority", left + pad, top + plot_h - pad, "start"),
                                ("overkill", left + plot_w - pad, top + plot_h - pad, "end")):
        out.append(f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" fill="currentColor" '
                   f'font-weight="bold">{esc(label("quadrant_" + key, lang))}</text>')
    for v in range(lo, hi + 1):  # ticks on whole scale points
        out.append(f'<text x="{x(v):.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="currentColor" '
                   f'font-size="{SMALL}">{v}</text>')
        out.append(f'<text x="{left - 8}" y="{y(v) + 4:.1f}" text-anchor="end" fill="currentColor" '
                   f'font-size="{SMALL}">{v}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{height - 12}" text-anchor="middle" '
               f'fill="currentColor">{esc(label("score_axis", lang))}</text>')
    out.append(f'<text transform="translate(18 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
               f'fill="currentColor">{esc(label("importance", lang))}</text>')

    radius = 12
    bounds = (left + radius + 2, top + radius + 2, left + plot_w - radius - 2, top + plot_h - radius - 2)
    placed: list[tuple[float, float]] = []
    for number, (stage, tp) in enumerate(audit.touchpoints(), start=1):
        f = figures.touchpoints[tp.id]
        cx, cy = _free_spot(x(f.score), y(f.importance), placed, 2 * radius + 2, bounds)
        placed.append((cx, cy))
        bg = palette.fill(f.score, lo, hi)
        tip = (f"{number}. {' '.join(tp.name.split())} · {label('importance', lang)} {f.importance} · "
               f"{label('score', lang)} {fmt(f.score)} · {label('quadrant_' + quadrant(f, audit), lang)}")
        ring = (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius + 4}" fill="none" stroke="currentColor" '
                f'stroke-width="2"/>' if tp.moment_of_truth else "")
        out.append(f'<a href="#tp-{esc(tp.id)}"><title>{esc(tip)}</title>{ring}'
                   f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" fill="{bg}" stroke="currentColor"/>'
                   f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" fill="{palette.text_on(bg)}" '
                   f'font-size="{SMALL}" font-weight="bold">{number}</text></a>')
    out.append("</svg>")
    return "".join(out)


def _free_spot(x: float, y: float, placed: list[tuple[float, float]], gap: float,
               bounds: tuple[float, float, float, float]) -> tuple[float, float]:
    """The point nearest (x, y), on rings of six around it, that keeps ``gap`` from every
    placed dot and stays inside ``bounds`` (x0, y0, x1, y1).

    >>> _free_spot(10, 10, [], 5, (0, 0, 100, 100)), _free_spot(10, 10, [(10, 10)], 5, (0, 0, 100, 100))
    ((10, 10), (14.3, 12.5))
    """
    x0, y0, x1, y1 = bounds

    def free(cx: float, cy: float) -> bool:
        return x0 <= cx <= x1 and y0 <= cy <= y1 and all((cx - px) ** 2 + (cy - py) ** 2 >= gap * gap
                                                         for px, py in placed)

    if free(x, y):
        return x, y
    for ring in range(1, 12):
        for slot in range(6 * ring):  # more places on the outer rings
            angle = math.radians(slot * 360 / (6 * ring) + ring * 30)
            cx, cy = x + gap * ring * math.cos(angle), y + gap * ring * math.sin(angle)
            if free(cx, cy):
                return round(cx, 1), round(cy, 1)
    return x, y  # a crowd beyond any reading: leave the dot where it belongs


def funnel_svg(audit: Audit, figures: AuditFigures, lang: str) -> str | None:
    """Stages with prospect counts as centred bars, with the conversion between them.

    None when fewer than two stages give prospects (there is no funnel to draw). The
    step that loses most is marked ▼ in bold, so the mark does not rely on colour.
    """
    stages = [s for s in audit.stages if s.prospects is not None]
    if len(stages) < 2:
        return None
    steps = {s.from_stage: s for s in figures.funnel.steps}
    width, name_w, row, gap = 640, 170, 32, 26
    bar_x, bar_w = name_w + 10, width - name_w - 20
    most = max(s.prospects for s in stages) or 1
    height = len(stages) * row + (len(stages) - 1) * gap + 8
    title = label("funnel", lang)
    fill = palette.STEPS[-1]
    ink = palette.text_on(fill)
    out = [f'<svg class="ja-chart ja-funnel" viewBox="0 0 {width} {height}" role="img" '
           f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">',
           f"<title>{esc(title)}</title>"]
    for i, stage in enumerate(stages):
        top = 4 + i * (row + gap)
        w = max(2.0, bar_w * stage.prospects / most)  # geometry only: the bar's length
        bx = bar_x + (bar_w - w) / 2
        count = f"{stage.prospects:,}"
        out.append(f"<g><title>{esc(' '.join(stage.name.split()))}: {count}</title>")
        out.append(f'<text x="{name_w}" y="{top + row / 2 + 5:.1f}" text-anchor="end" fill="currentColor">'
                   f"{esc(clip(stage.name, name_w - 8))}</text>")
        out.append(f'<rect x="{bx:.1f}" y="{top}" width="{w:.1f}" height="{row}" rx="3" fill="{fill}"/>')
        if text_width(count) + 12 <= w:
            out.append(f'<text x="{bar_x + bar_w / 2:.1f}" y="{top + row / 2 + 5:.1f}" text-anchor="middle" '
                       f'fill="{ink}" font-weight="bold">{count}</text>')
        else:
            out.append(f'<text x="{bx + w + 6:.1f}" y="{top + row / 2 + 5:.1f}" fill="currentColor" '
                       f'font-weight="bold">{count}</text>')
        out.append("</g>")
        step = steps.get(stage.id)
        if step is not None and i + 1 < len(stages) and step.to_stage == stages[i + 1].id:
            leak = figures.funnel.leakiest == stage.id
            note = f"↓ {fmt_percent(step.conversion)}"
            weight = ""
            if leak:
                note = f"▼ {fmt_percent(step.conversion)} · {label('leakiest', lang)}"
                weight = ' font-weight="bold"'
            out.append(f'<text x="{bar_x + bar_w / 2:.1f}" y="{top + row + gap / 2 + 5:.1f}" text-anchor="middle" '
                       f'fill="currentColor" font-size="{SMALL}"{weight}>{esc(note)}</text>')
    out.append("</svg>")
    return "".join(out)
