"""The floors: what the same work costs with the bare tools, which journey-audit cannot beat.

- **A**: ``mkdocs build`` (Material, our mkdocs.yml minus our plugin, search on) of
  plain Markdown files holding exactly the pages our generator makes, with the
  journey diagrams cut out: the cost of MkDocs + Material for the same content.
- **B**: ``dot -Tsvg`` of each audit's journey diagram, one process each, one after
  the other: the cost of Graphviz alone.
- **C**: ``yaml.load(text, CSafeLoader)`` of each audit file: libyaml's C parser,
  no checks, no positions (timed inside its own process, see :mod:`inproc`).
- **D**: ``mkdocs build`` (the same config and search, zh and en) of a plain Material
  site of the same TEXT: one Markdown page per audit, a touchpoint table and a
  section per touchpoint with its intended and observed message, grouped per client
  in the navigation. What a site of the audits costs when written by hand.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml

from journey_audit.site.page_light import expand
from measure import BenchError, Run, run

_JOURNEY_SVG = re.compile(r'<svg class="jd-diagram".*?</svg>\n?', re.S)
PLUGIN = "journey-audit"


def strip_journey_diagrams(markdown: str) -> str:
    """A generated page without its inline journey diagram (charts drawn in Python stay).

    >>> strip_journey_diagrams('<div>\\n<svg class="jd-diagram" viewBox="0 0 1 1">\\n<g/></svg>\\n</div>')
    '<div>\\n</div>'
    """
    return _JOURNEY_SVG.sub("", markdown)


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without importing what its ``!!python/name`` or ``!ENV`` tags name."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: _Tagged(suffix, node))


class _Tagged:
    def __init__(self, tag: str, node: yaml.Node) -> None:
        self.tag, self.node = tag, node


def read_config(config_file: Path) -> dict:
    """An mkdocs.yml as data (tagged values stay opaque: nothing is imported)."""
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}


def _plugin_name(entry: Any) -> str:
    return entry if isinstance(entry, str) else next(iter(entry))


def plugin_options(config: dict) -> dict:
    """Our plugin's options in ``config`` (empty when it has none)."""
    plugins = config.get("plugins") or []
    if isinstance(plugins, dict):
        return plugins.get(PLUGIN) or {}
    for entry in plugins:
        if _plugin_name(entry) == PLUGIN:
            return {} if isinstance(entry, str) else (entry[PLUGIN] or {})
    return {}


def plugins_without_ours(config: dict) -> list[Any]:
    """The ``plugins`` list of ``config`` with our plugin left out.

    >>> plugins_without_ours({"plugins": [{"search": {"lang": ["zh", "en"]}}, {"journey-audit": {"audits": "a"}}]})
    [{'search': {'lang': ['zh', 'en']}}]
    """
    plugins = config.get("plugins")
    if plugins is None:  # MkDocs' default: search alone
        return ["search"]
    if isinstance(plugins, dict):
        plugins = [{k: v} if v else k for k, v in plugins.items()]
    kept = [p for p in plugins if _plugin_name(p) != PLUGIN]
    for p in kept:
        if isinstance(p, dict) and any(isinstance(v, _Tagged) for v in (p[_plugin_name(p)] or {}).values()):
            raise BenchError(f"plugin {_plugin_name(p)}: an option uses a YAML tag; floor A cannot copy it")
    return kept


