"""The release workflow (it runs only on GitHub's Windows and macOS machines): it must pass
actionlint, and each platform's job must build from the one spec and run the self-test."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "release.yml"
# installed with the dev dependencies, beside this interpreter
ACTIONLINT = shutil.which("actionlint", path=str(Path(sys.executable).parent)) or shutil.which(
    "actionlint"
)


@pytest.mark.skipif(ACTIONLINT is None, reason="actionlint is a dev dependency")
def test_actionlint_finds_nothing():
    proc = subprocess.run(
        [str(ACTIONLINT), "-no-color", str(WORKFLOW)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def steps_text(job: dict) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])


def test_each_platform_builds_from_the_spec_and_runs_the_self_test():
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    assert {"linux", "windows", "macos", "publish"} <= set(jobs)
    assert "windows" in jobs["windows"]["runs-on"] and "macos" in jobs["macos"]["runs-on"]
    makefile = (ROOT / "Makefile").read_text()
    package = makefile[makefile.index("package:") : makefile.index("smoke:")]
    assert "self-test" in package and "check_analysis.py" in package
    for name in ("linux", "windows", "macos"):
        text = steps_text(jobs[name])
        if "make package" in text:  # the Makefile's target runs the check and the self-test
            text += package
        assert "self-test" in text, name
        assert "packaging/explorer.spec" in text or "make package" in text, name
        assert "check_analysis.py" in text or "make package" in text, name
    windows = steps_text(jobs["windows"])
    assert "iscc" in windows and "unins000.exe" in windows and "Start Menu" in windows
    macos = steps_text(jobs["macos"])
    assert "sign_and_package.sh" in macos and "hdiutil attach" in macos
    sign = (ROOT / "packaging" / "macos" / "sign_and_package.sh").read_text()
    assert "notarytool submit" in sign and "stapler staple" in sign and "hdiutil create" in sign
    assert set(jobs["publish"]["needs"]) == {"linux", "windows", "macos"}


def test_the_installer_script_has_a_start_menu_entry_and_an_uninstaller():
    iss = (ROOT / "packaging" / "windows" / "explorer.iss").read_text()
    assert "{group}\\Explorer" in iss and "{uninstallexe}" in iss
    assert 'Source: "..\\..\\dist\\explorer\\*"' in iss
