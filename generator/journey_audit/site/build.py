"""``journey-audit build`` and ``journey-audit serve``: validate, then let MkDocs build.

Both validate every audit first and stop with the problems (``path:line:col``) before
anything is written. ``build`` then builds into a fresh folder beside the target and
swaps it into place only when MkDocs succeeded, so a failed, ``--strict``-failed or
interrupted build leaves the previous site exactly as it was (MkDocs itself empties
the site folder first, and under ``--strict`` writes the whole site before failing).

``--client ID`` builds the site of one client (the plugin's ``client`` option; see
:mod:`journey_audit.site.plugin`), ``--include-internal`` and ``--drafts`` publish
internal notes and draft audits (never for a client's eyes: the build says so). The
temporary folder of a killed build is removed by the next build.

The site configuration is the project's ``mkdocs.yml`` (or ``--config``); in a folder
without one, the built-in ``assets/default-mkdocs.yml`` with paths relative to the
working folder. MkDocs is called through its Python API, in this process.

The flags reach the plugin as its options, through the configuration MkDocs loads:
:func:`plugins_with` sets them in the plugin's entry of the configuration's
``plugins`` list, and that list is passed to MkDocs' ``load_config`` as an override of
the file's (``serve`` passes it on to every reload). A flag left off keeps what the
configuration says.
"""

from __future__ import annotations

import copy
import ctypes
import errno
import logging
import os
import re
import shutil
import sys
import tempfile
import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Callable, Iterator, Sequence, TextIO

import yaml

from .. import progress
from ..audit.portfolio import load_portfolio
from ..cache import DEFAULT_ROOT, Cache
from ..errors import AuditError, BuildFailed
from ..figures.gates import DEFAULT_CONFIG as GATES

PLUGIN = "journey-audit"
CONFIG_NAME = "mkdocs.yml"


# -- configuration ---------------------------------------------------------------

def default_config_text() -> str:
    """The built-in site configuration (YAML), used where there is no mkdocs.yml."""
    return (resources.files("journey_audit.site") / "assets" / "default-mkdocs.yml").read_text(encoding="utf-8")


@contextmanager
def config_file(path: Path | None) -> Iterator[Path]:
    """The MkDocs configuration file to use: ``path``, ``./mkdocs.yml``, or the built-in one.

    The built-in configuration is written to a temporary folder for the length of the
    block, with absolute paths (MkDocs resolves paths from the configuration file's
    folder): docs_dir is ``./docs`` when it exists, else an empty folder.
    """
    if path is not None:
        if not path.is_file():
            raise BuildFailed(f"{path}: no such configuration file")
        yield path
        return
    if Path(CONFIG_NAME).is_file():
        yield Path(CONFIG_NAME)
        return
    cwd = Path.cwd()
    _remove_stale_configs()
    with tempfile.TemporaryDirectory(prefix=f"{CONFIG_PREFIX}{os.getpid()}-") as tmp:
        data = yaml.safe_load(default_config_text())
        docs = cwd / "docs"
        if not docs.is_dir():
            docs = Path(tmp) / "docs"
            docs.mkdir()
        data["docs_dir"] = str(docs)
        data["site_dir"] = str(cwd / "site")
        for entry in data["plugins"]:
            if isinstance(entry, dict) and PLUGIN in entry:
                entry[PLUGIN]["audits"] = str(cwd / "audits")
                entry[PLUGIN]["cache_dir"] = str(cwd / DEFAULT_ROOT)
                if (cwd / GATES).is_file():  # what `journey-audit check` reads: its results go on the pages
                    entry[PLUGIN]["gates"] = str(cwd / GATES)
        target = Path(tmp) / CONFIG_NAME
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        yield target


CONFIG_PREFIX = "journey-audit-config-"


def _remove_stale_configs() -> None:
    """Remove the built-in configuration's folders that killed processes left in the temporary folder.

    SIGTERM and Ctrl-C let the folder be removed (see the CLI); SIGKILL cannot. A folder is
    named after its process, and removed once that process is gone.
    """
    pattern = re.compile(rf"{re.escape(CONFIG_PREFIX)}(\d+)-")
    try:
        entries = os.scandir(tempfile.gettempdir())
    except OSError:
        return
    with entries:
        for entry in entries:
            found = pattern.match(entry.name)
            if found and not _alive(int(found.group(1))) and entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path, ignore_errors=True)


