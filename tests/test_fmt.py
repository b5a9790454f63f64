"""``journey-audit fmt``: an audit goes in, the same audit in canonical form comes out.

The promises tested here: the data never changes (as our own loader reads it), the
comments stay, formatting twice changes nothing, files with YAML errors are never
touched, and a file is replaced in one step.
"""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journey_audit.audit import fmt as fmt_module
from journey_audit.audit import format_spec as spec
from journey_audit.cli import main
from journey_audit.audit.fmt import format_file, format_text
from journey_audit.errors import FormatError
from journey_audit.audit.validate import validate_text
from journey_audit.audit.yamlsource import parse_text

from conftest import FIXTURES, GOOD
from shipped import REPO, example_audit_names

FMT = FIXTURES / "fmt"
# The example audits as the commit ships them (a consultant's own drafts are not fmt's test data).
CANONICAL = [("example", name) for name in example_audit_names()] + \
    [("good", p.name) for p in sorted(GOOD.glob("*.yaml"))]


def same_data(a: str, b: str) -> bool:
    return fmt_module._data(parse_text(a)) == fmt_module._data(parse_text(b))


def comments(text: str) -> list[str]:
    # Good enough for fixtures whose values hold no " #".
    return [line[line.index("#"):].rstrip() for line in text.splitlines()
            if line.lstrip().startswith("#") or " #" in line]


# -- a file full of comments -------------------------------------------------------------

def test_commented_file_golden():
    text = (FMT / "commented.yaml").read_text(encoding="utf-8")
    out = format_text(text)
    assert out == (FMT / "commented.formatted.yaml").read_text(encoding="utf-8")
    assert same_data(text, out)
    assert format_text(out) == out  # idempotent


def test_every_comment_survives_and_moves_with_its_key():
    text = (FMT / "commented.yaml").read_text(encoding="utf-8")
    out = format_text(text)
    assert sorted(comments(out)) == sorted(comments(text))
    lines = out.splitlines()
    # A comment above a key stays right above it after the key moved.
    assert lines[lines.index("        # why it is a moment of truth") + 1] == "        moment_of_truth: true"
    # A comment at the end of a line stays on that line.
    assert "        consistency:   # order follows core_messages" in lines
    # The file's header stays on top.
    assert lines[0].startswith("# yaml-language-server:")


def test_keys_follow_the_format_page_and_consistency_the_core_messages():
    out = format_text((FMT / "commented.yaml").read_text(encoding="utf-8"))
    top = [ln.split(":")[0] for ln in out.splitlines() if re.match(r"[a-z_]+:", ln)]
    assert top == [n for n in spec.AUDIT.names() if n in top]
    tp = [m.group(1) or m.group(2) for ln in out.splitlines() if (m := re.match(r" {6}- ([a-z_]+):| {8}([a-z_]+):", ln))]
    assert tp[:7] == ["id", "name", "channel", "moment_of_truth", "message", "consistency", "notes"]
    block = out[out.index("        consistency:   #"):]
    assert block.index("quality: 3") < block.index("service: ~")


# -- every example audit -----------------------------------------------------------------

@pytest.mark.parametrize("where, name", CANONICAL, ids=[Path(name).name for _, name in CANONICAL])
def test_example_audits_keep_their_data_and_fmt_is_idempotent(where, name, request):
    path = (request.getfixturevalue("example_audits") if where == "example" else GOOD) / name
    text = path.read_text(encoding="utf-8")
    out = format_text(text, str(path))
    assert same_data(text, out)
    assert format_text(out) == out
    before, _ = validate_text(text, str(path), path.stem)
    after, _ = validate_text(out, str(path), path.stem)
    assert before == after


def test_the_starter_audit_keeps_its_lined_up_comments():
    from journey_audit.audit.starter import starter_text

    text = starter_text("acme-2026q4", "ACME Tools", "2026-11-24")
    out = format_text(text)
    assert same_data(text, out)
    assert "        channel: online            # online | print | event | person | phone | email | sms |\n" \
           "                                   # social | store | product | service | word-of-mouth | other\n" in out


