"""Would the bundle miss a module the app imports at run time?

PyInstaller finds imports by reading the code; modules imported by name at run time
(`importlib.import_module(f"{QT_LIB}.QtOpenGL")` in pyqtgraph, plugins, lazy imports behind
a string) are invisible to it, and a bundle without them fails only when a user reaches
that code. This runs the app's own paths from source (the self-test: window, entity pane,
search, notes; the CLI's commands) and records every module they import, then runs
PyInstaller's Analysis alone (no build) on packaging/explorer.spec and fails, naming them,
if any recorded module is not in the bundle.

    python packaging/check_analysis.py            # exit 1 and a list when something is missing
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Left out on purpose: a placeholder stands in for QtOpenGL (packaging/rthook_qtopengl.py);
#: pyqtgraph uses QtTest only if it is there; hashlib has its own sha256 without OpenSSL.
#: PySide6.support is PySide6's own helpers: its PyInstaller hook leaves them out and the
#: frozen app runs without them (the self-test passes in the bundle).
NOT_BUNDLED = {
    "PySide6.QtOpenGL",
    "PySide6.QtTest",
    "_hashlib",
    "PySide6.support",
    "PySide6.support.deprecated",
}

RECORD = r"""
import sys
startup = set(sys.modules)  # the interpreter's own start (site, encodings): not the app's
import json, os, tempfile
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from explorer.ui import selftest
code = selftest.run()
from explorer.cli import main
with tempfile.TemporaryDirectory() as tmp:
    for argv in (["check"], ["search", "바이두"], ["show", "entity", "ent-baidu"],
                 ["conflicts"], ["export", "--format", "json", "--out", tmp + "/x.json"],
                 ["export", "--format", "csv", "--out", tmp + "/csv"],
                 ["notes", "list"],
                 ["demo-data", "--events", "300", "--out", tmp + "/demo.db"]):
        code |= main(argv)
modules = {}
for name, mod in list(sys.modules.items()):
    spec = getattr(mod, "__spec__", None)
    origin = getattr(spec, "origin", None)
    # only modules loaded from a file: not built-in, frozen, or made in memory by a package
    if name not in startup and origin and os.path.isfile(origin):
        modules[name] = origin
json.dump({"code": code, "modules": modules}, open(sys.argv[1], "w"))
"""


def runtime_modules(out: Path) -> set[str]:
    env = dict(os.environ, EXPLORER_HOME=str(out.parent / "home"))
    proc = subprocess.run(
        [sys.executable, "-c", RECORD, str(out)],
        env=env,
        cwd=out.parent,
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"running the app from source failed:\n{proc.stdout}\n{proc.stderr}")
    found = json.loads(out.read_text())
    if found["code"] != 0:
        raise SystemExit(f"a command failed while recording imports:\n{proc.stdout}")
    return set(found["modules"])


def bundled_modules(out: Path, work: Path) -> set[str]:
    env = dict(os.environ, EXPLORER_ANALYSIS_ONLY=str(out))
    proc = subprocess.run(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
            "--workpath", str(work), "--distpath", str(work / "dist"),
            str(ROOT / "packaging" / "explorer.spec"),
        ],
        env=env,
        capture_output=True,
        text=True,
    )  # fmt: skip
    if proc.returncode != 0 or not out.exists():
        raise SystemExit(f"PyInstaller's analysis failed:\n{proc.stdout}\n{proc.stderr}")
    found = json.loads(out.read_text())
    return set(found["modules"]) | {extension_name(e) for e in found["extensions"]}


def extension_name(dest: str) -> str:
    """`numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so` -> the module name."""
    path = dest.replace("\\", "/")
    for prefix in ("python3.11/lib-dynload/", "lib-dynload/"):
        path = path.removeprefix(prefix)
    folder, _, file = path.rpartition("/")
    name = file.split(".", 1)[0]
    return f"{folder.replace('/', '.')}.{name}" if folder else name


def missing(runtime: set[str], bundled: set[str]) -> list[str]:
    """Runtime modules the bundle lacks. Built into the interpreter, or in the standard
    library's part that PyInstaller always bundles (base_library.zip), they never are."""
    from PyInstaller.compat import PY3_BASE_MODULES

    builtin = set(sys.builtin_module_names)
    return sorted(
        m
        for m in runtime
        if m not in bundled | builtin | NOT_BUNDLED and m.split(".")[0] not in PY3_BASE_MODULES
    )


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="explorer-analysis-") as tmp:
        work = Path(tmp)
        runtime = runtime_modules(work / "runtime.json")
        bundled = bundled_modules(work / "analysis.json", work / "build")
    gone = missing(runtime, bundled)
    print(f"{len(runtime)} modules imported at run time; {len(bundled)} in the analysis")
    if gone:
        print("missing from the bundle (add them to hiddenimports in packaging/explorer.spec):")
        for name in gone:
            print(f"  {name}")
        return 1
    print("every module the app imports is in the bundle")
    return 0


if __name__ == "__main__":
    sys.exit(main())
