"""The example site in a real browser: built once, served on localhost, visited in Chromium.

Once per session: ``journey-audit build`` turns the example audits (``audits/`` as the
commit ships it) into a site in a temporary folder (the command a user types, with the
project's own ``mkdocs.yml``: ``example_site`` in tests/conftest.py, shared with
test_site.py); a threaded ``http.server`` serves it on 127.0.0.1 and a free port;
Playwright launches Debian's Chromium, headless. Each test gets a new browser context
(no cookies, storage or palette choice left by another test) with one tab in it, a
:class:`~browser_kit.Visitor` that records console errors and failed requests.

When Chromium, Playwright or axe-core is missing, or ``JOURNEY_AUDIT_SKIP_BROWSER=1``,
the tests are skipped with the reason on a developer's machine, and fail in CI (``CI``
set): there they must run. ``./run test`` installs all three.
``JOURNEY_AUDIT_CHROMIUM`` names another Chromium executable.

Files for a reviewer go to ``test-output/`` (git-ignored): screenshots and the PDF.

Every test here is marked ``slow`` (``pytest -m "not slow"`` leaves them out).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from typing import Iterator

import pytest

from browser_kit import REPO, VIEWPORT, Visitor, newest

OUTPUT = REPO / "test-output"
AXE = REPO / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# Quiet and self-contained: no GPU on these machines, no traffic to Google's services
# (nothing but 127.0.0.1 may be reached), no first-run dialogs. --no-sandbox because
# the tests run as root. Playwright gives every launch a fresh, temporary user data
# directory of its own (it refuses a --user-data-dir argument), so no profile is shared.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def unavailable(what: str, how: str) -> None:
    """Skip on a developer's machine; in CI, fail: the browser tests must run there."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} (the browser tests must run in CI): {how}", pytrace=False)
    pytest.skip(f"{what}: {how}")


@pytest.fixture(scope="session")
def chromium() -> str:
    """The Chromium executable (Debian's ``chromium``; Playwright's download is not used)."""
    if os.environ.get("JOURNEY_AUDIT_SKIP_BROWSER") == "1":
        unavailable("the browser tests are switched off", "JOURNEY_AUDIT_SKIP_BROWSER=1")
    path = os.environ.get("JOURNEY_AUDIT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        unavailable("Chromium is not installed", "run ./run test (it installs Debian's chromium) "
                    "or set JOURNEY_AUDIT_CHROMIUM to a Chromium executable")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        unavailable("Playwright is not installed", "pip install -e '.[test]' (./run test does)")
    return path


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is slow: it needs the example site built and Chromium started."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="session")
def portfolio(example_audits: Path):
    """The example audits as the library reads them: what the site must show."""
    from journey_audit.audit.portfolio import load_portfolio

    loaded = load_portfolio([example_audits])
    assert not loaded.errors, "\n".join(p.format() for p in loaded.errors)
    assert loaded.audits, f"no audits in {example_audits}"
    return loaded


@pytest.fixture(scope="session")
def built_site(chromium: str, example_site: Path) -> Path:
    """The example site (built once per session; after Chromium is found, so a skip costs no build)."""
    return example_site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:  # the tests report what matters
        pass


@pytest.fixture(scope="session")
def site_url(built_site: Path) -> Iterator[str]:
    """The built site on http://127.0.0.1:<free port>/ for the whole session."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="session")
def browser(chromium: str):
    """One headless Chromium for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def context(browser):
    """A new browser context per test: a first-time visitor on a laptop-sized window."""
    ctx = browser.new_context(viewport=VIEWPORT, color_scheme="light", reduced_motion="reduce",
                              locale="en-US", service_workers="block")
    ctx.set_default_timeout(15_000)
    try:
        yield ctx
    finally:
        ctx.close()


@pytest.fixture
def visitor(context, site_url: str) -> Visitor:
    """One tab on the site that records console errors and failed requests."""
    return Visitor(context.new_page(), site_url)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's browser script, from the npm registry (``./run test`` installs it)."""
    if not AXE.is_file():
        unavailable("axe-core is not installed", f"./run test installs it; or npm install --prefix "
                    f"{AXE.parents[2].relative_to(REPO)} axe-core@4")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """``test-output/`` (git-ignored): screenshots and the printed PDF, for a reviewer."""
    folder = OUTPUT / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return OUTPUT


# -- the audits the journeys open ------------------------------------------------------

@pytest.fixture(scope="session")
def zh_audit(portfolio):
    """The newest Chinese example audit."""
    return newest(portfolio.audits, "zh")


@pytest.fixture(scope="session")
def en_audit(portfolio):
    """The newest English example audit."""
    return newest(portfolio.audits, "en")
