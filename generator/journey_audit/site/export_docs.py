"""``journey-audit export-docs`` and ``build --engine zensical``: the site as a plain docs tree.

Our MkDocs plugin adds the generated pages to a build in memory. Engines that read
``mkdocs.yml`` but run no MkDocs plugins (Zensical, Material's successor) need the
pages on disk instead. :func:`export_docs` writes, into one folder::

    OUT/mkdocs.yml    the site's configuration without our plugin: nav, extra_css and
                      extra_javascript set, docs_dir ``docs``, site_dir ``site``
    OUT/docs/         generated pages (diagrams filled in), downloads, assets, and the
                      hand-written docs this build may publish (client scope applied)
    OUT/overrides/    the theme overrides (the configuration's custom_dir)

``mkdocs build`` and ``zensical build`` in OUT both build the same site from it. The
audits are validated first (messages as ``build`` gives them), and OUT is written into a
fresh folder beside it and swapped into place only when complete (see
:func:`journey_audit.site.build.replace_dir`).

:func:`build_with_zensical` exports into a temporary folder beside the site folder, runs
``zensical build`` there, and swaps the result into place like ``build`` does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import yaml

from ..errors import BuildFailed
from .build import (
    PLUGIN,
    build_site,
    check_target,
    config_file,
    prepared,
    replace_dir,
    serve_site,
    temporary_dir,
)

DOCS = "docs"
OVERRIDES = "overrides"
SITE = "site"
ZENSICAL_MISSING = "Zensical is not installed; pip install journey-audit[zensical]"


@dataclass
class Exported:
    """What :func:`export_docs` wrote: the tree's folder, how many audits and whose site."""

    folder: Path
    audits: int
    client: str | None
    left_out: str = ""  # the lines saying which hand-written files the build left out, and why


def export_docs(out: Path, config: Path | None = None, audits: Path | None = None, strict: bool = False,
                err: TextIO | None = None, *, client: str | None = None, include_internal: bool = False,
                drafts: bool = False, hide_auditor_names: bool = False) -> Exported:
    """Validate the audits and write the docs tree of the site into folder ``out`` (replaced whole).

    Options as for :func:`journey_audit.site.build.build_site`; the tree's mkdocs.yml
    builds into ``out/site`` (Zensical wants the site folder inside the project's).
    Raises :class:`BuildFailed` (``out`` is then left as it was).
    """
    err = err or sys.stderr
    out = Path(out)
    with prepared(config, audits, strict, err, client=client, include_internal=include_internal,
                  drafts=drafts, hide_auditor_names=hide_auditor_names) as (path, cfg, plugin):
        check_target(out, [Path.cwd(), Path(cfg.docs_dir), plugin.audits_dir, path])
        out.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary_dir(out)
        try:
            _write_tree(tmp, path, cfg, plugin)
            replace_dir(tmp, out)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return Exported(out, len(plugin.site.published), plugin.config.client, plugin.left_out_report())


def _write_tree(folder: Path, path: Path, cfg, plugin) -> None:
    """Run our plugin's part of a MkDocs build on ``cfg`` and write its files and configuration into ``folder``."""
    from mkdocs.exceptions import MkDocsException
    from mkdocs.structure.files import get_files

    try:  # the events of a MkDocs build up to the files, for every plugin (ours generates and scopes)
        cfg = cfg.plugins.on_config(cfg)
        cfg.plugins.on_pre_build(config=cfg)
        files = cfg.plugins.on_files(get_files(cfg), config=cfg)
    except MkDocsException as exc:
        raise BuildFailed(str(exc)) from None
    docs = folder / DOCS
    for f in files:
        target = docs / f.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        if f.generated_by is not None and f.src_uri.endswith(".md"):
            # The diagrams go into the Markdown's HTML blocks: no engine calls Site.fill.
            target.write_text(plugin.site.fill(f.content_string), encoding="utf-8")
        elif f.abs_src_path:
            shutil.copyfile(f.abs_src_path, target)
        else:
            target.write_bytes(f.content_bytes)
    overrides = _overrides(folder, path, cfg)
    data = engine_config(path, cfg, overrides)
    (folder / "mkdocs.yml").write_text(
        "# Written by `journey-audit export-docs`: build with `mkdocs build` or `zensical build`.\n"
        + _dump(data, path), encoding="utf-8")
    plugin.on_post_build(cfg)  # prune the cache: every cache file has been copied


def _overrides(folder: Path, path: Path, cfg) -> bool:
    """Copy the configuration's custom_dir into ``folder/overrides``; whether there was one.

    Our own template override (Material's search dialog with an accessible name) stays
    out: Zensical has a search dialog of its own, which Material's partial would replace
    by one that never starts. A tree built with MkDocs has Material's dialog, unnamed.
    """
    custom = cfg.theme.custom_dir
    if not custom:
        return False
    shutil.copytree(custom, folder / OVERRIDES, dirs_exist_ok=True)
    return True


def engine_config(path: Path, cfg, overrides: bool) -> dict:
    """The configuration file ``path`` as data, made to build the exported tree with any engine.

    Our plugin is taken out of ``plugins``; ``nav``, ``extra_css`` and ``extra_javascript``
    are what the plugin set in ``cfg``; ``docs_dir`` and ``theme.custom_dir`` name the
    tree's folders; ``site_dir`` is ``site``.
    """
    from mkdocs.utils.yaml import yaml_load

    with open(path, "rb") as fd:
        data = yaml_load(fd) or {}
    plugins = data.get("plugins")
    if isinstance(plugins, dict):
        plugins.pop(PLUGIN, None)
    elif isinstance(plugins, list):
        data["plugins"] = [p for p in plugins if p != PLUGIN and not (isinstance(p, dict) and PLUGIN in p)]
    data["docs_dir"] = DOCS
    data["site_dir"] = SITE
    if cfg.nav:
        data["nav"] = cfg.nav
    data["extra_css"] = [str(s) for s in cfg.extra_css]
    data["extra_javascript"] = [str(s) for s in cfg.extra_javascript]
    theme = data.get("theme")
    theme = {"name": theme} if isinstance(theme, str) else dict(theme or {"name": "mkdocs"})
    theme.pop("custom_dir", None)
    if overrides:
        theme["custom_dir"] = OVERRIDES
    data["theme"] = theme
    return data


