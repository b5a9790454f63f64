"""Accessibility: axe-core finds no serious or critical violation on the pages a client reads.

axe-core (the npm package) is injected into the rendered page and run on the whole
document: the portfolio, every client page and every audit page in the light palette;
in the dark one, the rules about colour on the portfolio and an audit page.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shipped import example_audit_names

SEVERE = ("serious", "critical")
# One test per audit page (a full axe run takes seconds on a long one), so they spread over workers.
AUDIT_SLUGS = [Path(name).stem for name in example_audit_names()]


def violations(visitor, axe_source: str, rules: list[str] | None = None) -> list[str]:
    """axe-core's serious and critical violations on the current page, one report per element.

    ``rules``: run only these axe rules (a full run takes seconds on a long audit page).
    """
    page = visitor.page
    page.add_script_tag(content=axe_source)
    options = {"resultTypes": ["violations"]}
    if rules:
        options["runOnly"] = {"type": "rule", "values": rules}
    result = page.evaluate("(options) => axe.run(document, options)", options)
    found = []
    for v in result["violations"]:
        if v["impact"] not in SEVERE:
            continue
        for node in v["nodes"]:
            target = " ".join(node["target"])
            summary = (node.get("failureSummary") or "").strip().splitlines()[-1:]
            found.append(f"{page.url}\n  {v['impact']} {v['id']} ({v['help']}): {target}\n"
                         f"  {node['html'][:160]}\n  {' '.join(summary).strip()}")
    return found


def paths(portfolio, which: str) -> list[str]:
    """The portfolio, every client page, or one audit page."""
    if which == "portfolio":
        # (and the audit pages are those of every audit the site shows)
        assert sorted(a.slug for a in portfolio.audits) == sorted(AUDIT_SLUGS)
        return [""]
    if which == "client pages":
        return [f"clients/{c}/" for c in sorted({a.client_id for a in portfolio.audits})]
    return [f"audits/{which}/"]


@pytest.mark.parametrize("which", ["portfolio", "client pages", *AUDIT_SLUGS])
def test_the_portfolio_client_and_audit_pages_pass_axe(visitor, axe_source, portfolio, which):
    found = []
    for path in paths(portfolio, which):
        visitor.open(path)
        found += violations(visitor, axe_source)
    assert not found, f"{len(found)} serious or critical axe-core violations:\n" + "\n".join(found)
    assert visitor.problems == []


@pytest.mark.parametrize("which", ["portfolio", "zh_audit"])
def test_the_dark_palette_passes_axe(visitor, axe_source, which, request):
    visitor.open("" if which == "portfolio" else f"audits/{request.getfixturevalue(which).slug}/")
    visitor.dark()
    # Only colours change with the palette: the rules about them
    found = violations(visitor, axe_source, ["color-contrast", "link-in-text-block"])
    assert not found, f"{len(found)} serious or critical axe-core violations in the dark palette:\n" + "\n".join(found)

