"""What a fresh user found with ``journey-audit new``: it wrote files that do not validate.

A second audit with an id already used is refused before anything is written; a client
whose name is one of the site's own words gets an allowed client_id; a Chinese client
name gives a Chinese starter (``language: zh``).
"""

from __future__ import annotations

from pathlib import Path

from journey_audit.audit.validate import validate_file
from journey_audit.cli import main


def new(tmp_path: Path, *args: str) -> int:
    return main(["new", *args, "--audits", str(tmp_path / "audits"), "--schema", str(tmp_path / "s.json")])


def files(tmp_path: Path) -> list[str]:
    return sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "audits").rglob("*.yaml"))


def test_an_audit_id_already_used_is_refused_before_writing(tmp_path: Path, capsys):
    assert new(tmp_path, "acme-2026q4", "--client", "ACME") == 0
    capsys.readouterr()
    assert new(tmp_path, "acme-2026q4", "--client", "Other Co") == 1
    err = capsys.readouterr().err
    assert "audit id 'acme-2026q4' is already used by" in err and "acme/acme-2026q4.yaml" in err
    assert "choose another id, e.g. acme-2026q4-other-co" in err
    assert files(tmp_path) == ["audits/acme/acme-2026q4.yaml"]


def test_a_client_named_like_a_site_folder_gets_an_allowed_client_id(tmp_path: Path, capsys):
    assert new(tmp_path, "search-2026", "--client", "Search!") == 0
    out = capsys.readouterr().out
    assert "client_id: search-client" in out
    [path] = (tmp_path / "audits").rglob("*.yaml")
    audit, problems = validate_file(path)
    assert problems == [] and audit.client_id == "search-client" and audit.client == "Search!"


def test_a_client_named_only_by_a_word_of_the_site_is_refused_before_writing(tmp_path: Path, capsys):
    # verify-site looks for every client's name in the other clients' sites: "Search" is on every page
    assert new(tmp_path, "search-2026", "--client", "Search") == 1
    assert "client name 'Search' is a word every page of the site shows" in capsys.readouterr().err
    assert not (tmp_path / "audits").exists() or not list((tmp_path / "audits").rglob("*.yaml"))


def test_a_chinese_client_name_gives_a_chinese_starter(tmp_path: Path):
    assert new(tmp_path, "xinghe-2026q4", "--client", "星河办公家具") == 0
    path = tmp_path / "audits" / "xinghe" / "xinghe-2026q4.yaml"
    audit, problems = validate_file(path)
    assert problems == []
    assert audit.language == "zh" and audit.title == "接触点审计：星河办公家具"
    assert "审计发现" in audit.summary
    assert [s.name for s in audit.stages] == ["搜索信息", "决策与购买"]
    assert [c.text for c in audit.core_messages] == ["五星级酒店认可的品质", "24 小时内答复的服务"]
    assert main(["fmt", "--check", str(path)]) == 0


def test_an_english_client_name_still_gives_the_english_starter(tmp_path: Path):
    assert new(tmp_path, "acme-2026q4", "--client", "ACME Tools") == 0
    audit, problems = validate_file(tmp_path / "audits" / "acme-tools" / "acme-2026q4.yaml")
    assert problems == [] and audit.language == "en" and audit.title == "Touchpoint audit: ACME Tools"


def test_the_next_round_with_an_id_already_used_is_refused_before_writing(tmp_path: Path, capsys):
    assert new(tmp_path, "acme-2026q4", "--client", "ACME") == 0
    assert new(tmp_path, "other-2026", "--client", "Other") == 0
    capsys.readouterr()
    previous = tmp_path / "audits" / "acme" / "acme-2026q4.yaml"
    assert new(tmp_path, "other-2026", "--from", str(previous)) == 1
    assert "audit id 'other-2026' is already used by" in capsys.readouterr().err
    assert files(tmp_path) == ["audits/acme/acme-2026q4.yaml", "audits/other/other-2026.yaml"]
