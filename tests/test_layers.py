"""The layers the folders name: imports point down the pipeline, never up, and never round.

core < ingest < index < search < present < cli: a module may import its own layer and those
below it. The imports are read from the source (every import statement, those inside
functions too), so a lazy import cannot hide an upward one.
"""

from __future__ import annotations

import ast
from pathlib import Path

import kzkg_cli

PACKAGE = Path(kzkg_cli.__file__).resolve().parent
LAYERS = ("core", "ingest", "index", "search", "present", "cli")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """The kzkg_cli modules a source file imports."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
            found.update(name if name in MODULES else node.module for name in names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {name for name in found if name.split(".")[0] == "kzkg_cli"}


MODULES = {module_name(p): p for p in PACKAGE.rglob("*.py")}


def layer(module: str) -> int:
    """The layer of a module: its subpackage's place in the pipeline (-1 for the top)."""
    parts = module.split(".")
    return LAYERS.index(parts[1]) if len(parts) > 1 and parts[1] in LAYERS else -1


def test_imports_are_absolute() -> None:
    """A relative import (from ..cli import app) would hide its layer from these tests."""
    relative = [
        name
        for name, path in MODULES.items()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level > 0
    ]
    assert relative == []


def test_every_module_lives_in_a_layer() -> None:
    top = {name for name in MODULES if layer(name) < 0}
    assert top == {"kzkg_cli", "kzkg_cli.__main__"}


def test_no_module_imports_a_higher_layer() -> None:
    upward = [
        (name, imported)
        for name, path in MODULES.items()
        for imported in imports(path)
        if layer(name) >= 0 and layer(imported) > layer(name)
    ]
    assert upward == []


def test_the_top_package_holds_only_the_version() -> None:
    assert imports(MODULES["kzkg_cli"]) == set()


def test_there_is_no_import_cycle() -> None:
    graph = {
        name: {m for m in imports(path) if m in MODULES} - {name} for name, path in MODULES.items()
    }
    done: set[str] = set()

    def visit(name: str, trail: tuple[str, ...]) -> None:
        assert name not in trail, " -> ".join((*trail, name))
        if name in done:
            return
        for imported in sorted(graph[name]):
            if imported != "kzkg_cli":  # importing the package itself is importing __version__
                visit(imported, (*trail, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_the_layer_test_would_see_an_upward_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from kzkg_cli.cli.app import app\n", encoding="utf-8")
    assert imports(bad) == {"kzkg_cli.cli.app"}
    assert layer("kzkg_cli.cli.app") > layer("kzkg_cli.core.model")
