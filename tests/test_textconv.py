"""``journey-audit textconv``: what ``git diff`` shows for an audit after ``git-setup``."""

from __future__ import annotations

import os
from pathlib import Path

from journey_audit.cli import main
from journey_audit.audit.fmt import format_text
from journey_audit.figures.scoring import compute, fmt, fmt_percent
from journey_audit.review.textconv import render, slug_for, textconv
from journey_audit.audit.validate import validate_text

from conftest import FIXTURES, GOOD

DIFF = FIXTURES / "diff"
UPDATE = os.environ.get("JOURNEY_AUDIT_UPDATE_GOLDEN") == "1"


def conv(path: Path) -> str:
    return textconv(path.read_bytes(), str(path))


def test_golden_rendering():
    out = conv(DIFF / "base.yaml")
    golden = DIFF / "golden" / "base.textconv.txt"
    if UPDATE:
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


def test_rendering_carries_the_scoring_modules_figures():
    text = (GOOD / "rich.yaml").read_text(encoding="utf-8")
    audit, _ = validate_text(text, "rich.yaml", "rich")
    f = compute(audit)
    out = render(audit).splitlines()
    assert f"figures: overall {fmt(f.score)}, message {fmt(f.message)}, consistency {fmt(f.consistency)}, " \
           f"funnel {fmt_percent(f.funnel.overall)}" in out
    web = f.touchpoints["web-promo"]
    assert f"scores: message 2; consistency {fmt(web.consistency)} (quality 3, service ~); score {fmt(web.score)}; " \
           f"gap {fmt(web.gap)}" in out
    assert "### touchpoint web-promo: 网络推广 (stage search)" in out
    assert "recommendation (priority high, effort medium, owner 市场部, due 2026-09-30): 建立五星级酒店案例落地页" in out


def test_layout_comments_and_order_do_not_show():
    # The same data written differently renders the same, so a reformatting commit shows no change.
    text = (DIFF / "base.yaml").read_text(encoding="utf-8")
    other = text.replace("client: ACME Tools", "client: 'ACME Tools'  # quoted now").replace(
        "          intended: 清楚的价格与交期\n          score: 2", "          score: 2\n          intended: \"清楚的价格与交期\"")
    assert other != text and format_text(other) != other
    assert textconv(other.encode(), "base.yaml") == textconv(text.encode(), "base.yaml")
    assert textconv(format_text(text).encode(), "base.yaml") == textconv(text.encode(), "base.yaml")


def test_one_score_change_moves_its_touchpoint_stage_and_audit_lines():
    old, new = conv(DIFF / "base.yaml").splitlines(), conv(DIFF / "scores.yaml").splitlines()
    removed = [ln for ln in old if ln not in new]
    assert any(ln.startswith("scores: message 2; consistency 2.5 (quality 3, service 2)") for ln in removed)
    assert any(ln.startswith("figures: overall") for ln in removed)  # the audit's figures moved too
    assert "scores: message 4; consistency 3.0 (quality 4, service 2); score 3.5; gap 7.5" in new


def test_an_invalid_file_is_shown_as_written_under_its_problems(tmp_path, capsysbinary):
    bad = tmp_path / "acme.yaml"
    bad.write_text("title: T\nclient: C\ndate: 2026-02-30\n", encoding="utf-8")
    assert main(["textconv", str(bad)]) == 0  # git needs text back, whatever the file holds
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert out.startswith("# not a valid audit; shown as written\n")
    assert f"# {bad}:3:7: error: 'date' '2026-02-30' is not a date" in out
    assert out.endswith("\ntitle: T\nclient: C\ndate: 2026-02-30\n")


def test_a_file_in_another_encoding_still_shows(tmp_path):
    gbk = tmp_path / "acme.yaml"
    gbk.write_bytes("title: 展会\n".encode("gbk"))
    out = conv(gbk)
    assert out.startswith("# not a valid audit") and "not UTF-8" in out


def test_git_temporary_copies_keep_their_audit_id():
    assert slug_for("/tmp/XyZ123_hotel-supplies-2026q3.yaml") == "hotel-supplies-2026q3"
    text = (DIFF / "base.yaml").read_text(encoding="utf-8").replace("status: draft", "previous: base")
    # A slug taken from the temporary name would make "previous: base" point at itself.
    assert textconv(text.encode(), "/tmp/Ab12Cd_base.yaml").startswith("# not a valid audit")
    assert textconv(text.encode(), "/tmp/Ab12Cd_acme-2026q2.yaml").startswith("# audit: ")


def test_textconv_command_prints_utf8(capsysbinary):
    assert main(["textconv", str(DIFF / "base.yaml")]) == 0
    assert "## stage search: 寻找信息" in capsysbinary.readouterr().out.decode("utf-8")
    assert main(["textconv", "no/such/file.yaml"]) == 1
