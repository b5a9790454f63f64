"""`journey-audit serve` as an author uses it: save an audit, look at the browser.

A mistake shows in the page within seconds (not a request that hangs), the site comes
back once the file is fixed; an edit shows on its page with the search index and the
navigation still right; stopping the server with SIGTERM (as CI and test harnesses do)
cleans up like Ctrl-C.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from journey_audit.cli.site_commands import terminated_as_interrupted
from journey_audit.site.build import config_file

GOOD = Path(__file__).parent / "fixtures" / "good"
CLI = [sys.executable, "-m", "journey_audit"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    """Status and text of a page; (0, "") while nothing answers."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")
    except OSError:
        return 0, ""


def wait_for(predicate, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    return None


class Served:
    """`journey-audit serve` on ``folder`` (the built-in configuration), temporary files in ``tmp``."""

    def __init__(self, folder: Path, tmp: Path) -> None:
        self.port = _free_port()
        self.tmp = tmp
        env = {**os.environ, "TMPDIR": str(tmp)}
        self.proc = subprocess.Popen([*CLI, "serve", "--dev-addr", f"127.0.0.1:{self.port}"], cwd=folder, env=env,
                                     stderr=subprocess.PIPE, text=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}/{path}"

    def stop(self) -> tuple[int, str]:
        """SIGTERM, as CI stops a server: the exit status and what it printed."""
        self.proc.send_signal(signal.SIGTERM)
        _, err = self.proc.communicate(timeout=30)
        return self.proc.returncode, err


@pytest.fixture
def served(acme_project: Path, tmp_path_factory: pytest.TempPathFactory):
    tmp = tmp_path_factory.mktemp("serve-tmp")
    server = Served(acme_project, tmp)
    try:
        assert wait_for(lambda: "Minimal audit" in fetch(server.url("audits/acme-2026/"))[1], 90), "not served"
        yield server
    finally:
        if server.proc.poll() is None:
            server.stop()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow
def test_an_audit_with_an_error_shows_the_error_in_the_page_and_the_site_once_fixed(served, acme_project):
    audit = acme_project / "audits" / "acme-2026.yaml"
    page = served.url("audits/acme-2026/")
    edit(audit, "        name: Website", "        nme: Website")
    start = time.monotonic()
    status, text = wait_for(lambda: (r := fetch(page))[0] == 500 and r, 10) or (0, "")
    assert time.monotonic() - start < 10 and status == 500, "the page did not show the error in time"
    assert "audits/acme-2026.yaml:13:9: error: unknown key &#x27;nme&#x27;" in text
    assert "did you mean &#x27;name&#x27;?" in text and "审计文件有错误" in text
    assert "/livereload/" in text  # the error page reloads itself when the file is saved again
    # Any page of the site shows it, not only the edited audit's.
    assert fetch(served.url(""))[0] == 500
    # An editor's swap file in the folder is no audit: the errors stay until the audit is fixed.
    (acme_project / "audits" / ".acme-2026.yaml.swp").write_bytes(b"vim swap")
    time.sleep(1.5)
    assert fetch(page)[0] == 500
    edit(audit, "        nme: Website", "        name: Webstore")
    assert wait_for(lambda: "Webstore" in fetch(page)[1], 10), "the site did not come back once fixed"
    assert fetch(page)[0] == 200 and fetch(served.url(""))[0] == 200
    code, err = served.stop()
    assert code == 0 and "Traceback" not in err  # as after Ctrl-C


@pytest.mark.slow
def test_an_edit_updates_its_page_the_search_index_and_keeps_the_navigation(served, acme_project):
    audit = acme_project / "audits" / "acme-2026.yaml"
    page = served.url("audits/acme-2026/")
    nav_before = _nav(fetch(page)[1])
    edit(audit, "intended: Show the tools at work", "intended: Show the zircon grinders at work")
    assert wait_for(lambda: "zircon grinders" in fetch(page)[1], 10), "the edit did not show"
    assert wait_for(lambda: "zircon" in fetch(served.url("search/search_index.json"))[1], 10)
    index = json.loads(fetch(served.url("search/search_index.json"))[1])
    texts = [d["text"] for d in index["docs"] if d["location"].startswith("audits/acme-2026/")]
    assert any("zircon" in t for t in texts) and not any("tools at work" in t for t in texts)
    assert _nav(fetch(page)[1]) == nav_before
    # A new audit changes the navigation: every page shows it.
    shutil.copy(GOOD / "minimal.yaml", acme_project / "audits" / "acme-2027.yaml")
    edit(acme_project / "audits" / "acme-2027.yaml", "date: 2026-01-15", "date: 2027-01-15")
    assert wait_for(lambda: "audits/acme-2027/" in fetch(served.url(""))[1], 30), "the new audit is not in the nav"
    assert "acme-2027/" in fetch(page)[1]


def _nav(html: str) -> list[str]:
    """The links of the navigation in a page."""
    links = re.findall(r'<a [^>]*class="md-nav__link[^"]*"[^>]*>', html)
    return sorted({m.group(1) for a in links if (m := re.search(r'href="([^"]*)"', a))})


@pytest.mark.slow
def test_sigterm_stops_serve_and_removes_its_temporary_folders(served):
    assert [p.name for p in served.tmp.iterdir() if p.name.startswith("journey-audit-")], "none to clean up?"
    code, err = served.stop()
    assert code == 0, err
    assert not list(served.tmp.iterdir()), "serve left temporary folders behind"


def test_sigterm_ends_a_command_like_ctrl_c():
    before = signal.getsignal(signal.SIGTERM)
    with pytest.raises(KeyboardInterrupt):
        with terminated_as_interrupted():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(5)  # the signal arrives before this ends
    assert signal.getsignal(signal.SIGTERM) == before


def test_a_killed_build_s_configuration_folder_is_removed_by_the_next(project, monkeypatch, tmp_path_factory):
    # SIGKILL lets no clean-up run: the next command removes what a dead process left.
    tmp = tmp_path_factory.mktemp("tmpdir")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead = tmp / f"journey-audit-config-{int(gone.stdout)}-abc123"
    (dead / "docs").mkdir(parents=True)
    alive = tmp / f"journey-audit-config-{os.getpid()}-def456"  # another build of a running process
    alive.mkdir()
    with config_file(None) as path:
        assert path.name == "mkdocs.yml" and path.parent.name.startswith(f"journey-audit-config-{os.getpid()}-")
        assert not dead.exists() and alive.exists()
    assert sorted(p.name for p in tmp.iterdir()) == [alive.name]


def test_a_port_in_use_is_one_line_before_any_build(acme_project: Path, tmp_path: Path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        tmp = tmp_path / "tmp"
        tmp.mkdir()
        env = {**os.environ, "TMPDIR": str(tmp)}
        done = subprocess.run([*CLI, "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=acme_project, env=env,
                              capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert f"error: 127.0.0.1:{port} is already in use: stop the other server, or choose another address" in done.stderr
    assert "Traceback" not in done.stderr and "pages written" not in done.stderr
    assert not list(tmp.iterdir())  # its temporary folders removed
