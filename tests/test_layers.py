"""The shape of the code: store, exchange, dataset and model never import Qt (they import
in a process where Qt is made unimportable); no import cycle anywhere in src/; no module
over ~600 lines."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import grimp

import explorer
import explorer.dataset
import explorer.exchange
import explorer.model
import explorer.store

#: Lines a module may have: beyond, it is doing more than one thing.
MAX_LINES = 600

SCRIPT = """
import importlib, sys
class Block:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "PyQt5", "PyQt6"):
            raise ImportError("Qt is not allowed here: " + name)
        return None
sys.meta_path.insert(0, Block())
for name in sys.argv[1:]:
    importlib.import_module(name)
bad = [m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph")]
assert not bad, bad
print("imported", len(sys.argv) - 1)
"""


def _modules(package):
    yield package.__name__
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        yield info.name


def test_store_exchange_dataset_and_model_import_without_qt():
    names = [
        *_modules(explorer.store),
        *_modules(explorer.exchange),
        *_modules(explorer.dataset),
        *_modules(explorer.model),
        "explorer.cli",
    ]
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, *names], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"imported {len(names)}"


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The groups of modules that import each other, directly or not (Tarjan)."""
    modules = sorted(graph.modules)
    edges = {m: sorted(graph.find_modules_directly_imported_by(m)) for m in modules}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for m in modules:
        if m not in index:
            visit(m)
    return found


def test_no_import_cycles_anywhere():
    graph = grimp.build_graph("explorer", exclude_type_checking_imports=True)
    assert _cycles(graph) == []


def test_a_cycle_would_be_found():
    graph = grimp.ImportGraph()
    for a, b in (("x.a", "x.b"), ("x.b", "x.c"), ("x.c", "x.a"), ("x.c", "x.d")):
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph) == [["x.a", "x.b", "x.c"]]


def test_no_module_is_over_600_lines():
    root = Path(explorer.__file__).parent
    sizes = {
        str(p.relative_to(root)): len(p.read_text("utf-8").splitlines()) for p in root.rglob("*.py")
    }
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
