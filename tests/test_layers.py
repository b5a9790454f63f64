"""The package's layers, and imports that run one way through them.

A newcomer reads the package as layers: the audit file (``audit/``) → figures
(``figures/``) → review and diagram (``review/``, ``diagram/``, side by side) → the site
(``site/``) → the deliverables made from the site's pages (``report/``: PDF, deck) → the
command line (``cli``). A module may import from its own subpackage and
from any layer below it, never from one above or beside it. The shared base (errors,
cache, labels, palette, …) sits under everything and imports no layer.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "generator" / "journey_audit"

# layer → rank; a module may import layers of a lower rank, or its own layer.
RANKS = {"base": 0, "audit": 1, "figures": 2, "review": 3, "diagram": 3, "site": 4, "report": 5, "cli": 6}


def layer_of(parts: tuple[str, ...]) -> str:
    """The layer of a module given its dotted path under the package."""
    if parts[0] in RANKS and parts[0] not in ("base", "cli"):
        return parts[0]
    if parts[0] in ("cli", "__main__"):
        return "cli"
    return "base"


def imports(package: Path, path: Path) -> list[tuple[int, tuple[str, ...]]]:
    """(line, target module path under the package) of every import of our own modules."""
    here = path.relative_to(package).with_suffix("").parts[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = here[:len(here) - (node.level - 1)]
                target = base + (tuple(node.module.split(".")) if node.module else ())
            elif node.module and node.module.split(".")[0] == "journey_audit":
                target = tuple(node.module.split(".")[1:])
            else:
                continue
            if node.module:
                found.append((node.lineno, target))
            else:  # from . import x, y: each name is a module of that package
                found += [(node.lineno, target + (alias.name,)) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, tuple(alias.name.split(".")[1:])) for alias in node.names
                      if alias.name.split(".")[0] == "journey_audit"]
    return found


def against_the_grain(package: Path) -> list[str]:
    """Every import of a layer above or beside the importing module's own, as ``file:line: …``."""
    found = []
    for path in sorted(package.rglob("*.py")):
        mine = layer_of(path.relative_to(package).with_suffix("").parts)
        for line, target in imports(package, path):
            if not target or target == ("__version__",):
                continue
            theirs = layer_of(target)
            if theirs != mine and RANKS[theirs] >= RANKS[mine]:
                found.append(f"{path.relative_to(package)}:{line}: {mine} imports {'.'.join(target)} ({theirs})")
    return found


def test_the_layers_are_subpackages() -> None:
    for layer in ("audit", "figures", "review", "diagram", "site", "report"):
        assert (PACKAGE / layer / "__init__.py").is_file(), layer
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(flat) <= 12, f"modules left at the top: {flat}"


def test_imports_run_one_way() -> None:
    assert against_the_grain(PACKAGE) == []


def test_an_import_against_the_grain_is_caught(tmp_path: Path) -> None:
    for layer, text in [("figures", "from ..site.pages import audit_page\n"),
                        ("review", "from ..diagram import dot\n"),
                        ("audit", "from journey_audit.figures.scoring import compute\n"),
                        ("site", "from ..audit.model import Audit\nfrom ..cli import main\n")]:
        (tmp_path / layer).mkdir()
        (tmp_path / layer / "__init__.py").write_text("")
        (tmp_path / layer / "probe.py").write_text(text)
    assert [f.split(": ", 1)[1] for f in against_the_grain(tmp_path)] == [
        "audit imports figures.scoring (figures)", "figures imports site.pages (site)",
        "review imports diagram (diagram)", "site imports cli (cli)"]


def test_no_private_name_is_imported_across_modules() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("journey_audit")):
                found += [f"{path.relative_to(PACKAGE)}:{node.lineno}: {a.name}" for a in node.names
                          if a.name.startswith("_") and not a.name.startswith("__")]
    assert found == []


def test_size_limits() -> None:
    long = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if text.count("\n") > 500:
            long.append(f"{path.relative_to(PACKAGE)}: {text.count(chr(10))} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                size = node.end_lineno - node.lineno + 1
                if size > 80:
                    long.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.name} has {size} lines")
    assert long == []
