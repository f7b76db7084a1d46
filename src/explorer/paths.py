"""Where things are: bundled resources (from source or a PyInstaller bundle), the per-user
data folder, the default database. Everything can be overridden so tests never touch a real
user's data: `--db` / EXPLORER_DB for the database, EXPLORER_HOME for the user folder."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "Explorer"


def bundle_root() -> Path:
    """The folder holding `data/` and `resources/`: the PyInstaller bundle when frozen,
    otherwise the source checkout."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parents[2]


def resources_dir() -> Path:
    return bundle_root() / "resources"


def bundled_db() -> Path:
    return bundle_root() / "data" / "explorer.db"


def curated_dir() -> Path:
    return bundle_root() / "data" / "curated"


def default_seeds_dir() -> Path:
    """The shared article texts, beside the checkout (only developers and CI have them)."""
    return bundle_root().parent / "shared" / "seeds"


def user_data_dir() -> Path:
    home = os.environ.get("EXPLORER_HOME")
    if home:
        return Path(home)
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db() -> Path:
    env = os.environ.get("EXPLORER_DB")
    return Path(env) if env else bundled_db()


def work_file(project_key: str) -> Path:
    """The user's work file (notes, tags, own events) for one project."""
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in project_key)[:80] or "default"
    return user_data_dir() / "work" / f"{safe}.db"
