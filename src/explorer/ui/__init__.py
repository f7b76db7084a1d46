"""The Qt layer: the only place PySide6 and pyqtgraph are imported (the window comes in the
next step; until then `explorer` without a command prints help)."""
