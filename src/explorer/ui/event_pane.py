"""The event pane: what happened, when (as precisely as known), who took part, the
evidence with its source, what was said at it or about it, and the curators' notes (marked
as theirs)."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.model.catalog import Catalog
from explorer.store.notes import Note
from explorer.store.records import EventDetail
from explorer.ui.i18n import Translator
from explorer.ui.rich_text import SafeBrowser, esc, link, notes_section, own_badge, web_link
from explorer.ui.statements_html import curator_notes_section, statements_section


def date_words(t: Translator, start: str, end: str | None, precision: str, qualifier: str) -> str:
    span = start + (f" – {end}" if end else "")
    parts = [t(f"precision_{precision}")]
    if qualifier != "exact":
        parts.insert(0, t(f"qualifier_{qualifier}"))
    return f"{span} ({', '.join(parts)})"


class EventPane(QWidget):
    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.browser = SafeBrowser(self)
        self.browser.setObjectName("eventPane")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.detail: EventDetail | None = None
        self._catalog: Catalog | None = None
        self.notes: list[Note] | None = None  # None: notes are unavailable
        self.notes_about: dict[str, str] = {}  # note id -> the source it is on

    def show_event(self, detail: EventDetail, catalog: Catalog) -> None:
        self.detail, self._catalog = detail, catalog
        self.refresh()

    def refresh(self) -> None:
        if self.detail is None or self._catalog is None:
            return
        t, ev, cat = self.t, self.detail.event, self._catalog
        first, second = (
            (ev.title_en or ev.title, ev.title) if t.lang == "en" else (ev.title, ev.title_en or "")
        )
        rows = [
            (t("date"), esc(date_words(t, ev.start, ev.end, ev.precision, ev.qualifier))),
            (t("date_words"), f"“{esc(ev.date_text)}”" if ev.date_text else "—"),
            (t("category"), esc(t.category(ev.category))),
        ]
        body = [f"<h2>{esc(first)}</h2>"]
        if second and second != first:
            body.append(f'<div class="sub">{esc(second)}</div>')
        if ev.origin == "own":
            body.append(own_badge(t, ev.id))
        body.append("<table>")
        body += [f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in rows]
        body.append("</table>")
        if ev.summary:
            body.append(f"<p>{esc(ev.summary)}</p>")
        if self.notes is not None:  # the annotator's own words, right under the summary
            body.append(notes_section(t, self.notes, self.notes_about))
        body.append(f"<h3>{esc(t('who'))}</h3><ul>")
        for p in self.detail.participants:
            info = cat.entities.get(p.entity_id)
            name = info.display_name(t.lang) if info else p.name
            role = f"{esc(t.kind(p.kind))}, {esc(t.role(p.role))}"
            body.append(f"<li>{link('entity', p.entity_id, name)} — {role}</li>")
        body.append(f"</ul><h3>{esc(t('evidence'))}</h3>")
        for e in self.detail.evidence:
            src = e.source
            where = " · ".join(
                x
                for x in (esc(src.publisher), esc(src.title), esc(src.published or t("undated")))
                if x
            )
            if src.url:
                where += " · " + web_link(src.url, t("open_link"))
            if self.notes is not None:
                label = esc(t("note_on_source"))
                where += f' · <a href="note-add-source:{esc(src.id)}">{label}</a>'
            body.append(f"<blockquote>“{esc(e.quote)}”</blockquote><div class='src'>{where}</div>")
        d = self.detail
        body.append(statements_section(t, t("said_here"), d.statements, cat, speaker=True))
        if ev.date_note:
            body.append(f"<h3>{esc(t('date_note'))}</h3><p>{esc(ev.date_note)}</p>")
        body.append(curator_notes_section(t, d.notes))  # the curators', never a source's
        self.browser.set_body("".join(body))
