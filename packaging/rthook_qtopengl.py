"""Runtime hook of the frozen app: PySide6.QtOpenGL (9 MB of bindings) is left out of the
bundle, because nothing draws with OpenGL: the timeline is painted with QPainter. pyqtgraph
imports the module by name when it loads, without using it unless OpenGL drawing is turned
on, so a placeholder stands in; using any of its names says why it is missing."""

import sys
import types


class _NotBundled(types.ModuleType):
    def __getattr__(self, name: str) -> object:
        if name.startswith("__"):
            raise AttributeError(name)
        raise AttributeError(
            f"PySide6.QtOpenGL.{name}: OpenGL drawing is not part of this build of Explorer"
        )


sys.modules.setdefault("PySide6.QtOpenGL", _NotBundled("PySide6.QtOpenGL"))
