"""Changes between rounds and score gates on the site, as a visitor reads them.

A small project is built once, the way a user builds theirs (``journey-audit build``
in a folder with ``audits/`` and ``journey-audit.gates.yaml``, no mkdocs.yml): the
example audits of two clients whose second round names the first as ``previous``
(``hotel-supplies`` q1 → q3 in Chinese, ``apparel-retail`` 2025h2 → 2026h1 in English),
two rounds of hostile text (``tests/fixtures/site_changes``), and a crafted gates file
on which some gates pass and some fail.

Every expected figure comes from ``journey-audit diff``'s own output (its text form,
parsed) or from :mod:`journey_audit.figures.gates`, never written down here.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from pathlib import Path

import pytest

from htmlpage import Element, load
from journey_audit.site.build import build_site
from journey_audit.review.diff import diff_files
from journey_audit.review.diff_format import format_text
from journey_audit.figures.gates import evaluate, load_gates
from journey_audit.labels import label
from journey_audit.audit.portfolio import load_portfolio
from journey_audit.site.publish import public_view
from journey_audit.figures.scoring import fmt, trend
from journey_audit.site.sitegen import SiteOptions, generate
from journey_audit.errors import SiteError

FIXTURES = Path(__file__).parent / "fixtures" / "site_changes"
CLIENTS = ("hotel-supplies", "apparel-retail")
SVG_POINT = re.compile(r'<g class="ja-point" data-round="([^"]+)" data-value="([^"]+)"')


@pytest.fixture(scope="module")
def project(tmp_path_factory, example_audits) -> Path:
    """A project folder: audits of three clients and the crafted gates file."""
    tmp = tmp_path_factory.mktemp("changes")
    for client in CLIENTS:
        shutil.copytree(example_audits / client, tmp / "audits" / client)
    shutil.copytree(FIXTURES / "audits" / "hostile", tmp / "audits" / "hostile")
    shutil.copy(FIXTURES / "journey-audit.gates.yaml", tmp / "journey-audit.gates.yaml")
    return tmp


@pytest.fixture(scope="module")
def site(project) -> Path:
    """The project built with the built-in configuration, as `journey-audit build` does."""
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(project)
        code = build_site(site_dir=project / "site", err=err)
    assert code == 0, err.getvalue()
    return project / "site"


@pytest.fixture(scope="module")
def audits(project):
    p = load_portfolio([project / "audits"])
    assert not p.errors, [e.format() for e in p.errors]
    return p.by_slug()


def page(site: Path, slug: str) -> Element:
    return load(site / "audits" / slug / "index.html")


def changes(site: Path, slug: str) -> Element:
    return page(site, slug).find("section", cls="ja-changes")


def squash(text: str) -> str:
    return " ".join(text.split())


# -- what `journey-audit diff` prints ------------------------------------------------------

FIGURE_ROW = re.compile(r"^(\s+)(\S+)\s+(\S+) → (\S+)\s+(\S.*?)\s*$")
SUBJECT = re.compile(r"^  [~+-] (\S+) ")
NAMES = {"overall", "message", "consistency", "funnel", "score", "gap", "conversion"}


def cli_figures(old, new) -> dict[tuple[str, str, str], str]:
    """The figures `journey-audit diff OLD NEW` prints (text form, no colour):
    (section, subject, name) → "old → new delta"; section is figures, stages or touchpoints."""
    files = [diff_files((old.path, Path(old.path).read_text(encoding="utf-8"), old.slug),
                        (new.path, Path(new.path).read_text(encoding="utf-8"), new.slug))]
    out: dict[tuple[str, str, str], str] = {}
    section, subject = "", ""
    for line in format_text(files).splitlines():
        if not line.startswith(" "):
            section = line.split(":")[0].lower()
            subject = ""
            continue
        found = SUBJECT.match(line)
        if found:
            subject = found.group(1)
            continue
        row = FIGURE_ROW.match(line)
        if row and (row.group(2) in NAMES or row.group(2).startswith("consistency.")):
            out[(section, subject, row.group(2))] = f"{row.group(3)} → {row.group(4)} {row.group(5)}"
    assert out, "journey-audit diff printed no figures"
    return out


ROUNDS = [("hotel-supplies-2026q1", "hotel-supplies-2026q3"), ("apparel-retail-2025h2", "apparel-retail-2026h1"),
          ("hostile-r1", "hostile-r2")]


# -- "Changes since" -------------------------------------------------------------------------

@pytest.mark.slow
def test_q3_lists_the_touchpoints_added_removed_moved_and_renamed(site, audits):
    q1, q3 = audits["hotel-supplies-2026q1"], audits["hotel-supplies-2026q3"]
    p = page(site, q3.slug)
    assert p.find("h2", id="changes").text.replace("¶", "").strip() == "自 2026-03-31 以来的变化"
    section = p.find("section", cls="ja-changes")
    assert section.find("a").attrs["href"] == "../hotel-supplies-2026q1/"
    old_stages = {s.id: s.name for s in q1.stages}
    new_stages = {s.id: s.name for s in q3.stages}

    [added] = section.find("ul", cls="ja-changes-added").find_all("li")
    assert added.attrs["data-tp"] == "wechat-group"
    assert added.find("a").attrs["href"] == "#tp-wechat-group" and "tp-wechat-group" in p.ids
    assert q3.touchpoint("wechat-group").name in added.text and new_stages["experience"] in added.text

    [removed] = section.find("ul", cls="ja-changes-removed").find_all("li")
    assert removed.attrs["data-tp"] == "trade-magazine" and removed.find_all("a") == []  # no section to link
    assert q1.touchpoint("trade-magazine").name in removed.text

    [moved] = section.find("ul", cls="ja-changes-moved").find_all("li")
    assert moved.attrs["data-tp"] == "factory-tour" and moved.find("a").attrs["href"] == "#tp-factory-tour"
    assert f"{old_stages['compare']} → {new_stages['decide']}" in moved.text

    [renamed] = section.find("ul", cls="ja-changes-renamed").find_all("li")
    assert renamed.attrs["data-tp"] == "after-sales"
    old_name, new_name = q1.touchpoint("after-sales").name, q3.touchpoint("after-sales").name
    assert squash(renamed.text) == f"{old_name} → ★ {new_name}"


@pytest.mark.parametrize("old_slug, new_slug", ROUNDS)
@pytest.mark.slow
def test_headline_and_stage_figures_are_those_of_journey_audit_diff(site, audits, old_slug, new_slug):
    cli = cli_figures(audits[old_slug], audits[new_slug])
    section = changes(site, new_slug)
    rows = section.find("div", cls="ja-changes-figures").find("tbody").find_all("tr")
    shown = {("figures", "", "overall" if r.attrs["data-figure"] == "score" else r.attrs["data-figure"]):
             "{} → {} {}".format(*(td.text for td in r.find_all("td"))) for r in rows}
    assert shown == {k: v for k, v in cli.items() if k[0] == "figures"}

    stages = {}
    for row in section.find("div", cls="ja-changes-stages").find("tbody").find_all("tr"):
        for name, td in zip(("score", "message", "consistency", "conversion"), row.find_all("td")):
            if td.text.strip():
                stages[("stages", row.attrs["data-stage"], name)] = squash(td.text)
    # An added or removed stage shows the one side it has.
    one_side = {k: v.split(" → ")[1].split()[0] if v.startswith("– →") else v.split(" → ")[0]
                if v.endswith("→ – –") else v for k, v in cli.items() if k[0] == "stages"}
    assert stages == one_side


@pytest.mark.parametrize("old_slug, new_slug", ROUNDS)
@pytest.mark.slow
def test_every_changed_score_is_shown_as_journey_audit_diff_prints_it(site, audits, old_slug, new_slug):
    old, new = audits[old_slug], audits[new_slug]
    cli = cli_figures(old, new)
    lang = new.language or "en"
    core = {cm.id: cm.text for cm in new.core_messages}
    expected = {k: v for k, v in cli.items() if k[0] == "touchpoints"}
    changed = {tp for _, tp, _ in expected if tp in {t.id for _, t in old.touchpoints()}
               and tp in {t.id for _, t in new.touchpoints()}}
    table = changes(site, new_slug).find("div", cls="ja-changes-scores")
    rows = {r.attrs["data-tp"]: r for r in table.find("tbody").find_all("tr")}
    assert set(rows) == changed
    for (_, tp, name), value in expected.items():
        if tp not in changed:
            continue
        if name.startswith("consistency."):
            cell = rows[tp].find("td", data_score="consistency")
            line = label("subject_found", lang).format(subject=core[name.split(".", 1)[1]], found=value)
            assert line in [squash(li.text) for li in cell.find_all("li")], (tp, name)
        else:
            cell = rows[tp].find("td", data_score=name)
            assert squash(cell.text).startswith(value), (tp, name)


@pytest.mark.slow
def test_recommendations_added_removed_and_changed_are_listed_per_touchpoint(site, audits):
    old, new = audits["hotel-supplies-2026q1"], audits["hotel-supplies-2026q3"]
    section = changes(site, new.slug).find("ul", cls="ja-changes-recommendations")
    by_tp = {li.attrs["data-tp"]: li for li in section.find_all("li") if "data-tp" in li.attrs}
    old_recs = {tp.id: {r.text for r in tp.recommendations} for _, tp in old.touchpoints()}
    new_recs = {tp.id: {r.text for r in tp.recommendations} for _, tp in new.touchpoints()}
    for tp_id in set(old_recs) & set(new_recs):
        gone, came = old_recs[tp_id] - new_recs[tp_id], new_recs[tp_id] - old_recs[tp_id]
        if not gone and not came:
            continue
        text = by_tp[tp_id].text
        assert all(r in text for r in gone | came), tp_id
    # q3's fair: the model room carried on by its id (format 1.1; a new text, in progress),
    # one recommendation added, one removed.
    items = by_tp["trade-fair"].find("ul", cls="ja-changes-items").find_all("li")
    assert sorted(li.attrs["class"] for li in items) == ["ja-change-added", "ja-change-changed", "ja-change-removed"]


@pytest.mark.parametrize("slug", ["hotel-supplies-2026q1", "apparel-retail-2025h2", "hostile-r1"])
@pytest.mark.slow
def test_a_first_round_has_no_changes_section(site, slug):
    p = page(site, slug)
    assert "changes" not in p.ids and p.find_all(cls="ja-changes") == []


def test_no_changes_section_when_the_previous_round_is_not_published(audits):
    rounds = [audits["hotel-supplies-2026q1"], audits["hotel-supplies-2026q3"]]
    rounds[0].status = "draft"
    try:
        files = generate(rounds, SiteOptions(diagrams=False)).files
        assert "{#changes}" not in files["audits/hotel-supplies-2026q3.md"]
        with_drafts = generate(rounds, SiteOptions(diagrams=False, drafts=True)).files
        assert "{#changes}" in with_drafts["audits/hotel-supplies-2026q3.md"]
    finally:
        rounds[0].status = "final"


def _internal_lines(*rounds) -> list[str]:
    notes = [a.internal_notes for a in rounds] + [tp.internal_notes for a in rounds for _, tp in a.touchpoints()]
    return [line.strip() for n in notes if n for line in n.splitlines() if line.strip()]


@pytest.mark.parametrize("old_slug, new_slug", ROUNDS)
@pytest.mark.slow
def test_internal_notes_never_reach_a_page(site, audits, old_slug, new_slug):
    old, new = audits[old_slug], audits[new_slug]
    secrets = _internal_lines(old, new)
    assert secrets  # the rounds do have internal notes, and they changed between them
    html = (site / "audits" / new_slug / "index.html").read_text(encoding="utf-8")
    assert not [s for s in secrets if s in html or s.replace('"', "&quot;") in html]


def test_an_internal_build_still_leaves_internal_notes_out_of_the_changes(audits):
    old, new = audits["hostile-r1"], audits["hostile-r2"]
    md = generate([old, new], SiteOptions(diagrams=False, include_internal=True)).files["audits/hostile-r2.md"]
    assert "CANARY-CHANGES-AUDIT-TWO" in md  # the page itself shows them in this build…
    section = md[md.index('<section class="ja-changes"'):]
    section = section[:section.index("</section>")]
    assert "CANARY" not in section  # …but the changes are those of the public views


@pytest.mark.slow
def test_hostile_text_in_the_changes_reads_literally(site, audits):
    old, new = audits["hostile-r1"], audits["hostile-r2"]
    section = changes(site, new.slug)
    assert {e.tag for e in section.iter()} <= {"p", "a", "div", "table", "thead", "tbody", "tr", "th", "td", "span",
                                                "ul", "li", "caption"}
    text = section.text
    for written in (old.title, old.touchpoint("fair").name, new.touchpoint("fair").name, new.touchpoint("chat").name,
                    old.touchpoint("leaflet").name, new.stages[0].name, old.stages[2].name,
                    new.touchpoint("fair").recommendations[0].text, old.touchpoint("fair").recommendations[0].text):
        assert written in text, written
    links = [a.attrs["href"] for a in section.find_all("a")]
    assert links == ["../hostile-r1/"] + [h for h in links[1:] if h.startswith("#tp-")]


# -- trend on the client page --------------------------------------------------------------

@pytest.mark.parametrize("client_id", [*CLIENTS, "hostile-rounds"])
@pytest.mark.slow
def test_client_page_has_a_trend_line_per_stage_and_overall(site, audits, client_id):
    rounds = sorted((a for a in audits.values() if a.client_id == client_id), key=lambda a: a.date)
    t = trend([public_view(a) for a in rounds])
    html = (site / "clients" / client_id / "index.html").read_text(encoding="utf-8")
    svg = html[html.index('<svg class="ja-chart ja-trend"'):]
    svg = svg[:svg.index("</svg>")]
    series = re.findall(r'<g class="ja-series ja-series-\w+" data-series="([^"]+)">', svg)
    assert sorted(series) == sorted(["overall", *t.stages])
    groups = dict(zip(series, re.split(r'<g class="ja-series ', svg)[1:]))
    for key, values in {"overall": t.overall, **t.stages}.items():
        points = SVG_POINT.findall(groups[key])
        assert points == [(r.slug, fmt(v)) for r, v in zip(rounds, values) if v is not None], key
    # The same figures in a table below the chart, one row per line.
    table = load(site / "clients" / client_id / "index.html").find("div", cls="ja-trend-table")
    rows = {r.attrs["data-series"]: [td.text for td in r.find_all("td")] for r in table.find("tbody").find_all("tr")}
    assert rows == {k: [fmt(v) if v is not None else "–" for v in values]
                    for k, values in {"overall": t.overall, **t.stages}.items()}


@pytest.mark.slow
def test_a_stage_dropped_in_a_later_round_has_its_single_point_and_no_line(site):
    html = (site / "clients" / "hostile-rounds" / "index.html").read_text(encoding="utf-8")
    gone = html[html.index('data-series="gone">'):]
    gone = gone[:gone.index('<g class="ja-series ')] if '<g class="ja-series ' in gone else gone
    assert len(SVG_POINT.findall(gone)) == 1
    assert 'fill="none" stroke=' not in gone.split('<g class="ja-point"')[0]  # no line before the point


# -- score gates ---------------------------------------------------------------------------

def _expected_gates(project, audits, slug):
    gates, problems = load_gates(project / "journey-audit.gates.yaml")
    assert not problems
    new = audits[slug]
    old = audits.get(new.previous) if new.previous else None
    results = evaluate(public_view(new), gates, public_view(old) if old else None, dt.date.today())
    return gates, results


@pytest.mark.parametrize("slug", ["hotel-supplies-2026q3", "apparel-retail-2026h1", "hostile-r2"])
@pytest.mark.slow
def test_the_latest_round_shows_each_gate_passing_or_failing_as_check_does(site, project, audits, slug):
    gates, results = _expected_gates(project, audits, slug)
    section = page(site, slug).find("div", cls="ja-gates")
    items = section.find("ul", cls="ja-gate-list").find_all("li", cls="ja-gate")
    assert [i.attrs["data-rule"] for i in items] == [g.rule for g in gates]
    for item, gate in zip(items, gates):
        mine = [r for r in results if r.gate is gate]
        shown = [li.attrs["data-outcome"] for li in item.find_all("li", cls="ja-gate-result")]
        assert shown == [r.outcome for r in mine], gate.rule
        overall = "fail" if any(r.failed for r in mine) else "pass" if any(r.outcome == "pass" for r in mine) \
            else "skip"
        assert item.attrs["data-outcome"] == overall
        badge = item.find("span", cls="ja-gate-badge")
        kind = "warn" if overall == "fail" and gate.level == "warn" else overall
        assert f"ja-gate-{kind}" in badge.classes
        assert badge.text.strip().endswith(label(f"gate_{kind}", audits[slug].language))
    # The crafted file makes gates fail and pass on q3, an error and a warning among them.
    if slug == "hotel-supplies-2026q3":
        badges = {b.attrs["class"] for b in section.find_all("span", cls="ja-gate-badge")}
        assert {"ja-gate-badge ja-gate-pass", "ja-gate-badge ja-gate-fail", "ja-gate-badge ja-gate-warn"} <= badges


@pytest.mark.slow
def test_a_failing_moment_of_truth_is_named_and_linked(site, project, audits):
    _, results = _expected_gates(project, audits, "hotel-supplies-2026q3")
    failed = [r for r in results if r.gate.rule == "moment-of-truth" and r.failed]
    assert failed
    item = page(site, "hotel-supplies-2026q3").find("li", cls="ja-gate", data_rule="moment-of-truth")
    for r in failed:
        li = item.find("li", cls="ja-gate-result", data_subject=r.subject)
        assert li.find("a").attrs["href"] == f"#tp-{r.subject}"
        assert audits["hotel-supplies-2026q3"].touchpoint(r.subject).name in li.text
        assert f"{r.value}（最低 {r.threshold}）" in li.text


@pytest.mark.parametrize("slug, links", [("hotel-supplies-2026q3", ["#changes", "#gates"]),
                                         ("apparel-retail-2026h1", ["#changes", "#gates"]),
                                         ("hotel-supplies-2026q1", ["#gates"])])
@pytest.mark.slow
def test_changes_and_gates_come_after_the_findings_and_are_linked_from_the_top(site, slug, links):
    """The round's own diagram and findings first; the follow-up on earlier rounds one click away."""
    p = page(site, slug)
    order = [h.attrs["id"] for h in p.find_all("h2") if h.attrs.get("id")]
    shown = [anchor for anchor in ("changes", "gates") if anchor in order]
    assert shown == [link[1:] for link in links]
    for anchor in shown:
        assert order.index("diagram") < order.index("recommendations") < order.index(anchor) \
            < order.index("touchpoints"), order
    see_also = p.find("p", cls="ja-see-also")
    assert [a.attrs["href"] for a in see_also.find_all("a")] == links
    top = [e for e in p.iter() if e.attrs.get("id") == "summary" or e is see_also]
    assert top[0] is see_also, "the links sit above the summary"


