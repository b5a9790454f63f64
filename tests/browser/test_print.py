"""Printing an audit page: a clean report, without the site around it, diagram whole.

The page is laid out as print media in the printable area of an A4 sheet with the
margins of the site's ``@page`` rule, then printed to PDF by Chromium, as "Save as
PDF" does.
"""

from __future__ import annotations

import re

import pytest

from browser_kit import PRINTABLE, expect

PRINTABLE_WIDTH, PRINTABLE_HEIGHT = PRINTABLE["width"], PRINTABLE["height"]
SITE_CHROME = {  # what a printed report must not show
    "header": ".md-header", "tabs": ".md-tabs", "navigation": ".md-sidebar--primary",
    "table of contents": ".md-sidebar--secondary", "footer": ".md-footer", "back to top": ".md-top",
    "search": ".md-search",
}

# Rectangles of the diagram and of every ancestor that could cut it off (overflow not visible)
CLIPPING_JS = r"""
(svg) => {
  const rect = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const clips = [];
  for (let e = svg.parentElement; e && e !== document.documentElement; e = e.parentElement) {
    const cs = getComputedStyle(e);
    if (cs.overflowX !== 'visible' || cs.overflowY !== 'visible') clips.push([e.className, rect(e)]);
  }
  const wrap = svg.closest('.ja-diagram');
  return {box: rect(svg), clips, scroll: [wrap.scrollWidth, wrap.clientWidth],
          breakInside: getComputedStyle(wrap).breakInside};
}
"""


@pytest.fixture
def printed(visitor, request):
    """An audit page laid out for print, at the width of the printed page."""
    audit = request.getfixturevalue(request.param)
    visitor.open(f"audits/{audit.slug}/")
    visitor.print_layout()
    return visitor, audit


@pytest.mark.parametrize("printed", ["zh_audit", "en_audit"], indirect=True)
def test_the_printed_audit_has_no_navigation_and_the_whole_diagram(printed):
    visitor, audit = printed
    page = visitor.page
    shown = [name for name, selector in SITE_CHROME.items() if page.locator(selector).first.is_visible()]
    assert not shown, f"printed with the site's {', '.join(shown)}"
    expect(page.locator("article h1")).to_be_visible()
    for _, tp in audit.touchpoints():
        expect(page.locator(f"#tp-{tp.id}")).to_be_visible()

    diagram = page.locator("article .ja-diagram svg")
    expect(diagram).to_be_visible()
    found = diagram.evaluate(CLIPPING_JS)
    left, top, right, bottom = found["box"]
    assert -0.5 <= left and right <= PRINTABLE_WIDTH + 0.5, f"diagram {left:.0f}–{right:.0f} px across a " \
                                                            f"{PRINTABLE_WIDTH} px wide page"
    assert bottom - top <= PRINTABLE_HEIGHT, f"diagram {bottom - top:.0f} px tall; a page is {PRINTABLE_HEIGHT}"
    for name, (cl, ct, cr, cb) in found["clips"]:
        assert cl - 0.5 <= left and right <= cr + 0.5 and ct - 0.5 <= top and bottom <= cb + 0.5, \
            f"the diagram is cut off by .{name}"
    scroll_width, client_width = found["scroll"]
    assert scroll_width <= client_width + 1, "the diagram scrolls sideways in print"
    # It fits on a page, and is kept whole on one (not split across two)
    assert found["breakInside"] == "avoid"
    assert visitor.problems == []


@pytest.mark.parametrize("printed", ["zh_audit", "en_audit"], indirect=True)
def test_nothing_on_the_printed_audit_is_wider_than_the_sheet(printed):
    """Wider content makes the browser shrink the whole report to fit, or cuts it off."""
    visitor, _ = printed
    too_wide = visitor.page.evaluate("""(width) => Array.from(
        document.querySelectorAll('article *'), e => [e, e.getBoundingClientRect()])
        .filter(([e, r]) => r.width && (r.left < -0.5 || r.right > width + 0.5))
        .map(([e, r]) => `${e.tagName.toLowerCase()}.${e.getAttribute('class') || ''} ${r.left.toFixed(0)}–${r.right.toFixed(0)}`)
        .slice(0, 10)""", PRINTABLE_WIDTH)
    assert not too_wide, f"wider than the {PRINTABLE_WIDTH} px of the sheet:\n" + "\n".join(too_wide)


MEDIA_BOX = re.compile(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]")


@pytest.mark.parametrize("printed", ["zh_audit", "en_audit"], indirect=True)
def test_the_diagram_prints_across_the_long_side_of_a_sheet_of_its_own(printed):
    """Across a portrait sheet a journey's labels print at about 5 pt; along it, half as large again."""
    visitor, _ = printed
    page = visitor.page
    box = page.locator("article .ja-diagram svg").bounding_box()
    assert box["height"] > PRINTABLE_WIDTH > box["width"], f"the diagram is not turned: {box}"
    # The heading goes with it, onto a page of its own: nothing else shares its page name
    named = page.evaluate("""() => Array.from(document.querySelectorAll('article > *'),
        e => [e.id || e.className, getComputedStyle(e).page]).filter(([, name]) => name !== 'auto')""")
    assert named == [["diagram", "ja-diagram"], ["ja-diagram", "ja-diagram"]], named
    # ... which Chromium prints as a landscape sheet, and only that one
    pdf = page.pdf(format="A4", print_background=True)
    sheets = [(float(w), float(h)) for w, h in MEDIA_BOX.findall(pdf)]
    assert sum(w > h for w, h in sheets) == 1 and len(sheets) > 1, sheets
    assert visitor.problems == []


@pytest.mark.parametrize("printed", ["zh_audit"], indirect=True)
def test_an_audit_page_prints_to_pdf(printed, output_dir):
    visitor, audit = printed
    pdf = visitor.page.pdf(format="A4", print_background=True)
    assert pdf.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages > 1, "the whole audit squeezed onto one sheet?"
    (output_dir / f"{audit.slug}.pdf").write_bytes(pdf)
    assert visitor.problems == []
