"""Reading the file: the rules :mod:`journey_audit.audit.yamlsource` applies while it reads YAML.

A file that breaks one of them is not read any further: its one problem is the only
one reported. (A key written twice, ``duplicate-key``, is refused here too; the rule
belongs to :mod:`.structure`.)

io
    The file or folder named cannot be found or read.

    >>> from pathlib import Path
    >>> from ..validate import validate_file
    >>> print(validate_file(Path("no/such.yaml"))[1][0].format())
    no/such.yaml:1:1: error: cannot read file: No such file or directory (io)

file-size
    One audit file is at most 2 MiB; a larger file is refused before it is read.

    >>> from .examples import MINIMAL, example_text
    >>> example_text(MINIMAL + "# pasted bulk\\n" * 200_000)
    a.yaml:1:1: error: text is over the size limit for one audit (file-size)

encoding
    The file is UTF-8 (a UTF-8 byte-order mark is fine); the message names the likely
    encoding of anything else.

    >>> from ..validate import validate_bytes
    >>> print(validate_bytes("title: 展会\\n".encode("gbk"), "a.yaml", "a")[1][0].format())
    a.yaml:1:9: error: file is not UTF-8 (byte 0xBB); it looks like GBK (GB18030); save it again as UTF-8, e.g. iconv -f GBK -t UTF-8 a.yaml > a.yaml.utf8 && mv a.yaml.utf8 a.yaml (encoding)

empty-file
    The file holds something besides comments.

    >>> example_text("# to do\\n")
    a.yaml:1:1: error: file is empty; an audit needs at least title, client, date, involvement, core_messages and stages (try: journey-audit new) (empty-file)

yaml-syntax
    The file is YAML, indented with spaces, without control characters.

    >>> from .examples import example
    >>> example("    text: Tools", "\\ttext: Tools")
    a.yaml:7:1: error: YAML syntax: while scanning a plain scalar found a tab character that violates indentation; indent with spaces, never tabs (yaml-syntax)

nesting
    Values nest at most 40 levels deep (the reader never recurses, whatever the input).

    >>> example_text("".join("  " * i + f"k{i}:\\n" for i in range(50)))
    a.yaml:41:81: error: nesting deeper than 40 levels; an audit never needs this (nesting)

alias
    An alias (``*name``) follows its complete anchor (``&name``), and no value expands to
    more than 200,000 values (an "alias bomb").

    >>> example("quality: 4", "quality: *four")
    a.yaml:19:20: error: alias *four has no complete anchor &four before it (alias)

tag
    No explicit tag (``!!str``, ``!!python/object``…): quote a value to make it text.

    >>> example("score: 3", "score: !!str 3")
    a.yaml:17:18: error: explicit tag !!str is not allowed; remove it (quote the value to make it text) (tag)

merge-key
    No merge keys (``<<: *defaults``): every key is written out.

    >>> example("        channel: online", "        <<: {channel: online}")
    a.yaml:14:9: error: merge keys (<<) are not supported; write the keys out (merge-key)

multiple-documents
    A file holds one audit, one YAML document.

    >>> example_text(MINIMAL + "---\\ntitle: Another\\n")
    a.yaml:20:1: error: a file holds one audit; remove the second document (after ---) (multiple-documents)

key
    A key is plain text, not a list or a mapping.

    >>> example("title: Minimal audit", "? [title]\\n: Minimal audit")
    a.yaml:1:3: error: a key must be plain text, not a list or mapping (key)
"""

from __future__ import annotations

from .rule import ERROR, Rule

IO = "io"
FILE_SIZE = "file-size"
ENCODING = "encoding"
EMPTY_FILE = "empty-file"
YAML_SYNTAX = "yaml-syntax"
NESTING = "nesting"
ALIAS = "alias"
TAG = "tag"
MERGE_KEY = "merge-key"
MULTIPLE_DOCUMENTS = "multiple-documents"
KEY = "key"

RULES = (
    Rule(IO, ERROR, "the file or folder named can be found and read"),
    Rule(FILE_SIZE, ERROR, "one audit file is at most 2 MiB"),
    Rule(ENCODING, ERROR, "the file is UTF-8 text"),
    Rule(EMPTY_FILE, ERROR, "the file holds an audit, not only comments"),
    Rule(YAML_SYNTAX, ERROR, "the file is YAML, indented with spaces, without control characters"),
    Rule(NESTING, ERROR, "values nest at most 40 levels deep"),
    Rule(ALIAS, ERROR, "an alias follows its anchor and expands to at most 200,000 values"),
    Rule(TAG, ERROR, "no explicit tags (!!str, !!python/…); quote a value to make it text"),
    Rule(MERGE_KEY, ERROR, "no merge keys (<<); every key is written out"),
    Rule(MULTIPLE_DOCUMENTS, ERROR, "a file holds one YAML document, one audit"),
    Rule(KEY, ERROR, "a key is plain text, not a list or a mapping"),
)
