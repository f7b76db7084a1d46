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
