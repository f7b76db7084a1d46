"""A short run of the crash test (bench/crash_notes.py runs it 200 times): notes reported as
saved survive SIGKILL at random moments, whole, in a file that passes integrity_check."""

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "crash_notes.py"


@pytest.mark.slow
def test_notes_survive_sigkill(tmp_path):
    spec = importlib.util.spec_from_file_location("crash_notes", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_notes"] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    r = module.run(kills=12, seed=7, folder=tmp_path)
    assert r.integrity == "ok"
    assert r.reported > 20, "the writer should have saved notes between kills"
    assert r.missing == 0 and r.torn == 0
    assert r.found >= r.reported
