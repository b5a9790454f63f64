"""The site's 404.html without and with ``site_url`` (the browser test: tests/browser/test_404.py).

Without ``site_url`` MkDocs wrote the 404 page's links from the server's root, so under
``https://owner.github.io/repo/`` it was unstyled and its links left the site. Every
journey-audit site, with or without a mkdocs.yml of its own, now gets a 404 page whose
links are relative to a base the page finds; with ``site_url`` the links are MkDocs'.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest

from journey_audit.site.build import build_site

from conftest import FIXTURES

pytestmark = pytest.mark.slow


def built_404(tmp_path: Path, config: str | None = None) -> str:
    (tmp_path / "audits" / "acme").mkdir(parents=True)
    shutil.copy(FIXTURES / "good" / "minimal.yaml", tmp_path / "audits" / "acme" / "minimal.yaml")
    (tmp_path / "docs").mkdir()
    path = None
    if config is not None:
        path = tmp_path / "mkdocs.yml"
        path.write_text(config, encoding="utf-8")
    err = io.StringIO()
    assert build_site(config=path, audits=tmp_path / "audits", site_dir=tmp_path / "site", err=err) == 0, err.getvalue()
    return (tmp_path / "site" / "404.html").read_text(encoding="utf-8")


def test_without_site_url_the_404_page_links_relative_to_the_root_it_finds(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)  # a folder with only audits/: the built-in configuration
    page = built_404(tmp_path)
    hrefs = re.findall(r'(?:href|src)="([^"]*)"', page)
    assert hrefs and not [h for h in hrefs if h.startswith("/") and h != "/"], hrefs
    assert '<base href="about:blank">' in page  # set by the page's first script
    assert page.index("about:blank") < page.index("assets/stylesheets/")
    assert '"base": ""' in page.replace('"base":""', '"base": ""')


def test_with_site_url_the_404_page_is_mkdocs_own(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    page = built_404(tmp_path, "site_name: Audits\nsite_url: https://owner.github.io/repo/\n"
                               "theme:\n  name: material\nplugins:\n  - journey-audit\n")
    assert "about:blank" not in page
    assert 'href="/repo/assets/stylesheets/' in page
