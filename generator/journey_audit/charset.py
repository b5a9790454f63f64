"""The one list of characters audit text may not hold, shared by ``validate`` (which
refuses them with their place) and ``verify-site`` (which ignores them when looking
for another client's words, so an invisible character cannot hide a leak).

The list is derived from Unicode's own properties (through the ``regex`` package:
the standard library has no Default_Ignorable_Code_Point), not typed by hand:

* Default_Ignorable_Code_Point: zero-width spaces and joiners, soft hyphen, word
  joiner, invisible operators, Hangul fillers, variation selectors, tag characters;
* Bidi_Control: the overrides, embeddings and isolates of "Trojan Source";
* what XML 1.0 forbids (so a page, an SVG or Graphviz never chokes): NUL and the
  other C0 controls except tab and line feed, C1 controls, DEL, surrogates,
  U+FFFE and U+FFFF.

Allowed in context, where writing needs them: ZERO WIDTH JOINER inside an emoji
sequence (👩‍💻), ZERO WIDTH NON-JOINER between letters of scripts that use it
(Persian, the Indic scripts), and a variation selector right after a visible
character (❤️, CJK ideographic variants).

>>> [hex(ord(m)) for m in (forbidden("Web\\u202esite"), forbidden("a\\x1b[31m"), forbidden("x\\ufffe"))]
['0x202e', '0x1b', '0xfffe']
>>> forbidden("👩\\u200d💻 ❤\\ufe0f می\\u200cخواهم 展会\\ttab") is None
True
>>> hex(ord(forbidden("ab\\u200dcd")))
'0x200d'
>>> strip_invisible("华锦\\u200b酒店\\u202e")
'华锦酒店'
"""

from __future__ import annotations

import regex

# Every character of the list, whatever its neighbours.
_CLASS = (r"\p{Default_Ignorable_Code_Point}\p{Bidi_Control}"
          r"\x00-\x08\x0b-\x1f\x7f-\x9f\p{Cs}\uFFFE\uFFFF")
_ANY = regex.compile(f"[{_CLASS}]")

_EMOJI_BEFORE = r"\p{Extended_Pictographic}[\uFE0F\U0001F3FB-\U0001F3FF]?"
_JOINING_LETTER = r"[[\p{L}\p{M}]--[\p{Latin}\p{Common}\p{Han}\p{Cyrillic}\p{Greek}\p{Hiragana}\p{Katakana}\p{Hangul}]]"
_VARIATION = r"[\uFE00-\uFE0F\U000E0100-\U000E01EF]"
_FORBIDDEN = regex.compile(
    rf"(?!(?<={_EMOJI_BEFORE})\u200D(?=\p{{Extended_Pictographic}}))"  # ZWJ inside an emoji sequence
    rf"(?!(?<={_JOINING_LETTER})\u200C(?={_JOINING_LETTER}))"  # ZWNJ between letters that join
    rf"(?!(?<=[^{_CLASS}\s]){_VARIATION})"  # a variation selector on a visible character
    rf"[{_CLASS}]", regex.V1)


def forbidden(text: str) -> str | None:
    """The first character of ``text`` that text may not hold where it stands, or None."""
    found = _FORBIDDEN.search(text)
    return found.group() if found else None


def forbidden_index(text: str) -> int:
    """Index in ``text`` of its first forbidden character (see :func:`forbidden`), or -1."""
    found = _FORBIDDEN.search(text)
    return found.start() if found else -1


def strip_invisible(text: str) -> str:
    """``text`` without any character of the list (joiners included): the words a reader sees."""
    return _ANY.sub("", text)


_UNSAFE_LINE = regex.compile(rf"{_FORBIDDEN.pattern}|[\n\r]", regex.V1)


def shown(text: str) -> str:
    r"""``text`` safe to print on one line of a terminal or CI log: every character of
    the list, and line breaks, written as escapes (an ESC sequence from an audit cannot
    recolour or rewrite the terminal, a newline in a file name cannot forge a line).

    >>> print(shown("audits/a\nb.yaml: \x1b[2J\u202eok 展会 👩\u200d💻"))
    audits/a\nb.yaml: \x1b[2J\u202eok 展会 👩‍💻
    """
    return _UNSAFE_LINE.sub(_escape, text)


def _escape(match: "regex.Match[str]") -> str:
    c = match.group()
    if c == "\n":
        return "\\n"
    if c == "\r":
        return "\\r"
    code = ord(c)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def github_property(text: str) -> str:
    r"""A property value (``file=``, ``title=``) of a GitHub workflow command, escaped as
    GitHub documents: % CR LF : and , (other control characters as :func:`shown`).

    >>> github_property("a%b\nc::error file=d,e\x1b")
    'a%25b%0Ac%3A%3Aerror file=d%2Ce\\x1b'
    """
    return shown(github_message(text).replace(":", "%3A").replace(",", "%2C"))


def github_message(text: str) -> str:
    """The message of a GitHub workflow command, escaped as GitHub documents: % CR LF
    (other control characters as :func:`shown`)."""
    return shown(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))