def plugins_with(path: Path, options: dict) -> PluginList | None:
    """The ``plugins`` setting of the configuration file ``path``, with ``options`` set in our plugin's entry.

    Options whose value is None are left as the file has them; None when there is nothing
    to set, or the file does not enable the plugin (:func:`_load` says so). The file is read
    as MkDocs reads it (``INHERIT``, ``!ENV``); a mapping of plugins becomes the list form:

    >>> _with_options(["search", "journey-audit"], {"client": "acme"})
    ['search', {'journey-audit': {'client': 'acme'}}]
    >>> _with_options({"journey-audit": {"audits": "a", "client": "x"}}, {"client": "acme"})
    [{'journey-audit': {'audits': 'a', 'client': 'acme'}}]
    """
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.exceptions import MkDocsException

    options = {k: v for k, v in options.items() if v is not None}
    if not options:
        return None
    raw = MkDocsConfig(config_file_path=str(path))
    try:
        with open(path, "rb") as fd:
            raw.load_file(fd)
    except (OSError, MkDocsException) as exc:
        raise BuildFailed(f"{path}: {exc}") from None
    return _with_options(raw.get("plugins"), options)


class PluginList(list):
    """A ``plugins`` setting handed to MkDocs that gives every reading entries of its own.

    MkDocs takes each entry of the list apart as it loads it (``dict.popitem``), and
    ``serve`` loads the configuration again, with the same override, on every rebuild.
    """

    def __iter__(self):
        return iter(copy.deepcopy(list(list.__iter__(self))))


def _with_options(plugins, options: dict) -> PluginList | None:
    if isinstance(plugins, dict):
        plugins = [{name: cfg} for name, cfg in plugins.items()]
    if not isinstance(plugins, list):
        return None
    out, found = PluginList(), False
    for entry in plugins:
        if entry == PLUGIN:
            entry, found = {PLUGIN: dict(options)}, True
        elif isinstance(entry, dict) and PLUGIN in entry:
            entry, found = {**entry, PLUGIN: {**(entry[PLUGIN] or {}), **options}}, True
        out.append(entry)
    return out if found else None


