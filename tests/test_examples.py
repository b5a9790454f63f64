"""The example audits in ``audits/``: the default input of every command, and what a
new consultant reads first. They must be valid without warnings, in canonical form,
and rich enough to show every page of the site."""

from __future__ import annotations

from pathlib import Path

from journey_audit.fmt import format_text
from journey_audit.portfolio import load_portfolio

AUDITS = Path(__file__).resolve().parent.parent / "audits"


def test_every_example_validates_without_warnings() -> None:
    portfolio = load_portfolio([AUDITS])
    assert [p.format() for p in portfolio.problems] == []
    assert len(portfolio.audits) == len(list(AUDITS.rglob("*.yaml"))) >= 4


def test_examples_are_in_canonical_form() -> None:
    for path in sorted(AUDITS.rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert format_text(text, str(path)) == text, f"run: journey-audit fmt {path}"


def test_examples_cover_both_languages_rounds_and_realistic_sizes() -> None:
    audits = load_portfolio([AUDITS]).audits
    assert {a.language for a in audits} == {"zh", "en"}
    for a in audits:
        assert 10 <= sum(1 for _ in a.touchpoints()) <= 30, a.slug
    by_slug = {a.slug: a for a in audits}
    linked = {by_slug[a.previous].client_id for a in audits if a.previous}
    assert len(linked) >= 2  # at least two clients with two rounds linked by `previous`
