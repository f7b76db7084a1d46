"""Pack dist/explorer into dist/explorer-VERSION-linux-x86_64.tar.xz, reproducibly (sorted
names, fixed times and owners), with a desktop entry and the icon beside the executable,
and print the sizes the budgets are about: unpacked, archive, and the largest parts.

    python packaging/archive.py
"""

from __future__ import annotations

import os
import platform
import shutil
import sys
import tarfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from explorer import __version__  # noqa: E402

DIST = ROOT / "dist"
APP = DIST / "explorer"
EPOCH = int(os.environ.get("SOURCE_DATE_EPOCH", "1767225600"))  # 2026-01-01


def _reset(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mtime = EPOCH
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def main() -> int:
    if not (APP / "explorer").is_file():
        print("dist/explorer/explorer is missing: run PyInstaller first", file=sys.stderr)
        return 1
    shutil.copy(ROOT / "packaging" / "linux" / "explorer.desktop", APP / "explorer.desktop")
    shutil.copy(ROOT / "resources" / "icons" / "explorer-256.png", APP / "explorer.png")
    machine = platform.machine().lower()
    out = DIST / f"explorer-{__version__}-linux-{machine}.tar.xz"
    files = sorted(p for p in APP.rglob("*"))
    with tarfile.open(out, "w:xz", preset=9) as tar:
        tar.add(APP, arcname="explorer", recursive=False, filter=_reset)
        for path in files:
            tar.add(
                path, arcname=f"explorer/{path.relative_to(APP)}", recursive=False, filter=_reset
            )
    unpacked = sum(p.stat().st_size for p in files if p.is_file() and not p.is_symlink())
    print(f"unpacked: {unpacked / 1e6:.1f} MB in {len(files)} files (budget 150 MB)")
    print(f"archive:  {out.stat().st_size / 1e6:.1f} MB {out.relative_to(ROOT)} (budget 60 MB)")
    parts: dict[str, int] = {}
    internal = APP / "_internal"
    for p in files:
        if p.is_file() and not p.is_symlink():
            rel = p.relative_to(internal if internal in p.parents else APP)
            key = str(rel) if p.stat().st_size > 2_000_000 else str(rel.parts[0])
            parts[key] = parts.get(key, 0) + p.stat().st_size
    print("largest parts:")
    for name, size in sorted(parts.items(), key=lambda kv: -kv[1])[:12]:
        print(f"  {size / 1e6:6.1f} MB  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
