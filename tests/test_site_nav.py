"""The site's navigation: a client's rounds can be told apart."""

from __future__ import annotations

import html
import shutil
from pathlib import Path

from journey_audit.audit.portfolio import load_portfolio
from journey_audit.site.sitegen import SiteOptions, generate

ROUNDS = Path(__file__).parent / "fixtures" / "site_changes" / "audits"


def client_rounds(audits: Path) -> list:
    site = generate(load_portfolio([audits]), SiteOptions(diagrams=False))
    [(_, clients)] = [entry.items() for entry in site.nav if "Clients" in entry][0]
    [(_, entries)] = clients[0].items()
    return entries[1:]  # after the client's own page


def test_rounds_with_their_own_titles_are_listed_by_page():
    assert client_rounds(ROUNDS) == ["audits/hostile-r2.md", "audits/hostile-r1.md"]


def test_rounds_sharing_a_title_show_their_dates(tmp_path):
    # `new --from` copies the title: two entries reading the same, newest first
    audits = tmp_path / "audits"
    shutil.copytree(ROUNDS, audits)
    r2 = audits / "hostile" / "hostile-r2.yaml"
    r2.write_text(r2.read_text(encoding="utf-8").replace('"r2")</script> Round two', '"r1")</script> Round one'), encoding="utf-8")
    entries = client_rounds(audits)
    assert [list(e.values()) for e in entries] == [["audits/hostile-r2.md"], ["audits/hostile-r1.md"]]
    titles = [html.unescape(next(iter(e))) for e in entries]  # as the theme shows them
    assert titles[0].endswith("Round one (2026-07-15)") and titles[1].endswith("Round one (2026-01-15)")
    assert all("<script>" not in next(iter(e)) for e in entries)  # written literally, as section titles are
