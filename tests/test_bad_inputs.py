"""The bad-input corpus: each mistake a consultant (or an attacker) can make, and the
exact line the validator prints for it.

Every file in ``tests/fixtures/bad/`` is a small audit with one mistake, described in
its first comment. Each case gives the full ``path:line:col: level: message (rule)``
line and the text found at that line and column in the file, so a wrong position
fails the test even when the message is right. Cases that need big or odd bytes
(over the size limit, 100,000 open brackets, UTF-16) are generated in ``tmp_path``.

Where the YAML parser itself finds the mistake, its explanation is PyYAML's, in words
that change between PyYAML versions: those cases pin our part only (position, rule,
our prefix and hint), a regular expression in place of the parser's words.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journey_audit.audit.portfolio import load_portfolio
from journey_audit.errors import AuditError
from journey_audit.audit.validate import validate_file
from journey_audit.audit.yamlsource import MAX_BYTES, MAX_DEPTH, parse_text

from conftest import BAD

EMPTY = ("error: file is empty; an audit needs at least title, client, date, involvement, core_messages and stages "
         "(try: journey-audit new) (empty-file)")

# (file in tests/fixtures/bad, expected problems, text at each problem's line:col or None)
CASES = [
    ("duplicate-key.yaml",
     ["duplicate-key.yaml:21:11: error: duplicate key 'score' (first at line 20); the later value would silently "
      "replace the earlier one: keep one (duplicate-key)"], ["score: 5"]),
    ("unknown-key.yaml",
     ["unknown-key.yaml:17:9: error: unknown key 'chanel' in an item of 'touchpoints' (did you mean 'channel'?) "
      "(unknown-key)"], ["chanel: online"]),
    ("text-for-number.yaml",
     ["text-for-number.yaml:20:18: error: 'score' must be a whole number, not 'three' (type)"], ["three"]),
    ("list-for-mapping.yaml",
     ["list-for-mapping.yaml:18:18: error: 'message' must be a mapping of keys (intended, method, observed, …) "
      "(type)"], ["[Show the tools at work, 3]"]),
    ("yes-bool.yaml",
     ["yes-bool.yaml:18:26: error: 'moment_of_truth' must be true or false, not 'yes' (yes/no/on/off are text in "
      "YAML 1.2) (type)"], ["yes"]),
    ("reserved-client-id.yaml",
     ["reserved-client-id.yaml:4:12: error: client id 'assets' is one of the site's own folder names (assets, "
      "audits, clients, css, evidence, fonts, images, img, index, javascripts, js, method, search, site, sitemap, "
      "stylesheets); set another with client_id: (reserved-id)"], ["assets"]),
    ("norway.yaml",
     ["norway.yaml:6:11: error: 'language' must be one of zh, en, not 'no' (enum)"], ["no"]),
    ("quoted-score.yaml",
     ["quoted-score.yaml:20:18: error: 'score' must be a whole number, not '3' (remove the quotes) (type)"],
     ['"3"']),
    ("bad-date.yaml",
     ["bad-date.yaml:4:7: error: 'date' '2026-13-01' is not a date: write YYYY-MM-DD, e.g. 2026-09-30 (date)"],
     ["2026-13-01"]),
    ("sexagesimal.yaml",
     ["sexagesimal.yaml:30:21: error: 'importance' must be a whole number, not '1:30' (type)"], ["1:30"]),
    ("gbk.yaml",
     ["gbk.yaml:1:3: error: file is not UTF-8 (byte 0xD3); it looks like GBK (GB18030); save it again as UTF-8, "
      "e.g. iconv -f GBK -t UTF-8 gbk.yaml > gbk.yaml.utf8 && mv gbk.yaml.utf8 gbk.yaml (encoding)"], [None]),
    ("empty.yaml", [f"empty.yaml:1:1: {EMPTY}"], [None]),
    ("comments-only.yaml", [f"comments-only.yaml:1:1: {EMPTY}"], ["# Only comments"]),
    ("python-tag.yaml",
     ["python-tag.yaml:2:8: error: explicit tag !!python/object/apply:os.system is not allowed; remove it (tag)"],
     ["!!python/object/apply:os.system [echo pwned]"]),
    ("str-tag.yaml",
     ["str-tag.yaml:3:9: error: explicit tag !!str is not allowed; remove it (quote the value to make it text) "
      "(tag)"], ["!!str 12345"]),
    ("alias-bomb.yaml",
     ["alias-bomb.yaml:7:5: error: this value expands to more than 200000 values (aliases repeating aliases?); "
      "write the values out (alias)"], ["&a5 [*a4, *a4"]),
    ("undefined-alias.yaml",
     ["undefined-alias.yaml:23:20: error: alias *two has no complete anchor &two before it (alias)"], ["*two"]),
    ("merge-key.yaml",
     ["merge-key.yaml:28:9: error: merge keys (<<) are not supported; write the keys out (merge-key)"],
     ["<<: {name: Shop counter"]),
    ("two-documents.yaml",
     ["two-documents.yaml:36:1: error: a file holds one audit; remove the second document (after ---) "
      "(multiple-documents)"], ["---"]),
    ("tab-indent.yaml",  # (the parser's own words, between our prefix and our hint, are PyYAML's)
     [re.compile(r"tab-indent\.yaml:8:1: error: YAML syntax: .+; indent with spaces, never tabs "
                 r"\(yaml-syntax\)")], ["\ttext: Tools that last"]),
    ("score-off-scale.yaml",
     ["score-off-scale.yaml:20:18: error: message score 7 is off the scale 1..5: write a whole number from 1 to 5 (score-range)"], ["7"]),
    ("missing-core-message.yaml",
     ["missing-core-message.yaml:34:11: error: touchpoint 'shop' does not score core message 'service'; add a "
      "score, or `service: ~` if it does not apply (consistency)"], ["quality: 3"]),
    ("bad-ratings.yaml",
     ["bad-ratings.yaml:24:22: error: 'Li Wey' is not one of the audit's auditors (did you mean 'Li Wei'?) "
      "(ratings)",
      "bad-ratings.yaml:27:22: error: Wang Min's message score 6 is off the scale 1..5: write a whole number from 1 to 5 (ratings)",
      "bad-ratings.yaml:28:22: error: Wang Min rates touchpoint 'website' twice; keep one entry per auditor "
      "(ratings)",
      "bad-ratings.yaml:29:35: error: 'qualty' is not a core message of this audit (did you mean 'quality'?) "
      "(ratings)"],
     ["Li Wey", "6", "Wang Min", "3"]),
    ("bad-segments.yaml",
     ["bad-segments.yaml:13:12: error: the segments' shares add up to 1.3, more than 1 (from segment "
      "'small-shops' on) (segment-share)",
      "bad-segments.yaml:22:19: error: 'smal-shops' is not a segment of this audit (did you mean 'small-shops'?) "
      "(segment-id)",
      "bad-segments.yaml:27:20: error: 'key-acounts' is not a segment of this audit (did you mean "
      "'key-accounts'?) (segment-id)",
      "bad-segments.yaml:27:46: error: segment 'small-shops' is listed twice for touchpoint 'website' "
      "(segment-id)"],
     ["0.6", "80", "key-acounts", "small-shops"]),
    ("unknown-core-message.yaml",
     ["unknown-core-message.yaml:22:19: error: 'qualty' is not a core message of this audit (did you mean "
      "'quality'?) (consistency)"], ["4"]),
    ("all-null-consistency.yaml",
     ["all-null-consistency.yaml:34:11: error: touchpoint 'shop' scores no core message; give at least one a "
      "score (consistency)"], ["quality: ~"]),
    ("duplicate-touchpoint-id.yaml",
     ["duplicate-touchpoint-id.yaml:27:13: error: touchpoint id 'website' is used twice (first at line 15) "
      "(unique-id)"], ["website"]),
    ("bad-slug-id.yaml",
     ["bad-slug-id.yaml:24:9: error: 'id' 'Buy Now' is not a valid id: use lowercase letters, digits and "
      "hyphens, starting with a letter or digit (e.g. 'buy-now') (slug)"], ["Buy Now"]),
    ("Acme_2026Q1.yaml",
     ["Acme_2026Q1.yaml:1:1: error: file name 'Acme_2026Q1.yaml' is not a valid audit id: use lowercase "
      "letters, digits and hyphens, e.g. 'acme-2026q1.yaml' (slug)"], ["# A file name"]),
    ("previous-missing.yaml",
     ["previous-missing.yaml:6:11: error: previous audit 'acme-2025q4' was not found among the audits given "
      "(previous)"], ["acme-2025q4"]),
    ("own-previous.yaml",
     ["own-previous.yaml:6:11: error: an audit cannot be its own previous audit (previous)"], ["own-previous"]),
    ("weights-not-one.yaml",
     ["weights-not-one.yaml:7:3: error: weights must add up to 1 (message 0.4 + consistency 0.5 = 0.9) "
      "(weights)"], ["message: 0.4"]),
    ("javascript-url.yaml",
     ["javascript-url.yaml:26:18: error: 'url' 'javascript:alert(1)' is not an allowed link: use http://, "
      "https://, mailto: or a relative path (url)"], ["javascript:alert(1)"]),
    ("bidi-override.yaml",
     ["bidi-override.yaml:28:15: error: 'name' contains an invisible control character U+202E (RIGHT-TO-LEFT "
      "OVERRIDE) that can disguise text; delete it (invisible-character)"], ['"Shop \\u202Ecounter"']),
    ("bad-enum.yaml",
     ["bad-enum.yaml:29:18: error: 'channel' must be one of online, print, event, person, phone, email, sms, "
      "social, store, product, service, word-of-mouth, other, not 'shop' (enum)"], ["shop"]),
    ("missing-required.yaml",
     ["missing-required.yaml:2:1: error: the audit is missing required key 'involvement' (required)"],
     ["title: Bad input case"]),
    ("negative-prospects.yaml",
     ["negative-prospects.yaml:14:16: error: 'prospects' must be 0 or more, not -5 (range)"], ["-5"]),
    ("scale-inverted.yaml",
     ["scale-inverted.yaml:7:3: error: scale min (5) must be below max (1) (scale)"], ["min: 5"]),
    # Format 1.1: recommendations followed up, measured results.
    ("recommendation-status.yaml",
     ["recommendation-status.yaml:24:21: error: 'status' must be one of open, in-progress, done, dropped, "
      "not 'Done' (did you mean 'done'?) (enum)"], ["Done"]),
    ("done-on-without-done.yaml",
     ["done-on-without-done.yaml:26:22: error: 'done_on' is only for a recommendation with status done, "
      "not in-progress (done-on)"], ["2026-08-15"]),
    ("duplicate-recommendation-id.yaml",
     ["duplicate-recommendation-id.yaml:25:17: error: recommendation id 'reply-sla' is used twice (first at "
      "line 22) (recommendation-id)"], ["reply-sla"]),
    ("metric-target-without-better.yaml",
     ["metric-target-without-better.yaml:22:13: error: metric 'first-reply' has a target but no 'better': "
      "add better: higher or better: lower (metric-better)"], ["id: first-reply"]),
    ("metric-nan.yaml",
     ["metric-nan.yaml:24:20: error: 'value' must be a finite number, not '.nan' (.nan and .inf are not "
      "measurements) (type)"], [".nan"]),
    ("duplicate-metric-id.yaml",
     ["duplicate-metric-id.yaml:25:17: error: metric id 'first-reply' is used twice in 'website' (first at "
      "line 22) (metric-id)"], ["first-reply"]),
    # Legal but suspicious: warnings, and the audit is still usable.
    ("funnel-grows.yaml",
     ["funnel-grows.yaml:27:16: warning: prospects grow from 100 ('search') to 250 ('buy'); a funnel only "
      "narrows (funnel)"], ["250"]),
    ("moment-of-truth-low.yaml",
     ["moment-of-truth-low.yaml:15:9: warning: moment of truth 'website' scores 2 on message but has no "
      "recommendation (moment-of-truth)"], ["id: website"]),
]


def test_every_bad_fixture_has_a_case():
    on_disk = {p.name for p in BAD.glob("*.yaml")}
    assert on_disk == {name for name, _, _ in CASES}


@pytest.mark.parametrize("name, expected, at", CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_reported_at_the_mistake(name, expected, at, monkeypatch):
    monkeypatch.chdir(BAD)  # paths print as the user typed them
    portfolio = load_portfolio([Path(name)])
    lines = [p.format() for p in portfolio.problems]
    assert len(lines) == len(expected), lines
    for line, want in zip(lines, expected):
        assert want.fullmatch(line) if isinstance(want, re.Pattern) else line == want, (line, want)
    # An audit with errors is never handed on; one with only warnings is.
    assert bool(portfolio.audits) == (not portfolio.errors)
    raw = (BAD / name).read_bytes()
    for problem, text in zip(portfolio.problems, at):
        if text is not None:
            line = raw.decode("utf-8").splitlines()[problem.line - 1]
            assert line[problem.col - 1:].startswith(text), (problem.format(), line)


def test_previous_of_another_client(monkeypatch):
    monkeypatch.chdir(BAD / "previous-other-client")
    portfolio = load_portfolio([Path("acme-2026q2.yaml"), Path("other-2026q1.yaml")])
    assert [p.format() for p in portfolio.problems] == [
        "acme-2026q2.yaml:6:11: error: previous audit 'other-2026q1' belongs to client 'other-company', not "
        "'acme-tools' (previous)"]
    assert (BAD / "previous-other-client/acme-2026q2.yaml").read_text().splitlines()[5] == "previous: other-2026q1"
    assert [a.slug for a in portfolio.audits] == ["other-2026q1"]


def test_previous_chain_that_loops(write_audit, minimal_text):
    a = write_audit(minimal_text.replace("involvement: low", "involvement: low\nprevious: acme-b"), "acme-a.yaml")
    b = write_audit(minimal_text.replace("involvement: low", "involvement: low\nprevious: acme-a"), "acme-b.yaml")
    portfolio = load_portfolio([a.parent])
    assert [(Path(p.path).name, p.line, p.col, p.rule) for p in portfolio.errors] == [
        ("acme-a.yaml", 5, 11, "previous"), ("acme-b.yaml", 5, 11, "previous")]
    assert "loops back" in portfolio.errors[0].message
    assert portfolio.audits == []


# -- generated cases -------------------------------------------------------------

def _problems(path: Path) -> list[str]:
    _, problems = validate_file(path, path.name)
    return [p.format() for p in problems]


def test_file_over_the_size_limit_is_refused_before_reading(write_audit):
    path = write_audit(b"title: x\n" + b"# padding\n" * (MAX_BYTES // 10 + 100_000))
    started = time.perf_counter()
    assert _problems(path) == [f"audit.yaml:1:1: error: file is {path.stat().st_size // 1024} KiB, over the "
                               "2048 KiB limit for one audit; split it or remove pasted bulk (file-size)"]
    assert time.perf_counter() - started < 0.5


def test_gbk_written_now_is_named_with_the_column_in_characters(write_audit):
    # A UTF-8 line start, then text saved as GBK: the column counts characters, not bytes.
    path = write_audit("title: 展会 ".encode("utf-8") + "审计报告\n".encode("gbk"))
    assert _problems(path) == ["audit.yaml:1:11: error: file is not UTF-8 (byte 0xC9); it looks like GBK "
                               "(GB18030); save it again as UTF-8, e.g. iconv -f GBK -t UTF-8 audit.yaml > "
                               "audit.yaml.utf8 && mv audit.yaml.utf8 audit.yaml (encoding)"]


def test_utf16_file(write_audit):
    path = write_audit("title: 展会\n".encode("utf-16"))
    assert _problems(path) == ["audit.yaml:1:1: error: file is UTF-16, not UTF-8; save it again as UTF-8 (encoding)"]


def test_utf8_bom_is_accepted(write_audit, minimal_text):
    path = write_audit(b"\xef\xbb\xbf" + minimal_text.encode("utf-8"), "minimal.yaml")
    audit, problems = validate_file(path)
    assert problems == [] and audit.title == "Minimal audit"


def test_literal_bidi_override_in_a_plain_value(write_audit, minimal_text):
    # The character itself, as a copy-paste would bring it (the fixture writes it as an escape).
    path = write_audit(minimal_text.replace("name: Website", "name: Web\u202esite"), "minimal.yaml")
    assert _problems(path) == ["minimal.yaml:13:15: error: 'name' contains an invisible control character U+202E "
                               "(RIGHT-TO-LEFT OVERRIDE) that can disguise text; delete it (invisible-character)"]


def test_nul_character(write_audit, minimal_text):
    path = write_audit(minimal_text.replace("name: Website", "name: Web\0site"), "minimal.yaml")
    assert _problems(path) == ["minimal.yaml:13:18: error: control character U+0000 is not allowed in YAML; "
                               "delete it (yaml-syntax)"]


DEEP = {
    # 100,000 open brackets: the composer of PyYAML recurses once per level.
    "flow": "[" * 100_000,
    # Block mappings nested 1,000 deep (1 MB of indentation).
    "block": "".join("  " * i + f"k{i}:\n" for i in range(1000)),
    # Nested sequences on one line: `- - - - … x`.
    "compact": "- " * 100_000 + "x\n",
}
# Where our own limit stops each one: the first level past MAX_DEPTH.
DEEP_AT = {"flow": (1, MAX_DEPTH + 1), "block": (MAX_DEPTH + 1, 2 * MAX_DEPTH + 1),
           "compact": (1, 2 * MAX_DEPTH + 1)}


def check_nesting_problem(problem, kind: str) -> None:
    """What we promise for absurd nesting, whichever layer stops it: our limit (rule
    ``nesting``, at the first level too deep) or the parser's own before it (libyaml's C
    scanner refuses flow nesting past 1,000 levels: rule ``yaml-syntax``, in its words,
    which must still name the nesting). One error, at a position inside the file."""
    assert problem.level == "error"
    assert "nest" in problem.message.lower(), problem.format()
    if problem.rule == "nesting":
        assert (problem.line, problem.col) == DEEP_AT[kind]
        assert str(MAX_DEPTH) in problem.message
    else:
        assert problem.rule == "yaml-syntax", problem.format()
        assert problem.message.startswith("YAML syntax: ")
        lines = DEEP[kind].split("\n")
        assert 1 <= problem.line <= len(lines) and 1 <= problem.col <= len(lines[problem.line - 1]) + 1


@pytest.mark.parametrize("kind", DEEP)
def test_absurd_nesting_fails_fast(kind):
    started = time.perf_counter()
    with pytest.raises(AuditError) as caught:
        parse_text(DEEP[kind], "deep.yaml")
    assert time.perf_counter() - started < 1
    [problem] = caught.value.problems
    check_nesting_problem(problem, kind)


def test_block_nesting_is_stopped_by_our_limit():
    """Block nesting reaches no parser limit: our own stops it, at the first level too deep."""
    with pytest.raises(AuditError) as caught:
        parse_text(DEEP["block"], "deep.yaml")
    [problem] = caught.value.problems
    assert (problem.line, problem.col, problem.rule) == (*DEEP_AT["block"], "nesting")
    assert problem.message == f"nesting deeper than {MAX_DEPTH} levels; an audit never needs this"


def test_alias_bomb_fails_fast():
    started = time.perf_counter()
    _, problems = validate_file(BAD / "alias-bomb.yaml")
    assert [p.rule for p in problems] == ["alias"]
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize("kind", DEEP)
def test_absurd_nesting_in_a_real_process(kind, tmp_path):
    """The libyaml C composer segfaults on such input; a crash cannot be caught, so prove there is none."""
    path = tmp_path / "deep.yaml"
    path.write_text(DEEP[kind], encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parents[1] / "generator"))
    run = subprocess.run([sys.executable, "-m", "journey_audit", "validate", str(path)], capture_output=True,
                         text=True, timeout=60, cwd=tmp_path, env=env)
    assert run.returncode == 1, run.stderr
    errors = [m for m in (re.match(r"(\S*deep\.yaml):(\d+):(\d+): error: (.*) \(([a-z-]+)\)$", line)
                          for line in run.stderr.splitlines()) if m]
    assert len(errors) == 1, run.stderr
    path, line, col, message, rule = errors[0].groups()
    assert Path(path).name == "deep.yaml" and "nest" in message.lower(), run.stderr
    if rule == "nesting":
        assert (int(line), int(col)) == DEEP_AT[kind], run.stderr
    else:
        assert rule == "yaml-syntax", run.stderr
    assert "Traceback" not in run.stderr and "RecursionError" not in run.stderr