# -- values keep their meaning -----------------------------------------------------------

def test_yaml11_lookalikes_stay_text_and_chinese_stays_utf8():
    text = "title: 展会\nnotes: no\nowner: 'on'\nmethod: 1:30\nchannel: \"y\"\nsummary: \"2026-09-30\"\n"
    out = format_text(text)
    assert same_data(text, out)
    assert 'notes: "no"' in out and 'owner: "on"' in out and 'method: "1:30"' in out and 'channel: "y"' in out
    assert "summary: 2026-09-30" in out  # a date reads as the same text in YAML 1.2
    assert "title: 展会" in out and "\\u" not in out


def test_numbers_and_booleans_stay_as_typed():
    text = "title: 1.50\nweights: {message: 0.40, consistency: 0.60}\nstatus: True\nscale: {max: 0x5}\n"
    out = format_text(text)
    assert "title: 1.50" in out and "message: 0.40" in out and "status: True" in out and "max: 0x5" in out


def test_anchors_aliases_and_document_markers_are_written_out():
    text = "%YAML 1.1\n---\ntitle: &t 展会\nclient: *t\nauditors: &a [x, y]\nindustry: ok\n...\n"
    out = format_text(text)
    assert same_data(text, out)
    events = list(yaml.parse(out))
    assert not any(getattr(e, "anchor", None) for e in events)
    assert not any(isinstance(e, yaml.AliasEvent) for e in events)
    assert "---" not in out and "%YAML" not in out and "..." not in out


def test_text_a_block_cannot_hold_is_double_quoted():
    text = 'summary: "line one  \\nline two"\nnotes: "a\\tb\\nc"\nindustry: "\\x07bell"\n'
    out = format_text(text)
    assert same_data(text, out)
    assert 'summary: "line one  \\nline two"' in out and 'industry: "\\x07bell"' in out


def test_multiline_text_becomes_a_literal_block():
    out = format_text('summary: "第一段\\n第二段\\n"\nnotes: "x\\ny"\n')
    assert out == "summary: |\n  第一段\n  第二段\nnotes: |-\n  x\n  y\n"


def test_crlf_files_stay_crlf_and_a_bom_goes():
    text = "\ufeff# top\r\nclient: A\r\ntitle: T\r\n"
    out = format_text(text.lstrip("\ufeff"))
    assert out == "# top\r\ntitle: T\r\nclient: A\r\n"


def test_blank_lines_collapse_to_one_and_never_open_a_block():
    out = format_text("title: T\n\n\n\nstages:\n\n  - id: a\n")
    assert out == "title: T\n\nstages:\n  - id: a\n"


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False, width=32),
              st.text(st.characters(blacklist_categories=["Cs"]), max_size=12),
              st.sampled_from(["no", "on", "1:30", "~", "- x", "a: b", "#c", " lead", "展会 #1", "0x1F", "y", ""])),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.text("abcdefgh_", min_size=1, max_size=6), children, min_size=1, max_size=4),
    max_leaves=12))
def test_any_yaml_keeps_its_data_and_formats_once(value):
    text = yaml.safe_dump({"title": value, "stages": [value]}, allow_unicode=True, default_flow_style=None)
    try:
        parse_text(text)
    except Exception:  # PyYAML wrote something our stricter loader refuses (e.g. odd floats): not fmt's business
        return
    out = format_text(text)  # raises FormatError if the data changed
    assert format_text(out) == out


# -- files -------------------------------------------------------------------------------

def test_yaml_errors_leave_the_file_untouched(project, capsys):
    path = project / "audits" / "broken.yaml"
    path.parent.mkdir()
    path.write_text("title: T\nclient: [unclosed\n", encoding="utf-8")
    before = path.stat().st_mtime_ns, path.read_bytes()
    assert main(["fmt"]) == 1
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert re.search(r"audits/broken\.yaml:\d+:\d+: error: YAML syntax", capsys.readouterr().err)


