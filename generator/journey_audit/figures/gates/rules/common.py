"""What several rules share: the figures a rule can name, their words, and comparing
figures *as shown*."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from ....labels import DEFAULT_LANGUAGE
from ...scoring import round1

FIGURES = ("message", "consistency", "score")

# A figure as a rule names it ("… at least 3 on consistency").
FIGURE_WORDS = {
    "message": {"en": "message", "zh": "信息得分"},
    "consistency": {"en": "consistency", "zh": "一致性"},
    "score": {"en": "score", "zh": "得分"},
}

# What a minimum found: "consistency 3.2 (minimum 3)".
FOUND_MIN = {"en": "{figure} {value} (minimum {min})", "zh": "{figure} {value}（最低 {min}）"}


def word(words: Mapping[str, str], lang: str | None) -> str:
    """``words`` in ``lang``, else in the default language (as :func:`labels.label` does).

    >>> word(FIGURE_WORDS["message"], "zh"), word(FIGURE_WORDS["message"], "fr")
    ('信息得分', 'message')
    """
    return words.get(lang or DEFAULT_LANGUAGE) or words[DEFAULT_LANGUAGE]


def at_least(value: Any, minimum: float) -> bool:
    """Whether ``value`` meets ``minimum`` as shown: one decimal, so "3.5" on the page meets 3.5.

    >>> from fractions import Fraction
    >>> at_least(Fraction(345, 100), 3.5), at_least(Fraction(344, 100), 3.5)
    (True, False)
    """
    return round1(value) >= Decimal(repr(minimum))
