"""What a TimelineJS slide holds besides its dates and headline, and where Explorer keeps it.

- `media` ({url, caption, credit}) and `background` ({color, url}) have no column of their
  own: they are kept as lines of the event's summary that begin with a fixed word
  ("Media:", "Background:"), which Explorer's TimelineJS export turns back into the slide's
  media and background, so a round trip keeps them and does not grow the text.
- `location` ({name, lat, lon}) becomes a place linked to the event, with its coordinates in
  the `locations` table.
- Explorer's export writes the date note, quotes and sources into the slide's text inside a
  block of class EVIDENCE_CLASS; reading an export back leaves that block out of the text
  (it is Explorer's own evidence, already held), and the report says so.
- Years: TimelineJS writes 300 BCE as year -300 (its Language.formatDate shows the absolute
  value with the "BCE" suffix); Explorer counts years astronomically (year 0 is 1 BCE), so
  TimelineJS year -N is Explorer year 1 - N, both ways.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from explorer.exchange.imports.plain_text import plain

EVIDENCE_CLASS = "explorer-evidence"
HUMAN_SCALE_MIN_YEAR = -99999  # TimelineJS3's src/js/date/TLDate.js line 490
MEDIA, BACKGROUND, BACKGROUND_IMAGE = "Media: ", "Background: ", "Background image: "
SEPARATOR = " — "
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}){1,2}$")


def year_from_timelinejs(year: int) -> int:
    """TimelineJS's year as Explorer's (astronomical) year.

    TimelineJS3 (commit 27f700ed) shows a negative year by its absolute value with the era
    suffix: src/js/language/Language.js line 170, `yyyy: (y < 0 &&
    this.has_negative_year_modifier()) ? Math.abs(y) : y`, and line 205, `_applyEra` adds
    `negative_year.suffix`, which src/js/language/locale/en.json line 105 sets to "BCE"; its
    test src/js/date/__tests__/TLDate.test.js lines 257-260 expects year '-500' to show as
    "500 BCE". So -300 is 300 BCE, which Explorer writes -299. Year 0 shows as "0" there
    and is read as 1 BCE (year 0) here. Before HUMAN_SCALE_MIN_YEAR (src/js/date/TLDate.js
    line 490) TimelineJS counts "years ago" (Language.formatBigYear, line 57: the absolute
    value over a unit, "13.8 billion years ago"), where no era shift applies: such years
    are kept as written."""
    return year + 1 if HUMAN_SCALE_MIN_YEAR <= year < 0 else year


def year_to_timelinejs(year: int) -> int:
    """Explorer's year as TimelineJS writes it: 300 BCE (-299) is -300, 1 BCE (0) is -1;
    years before TimelineJS's human scale as they are."""
    return year - 1 if year - 1 >= HUMAN_SCALE_MIN_YEAR and year <= 0 else year


@dataclass(frozen=True)
class Media:
    url: str
    caption: str = ""
    credit: str = ""
    embed: bool = False  # given as embed code: `url` is the address found in it

    def line(self) -> str:
        parts = [self.url, self.caption, self.credit]
        while parts and not parts[-1]:
            parts.pop()
        return MEDIA + SEPARATOR.join(parts)


def _address(code: str) -> str | None:
    """The address in embed code (<iframe src>, <a href>, <img src>, <blockquote cite>)."""
    try:
        root = etree.fromstring(f"<div>{code}</div>", etree.HTMLParser(no_network=True))
    except (etree.LxmlError, ValueError):
        return None
    if root is None:
        return None
    for el in root.iter():
        for attr in ("src", "href", "data", "cite"):
            value = el.get(attr) if isinstance(el.tag, str) else None
            if value and value.strip().lower().startswith(("http://", "https://", "//")):
                return value.strip()
    return None


