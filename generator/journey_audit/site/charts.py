"""Static SVG charts: importance–performance and the funnel of an audit page, and the
trend of a client's scores across rounds on the client page.

Small hand-written SVG, no JavaScript and no chart library: the charts print, work
offline and cost nothing to build. They are inline in the page, so they draw lines
and text in ``currentColor`` (dark on Material's light palette, light on slate) and
fill areas either opaquely (score colours from :mod:`.palette`, with the text colour
:func:`~journey_audit.palette.text_on` picks) or with a faint tint that reads on both
backgrounds. Text is real ``<text>``, so it can be selected, searched and read by
screen readers; audit text is XML-escaped. Every figure comes from
:func:`journey_audit.figures.scoring.compute`, formatted with the scoring module's helpers.

>>> from journey_audit.audit.validate import validate_text
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
>>> from journey_audit.figures.scoring import compute
>>> svg = importance_performance_svg(audit, compute(audit), "en")
>>> svg.count('<a href="#tp-'), "A &amp; B" in svg, "Concentrate here" in svg
(2, True, True)
>>> "&lt;Search&gt;" in funnel_svg(audit, compute(audit), "en")
True
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Sequence

from .. import palette
from ..audit.model import Audit
from ..figures.scoring import AuditFigures, Trend, fmt, fmt_percent, quadrant
from ..labels import label
from ..textwidth import is_wide
from .escape import text as esc

FONT = 13  # px; charts are drawn at their natural size and shrink with the page
SMALL = 11
TINT = 0.08  # opacity of quadrant tints: visible on white and on slate alike
IPA_TITLE_ID = "ja-ipa-title"  # the importance–performance chart's <title>, which names it


def text_width(text: str, size: float = FONT) -> float:
    """Approximate width of ``text`` in px: a CJK character is one em, others about 0.55 em.

    >>> text_width("展会"), text_width("ab", 10)
    (26.0, 11.0)
    """
    return float(sum(size if is_wide(c) else size * 0.55 for c in text))


def clip(text: str, width: float, size: float = FONT) -> str:
    """``text`` cut with … to fit ``width`` px (the full text goes in a ``<title>``).

    >>> clip("Compare suppliers", 60)
    'Compare…'
    """
    text = " ".join(text.split())
    if text_width(text, size) <= width:
        return text
    # No more characters than this can fit (the narrowest is 0.55 em): cut before measuring,
    # or a pasted page of text would be measured once per character it loses.
    text = text[: int(width / (size * 0.55)) + 1]
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text + "…"


class _IpaPlot:
    """Where things go on the importance–performance chart: score across, importance up."""

    width, height = 640, 480
    left, right, top, bottom = 64, 20, 32, 56  # the frame; quadrant names of the top row go above it
    inset = 22  # data stay this far inside the frame, so dots on the scale's ends are whole

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi
        self.plot_w, self.plot_h = self.width - self.left - self.right, self.height - self.top - self.bottom
        self.span = (hi - lo) or 1

    def x(self, score: float) -> float:
        return self.left + self.inset + (float(score) - self.lo) / self.span * (self.plot_w - 2 * self.inset)

    def y(self, importance: float) -> float:
        return (self.top + self.plot_h - self.inset
                - (float(importance) - self.lo) / self.span * (self.plot_h - 2 * self.inset))


def importance_performance_svg(audit: Audit, figures: AuditFigures, lang: str) -> str:
    """Each touchpoint as a numbered dot: score across, importance up, four quadrants.

    Dots carry their number in journey order (the page lists the names beside the
    chart) and link to the touchpoint's section. Moments of truth get a second ring.
    Dots that would overlap are nudged apart, so every one stays visible and clickable.
    """
    plot = _IpaPlot(audit.scale.min, audit.scale.max)
    title = label("ipa", lang)
    # A group, not an image: role="img" would hide the dots' links from assistive
    # technology (and an image must not hold anything focusable). The group takes its
    # name from the <title>; an audit page has one such chart, so the id is unique.
    out = [f'<svg class="ja-chart ja-ipa" viewBox="0 0 {plot.width} {plot.height}" role="group" '
           f'aria-labelledby="{IPA_TITLE_ID}" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">',
           f'<title id="{IPA_TITLE_ID}">{esc(title)}</title>']
    out += _ipa_quadrants(plot, audit.scale.middle, lang)
    out += _ipa_axes(plot, lang)
    out += _ipa_dots(plot, audit, figures, lang)
    out.append("</svg>")
    return "".join(out)


def _ipa_quadrants(plot: _IpaPlot, middle: Fraction, lang: str) -> list[str]:
    """The frame, split at the scale's middle into four named quadrants: the one to
    concentrate on is tinted red, the one to keep up blue."""
    left, top, plot_w, plot_h = plot.left, plot.top, plot.plot_w, plot.plot_h
    mx, my = plot.x(middle), plot.y(middle)
    out = [f'<rect x="{left}" y="{top}" width="{mx - left:.1f}" height="{my - top:.1f}" '
           f'fill="{palette.STEPS[0]}" fill-opacity="{TINT * 1.5}"/>',
           f'<rect x="{mx:.1f}" y="{top}" width="{left + plot_w - mx:.1f}" height="{my - top:.1f}" '
           f'fill="{palette.STEPS[-1]}" fill-opacity="{TINT}"/>',
           f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="none" '
           f'stroke="currentColor" stroke-opacity="0.6"/>',
           f'<path d="M{mx:.1f} {top}V{top + plot_h}M{left} {my:.1f}H{left + plot_w}" '
           f'stroke="currentColor" stroke-dasharray="5 4" stroke-opacity="0.7"/>']
    pad = 6
    for key, tx, ty, anchor in (("concentrate", left, top - pad - 2, "start"),
                                ("keep_up", left + plot_w, top - pad - 2, "end"),
                                ("low_priority", left + pad, top + plot_h - pad, "start"),
                                ("overkill", left + plot_w - pad, top + plot_h - pad, "end")):
        out.append(f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}" fill="currentColor" '
                   f'font-weight="bold">{esc(label("quadrant_" + key, lang))}</text>')
    return out


def _ipa_axes(plot: _IpaPlot, lang: str) -> list[str]:
    """Ticks on whole scale points along both axes, and the axes' names."""
    left, top, plot_w, plot_h = plot.left, plot.top, plot.plot_w, plot.plot_h
    out = []
    for v in range(plot.lo, plot.hi + 1):
        out.append(f'<text x="{plot.x(v):.1f}" y="{top + plot_h + 18}" text-anchor="middle" fill="currentColor" '
                   f'font-size="{SMALL}">{v}</text>')
        out.append(f'<text x="{left - 8}" y="{plot.y(v) + 4:.1f}" text-anchor="end" fill="currentColor" '
                   f'font-size="{SMALL}">{v}</text>')
    out.append(f'<text x="{left + plot_w / 2:.1f}" y="{plot.height - 12}" text-anchor="middle" '
               f'fill="currentColor">{esc(label("score_axis", lang))}</text>')
    out.append(f'<text transform="translate(18 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
               f'fill="currentColor">{esc(label("importance", lang))}</text>')
    return out


