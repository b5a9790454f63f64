"""The portfolio, as a consultant opens the site: every audit, newest first, sortable."""

from __future__ import annotations

from journey_audit.figures.scoring import compute, fmt, round1

from browser_kit import expect

TABLE = ".ja-portfolio table"


def shown_slugs(visitor) -> list[str]:
    """The audits in the portfolio table, top to bottom, as their slugs."""
    return visitor.page.locator(f"{TABLE} tbody tr").evaluate_all("rows => rows.map(r => r.dataset.audit)")


def column(visitor, name: str) -> list[str]:
    """The text of the column headed ``name``, top to bottom."""
    page = visitor.page
    headings = page.locator(f"{TABLE} thead th").all_inner_texts()
    index = [h.strip().rstrip("↕▲▼ ").strip() for h in headings].index(name)
    return page.locator(f"{TABLE} tbody tr").evaluate_all(
        "(rows, i) => rows.map(r => r.cells[i].innerText.trim())", index)


def test_the_portfolio_lists_every_audit_newest_first(visitor, portfolio):
    visitor.open()
    expected = sorted(portfolio.audits, key=lambda a: (a.date, a.slug), reverse=True)
    assert shown_slugs(visitor) == [a.slug for a in expected]
    titles = visitor.page.locator(f"{TABLE} tbody tr td:nth-child(2)").all_inner_texts()
    assert [t.strip() for t in titles] == [a.title for a in expected]
    assert visitor.problems == []


def test_clicking_a_heading_sorts_the_rows_by_that_column(visitor, portfolio):
    visitor.open()
    page = visitor.page
    overall = {a.slug: round1(compute(a).score) for a in portfolio.audits}  # as shown, one decimal
    heading = page.locator(f"{TABLE} thead th").filter(has_text="Overall")

    heading.get_by_role("button").click()
    expect(heading).to_have_attribute("aria-sort", "ascending")
    ascending = [overall[s] for s in shown_slugs(visitor)]
    assert ascending == sorted(ascending), ascending
    assert column(visitor, "Overall") == [fmt(x) for x in ascending]

    heading.get_by_role("button").click()
    expect(heading).to_have_attribute("aria-sort", "descending")
    descending = [overall[s] for s in shown_slugs(visitor)]
    assert descending == sorted(descending, reverse=True), descending

    # A text column: dates, oldest first; the heading sorted before no longer claims to be
    date = page.locator(f"{TABLE} thead th").filter(has_text="Date")
    date.get_by_role("button").click()
    expect(date).to_have_attribute("aria-sort", "ascending")
    expect(heading).not_to_have_attribute("aria-sort", "descending")
    dates = {a.slug: a.date for a in portfolio.audits}
    shown = [dates[s] for s in shown_slugs(visitor)]
    assert shown == sorted(shown)
    assert sorted(shown_slugs(visitor)) == sorted(a.slug for a in portfolio.audits)  # no row lost
    assert visitor.problems == []
