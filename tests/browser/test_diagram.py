"""The journey diagram on an audit page: seen, and a way into each touchpoint's section."""

from __future__ import annotations

import re

import pytest

from browser_kit import expect

DIAGRAM = "article .ja-diagram svg"


def node(page, tp_id: str):
    """The diagram's node of touchpoint ``tp_id``: the group holding its link."""
    link = page.locator(f'a[href="#tp-{tp_id}"], a[*|href="#tp-{tp_id}"]')
    return page.locator(f"{DIAGRAM} g.node").filter(has=link)


def node_links(page) -> list[str]:
    """The targets of the diagram's links, in document order."""
    return page.locator(f"{DIAGRAM} a").evaluate_all(
        "links => links.map(a => a.getAttribute('href') || a.getAttribute('xlink:href'))")


@pytest.mark.parametrize("which", ["zh_audit", "en_audit"])
def test_the_diagram_is_visible_with_a_link_per_touchpoint(visitor, which, request):
    audit = request.getfixturevalue(which)
    visitor.open(f"audits/{audit.slug}/")
    diagram = visitor.page.locator(DIAGRAM)
    expect(diagram).to_be_visible()
    box = diagram.bounding_box()
    assert box["width"] > 300 and box["height"] > 150, box
    # Every node is drawn and links to its touchpoint's section, which exists
    assert sorted(node_links(visitor.page)) == sorted(f"#tp-{tp.id}" for _, tp in audit.touchpoints())
    for _, tp in audit.touchpoints():
        shape = node(visitor.page, tp.id)
        expect(shape).to_have_count(1)
        assert tp.name in shape.text_content(), tp.name
        assert visitor.page.locator(f"#tp-{tp.id}").count() == 1
    assert visitor.problems == []


@pytest.mark.parametrize("which", ["zh_audit", "en_audit"])
def test_clicking_a_touchpoint_node_scrolls_to_its_section(visitor, which, request):
    audit = request.getfixturevalue(which)
    page = visitor.page
    visitor.open(f"audits/{audit.slug}/")
    # The last touchpoint of the journey: its section is far below the diagram
    _, tp = list(audit.touchpoints())[-1]
    section = page.locator(f"#tp-{tp.id}")
    expect(section).not_to_be_in_viewport()

    node(page, tp.id).locator("path, polygon, ellipse").first.click()

    expect(page).to_have_url(re.compile(rf"/audits/{re.escape(audit.slug)}/#tp-{re.escape(tp.id)}$"))
    expect(section).to_be_in_viewport()
    # ... and not hidden under Material's sticky header
    header = page.locator(".md-header").bounding_box()
    top = section.bounding_box()["y"]
    assert header["y"] + header["height"] - 1 <= top < page.viewport_size["height"], (top, header)
    assert visitor.problems == []


@pytest.mark.parametrize("window", [(1280, 800), (1440, 900)], ids=lambda w: f"{w[0]}x{w[1]}")
@pytest.mark.parametrize("which", ["zh_audit", "en_audit"])
def test_the_whole_diagram_fits_a_laptop_window(visitor, which, window, request):
    audit = request.getfixturevalue(which)
    visitor.page.set_viewport_size({"width": window[0], "height": window[1]})
    visitor.open(f"audits/{audit.slug}/")
    column, drawn = visitor.page.locator("article .ja-diagram").evaluate("d => [d.clientWidth, d.scrollWidth]")
    assert drawn <= column + 1, f"the diagram is {drawn} px wide in a {column} px column: its right end is cut off"


# The svg's width on screen, and its natural width (viewBox units are pt: 4/3 px each)
SIZES_JS = "svg => [svg.getBoundingClientRect().width, svg.viewBox.baseVal.width * 4 / 3]"


@pytest.mark.parametrize("which", ["zh_audit", "en_audit"])
def test_on_a_phone_the_diagram_scrolls_sideways_at_a_readable_size(visitor, which, request):
    """Shrunk to a phone's width the labels would be specks: it keeps 60 % of its size and scrolls."""
    audit = request.getfixturevalue(which)
    page = visitor.page
    page.set_viewport_size({"width": 390, "height": 844})
    visitor.open(f"audits/{audit.slug}/")
    shown, natural = page.locator(DIAGRAM).evaluate(SIZES_JS)
    assert shown >= 0.6 * natural - 1, f"drawn {shown:.0f} px wide, {shown / natural:.0%} of its natural size"
    wrap = page.locator("article .ja-diagram")
    column, drawn = wrap.evaluate("d => [d.clientWidth, d.scrollWidth]")
    assert drawn > column
    # The page itself does not scroll sideways: only the diagram does
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    wrap.evaluate("d => d.scrollLeft = d.scrollWidth")
    assert wrap.evaluate("d => d.scrollLeft") >= drawn - column - 1
    assert visitor.problems == []