def _ipa_dots(plot: _IpaPlot, audit: Audit, figures: AuditFigures, lang: str) -> list[str]:
    """One numbered, linked dot per touchpoint, nudged clear of the dots placed before it."""
    lo, hi = audit.scale.min, audit.scale.max
    left, top, plot_w, plot_h = plot.left, plot.top, plot.plot_w, plot.plot_h
    radius, ring = 12, 4  # a moment of truth's second ring is drawn 4 px outside its dot
    gap = 2 * (radius + ring) + 2  # between centres: two ringed dots side by side do not touch
    bounds = (left + radius + 2, top + radius + 2, left + plot_w - radius - 2, top + plot_h - radius - 2)
    placed: list[tuple[float, float]] = []
    out = []
    for number, (stage, tp) in enumerate(audit.touchpoints(), start=1):
        f = figures.touchpoints[tp.id]
        cx, cy = _free_spot(plot.x(f.score), plot.y(f.importance), placed, gap, bounds)
        placed.append((cx, cy))
        bg = palette.fill(f.score, lo, hi)
        tip = (f"{number}. {' '.join(tp.name.split())} · {label('importance', lang)} {f.importance} · "
               f"{label('score', lang)} {fmt(f.score)} · {label('quadrant_' + quadrant(f, audit), lang)}")
        outer = (f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius + ring}" fill="none" stroke="currentColor" '
                 f'stroke-width="2"/>' if tp.moment_of_truth else "")
        out.append(f'<a href="#tp-{esc(tp.id)}"><title>{esc(tip)}</title>{outer}'
                   f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="{radius}" fill="{bg}" stroke="currentColor"/>'
                   f'<text x="{cx:.1f}" y="{cy + 4:.1f}" text-anchor="middle" fill="{palette.text_on(bg)}" '
                   f'font-size="{SMALL}" font-weight="bold">{number}</text></a>')
    return out


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