def _load(path: Path, plugins: PluginList | None, **options):
    """The MkDocs configuration with our plugin in it (``plugins``: see :func:`plugins_with`), or :class:`BuildFailed`."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    try:
        config = load_config(config_file=str(path), plugins=plugins, **options)
    except MkDocsException as exc:
        raise BuildFailed(f"{path}: {exc}") from None
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise BuildFailed(f"{path} does not enable the journey-audit plugin; add it under `plugins:` "
                          f"(  - {PLUGIN}) or build with the built-in configuration (no mkdocs.yml)")
    return config, plugin


# -- validation --------------------------------------------------------------------

def _validate(audits_dir: Path, strict: bool, err: TextIO, cache: Cache | None = None):
    """Load and check every audit (unchanged ones from ``cache``); print the problems; the portfolio, or BuildFailed."""
    portfolio = load_portfolio([audits_dir], cache)
    # Hundreds of warnings of one rule hide the rest: a few of each, then a count (--verbose: all).
    limit = None if progress.verbose() else progress.SHOWN_PER_RULE
    for line in progress.grouped(((p.format(), p.level, p.rule) for p in portfolio.problems), limit):
        print(line, file=err)
    failing = portfolio.errors or (strict and portfolio.warnings)
    if failing:
        n = len(portfolio.errors) + (len(portfolio.warnings) if strict else 0)
        raise BuildFailed(f"{n} problem{'s' * (n != 1)} in the audits; nothing was built")
    return portfolio


# -- atomic output -----------------------------------------------------------------

_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where that is not possible."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # no glibc ≥ 2.28
        return False
    return renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0


def replace_dir(new: Path, target: Path, warn: Callable[[str], None] | None = None) -> None:
    """Put folder ``new`` in the place of ``target`` and delete the old ``target``.

    Where the system can swap two folders atomically, readers of ``target`` see the
    old site or the new one, never a mix and never nothing; elsewhere two renames
    come close (and the old site is put back if the second fails). Two builds that
    find ``target`` missing at once do not fail: the second one swaps with the first's
    site. Hidden entries of the old site (``.git``, ``.nojekyll``) are carried over,
    as MkDocs keeps them. Once the new site is in place, failing to delete the old
    copy is only a warning (``warn``), not a failed build.
    """
    carried: list[str] = []
    try:
        _swap(new, target, carried, warn)
    except BaseException:
        for name in carried:  # the swap failed: the old site keeps its .git
            if target.is_dir() and not os.path.lexists(target / name) and os.path.lexists(new / name):
                os.rename(new / name, target / name)
        raise


def _swap(new: Path, target: Path, carried: list[str], warn: Callable[[str], None] | None) -> None:
    for _ in range(3):
        carried += _carry_hidden(target, new)
        if not target.exists():
            try:
                os.rename(new, target)  # onto nothing; or an empty folder another build just made
                return
            except OSError as exc:
                if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST):
                    raise
                continue  # another build put its site there first: swap with it
        if _exchange(new, target):
            _remove_old(new, target, warn)  # now the old site
            return
        if target.exists():
            break
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    os.rename(target, old)
    try:
        os.rename(new, target)
    except OSError:
        os.rename(old, target)
        raise
    _remove_old(old, target, warn)


def _carry_hidden(target: Path, new: Path) -> list[str]:
    """Move the hidden entries at the top of the old site (``.git``, ``.nojekyll``) into the new one."""
    try:
        hidden = [e for e in os.listdir(target) if e.startswith(".")]
    except (FileNotFoundError, NotADirectoryError):
        return []
    moved = []
    for name in hidden:
        if not os.path.lexists(new / name):
            os.rename(target / name, new / name)
            moved.append(name)
    return moved


def _remove_old(old: Path, target: Path, warn: Callable[[str], None] | None) -> None:
    failed: list[str] = []
    shutil.rmtree(old, onerror=lambda _f, path, exc: failed.append(f"{path}: {exc[1]}"))
    if failed and warn:
        warn(f"the new site is in {target}, but the old copy {old} could not be deleted ({failed[0]}); "
             "delete it by hand")


def temporary_dir(target: Path) -> Path:
    """A fresh, empty folder beside ``target`` to build into, named after this process.

    Folders that killed builds left behind (their process is gone) are removed first:
    a half-built site must not linger beside the real one.
    """
    pattern = re.compile(rf"\.{re.escape(target.name)}\.(?:building|old)-(\d+)(?:-|$)")
    for stale in target.parent.iterdir():
        found = pattern.match(stale.name)
        if found and stale.is_dir() and not _alive(int(found.group(1))):
            shutil.rmtree(stale, ignore_errors=True)
    made = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-{os.getpid()}-", dir=target.parent))
    umask = os.umask(0)  # mkdtemp makes 0700; the site gets the mode `mkdir` (and MkDocs) would give it
    os.umask(umask)
    made.chmod(0o777 & ~umask)
    return made


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: alive, not ours to judge
        return True
    return True


def _os_trouble(exc: OSError, target: Path, docs: Path) -> str:
    """One line for a file-system failure during a build: which folder, what to do."""
    where = Path(exc.filename) if exc.filename else target.parent
    if where.resolve().is_relative_to(docs.resolve()):
        return f"cannot read {where}: {exc.strerror}; fix its permissions or remove it from {docs}"
    what = {errno.ENOSPC: "free some disk space", errno.EDQUOT: "free some disk space",
            errno.EROFS: "the file system is read-only: choose another --site-dir",
            errno.EACCES: f"make {target.parent} writable or choose another --site-dir",
            errno.EPERM: f"make {target.parent} writable or choose another --site-dir"}
    hint = what.get(exc.errno or 0, "choose another --site-dir")
    return f"cannot write the site in {target.parent} ({exc.strerror}: {where}); {hint}"


def check_target(target: Path, keep: list[Path]) -> None:
    """Refuse a site folder that holds the project: it is replaced whole."""
    t = target.resolve()
    for p in keep:
        p = p.resolve()
        if p == t or t in p.parents:
            raise BuildFailed(f"the site folder {target} would contain {p}, which the build replaces whole; "
                              "choose another --site-dir")


# -- logging -----------------------------------------------------------------------

class _Formatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return f"{record.levelname:<8}-  {record.getMessage()}"


@contextmanager
def _mkdocs_messages(level: int, err: TextIO) -> Iterator[None]:
    """Show MkDocs' messages from ``level`` up, as ``mkdocs`` prints them."""
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(err)
    handler.setFormatter(_Formatter())
    handler.setLevel(level)
    saved = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(min(level, logging.INFO))
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(saved[0])
        logger.propagate = saved[1]


# -- commands ----------------------------------------------------------------------

def _options(audits: Path | None, client: str | None, include_internal: bool, drafts: bool,
             hide_auditor_names: bool = False, reports: Sequence[str] = ()) -> dict:
    """The plugin options the command line sets (None: a flag left off keeps the configuration's value)."""
    return {"audits": str(audits.resolve()) if audits else None, "client": client,
            "include_internal": True if include_internal else None, "drafts": True if drafts else None,
            "auditor_names": False if hide_auditor_names else None, "reports": list(reports) or None}


@contextmanager
def prepared(config: Path | None, audits: Path | None, strict: bool, err: TextIO, *, client: str | None,
             include_internal: bool, drafts: bool, hide_auditor_names: bool = False,
             reports: Sequence[str] = ()) -> Iterator[tuple[Path, object, object]]:
    """What a build starts with: ``(configuration file, MkDocs configuration, our plugin)``, audits validated.

    The command line's options are set in the plugin's entry; the plugin holds the validated
    portfolio. MkDocs' warnings go to ``err`` for the length of the block. :class:`BuildFailed`
    when the configuration or an audit is wrong (the problems printed to ``err``).
    """
    with config_file(config) as path, _mkdocs_messages(logging.WARNING, err):
        plugins = plugins_with(path, _options(audits, client, include_internal, drafts, hide_auditor_names,
                                              reports))
        cfg, plugin = _load(path, plugins, strict=strict)
        plugin.resolve(cfg)
        plugin.portfolio = _validate(plugin.audits_dir, strict, err, plugin.cache)
        yield path, cfg, plugin