def test_check_lists_files_needing_formatting(project, capsys):
    audits = project / "audits"
    audits.mkdir()
    (audits / "messy.yaml").write_text("client: A\ntitle: 'T'\n", encoding="utf-8")
    (audits / "tidy.yaml").write_text("title: T\nclient: A\n", encoding="utf-8")
    assert main(["fmt", "--check"]) == 1
    out, err = capsys.readouterr()
    assert out == "would reformat audits/messy.yaml\n"
    assert err.endswith("1 file would be reformatted, 1 already canonical\n")
    assert (audits / "messy.yaml").read_text() == "client: A\ntitle: 'T'\n"  # --check writes nothing
    assert main(["fmt"]) == 0
    assert (audits / "messy.yaml").read_text() == "title: T\nclient: A\n"
    assert main(["fmt", "--check", "audits"]) == 0


def test_replacing_keeps_permissions_and_symlinks_and_leaves_no_temp_file(tmp_path):
    real = tmp_path / "real.yaml"
    real.write_text("client: A\ntitle: T\n", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "link.yaml"
    link.symlink_to(real)
    result = format_file(link)
    assert result.changed and not result.problems
    assert link.is_symlink() and real.read_text() == "title: T\nclient: A\n"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "real.yaml"]


def test_a_formatter_bug_never_reaches_the_file(tmp_path, monkeypatch):
    path = tmp_path / "a.yaml"
    path.write_text("client: 'A: b'\ntitle: T\n", encoding="utf-8")
    monkeypatch.setattr(fmt_module, "double_quoted", lambda text: '"' + text[:-1] + '"')  # drops a character
    with pytest.raises(FormatError):
        format_text(path.read_text())
    result = format_file(path)
    assert not result.changed and "left as it is" in result.problems[0].message
    assert path.read_text() == "client: 'A: b'\ntitle: T\n"


# -- pre-commit --------------------------------------------------------------------------

def test_pre_commit_hooks_run_real_commands_on_the_files_given(project, capsys):
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["journey-audit-validate", "journey-audit-fmt", "journey-audit-fmt-check"]
    audits = project / "audits"
    audits.mkdir()
    messy = audits / "minimal.yaml"
    minimal = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    messy.write_text(minimal.replace("title: Minimal audit\nclient: Acme Tools\n",
                                     "client: Acme Tools\ntitle: Minimal audit\nzzz: 1\n", 1))
    staged = str(messy.relative_to(project))
    codes = {}
    for h in hooks:
        assert re.match(h["files"], staged) and h["language"] == "python"
        program, *args = h["entry"].split()
        assert program == "journey-audit"
        codes[h["id"]] = main([*args, staged])  # pre-commit appends the staged file names
    # The unknown key fails validation; fmt still formats (a key it does not know stays
    # after the key written before it).
    assert codes == {"journey-audit-validate": 1, "journey-audit-fmt": 0, "journey-audit-fmt-check": 0}
    assert messy.read_text(encoding="utf-8").startswith("title: Minimal audit\nzzz: 1\nclient: Acme Tools\n")


def test_a_misspelt_key_stays_where_it_was_written(tmp_path):
    """A fresh user's finding: fmt moved `nmae:` (for `name:`) to the end of the touchpoint,
    far from where its author would look for it after validate names it."""
    text = (GOOD / "minimal.yaml").read_text(encoding="utf-8")
    misspelt = (text.replace("involvement: low", "involvment: low")
                .replace("        name: Website\n        channel: online", "        channel: online\n        nmae: Website"))
    path = tmp_path / "minimal.yaml"
    path.write_text(misspelt, encoding="utf-8")
    assert main(["fmt", str(path)]) == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[lines.index("date: 2026-01-15") + 1] == "involvment: low"  # not moved to the end
    # The known keys take the format's order; the unknown one keeps its place after `channel`.
    assert lines[lines.index("      - id: website") + 1:][:2] == ["        channel: online", "        nmae: Website"]
    assert lines[-1] == "          quality: 4"
