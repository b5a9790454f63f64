"""The site built by either engine: ``export-docs`` writes a plain docs tree, and
``build --engine zensical`` builds it with Zensical (Material's successor, which runs
no MkDocs plugins). Parity with the MkDocs build: every audit page, download and
diagram, search in Chinese and English, and client builds holding no other client."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from htmlpage import load
from journey_audit.audit.portfolio import load_portfolio
from journey_audit.cli import main

ZH = ("hotel-supplies-2026q3", "业务人员上门接洽", "上门")
EN = ("industrial-kam-2026", "Outreach before planned plant shutdowns (event-driven)", "shutdowns")


def run(*args: str | Path, cwd: Path, timeout: int = 600) -> subprocess.CompletedProcess:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    return subprocess.run([sys.executable, "-m", *map(str, args)], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=timeout)


# -- export-docs ---------------------------------------------------------------------------

def test_export_docs_writes_pages_with_diagrams_and_a_config_without_our_plugin(acme_project, capsys):
    assert main(["export-docs", "tree"]) == 0
    tree = acme_project / "tree"
    config = yaml.safe_load((tree / "mkdocs.yml").read_text(encoding="utf-8"))
    assert config["docs_dir"] == "docs" and config["site_dir"] == "site"
    assert not any("journey-audit" in (p if isinstance(p, str) else list(p)) for p in config["plugins"])
    assert config["nav"][0] == {"Portfolio": "index.md"}
    assert config["extra_css"] == ["assets/journey-audit/journey-audit.css"]
    for path in config["extra_css"] + config["extra_javascript"]:
        assert (tree / "docs" / path).is_file()
    page = (tree / "docs" / "audits" / "acme-2026.md").read_text(encoding="utf-8")
    assert "<svg" in page and "journey-audit:inline" not in page  # the diagram is in, no placeholder left
    for kind in ("touchpoints.csv", "figures.json", "journey.svg", "journey.png"):
        assert (tree / "docs" / "audits" / "acme-2026" / f"acme-2026-{kind}").is_file()
    assert not (tree / "overrides").exists()  # the built-in configuration has no custom_dir
    assert "acme-2026" not in capsys.readouterr().out


def test_export_docs_stops_on_an_invalid_audit_and_leaves_the_old_tree(acme_project, capsys):
    assert main(["export-docs", "tree"]) == 0
    before = sorted(p.relative_to(acme_project) for p in (acme_project / "tree").rglob("*"))
    audit = acme_project / "audits" / "acme-2026.yaml"
    audit.write_text(audit.read_text(encoding="utf-8").replace("client:", "clinet:", 1), encoding="utf-8")
    assert main(["export-docs", "tree"]) == 1
    err = capsys.readouterr().err
    assert "acme-2026.yaml:" in err and "did you mean" in err and "nothing was built" in err
    assert sorted(p.relative_to(acme_project) for p in (acme_project / "tree").rglob("*")) == before
    assert [p.name for p in acme_project.iterdir() if p.name.startswith(".tree")] == []


def test_build_with_zensical_missing_says_how_to_install_it(acme_project, capsys, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "zensical" else real(name, *a))
    assert main(["build", "--engine", "zensical"]) == 1
    assert "pip install journey-audit[zensical]" in capsys.readouterr().err
    assert not (acme_project / "site").exists()


# -- both engines on the example project ---------------------------------------------------

@pytest.fixture(scope="module")
def zensical_site(example_project: Path, tmp_path_factory) -> Path:
    site = tmp_path_factory.mktemp("zensical-site") / "site"
    done = run("journey_audit", "build", "--engine", "zensical", "--site-dir", site, cwd=example_project)
    assert done.returncode == 0, done.stderr
    assert "with Zensical" in done.stderr
    return site


def _search_texts(site: Path, engine: str) -> dict[str, str]:
    """Each search entry's location → its title and text, from the engine's own index file."""
    if engine == "mkdocs":  # Material for MkDocs
        index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
        entries = index["docs"]
    else:  # Zensical
        entries = json.loads((site / "search.json").read_text(encoding="utf-8"))["items"]
    return {e["location"]: (e["title"] + " " + e["text"]).replace("\u200b", "") for e in entries}


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["mkdocs", "zensical"])
def test_both_engines_have_every_page_download_diagram_and_search_word(engine, example_site, zensical_site,
                                                                       example_audits):
    site = example_site if engine == "mkdocs" else zensical_site
    portfolio = load_portfolio([example_audits])
    assert (site / "index.html").is_file() and (site / "method" / "index.html").is_file()
    for client_id in {a.client_id for a in portfolio.audits}:
        assert (site / "clients" / client_id / "index.html").is_file()
    for audit in portfolio.audits:
        page = load(site / "audits" / audit.slug / "index.html")
        diagram = page.find("div", cls="ja-diagram").find("svg")
        targets = {e.attrs.get("href") or e.attrs.get("xlink:href") for e in diagram.find_all("a")}
        assert {t for t in targets if t and t.startswith("#tp-")} == {f"#tp-{tp.id}" for _, tp in audit.touchpoints()}
        for _, tp in audit.touchpoints():
            assert f"tp-{tp.id}" in page.ids
        for kind in ("touchpoints.csv", "figures.json", "journey.svg", "journey.png"):
            assert (site / "audits" / audit.slug / f"{audit.slug}-{kind}").is_file(), (engine, audit.slug, kind)
    texts = _search_texts(site, engine)
    audits = {a.slug: a for a in portfolio.audits}
    for slug, name, word in (ZH, EN):
        [tp] = [tp for _, tp in audits[slug].touchpoints() if tp.name == name]
        assert word in texts[f"audits/{slug}/#tp-{tp.id}"], (engine, word)


@pytest.mark.slow
def test_a_zensical_client_build_holds_no_other_client(example_project, tmp_path):
    site = tmp_path / "site"
    done = run("journey_audit", "build", "--engine", "zensical", "--client", "hotel-supplies", "--site-dir", site,
               cwd=example_project)
    assert done.returncode == 0, done.stderr
    assert {p.name for p in (site / "audits").iterdir() if p.is_dir()} == {"hotel-supplies-2026q1",
                                                                          "hotel-supplies-2026q3"}
    assert not (site / "clients" / "industrial-kam").exists()
    verified = run("journey_audit", "verify-site", site, "--client", "hotel-supplies", cwd=example_project)
    assert verified.returncode == 0, verified.stdout + verified.stderr


@pytest.mark.slow
def test_the_exported_tree_builds_with_plain_mkdocs_and_plain_zensical(example_project, tmp_path):
    tree = tmp_path / "tree"
    done = run("journey_audit", "export-docs", tree, cwd=example_project)
    assert done.returncode == 0, done.stderr
    for command, out in ((["mkdocs", "build", "--site-dir", tmp_path / "mk"], tmp_path / "mk"),
                         (["zensical", "build"], tree / "site")):
        built = run(*command, cwd=tree)
        assert built.returncode == 0, built.stderr
        page = (out / "audits" / "hotel-supplies-2026q3" / "index.html").read_text(encoding="utf-8")
        assert "<svg" in page and "tp-" in page
