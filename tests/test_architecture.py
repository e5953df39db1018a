"""The package's shape: data flows one way, cli → gates → reporting → engine → policy, with no import
circle, and no module grows past 450 lines without saying why at its top.

Every import is counted, also those inside functions (a lazy import is still a dependency)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "harmonize"

# Layers from the bottom up; a module may import its own layer and the layers below.
# "base" is what every layer may use: the package's version, exit codes and usage error, atomic writes,
# safe git calls.
LAYERS = ["base", "policy", "engine", "reporting", "gates", "cli", "main"]
BASE = {"harmonize", "harmonize.errors", "harmonize.atomic", "harmonize.gitrun"}
# The engine compares loaded law: it reads the models, the loaded tree and the queries on it, never the
# reading of files (loader, yamlread, cache) nor the checks.
ENGINE_MAY_USE = ("harmonize.policy.models", "harmonize.policy.query", "harmonize.policy.tree",
                  "harmonize.policy.values")
MAX_LINES = 450


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> list[str]:
    if node.level == 0:
        base = node.module or ""
    else:
        parts = module.split(".")
        keep = len(parts) - node.level + (1 if is_package else 0)
        base = ".".join(parts[:keep] + ([node.module] if node.module else []))
    # "from . import cache" imports a module; "from .loader import x" a name of a module
    return [base] + [f"{base}.{a.name}" for a in node.names]


def import_graph() -> dict[str, set[str]]:
    mods = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in mods.items():
        deps: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                targets = _resolve(name, path.name == "__init__.py", node)
            else:
                continue
            deps |= {t for t in targets if t in mods and t != name}
        graph[name] = deps
    return graph


def layer(module: str) -> str:
    if module in BASE:
        return "base"
    if module == "harmonize.__main__":
        return "main"
    top = module.split(".")[1]
    assert top in LAYERS, f"{module} is in no layer; put it in one of {LAYERS[1:-1]}"
    return top


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_circle():
    assert _cycles(import_graph()) == []


def test_imports_follow_the_flow():
    wrong = []
    for mod, deps in sorted(import_graph().items()):
        mine = LAYERS.index(layer(mod))
        for dep in sorted(deps):
            if dep.startswith(mod + "."):
                continue  # a package's __init__ may use its own modules
            if LAYERS.index(layer(dep)) > mine:
                wrong.append(f"{mod} ({layer(mod)}) imports {dep} ({layer(dep)})")
            elif layer(mod) == "engine" and layer(dep) == "policy" and not dep.startswith(ENGINE_MAY_USE):
                wrong.append(f"{mod} (engine) imports {dep}: the engine takes loaded law, it does not read files")
    assert wrong == []


def test_the_engine_touches_no_file():
    banned = {"os", "pathlib", "subprocess", "tempfile", "shutil", "io"}
    found = []
    for name, path in _modules().items():
        if layer(name) != "engine":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found += [f"{name}: import {a.name}" for a in node.names if a.name.split(".")[0] in banned]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] in banned:
                found.append(f"{name}: from {node.module}")
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                found.append(f"{name}:{node.lineno}: open()")
    assert found == []


def test_modules_stay_small_or_say_why():
    long = []
    for name, path in _modules().items():
        text = path.read_text(encoding="utf-8")
        n = text.count("\n")
        doc = ast.get_docstring(ast.parse(text)) or ""
        if n > MAX_LINES and "Size:" not in doc:
            long.append(f"{name}: {n} lines and no 'Size:' reason in its docstring")
    assert long == []


@pytest.mark.parametrize("graph, circle", [
    ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
])
def test_the_circle_finder_finds_circles(graph, circle):
    assert _cycles(graph) == circle


def test_the_graph_sees_lazy_and_relative_imports():
    g = import_graph()
    assert "harmonize.policy.loader" in g["harmonize.cli.args"]  # imported inside load_or_fail
    assert "harmonize.policy.checks.dates" in g["harmonize.policy.checks"]  # "from . import ..., dates, ..."
    assert "harmonize.policy.diagnostics" in g["harmonize.gates.formats"]  # "from ...policy.diagnostics"
