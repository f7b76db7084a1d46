"""store/ and model/ never import Qt or pyqtgraph: they import in a process where Qt is
made unimportable."""

import pkgutil
import subprocess
import sys

import explorer.model
import explorer.store

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


def test_store_and_model_import_without_qt():
    names = [*_modules(explorer.store), *_modules(explorer.model), "explorer.cli"]
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, *names], capture_output=True, text=True, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == f"imported {len(names)}"
