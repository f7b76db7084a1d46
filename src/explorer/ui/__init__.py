"""The Qt layer: the only place PySide6 and pyqtgraph are imported.

What the window needs of the layers below is imported here, before PySide6: once PySide6
is imported it reads the source of every module imported after it (to see whether that
module asks for its optional Python features), which cost a window's start about 0.2 s.
"""

import numpy  # noqa: F401

import explorer.model.exports
import explorer.model.session
import explorer.model.viewport
import explorer.model.workspace  # noqa: F401
