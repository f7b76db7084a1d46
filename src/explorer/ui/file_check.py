"""The full check of a project Explorer has not seen as it is now, run once the window has
painted: on a thread of its own, with the share done in the status bar, while the window
reads the file (the project is read-only until the check has passed; it is opened with
`check="later"`, see store.integrity). A damaged file gets the message and the way out that
opening it used to give before the window: a dialog naming the damage, then the project
closes."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QMainWindow, QMessageBox, QWidget

from explorer.model.session import Session
from explorer.store.integrity import QUIET_SECONDS, CheckOutcome, IntegrityCheck
from explorer.ui.background import Task
from explorer.ui.i18n import Translator

STEPS = 1000  # the share done is reported in thousandths


class FileCheck(QObject):
    """Checks `session`'s file once `painted` (the timeline's viewport) has painted the
    project's first view (`drawn` says whether it has, after a paint), if the file is not
    known to be sound; stopped when the window closes."""

    def __init__(
        self,
        window: QMainWindow,
        session: Session,
        t: Translator,
        painted: QWidget,
        drawn: Callable[[], bool],
    ) -> None:
        super().__init__(window)
        self.window, self.session, self.t = window, session, t
        self.task: Task | None = None
        self.outcome: CheckOutcome | None = None
        self._painted, self._drawn = painted, drawn
        self._shown = -1  # the share last shown, in hundredths
        self._started = 0.0
        self._check: IntegrityCheck | None = None
        if session.store.awaiting_check:
            painted.installEventFilter(self)
            window.installEventFilter(self)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self._painted and event.type() == QEvent.Type.Paint and self.task is None:
            QTimer.singleShot(0, self, self._after_paint)  # once this paint is done
        elif obj is self.window and event.type() == QEvent.Type.Close:
            self.stop()
        return False

    def _after_paint(self) -> None:
        if self.task is None and self._drawn():  # that paint drew the project's first view
            self._painted.removeEventFilter(self)
            self.start()

    def start(self) -> None:
        if self.task is not None or self.window.isHidden():  # closed before it began
            return
        self._check = check = IntegrityCheck(self.session.path)
        self.task = Task(lambda step: self._run(check, step), self)
        self.task.sigProgress.connect(self._progress)
        self.task.sigDone.connect(self._done)
        self._started = time.monotonic()
        self.task.start()

    @staticmethod
    def _run(check: IntegrityCheck, step: Callable[[int, int], bool]) -> object:
        """On the task's thread: the check, its share done handed to the window."""

        def report(done: float, _what: str) -> None:
            step(int(done * STEPS), STEPS)  # False once stopped: stop() cancels the check

        check.progress = report
        return check.run()

    def stop(self) -> None:
        """Stop the check (the window closes): SQLite is interrupted within a page, and the
        file stays unchecked, to be checked when next opened."""
        if self._check is not None:
            self._check.cancel()
        if self.task is not None and self.task.running:
            self.task.wait()

    def _progress(self, done: int, total: int) -> None:
        if time.monotonic() - self._started < QUIET_SECONDS:
            return
        share = 100 * done // max(1, total)
        if share != self._shown:
            self._shown = share
            name = self.session.path.name
            self.window.statusBar().showMessage(self.t("checking_file", name=name, pct=share))

    def _done(self, outcome: object) -> None:
        bar, name = self.window.statusBar(), self.session.path.name
        if not isinstance(outcome, CheckOutcome):  # the check itself failed: unchecked
            bar.showMessage(self.t("file_unchecked", name=name, why=str(outcome)), 15000)
            return
        self.outcome = outcome
        if self.session.store.check_passed(outcome):
            if outcome.seconds >= QUIET_SECONDS or self._shown >= 0:
                text = self.t("file_checked", name=name, s=f"{outcome.seconds:.1f}")
                bar.showMessage(text, 8000)
            return
        error = outcome.error()
        if error is None:  # cancelled, or changed while it was read: checked next time
            why = self.t("file_changed" if outcome.changed else "file_check_stopped")
            bar.showMessage(self.t("file_unchecked", name=name, why=why), 15000)
            return
        bar.showMessage(str(error))
        box = QMessageBox(QMessageBox.Icon.Critical, self.t("app"), str(error), parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setObjectName("damaged_file")
        box.finished.connect(self.window.close)  # as when opening it failed: not shown
        box.open()
