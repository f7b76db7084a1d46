"""A report of chosen events as one self-contained HTML page, to print, mail or archive.

The page loads nothing: no scripts, no images, no fonts, no style sheets but its own inline
CSS, and a Content-Security-Policy that forbids anything else should a browser be asked to.
Every piece of text from the store or the annotator is escaped; sources are linked only when
their URL is http(s). The same inputs always give the same page, byte for byte.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape
from pathlib import Path

from sqlite_utils import Database

from explorer import __version__
from explorer.exchange.export import _refuse_existing
from explorer.exchange.selection import selected_events
from explorer.exchange.when import event_when, period_when
from explorer.store import queries
from explorer.store.errors import StoreError
from explorer.store.files import atomic_write
from explorer.store.records import CuratorNote, EventDetail, Evidence, Statement

#: Annotator's notes per event id: (note text, tags) in the order to show them.
Notes = dict[str, list[tuple[str, tuple[str, ...]]]]

CSP = "default-src 'none'; style-src 'unsafe-inline'"  # written as is: no '"', '&' or '<'
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem; color: #222; background: #fff; }
header { border-bottom: 2px solid #444; margin-bottom: 1.5rem; }
article { border-bottom: 1px solid #ccc; padding: 1rem 0; break-inside: avoid-page; }
h2 { margin: 0.2rem 0; font-size: 1.25rem; }
.date { color: #555; margin: 0; }
.title-en { font-style: italic; margin: 0; }
h3 { font-size: 0.95rem; margin: 0.8rem 0 0.2rem; color: #444; }
blockquote { margin: 0.4rem 0 0.1rem; padding-left: 0.8rem; border-left: 3px solid #999; }
.cite { margin: 0 0 0.6rem; font-size: 0.9rem; color: #444; }
.note p { white-space: pre-wrap; margin: 0.2rem 0; }
.statement { margin: 0.4rem 0 0.6rem; }
.statement .words { margin: 0.1rem 0; padding-left: 0.8rem; border-left: 3px dotted #999; }
.curators { font-size: 0.9rem; color: #444; }
.tags { font-size: 0.85rem; color: #555; }
@media print { a[href]::after { content: " (" attr(href) ")"; font-size: 0.8rem; } }
""".strip()


def _statement_html(st: Statement, sources: dict[str, str]) -> str:
    who = st.speaker_name or st.attribution or "unnamed"
    said = f"said {period_when(st.said)}"
    if st.said.text:
        said += f" (“{escape(st.said.text)}”)"
    about = f"; about {escape(period_when(st.about))}" if st.about else ""
    source = escape(sources.get(st.source_id, st.source_id))
    mark = "“{}”" if st.direct else "{}"
    return (
        f'<div class="statement" id="{escape(st.id)}">'
        f'<p class="speaker">{escape(who)} — {escape(st.kind)}, {said}{about}</p>'
        f'<p class="words">{mark.format(escape(st.words))}</p>'
        f'<p class="cite">— {source}</p></div>'
    )


def _curators_html(note: CuratorNote) -> str:
    kind = "the curators' inference" if note.kind == "inference" else "the curators' caveat"
    return f'<li class="curators"><p>{escape(note.text)}</p><p class="tags">({kind})</p></li>'


def _source_link(ev: Evidence) -> str:
    src = ev.source
    title = escape(src.title)
    if src.url and src.url.lower().startswith(("http://", "https://")):
        title = f'<a href="{escape(src.url)}" rel="noopener noreferrer">{title}</a>'
    extra = [escape(x) for x in (src.publisher, src.published) if x]
    return ", ".join([title, *extra])


def _quote_lang(ev: Evidence) -> str:
    lang = ev.source.language
    return f' lang="{escape(lang)}"' if lang and _LANG.match(lang) else ""


