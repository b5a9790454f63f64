"""An audit as a Graphviz journey diagram: the DOT source, nothing drawn yet.

Stages are clusters from left to right in the customer's order; inside each,
touchpoints run top to bottom, coloured by their score (:mod:`.palette`) and showing
their message and consistency figures. Moments of truth are bold, starred and
double-bordered, so they survive greyscale printing; the funnel's conversion rates
label the arrows between stages, and the stage that loses most is marked with ▼ and
drawn thick. A legend explains the marks. Every figure comes from
:func:`.scoring.compute`, formatted with :func:`.scoring.fmt` / :func:`.scoring.fmt_percent`
exactly as on the pages.

The output is a pure function of the audit: the same audit always gives the same
bytes, so the renderer can cache on a hash of the source. Text from the audit only
ever reaches ``label`` (as escaped HTML-like text) and ``tooltip``; node names are
generated (``n0``, ``n1`` …), element ids are ``jd-<slug>-…`` and links are
``#tp-<touchpoint id>``, so audit text cannot add nodes, edges or attributes, nor
reach an attribute that reads files.

DOT quoting is the ``graphviz`` package's (:mod:`graphviz.quoting`): :func:`dot_string`
writes every quoted value with ``escape()`` / ``nohtml()`` and ``quote()``, always in
double quotes, so no text can pass for an HTML-like ``<…>`` label, a keyword such as
``node`` or ``strict``, or a backslash escape. The text inside HTML-like labels
(XML entities, :func:`html_text`) is ours to escape: graphviz writes such labels as they are.

>>> html_text('a < b & "c" \\\\N')
'a &lt; b &amp; &quot;c&quot; \\\\\\\\N'
>>> wrap("Friends' recommendations and online reviews", 22)
["Friends'", 'recommendations and', 'online reviews']
>>> wrap("客户答谢会与新品品鉴会（秋季）", 12)
['客户答谢会与', '新品品鉴会', '（秋季）']
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

from graphviz.quoting import escape, nohtml, quote

from .. import palette
from ..audit.model import Audit, Stage, Touchpoint
from ..errors import DiagramTooLarge
from ..figures.scoring import AuditFigures, compute, fmt, fmt_percent
from ..labels import label
from ..textwidth import break_lines
from .marks import contact_legend, contact_marks
from .rows import split, stage_width
from ..textwidth import width as units  # a CJK character is 2 units, others 1

# Fonts that carry Chinese and Latin glyphs, best first. Graphviz measures labels with
# the first one it finds (Debian: fonts-noto-cjk); browsers use the list as CSS
# font-family, so a viewer without Noto still gets a CJK font of similar widths.
FONTS = ("Noto Sans CJK SC,Noto Sans SC,Source Han Sans SC,PingFang SC,Microsoft YaHei,"
         "Hiragino Sans GB,Helvetica,Arial,sans-serif")
FONT_SIZE = 12
SMALL = 10  # the figures line in a node, legend details

INK = "#1a1a1a"  # text and lines on the white background (palette.DARK_TEXT)
BACKGROUND = "#ffffff"  # opaque, so the diagram reads the same on Material's light and dark (slate) pages
STAGE_FILL = "#f3f4f6"  # opaque too: no transparent area behind dark text
STAGE_LINE = "#8c9099"
LEAK_LINE = "#7f0000"  # with ▼ and a thick line: the mark does not rely on colour

WRAP = 24  # width units per line of a name (a CJK character is 2, a Latin one 1)
STAGE_WRAP = 28  # a stage is a little wider than its touchpoints
MAX_LINES = 4  # longer names end with … (the whole name is in the tooltip)
MAX_ROWS = 8  # touchpoints per column; a longer stage takes several columns

# Size caps: audit text is typed by people and may be pasted by the page. Past these,
# a label would be unreadable and a graph too slow to draw; the page shows the whole text.
MAX_NAME = 120  # characters of a name, title or stage name before it is wrapped (then …)
MAX_TOOLTIP = 600  # characters of a touchpoint's tooltip (name, intended, observed)
MAX_SCALE_LABEL = 40  # characters of a scale label in the legend
MAX_SWATCHES = 11  # colour swatches in the legend; a wider scale shows evenly spaced points
MAX_TOUCHPOINTS = 500  # a bigger journey is refused (DiagramTooLarge), not drawn for minutes

# The only attributes this module writes, on the graph, clusters, nodes and edges. Node
# names are generated and audit text reaches only `label` and `tooltip`, escaped, so
# this list is all a DOT file of ours can ask Graphviz for: no `image`, `shapefile`,
# `fontpath` or `imagepath`, nothing that reads a file. test_publish checks every
# attribute of real output against it; _attrs refuses any other.
ATTRIBUTES = frozenset({
    "id", "label", "tooltip", "URL", "rankdir", "newrank", "compound", "bgcolor", "fontname", "fontsize",
    "fontcolor", "pad", "nodesep", "ranksep", "labelloc", "labeljust", "shape", "style", "color", "fillcolor",
    "penwidth", "margin", "width", "height", "arrowsize", "peripheries", "rank", "dir", "ltail", "lhead",
    "weight",
})
# Tags and attributes of the HTML-like labels this module writes (IMG, which reads a file, is not one).
HTML_LABEL_TAGS = frozenset({"TABLE", "TR", "TD", "FONT", "B"})
HTML_LABEL_ATTRIBUTES = frozenset({"BORDER", "CELLBORDER", "CELLSPACING", "CELLPADDING", "ALIGN", "COLSPAN",
                                   "BGCOLOR", "COLOR", "POINT-SIZE"})

_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*\Z")


def cap(text: str, limit: int) -> str:
    """``text`` on one line, cut to ``limit`` characters with … when longer.

    >>> cap("Trade  fair\\nbooth", 20), cap("a" * 10, 4)
    ('Trade fair booth', 'aaa…')
    """
    text = _flat(text[: limit * 4])  # a pasted megabyte is cut before it is split into words
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def html_text(text: str) -> str:
    """``text`` as the content of a Graphviz HTML-like label, rendered literally.

    XML special characters become entities. Graphviz still expands ``\\N``, ``\\G`` …
    in HTML labels and reads ``\\\\`` as one backslash, so backslashes are doubled, by
    graphviz's ``escape()`` (an entity such as ``&#92;`` would be expanded too: see
    test_render's hostile names). graphviz's ``quote()`` passes an HTML-like label
    through unchanged, so this escaping is all that keeps audit text from becoming markup.
    """
    return str(escape(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                      .replace('"', "&quot;")))


def tooltip_text(text: str) -> str:
    r"""``text`` as the value of a ``tooltip`` attribute, shown literally in the SVG.

    The value before :func:`dot_string` quotes it. Graphviz reads a tooltip's
    backslashes twice (once expanding ``\N`` and friends, once for line breaks), so
    graphviz's ``escape()`` is applied twice: each backslash is written as four. ``&``
    is written as an entity because Graphviz passes entities through to the SVG.
    Line breaks in ``text`` become the ``\n`` Graphviz turns into a newline.

    >>> print(tooltip_text('a\\N "b" & c\nd'))
    a\\\\N "b" &amp; c\nd
    >>> print(dot_string(tooltip_text('a\\N "b" & c\nd')))
    "a\\\\N \"b\" &amp; c\nd"
    """
    text = escape(escape(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")))
    return text.replace("\n", "\\n")  # after escape(): this backslash is Graphviz's, not text


def dot_string(value: str) -> str:
    r"""``value`` (an escString, backslashes as Graphviz should read them) as a DOT quoted string.

    graphviz's ``quote()`` escapes the double quotes, and ``nohtml()`` keeps a value
    such as ``<b>x</b>`` from passing for an HTML-like label. ``quote()`` would leave a
    plain ID (``LR``, ``0.25``) bare; here every value is in double quotes, which
    Graphviz reads the same way, keywords (``node``, ``Strict``) included. Backslashes
    are left alone: pass literal text through ``escape()`` first, as :func:`_attrs` does.

    >>> print(dot_string("LR"), dot_string("node"), dot_string("<b>x</b>"), dot_string('say "hi"'))
    "LR" "node" "<b>x</b>" "say \"hi\""
    >>> print(dot_string(escape('\\l "\\"')))
    "\\l \"\\\""
    """
    quoted = quote(nohtml(value))
    return quoted if quoted.startswith('"') else f'"{quoted}"'  # a bare ID has nothing to escape


def _flat(text: str) -> str:
    """One line of text: runs of whitespace (newlines from YAML block text) become one space."""
    return " ".join(text.split())


def wrap(text: str, width: int = WRAP, max_lines: int = MAX_LINES) -> list[str]:
    """Break ``text`` into lines of at most ``width`` units (CJK characters count 2).

    Latin words are not split unless one alone is wider than a line; Chinese breaks
    between characters but never before a closing or after an opening mark; no line
    is left with a lone letter or character (:func:`.textwidth.break_lines`).

    >>> wrap("Outreach before planned plant shutdowns (event-driven)", 22)
    ['Outreach before', 'planned plant', 'shutdowns', '(event-driven)']
    >>> wrap("a" * 30, 22)
    ['aaaaaaaaaaaaaaa', 'aaaaaaaaaaaaaaa']
    >>> wrap("一二三四五六七八九十" * 4, 8, max_lines=2)
    ['一二三四', '五六七…']
    """
    text = cap(text, MAX_NAME)
    if units(text) <= width:  # most names: one line, no need to look closer
        return [text]
    lines = break_lines(text, width)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and units(last + "…") > width:
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last.rstrip() + "…"]
    return lines


def _cells(text: str, width: int = WRAP, bold: bool = False, size: int | None = None) -> list[str]:
    """``text`` wrapped, one table cell per line (HTML-like, escaped).

    One row per line rather than ``<BR/>``: Graphviz spaces ``<BR/>`` lines by the
    font size, which crowds Noto CJK's tall glyphs; rows get the table's spacing.
    """
    cells = []
    for line in wrap(text, width):
        body = html_text(line)
        if bold:
            body = f"<B>{body}</B>"
        if size:
            body = f'<FONT POINT-SIZE="{size}">{body}</FONT>'
        cells.append(body)
    return cells


def _table(cells: list[str]) -> str:
    """An HTML-like label of centred lines, 2 points apart."""
    rows = "".join(f'<TR><TD ALIGN="CENTER">{cell}</TD></TR>' for cell in cells)
    return f'<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="2" CELLPADDING="0">{rows}</TABLE>>'


@lru_cache(maxsize=256)
def _colours(score: Fraction, lo: int, hi: int) -> tuple[str, str]:
    """Fill and text colour for a score (few distinct scores per audit: remembered)."""
    bg = palette.fill(score, lo, hi)
    return bg, palette.text_on(bg)


def _check_slug(value: str, what: str) -> str:
    # The validator guarantees slugs; an Audit built in code might not, and an id
    # ends up in element ids and links, so refuse rather than escape it.
    if not _SLUG.match(value):
        raise ValueError(f"{what} {value!r} is not a slug (lowercase letters, digits, hyphens)")
    return value


def _attrs(**attrs: str) -> str:
    r"""DOT attribute list: a label starting with '<' is HTML-like (escaped already), the rest literal text.

    >>> print(_attrs(id="jd-x", label="<<B>x</B>>", rankdir="LR", fontname='A\\N "B"'))
    [id="jd-x", label=<<B>x</B>>, rankdir="LR", fontname="A\\N \"B\""]
    """
    unknown = set(attrs) - ATTRIBUTES
    if unknown:  # a programming error, never the audit's: attribute names are ours
        raise ValueError(f"DOT attribute(s) not in diagram.ATTRIBUTES: {', '.join(sorted(unknown))}")
    return "[" + ", ".join(f"{key}={_html_label(value)}" if key == "label" and value.startswith("<")
                           else f"{key}={_literal(value)}" for key, value in attrs.items()) + "]"


@lru_cache(maxsize=1024)
def _literal(value: str) -> str:
    """``value`` as literal DOT text (our own values, mostly the same few: remembered)."""
    return dot_string(escape(value))


def _html_label(label: str) -> str:
    """An HTML-like label this module built (``<…>``, the audit's text in it escaped), for DOT.

    graphviz's ``quote()`` writes an HTML string as it is; anything else it would
    quote as text, which none of our labels is meant to be, so that is refused.
    """
    written = quote(label)
    if written != label or not label.startswith("<"):
        raise ValueError(f"not an HTML-like label: {label[:60]!r}")
    return written


def _columns(stage: Stage) -> list[list[int]]:
    """Touchpoint positions of a stage split into columns of at most MAX_ROWS.

    >>> [len(c) for c in _columns(Stage("s", "S", [None] * 9))]  # balanced: not 8 + 1
    [5, 4]
    """
    n = len(stage.touchpoints)
    if n == 0:
        return []
    columns = -(-n // MAX_ROWS)  # ceiling division
    per = -(-n // columns)
    return [list(range(i, min(i + per, n))) for i in range(0, n, per)]


def dot_source(audit: Audit, figures: AuditFigures | None = None) -> str:
    """The DOT source of ``audit``'s journey diagram (figures default to ``scoring.compute``)."""
    count = sum(len(stage.touchpoints) for stage in audit.stages)
    if count > MAX_TOUCHPOINTS:
        raise DiagramTooLarge(audit.path or audit.slug, count, MAX_TOUCHPOINTS)
    if figures is None:
        figures = compute(audit)
    slug = _check_slug(audit.slug, "audit id") if audit.slug else "audit"
    out = ["digraph journey {", *_defaults(slug)]
    headers = [_stage_header(audit, figures, s) for s in range(len(audit.stages))]
    rows = max(len(h) for h in headers)
    words = _node_words(audit.language)
    first_of: list[str] = []  # per stage: a node in its first column (head of the arrow in)
    last_of: list[str] = []  # per stage: a node in its last column (tail of the arrow out)
    starts = _row_starts(audit)
    blocks: list[list[str]] = [[] for _ in starts]  # the DOT lines of each row
    k = 0
    for s, stage in enumerate(audit.stages):
        # Headers padded to the same number of lines keep the stages' first touchpoints in one row.
        cells = headers[s] + ["&#160;"] * (rows - len(headers[s]))
        lines, columns = _cluster(audit, figures, s, cells, slug, k, words)
        if len(starts) > 1:  # rows of a long journey: see _in_rows
            lines = _in_rows(audit, lines, s, starts, slug)
        blocks[sum(start <= s for start in starts) - 1] += lines
        k += len(stage.touchpoints)
        first_of.append(columns[0][0])
        last_of.append(columns[-1][0])
    for block in reversed(blocks):  # dot stacks the rows of a left-to-right graph bottom-up
        out += block
    out += _funnel_edges(audit, figures, slug, first_of, last_of, set(starts[1:]))
    if len(starts) > 1:  # each row's first stage level with the first row's: the rows stack up
        out.append("  { rank=same; " + "; ".join(first_of[s] for s in starts) + "; }")
    out.append("  graph " + _attrs(label=_legend(audit, figures)))
    out.append("}")
    return "\n".join(out) + "\n"


def _defaults(slug: str) -> list[str]:
    """The graph's own attributes and the defaults of its nodes and edges."""
    return ["  graph " + _attrs(id=f"jd-{slug}", rankdir="LR", newrank="true", compound="true",
                                bgcolor=BACKGROUND, fontname=FONTS, fontsize=str(FONT_SIZE), fontcolor=INK,
                                pad="0.25", nodesep="0.22", ranksep="0.55", labelloc="b", labeljust="l"),
            "  node " + _attrs(shape="box", style="rounded,filled", fontname=FONTS, fontsize=str(FONT_SIZE),
                               color=INK, penwidth="1", margin="0.14,0.07", width="2.3", height="0.5"),
            "  edge " + _attrs(color=INK, fontcolor=INK, fontname=FONTS, fontsize=str(SMALL), arrowsize="0.7")]


def _node_words(lang: str | None) -> dict[str, str]:
    """The words of a touchpoint's node in ``lang`` (looked up once per diagram), and its colon."""
    words = {key: label(key, lang) for key in ("message", "consistency", "intended", "observed")}
    words["colon"] = "：" if lang == "zh" else ": "
    return words


def _cluster(audit: Audit, figures: AuditFigures, s: int, cells: list[str], slug: str, first: int,
             words: dict[str, str]) -> tuple[list[str], list[list[str]]]:
    """Stage ``s`` as a cluster: its header ``cells``, its touchpoints as nodes ``n<first>``,
    ``n<first + 1>`` … stacked in columns. Returns the DOT lines and the columns' node names."""
    stage = audit.stages[s]
    leaks = stage.id == figures.funnel.leakiest
    out = [f"  subgraph cluster_{s} {{",
           "    graph " + _attrs(id=f"jd-{slug}-s{s}", label=_table(cells), style="rounded,filled",
                                 fillcolor=STAGE_FILL, color=LEAK_LINE if leaks else STAGE_LINE,
                                 penwidth="3" if leaks else "1", margin="10",
                                 labelloc="t", labeljust="c")]
    names = [f"n{first + i}" for i in range(len(stage.touchpoints))]
    out += [_node(audit, figures, tp, name, slug, words) for tp, name in zip(stage.touchpoints, names)]
    columns = [[names[i] for i in col] for col in _columns(stage)]
    for col in columns:
        out.append("    { rank=same; " + "; ".join(col) + "; }")
    for c, col in enumerate(columns):
        # In a left-to-right graph dot stacks a rank bottom-up along its edges, so
        # each step down the column is written backwards and drawn forwards.
        for upper, lower in zip(col, col[1:]):
            out.append(f'    {lower} -> {upper} [id="jd-{slug}-e{upper[1:]}", dir="back"]')
        if c + 1 < len(columns):
            out.append(f"    {col[-1]} -> {columns[c + 1][0]} " + _attrs(id=f"jd-{slug}-e{col[-1][1:]}"))
    out.append("  }")
    return out, columns


def _node(audit: Audit, figures: AuditFigures, tp: Touchpoint, name: str, slug: str, words: dict[str, str]) -> str:
    """One touchpoint's node: its name and figures on its score's colour, a tooltip, a link to its section."""
    tf = figures.touchpoints[tp.id]
    bg, ink = _colours(tf.score, audit.scale.min, audit.scale.max)
    numbers = html_text(contact_marks(tp)
                        + f"{words['message']} {fmt(tf.message)} · {words['consistency']} {fmt(tf.consistency)}")
    cells = (_cells(("★ " if tp.moment_of_truth else "") + tp.name, bold=tp.moment_of_truth)
             + [f'<FONT POINT-SIZE="{SMALL}">{numbers}</FONT>'])  # short: never wraps
    colon = words["colon"]
    tip = (f"{_flat(tp.name)}\n{words['intended']}{colon}{_flat(tp.message.intended)}\n"
           f"{words['observed']}{colon}{_flat(tp.message.observed or '–')}")
    tip = tooltip_text(_cap_lines(tip, MAX_TOOLTIP))
    # Written out rather than through _attrs: this line is most of the source, and every
    # value but the label and tooltip is safe as it stands (generated ids, a slug, hex colours).
    mark = ', peripheries="2", penwidth="1.5"' if tp.moment_of_truth else ""
    return (f'    {name} [id="jd-{slug}-{name}", label={_html_label(_table(cells))}, fillcolor="{bg}", '
            f'fontcolor="{ink}", URL="#tp-{_check_slug(tp.id, "touchpoint id")}", '
            f'tooltip={dot_string(tip)}{mark}]')


def _in_rows(audit: Audit, lines: list[str], s: int, starts: list[int], slug: str) -> list[str]:
    """The DOT ``lines`` of stage ``s`` inside the invisible cluster of its row; after a
    row's last stage, its arrow's head: the number of the stage the next row starts with.

    A cluster's box never overlaps another's, so a tall stage cannot reach into the row
    below. An arrow from the end of one row to the start of the next would cross the
    rows (Graphviz routes it around them): the arrow ends at the row's end instead.
    """
    row = sum(start <= s for start in starts) - 1
    out = ["  " + line for line in lines]
    if s == starts[row]:
        out.insert(0, f"  subgraph cluster_row{row} {{\n    graph " + _attrs(id=f"jd-{slug}-r{row}", style="invis"))
    if s + 1 in starts:
        out.append(f"    w{s} " + _attrs(id=f"jd-{slug}-w{s}", shape="plaintext", style="solid", margin="0",
                                       width="0", height="0", label=f"<<B>{s + 2}.</B>>"))
    if s + 1 in starts or s + 1 == len(audit.stages):
        out.append("  }")
    return out


def stage_widths(audit: Audit) -> list[int]:
    """Each stage's estimated width in points as drawn (:func:`.rows.stage_width`): its
    columns of touchpoints and its wrapped name, from the audit alone."""
    return [stage_width(len(_columns(stage)), max(map(units, wrap(f"{s + 1}. {stage.name}", STAGE_WRAP))))
            for s, stage in enumerate(audit.stages)]


def _row_starts(audit: Audit) -> list[int]:
    """Where the rows of a long journey start (:func:`.rows.split`); ``[0]`` for one row."""
    return split(stage_widths(audit))


def _funnel_edges(audit: Audit, figures: AuditFigures, slug: str, first_of: list[str], last_of: list[str],
                  wraps: set[int] = frozenset()) -> list[str]:
    """An arrow from each stage to the next, labelled with the conversion between them
    (bold, ▼ and thick from the leakiest stage). The arrow to a stage in ``wraps`` (the
    first of a row) ends at the end of the row above, where it names that stage (:func:`_in_rows`)."""
    steps = {step.from_stage: step for step in figures.funnel.steps}
    out = []
    for s, (before, after) in enumerate(zip(audit.stages, audit.stages[1:])):
        attrs = dict(ltail=f"cluster_{s}", lhead=f"cluster_{s + 1}", id=f"jd-{slug}-f{s}", weight="10")
        step = steps.get(before.id)
        if step is not None and step.conversion is not None:
            pct = html_text(fmt_percent(step.conversion))
            if before.id == figures.funnel.leakiest:
                attrs.update(label=f"<<B>▼ {pct}</B>>", penwidth="3", color=LEAK_LINE, fontcolor=LEAK_LINE)
            else:
                attrs.update(label=f"<{pct}>")
        head = first_of[s + 1]
        if s + 1 in wraps:
            head = f"w{s}"
            del attrs["lhead"]
        out.append(f"  {last_of[s]} -> {head} " + _attrs(**attrs))
    return out


def _stage_header(audit: Audit, figures: AuditFigures, s: int) -> list[str]:
    """Label cells of stage ``s``: number and name, prospects and score, the ▼ mark."""
    lang = audit.language
    stage = audit.stages[s]
    facts = []
    if stage.prospects is not None:
        facts.append(f"{label('prospects', lang)} {stage.prospects}")
    facts.append(f"{label('score', lang)} {fmt(figures.stages[stage.id].score)}")
    cells = _cells(f"{s + 1}. {stage.name}", STAGE_WRAP, bold=True) + _cells(" · ".join(facts), 2 * WRAP, size=SMALL)
    if stage.id == figures.funnel.leakiest:
        cells += _cells(f"▼ {label('leakiest', lang)}", bold=True, size=SMALL)
    return cells


def _legend(audit: Audit, figures: AuditFigures) -> str:
    """The title, headline figures and the key to colours and marks, as an HTML-like table."""
    lang = audit.language
    lo, hi = audit.scale.min, audit.scale.max
    headline = (f"{label('overall', lang)} {fmt(figures.score)} · {label('message', lang)} {fmt(figures.message)}"
                f" · {label('consistency', lang)} {fmt(figures.consistency)}")
    swatches = []
    for value in _swatch_values(lo, hi):
        bg = palette.fill(value, lo, hi)
        name = audit.scale.label(value)
        text = html_text(f"{value} {cap(name, MAX_SCALE_LABEL)}" if name else str(value))
        swatches.append(f'<TD BGCOLOR="{bg}" BORDER="1" COLOR="{INK}"><FONT COLOR="{palette.text_on(bg)}">'
                        f"{text}</FONT></TD>")
    marks = [label("legend_mot", lang)] + contact_legend(audit)
    if figures.funnel.steps:
        marks.append(label("legend_funnel", lang))
    if figures.funnel.leakiest is not None:
        marks.append(label("legend_leak", lang))
    span = len(swatches) + 1

    def row(cell: str) -> str:
        return f'<TR><TD ALIGN="LEFT" COLSPAN="{span}">{cell}</TD></TR>'

    return ('<<TABLE BORDER="0" CELLBORDER="0" CELLSPACING="3" CELLPADDING="2">'
            + "".join(row(cell) for cell in _cells(audit.title, 3 * WRAP, bold=True))
            + row(html_text(headline))
            + f'<TR><TD ALIGN="LEFT">{html_text(label("legend_colour", lang))}</TD>{"".join(swatches)}</TR>'
            + "".join(row(html_text(m)) for m in marks)
            + "</TABLE>>")


def _swatch_values(lo: int, hi: int) -> list[int]:
    """The scale points the legend shows: all of them, or :data:`MAX_SWATCHES` evenly spaced.

    >>> _swatch_values(1, 5), _swatch_values(0, 100)
    ([1, 2, 3, 4, 5], [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    """
    if hi - lo < MAX_SWATCHES:
        return list(range(lo, hi + 1))
    steps = MAX_SWATCHES - 1
    return sorted({lo + round((hi - lo) * i / steps) for i in range(MAX_SWATCHES)})


def _cap_lines(text: str, limit: int) -> str:
    """Multi-line ``text`` cut to ``limit`` characters in all, with … where it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
