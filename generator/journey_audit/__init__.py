"""journey-audit: touchpoint audits (接触点审计) written in YAML, turned into a website.

The package reads as layers, each a subpackage; imports run one way, down this list
(``tests/test_layers.py`` enforces it):

- base modules: :mod:`.errors` (every user-facing error, one base class), :mod:`.files`
  (the atomic write), :mod:`.cache` (the one cache folder), :mod:`.labels` and
  :mod:`.palette` (wording and colours shared by the diagram and the site), :mod:`.charset`
  (the characters text may not hold), :mod:`.textwidth`;
- :mod:`.audit`: the audit file: model, YAML with positions, validation and its rules,
  the portfolio, schema, template and formatter;
- :mod:`.figures`: what is computed from validated audits: scores, gates, the summary;
- :mod:`.review` and :mod:`.diagram`, side by side: the semantic diff and git
  integration; the journey diagram's DOT source and its rendering;
- :mod:`.site`: pages, charts, downloads, publishing scope, the MkDocs plugin, builds,
  export for other engines (Zensical), verify-site;
- :mod:`.report`: the PDF report and the slide deck, from the site's public copy;
- :mod:`.cli`: the command line, one module per group of subcommands.
"""

__version__ = "0.1.0"
