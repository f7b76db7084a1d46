"""Smoke test of the built Linux app (`make package` runs it): runs from the host with any
Python 3 (standard library only); the app itself needs none.

1. `explorer self-test` as it is;
2. inside a network namespace with no interfaces but a down loopback (`unshare -rn`), and
   under strace: not one network socket is opened;
3. from a read-only mount of the app folder (`unshare -rm`): bundled data is read, never
   written, and the user's work goes to the per-user folder;
4. no network library in the bundle;
5. time from start to the first painted window: warm (median of 7) and cold (the page
   cache dropped first, when this machine allows it).

    python3 packaging/smoke.py [dist/explorer]
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = Path(sys.argv[1] if len(sys.argv) > 1 else "dist/explorer").resolve()
EXE = APP / "explorer"
ENV = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "EXPLORER_HOME")}
failures: list[str] = []


def step(name: str, ok: bool, detail: str) -> None:
    print(f"{'ok  ' if ok else 'FAIL'} {name}: {detail}", flush=True)
    if not ok:
        failures.append(name)


def self_test(prefix: list[str], exe: Path = EXE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*prefix, str(exe), "self-test"], capture_output=True, text=True, env=ENV, timeout=300
    )


def summary(proc: subprocess.CompletedProcess[str]) -> str:
    last = (proc.stdout.strip().splitlines() or ["(no output)"])[-1]
    return last + ("" if proc.returncode == 0 else "\n" + proc.stdout + proc.stderr)


def plain() -> None:
    proc = self_test([])
    step("self-test", proc.returncode == 0, summary(proc))


def offline() -> None:
    if shutil.which("unshare") is None:
        step("no network namespace", False, "unshare is not installed")
        return
    links = subprocess.run(
        ["unshare", "-rn", "cat", "/proc/net/dev"], capture_output=True, text=True
    ).stdout
    names = sorted(re.findall(r"^\s*(\w+):", links, re.M))
    proc = self_test(["unshare", "-rn"])
    step(
        "self-test with no network (unshare -rn)",
        proc.returncode == 0 and names == ["lo"],
        f"interfaces inside: {names}; {summary(proc)}",
    )
    if shutil.which("strace") is None:
        print("skip strace: not installed (apt-get install strace)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "trace"
        proc = self_test(["strace", "-f", "-qq", "-e", "trace=socket,connect", "-o", str(log)])
        calls = log.read_text().splitlines()
    net = [c for c in calls if re.search(r"AF_INET6?\b|AF_PACKET|AF_NETLINK", c)]
    local = [c for c in calls if "AF_UNIX" in c or "AF_LOCAL" in c]
    step(
        "no network socket opened (strace)",
        proc.returncode == 0 and not net,
        f"{len(net)} network socket calls, {len(local)} local (AF_UNIX) ones"
        + ("".join(f"\n    {c}" for c in net[:5])),
    )


def read_only() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        mount = Path(tmp) / "app"
        mount.mkdir()
        script = (
            f"mount --bind {APP} {mount} && mount -o remount,bind,ro {mount} && "
            f"touch {mount}/probe 2>/dev/null && echo WRITABLE; {mount}/explorer self-test"
        )
        proc = subprocess.run(
            ["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, env=ENV
        )
    writable = "WRITABLE" in proc.stdout
    step(
        "self-test from a read-only install location",
        proc.returncode == 0 and not writable,
        ("the mount was writable! " if writable else "mounted read-only; ") + summary(proc),
    )


def contents() -> None:
    network = sorted(
        str(p.relative_to(APP)) for p in APP.rglob("*") if re.search(r"Network|QtNetwork", p.name)
    )
    step("no network library bundled", not network, ", ".join(network) or "none")


def start_times() -> None:
    def once() -> float:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [str(EXE), "self-test", "--startup"], stdout=subprocess.PIPE, text=True, env=ENV
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        elapsed = time.perf_counter() - t
        proc.wait(timeout=60)
        if "painted" not in line:
            raise RuntimeError("the window did not paint")
        return elapsed * 1000

    cold = None
    try:
        subprocess.run(["sync"], check=True)
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        cold = once()
    except OSError:
        pass
    warm = sorted(once() for _ in range(7))
    text = f"warm median {statistics.median(warm):.0f} ms ({warm[0]:.0f}–{warm[-1]:.0f})"
    text += f", cold {cold:.0f} ms" if cold is not None else ", cold not measured (no rights)"
    worst = cold if cold is not None else statistics.median(warm)
    step("start to first painted window (budget 1500 ms)", worst <= 1500, text)


def main() -> int:
    if not EXE.is_file():
        print(f"no app at {EXE}: run `make package` first", file=sys.stderr)
        return 2
    print(f"smoke test of {APP}", flush=True)
    for check in (plain, offline, read_only, contents, start_times):
        try:
            check()
        except Exception as exc:  # one broken step must not hide the others
            step(check.__name__, False, f"{type(exc).__name__}: {exc}")
    print("smoke test " + ("FAILED: " + ", ".join(failures) if failures else "passed"))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
