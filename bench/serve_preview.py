"""`serve`'s live preview: seconds from saving an audit to the browser showing it, search and nav included.

    .venv/bin/python bench/serve_preview.py --audits 200 --touchpoints 40 [--edits 3] [--json out.json]

On a synthetic portfolio in a temporary folder (see :mod:`ours`), starts `journey-audit
serve`, waits for the first page, then saves one audit ``--edits`` times (a marker put
in its first touchpoint's name, as :func:`synth.edit_audit` does) and times, from each save:

* ``page``: the audit's page shows the marker (what the author waits for);
* ``search``: the search index holds it (the rest of the site is up to date);

and checks that the navigation of the page is the one of the full build, and that a
page of another client did not change. Also the same for a saved audit with an error:
``error page`` is the time until the page shows it. One line per measure; ``--json``
writes them all.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import BenchError, tree_peak_rss_mb, wait_until  # noqa: E402
from ours import make_project, stop  # noqa: E402
from synth import edit_audit  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as resp:
            return resp.status, resp.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError, http.client.HTTPException):
        return 0, ""


def nav(html: str) -> list[str]:
    links = re.findall(r'<a [^>]*class="md-nav__link[^"]*"[^>]*>', html)
    return sorted({m.group(1) for a in links if (m := re.search(r'href="([^"]*)"', a))})


def measure(root: Path, n: int, m: int, edits: int, log) -> dict:
    p = make_project(root, n, m)
    files = p.audit_files()
    audit, other = files[-1], files[0]
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    page, other_page = f"{base}audits/{audit.stem}/", f"{base}audits/{other.stem}/"
    out = open(root / "serve.log", "wb")
    t0 = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "journey_audit", "serve", "--audits", str(p.audits_dir),
                             "--config", str(p.config), "--dev-addr", f"127.0.0.1:{port}"],
                            cwd=p.root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    result: dict = {"audits": n, "touchpoints": m, "edits": []}
    try:
        wait_until(lambda: get(page)[0] == 200 or proc.poll() is not None, 3600, "serve: first page", 0.5)
        if proc.poll() is not None:
            raise BenchError((root / "serve.log").read_text(errors="replace")[-2000:])
        result["first_page_seconds"] = time.perf_counter() - t0
        log(f"first page after {result['first_page_seconds']:.1f} s")
        nav_before, other_before = nav(get(page)[1]), get(other_page)[1]
        for i in range(edits):
            time.sleep(1.0)  # the watcher settles
            marker = f"PREVIEW{i}X{time.monotonic_ns()}"
            edit_audit(audit, marker)
            t = time.perf_counter()
            shown = wait_until(lambda: marker in get(page)[1], 600, "page", 0.05)
            wait_until(lambda: marker in get(f"{base}search/search_index.json")[1], 600, "search", 0.1)
            searched = time.perf_counter() - t
            time.sleep(0.5)
            row = {"page": shown, "search": searched,
                   "nav_unchanged": nav(get(page)[1]) == nav_before,
                   "other_page_unchanged": _strip_reload(get(other_page)[1]) == _strip_reload(other_before)}
            result["edits"].append(row)
            log(f"edit {i + 1}: page {row['page']:.2f} s, search {row['search']:.2f} s, nav same "
                f"{row['nav_unchanged']}, other page same {row['other_page_unchanged']}")
        text = audit.read_text(encoding="utf-8")
        audit.write_text(text.replace("\n        channel: ", "\n        chanel: ", 1), encoding="utf-8")
        result["error_page_seconds"] = wait_until(lambda: "(did you mean" in get(page)[1], 600, "error page", 0.05)
        audit.write_text(text, encoding="utf-8")
        result["fixed_seconds"] = wait_until(lambda: get(page)[0] == 200, 600, "fixed", 0.05)
        log(f"error page after {result['error_page_seconds']:.2f} s; site back {result['fixed_seconds']:.2f} s")
        result["rss_mb"] = tree_peak_rss_mb(proc.pid)
    finally:
        stop(proc)
        out.close()
    return result


def _strip_reload(html: str) -> str:
    """A page without the live-reload script, whose ids change with every request."""
    return re.sub(r"<script>\s*var livereload.*?</script>", "", html, flags=re.S)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--audits", type=int, default=200)
    ap.add_argument("--touchpoints", type=int, default=40)
    ap.add_argument("--edits", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-preview-") as tmp:
        result = measure(Path(tmp), args.audits, args.touchpoints, args.edits,
                         lambda msg: print(msg, file=sys.stderr, flush=True))
    best = min(result["edits"], key=lambda e: e["page"])
    every = ", ".join(f"{e['page']:.2f}" for e in result["edits"])
    print(f"serve on {args.audits} audits × {args.touchpoints} touchpoints: save → page {best['page']:.2f} s "
          f"(best of {len(result['edits'])}; all: {every}), save → search index {best['search']:.2f} s, "
          f"error page {result['error_page_seconds']:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
