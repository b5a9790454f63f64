"""Readable in both palettes: text on score colours keeps WCAG AA contrast.

Measured in the browser after Material's palette toggle, from computed colours: the
diagram's and the charts' SVG labels against the shapes they sit on, the heat map's
cells, the headline badges and the score chips. AA asks 4.5:1 for text, 3:1 for
large text (24 px, or 18.66 px bold).
"""

from __future__ import annotations

import pytest

from browser_kit import html_contrasts, svg_contrasts

SVG = "article .ja-diagram svg, article svg.ja-chart"
HTML = "article .ja-heatmap table, article .ja-badges, article .ja-chip"


def page_path(which: str, request) -> str:
    if which == "portfolio":
        return ""
    return f"audits/{request.getfixturevalue(which).slug}/"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("which", ["portfolio", "zh_audit", "en_audit"])
def test_text_on_score_colours_keeps_aa_contrast(visitor, which, scheme, request):
    visitor.open(page_path(which, request))
    if scheme == "dark":
        visitor.dark()
    measured = svg_contrasts(visitor.page, SVG) + html_contrasts(visitor.page, HTML)
    kinds = {m.where.split(" ")[0] for m in measured}  # svg class, or tag.class
    expected = {"span.ja-chip"} if which == "portfolio" else {
        "jd-diagram", "ja-chart", "span.ja-chip", "span.ja-badge-value", "td", "th"}
    assert expected <= kinds, f"nothing measured in {expected - kinds}"
    failing = [str(m) for m in measured if m.ratio < m.required]
    assert not failing, f"{len(failing)} of {len(measured)} texts below WCAG AA:\n" + "\n".join(failing)
    assert visitor.problems == []
