"""The one place that turns data into HTML for display: everything is escaped, links are
limited to our own schemes and http(s), and the browser widget loads no resources."""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QTextBrowser, QWidget

from explorer.store.notes import Note

if TYPE_CHECKING:
    from markdown_it import MarkdownIt

SAFE_WEB = ("http", "https")
#: Links our panes make to act inside the app (never handed to the system).
INTERNAL_SCHEMES = frozenset(
    {
        "entity",
        "event",
        "note-add",
        "note-add-source",
        "note-edit",
        "note-delete",
        "own-edit",
        "own-delete",
        "source",
        "filter-source",
    }
)
CSS = """
h2 { margin: 0 0 2px 0; }
.sub { color: palette(mid); margin-bottom: 6px; }
.k { color: palette(mid); padding-right: 8px; white-space: nowrap; }
blockquote { margin: 4px 0 2px 12px; }
.src { color: palette(mid); margin-left: 12px; margin-bottom: 8px; }
"""


def esc(text: object) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def link(scheme: str, target: str, text: str) -> str:
    return f'<a href="{esc(scheme)}:{esc(target)}">{esc(text)}</a>'


def web_link(url: str, text: str) -> str:
    """A link to a web address, or the address as plain text when it is not http(s)."""
    if QUrl(url).scheme().lower() in SAFE_WEB:
        return f'<a href="{esc(url)}">{esc(text)}</a>'
    return esc(url)


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt  # at the first note in Markdown: not with every window

    md = MarkdownIt("commonmark", {"html": False, "linkify": False})
    md.disable("image")  # an image would be a resource to load: show its syntax as text
    md.validateLink = _web_only  # type: ignore[method-assign]
    return md


def _web_only(url: str) -> bool:
    return url.strip().lower().startswith(("http://", "https://"))


def render_note(text: str, fmt: str) -> str:
    """A note as HTML that is safe to show: plain text escaped (line breaks kept); Markdown
    without raw HTML, without images, and with links only to http(s) addresses."""
    if fmt == "markdown":
        return str(_markdown().render(text))
    return f'<p style="white-space: pre-wrap">{esc(text)}</p>'


def own_badge(t: Callable[..., str], ident: str) -> str:
    """The mark of the annotator's own rows, with edit and delete links."""
    return (
        f'<p class="sub">✎ {esc(t("own_badge"))} · '
        f'<a href="own-edit:{esc(ident)}">{esc(t("edit_own"))}</a> · '
        f'<a href="own-delete:{esc(ident)}">{esc(t("delete_own"))}</a></p>'
    )


def notes_section(
    t: Callable[..., str], notes: Sequence[Note], about: dict[str, str] | None = None
) -> str:
    """The 'Notes' part of a pane: each note rendered safely, with edit and delete links;
    `about` labels notes that are on something other than the pane's own subject (one of
    its sources or figures)."""
    out = [f"<h3>{esc(t('notes'))} ({len(notes)})</h3>"]
    for n in notes:
        if about and n.id in about:
            out.append(f'<p class="sub">↳ {esc(about[n.id])}</p>')
        tags = " ".join(f"#{x}" for x in n.tags)
        when = n.updated[:16].replace("T", " ")
        out.append(render_note(n.text, n.format))
        out.append(
            f'<div class="src">{esc(n.author)} · {esc(when)} {esc(tags)} · '
            f'<a href="note-edit:{esc(n.id)}">{esc(t("edit_note"))}</a> · '
            f'<a href="note-delete:{esc(n.id)}">{esc(t("delete_note"))}</a></div>'
        )
    out.append(f'<p><a href="note-add:">+ {esc(t("add_note"))}</a></p>')
    return "".join(out)


class SafeBrowser(QTextBrowser):
    """Shows our generated HTML. Clicking an internal link emits sigLink(scheme, id); a web
    link opens in the system browser only on an explicit click; nothing else opens."""

    sigLink = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.document().setDefaultStyleSheet(CSS)
        self.anchorClicked.connect(self._on_anchor)
        self.opened_urls: list[str] = []  # what was handed to the system browser

    def loadResource(self, kind: int, name: QUrl | str) -> object:
        return None  # never load images, style sheets or anything else

    def set_body(self, body: str) -> None:
        self.setHtml(f"<html><body>{body}</body></html>")

    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme in INTERNAL_SCHEMES:
            self.sigLink.emit(scheme, url.path())
        elif scheme in SAFE_WEB:
            self.opened_urls.append(url.toString())
            QDesktopServices.openUrl(url)
