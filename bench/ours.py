"""Our side of the benchmark: a temporary project, and journey-audit's build and serve on it.

The project is a copy of the repository's site configuration (mkdocs.yml, docs/,
site_theme/) beside a synthetic audits/ folder, so every build, cache and site
lives in a temporary folder and the repository's own are never touched. Each build
runs in its own process (:mod:`inproc`), which reports what the renderer drew.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import floors
from measure import BenchError, Run, run, tree_peak_rss_mb, wait_until
from synth import edit_audit, write_portfolio

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
PROJECT_FILES = ("mkdocs.yml", "docs", "site_theme")  # what of the repository a site build reads


@dataclass
class Project:
    root: Path
    audits: int
    touchpoints: int

    @property
    def config(self) -> Path:
        return self.root / "mkdocs.yml"

    @property
    def audits_dir(self) -> Path:
        return self.root / "audits"

    @property
    def site(self) -> Path:
        return self.root / "site"

    @property
    def cache(self) -> Path:
        return self.root / ".cache" / "journey-audit"  # the plugin's default cache_dir, beside mkdocs.yml

    def audit_files(self) -> list[Path]:
        return sorted(self.audits_dir.rglob("*.yaml"))


def make_project(root: Path, n_audits: int, n_touchpoints: int) -> Project:
    """The repository's site configuration beside a synthetic portfolio, in ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_FILES:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name)
        elif src.is_file():
            shutil.copy2(src, root / name)
    if not (root / "mkdocs.yml").is_file():
        raise BenchError(f"{REPO / 'mkdocs.yml'} is missing: the benchmark builds the site it configures")
    write_portfolio(root, n_audits, n_touchpoints)
    return Project(root, n_audits, n_touchpoints)


# -- our commands ------------------------------------------------------------------

def inproc(*args: str, cwd: Path, timeout: float = 1800) -> tuple[Run, dict]:
    """``bench/inproc.py ARGS`` in a fresh process: its run and the JSON it printed last."""
    r = run([sys.executable, str(BENCH / "inproc.py"), *args], cwd=cwd, timeout=timeout)
    return r, json.loads(r.stdout.strip().splitlines()[-1])


def build_args(p: Project) -> list[str]:
    return ["--audits", str(p.audits_dir), "--site-dir", str(p.site), "--config", str(p.config), "--strict"]


@dataclass
class Build:
    """One `journey-audit build`: wall time from outside, peak RSS, and what it drew."""

    seconds: float
    rss_mb: float
    dot_calls: int
    graphs_rendered: int
    new_svg: int  # diagrams added to the cache by this build
    new_png: int


def cache_files(p: Project, fmt: str) -> set[Path]:
    from journey_audit.cache import Cache

    folder = Cache(p.cache).drawings.folder
    return set(folder.rglob(f"*.{fmt}")) if folder.is_dir() else set()


def build(p: Project, *, cold: bool = False) -> Build:
    """`journey-audit build` (through the CLI's main, in its own process); ``cold`` empties the cache first."""
    if cold:
        shutil.rmtree(p.cache, ignore_errors=True)
        shutil.rmtree(p.site, ignore_errors=True)
    svg, png = cache_files(p, "svg"), cache_files(p, "png")
    r, out = inproc("build", *build_args(p), cwd=p.root)
    stats = out["stats"]
    return Build(r.seconds, r.rss_mb, stats["dot_calls"], stats["graphs_rendered"],
                 len(cache_files(p, "svg") - svg), len(cache_files(p, "png") - png))


def best_build(times: int, measure) -> Build:
    runs = [measure() for _ in range(max(1, times))]
    fastest = min(runs, key=lambda b: b.seconds)
    fastest.rss_mb = max(b.rss_mb for b in runs)
    return fastest


def pages_of(p: Project):
    """The pages our generator makes for ``p`` (in memory, as the plugin would), and the nav it gives them."""
    from mkdocs.utils import nest_paths

    from journey_audit.audit.portfolio import load_portfolio
    from journey_audit.cache import DEFAULT_ROOT, Cache
    from journey_audit.site.sitegen import SCRIPTS, STYLESHEETS, SiteOptions, generate

    config = floors.read_config(p.config)
    plugin = floors.plugin_options(config)
    theme_language = str((config.get("theme") or {}).get("language") or "")[:2]
    language = plugin.get("language") or (theme_language if theme_language in ("zh", "en") else "en")
    cache = Cache(p.root / plugin.get("cache_dir", DEFAULT_ROOT.as_posix()))  # the plugin's cache
    site = generate(load_portfolio([p.audits_dir]), SiteOptions(
        language=language, use_directory_urls=config.get("use_directory_urls", True), cache=cache))
    nav = None
    if "nav" not in config:
        docs = p.root / config.get("docs_dir", "docs")
        hand = sorted((f.relative_to(docs).as_posix() for f in docs.rglob("*.md")),
                      key=lambda s: (s.count("/"), not s.endswith("index.md"), s)) if docs.is_dir() else []
        portfolio, *clients = site.nav
        nav = [portfolio, *nest_paths(hand), *clients]
    return site, nav, list(STYLESHEETS), list(SCRIPTS)


def serve_rebuild(p: Project, audit: Path, marker: str, timeout: float = 600) -> dict:
    """Start `journey-audit serve`, save ``audit`` with ``marker`` in it, time until the page shows it."""
    port = _free_port()
    slug = audit.stem
    url = f"http://127.0.0.1:{port}/audits/{slug}/"
    log = p.root / "serve.log"
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "journey_audit", "serve", "--audits", str(p.audits_dir),
                                 "--config", str(p.config), "--dev-addr", f"127.0.0.1:{port}"],
                                cwd=p.root, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            def page() -> str:
                if proc.poll() is not None:
                    raise BenchError(f"journey-audit serve stopped (status {proc.returncode}); see its log:\n"
                                     + log.read_text(encoding="utf-8", errors="replace")[-2000:])
                try:
                    with urllib.request.urlopen(url, timeout=timeout) as resp:
                        return resp.read().decode("utf-8", "replace")
                except (urllib.error.URLError, ConnectionError, TimeoutError):
                    return ""

            wait_until(lambda: bool(page()), timeout, f"serve: {url}", interval=0.2)
            started = time.perf_counter() - t0
            time.sleep(1.0)  # let the watcher settle before the save it must notice
            edit_audit(audit, marker)
            rebuilt = wait_until(lambda: marker in page(), timeout, f"serve: {marker} on {url}", interval=0.05)
            rss = tree_peak_rss_mb(proc.pid)
        finally:
            stop(proc)
    return {"first_page_seconds": started, "rebuild_seconds": rebuilt, "rss_mb": rss}


def stop(proc: subprocess.Popen) -> None:
    """End a server we started (its whole process group): politely, then for sure."""
    for sig, wait in ((15, 10), (9, 10)):
        if proc.poll() is not None:
            return
        try:
            os.killpg(proc.pid, sig)
            proc.wait(wait)
        except ProcessLookupError:
            return
        except subprocess.TimeoutExpired:
            continue


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def nav_links(site_dir: Path) -> int:
    """Navigation links in a client page (little content besides the navigation): grows with N if the nav does."""
    page = next(iter(sorted((site_dir / "clients").glob("*/index.html"))), None)
    return page.read_text(encoding="utf-8").count('class="md-nav__link') if page else 0


def count_pages(site_dir: Path) -> int:
    """HTML pages of a built site (404 and the search page's assets aside)."""
    return sum(1 for f in site_dir.rglob("*.html") if f.name != "404.html")