def _dump(data: dict, path: Path) -> str:
    try:
        return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120)
    except yaml.YAMLError as exc:  # e.g. a `!!python/name:` value, which only Python reads back
        raise BuildFailed(f"{path}: a setting cannot be written as plain YAML for another engine ({exc})") from None


# -- building with Zensical --------------------------------------------------------------

def zensical_command() -> list[str]:
    """How to run Zensical's command line, or :class:`BuildFailed` saying how to install it."""
    import importlib.util

    if importlib.util.find_spec("zensical") is None:
        raise BuildFailed(ZENSICAL_MISSING)
    return [sys.executable, "-m", "zensical"]


def build_with_zensical(config: Path | None = None, audits: Path | None = None, site_dir: Path | None = None,
                        strict: bool = False, err: TextIO | None = None, *, client: str | None = None,
                        include_internal: bool = False, drafts: bool = False, hide_auditor_names: bool = False) -> int:
    """``build --engine zensical``: validate, export the docs tree, build it with Zensical, swap the site in.

    0 on success, 1 when nothing changed (the message says why).
    """
    err = err or sys.stderr
    start = time.monotonic()
    work: Path | None = None
    try:
        command = zensical_command()
        target = Path(site_dir) if site_dir else _configured_site_dir(config)
        target.parent.mkdir(parents=True, exist_ok=True)
        work = temporary_dir(target)
        done = export_docs(work / "tree", config, audits, strict, err, client=client,
                           include_internal=include_internal, drafts=drafts,
                               hide_auditor_names=hide_auditor_names)
        built = done.folder / SITE
        check_target(target, [Path.cwd(), done.folder])
        run = subprocess.run([*command, "build", "--config-file", "mkdocs.yml", *(["--strict"] if strict else [])],
                             cwd=done.folder, capture_output=True, text=True)
        if run.returncode != 0 or not (built / "index.html").is_file():
            err.write(run.stdout + run.stderr)
            raise BuildFailed(f"Zensical failed (exit status {run.returncode})")
        replace_dir(built, target)
    except BuildFailed as exc:
        print(f"error: {exc}; the site folder was left as it was", file=err)
        return 1
    finally:
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
    whose = f" of client {done.client}" if done.client else ""
    print(f"built {target} with Zensical from {done.audits} audit{'s' * (done.audits != 1)}{whose} "
          f"in {time.monotonic() - start:.1f} s", file=err)
    err.write(done.left_out)
    return 0


def _configured_site_dir(config: Path | None) -> Path:
    """The ``site_dir`` of the configuration (relative to its folder), as MkDocs reads it."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    with config_file(config) as path:
        try:
            return Path(load_config(config_file=str(path)).site_dir)
        except MkDocsException as exc:
            raise BuildFailed(f"{path}: {exc}") from None


def serve_with_zensical(config: Path | None = None, audits: Path | None = None, dev_addr: str | None = None,
                        strict: bool = False, err: TextIO | None = None, *, client: str | None = None,
                        include_internal: bool = False, drafts: bool = False, hide_auditor_names: bool = False) -> int:
    """``serve --engine zensical``: validate, export the docs tree to a temporary folder and let Zensical serve it.

    Zensical rebuilds when a file of the tree changes, not when an audit is saved:
    stop it and serve again after editing audits (``serve`` with MkDocs does rebuild).
    """
    import tempfile

    err = err or sys.stderr
    try:
        command = zensical_command()
        with tempfile.TemporaryDirectory(prefix="journey-audit-zensical-") as tmp:
            done = export_docs(Path(tmp) / "tree", config, audits, strict, err, client=client,
                               include_internal=include_internal, drafts=drafts,
                               hide_auditor_names=hide_auditor_names)
            print("serving with Zensical; saving an audit does not rebuild: stop and serve again", file=err)
            run = subprocess.run([*command, "serve", "--config-file", "mkdocs.yml",
                                  *(["--dev-addr", dev_addr] if dev_addr else [])], cwd=done.folder)
            return 0 if run.returncode in (0, -2, 130) else 1
    except BuildFailed as exc:
        print(f"error: {exc}", file=err)
        return 1


def export_command(out: Path, **options) -> int:
    """``journey-audit export-docs OUT``: :func:`export_docs` (``options`` as it takes them) and a line saying what it wrote."""
    done = export_docs(out, **options)
    whose = f" of client {done.client}" if done.client else ""
    print(f"wrote the docs tree of {done.audits} audit{'s' * (done.audits != 1)}{whose} to {done.folder}; "
          "build it there with `mkdocs build` or `zensical build`", file=sys.stderr)
    sys.stderr.write(done.left_out)
    return 0


def build_with(engine: str, **options) -> int:
    """``journey-audit build --engine ENGINE``: :func:`build_site` (mkdocs) or :func:`build_with_zensical`."""
    return (build_with_zensical if engine == "zensical" else build_site)(**options)


def serve_with(engine: str, **options) -> int:
    """``journey-audit serve --engine ENGINE``: :func:`serve_site` (mkdocs) or :func:`serve_with_zensical`."""
    return (serve_with_zensical if engine == "zensical" else serve_site)(**options)
