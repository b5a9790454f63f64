"""The server of ``journey-audit serve``: MkDocs' live-reload server, with our rebuilds and an error page.

MkDocs' ``serve`` holds every page request while a rebuild is under way and, when the
rebuild fails (an audit with an error), never lets it go: the browser waits until it
gives up. Here a rebuild never fails that way: when the audits have errors, every page
request is answered with an error page listing them (``path:line:col: error: message
(rule)``, as ``validate`` prints them) that reloads itself, like the site's pages, as
soon as the next rebuild is done; once the file is fixed the site is back.

A save inside the audits folder is previewed by :mod:`.preview` (only the pages it
touches, seconds); anything else (hand-written pages, ``mkdocs.yml``, a new audit) and
whatever the preview cannot keep right is a full build. The site is built into a
temporary folder removed when the server stops (Ctrl-C, or SIGTERM: see
:func:`journey_audit.cli.site_commands`).
"""

from __future__ import annotations

import errno
import html
import logging
import os
import shutil
import socket
import tempfile
import threading
import time
import traceback
from typing import Callable

from mkdocs.livereload import LiveReloadServer, _serve_url, _timestamp

from .. import progress
from ..errors import AuditError, BuildFailed, JourneyAuditError
from .preview import Built, NeedsFullBuild, audit_changes, update

log = logging.getLogger("mkdocs.plugins.journey_audit.serve")
POLL_SECONDS = 0.25  # how often the watched folders are looked at (MkDocs: 0.5)
# The error page is for the author, whose audits may be in either language: it says it in both.
HEADING = "The audits have errors · 审计文件有错误"
HINT = ("Fix them and save: this page turns into the site by itself. · "
        "修改并保存后，本页会自动显示网站。")


class PreviewServer(LiveReloadServer):
    """MkDocs' server, told which files changed, and showing :attr:`errors` instead of the site while set."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, polling_interval=POLL_SECONDS, **kwargs)
        self.build_delay = 0.05  # wait for an editor's save to settle (MkDocs: 0.1)
        self.errors: list[str] | None = None
        self._changed: set[str] = set()
        self._changed_lock = threading.Lock()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Watch ``path`` as MkDocs does, remembering the paths that changed (:meth:`take_changed`)."""
        import watchdog.events

        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def callback(event) -> None:
            if event.is_directory:
                return
            with self._changed_lock:
                self._changed.update(p for p in (event.src_path, getattr(event, "dest_path", "")) if p)
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def take_changed(self) -> set[str]:
        """The paths changed since the last call."""
        with self._changed_lock:
            changed, self._changed = self._changed, set()
        return changed

    def publish(self) -> None:
        """Tell the browsers the site changed, in the middle of a rebuild (the edited pages are written).

        The audits were valid, or nothing would have been written: the site replaces the error page.
        """
        self.errors = None
        with self._epoch_cond:
            self._visible_epoch = self._wanted_epoch
            self._epoch_cond.notify_all()

    def finished(self) -> None:
        """The rebuild is done: browsers reload once more (a new epoch) and requests are answered."""
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch = max(_timestamp(), self._visible_epoch + 1)
            self._epoch_cond.notify_all()

    def unchanged(self) -> None:
        """Nothing was rebuilt: the browsers keep their pages (no reload)."""
        with self._epoch_cond:
            self._wanted_epoch = self._visible_epoch
            self._epoch_cond.notify_all()

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        errors = self.errors
        if errors is not None and not path.startswith("/livereload/") and (path.endswith(("/", ".html"))):
            with self._epoch_cond:
                epoch = self._visible_epoch
            content = self._inject_js_into_html(error_page(errors).encode("utf-8"), epoch)
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Content-Length", str(len(content)))])
            return [content]
        return _whole(super()._serve_request, environ, start_response)


def _whole(serve, environ, start_response):
    """``serve``'s response read whole, its Content-Length that of what was read.

    MkDocs opens a file, then takes its size by path: a file the preview replaced in
    between (the search index) was sent with the new size and the old bytes, a response
    cut short.
    """
    answer: list = []
    body = serve(environ, lambda status, headers, exc_info=None: answer.append((status, headers)))
    if body is None or not answer:
        return body
    try:
        content = b"".join(body)
    finally:
        if hasattr(body, "close"):
            body.close()
    status, headers = answer[-1]
    start_response(status, [(k, str(len(content)) if k.lower() == "content-length" else v) for k, v in headers])
    return [content]