@pytest.mark.slow
def test_the_gates_do_not_show_the_client_our_file_names(site, audits):
    names = ["journey-audit.gates.yaml", "journey-audit"]
    for slug in audits:
        text = page(site, slug).find("div", cls="ja-gates").text
        assert not [n for n in names if n in text], (slug, text)


@pytest.mark.parametrize("slug, latest", [("hotel-supplies-2026q1", "hotel-supplies-2026q3"),
                                          ("apparel-retail-2025h2", "apparel-retail-2026h1")])
@pytest.mark.slow
def test_an_earlier_round_points_to_the_gates_of_the_latest(site, slug, latest):
    section = page(site, slug).find("div", cls="ja-gates")
    assert section.find_all("li", cls="ja-gate") == []
    assert section.find("p", cls="ja-gates-latest").find("a").attrs["href"] == f"../{latest}/"


def test_no_gates_section_without_a_gates_file(audits):
    files = generate(list(audits.values()), SiteOptions(diagrams=False)).files
    assert not any("{#gates}" in text for path, text in files.items() if path.endswith(".md"))


def test_a_bad_gates_file_stops_the_site_with_its_line(tmp_path, audits):
    bad = tmp_path / "journey-audit.gates.yaml"
    bad.write_text("gates:\n  - rule: overall\n    min: 3\n  - rule: overal\n    min: 4\n", encoding="utf-8")
    with pytest.raises(SiteError, match=r"journey-audit\.gates\.yaml:4:\d+: error: unknown rule 'overal'"):
        generate(list(audits.values()), SiteOptions(diagrams=False, gates=bad))


