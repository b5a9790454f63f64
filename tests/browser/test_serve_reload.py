"""`journey-audit serve` in the browser: a saved mistake appears in the open tab, and the fix brings the site back.

Nobody presses reload: MkDocs' live reload, kept on the error page, does it.
"""

from __future__ import annotations

import pytest

from test_serve import Served, edit, fetch, wait_for


@pytest.mark.slow
def test_the_open_tab_shows_a_saved_mistake_then_the_site_once_fixed(context, acme_project, tmp_path_factory):
    server = Served(acme_project, tmp_path_factory.mktemp("serve-tmp"))
    try:
        url = server.url("audits/acme-2026/")
        assert wait_for(lambda: "Minimal audit" in fetch(url)[1], 90), "not served"
        tab = context.new_page()
        tab.goto(url)
        tab.wait_for_function("document.readyState === 'complete'")
        audit = acme_project / "audits" / "acme-2026.yaml"
        edit(audit, "        name: Website", "        nme: Website")
        tab.wait_for_selector("text=审计文件有错误", timeout=20_000)
        assert "acme-2026.yaml:13:9: error: unknown key 'nme'" in tab.inner_text("body")
        edit(audit, "        nme: Website", "        name: Webstore")
        tab.wait_for_selector("text=Webstore", timeout=20_000)
        assert "Minimal audit" in tab.title()
    finally:
        code, err = server.stop()
    assert code == 0 and "Traceback" not in err
