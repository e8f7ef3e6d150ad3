"""The shape of the `dossier` package: no import cycle between its modules, and no module too long
to read (issue 21: `handouts` was 1,072 lines, `reading` and `sources` imported each other)."""

from __future__ import annotations

import ast

from conftest import ROOT

PACKAGE = ROOT / "scripts" / "dossier"
MAX_LINES = 700


def module_name(path) -> str:
    parts = path.relative_to(ROOT / "scripts").with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def dossier_imports(path) -> set[str]:
    """Every dossier module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "dossier":
                found |= {f"dossier.{alias.name}" for alias in node.names}
            elif node.module.startswith("dossier."):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("dossier.")}
    return found


def import_graph() -> dict[str, set[str]]:
    return {module_name(path): dossier_imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The import cycles of `graph`, each as the path that closes it (a depth-first search)."""
    found, done = [], set()

    def visit(module: str, path: list[str]) -> None:
        if module in path:
            found.append(path[path.index(module):] + [module])
            return
        if module in done:
            return
        for target in sorted(graph.get(module, ())):
            visit(target, path + [module])
        done.add(module)

    for module in sorted(graph):
        visit(module, [])
    return found


def test_the_graph_sees_the_imports_that_matter():
    graph = import_graph()
    assert "dossier.markup" in graph["dossier.reading"] and "dossier.markup" in graph["dossier.sources"]
    assert "dossier.sources" in graph["dossier.reading"]
    # function-level imports count: a cycle through one breaks as surely at run time
    assert "dossier.data" in graph["dossier.sources"]


def test_cycles_are_found_when_there_is_one():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_of_the_package_imports_itself_back():
    assert cycles(import_graph()) == []


def test_no_module_of_the_package_is_over_700_lines():
    lengths = {module_name(path): len(path.read_text(encoding="utf-8").splitlines()) for path in PACKAGE.rglob("*.py")}
    assert len(lengths) > 10
    assert {name: n for name, n in lengths.items() if n > MAX_LINES} == {}
