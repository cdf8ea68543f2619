"""Layers point one way: no import cycle among sayso's modules, counting imports inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "sayso"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, modules: set[str]) -> set[str]:
    """sayso modules a file imports anywhere in it; ``from sayso import x`` names module ``sayso.x``
    when there is one, else the package itself."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "sayso")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "sayso":
            for a in node.names:
                sub = f"{node.module}.{a.name}"
                found.add(sub if sub in modules else node.module)
    return {m for m in found if m in modules}


def graph() -> dict[str, set[str]]:
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    modules = set(paths)
    # the package's own __init__ (sayso.analyze) sits on top: importing a submodule is not importing it
    return {m: imports(p, modules) - {m, "sayso"} for m, p in paths.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def test_no_import_cycles() -> None:
    edges = graph()
    assert "sayso.pipeline" in edges and edges["sayso.pipeline"]
    assert cycles(edges) == []


def test_the_cycle_finder_finds_one() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


def test_lower_layers_do_not_import_the_pipeline() -> None:
    edges = graph()
    lower = [m for m in edges if m.startswith(("sayso.lexicon", "sayso.classifiers", "sayso.coref", "sayso.timex"))]
    assert lower
    for m in lower:
        assert not {d for d in edges[m] if d.startswith(("sayso.pipeline", "sayso.components", "sayso.analyzer"))}, m