def test_gates_are_checked_against_the_day_asked_for(audits, project):
    """Due dates are checked against the build's day (``today``): a site built later shows the overdue."""
    q3 = [audits["hotel-supplies-2026q1"], audits["hotel-supplies-2026q3"]]
    options = dict(diagrams=False, gates=project / "journey-audit.gates.yaml")
    early = generate(q3, SiteOptions(**options, today=dt.date(2026, 10, 1))).files["audits/hotel-supplies-2026q3.md"]
    late = generate(q3, SiteOptions(**options, today=dt.date(2027, 6, 1))).files["audits/hotel-supplies-2026q3.md"]
    past_due = re.compile(r'<li class="ja-gate" data-rule="past-due" data-outcome="(\w+)"')
    assert past_due.findall(early) == ["pass"] and past_due.findall(late) == ["fail"]
    assert "2027-06-01" in late and "已逾期" in late


def test_the_changes_are_computed_on_the_public_views(audits):
    """Not one field of the diff the section is made from holds an internal note, even
    where the raw files' diff (what `journey-audit diff` prints) does."""
    from journey_audit.site.page_changes import changes_between

    old, new = audits["hostile-r1"], audits["hostile-r2"]
    d = changes_between(old, new)
    fields = [c.field for c in d.metadata] + [c.field for t in d.touchpoints for c in t.fields]
    assert "internal_notes" not in fields and "CANARY" not in repr(d)
    raw = diff_files((old.path, Path(old.path).read_text(encoding="utf-8"), old.slug),
                     (new.path, Path(new.path).read_text(encoding="utf-8"), new.slug))
    assert "CANARY" in repr(raw.diff)  # the raw files do differ in their internal notes


@pytest.mark.slow
def test_search_leaves_the_changes_and_gates_out(site, audits):
    """They name many touchpoints: indexed, they would outrank each touchpoint's own section."""
    import json

    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    sections = {d["location"]: d["text"] for d in index["docs"]}
    q3 = "audits/hotel-supplies-2026q3/"
    assert sections[q3 + "#changes"] == "" and sections[q3 + "#gates"] == ""
    # (the parts after the section's nested tables too: the whole section is left out)
    name = audits["hotel-supplies-2026q3"].touchpoint("wechat-group").name
    hits = [loc for loc, text in sections.items() if name in text.replace("\u200b", "")]
    assert hits and not [loc for loc in hits if loc.endswith(("#changes", "#gates"))]
