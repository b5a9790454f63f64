"""``journey-audit new SLUG --from PREVIOUS``: the next round, written from the last one.

What carries over: the client, the core messages, the stages and touchpoints (names,
channels, owners, importance, the intended message and method), each metric's id,
name, unit, target and better, and every recommendation not done or dropped, with its
id (format 1.1), so the next round can say what became of it. ``previous`` names the
last round; the status is draft.

What does not: every score and measured value (message scores, consistency scores,
prospects, metric values), what was observed, notes and evidence. Each is written as
:data:`TO_FILL`, which ``journey-audit validate`` refuses (a score or a number, not
text), so no old score is carried over by accident.

>>> from .validate import validate_text
>>> from .rules.examples import MINIMAL
>>> old, _ = validate_text(MINIMAL, slug="acme-2026q1")
>>> text = next_round_text(old, "acme-2026q3", "2026-09-01")
>>> print(text[text.index("stages:"):], end="")
stages:
  - id: search
    name: Search
    touchpoints:
      - id: website
        name: Website
        channel: online
        importance: 5
        message:
          intended: Show the tools at work
          score: TO-FILL
        consistency:
          quality: TO-FILL
>>> sorted({p.rule for p in validate_text(text, slug="acme-2026q3")[1]})
['type']
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import yaml

from .fmt import format_text
from .model import Audit, Metric, Recommendation, Stage, Touchpoint
from .problems import Problem

TO_FILL = "TO-FILL"  # where the auditor writes this round's score or measurement
_CLOSED = ("done", "dropped")


def _metric(m: Metric) -> dict[str, Any]:
    out: dict[str, Any] = {"id": m.id, "name": m.name, "value": TO_FILL}
    for key in ("unit", "target", "better"):
        if getattr(m, key) is not None:
            out[key] = getattr(m, key)
    return out


def _recommendation(r: Recommendation) -> dict[str, Any]:
    out: dict[str, Any] = {"id": r.id} if r.id is not None else {}
    out.update({"text": r.text, "priority": r.priority})
    for key in ("effort", "owner", "due"):
        if getattr(r, key) is not None:
            out[key] = getattr(r, key).isoformat() if key == "due" else getattr(r, key)
    if r.status != "open":
        out["status"] = r.status
    return out


def _touchpoint(tp: Touchpoint) -> dict[str, Any]:
    out: dict[str, Any] = {"id": tp.id, "name": tp.name, "channel": tp.channel}
    for key in ("owner", "message_type", "direction", "trigger"):  # the last two: format 1.1
        if getattr(tp, key) is not None:
            out[key] = getattr(tp, key)
    if tp.segments:
        out["segments"] = list(tp.segments)
    if tp.moment_of_truth:
        out["moment_of_truth"] = True
    out["importance"] = tp.importance
    message: dict[str, Any] = {"intended": tp.message.intended}
    if tp.message.method:
        message["method"] = tp.message.method
    message["score"] = TO_FILL
    if tp.message.appeal:
        message["appeal"] = tp.message.appeal
    out["message"] = message
    # A core message that did not apply (~) is likely still not to: keep it, the rest to fill.
    out["consistency"] = {k: None if v is None else TO_FILL for k, v in tp.consistency.items()}
    if tp.metrics:
        out["metrics"] = [_metric(m) for m in tp.metrics]
    carried = [_recommendation(r) for r in tp.recommendations if r.status not in _CLOSED]
    if carried:
        out["recommendations"] = carried
    return out


def _stage(s: Stage) -> dict[str, Any]:
    out: dict[str, Any] = {"id": s.id, "name": s.name}
    if s.prospects is not None:
        out["prospects"] = TO_FILL
    if s.metrics:
        out["metrics"] = [_metric(m) for m in s.metrics]
    if s.prospects_by_segment:
        out["prospects_by_segment"] = {k: TO_FILL for k in s.prospects_by_segment}
    out["touchpoints"] = [_touchpoint(tp) for tp in s.touchpoints]
    return out


def next_round_text(previous: Audit, slug: str, date: str, title: str | None = None) -> str:
    """The YAML text of round ``slug`` (dated ``date``, YYYY-MM-DD) after ``previous``,
    in the canonical form of ``journey-audit fmt``."""
    data: dict[str, Any] = {"title": title or previous.title, "client": previous.client,
                            "client_id": previous.client_id, "date": date}
    for key in ("auditors", "language", "industry"):
        if getattr(previous, key):
            data[key] = getattr(previous, key)
    data.update({"involvement": previous.involvement, "previous": previous.slug, "status": "draft"})
    scale = previous.scale
    if (scale.min, scale.max) != (1, 5):
        data["scale"] = {"min": scale.min, "max": scale.max}
    if (previous.weights.message, previous.weights.consistency) != (0.5, 0.5):
        data["weights"] = {"message": previous.weights.message, "consistency": previous.weights.consistency}
    if previous.segments:  # format 1.1: the same segments, as written
        data["segments"] = [{k: v for k in ("id", "name", "share", "involvement", "description")
                             if (v := getattr(seg, k)) is not None} for seg in previous.segments]
    data["core_messages"] = [{"id": cm.id, "text": cm.text} for cm in previous.core_messages]
    data["stages"] = [_stage(s) for s in previous.stages]
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)
    return format_text(text)


def write_next_round(previous_path: Path, slug: str, title: str | None = None,
                     date: str | None = None) -> tuple[Path | None, list[Problem], str]:
    """Write ``<slug>.yaml`` next to ``previous_path`` (today's date unless ``date``).

    Returns the file written (None when nothing was: the previous audit does not
    validate, or the file exists: it is never overwritten), the previous audit's
    problems, and a sentence for the user.
    """
    from .validate import (
        validate_file,  # the driver imports the rules, which need the model only
    )

    previous, problems = validate_file(previous_path, str(previous_path))
    if previous is None:
        return None, problems, f"error: {previous_path} is not a valid audit; fix it first"
    target = previous_path.parent / f"{slug}.yaml"
    try:
        with open(target, "x", encoding="utf-8") as f:
            f.write(next_round_text(previous, slug, date or dt.date.today().isoformat(), title))
    except FileExistsError:
        return None, problems, f"error: {target} already exists; choose another id or edit that file"
    return target, problems, (f"wrote {target}, the round after {previous.slug}: replace every {TO_FILL} with "
                              f"this round's score or measurement; `journey-audit validate {target}` refuses it "
                              "until then")
