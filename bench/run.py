"""The benchmark: journey-audit against the floors it cannot beat, in ONE run.

    .venv/bin/python bench/run.py --audits 200 --touchpoints 40 [--json out.json]
    .venv/bin/python bench/run.py --scaling 50,200,800      # ms per page and memory as N grows
    .venv/bin/python bench/run.py --audits 200 --profile prof/   # where the time goes (instead of the table)

Times on a shared machine are noisy; ratios taken within one run are not, so every
figure is reported beside its floor (see :mod:`floors`). Everything happens in a
temporary project (a copy of mkdocs.yml, docs/ and site_theme/ beside a synthetic
audits/ folder): the repository's own audits/, site/ and cache are never touched.
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import floors  # noqa: E402
from measure import BenchError, Run, best, fastest, run  # noqa: E402
from ours import (Build, best_build, build, build_args, count_pages, inproc, make_project, nav_links,  # noqa: E402
                  pages_of, serve_rebuild)
from profiling import profile_run  # noqa: E402
from reports import report_rows  # noqa: E402
from synth import edit_audit  # noqa: E402

RSS_LIMIT_MB = 500


# -- results -----------------------------------------------------------------------

@dataclass
class Row:
    measure: str
    seconds: float
    rss_mb: float | None = None
    floor: str | None = None  # "A", "B", "C"; None for a floor itself
    ratio: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""
    ratio_d: float | None = None  # to floor D (the plain site of the same text): builds only


@dataclass
class Report:
    audits: int
    touchpoints: int
    yaml_bytes: int = 0
    pages: int = 0
    rows: list[Row] = field(default_factory=list)
    search_index: dict = field(default_factory=dict)
    scaling: list[dict] = field(default_factory=list)

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        return row


def ratio_row(name: str, seconds: float, rss: float | None, floor_name: str, floor_seconds: float,
              limit: float | None = None, extra_ok: bool = True, note: str = "") -> Row:
    ratio = seconds / floor_seconds if floor_seconds else None
    ok = None if limit is None else (ratio is not None and ratio <= limit and extra_ok)
    target = f"≤ {limit:g}× {floor_name}" if limit is not None else ""
    return Row(name, seconds, rss, floor_name, ratio, target, ok, note)


def build_row(name: str, seconds: float, rss: float | None, a: float, d: float, limit_d: float | None,
              extra_ok: bool = True, note: str = "") -> Row:
    """A build beside floor A (our pages through plain MkDocs) and floor D (the plain site of the
    same text), its target a ratio to D (issue 16)."""
    row = ratio_row(name, seconds, rss, "A", a, note=note)
    row.ratio_d = seconds / d if d else None
    if limit_d is not None:
        row.target = f"≤ {limit_d:g}× D"
        row.ok = row.ratio_d is not None and row.ratio_d <= limit_d and extra_ok
    return row


# -- the full run ------------------------------------------------------------------

def full_run(root: Path, n: int, m: int, repeat: int, serve: bool, log) -> Report:
    """Every measure of the issue on one synthetic portfolio; a table's worth of rows."""
    from journey_audit.diagram.dot import dot_source
    from journey_audit.audit.portfolio import load_portfolio
    from journey_audit.site.publish import published

    log(f"writing {n} audits × {m} touchpoints to {root}")
    p = make_project(root / "project", n, m)
    rep = Report(n, m, yaml_bytes=sum(f.stat().st_size for f in p.audit_files()))

    log("floor C: CSafeLoader")
    c_run, c = best_inproc(repeat, "parse", str(p.audits_dir), cwd=p.root)
    rep.add(Row("floor C: yaml.load CSafeLoader", c["seconds"], c_run.rss_mb))
    log("validate")
    v_run, v = best_inproc(repeat, "validate", str(p.audits_dir), cwd=p.root)
    if v["errors"] or v["audits"] != n:
        raise BenchError("the synthetic portfolio does not validate:\n" + "\n".join(v["errors"]))
    rep.add(ratio_row("validate (all rules, positions)", v["seconds"], v_run.rss_mb, "C", c["seconds"], 3))

    log("floor B: dot -Tsvg, one process per diagram")
    sources = [dot_source(a) for a in published(load_portfolio([p.audits_dir]).audits)]
    b = min(floors.floor_b(sources, root / "floor-b") for _ in range(repeat))
    rep.add(Row("floor B: dot -Tsvg × N, sequential", b))
    log("our diagrams alone, cold")
    d = min((inproc("diagrams", str(p.audits_dir), str(root / f"diagram-cache-{i}"), cwd=p.root)
             for i in range(repeat)), key=lambda x: x[1]["seconds"])
    rep.add(ratio_row("diagrams cold: svg + png, batched", d[1]["seconds"], d[0].rss_mb, "B", b,
                      note=f"svg alone {d[1]['svg_seconds']:.2f} s = {d[1]['svg_seconds'] / b:.2f}× B; "
                           f"{d[1]['stats']['dot_calls']} dot processes"))

    for row in report_rows(p, root / "diagram-cache-0", log):  # bench/reports.py
        rep.add(Row(**row))

    log("ours: cold build")
    cold = best_build(repeat, lambda: build(p, cold=True))
    rep.pages = count_pages(p.site)
    index = p.site / "search" / "search_index.json"
    ours_index = index.stat().st_size if index.is_file() else 0

    site, nav, css, js = pages_of(p)  # all diagrams are cached by now
    config_a = floors.write_floor_a(p.root, site.files, nav, css, js)
    del site
    config_d = floors.write_floor_d(p.root, p.audit_files())
    # Floor A and the builds compared with it take turns, round after round, and each
    # keeps its fastest: a slow spell of the shared machine then slows both sides.
    files = p.audit_files()
    warms, edits, serves, floor_as, floor_as_nj, floor_ds, zensicals = [], [], [], [], [], [], []
    edited: Build | str = ""
    served: dict | str = ""
    for i in range(max(1, repeat)):
        log(f"round {i + 1}: floor A (the same pages as plain Markdown, mkdocs build)")
        floor_as.append(floors.floor_a(config_a))
        a_index = (p.root / "floor-a" / "site" / "search" / "search_index.json").stat().st_size
        log(f"round {i + 1}: floor D (a plain Material site of the same text, mkdocs build)")
        floor_ds.append(floors.floor_a(config_d))
        d_index = (p.root / "floor-d" / "site" / "search" / "search_index.json").stat().st_size
        log(f"round {i + 1}: ours, warm build")
        warms.append(build(p))
        log(f"round {i + 1}: ours, warm build with Zensical (export-docs + zensical build)")
        zensicals.append(attempt(lambda: zensical_build(p), log))
        log(f"round {i + 1}: ours, build after editing one audit")
        one = attempt(lambda: (edit_audit(files[len(files) // 2], f"EDIT{time.monotonic_ns()}"), build(p))[1], log)
        if isinstance(one, Build):
            edits.append(one)
        else:
            edited = one
        if serve:
            log(f"round {i + 1}: ours, serve, then save one audit")
            one_serve = attempt(lambda: serve_rebuild(p, files[-1], f"SERVE{time.monotonic_ns()}"), log)
            if isinstance(one_serve, dict):
                serves.append(one_serve)
            else:
                served = one_serve
        log(f"round {i + 1}: floor A without jieba")
        floor_as_nj.append(floors.floor_a(config_a, jieba=False))
        a_nj_index = (p.root / "floor-a" / "site" / "search" / "search_index.json").stat().st_size
    a, a_nj, fd = fastest(floor_as), fastest(floor_as_nj), fastest(floor_ds)
    warm = fastest(warms)
    if edits:
        edited = fastest(edits)
    if serves:
        served = min(serves, key=lambda s: s["rebuild_seconds"])
        served["rss_mb"] = max(s["rss_mb"] for s in serves)

    rep.add(Row("floor A: mkdocs build, same pages", a.seconds, a.rss_mb,
                note=f"{a.seconds / rep.pages * 1000:.1f} ms/page"))
    rep.add(Row("floor A without jieba (info)", a_nj.seconds, a_nj.rss_mb, "A", a_nj.seconds / a.seconds,
                note="Chinese search segmentation costs "
                     f"{(a.seconds - a_nj.seconds) / a.seconds * 100:.0f}% of floor A"))
    rep.add(Row("floor D: mkdocs build, same text", fd.seconds, fd.rss_mb,
                note=f"{fd.seconds / n * 1000:.1f} ms per audit page"))
    rep.add(build_row("build, cold (empty cache)", cold.seconds, cold.rss_mb, a.seconds, fd.seconds, 2.5,
                      note=f"{cold.graphs_rendered} graphs drawn by {cold.dot_calls} dot processes; "
                           f"{cold.seconds / rep.pages * 1000:.1f} ms/page"))
    rep.add(build_row("build, warm (nothing changed)", warm.seconds, warm.rss_mb, a.seconds, fd.seconds, 1.3,
                      extra_ok=warm.graphs_rendered == 0,
                      note=f"{warm.graphs_rendered} graphs drawn, {warm.dot_calls} dot processes; "
                           f"{warm.seconds / rep.pages * 1000:.1f} ms/page"))
    if isinstance(edited, Build):
        rep.add(build_row("build, one audit edited", edited.seconds, edited.rss_mb, a.seconds, fd.seconds, 1.4,
                          extra_ok=edited.new_svg == 1 and edited.new_png <= 1,
                          note=f"diagrams re-rendered: {edited.new_svg} (svg {edited.new_svg}, png {edited.new_png}; "
                               f"{edited.graphs_rendered} dot graphs, {edited.dot_calls} dot processes)"))
    else:
        rep.add(Row("build, one audit edited", 0.0, floor="A", target="≤ 1.4× D", ok=False, note=edited))
    zensical_runs = [z for z in zensicals if isinstance(z, Run)]
    if zensical_runs:
        z = fastest(zensical_runs)
        rep.add(build_row("build --engine zensical, warm", z.seconds, z.rss_mb, a.seconds, fd.seconds, None,
                          note=f"{z.seconds / rep.pages * 1000:.1f} ms/page; RSS: our process, not Zensical's"))
    else:
        rep.add(Row("build --engine zensical, warm", 0.0, floor="A", ok=False, note=str(zensicals[-1])))
    if serve:
        if isinstance(served, dict):
            rep.add(build_row("serve: save → page shows it", served["rebuild_seconds"], served["rss_mb"],
                              a.seconds, fd.seconds, None, note=f"first page after {served['first_page_seconds']:.1f} s; includes "
                                              "MkDocs' 0.1 s debounce and the poll"))
        else:
            rep.add(Row("serve: save → page shows it", 0.0, floor="A", ok=False, note=served))
    peak = max(r.rss_mb or 0 for r in rep.rows if r.floor is not None and not r.measure.startswith("floor"))
    rep.add(Row("peak RSS of ours (largest above)", 0.0, peak, target=f"≤ {RSS_LIMIT_MB} MB",
                ok=peak <= RSS_LIMIT_MB))
    rep.search_index = {"ours_bytes": ours_index, "ours_bytes_per_audit": ours_index / n,
                        "floor_a_bytes": a_index, "floor_a_without_jieba_bytes": a_nj_index,
                        "floor_d_bytes": d_index, "ours_over_d": ours_index / d_index if d_index else None,
                        "target": "≤ 1.5× D", "ok": bool(d_index) and ours_index <= 1.5 * d_index}
    return rep


def zensical_build(p) -> Run:
    """``journey-audit build --engine zensical`` of the project into a folder beside its site (cache warm)."""
    args = build_args(p)
    args[args.index("--site-dir") + 1] = str(p.site.with_name("site-zensical"))
    args.remove("--strict")  # Zensical's strict mode is its own; compared here: the time of a build
    return run([sys.executable, "-m", "journey_audit", "build", "--engine", "zensical", *args], cwd=p.root)


def attempt(measure, log):
    """The measure's result, or (when the command under test failed) one line saying how."""
    try:
        return measure()
    except BenchError as exc:
        log(f"FAILED: {exc}")
        last = [line.strip() for line in str(exc).splitlines() if line.strip()]
        return f"failed: {last[-1] if last else exc}"[:200]


def best_inproc(times: int, *args: str, cwd: Path) -> tuple[Run, dict]:
    return min((inproc(*args, cwd=cwd) for _ in range(max(1, times))), key=lambda x: x[1]["seconds"])


# -- scaling -----------------------------------------------------------------------

def scaling_run(root: Path, sizes: list[int], m: int, repeat: int, log) -> list[dict]:
    """Floor A, cold and warm builds at each N: time, ms per page and peak RSS, to show linearity.

    Floor A and the warm build take turns ``repeat`` times and each keeps its fastest,
    as in the full run. Also the number of navigation links in a client page: a
    navigation that lists every client on every page makes the build quadratic (it
    shows as ms per page growing with N once pages are small).
    """
    out = []
    for n in sizes:
        log(f"scaling: N = {n}")
        p = make_project(root / f"scale-{n}", n, m)
        cold = build(p, cold=True)
        pages = count_pages(p.site)
        links = nav_links(p.site)
        site, nav, css, js = pages_of(p)
        config_a = floors.write_floor_a(p.root, site.files, nav, css, js)
        del site
        config_d = floors.write_floor_d(p.root, p.audit_files())
        floor_as, floor_ds, warms = [], [], []
        for _ in range(max(1, repeat)):
            floor_as.append(floors.floor_a(config_a))
            floor_ds.append(floors.floor_a(config_d))
            warms.append(build(p))
        a, d, warm = fastest(floor_as), fastest(floor_ds), fastest(warms)
        out.append({"audits": n, "pages": pages, "nav_links_per_page": links,
                    "floor_a_seconds": a.seconds, "floor_a_ms_per_page": a.seconds / pages * 1000,
                    "floor_a_rss_mb": a.rss_mb,
                    "floor_d_seconds": d.seconds, "floor_d_ms_per_audit": d.seconds / n * 1000,
                    "floor_d_rss_mb": d.rss_mb,
                    "cold_seconds": cold.seconds, "cold_ms_per_page": cold.seconds / pages * 1000,
                    "cold_rss_mb": cold.rss_mb,
                    "warm_seconds": warm.seconds, "warm_ms_per_page": warm.seconds / pages * 1000,
                    "warm_rss_mb": warm.rss_mb, "warm_over_a": warm.seconds / a.seconds,
                    "warm_over_d": warm.seconds / d.seconds, "cold_over_d": cold.seconds / d.seconds})
        log(format_scaling(out[-1:], header=False))
        shutil.rmtree(p.root, ignore_errors=True)
    return out


# -- output ------------------------------------------------------------------------

def format_report(rep: Report) -> str:
    lines = [f"{rep.audits} audits × {rep.touchpoints} touchpoints: {rep.yaml_bytes / 1e6:.1f} MB of YAML, "
             f"{rep.pages} pages, {os.cpu_count()} cores",
             f"{'measure':<38} {'seconds':>8} {'RSS MB':>7} {'ratio':>9} {'÷ D':>6}  {'target':<10} {'':<4} note"]
    for r in rep.rows:
        ratio = f"{r.ratio:.2f}× {r.floor}" if r.ratio is not None else ("floor" if r.measure.startswith("floor") else "")
        to_d = f"{r.ratio_d:.2f}×" if r.ratio_d is not None else ""
        secs = f"{r.seconds:8.2f}" if r.seconds else " " * 8
        rss = f"{r.rss_mb:7.0f}" if r.rss_mb else " " * 7
        verdict = "" if r.ok is None else ("pass" if r.ok else "FAIL")
        lines.append(f"{r.measure:<38} {secs} {rss} {ratio:>9} {to_d:>6}  {r.target:<10} {verdict:<4} {r.note}")
    if rep.search_index:
        si = rep.search_index
        lines.append(f"search_index.json: ours {si['ours_bytes'] / 1e6:.2f} MB "
                     f"({si['ours_bytes_per_audit'] / 1e3:.1f} kB per audit) = {si['ours_over_d']:.2f}× floor D's "
                     f"{si['floor_d_bytes'] / 1e6:.2f} MB ({si['target']}: {'pass' if si['ok'] else 'FAIL'}); "
                     f"floor A {si['floor_a_bytes'] / 1e6:.2f} MB, "
                     f"without jieba {si['floor_a_without_jieba_bytes'] / 1e6:.2f} MB")
    return "\n".join(lines)


def format_scaling(rows: list[dict], header: bool = True) -> str:
    lines = [f"{'N':>5} {'pages':>6} {'nav':>4} | {'floor A s':>9} {'ms/pg':>6} {'MB':>5} | {'floor D s':>9} "
             f"{'ms/aud':>6} {'MB':>5} | {'cold s':>7} {'ms/pg':>6} {'MB':>5} | "
             f"{'warm s':>7} {'ms/pg':>6} {'MB':>5} | {'warm/A':>6} {'warm/D':>6} {'cold/D':>6}"] if header else []
    for r in rows:
        lines.append(f"{r['audits']:>5} {r['pages']:>6} {r['nav_links_per_page']:>4} | {r['floor_a_seconds']:9.2f} "
                     f"{r['floor_a_ms_per_page']:6.1f} {r['floor_a_rss_mb']:5.0f} | {r['floor_d_seconds']:9.2f} "
                     f"{r['floor_d_ms_per_audit']:6.1f} {r['floor_d_rss_mb']:5.0f} | {r['cold_seconds']:7.2f} "
                     f"{r['cold_ms_per_page']:6.1f} {r['cold_rss_mb']:5.0f} | {r['warm_seconds']:7.2f} "
                     f"{r['warm_ms_per_page']:6.1f} {r['warm_rss_mb']:5.0f} | {r['warm_over_a']:6.2f} "
                     f"{r['warm_over_d']:6.2f} {r['cold_over_d']:6.2f}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--audits", default="200", help="number of audits (a comma list, e.g. 50,200,800, "
                    "runs the scaling measure instead)")
    ap.add_argument("--touchpoints", type=int, default=40, help="touchpoints per audit (default 40)")
    ap.add_argument("--scaling", nargs="?", const="50,200,800", metavar="N,N,…",
                    help="also build at these numbers of audits (default 50,200,800) to show linearity")
    ap.add_argument("--repeat", type=int, default=2, help="run each timed measure this often, keep the fastest "
                    "(floor A and the warm and edited builds take turns; default 2)")
    ap.add_argument("--no-serve", action="store_true", help="skip the serve measure")
    ap.add_argument("--profile", type=Path, metavar="DIR",
                    help="instead of the table: profile a cold and a warm build and floor A with cProfile; "
                         "top functions in DIR/{cold,warm,floor-a,floor-d}.txt")
    ap.add_argument("--top", type=int, default=40, help="functions listed per profile table (default 40)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the results to this file")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = ap.parse_args(argv)

    sizes = [int(x) for x in args.audits.split(",")]
    scaling = [int(x) for x in args.scaling.split(",")] if args.scaling else []
    if len(sizes) > 1:
        sizes, scaling = [], sizes
    if args.profile:
        sizes, scaling = sizes[:1] or [200], []
    t_start = time.perf_counter()

    def log(msg: str) -> None:
        print(f"[{time.perf_counter() - t_start:6.1f} s] {msg}", file=sys.stderr, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="ja-bench-"))
    results: dict = {"command": " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]), "cores": os.cpu_count()}
    try:
        if args.profile:
            for f in profile_run(tmp, sizes[0], args.touchpoints, args.profile, args.top, log):
                print(f"profile written to {f}")
        elif sizes:
            rep = full_run(tmp, sizes[0], args.touchpoints, args.repeat, not args.no_serve, log)
            print(format_report(rep))
            results.update({k: v for k, v in asdict(rep).items() if k != "scaling"})
        if scaling:
            rows = scaling_run(tmp, scaling, args.touchpoints, args.repeat, log)
            print(f"\nscaling, {args.touchpoints} touchpoints per audit:\n{format_scaling(rows)}")
            results["scaling"] = rows
    except BenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        if args.keep:
            print(f"kept {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(_rounded(results), indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


def _rounded(x):
    if isinstance(x, float):
        return round(x, 4)
    if isinstance(x, dict):
        return {k: _rounded(v) for k, v in x.items()}
    if isinstance(x, list):
        return [_rounded(v) for v in x]
    return x


if __name__ == "__main__":
    sys.exit(main())
