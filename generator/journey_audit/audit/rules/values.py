"""Values: a leaf of the right type also has a value the format allows.

:mod:`.structure` calls these for each leaf it walks; each returns the value for the
model, or INVALID after reporting why not.

slug
    Ids (and the file name, which is the audit's id) are lowercase letters, digits and
    hyphens, starting with a letter or digit; the message suggests one.

    >>> from .examples import example
    >>> example("id: website", "id: Web Site")
    a.yaml:12:13: error: 'id' 'Web Site' is not a valid id: use lowercase letters, digits and hyphens, starting with a letter or digit (e.g. 'web-site') (slug)
    >>> example(slug="Acme_2026Q1")
    a.yaml:1:1: error: file name 'Acme_2026Q1.yaml' is not a valid audit id: use lowercase letters, digits and hyphens, e.g. 'acme-2026q1.yaml' (slug)

date
    Dates are real ISO dates, YYYY-MM-DD.

    >>> example("2026-01-15", "2026-13-01")
    a.yaml:3:7: error: 'date' '2026-13-01' is not a date: write YYYY-MM-DD, e.g. 2026-09-30 (date)
    >>> example("2026-01-15", "2026-02-30")
    a.yaml:3:7: error: 'date' '2026-02-30' is not a date: there is no such day: month 2026-02 has 28 days, not 30 (date)

range
    Numbers are not below their minimum (prospects and weights are 0 or more).

    >>> example("    name: Search", "    name: Search\\n    prospects: -5")
    a.yaml:11:16: error: 'prospects' must be 0 or more, not -5 (range)

enum
    A word from a fixed list is one of that list; a near miss names the word meant.

    >>> example("involvement: low", "involvement: hgh")
    a.yaml:4:14: error: 'involvement' must be one of high, low, not 'hgh' (did you mean 'high'?) (enum)

    The method's Chinese word for a value is not accepted, but the English value is named:

    >>> example("score: 3", "score: 3\\n          appeal: 理性")
    a.yaml:18:19: error: 'appeal' must be one of rational, emotional, both, not '理性' (did you mean 'rational'?) (enum)

url
    Evidence links are http(s), mailto or relative paths: never javascript:, data:,
    file: or an absolute path.

    >>> example("quality: 4", "quality: 4\\n        evidence: [{title: x, url: 'javascript:alert(1)'}]")
    a.yaml:20:36: error: 'url' 'javascript:alert(1)' is not an allowed link: use http://, https://, mailto: or a relative path (url)

invisible-character
    Text holds no invisible character that reorders or hides text (bidi overrides,
    zero-width spaces, soft hyphens, tag characters: "Trojan Source").

    >>> example("name: Website", 'name: "Web\\\\u202esite"')
    a.yaml:13:15: error: 'name' contains an invisible control character U+202E (RIGHT-TO-LEFT OVERRIDE) that can disguise text; delete it (invisible-character)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from ...charset import forbidden
from .. import format_spec as spec
from ..problems import did_you_mean
from .rule import ERROR, INVALID, Report, Rule

if TYPE_CHECKING:
    from ..yamlsource import Node

SLUG = "slug"
DATE = "date"
RANGE = "range"
ENUM = "enum"
URL = "url"
INVISIBLE_CHARACTER = "invisible-character"

RULES = (
    Rule(SLUG, ERROR, "ids and file names are lowercase letters, digits and hyphens"),
    Rule(DATE, ERROR, "dates are real dates written YYYY-MM-DD"),
    Rule(RANGE, ERROR, "numbers are not below their minimum (prospects, weights: 0 or more)"),
    Rule(ENUM, ERROR, "a word from a fixed list is one of that list"),
    Rule(URL, ERROR, "links are http(s), mailto or relative paths"),
    Rule(INVISIBLE_CHARACTER, ERROR, "text holds no invisible character that reorders or hides it"),
)

_SLUG = re.compile(spec.SLUG_PATTERN)
_DATE = re.compile(spec.DATE_PATTERN)
# The Chinese words for the values of the format's word lists (the method's own terms:
# 涉入度 high/low, 接触性/外出型, 理性/感性…): only suggested, the file keeps the English value.
_ZH_WORDS = {"理性": "rational", "理性诉求": "rational", "感性": "emotional", "感性诉求": "emotional",
             "情感": "emotional", "两者": "both", "兼有": "both", "都有": "both", "理性和感性": "both",
             "高": "high", "高涉入": "high", "高涉入度": "high", "低": "low", "低涉入": "low", "低涉入度": "low",
             "中": "medium", "接触性": "inbound", "外出型": "outbound", "草稿": "draft", "定稿": "final",
             "未开始": "open", "进行中": "in-progress", "已完成": "done", "完成": "done", "放弃": "dropped",
             "已放弃": "dropped", "越高越好": "higher", "越低越好": "lower"}


def slugify(text: str) -> str:
    """A slug from free text (ASCII letters and digits only).

    >>> slugify("Hotel Supplies Manufacturer")
    'hotel-supplies-manufacturer'
    >>> slugify("酒店用品")
    ''
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def check_file_name(report: Report, slug: str) -> None:
    """The file name (without .yaml) is the audit's id: a slug too."""
    if not _SLUG.match(slug):
        report.error(1, 1, f"file name '{slug}.yaml' is not a valid audit id: use lowercase letters, digits "
                           f"and hyphens, e.g. '{slugify(slug) or 'client-2026q1'}.yaml'", SLUG)


