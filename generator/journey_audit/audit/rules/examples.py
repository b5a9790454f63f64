"""The examples in the rule families' docstrings: the minimal audit with one line changed.

Each example prints what ``journey-audit validate`` prints (the file is ``a.yaml``);
the doctests run them, so a rule's documentation cannot drift from what it reports.

>>> example()
(no problem)
>>> example("score: 3", "score: three")
a.yaml:17:18: error: 'score' must be a whole number, not 'three' (type)
>>> example("score: 3", "score: 9", "quality: 4", "quality: 0")
a.yaml:17:18: error: message score 9 is off the scale 1..5: write a whole number from 1 to 5 (score-range)
a.yaml:19:20: error: consistency score for 'quality' 0 is off the scale 1..5: write a whole number from 1 to 5 (or ~ where the core message does not apply) (score-range)
"""

from __future__ import annotations

MINIMAL = """\
title: Minimal audit
client: Acme Tools
date: 2026-01-15
involvement: low
core_messages:
  - id: quality
    text: Tools that last
stages:
  - id: search
    name: Search
    touchpoints:
      - id: website
        name: Website
        channel: online
        message:
          intended: Show the tools at work
          score: 3
        consistency:
          quality: 4
"""


def example(*changes: str, slug: str = "minimal") -> None:
    """Validate :data:`MINIMAL` with each ``old`` of the pairs ``old, new`` replaced (the first
    time it occurs) by its ``new``; print every problem."""
    text = MINIMAL
    for old, new in zip(changes[::2], changes[1::2]):
        if old not in text:
            raise ValueError(f"{old!r} is not in the minimal audit")
        text = text.replace(old, new, 1)
    example_text(text, slug)


def example_text(text: str, slug: str = "minimal") -> None:
    """Validate ``text`` as file ``a.yaml`` of audit ``slug``; print every problem."""
    from ..validate import validate_text  # the driver, which imports every family

    _, problems = validate_text(text, "a.yaml", slug)
    print("\n".join(p.format() for p in problems) or "(no problem)")
