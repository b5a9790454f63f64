"""The audit page's follow-up (format 1.1): what became of the previous round's
recommendations (follow-through, overall and per owner), and the measured results
(metrics: met or missed, change since the previous round).

Formatting only: the figures are those of :func:`journey_audit.figures.scoring.follow_through`
and :func:`~journey_audit.figures.scoring.metric_figures`, so the page, the JSON export and the diff agree to the digit.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from ..audit.model import Audit
from ..figures.scoring import (
    FollowThrough,
    MetricFigures,
    fmt_measure,
    fmt_measure_delta,
    fmt_percent,
)
from ..labels import label
from .escape import text as esc
from .page_html import md_heading, status_label, table, td


def follow_through_section(ft: FollowThrough | None, lang: str, previous_href: str) -> tuple[str, ...]:
    """Heading and body of "Last round's recommendations": the rate, the rate per owner,
    and each recommendation with its status now; nothing when the previous round has no
    recommendation with an id (an audit without format 1.1 fields looks as before)."""
    if ft is None or ft.rate is None:
        return ()
    rate = label("follow_through_rate", lang).format(done=ft.done, total=len(ft.items), rate=fmt_percent(ft.rate))
    summary = (f'<p class="ja-follow-through"><strong>{esc(label("follow_through", lang))}</strong>: '
               f'<span class="ja-follow-through-rate" data-rate="{esc(fmt_percent(ft.rate))}">{esc(rate)}</span></p>')
    owners = [f'<tr data-owner="{esc(owner or "")}">' + td(esc(owner or label("no_owner", lang)))
              + td(str(done), done) + td(str(total), total) + td(esc(fmt_percent(share)), float(share)) + "</tr>"
              for owner, (done, total, share) in ft.by_owner.items()]
    owner_table = table([(label("owner", lang), "text"), (label("done_count", lang), "number"),
                         (label("total_count", lang), "number"), (label("follow_through", lang), "number")],
                        owners, "ja-follow-through-owners", caption=label("by_owner", lang))
    items = [f'<tr data-id="{esc(i.id)}" data-status="{esc(i.status)}">'
             + td(f'<a href="{previous_href}#tp-{esc(i.touchpoint)}">{esc(i.text)}</a>')
             + td(esc(i.owner or "")) + td(esc(status_label(i.status, lang)), cls=f"ja-status-{esc(i.status)}")
             + "</tr>" for i in ft.items]
    item_table = table([(label("recommendation", lang), "text"), (label("owner", lang), "text"),
                        (label("status_now", lang), "text")], items, "ja-previous-recommendations")
    return (md_heading(2, label("previous_recommendations", lang), "follow-through"),
            "\n\n".join((summary, owner_table, item_table)))


# -- measured results (metrics) ---------------------------------------------------------

def _with_unit(text: str, unit: str | None) -> str:
    return f"{text} {unit}" if unit else text


def _target_cell(m: MetricFigures, lang: str) -> str:
    if m.target is None:
        return td("")
    better = label(f"better_{m.better}", lang) if m.better else ""
    return td(esc(_with_unit(fmt_measure(m.target), m.unit)) + (f' <span class="ja-hint">({esc(better)})</span>'
                                                                if better else ""), float(m.target))


def _result_cell(m: MetricFigures, lang: str) -> str:
    if m.met is None:
        return td("")
    key = "metric_met" if m.met else "metric_missed"
    return td(esc(label(key, lang)), int(m.met), "ja-metric-met" if m.met else "ja-metric-missed")


def _metric_row(m: MetricFigures, lang: str, where_html: str | None = None) -> str:
    where = td(where_html) if where_html is not None else ""
    return (f'<tr data-metric="{esc(m.where)}/{esc(m.id)}"'
            + ("" if m.met is None else f' data-met="{"yes" if m.met else "no"}"') + ">" + where
            + td(esc(m.name)) + td(esc(_with_unit(fmt_measure(m.value), m.unit)), float(m.value))
            + _target_cell(m, lang) + _result_cell(m, lang)
            + td(esc(fmt_measure_delta(m.change)), None if m.change is None else float(m.change), "ja-metric-change")
            + "</tr>")


def _metric_head(lang: str, with_where: bool = False) -> list[tuple[str, str]]:
    head = [(label("metric", lang), "text"), (label("metric_value", lang), "number"),
            (label("metric_target", lang), "number"), (label("metric_result", lang), "text"),
            (label("change", lang), "number")]
    return ([(label("metric_where", lang), "text")] if with_where else []) + head


def touchpoint_metrics(metrics: Iterable[MetricFigures], tp_id: str, lang: str) -> str:
    """A touchpoint's metrics for its section: value and unit, target, met or missed,
    change since the previous round; "" when it has none."""
    rows = [_metric_row(m, lang) for m in metrics if m.kind == "touchpoint" and m.where == tp_id]
    if not rows:
        return ""
    return (f'<p class="ja-subhead">{esc(label("measured_results", lang))}</p>\n'
            + table(_metric_head(lang), rows, "ja-metrics"))


def missed_targets_section(a: Audit, metrics: Sequence[MetricFigures], lang: str) -> tuple[str, ...]:
    """Heading and table of every metric that missed its target, near the top of the page;
    nothing when none did."""
    missed = [m for m in metrics if m.met is False]
    if not missed:
        return ()
    names = {s.id: s.name for s in a.stages} | {tp.id: tp.name for _, tp in a.touchpoints()}
    rows = [_metric_row(m, lang, f'<a href="#tp-{esc(m.where)}">{esc(names[m.where])}</a>' if m.kind == "touchpoint"
                        else esc(names[m.where])) for m in missed]
    return (md_heading(2, label("missed_targets", lang), "missed-targets"),
            table(_metric_head(lang, True), rows, "ja-metrics ja-missed-targets"))


def stage_metrics_section(a: Audit, metrics: Sequence[MetricFigures], lang: str) -> str:
    """The stages' own metrics, under the stage table; "" when no stage has any."""
    names = {s.id: s.name for s in a.stages}
    rows = [_metric_row(m, lang, esc(names[m.where])) for m in metrics if m.kind == "stage"]
    if not rows:
        return ""
    return (f'<p class="ja-subhead">{esc(label("stage_results", lang))}</p>\n'
            + table(_metric_head(lang, True), rows, "ja-metrics ja-stage-metrics"))
