"""Colours of the linked views: entity kinds (network nodes) and roles (lifeline marks)."""

from __future__ import annotations

from PySide6.QtGui import QColor

#: One colour per entity kind, readable on light and dark backgrounds.
KINDS = {
    "person": "#d1603d",
    "organization": "#3b7dd8",
    "place": "#2f9e6e",
    "program": "#9b59b6",
    "product": "#d4a017",
    "event_series": "#7f8c8d",
}
#: Roles by colour, in the order the project names them (a qualitative palette).
ROLES = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
)


def kind_colour(kind: str, dark: bool = False) -> QColor:
    colour = QColor(KINDS.get(kind, "#7f8c8d"))
    return colour.lighter(125) if dark else colour


def role_colour(index: int, dark: bool = False) -> QColor:
    colour = QColor(ROLES[index % len(ROLES)])
    return colour.lighter(125) if dark else colour