# -- trend across rounds -------------------------------------------------------------

# Line colours of the stages: Okabe–Ito hues (told apart with the common colour-vision
# deficiencies), darkened or lightened until each has at least 3:1 contrast on white
# and on Material's slate background, so a line reads in both palettes without a panel.
SERIES_COLOURS = ("#3a86c8", "#d55e00", "#009e73", "#cc79a7", "#a07d00", "#8c6bb1")
# Dash patterns and marker shapes: the second and third cue, so the lines stay apart
# in greyscale, in print and for readers who see none of the colours above.
SERIES_DASHES = ("8 4", "2 3", "10 3 2 3", "4 4", "12 3 2 3 2 3")
MARKERS = ("square", "triangle", "diamond", "triangle-down", "cross", "ring")
SLATE_BACKGROUND = "#1e2029"  # Material's slate --md-default-bg-color, hsl(232 15% 14%)


def _marker(shape: str, x: float, y: float, colour: str, size: float = 5.0) -> str:
    """A point marker centred on (x, y): filled shapes, or strokes for the cross and ring.
    Shapes are sized to look about as big as a circle of radius ``size``.

    >>> _marker("square", 10, 10, "#000", 4)
    '<rect x="7.0" y="7.0" width="6.0" height="6.0" fill="#000"/>'
    """
    s = size
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s:.1f}" fill="{colour}"/>'
    if shape == "ring":
        return (f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{s - 0.5:.1f}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"/>')
    if shape == "square":
        side = 2 * s - 2
        return f'<rect x="{x - s + 1:.1f}" y="{y - s + 1:.1f}" width="{side:.1f}" height="{side:.1f}" fill="{colour}"/>'
    if shape == "cross":
        d = s - 0.5
        return (f'<path d="M{x - d:.1f} {y - d:.1f}L{x + d:.1f} {y + d:.1f}M{x - d:.1f} {y + d:.1f}L{x + d:.1f} '
                f'{y - d:.1f}" stroke="{colour}" stroke-width="2.5" fill="none"/>')
    points = {"triangle": ((0, -1.25), (1.1, 0.85), (-1.1, 0.85)),
              "triangle-down": ((0, 1.25), (1.1, -0.85), (-1.1, -0.85)),
              "diamond": ((0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0))}[shape]
    path = "L".join(f"{x + dx * s:.1f} {y + dy * s:.1f}" for dx, dy in points)
    return f'<path d="M{path}Z" fill="{colour}"/>'


Series = tuple[str, str, Sequence]  # (key: "overall" or a stage id, name, one value per round or None)


def trend_svg(rounds: Sequence[Audit], trend: Trend, lang: str) -> str | None:
    """Overall and per-stage scores of a client's rounds, one line each, oldest left.

    ``rounds`` are the audits ``trend`` was computed from (oldest first). The x axis
    has one place per round (labelled with its date), the y axis the audits' scale.
    The overall score is a thick solid line in the text colour with round markers;
    each stage has its own colour, dash pattern and marker shape, named in the
    legend below the plot. A stage that a round lacks leaves a gap in its line (a
    lone round of it is still marked). Every point has a tooltip with its figure.
    None for fewer than two rounds: there is no trend to draw.
    """
    if len(rounds) < 2:
        return None
    names: dict[str, str] = {}
    for a in rounds:  # a stage is called what the latest round that has it calls it
        names.update({s.id: " ".join(s.name.split()) for s in a.stages})
    series: list[Series] = [("overall", label("overall", lang), trend.overall)]
    series += [(sid, names[sid], values) for sid, values in trend.stages.items()]
    plot = _TrendPlot(rounds, series)
    title = label("trend", lang)
    out = [f'<svg class="ja-chart ja-trend" viewBox="0 0 {plot.width} {plot.height}" role="img" '
           f'aria-label="{esc(title)}" xmlns="http://www.w3.org/2000/svg" font-size="{FONT}">',
           f"<title>{esc(title)}</title>"]
    out += _trend_axes(plot, rounds, lang)
    out += _trend_lines(plot, series, rounds, lang)
    out += _trend_legend(plot, series)
    out.append("</svg>")
    return "".join(out)


class _TrendPlot:
    """Where things go on the trend chart: a place per round across, the scale up, and
    below the dates a legend of as many columns as fit (names clipped, full name in the tooltip)."""

    width, left, right, top, plot_h = 640, 44, 24, 14, 240
    inset = 28  # the first and last rounds stay clear of the frame
    sample = 34  # length of a legend item's line sample

    def __init__(self, rounds: Sequence[Audit], series: Sequence[Series]):
        self.rounds = len(rounds)
        self.lo, self.hi = min(a.scale.min for a in rounds), max(a.scale.max for a in rounds)
        self.span = (self.hi - self.lo) or 1
        self.plot_w = self.width - self.left - self.right
        self.axis_y = self.top + self.plot_h
        self.name_w = min(200.0, max(text_width(n) for _, n, _ in series))
        self.item_w = self.sample + 10 + self.name_w + 24
        self.columns = max(1, int((self.width - self.left) // self.item_w))
        self.legend_top = self.axis_y + 46
        rows = -(-len(series) // self.columns)
        self.height = self.legend_top + rows * 22 + 4

    def x(self, i: int) -> float:
        return self.left + self.inset + i * (self.plot_w - 2 * self.inset) / (self.rounds - 1)

    def y(self, v) -> float:
        return self.top + self.plot_h - (float(v) - self.lo) / self.span * self.plot_h


def _series_style(k: int) -> tuple[str, str, str, str]:
    """(colour, dash attribute, marker shape, stroke width) of series k (0: overall)."""
    if k == 0:
        return "currentColor", "", "circle", "3"
    i = k - 1
    return (SERIES_COLOURS[i % len(SERIES_COLOURS)], f' stroke-dasharray="{SERIES_DASHES[i % len(SERIES_DASHES)]}"',
            MARKERS[i % len(MARKERS)], "2")


def _trend_axes(plot: _TrendPlot, rounds: Sequence[Audit], lang: str) -> list[str]:
    """Gridlines and ticks on whole scale points, the score axis' name, and each round's date."""
    left, top, plot_w, plot_h = plot.left, plot.top, plot.plot_w, plot.plot_h
    out = []
    for v in range(plot.lo, plot.hi + 1):
        out.append(f'<path d="M{left} {plot.y(v):.1f}H{left + plot_w}" stroke="currentColor" '
                   f'stroke-opacity="{0.6 if v == plot.lo else 0.18}"/>')
        out.append(f'<text x="{left - 8}" y="{plot.y(v) + 4:.1f}" text-anchor="end" fill="currentColor" '
                   f'font-size="{SMALL}">{v}</text>')
    out.append(f'<text transform="translate(12 {top + plot_h / 2:.1f}) rotate(-90)" text-anchor="middle" '
               f'fill="currentColor" font-size="{SMALL}">{esc(label("score", lang))}</text>')
    slot = (plot_w - 2 * plot.inset) / (len(rounds) - 1)
    for i, a in enumerate(rounds):
        out.append(f'<g><title>{esc(" ".join(a.title.split()))}</title>'
                   f'<text x="{plot.x(i):.1f}" y="{plot.axis_y + 18}" text-anchor="middle" fill="currentColor" '
                   f'font-size="{SMALL}">{esc(clip(a.date.isoformat(), slot - 4, SMALL))}</text></g>')
    return out


def _trend_lines(plot: _TrendPlot, series: Sequence[Series], rounds: Sequence[Audit], lang: str) -> list[str]:
    """Each series' line and its points, the stages first and the overall line last:
    drawn on top, it is never hidden. Stage points are nudged sideways, a few px apart,
    so equal scores in one round show side by side instead of hiding each other; the
    overall line keeps its place."""
    stages = len(series) - 1
    step = min(4.0, 24.0 / stages) if stages else 0.0
    out = []
    for k in [*range(1, len(series)), 0]:
        key, name, values = series[k]
        colour, dash, shape, stroke = _series_style(k)
        dodge = 0.0 if k == 0 else (k - 1 - (stages - 1) / 2) * step
        segments, run = [], []
        for i, v in enumerate(values):
            if v is None:
                segments.append(run)
                run = []
            else:
                run.append(f"{plot.x(i) + dodge:.1f} {plot.y(v):.1f}")
        segments.append(run)
        d = "".join("M" + "L".join(r) for r in segments if len(r) > 1)
        kind = "overall" if k == 0 else "stage"
        out.append(f'<g class="ja-series ja-series-{kind}" data-series="{esc(key)}">')
        if d:
            out.append(f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{stroke}"{dash} '
                       f'stroke-linejoin="round"/>')
        for i, v in enumerate(values):
            if v is None:
                continue
            tip = f"{name} · {rounds[i].date.isoformat()} · {label('score', lang)} {fmt(v)}"
            marker = _marker(shape, plot.x(i) + dodge, plot.y(v), colour, 6 if k == 0 else 5)
            out.append(f'<g class="ja-point" data-round="{esc(rounds[i].slug)}" data-value="{esc(fmt(v))}">'
                       f"<title>{esc(tip)}</title>{marker}</g>")
        out.append("</g>")
    return out


def _trend_legend(plot: _TrendPlot, series: Sequence[Series]) -> list[str]:
    """One item per series: a sample of its line and marker, and its name (clipped; the full name in a tooltip)."""
    bold = ' font-weight="bold"'
    sample = plot.sample
    out = []
    for k, (key, name, _) in enumerate(series):
        colour, dash, shape, stroke = _series_style(k)
        lx = plot.left + (k % plot.columns) * plot.item_w
        ly = plot.legend_top + (k // plot.columns) * 22
        out.append(f'<g class="ja-legend-item" data-series="{esc(key)}"><title>{esc(name)}</title>'
                   f'<path d="M{lx} {ly:.1f}H{lx + sample}" stroke="{colour}" stroke-width="{stroke}"{dash}/>'
                   f"{_marker(shape, lx + sample / 2, ly, colour, 6 if k == 0 else 5)}"
                   f'<text x="{lx + sample + 8}" y="{ly + 4.5:.1f}" fill="currentColor"{bold if k == 0 else ""}>'
                   f"{esc(clip(name, plot.name_w))}</text></g>")
    return out
