"""`explorer show event|entity ID` as text: what the event and entity panes show, in lines."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from explorer.exchange.when import period_when
from explorer.store.records import (
    Claim,
    CuratorNote,
    EntityDetail,
    EventDetail,
    Mention,
    Statement,
)


def _date_line(ev: Any) -> str:
    span = ev.start + (f" – {ev.end}" if ev.end else "")
    return f"{span} ({ev.precision} precision, {ev.qualifier}; {ev.earliest}..{ev.latest})"


T = TypeVar("T")


def _statement_lines(st: Statement, *, speaker: bool = True) -> list[str]:
    """A statement: who (unless listed under the speaker), the words (in quotation marks when
    the source quotes them), the source's words naming the speaker, when it was said and the
    period it is about."""
    words = f"“{st.words}”" if st.direct else st.words
    who = f"{st.speaker_name or '(unnamed)'}: " if speaker else ""
    lines = [f"  - {who}{words}  [{st.id}]"]
    if st.attribution:
        lines.append(f"      as the source names the speaker: {st.attribution}")
    when = f"said {period_when(st.said)}"
    if st.about is not None:
        when += f", about {period_when(st.about)}"
    lines.append(f"      {st.kind}; {when}; source {st.source_id}")
    return lines


def _mention_line(m: Mention) -> list[str]:
    src = m.source
    return [f"  - {src.publisher or '?'}: {src.title} [{src.id}]", f"    “{m.quote}”"]


def _note_lines(n: CuratorNote) -> list[str]:
    return [f"  - {n.kind} [{n.id}] (the curators', not a source's)", f"    {n.text}"]


def print_event(d: EventDetail) -> None:
    ev = d.event
    print(ev.title)
    if ev.title_en:
        print(ev.title_en)
    print(f"  id:        {ev.id}")
    print(f"  date:      {_date_line(ev)}")
    print(f"  as written: {ev.date_text}")
    if ev.date_note:
        print(f"  date note: {ev.date_note}")
    print(f"  category:  {ev.category}")
    if ev.summary:
        print(f"\n{ev.summary}\n")
    print("Who and what:")
    for p in d.participants:
        print(f"  - {p.name} ({p.kind}), {p.role}  [{p.entity_id}]")
    print("Sources:")
    for e in d.evidence:
        src = e.source
        print(
            f"  - {src.publisher or '?'}: {src.title} ({src.published or 'undated'})"
            + (f" {src.url}" if src.url else "")
        )
        print(f"    “{e.quote}”")
    _section("Said here or about it", d.statements, _statement_lines)
    _section("Curators' notes", d.notes, _note_lines)


def _section(title: str, items: Sequence[T], lines: Callable[[T], Iterable[str]]) -> None:
    """'Title (n):' and each item's lines, when there are any."""
    if items:
        print(f"{title} ({len(items)}):")
        for item in items:
            print("\n".join(lines(item)))


def claim_line(c: Claim) -> str:
    return f"{c.metric_label_en}: {c.value_text} ({c.qualifier}, as of {c.as_of}) [{c.source_id}]"


def print_entity(d: EntityDetail) -> None:
    e = d.entity
    print(f"{e.name}  ({e.kind})  [{e.id}]")
    for lang in ("ko", "en", "zh", "ja"):
        names = d.names(lang)
        if names:
            print(f"  {lang}: {' / '.join(names)}")
    if e.description:
        print(f"\n{e.description}\n")
    print(f"Events ({len(d.events)}):")
    for ee in d.events:
        print(f"  - {ee.event.start:<10} {ee.event.title} — {ee.role}  [{ee.event.id}]")
    _section("Figures", d.claims, lambda c: [f"  - {claim_line(c)}"])
    _section("Said", d.statements, lambda st: _statement_lines(st, speaker=False))
    _section("Said about it", d.statements_about, _statement_lines)
    _section("Named in", d.mentions, _mention_line)
    if d.companions:
        print("Often appears with:")
        for mate in d.companions:
            print(
                f"  - {mate.name} ({mate.kind}): {mate.shared_events} event(s)  [{mate.entity_id}]"
            )