def write_floor_a(project: Path, pages: dict[str, str | bytes | Path], nav: list | None, extra_css: list[str],
                  extra_js: list[str]) -> Path:
    """Floor A's docs in ``project/floor-a/docs`` (hand-written pages and ``pages``); its config file.

    The config, ``project/mkdocs-floor-a.yml``, INHERITs the project's mkdocs.yml
    (theme, features, extensions, search: the same) and sits beside it, so relative
    paths (``custom_dir``) mean the same. It replaces only what our plugin does: the
    plugins list without us, the generated navigation (unless mkdocs.yml has its
    own), and the stylesheet and script the plugin registers.
    """
    floor = project / "floor-a"
    docs = floor / "docs"
    if floor.exists():
        shutil.rmtree(floor)
    hand_written = project / "docs"
    if hand_written.is_dir():
        shutil.copytree(hand_written, docs)
    for rel, content in pages.items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path):  # a cache file: a page, a download or a drawing
            content = content.read_bytes()
        if rel.endswith(".md"):
            text = content.decode("utf-8") if isinstance(content, bytes) else content
            # The page whole, as one Markdown text: floor A is our pages through plain MkDocs.
            path.write_text(strip_journey_diagrams(expand(text)), encoding="utf-8")
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    base = read_config(project / "mkdocs.yml")
    config = {
        "INHERIT": "mkdocs.yml",
        "docs_dir": str(docs),
        "site_dir": str(floor / "site"),
        "plugins": plugins_without_ours(base),
        "extra_css": [*base.get("extra_css", []), *extra_css],
        "extra_javascript": [*base.get("extra_javascript", []), *extra_js],
    }
    if nav is not None:
        config["nav"] = nav
    config_file = project / "mkdocs-floor-a.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def floor_d_page(audit: dict) -> str:
    """One audit as a hand-written Markdown page: its touchpoints in a table, then a section each."""
    rows, sections = [], []
    for stage in audit["stages"]:
        for tp in stage["touchpoints"]:
            msg = tp.get("message") or {}
            rows.append(f"| [{_cell(tp['name'])}](#{tp['id']}) | {_cell(stage['name'])} | {tp.get('channel', '')} "
                        f"| {_cell(tp.get('owner', ''))} | {tp.get('importance', '')} | {msg.get('score', '')} |")
            sections += [f"## {_cell(tp['name'])} {{#{tp['id']}}}", f"**Intended:** {_cell(msg.get('intended', ''))}",
                         f"**Observed:** {_cell(msg.get('observed', ''))}"]
    return "\n\n".join([f"# {_cell(audit['title'])}", _cell(audit.get("summary", "")),
                         "| Touchpoint | Stage | Channel | Owner | Importance | Score |\n"
                         "| --- | --- | --- | --- | ---: | ---: |\n" + "\n".join(rows), *sections]) + "\n"


def write_floor_d(project: Path, audit_files: list[Path]) -> Path:
    """Floor D's docs in ``project/floor-d/docs`` (one page per audit); its config file, as for floor A."""
    floor = project / "floor-d"
    docs = floor / "docs"
    if floor.exists():
        shutil.rmtree(floor)
    docs.mkdir(parents=True)
    (docs / "index.md").write_text("# Audits\n", encoding="utf-8")
    clients: dict[str, list[str]] = {}
    for f in audit_files:
        audit = yaml.load(f.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
        rel = f"{audit['client_id']}/{f.stem}.md"
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        (docs / rel).write_text(floor_d_page(audit), encoding="utf-8")
        clients.setdefault(str(audit["client"]), []).append(rel)
    base = read_config(project / "mkdocs.yml")
    config = {"INHERIT": "mkdocs.yml", "docs_dir": str(docs), "site_dir": str(floor / "site"),
              "plugins": plugins_without_ours(base),
              "nav": [{"Audits": "index.md"}, *({c: pages} for c, pages in sorted(clients.items()))]}
    config_file = project / "mkdocs-floor-d.yml"
    config_file.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config_file


def floor_a(config_file: Path, *, jieba: bool = True, timeout: float = 1800) -> Run:
    """``mkdocs build`` of the floor project, in its own process.

    With ``jieba=False`` an import blocker hides jieba, so Material's search indexes
    Chinese without segmenting it: the difference is what segmentation costs.
    """
    env = _env()
    if not jieba:
        blocker = config_file.parent / "no-jieba"
        blocker.mkdir(exist_ok=True)
        (blocker / "jieba.py").write_text("raise ImportError('jieba hidden by the benchmark')\n", encoding="utf-8")
        env["PYTHONPATH"] = f"{blocker}:{env.get('PYTHONPATH', '')}".rstrip(":")
    return run([sys.executable, "-m", "mkdocs", "build", "--quiet", "--clean", "-f", str(config_file)],
               cwd=config_file.parent, env=env, timeout=timeout)


def floor_b(sources: list[str], work: Path) -> float:
    """Seconds for ``dot -Tsvg`` to draw each source in a process of its own, sequentially."""
    dot = shutil.which("dot")
    if dot is None:
        raise BenchError("Graphviz's `dot` is not on the PATH (apt-get install graphviz)")
    work.mkdir(parents=True, exist_ok=True)
    files = []
    for i, source in enumerate(sources):
        f = work / f"g{i}.gv"
        f.write_text(source, encoding="utf-8")
        files.append(f)
    t0 = time.perf_counter()
    for f in files:
        done = subprocess.run([dot, "-Tsvg", str(f), "-o", str(f.with_suffix(".svg"))], capture_output=True)
        if done.returncode != 0:
            raise BenchError(f"dot failed on {f}: {done.stderr.decode('utf-8', 'replace')[:500]}")
    return time.perf_counter() - t0


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    return env
