"""The packaging's own parts, from source: the self-test the built app runs, the ICU data
cut, the placeholder for QtOpenGL, and the check that the bundle has every module the app
imports at run time (PyInstaller's Analysis alone, no build)."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGING = ROOT / "packaging"


def load(name: str):
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_explorer(*args: str, env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_self_test_passes_and_leaves_no_trace(tmp_path):
    proc = run_explorer("self-test", "--out", str(tmp_path / "shots"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    checks = [line for line in lines if line.startswith(("ok ", "FAIL"))]
    assert len(checks) == 8 and all(c.startswith("ok ") for c in checks)
    assert "Traceback" not in proc.stderr
    shots = sorted(p.name for p in (tmp_path / "shots").iterdir())
    assert shots == ["selftest-entity-pane.png", "selftest-window-ko.png"]
    home = next(line for line in lines if "user folder" in line).rsplit(" ", 1)[1]
    assert not Path(home).exists()  # the temporary user folder is gone, notes with it


def test_self_test_reports_a_broken_dataset_and_fails(tmp_path):
    bad = tmp_path / "broken.db"
    bad.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    proc = run_explorer("self-test", "--db", str(bad))
    assert proc.returncode == 1
    assert "FAIL open the bundled dataset" in proc.stdout
    assert "self-test FAILED" in proc.stdout and "Traceback" not in proc.stdout + proc.stderr


def test_the_qtopengl_placeholder_says_why_it_is_missing():
    hook = PACKAGING / "rthook_qtopengl.py"
    code = f"""
import sys
sys.modules.pop("PySide6.QtOpenGL", None)
exec(open({str(hook)!r}).read())
import importlib
mod = importlib.import_module("PySide6.QtOpenGL")
try:
    mod.QOpenGLBuffer
except AttributeError as exc:
    print(exc)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert "OpenGL drawing is not part of this build" in out.stdout, out.stderr


# --- ICU data ------------------------------------------------------------------------------


def icu_library() -> Path:
    import PySide6

    found = sorted((Path(PySide6.__file__).parent / "Qt" / "lib").glob("libicudata.so.*"))
    if not found:
        pytest.skip("this Qt has no ICU data library (not Linux)")
    return found[0]


def test_icu_package_round_trips_and_the_cut_keeps_what_qt_uses():
    slim_icu = load("slim_icu")
    lib = icu_library()
    _symbol, offset, size = slim_icu._data_symbol(lib)
    data = lib.read_bytes()[offset : offset + size]
    header, prefix, items = slim_icu.read_package(data)
    assert prefix.startswith("icudt") and len(items) > 1000
    assert slim_icu.write_package(header, items) == data  # the writer is exact
    kept = {n.split("/", 1)[1] for n, _ in items if slim_icu.wanted(n.split("/", 1)[1])}
    for needed in ("coll/root.res", "coll/ko.res", "coll/ucadata.icu", "nfkc.nrm", "ko.res"):
        assert needed in kept
    for dropped in ("brkitr/cjdict.dict", "coll/de.res", "zone/ko.res", "gb18030.cnv"):
        assert dropped not in kept


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a C compiler")
def test_qt_sorts_the_same_with_the_cut_icu_data(tmp_path):
    slim_icu = load("slim_icu")
    slim, kept, found = slim_icu.slim(icu_library(), tmp_path)
    assert slim.stat().st_size < 6_000_000 and kept < found
    code = """
from PySide6.QtCore import QCollator, QLocale
words = ["나무", "가방", "Zebra", "apple", "Äpfel", "中国", "北京", "banana", "éclair"]
for loc in ("ko_KR", "zh_CN", "en_US", "de_DE"):
    print(loc, sorted(words, key=QCollator(QLocale(loc)).sortKey))
"""

    def sorted_with(preload: str | None) -> str:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
        if preload:
            env["LD_PRELOAD"] = preload
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
        assert out.returncode == 0 and "Could not create collator" not in out.stderr, out.stderr
        return out.stdout

    assert sorted_with(str(slim)) == sorted_with(None)


# --- the bundle's analysis -----------------------------------------------------------------


def test_extension_names_and_what_counts_as_missing():
    check = load("check_analysis")
    assert check.extension_name("python3.11/lib-dynload/_csv.cpython-311-x86_64-linux-gnu.so") == (
        "_csv"
    )
    assert check.extension_name(
        "numpy/_core/_multiarray_umath.cpython-311-x86_64-linux-gnu.so"
    ) == ("numpy._core._multiarray_umath")
    assert check.extension_name("PySide6/QtCore.abi3.so") == "PySide6.QtCore"
    runtime = {"explorer.cli", "markdown_it", "re._parser", "sys", "PySide6.QtOpenGL"}
    assert check.missing(runtime, {"explorer.cli"}) == ["markdown_it"]


@pytest.mark.skipif(importlib.util.find_spec("PyInstaller") is None, reason="no PyInstaller")
def test_the_bundle_has_every_module_the_app_imports():
    proc = subprocess.run(
        [sys.executable, str(PACKAGING / "check_analysis.py")],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "every module the app imports is in the bundle" in proc.stdout