def build_site(config: Path | None = None, audits: Path | None = None, site_dir: Path | None = None,
               strict: bool = False, err: TextIO | None = None, *, client: str | None = None,
               include_internal: bool = False, drafts: bool = False, hide_auditor_names: bool = False,
               reports: Sequence[str] = ()) -> int:
    """Validate the audits and build the site; 0 on success, 1 when nothing changed.

    ``client``: only that client's site; ``include_internal`` / ``drafts``: publish
    internal notes / draft audits (see :func:`journey_audit.site.publish.published`);
    ``hide_auditor_names``: "Auditor 1", … instead of the auditors' names (not with
    ``include_internal``); ``reports``: report formats (``pdf``, ``pptx``) added to each
    audit page's downloads (the plugin's ``reports`` option; empty: the configuration's).
    """
    from mkdocs.commands.build import build
    from mkdocs.exceptions import Abort, MkDocsException

    err = err or sys.stderr
    start = time.monotonic()
    tmp: Path | None = None
    try:
        with prepared(config, audits, strict, err, client=client, include_internal=include_internal,
                      drafts=drafts, hide_auditor_names=hide_auditor_names, reports=reports) as (path, cfg, plugin):
            target = Path(site_dir) if site_dir else Path(cfg.site_dir)
            check_target(target, [Path.cwd(), Path(cfg.docs_dir), plugin.audits_dir, path])
            if target.resolve().is_relative_to(Path(cfg.docs_dir).resolve()):  # as MkDocs refuses site_dir there
                raise BuildFailed(f"the site folder {target} is inside the docs folder {cfg.docs_dir}: the next "
                                  "build would publish this site inside another; choose a --site-dir outside it")
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = temporary_dir(target)
                cfg.site_dir = str(tmp)
                try:
                    build(cfg)
                except Abort:  # MkDocs' "Aborted with a BuildError!": the cause was logged just above
                    raise BuildFailed("the build stopped on the error above") from None
                except MkDocsException as exc:
                    raise BuildFailed(f"MkDocs: {exc}") from None
                replace_dir(tmp, target, lambda message: print(f"warning: {message}", file=err))
                tmp = None
            except OSError as exc:
                raise BuildFailed(_os_trouble(exc, target, Path(cfg.docs_dir))) from None
    except BuildFailed as exc:
        print(f"error: {exc}; the site folder was left as it was", file=err)
        return 1
    finally:
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    n = len(plugin.site.published) if plugin.site else 0
    whose = f" of client {plugin.config.client}" if plugin.config.client else ""
    print(f"built {target} from {n} audit{'s' * (n != 1)}{whose} in {time.monotonic() - start:.1f} s", file=err)
    err.write(plugin.left_out_report())  # what the client does not get: the consultant checks it was meant
    return 0


def serve_site(config: Path | None = None, audits: Path | None = None, dev_addr: str | None = None,
               strict: bool = False, err: TextIO | None = None, *, client: str | None = None,
               include_internal: bool = False, drafts: bool = False, hide_auditor_names: bool = False) -> int:
    """Validate the audits, then build and serve the site, updating it when a file changes.

    ``client``, ``include_internal``, ``drafts`` and ``hide_auditor_names`` as for :func:`build_site`.
    While an audit has errors the browser shows them (see :mod:`journey_audit.site.serve`).
    """
    from mkdocs.exceptions import MkDocsException

    from .serve import run

    err = err or sys.stderr
    try:
        with config_file(config) as path, _mkdocs_messages(logging.INFO, err):
            plugins = plugins_with(path, _options(audits, client, include_internal, drafts, hide_auditor_names))
            options = {"strict": strict, **({"dev_addr": dev_addr} if dev_addr else {})}
            started = []

            def validate(cfg) -> None:
                plugin = cfg.plugins[PLUGIN]
                plugin.resolve(cfg)
                if not started:  # at start: the problems printed, and nothing to serve
                    plugin.portfolio = _validate(plugin.audits_dir, strict, err, plugin.cache)
                    started.append(True)
                    return
                portfolio = load_portfolio([plugin.audits_dir], plugin.cache)
                if portfolio.errors:
                    raise AuditError(portfolio.errors)
                plugin.portfolio = portfolio  # the build need not validate them again

            try:  # every full rebuild loads the configuration again, with the same plugins
                run(lambda: _load(path, plugins, **options)[0], validate)
            except MkDocsException as exc:
                raise BuildFailed(str(exc)) from None
    except BuildFailed as exc:
        print(f"error: {exc}", file=err)
        return 1
    return 0
