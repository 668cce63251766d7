"""The shape of the package, as the README's "How it is built" describes it: layers
that import only downwards, no import cycle (lazy imports included), a pure core, few
modules at the top, small functions, and no private name imported across modules.

The imports are read from the source (an AST walk, as pip-tools' test_circular_imports
does), so an import inside a function or under TYPE_CHECKING counts like any other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "workbook_tools"

#: The layers, bottom up. A module may import any layer below its own, and the other
#: modules of its own package (core's modules import each other; the base modules,
#: which import nothing else, each other); the packages of one layer never import
#: each other (core and xlsx; adapters, outputs and template).
BASE = ("contract", "errors", "files", "a1", "gc_pause", "render")
LAYERS: tuple[tuple[str, ...], ...] = (
    BASE,
    ("core", "xlsx"),
    ("adapters", "outputs", "template"),
    ("app",),
    ("cli",),
    ("__init__", "__main__", "excel"),  # the entry points: the facade, python -m, the Refresh button's
)
LEVEL = {name: level for level, names in enumerate(LAYERS) for name in names}
#: What the pure core never imports: files, the clock, and the I/O libraries.
NOT_IN_CORE = {
    "os", "io", "pathlib", "shutil", "tempfile", "zipfile", "subprocess", "socket", "time", "sys",
    "python_calamine", "lxml", "xlwings", "click", "rich", "pandas", "numpy", "icalendar", "openpyxl",
    "xlsxwriter", "concurrent", "multiprocessing",
}
MAX_FLAT_MODULES = 12
MAX_FUNCTION_LINES = 80


def modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package."""
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__" and len(parts) > 1:
            parts.pop()
        out[".".join(parts)] = path
    return out


MODULES = modules()


def imports(path: Path) -> Iterator[tuple[str, list[str], int]]:
    """(imported module, names imported from it, line) for every import in a file."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], node.lineno
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import (write workbook_tools....)"
            yield node.module or "", [a.name for a in node.names], node.lineno


def package_imports(name: str) -> Iterator[tuple[str, int]]:
    """The package's modules that module ``name`` imports (a name imported from a
    package counts as its submodule when it is one)."""
    for module, names, line in imports(MODULES[name]):
        if module != "workbook_tools" and not module.startswith("workbook_tools."):
            continue
        subs = [f"{module}.{n}" for n in names if f"{module}.{n}" in MODULES]
        if subs:
            yield from ((s, line) for s in subs)
        if module in MODULES and len(subs) < len(names) or not names:
            yield module, line


def package_of(name: str) -> str:
    """The top-level piece of the package a module belongs to: "core", "a1", "__init__"..."""
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def level(name: str) -> int:
    return LEVEL[package_of(name)]


def test_every_module_has_a_layer() -> None:
    assert {package_of(m) for m in MODULES} <= set(LEVEL)


def test_layers_import_only_downwards_and_never_sideways() -> None:
    wrong = []
    for name in MODULES:
        for target, line in package_imports(name):
            mine, theirs = package_of(name), package_of(target)
            if target == "workbook_tools" or mine == theirs or level(target) < level(name) or (
                    mine in BASE and theirs in BASE):
                continue
            wrong.append(f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {name} imports {target}")
    assert wrong == []


def test_there_is_no_import_cycle() -> None:
    graph = {name: {t for t, _ in package_imports(name) if t in MODULES and t != name} for name in MODULES}
    graph["workbook_tools"] = set()  # the facade re-exports lazily; everything may import its errors
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(" -> ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_core_imports_no_io_library_and_reads_no_clock() -> None:
    found = []
    for name, path in MODULES.items():
        if package_of(name) != "core":
            continue
        for module, _, line in imports(path):
            if module.split(".")[0] in NOT_IN_CORE:
                found.append(f"{name}:{line}: imports {module}")
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
                found.append(f"{name}:{node.lineno}: open()")
            if isinstance(node, ast.Attribute) and node.attr in ("today", "now", "utcnow"):
                found.append(f"{name}:{node.lineno}: .{node.attr}")
    assert found == []


def test_few_modules_sit_at_the_top() -> None:
    flat = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(flat) <= MAX_FLAT_MODULES, flat


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_function_is_long(name: str) -> None:
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    long = [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(tree)
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert long == []


def test_no_private_name_is_imported_from_another_module() -> None:
    private = [f"{name}:{line}: {module}.{n}" for name in MODULES for module, names, line in imports(MODULES[name])
               if module.startswith("workbook_tools") for n in names if n.startswith("_")]
    assert private == []