def media_of(value: Any) -> tuple[Media | None, str | None]:
    """(the slide's media, the text of a quote given as media) of a `media` object."""
    if not isinstance(value, dict) or not value.get("url"):
        return None, None
    url = str(value["url"]).strip()
    caption, credit = plain(str(value.get("caption") or "")), plain(str(value.get("credit") or ""))
    if url.startswith("<"):
        address = _address(url)
        if address is None:  # a quote or other text given as media: TimelineJS shows it
            return None, plain(url)
        return Media(address, caption, credit, embed=True), None
    return Media(plain(url), caption, credit), None


def background_lines(value: Any) -> list[str]:
    if not isinstance(value, dict):
        return []
    lines = []
    color = str(value.get("color") or "").strip()
    if color:
        lines.append(BACKGROUND + color)
    url = str(value.get("url") or "").strip()
    if url:
        lines.append(BACKGROUND_IMAGE + plain(url))
    return lines


def location_of(value: Any) -> tuple[str, float | None, float | None] | None:
    """(name, lat, lon) of a `location` object; coordinates None when not numbers."""
    if not isinstance(value, dict):
        return None

    def number(v: Any) -> float | None:
        if isinstance(v, bool):
            return None
        try:
            f = float(v)
        except (TypeError, ValueError):
            return None
        return f if f == f and abs(f) != float("inf") else None

    lat, lon = number(value.get("lat")), number(value.get("lon"))
    name = plain(str(value.get("name") or ""))
    if not name and lat is not None and lon is not None:
        name = f"{lat:.5f}, {lon:.5f}"
    return (name, lat, lon) if name else None


def split_summary(summary: str) -> tuple[str, Media | None, dict[str, str]]:
    """An event's summary as (text, media, background) for the export: the lines the import
    made from a slide's media and background are taken out of the text again."""
    text: list[str] = []
    media: Media | None = None
    background: dict[str, str] = {}
    for line in summary.split("\n"):
        if line.startswith(MEDIA) and media is None:
            url, caption, credit = [*line[len(MEDIA) :].split(SEPARATOR, 2), "", ""][:3]
            media = Media(url, caption, credit)
        elif line.startswith(BACKGROUND) and _COLOR.match(line[len(BACKGROUND) :].strip()):
            background["color"] = line[len(BACKGROUND) :].strip()
        elif line.startswith(BACKGROUND_IMAGE):
            background["url"] = line[len(BACKGROUND_IMAGE) :].strip()
        else:
            text.append(line)
    return "\n".join(text).strip(), media, background


def _v2_date(value: Any) -> dict[str, str] | None:
    """TimelineJS 2's "2011,12,10" (or "2011,12,10,14,30") as a TimelineJS 3 date object."""
    if value in (None, ""):
        return None
    parts = [p.strip() for p in str(value).replace("/", ",").split(",")]
    names = ("year", "month", "day", "hour", "minute", "second")
    return {n: p for n, p in zip(names, parts, strict=False) if p}


def from_timelinejs2(doc: dict[str, Any]) -> dict[str, Any]:
    """A TimelineJS 2 document ({"timeline": {"date": [...], "era": [...]}}) in TimelineJS 3's
    form: startDate/endDate strings become date objects, `asset` the media, `tag` the group,
    the timeline's own headline, text and asset the title slide."""
    old = doc["timeline"]

    def slide(d: Any) -> Any:
        if not isinstance(d, dict):
            return d
        found = d.get("asset")
        asset: dict[str, Any] = found if isinstance(found, dict) else {}
        out: dict[str, Any] = {
            "start_date": _v2_date(d.get("startDate")),
            "end_date": _v2_date(d.get("endDate")),
            "text": {"headline": d.get("headline") or "", "text": d.get("text") or ""},
            "group": d.get("tag") or "",
        }
        if asset.get("media"):
            out["media"] = {
                "url": asset.get("media"),
                "caption": asset.get("caption") or "",
                "credit": asset.get("credit") or "",
            }
        return out

    dates_ = old.get("date") if isinstance(old.get("date"), list) else []
    eras = old.get("era") if isinstance(old.get("era"), list) else []
    return {
        "title": slide(old),
        "events": [slide(d) for d in dates_],
        "eras": [slide(e) for e in eras],
    }
