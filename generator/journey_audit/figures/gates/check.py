"""Evaluating gates on audits: every gate's rule on one audit, or on the latest round of each client."""

from __future__ import annotations

import datetime as dt

from ...audit.model import Audit, round_order
from ..scoring import FiguresOf, compute
from . import rules
from .model import Context, Gate, GateResult


def evaluate(audit: Audit, gates: list[Gate], previous: Audit | None = None,
             today: dt.date | None = None, figures: FiguresOf = compute) -> list[GateResult]:
    """Every gate's results for one audit, in the gates' order.

    ``previous`` is the audit named by ``audit.previous`` (for ``stage-drop``);
    ``today`` the date due dates are checked against (default: today).
    """
    ctx = Context(audit, figures(audit), previous, figures(previous) if previous is not None else None,
                  today or dt.date.today())
    return [result for gate in gates for result in rules.get(gate.rule).check(gate, ctx)]


def latest_rounds(audits: list[Audit]) -> list[Audit]:
    """The newest audit of each client (by date, then slug): the current state that
    gates guard. Earlier rounds are history; their recommendations were followed up
    in the next round."""
    latest: dict[str, Audit] = {}
    for a in sorted(audits, key=round_order):
        latest[a.client_id or ""] = a
    return sorted(latest.values(), key=lambda a: a.path)


def check_audits(audits: list[Audit], gates: list[Gate], today: dt.date | None = None,
                 all_rounds: bool = False, drafts: bool = False) -> list[GateResult]:
    """Results of every gate for the latest round of each client (or every audit);
    ``stage-drop`` compares with the audit that ``previous`` names, when it is among ``audits``.

    Draft audits (``status: draft``) are work in progress, not rounds to judge: they are
    left out unless ``drafts`` (so a template just made by ``new`` is not taken for the
    client's latest round); a draft named as ``previous`` is still compared with.
    """
    by_slug = {a.slug: a for a in audits}
    rounds = [a for a in audits if drafts or a.status != "draft"]
    out: list[GateResult] = []
    for a in (sorted(rounds, key=lambda a: a.path) if all_rounds else latest_rounds(rounds)):
        out += evaluate(a, gates, by_slug.get(a.previous) if a.previous else None, today)
    return out
