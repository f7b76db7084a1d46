"""The network of the time window, drawn with pyqtgraph: entities as nodes (size by their
events in the window, colour by kind, names in the interface language, labels placed so they
do not overlap), edges by shared events (width by how many). A click on a node selects the
entity everywhere; a click on an edge lists the events the two share and highlights them on
the timeline. Tab, Shift+Tab and the arrow keys move from node to node (selecting it, with a
ring as the visible focus)."""

from __future__ import annotations

import contextlib
import html
import math
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QSplitter

from explorer.model import labels
from explorer.model import network as nw
from explorer.model.views_engine import NetworkResult, SharedResult
from explorer.store.errors import StoreError
from explorer.ui.labels_item import LabelsItem
from explorer.ui.placed_view import PlacedView
from explorer.ui.views_style import KINDS, kind_colour

#: Node diameters in pixels, for the weakest and the strongest entity shown.
NODE_MIN, NODE_MAX = 8.0, 34.0
#: A new network is reached in this many steps over this many milliseconds.
ANIMATION_FRAMES, ANIMATION_MS = 8, 200
#: A click this near (px) to an edge picks it.
EDGE_PICK_PX = 6.0


def node_sizes(counts: list[int]) -> list[float]:
    if not counts:
        return []
    top = max(counts)
    return [NODE_MIN + (NODE_MAX - NODE_MIN) * math.sqrt(c / top) for c in counts]


