"""SVG pictures that look the same everywhere: Qt's SVG generator writes text as <text>
naming the fonts the app has (its bundled CJK font among them), which another machine, a
browser or Inkscape substitutes. Here every <text> becomes the outline of its glyphs
(<path>), drawn with the very fonts the window drew with, so the picture needs no font."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from PySide6.QtCore import QPointF
from PySide6.QtGui import QFont, QPainterPath

SVG = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
_WEIGHTS = {"bold": 700, "normal": 400}
#: What the text's look keeps, copied to its path (the rest are font attributes).
_PAINT = ("fill", "fill-opacity", "fill-rule", "opacity", "transform")


def _number(value: str | None, default: float) -> float:
    try:
        return float(re.sub(r"[a-z%]+$", "", value or ""))
    except ValueError:
        return default


def _font(attrs: dict[str, str]) -> QFont:
    """The QFont a <text> (with the attributes it inherits) was drawn with."""
    font = QFont()
    families = [f.strip().strip("'\"") for f in attrs.get("font-family", "").split(",")]
    if any(families):
        font.setFamilies([f for f in families if f])
    font.setPixelSize(max(1, round(_number(attrs.get("font-size"), 12.0))))
    weight = attrs.get("font-weight", "400")
    font.setWeight(QFont.Weight(int(_WEIGHTS.get(weight, _number(weight, 400)))))
    font.setItalic(attrs.get("font-style", "normal") in ("italic", "oblique"))
    return font


def path_data(path: QPainterPath) -> str:
    """A QPainterPath as SVG path data (moves, lines and cubic curves)."""
    out: list[str] = []
    i, n = 0, path.elementCount()
    while i < n:
        e = path.elementAt(i)
        if e.isMoveTo():
            out.append(f"M{e.x:.2f} {e.y:.2f}")
        elif e.isLineTo():
            out.append(f"L{e.x:.2f} {e.y:.2f}")
        elif e.isCurveTo() and i + 2 < n:
            c2, end = path.elementAt(i + 1), path.elementAt(i + 2)
            out.append(f"C{e.x:.2f} {e.y:.2f} {c2.x:.2f} {c2.y:.2f} {end.x:.2f} {end.y:.2f}")
            i += 2
        i += 1
    return "".join(out)


def _convert(element: ET.Element, inherited: dict[str, str]) -> None:
    attrs = {**inherited, **{k: v for k, v in element.attrib.items() if k.startswith("font")}}
    for key in [k for k in element.attrib if k.startswith("font")]:
        del element.attrib[key]  # no text is left to need them
    for index, child in enumerate(list(element)):
        if child.tag != f"{{{SVG}}}text":
            _convert(child, attrs)
            continue
        own = {**attrs, **child.attrib}
        text = "".join(child.itertext())
        path = QPainterPath()
        if text.strip():
            x, y = _number(own.get("x"), 0.0), _number(own.get("y"), 0.0)
            path.addText(QPointF(x, y), _font(own), text)
        replacement = ET.Element(f"{{{SVG}}}path", {"d": path_data(path) or "M0 0"})
        for key in _PAINT:
            if key in child.attrib:
                replacement.set(key, child.attrib[key])
        replacement.set("stroke", "none")
        if text.strip():  # the words stay findable and readable to assistive tools
            ET.SubElement(replacement, f"{{{SVG}}}title").text = text
        replacement.tail = child.tail
        element.remove(child)
        element.insert(index, replacement)


def text_to_paths(svg: bytes) -> bytes:
    """The SVG with every <text> turned into the outlines of its glyphs."""
    root = ET.fromstring(svg)
    _convert(root, {})
    body: bytes = ET.tostring(root, encoding="utf-8").split(b"?>", 1)[-1].lstrip()
    return b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n' + body


def physical_size(svg: bytes, size: object, dpi: int) -> bytes:
    """Say the picture's size in millimetres at the chosen resolution (`size` in pixels)."""
    w, h = size.width(), size.height()  # type: ignore[attr-defined]
    mm = 25.4 / max(1, dpi)
    head, sep, rest = svg.partition(b"<svg")
    if not sep:
        return svg
    tag, close, body = rest.partition(b">")
    tag = re.sub(rb'\swidth="[^"]*"', f' width="{w * mm:.3f}mm"'.encode(), tag, count=1)
    tag = re.sub(rb'\sheight="[^"]*"', f' height="{h * mm:.3f}mm"'.encode(), tag, count=1)
    return head + sep + tag + close + body


def _rect(tag: str, ident: str, r: tuple[float, float, float, float]) -> ET.Element:
    clip = ET.Element(f"{{{SVG}}}{tag}", {"id": ident})
    x, y, w, h = (f"{v:.3f}" for v in r)
    ET.SubElement(clip, f"{{{SVG}}}rect", {"x": x, "y": y, "width": w, "height": h})
    return clip


def clipped(
    base: bytes,
    plot: bytes,
    plot_rect: tuple[float, float, float, float],
    picture: tuple[float, float, float, float],
) -> bytes:
    """One SVG from `base` (the picture without the plot's contents) and `plot` (the plot's
    contents alone, drawn in the same coordinates): the plot clipped to `plot_rect`, and the
    whole to `picture` (the viewBox). Qt's SVG generator ignores a painter's clipping, so
    what the window hides past the plot's edges would otherwise show, beyond the axes and
    beyond the picture's edges."""
    root = ET.fromstring(base)
    extra = ET.fromstring(plot)
    _own_ids(extra, "plot-")
    defs = ET.SubElement(root, f"{{{SVG}}}defs")
    defs.append(_rect("clipPath", "explorer-plot", plot_rect))
    defs.append(_rect("clipPath", "explorer-picture", picture))
    whole = ET.Element(f"{{{SVG}}}g", {"clip-path": "url(#explorer-picture)"})
    inside = ET.SubElement(whole, f"{{{SVG}}}g", {"clip-path": "url(#explorer-plot)"})
    meta = {f"{{{SVG}}}{t}" for t in ("title", "desc", "defs")}
    for child in list(extra):
        if child.tag in meta:
            if child.tag == f"{{{SVG}}}defs":
                defs.extend(list(child))
            continue
        inside.append(child)
    for child in list(root):
        if child.tag not in meta:
            root.remove(child)
            whole.insert(len(whole) - 1, child)
    root.append(whole)
    return bytes(ET.tostring(root, encoding="utf-8"))


def _own_ids(root: ET.Element, prefix: str) -> None:
    """Give the ids of a document (its gradients) a prefix, and its references to them, so
    that they stay apart from another document's once both are one."""
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    if not ids:
        return
    pattern = re.compile(r"#(" + "|".join(re.escape(str(i)) for i in ids) + r")\b")
    for e in root.iter():
        for key, value in list(e.attrib.items()):
            if key == "id" and value in ids:
                e.set(key, prefix + value)
            elif "#" in value and not value.startswith("data:"):
                e.set(key, pattern.sub(lambda m: "#" + prefix + m.group(1), value))