def _event_html(
    detail: EventDetail,
    notes: list[tuple[str, tuple[str, ...]]],
    sources: dict[str, str],
    lang: str = "en",
) -> str:
    ev = detail.event
    out = [f'<article id="{escape(ev.id)}">']
    written = f"“{escape(ev.date_text)}” · " if ev.date_text else ""
    out.append(f'<p class="date">{written}{escape(event_when(ev))}</p>')
    english = bool(ev.title_en) and ev.title_en != ev.title
    if english and lang.split("-")[0] == "en":  # the reader's language first, then as written
        out.append(f'<h2 lang="en">{escape(ev.title_en or "")}</h2>')
        out.append(f'<p class="title-en">{escape(ev.title)}</p>')
    else:
        out.append(f"<h2>{escape(ev.title)}</h2>")
        if english:
            out.append(f'<p class="title-en" lang="en">{escape(ev.title_en or "")}</p>')
    out.append(f'<p class="category">{escape(ev.category)}</p>')
    if ev.summary:
        out.append(f'<p class="summary">{escape(ev.summary)}</p>')
    if ev.date_note:
        out.append(f'<p class="date-note">Date: {escape(ev.date_note)}</p>')
    if detail.participants:
        out.append("<h3>Participants</h3><ul>")
        for p in detail.participants:
            kind = escape(p.kind.replace("_", " "))
            out.append(f"<li>{escape(p.name)} ({kind}, {escape(p.role)})</li>")
        out.append("</ul>")
    if detail.evidence:
        out.append("<h3>Evidence</h3>")
        for item in detail.evidence:
            out.append(f"<blockquote{_quote_lang(item)}>{escape(item.quote)}</blockquote>")
            out.append(f'<p class="cite">— {_source_link(item)}</p>')
    if detail.statements:
        out.append("<h3>Statements</h3>")
        out.extend(_statement_html(st, sources) for st in detail.statements)
    if detail.notes:
        out.append("<h3>Curators’ notes</h3><ul>")
        out.extend(_curators_html(n) for n in detail.notes)
        out.append("</ul>")
    if notes:
        out.append("<h3>Notes</h3><ul>")
        for text, tags in notes:
            tag_text = ", ".join(escape(t) for t in tags)
            tag_html = f'<p class="tags">Tags: {tag_text}</p>' if tags else ""
            out.append(f'<li class="note"><p>{escape(text)}</p>{tag_html}</li>')
        out.append("</ul>")
    out.append("</article>")
    return "\n".join(out)


def html_report(
    db: Database,
    event_ids: list[str],
    *,
    notes: Notes | None = None,
    title: str = "Explorer report",
    lang: str = "en",
    generated: str | None = None,
    own: Mapping[str, EventDetail] | None = None,
) -> str:
    """The report page of `event_ids` (each once, in date order) with the annotator's
    `notes` per event id (notes of other events are left out). `generated` (such as a date)
    is printed in the header as given; nothing else varies between runs."""
    if not _LANG.match(lang):
        raise StoreError(f"{lang!r} is not a language tag such as 'en' or 'ko'")
    details = selected_events(db, event_ids, own)
    notes = notes or {}
    n = len(details)
    dataset = queries.meta(db).get("dataset")
    about = f"Generated by Explorer {__version__}" + (f" on {generated}" if generated else "")
    if dataset:
        about += f" from the database “{dataset}”"
    sources = {str(s.id): s.title for s in queries.list_sources(db)}
    body = [_event_html(d, notes.get(d.event.id, []), sources, lang) for d in details]
    if not body:
        body = ["<p>No events were selected.</p>"]
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{escape(lang)}">',
            "<head>",
            '<meta charset="utf-8">',
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
            '<meta name="referrer" content="no-referrer">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(title)}</title>",
            f"<style>\n{STYLE}\n</style>",
            "</head>",
            "<body>",
            "<header>",
            f"<h1>{escape(title)}</h1>",
            f'<p class="generated">{escape(about)}</p>',
            f'<p class="count">{n} event{"" if n == 1 else "s"}</p>',
            "</header>",
            "<main>",
            *body,
            "</main>",
            "</body>",
            "</html>",
            "",
        ]
    )


def export_html_report(
    db: Database,
    out: Path,
    event_ids: list[str],
    *,
    notes: Notes | None = None,
    title: str = "Explorer report",
    lang: str = "en",
    generated: str | None = None,
    force: bool = False,
    own: Mapping[str, EventDetail] | None = None,
) -> int:
    """Write the report to `out` (UTF-8) atomically; returns the number of events. Refuses
    to replace an existing file unless `force`."""
    _refuse_existing(out, force)
    page = html_report(
        db, event_ids, notes=notes, title=title, lang=lang, generated=generated, own=own
    )
    try:
        atomic_write(out, page.encode("utf-8"))
    except OSError as exc:
        raise StoreError(f"cannot write {out}: {exc.strerror or exc}") from exc
    return len(set(event_ids))
