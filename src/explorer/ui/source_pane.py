"""The source pane: what a source is (title, publisher, date, address, the curators' notes
on it) and what the project takes from it: the events that cite it with its words for
each, its figures, the statements it reports and the entities it names."""

from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.model import labels
from explorer.store.notes import Note
from explorer.store.records import SourceDetail
from explorer.ui.i18n import Translator
from explorer.ui.rich_text import SafeBrowser, esc, link, notes_section, web_link


class SourcePane(QWidget):
    def __init__(self, t: Translator, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = t
        self.browser = SafeBrowser(self)
        self.browser.setObjectName("sourcePane")
        self.browser.setAccessibleName("Source")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.browser)
        self.detail: SourceDetail | None = None
        self.notes: list[Note] | None = None  # None: notes are unavailable

    def show_source(self, detail: SourceDetail) -> None:
        self.detail = detail
        self.refresh()

    def refresh(self) -> None:
        if self.detail is None:
            return
        t, d = self.t, self.detail
        s = d.source
        body = [f"<h2>{esc(s.title)}</h2>"]
        facts = [
            (t("source_publisher"), esc(s.publisher or "—")),
            (t("source_published"), esc(s.published or t("undated"))),
        ]
        if s.author:
            facts.append((t("source_author"), esc(s.author)))
        if s.url:
            facts.append((t("source_url"), web_link(s.url, s.url)))
        body.append("<table>")
        body += [f'<tr><td class="k">{k}</td><td>{v}</td></tr>' for k, v in facts]
        body.append("</table>")
        body.append(f'<p><a href="filter-source:{esc(s.id)}">{esc(t("filter_source"))}</a></p>')
        if s.note or d.notes:
            body.append(f"<h3>{esc(t('curators_notes'))}</h3>")
            if s.note:
                body.append(f"<p>{esc(s.note)}</p>")
            body += [f"<p>{esc(n.text)} <i>({esc(t('curators'))})</i></p>" for n in d.notes]
        if self.notes is not None:
            body.append(notes_section(t, self.notes))
        shown = len(d.events)
        more = f" · {t('first_n', n=shown)}" if d.event_total > shown else ""
        body.append(f"<h3>{esc(t('events'))} ({d.event_total:,}{esc(more)})</h3>")
        for c in d.events:
            title = labels.label(c.event, t.lang)
            when = labels.when(c.event)
            body.append(f"<p>{esc(when)} · {link('event', c.event.id, title)}</p>")
            if c.quote:
                body.append(f"<blockquote>“{esc(c.quote)}”</blockquote>")
        if d.claims:
            body.append(f"<h3>{esc(t('figures'))} ({len(d.claims)})</h3><ul>")
            for claim in d.claims:
                label = claim.metric_label if t.lang == "ko" else claim.metric_label_en
                who = link("entity", claim.entity_id, claim.entity_id)
                figure = f"{esc(label)}: {esc(claim.value_text)} ({esc(claim.as_of)})"
                body.append(f"<li>{figure} — {who}</li>")
            body.append("</ul>")
        if d.statements:
            body.append(f"<h3>{esc(t('statements'))} ({len(d.statements)})</h3>")
            for st in d.statements:
                who = st.speaker_name or st.attribution or "—"
                body.append(f"<blockquote>“{esc(st.words)}”</blockquote>")
                body.append(
                    f'<div class="src">— {esc(who)} ({esc(st.said.text or st.said.start)})</div>'
                )
        if d.mentions:
            body.append(f"<h3>{esc(t('mentions'))} ({len(d.mentions)})</h3><ul>")
            for ident, name, quote in d.mentions:
                body.append(f"<li>{link('entity', ident, name)}: “{esc(quote)}”</li>")
            body.append("</ul>")
        self.browser.set_body("".join(body))
