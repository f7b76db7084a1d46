"""`explorer self-test`: what a packaged app must do on a machine it has never seen, checked
from the inside, offscreen, with a throw-away user folder. Each check prints one line; the
exit code is 0 only when all pass. `--startup` instead paints the window once, prints
"painted" and exits (for timing a cold start from outside)."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from explorer.model.session import Session
    from explorer.ui.main_window import MainWindow

CheckResult = str  # a short detail for the report


class SelfTest:
    def __init__(self, db: Path | None, out: Path | None) -> None:
        from explorer import paths

        self.home = Path(tempfile.mkdtemp(prefix="explorer-selftest-"))
        os.environ["EXPLORER_HOME"] = str(self.home)  # the user's folder: a temporary one
        self.db = db or paths.bundled_db()
        self.out = out or self.home / "screens"
        self.out.mkdir(parents=True, exist_ok=True)
        self.failed: list[str] = []
        self.window: MainWindow | None = None
        self.session: Session | None = None

    def check(self, name: str, fn: Callable[[], CheckResult]) -> None:
        t = time.perf_counter()
        try:
            detail = fn()
        except Exception as exc:  # a failed check is reported, the others still run
            self.failed.append(name)
            print(f"FAIL {name}: {type(exc).__name__}: {exc}", flush=True)
            return
        ms = (time.perf_counter() - t) * 1000
        print(f"ok   {name} ({ms:.0f} ms){': ' + detail if detail else ''}", flush=True)

    # --- the checks --------------------------------------------------------------------

    def bundle(self) -> CheckResult:
        from explorer import __version__, paths
        from explorer.ui.fonts import bundled_font_files

        root = paths.bundle_root()
        fonts = bundled_font_files()
        icon = paths.resources_dir() / "icons" / "explorer-256.png"
        missing = [str(p) for p in (self.db, icon) if not p.is_file()]
        if missing or not fonts:
            raise RuntimeError(f"missing from the bundle: {missing or 'the CJK font'}")
        frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
        return f"Explorer {__version__}, {frozen}, resources in {root}"

    def open_dataset(self) -> CheckResult:
        from explorer.model.session import Session

        self.session = Session.open(self.db)
        counts = self.session.counts()
        if counts["events"] == 0:
            raise RuntimeError("the dataset has no events")
        return f"{counts['events']} events, {counts['entities']} entities, read-only"

    def window_painted(self) -> CheckResult:
        from PySide6.QtGui import QFontMetrics

        from explorer.ui.app import _settle, application
        from explorer.ui.fonts import ui_font
        from explorer.ui.main_window import MainWindow

        app = application()
        metrics = QFontMetrics(ui_font())
        lacking = [ch for ch in "한국어中文" if not metrics.inFontUcs4(ord(ch))]
        if lacking:
            raise RuntimeError(f"no glyph for {''.join(lacking)}: Korean would show as boxes")
        assert self.session is not None
        window = self.window = MainWindow(self.session, None, lang="ko")
        window.resize(1600, 900)
        window.show()
        window.fit_all()
        _settle(app, window)
        return self._save(window.grab(), self.out / "selftest-window-ko.png")

    def entity_pane(self) -> CheckResult:
        from explorer.ui.app import _settle, application

        assert self.window is not None and self.session is not None
        top = self.session.top_entities("place", limit=1)  # the busiest place
        if not top:
            raise RuntimeError("the dataset has no places")
        ent = top[0]
        self.window.select_entity(ent[0])
        _settle(application(), self.window)
        detail = self.window.entity_pane.detail
        if detail is None or detail.entity.id != ent[0]:
            raise RuntimeError("the entity pane did not open")
        path = self.out / "selftest-entity-pane.png"
        return f"{detail.entity.name}: " + self._save(self.window.details.grab(), path)

    def search(self) -> CheckResult:
        assert self.session is not None
        found = {q: len(self.session.search(q, limit=20).hits) for q in ("바이두", "Xi Jinping")}
        if not all(found.values()):
            raise RuntimeError(f"nothing found for {[q for q, n in found.items() if not n]}")
        return ", ".join(f"{q!r}: {n} hits" for q, n in found.items())

    def note_round_trip(self) -> CheckResult:
        from explorer.model.annotations import Annotations
        from explorer.store.notes import Target

        assert self.session is not None
        event = self.session.events()[0].id
        text = f"자체 점검 메모 {time.time_ns()}"
        first = Annotations.open(self.session, author="self-test")
        try:
            note = first.add(Target("event", event), text, tags=["self-test"])
            where = first.path
        finally:
            first.close()
        again = Annotations.open(self.session, author="self-test")
        try:
            back = again.get(note.id)
        finally:
            again.close()
        if back.text != text:
            raise RuntimeError("the note read back differs from the one written")
        if self.home not in where.parents:
            raise RuntimeError(f"the note went to {where}, not the user folder")
        return f"written to and read back from {where}"

    def offline(self) -> CheckResult:
        loaded = sorted(m for m in sys.modules if m.startswith("PySide6.QtNetwork"))
        if loaded:
            raise RuntimeError(f"network modules loaded: {loaded}")
        return "no network module loaded"

    # --- helpers ---------------------------------------------------------------------------

    def _save(self, pixmap: object, path: Path) -> CheckResult:
        from PySide6.QtGui import QPixmap

        assert isinstance(pixmap, QPixmap)
        if not pixmap.save(str(path)):
            raise RuntimeError(f"could not write {path}")
        image = pixmap.toImage().scaled(160, 90)
        colours = {image.pixel(x, y) for x in range(160) for y in range(90)}
        if len(colours) < 20:
            raise RuntimeError(f"{path.name} is nearly blank ({len(colours)} colours)")
        return f"{path} ({pixmap.width()}×{pixmap.height()}, {len(colours)} colours)"

    def close(self) -> None:
        if self.window is not None:
            self.window.close()
        if self.session is not None:
            self.session.close()


def _quiet_offscreen_notices() -> None:
    """The offscreen platform says it cannot propagate size hints for every window; that
    is not news to anyone reading a self-test report. Everything else still shows."""
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    def handler(kind: QtMsgType, context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def run(db: Path | None = None, out: Path | None = None, *, keep: bool = False) -> int:
    os.environ["QT_QPA_PLATFORM"] = os.environ.get("EXPLORER_SELFTEST_PLATFORM", "offscreen")
    _quiet_offscreen_notices()
    started = time.perf_counter()
    test = SelfTest(db, out)
    print(f"Explorer self-test; user folder {test.home}", flush=True)
    snapshot = _bundle_files()
    try:
        test.check("bundled resources", test.bundle)
        test.check("open the bundled dataset", test.open_dataset)
        if test.session is not None:
            test.check("main window painted, Korean glyphs present", test.window_painted)
            if test.window is not None:
                test.check("entity pane painted", test.entity_pane)
            test.check("search", test.search)
            test.check("note written and read back", test.note_round_trip)
        test.check("offline", test.offline)
        test.check("nothing written beside the app", lambda: _unchanged(snapshot))
    finally:
        test.close()
        if not keep:  # the user folder was only for this test (screenshots go to `out`)
            shutil.rmtree(test.home, ignore_errors=True)
    seconds = time.perf_counter() - started
    if test.failed:
        print(f"self-test FAILED: {', '.join(test.failed)} ({seconds:.1f} s)", flush=True)
        return 1
    print(f"self-test passed ({seconds:.1f} s)", flush=True)
    return 0


def startup(db: Path | None = None) -> int:
    """Show the main window, print "painted" when it first paints, and quit."""
    from PySide6.QtCore import QEvent, QObject

    from explorer import paths
    from explorer.model.session import Session
    from explorer.ui.app import application
    from explorer.ui.main_window import MainWindow

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _quiet_offscreen_notices()
    home = Path(tempfile.mkdtemp(prefix="explorer-startup-"))
    os.environ["EXPLORER_HOME"] = str(home)
    app = application()

    class Painted(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                print("painted", flush=True)
                app.exit(0)
            return False

    try:
        with Session.open(db or paths.bundled_db()) as session:
            window = MainWindow(session, None, lang="ko")
            window.resize(1600, 900)
            spy = Painted()
            window.timeline.plot.viewport().installEventFilter(spy)
            window.show()
            code = app.exec()
            window.close()
        return int(code)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _bundle_files() -> dict[str, float]:
    """Files under the bundle's data and resources, with their modification times."""
    from explorer import paths

    root = paths.bundle_root()
    out: dict[str, float] = {}
    for top in ("data", "resources"):
        for path in (root / top).rglob("*"):
            if path.is_file():
                out[str(path.relative_to(root))] = path.stat().st_mtime
    return out


def _unchanged(before: dict[str, float]) -> CheckResult:
    after = _bundle_files()
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    if changed:
        raise RuntimeError(f"files changed beside the app: {changed[:5]}")
    return f"{len(after)} bundled files untouched"
