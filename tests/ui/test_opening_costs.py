"""What opening a project costs: what is alive once it is open is kept out of the garbage
collector's full passes (what a project opened before left as garbage is still collected),
and the layers below the window are imported before Qt."""

import gc
import weakref

from explorer.ui.opening import keep_out_of_full_collections


class Node:
    def __init__(self) -> None:
        self.me = self  # a cycle: only the collector frees it


def test_what_is_alive_is_kept_out_and_the_garbage_before_is_collected():
    try:
        kept = Node()
        keep_out_of_full_collections()
        assert gc.get_freeze_count() > 0
        assert not any(o is kept for g in range(3) for o in gc.get_objects(generation=g))
        gone = weakref.ref(kept)
        del kept  # garbage now, in a cycle, but kept out of collections
        gc.collect()
        assert gone() is not None
        keep_out_of_full_collections()  # the next project opened: let back in, collected
        assert gone() is None
    finally:
        gc.unfreeze()


def test_the_layers_below_are_imported_before_qt():
    """PySide6 reads the source of each module imported after it; the window's start
    imports the layers below first (a fresh interpreter shows the order)."""
    import subprocess
    import sys

    code = (
        "import sys, explorer.ui\n"
        "print('PySide6' in sys.modules, 'explorer.model.workspace' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_a_large_project_is_kept_out_a_small_one_after_the_first_not(
    tmp_path, monkeypatch, mini_db
):
    from explorer.model.session import Session
    from explorer.ui import opening
    from explorer.ui.i18n import Translator

    calls = []
    monkeypatch.setattr(opening, "keep_out_of_full_collections", lambda: calls.append(1))
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1)  # not the first opening here
    monkeypatch.setenv("EXPLORER_HOME", str(tmp_path / "home"))
    from explorer.dataset.demo import generate

    big = tmp_path / "big.db"
    generate(big, opening.FREEZE_FROM, seed=3)
    for path, want in ((big, [1]), (mini_db, [])):
        calls.clear()
        opened = opening.open_workspace(
            Session.open(path), tmp_path / f"{path.stem}.work", "", Translator("en"), "category"
        )
        assert calls == want
        opened.ws.close()
        opened.lock.unlock()


def test_the_first_project_opened_is_kept_out_whatever_its_size(monkeypatch, mini_db, tmp_path):
    from explorer.model.session import Session
    from explorer.ui import opening
    from explorer.ui.i18n import Translator

    calls = []
    monkeypatch.setattr(opening, "keep_out_of_full_collections", lambda: calls.append(1))
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 0)  # the first opening here
    opened = opening.open_workspace(
        Session.open(mini_db), tmp_path / "w.work", "", Translator("en"), "category"
    )
    assert calls == [1]
    opened.ws.close()
    opened.lock.unlock()
