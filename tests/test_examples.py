"""The example audits in ``audits/``: the default input of every command, and what a
new consultant reads first. They must be valid without warnings, in canonical form,
and rich enough to show every page of the site.

The first test reads whatever ``audits/`` holds now, a consultant's own audits and
drafts included: it is the one test that tells them a file of theirs is broken
(``journey-audit validate`` says which and where). Every other test of the suite,
these below included, uses the example audits as the commit ships them.
"""

from __future__ import annotations

from pathlib import Path

from journey_audit.audit.fmt import format_text
from journey_audit.audit.portfolio import load_portfolio

from shipped import REPO

AUDITS = REPO / "audits"


def test_every_example_validates_without_warnings() -> None:
    portfolio = load_portfolio([AUDITS])
    assert [p.format() for p in portfolio.problems] == [], "run: journey-audit validate"
    assert len(portfolio.audits) == len(list(AUDITS.rglob("*.yaml"))) >= 4


def test_examples_are_in_canonical_form(example_audits: Path) -> None:
    for path in sorted(example_audits.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert format_text(text, str(path)) == text, f"run: journey-audit fmt {path.relative_to(example_audits)}"


def test_examples_cover_both_languages_rounds_and_realistic_sizes(example_audits: Path) -> None:
    audits = load_portfolio([example_audits]).audits
    assert len(audits) >= 4
    assert {a.language for a in audits} == {"zh", "en"}
    for a in audits:
        assert 10 <= sum(1 for _ in a.touchpoints()) <= 30, a.slug
    by_slug = {a.slug: a for a in audits}
    linked = {by_slug[a.previous].client_id for a in audits if a.previous}
    assert len(linked) >= 2  # at least two clients with two rounds linked by `previous`
