"""A client's site speaks the client's language, chrome included.

A client build of a Chinese client is Chinese throughout: Material's own words (the
search box, the navigation), ``<html lang>``, our labels and the method page; an
English client's site is English, with its counts in the right number.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # builds sites


def client_site(example_project: Path, tmp_path: Path, client: str) -> Path:
    site = tmp_path / client
    done = subprocess.run([sys.executable, "-m", "journey_audit", "build", "--client", client, "--site-dir",
                           str(site)], cwd=example_project, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"),
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return site


def visible(html: str) -> str:
    html = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_chinese_clients_site_is_chinese(example_project, tmp_path):
    site = client_site(example_project, tmp_path, "hotel-supplies")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="zh', home)
    words = visible(home)
    for english in ("Portfolio", "Clients", "audits of", "newest first", "Search", "Method"):
        assert english not in words, english
    assert "客户" in words and "最新的在前" in words
    assert re.search(r'placeholder="搜索"', home)
    assert (site / "method.zh" / "index.html").is_file() and not (site / "method").exists()
    assert "接触点与关键时刻" in (site / "method.zh" / "index.html").read_text(encoding="utf-8")


def test_an_english_clients_site_is_english_with_counts_in_the_right_number(example_project, tmp_path):
    site = client_site(example_project, tmp_path, "apparel-retail")
    home = (site / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html lang="en', home)
    assert "2 audits of 1 client, newest first." in visible(home)
    assert (site / "method" / "index.html").is_file() and not (site / "method.zh").exists()
