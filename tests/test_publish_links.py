"""Links are compared as a browser resolves them before deciding what is published."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from journey_audit.site.build import build_site

GOOD = Path(__file__).parent / "fixtures" / "good"


@pytest.mark.slow
@pytest.mark.parametrize("link", ["evidence\\\\shared\\\\x.pdf", "evidence/shared\\\\x.pdf", "./evidence//shared/x.pdf"])
def test_a_file_only_a_draft_links_to_with_backslashes_is_not_published(acme_project, link):
    minimal = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    draft = minimal.replace("        channel: online\n",
                            f'        channel: online\n        evidence: [{{title: x, url: "{link}"}}]\n')
    (acme_project / "audits" / "acme-2026q2.yaml").write_text(draft.replace("title: Minimal audit",
                                                                            "title: Draft\nstatus: draft"),
                                                              encoding="utf-8")
    (acme_project / "docs" / "evidence" / "shared").mkdir(parents=True)
    (acme_project / "docs" / "evidence" / "shared" / "x.pdf").write_bytes(b"%PDF-1.4 draft evidence")
    (acme_project / "mkdocs.yml").write_text("site_name: X\nplugins:\n  - journey-audit\n", encoding="utf-8")
    err = io.StringIO()
    assert build_site(err=err, client="acme-tools") == 0, err.getvalue()
    assert not (acme_project / "site" / "evidence" / "shared" / "x.pdf").exists()