def text(report: Report, node: Node, what: str, value: str) -> Any:
    # One list with verify-site (journey_audit.charset): what validate accepts, a page,
    # an SVG and Graphviz can hold, and nothing reorders or hides text (Trojan Source).
    bad = forbidden(value)
    if bad is not None:
        name = unicodedata.name(bad, "a control character" if ord(bad) < 0xA0 else "not a character")
        report.error(node.line, node.col, f"{what} contains an invisible control character "
                                          f"U+{ord(bad):04X} ({name}) that can disguise text; delete it",
                     INVISIBLE_CHARACTER)
        return INVALID
    return value


def at_least(report: Report, node: Node, minimum: float | None, what: str, value: float) -> Any:
    if minimum is not None and value < minimum:
        report.error(node.line, node.col, f"{what} must be {minimum} or more, not {value}", RANGE)
        return INVALID
    return value


def slug(report: Report, node: Node, kind: spec.Slug, what: str) -> Any:
    v = node.value
    if isinstance(v, str) and _SLUG.match(v):
        return v
    written = node.text
    hint = slugify(written)
    hint = f" (e.g. '{hint}')" if hint and hint != written else ""
    report.error(node.line, node.col, f"{what} '{written}' is not a valid id: use lowercase letters, digits and "
                                      f"hyphens, starting with a letter or digit{hint}", SLUG)
    return INVALID


def date(report: Report, node: Node, kind: spec.Date, what: str) -> Any:
    v = node.value
    if isinstance(v, str) and _DATE.match(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    report.error(node.line, node.col, f"{what} '{node.text}' is not a date: {_no_such_day(v)}", DATE)
    return INVALID


def _no_such_day(v: Any) -> str:
    """What is wrong with a date: a day its month does not have (2026-02-30), or its form."""
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", v) if isinstance(v, str) else None
    if m and 1 <= int(m[2]) <= 12 and int(m[3]) >= 1:
        first = dt.date(int(m[1]), int(m[2]), 1)
        days = ((first + dt.timedelta(days=31)).replace(day=1) - first).days
        return f"there is no such day: month {m[1]}-{m[2]} has {days} days, not {int(m[3])}"
    return "write YYYY-MM-DD, e.g. 2026-09-30"


def enum(report: Report, node: Node, kind: spec.Enum, what: str) -> Any:
    v = node.value
    if isinstance(v, str) and v in kind.values:
        return v
    english = _ZH_WORDS.get(str(node.text).strip())
    hint = f" (did you mean '{english}'?)" if english in kind.values else did_you_mean(str(node.text).lower(),
                                                                                       kind.values)
    report.error(node.line, node.col, f"{what} must be one of {', '.join(kind.values)}, not "
                                      f"'{node.text}'{hint}", ENUM)
    return INVALID


def url(report: Report, node: Node, kind: spec.Url, what: str) -> Any:
    v = node.value
    if isinstance(v, str) and forbidden(v) is not None:  # the same characters as in text
        return text(report, node, what, v)
    if isinstance(v, str) and _url_ok(v):
        return v
    report.error(node.line, node.col, f"{what} '{node.text}' is not an allowed link: use http://, https://, "
                                      "mailto: or a relative path", URL)
    return INVALID


def _url_ok(link: str) -> bool:
    low = link.strip().lower()
    if low.startswith(("http://", "https://")):
        return len(low) > 8 and not any(c in link for c in " \t\n\"'<>`")
    if low.startswith("mailto:"):
        return "@" in link and not any(c in link for c in " \t\n\"'<>`")
    # Relative paths only: no scheme (javascript:, data:, file:), no host, not absolute.
    if re.match(r"^[a-z][a-z0-9+.-]*:", low) or low.startswith(("/", "\\")) or not low:
        return False
    return not any(c in link for c in "\t\n\"'<>`")
