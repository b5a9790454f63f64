"""Finding an audit the way a client team does: tabs and the sidebar, not typed URLs."""

from __future__ import annotations

import pytest

from journey_audit.labels import label

from browser_kit import expect


def heading_text(locator) -> str:
    """A heading's words, without the ¶ permalink MkDocs adds."""
    return locator.inner_text().replace("¶", "").strip()


@pytest.mark.parametrize("which", ["zh_audit", "en_audit"])
def test_open_an_audit_from_the_navigation(visitor, which, request):
    audit = request.getfixturevalue(which)
    page = visitor.page
    visitor.open()
    site_lang = page.locator("html").get_attribute("lang")

    page.locator(".md-tabs").get_by_role("link", name=label("clients", site_lang), exact=True).click()
    visitor.settle()
    sidebar = page.locator(".md-sidebar--primary")
    audit_link = sidebar.get_by_role("link", name=audit.title, exact=True)
    if not audit_link.is_visible():  # another client's page: open this client's first
        sidebar.get_by_role("link", name=audit.client, exact=True).click()
        visitor.settle()
        assert visitor.url_path() == f"clients/{audit.client_id}/"
    audit_link.click()
    visitor.settle()

    assert visitor.url_path() == f"audits/{audit.slug}/"
    title = page.locator("article h1")
    assert heading_text(title) == audit.title
    expect(title).to_have_attribute("lang", audit.language)
    # The page speaks the audit's language, and has a section for every touchpoint
    assert heading_text(page.locator("article h2#diagram")) == label("diagram", audit.language)
    for stage, tp in audit.touchpoints():
        star = "★ " if tp.moment_of_truth else ""  # moments of truth are starred, as in the diagram
        assert heading_text(page.locator(f"article #tp-{tp.id}")) == star + tp.name
    assert visitor.problems == []