def error_page(errors: list[str]) -> str:
    """The page shown in place of the site while the audits have ``errors`` (lines as ``validate`` prints them)."""
    heading, hint = HEADING, HINT
    items = "\n".join(f"<li><code>{html.escape(line)}</code></li>" for line in errors)
    return (f'<!doctype html>\n<html><head><meta charset="utf-8"><title>{html.escape(heading)}</title>'
            "<style>body{font-family:system-ui,sans-serif;margin:2em;max-width:70em}"
            "li{margin:.4em 0;white-space:pre-wrap}code{font-size:1rem}h1{color:#b00020}</style></head>\n"
            f"<body><h1>{html.escape(heading)}</h1>\n<p>{html.escape(hint)}</p>\n<ul>\n{items}\n</ul>\n</body></html>\n")


class Rebuilder:
    """The builder the server calls: a preview of an audit's edit, or a full build; never raises."""

    def __init__(self, get_config: Callable[[], object], validate: Callable[[object], None], serve_url: str) -> None:
        self.get_config, self.validate, self.serve_url = get_config, validate, serve_url
        self.built: Built | None = None
        self.server: PreviewServer | None = None

    def full(self, config=None) -> None:
        """Load the configuration (again), validate the audits, build the whole site."""
        from mkdocs.commands.build import build

        self.built = None
        config = config or self.get_config()
        config.site_url = self.serve_url
        self.validate(config)  # raises AuditError
        build(config, serve_url=self.serve_url)
        self.built = Built.of(config)

    def __call__(self) -> None:
        server = self.server
        assert server is not None
        start = time.monotonic()
        changed = server.take_changed()
        audits = audit_changes(changed, self.built.plugin.audits_dir) if self.built else None
        if audits == set():  # an editor's swap or backup file: nothing to build, errors still shown
            server.unchanged()
            return
        try:
            try:
                if audits is None:
                    self.full()
                else:
                    update(self.built, audits, server.publish)  # the audits are valid once it publishes
            except NeedsFullBuild as why:
                log.info(f"building the whole site: {why}")
                self.full()
            server.errors = None
            log.info(f"site updated in {time.monotonic() - start:.1f} s")
        except AuditError as exc:
            server.errors = [p.format() for p in exc.problems]
            for line in server.errors:
                log.error(line)
        except Exception as exc:  # noqa: BLE001 - shown in the browser and the terminal, never a hung request
            server.errors = [_message(exc)]
            if not isinstance(exc, JourneyAuditError) and type(exc).__module__.split(".")[0] not in ("mkdocs",):
                traceback.print_exc()
            log.error(server.errors[0])
        server.finished()


def _message(exc: BaseException) -> str:
    return str(exc) or type(exc).__name__


def run(get_config: Callable[[], object], validate: Callable[[object], None]) -> None:
    """Build the site into a temporary folder and serve it until interrupted (Ctrl-C or SIGTERM).

    ``get_config`` loads MkDocs' configuration (again, for a full rebuild; its site_dir is
    replaced); ``validate(config)`` checks the audits and hands them to the plugin, raising
    :class:`AuditError` (at start, the error reaches the caller: nothing to serve yet).
    """
    from urllib.parse import urlsplit

    site_dir = tempfile.mkdtemp(prefix="journey-audit-serve-")

    def config_here():
        config = get_config()
        config.site_dir = site_dir
        return config

    config = None
    try:
        config = config_here()
        config.plugins.on_startup(command="serve", dirty=False)
        host, port = config.dev_addr
        check_port(host, port)  # before the first build: a busy port is known at once
        mount = urlsplit(config.site_url or "/").path
        builder = Rebuilder(config_here, validate, _serve_url(host, port, mount))
        builder.full(config)
        progress.finish()  # the bars were for the first build; the updates say what they did in a line
        server = PreviewServer(builder=builder, host=host, port=port, root=site_dir, mount_path=mount)
        builder.server = server
        _watch(server, config, builder)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        if config is not None:
            config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)


def check_port(host: str, port: int) -> None:
    """Raise :class:`BuildFailed` when ``host:port`` cannot be served on (in use, or not this machine's)."""
    try:
        for family, kind, proto, _, address in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
            with socket.socket(family, kind, proto) as probe:
                probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds
                probe.bind(address)
            return
    except OSError as exc:
        busy = getattr(exc, "errno", None) == errno.EADDRINUSE
        reason = "is already in use" if busy else f"cannot be served on ({exc.strerror or exc})"
        raise BuildFailed(f"{host}:{port} {reason}: stop the other server, or choose another address "
                          f"with --dev-addr (for example 127.0.0.1:{port + 1})") from None


def _watch(server: PreviewServer, config, builder) -> None:
    """What MkDocs' serve watches: docs, mkdocs.yml, the plugins' folders (ours: the audits), ``watch``."""
    server.watch(config.docs_dir)
    if config.config_file_path:
        server.watch(config.config_file_path)
    config.plugins.on_serve(server, config=config, builder=builder)
    for item in config.watch:
        server.watch(item)