class NetworkView(PlacedView):
    name = "network"
    ring_colour = QColor(230, 120, 0)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.positions: dict[str, nw.Position] = {}  # the layout: the next one's start
        self._drawn: dict[str, nw.Position] = {}  # where the nodes are drawn (moving there)
        self._animate = QTimer(self, interval=ANIMATION_MS // ANIMATION_FRAMES)
        self._animate.timeout.connect(self._frame)
        self._animation: tuple[dict[str, nw.Position], Any, Any] = ({}, None, None)
        self._buckets: list[tuple[pg.PlotCurveItem, list[nw.Edge]]] = []
        self._brushes: list[Any] = []
        self._step = 0
        self.order: list[str] = []  # node ids, strongest first
        self.plot = pg.PlotWidget(background=None)
        self.plot.setObjectName("networkPlot")
        self.plot.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.plot.hideAxis("left")
        self.plot.hideAxis("bottom")
        # no fixed aspect: the layout's distances mean nothing, and stretched to the dock's
        # width its nodes have room for their names
        self.plot.setMenuEnabled(False)
        self.plot.hideButtons()
        vb = self.plot.getViewBox()
        self.edges_items: list[pg.PlotCurveItem] = []
        self.nodes = pg.ScatterPlotItem(pxMode=True, hoverable=True, tip=self._tip)
        self.nodes.setZValue(10)
        vb.addItem(self.nodes)
        self.add_ring(vb)
        self.labels = LabelsItem()
        vb.addItem(self.labels, ignoreBounds=True)
        self.shared = QListWidget()
        self.shared.setObjectName("sharedEvents")
        self.shared.hide()
        self.shared.itemActivated.connect(self._shared_chosen)
        self.shared.itemClicked.connect(self._shared_chosen)
        self.legend = QLabel()  # the kinds' colours
        self.legend.setObjectName("kindsLegend")
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.plot)
        split.addWidget(self.shared)
        split.setStretchFactor(0, 4)
        self.layout_.addWidget(split, 1)
        self.layout_.addWidget(self.legend)
        self.plot.scene().sigMouseClicked.connect(self._clicked)
        self.plot.installEventFilter(self)
        self.service.handlers["shared"] = self._shared_result
        self.shared_result: SharedResult | None = None
        self._pair_generation = 0
        self.retranslate()

    # --- requests and drawing ----------------------------------------------------------

    def extra(self) -> dict[str, Any]:
        prev = tuple((k, x, y) for k, (x, y) in self.positions.items())
        return {"previous": prev}

    @property
    def net(self) -> nw.Network | None:
        result: NetworkResult | None = self.result
        return result.network if result is not None else None

    def draw(self) -> None:
        """Draw the new network, moving from what was drawn: nodes that stay glide to their
        new places, nodes that enter grow where the layout put them, the view follows."""
        net = self.net
        if net is None:
            return
        vb = self.plot.getViewBox()
        for item in self.edges_items:
            vb.removeItem(item)
        self.edges_items = []
        before = dict(self._drawn)
        (bx0, bx1), (by0, by1) = vb.viewRange()
        self.positions = dict(net.positions)
        self.order = [n.id for n in net.nodes]
        dark = self.palette().window().color().lightness() < 128
        # many edges: each fainter, so that the picture stays readable
        alpha = max(35, min(110, int(110 * math.sqrt(120 / max(1, len(net.edges))))))
        edge_colour = QColor(200, 200, 210, alpha) if dark else QColor(90, 90, 110, alpha)
        self._buckets = []
        if net.edges:
            top = max(e.weight for e in net.edges)
            by_width: dict[int, list[nw.Edge]] = {}
            for e in net.edges:
                by_width.setdefault(1 + round(4 * math.sqrt(e.weight / top)), []).append(e)
            for width, edges in sorted(by_width.items()):
                item = pg.PlotCurveItem(connect="pairs", pen=pg.mkPen(edge_colour, width=width))
                vb.addItem(item)
                self.edges_items.append(item)
                self._buckets.append((item, edges))
        self._brushes = [pg.mkBrush(kind_colour(n.kind, dark)) for n in net.nodes]
        self._pen = pg.mkPen(QColor(255, 255, 255, 200) if not dark else QColor(30, 30, 30))
        kinds = sorted(
            {n.kind for n in net.nodes}, key=lambda k: list(KINDS).index(k) if k in KINDS else 99
        )
        self.legend.setText(
            "&nbsp;&nbsp; ".join(
                f'<span style="color:{kind_colour(k, dark).name()}">●</span> '
                f"{html.escape(self.t.kind(k))}"
                for k in kinds
            )
        )
        target = self._fitted_range()
        start = ((bx0, bx1), (by0, by1)) if before else target
        self._animation = (before, start, target)
        self._step = 0
        self._frame()
        if before and ANIMATION_FRAMES > 1:
            self._animate.start()

    @property
    def moving(self) -> bool:
        """Whether the nodes are still gliding to the new layout."""
        return self._animate.isActive()

    def _fitted_range(self) -> tuple[tuple[float, float], tuple[float, float]]:
        pos = self.positions
        if not pos:
            return (-1.0, 1.0), (-1.0, 1.0)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        padx = 0.12 * max(max(xs) - min(xs), 0.5)
        pady = 0.12 * max(max(ys) - min(ys), 0.5)
        return (min(xs) - padx, max(xs) + padx), (min(ys) - pady, max(ys) + pady)

    def _frame(self) -> None:
        """One step from what was drawn to the new network (the last step is the network)."""
        net = self.net
        if net is None:
            return
        before, (sx, sy), (tx, ty) = self._animation
        self._step += 1
        f = min(1.0, self._step / ANIMATION_FRAMES) if before else 1.0
        f = 1 - (1 - f) ** 3  # ease out
        if f >= 1.0:
            self._animate.stop()

        def mix(a: float, b: float) -> float:
            return b if f >= 1.0 else a + (b - a) * f

        drawn = {
            k: (mix(before[k][0], x), mix(before[k][1], y)) if k in before else (x, y)
            for k, (x, y) in self.positions.items()
        }
        self._drawn = drawn if f >= 1.0 else {**before, **drawn}
        for item, edges in self._buckets:
            pts = np.array([[*drawn[e.a], *drawn[e.b]] for e in edges]).reshape(-1, 2)
            item.setData(pts[:, 0], pts[:, 1], connect="pairs")
        sizes = node_sizes([n.events for n in net.nodes])
        xy = np.array([drawn[n.id] for n in net.nodes], dtype=np.float64).reshape(-1, 2)
        grow = np.array([1.0 if n.id in before else max(0.2, f) for n in net.nodes])
        self.nodes.setData(
            x=xy[:, 0],
            y=xy[:, 1],
            size=np.array(sizes) * grow,
            brush=self._brushes,
            pen=self._pen,
            data=[n.id for n in net.nodes],
        )
        self.plot.getViewBox().setRange(
            xRange=(mix(sx[0], tx[0]), mix(sx[1], tx[1])),
            yRange=(mix(sy[0], ty[0]), mix(sy[1], ty[1])),
            padding=0,
        )
        self._draw_labels(drawn)
        if f >= 1.0:
            self.show_selection()

    def _draw_labels(self, drawn: dict[str, nw.Position] | None = None) -> None:
        """Names beside their nodes, placed by the labels item at each paint."""
        net = self.net
        if net is None:
            return
        where = drawn or self.positions
        self.labels.font = QFont(self.font())
        self.labels.color = self.palette().windowText().color()
        self.labels.backing = QColor(self.palette().window().color())
        self.labels.backing.setAlpha(170)
        self.labels.set_labels(
            [where[n.id] for n in net.nodes],
            [self.entity_name(n.id, self.result.names) for n in net.nodes],
            node_sizes([n.events for n in net.nodes]),
        )

    def show_selection(self) -> None:
        net = self.net
        chosen = self.ws.selected_entity
        if net is None or chosen not in self.positions:
            self.ring_mark(None, 0.0)
            return
        n = next(n for n in net.nodes if n.id == chosen)
        self.ring_mark(chosen, node_sizes([m.events for m in net.nodes])[net.nodes.index(n)])

    def summary(self) -> str:
        net = self.net
        if net is None:
            return ""
        text = self.t(
            "sum_network",
            period=self.period(),
            nodes=f"{len(net.nodes):,}",
            edges=f"{len(net.edges):,}",
            events=f"{net.events:,}",
        )
        if net.more:
            text += self.t("sum_more", more=f"{net.more:,}")
        return text + self.selected_words()

    def _tip(self, x: float, y: float, data: object) -> str:
        """A node's name, kind and events, when the pointer rests on it."""
        return self.tooltip(str(data)) if self.net is not None else ""

    def tooltip(self, entity: str) -> str:
        net = self.net
        assert net is not None
        n = next(n for n in net.nodes if n.id == entity)
        name = self.entity_name(entity, self.result.names)
        return self.t("node_tooltip", name=name, kind=self.t.kind(n.kind), n=f"{n.events:,}")

    def edge_tooltip(self, edge: nw.Edge) -> str:
        lines = [self.t("edge_tooltip", n=f"{edge.weight:,}")]
        for ra, rb, count in edge.roles[:6]:
            lines.append(f"{self.t.role(ra)} – {self.t.role(rb)}: {count:,}")
        return "\n".join(lines)

    # --- the user's actions --------------------------------------------------------------

    def node_at(self, scene: QPointF) -> str | None:
        net = self.net
        if net is None:
            return None
        vb = self.plot.getViewBox()
        sizes = node_sizes([n.events for n in net.nodes])
        best: tuple[float, str] | None = None
        for n, s in zip(net.nodes, sizes, strict=True):
            p = vb.mapViewToScene(QPointF(*self.positions[n.id]))
            d = math.hypot(p.x() - scene.x(), p.y() - scene.y())
            if d <= s / 2 + 3 and (best is None or d < best[0]):
                best = (d, n.id)
        return best[1] if best else None

    def edge_at(self, scene: QPointF) -> nw.Edge | None:
        net = self.net
        if net is None or not net.edges:
            return None
        vb = self.plot.getViewBox()

        def sc(entity: str) -> tuple[float, float]:
            p = vb.mapViewToScene(QPointF(*self.positions[entity]))
            return p.x(), p.y()

        segments = [(sc(e.a), sc(e.b)) for e in net.edges]
        hit = nw.nearest_edge((scene.x(), scene.y()), segments, EDGE_PICK_PX)
        return net.edges[hit] if hit is not None else None

    def _clicked(self, event: Any) -> None:
        scene = event.scenePos()
        node = self.node_at(scene)
        if node is not None:
            event.accept()
            self.choose(node)
            return
        edge = self.edge_at(scene)
        if edge is not None:
            event.accept()
            self.open_edge(edge)

    def choose(self, entity: str) -> None:
        try:
            self.ws.select_entity(entity, origin=self)
        except StoreError:
            return
        self.plot.setToolTip(self.tooltip(entity))

    def open_edge(self, edge: nw.Edge) -> None:
        """List the events the two share in the window and highlight them (when they come)."""
        self._pair_generation += 1
        self.plot.setToolTip(self.edge_tooltip(edge))
        from explorer.model import linked

        req = linked.request(self.ws, "shared", self._pair_generation, pair=(edge.a, edge.b))
        if req is not None:
            self.service.ask(req)

    def _shared_result(self, result: SharedResult) -> None:
        if result.generation != self._pair_generation:
            return
        self.shared_result = result
        a, b = (self.entity_name(e, self.result.names) for e in result.pair)
        self.shared.clear()
        head = QListWidgetItem(self.t("shared_events", a=a, b=b, n=f"{result.total:,}"))
        head.setFlags(Qt.ItemFlag.NoItemFlags)
        self.shared.addItem(head)
        for ev in result.events:
            item = QListWidgetItem(f"{labels.when(ev)}  {labels.label(ev, self.t.lang)}")
            item.setData(Qt.ItemDataRole.UserRole, ev.id)
            self.shared.addItem(item)
        if result.total > len(result.events):
            more = QListWidgetItem(self.t("and_more"))
            more.setFlags(Qt.ItemFlag.NoItemFlags)
            self.shared.addItem(more)
        self.shared.show()
        self.ws.highlight(result.ids, origin=self)

    def _shared_chosen(self, item: QListWidgetItem) -> None:
        ident = item.data(Qt.ItemDataRole.UserRole)
        if ident:
            with contextlib.suppress(StoreError):
                self.ws.select_event(str(ident), center=True, origin=self)

    # --- keys ----------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.plot.setAccessibleName(self.t("view_network"))
        super().retranslate()

    def say(self) -> None:
        super().say()
        self.plot.setAccessibleDescription(self.accessibleDescription())
