"""Accessibility: axe-core finds no serious or critical violation on the pages a client reads.

axe-core (the npm package) is injected into the rendered page and run on the whole
document: the portfolio and every audit page in the light palette; in the dark one,
the rules about colour on one page of each kind.

Violations already reported and waiting for a fix are listed in ``KNOWN``: the main
tests pass over them (so any other violation fails at once), and
``test_known_violations_are_fixed`` fails (strict xfail) until they are gone; then
delete the entry.
"""

from __future__ import annotations

import pytest

SEVERE = ("serious", "critical")
KNOWN = {  # (axe rule, element) → where the fix belongs
    ("aria-dialog-name", ".md-search"):
        "Material's search partial has role=dialog without a name: override partials/search.html "
        "in site_theme/ with aria-label on .md-search",
    ("nested-interactive", ".ja-ipa"):
        "charts.py: the importance-performance <svg role=img> holds focusable <a> links; role=img "
        "hides them from assistive technology (use role=group, or no role, with its <title>)",
}


def violations(visitor, axe_source: str, rules: list[str] | None = None) -> list[tuple[str, str, str]]:
    """axe-core's serious and critical violations on the current page: (rule, element, report).

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
            found.append((v["id"], target, f"{page.url}\n  {v['impact']} {v['id']} ({v['help']}): {target}\n"
                                            f"  {node['html'][:160]}\n  {' '.join(summary).strip()}"))
    return found


def unknown(found) -> list[str]:
    return [report for rule, target, report in found if (rule, target) not in KNOWN]


def paths(portfolio) -> list[str]:
    """The portfolio and every audit page."""
    return [""] + [f"audits/{a.slug}/" for a in sorted(portfolio.audits, key=lambda a: a.slug)]


def test_the_portfolio_and_every_audit_page_pass_axe(visitor, axe_source, portfolio):
    found = []
    for path in paths(portfolio):
        visitor.open(path)
        found += unknown(violations(visitor, axe_source))
    assert not found, f"{len(found)} serious or critical axe-core violations:\n" + "\n".join(found)
    assert visitor.problems == []


@pytest.mark.parametrize("which", ["portfolio", "zh_audit"])
def test_the_dark_palette_passes_axe(visitor, axe_source, which, request):
    visitor.open("" if which == "portfolio" else f"audits/{request.getfixturevalue(which).slug}/")
    visitor.dark()
    # Only colours change with the palette: the rules about them
    found = unknown(violations(visitor, axe_source, ["color-contrast", "link-in-text-block"]))
    assert not found, f"{len(found)} serious or critical axe-core violations in the dark palette:\n" + "\n".join(found)


@pytest.mark.parametrize("rule, target", [
    pytest.param(rule, target, marks=pytest.mark.xfail(strict=True, reason=why), id=rule)
    for (rule, target), why in KNOWN.items()])
def test_known_violations_are_fixed(visitor, axe_source, zh_audit, rule, target):
    visitor.open(f"audits/{zh_audit.slug}/")
    left = [report for r, t, report in violations(visitor, axe_source, [rule]) if t == target]
    assert not left, "\n".join(left)
