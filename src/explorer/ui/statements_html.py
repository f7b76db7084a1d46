"""Who said what, where an entity is named, and the curators' notes, as pane HTML: the
speaker's words verbatim (in quotation marks only when the source quotes them), when they
were said and the period they are about, and the source; the curators' notes marked as
theirs, never as a source's."""

from __future__ import annotations

from collections.abc import Sequence

from explorer.model.catalog import Catalog
from explorer.store import dates
from explorer.store.records import CuratorNote, DatedPeriod, Mention, Statement
from explorer.ui.i18n import Translator
from explorer.ui.rich_text import esc, link

QUALIFIER = {"circa": "≈ ", "before": "≤ ", "after": "≥ "}


def period_words(p: DatedPeriod) -> str:
    """'≤ 2030', '2017 – 2019', '2025-11-01'."""
    span = dates.date_label(p.start) + (f" – {dates.date_label(p.end)}" if p.end else "")
    return QUALIFIER.get(p.qualifier, "") + span


def statement_html(t: Translator, st: Statement, catalog: Catalog, speaker: bool = True) -> str:
    words = f"“{esc(st.words)}”" if st.direct else esc(st.words)
    parts = []
    if speaker:
        info = catalog.entities.get(st.speaker_id) if st.speaker_id else None
        name = info.display_name(t.lang) if info else (st.speaker_name or t("speaker_unnamed"))
        parts.append(link("entity", st.speaker_id, name) if st.speaker_id else esc(name))
    parts.append(esc(t(f"statement_{st.kind}")))
    parts.append(esc(t("said_on", when=period_words(st.said))))
    if st.about is not None:
        parts.append(esc(t("about_period", when=period_words(st.about))))
    src = catalog.sources.get(st.source_id)
    if src is not None:
        parts.append(esc(src.publisher or src.title))
    where = " · ".join(parts)
    if st.said_event_id:
        event = next((e for e in catalog.events if e.id == st.said_event_id), None)
        if event is not None:
            where += " · " + link("event", event.id, catalog.event_title(event, t.lang))
    return f"<blockquote>{words}</blockquote><div class='src'>{where}</div>"


def statements_section(
    t: Translator, heading: str, statements: Sequence[Statement], catalog: Catalog, speaker: bool
) -> str:
    if not statements:
        return ""
    body = [f"<h3>{esc(heading)} ({len(statements)})</h3>"]
    body += [statement_html(t, st, catalog, speaker) for st in statements]
    return "".join(body)


def mentions_section(t: Translator, mentions: Sequence[Mention]) -> str:
    if not mentions:
        return ""
    body = [f"<h3>{esc(t('mentioned_in'))} ({len(mentions)})</h3>"]
    for m in mentions:
        src = m.source
        where = " · ".join(esc(x) for x in (src.publisher, src.title, src.published) if x)
        body.append(f"<blockquote>“{esc(m.quote)}”</blockquote><div class='src'>{where}</div>")
    return "".join(body)


def curator_notes_section(t: Translator, notes: Sequence[CuratorNote]) -> str:
    """The curators' notes, each saying it is theirs (an inference: their own reasoning)."""
    if not notes:
        return ""
    body = [f"<h3>{esc(t('curators_notes'))}</h3>"]
    for n in notes:
        mark = t("curators_inference") if n.kind == "inference" else t("curators_note")
        body.append(f"<p><i>{esc(mark)}</i> {esc(n.text)}</p>")
    return "".join(body)
