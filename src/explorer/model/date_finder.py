"""Date expressions in a news article's plain text, resolved against its publication date.

`find_dates` finds Korean ("2024년 8월 19일", "지난 4일", "올해 6월 말"), Chinese
("2024年8月19日", "去年9月", "今年6月底") and English ("August 19, 2024", "last June",
"mid-2024") expressions and returns them in text order, without overlaps: when two
candidates overlap the longer one wins. Values are partial ISO dates ("2024",
"2024-09", "2024-09-04") with the precision of what the text says.

Resolution rules for expressions without a full date, given the article date `ref`:

- a month and day without a year ("7월 2일", "June 3") is the most recent such date not
  after `ref`; a month alone ("9월", "in June") the most recent such month not after
  `ref`'s month;
- "지난 N월" / "last June" is strictly before `ref`'s month, "오는 N월" / "next June"
  strictly after it;
- "지난 N일" is the most recent N-th on or before `ref`, "오는 N일" the first on or after;
  a bare "N일" counts only after 지난/오는, inside a range, or before "(현지시간)";
- "초"/"말" (初/底) after a bare year is a circa month range (Jan-Mar / Oct-Dec); after
  a month, that month with qualifier circa. English "early/late/mid 2024" stays a circa
  year.

Relative expressions are skipped when the article date is unknown (`published` None).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class DateMention:
    begin: int  # character offset of the expression in the text (inclusive)
    end: int  # exclusive; text[begin:end] == words
    words: str  # the expression as written, e.g. "지난해 9월"
    value: str  # partial ISO date: "2024", "2024-09", "2024-09-04"
    precision: str  # "year" | "month" | "day"
    qualifier: str  # "exact" | "circa" | "before" | "after"
    end_value: str | None = None  # last day/month/year of a range, same precision as value
    relative: bool = False  # True when the article date was needed to resolve it


Handler = Callable[[re.Match[str], dt.date | None], DateMention | None]

_S = r"[ \t\u00a0]*"  # optional spaces, never a line break
_SP = r"[ \t\u00a0]+"
_Y = r"(?<![\d.,])(?:19\d\d|20\d\d|2100)(?!\d|[.,]\d)"  # a plausible year, not in a longer number
_DASH = r"[~∼～\-–—]"

_REL_YEAR = {"재작년": -2, "지난해": -1, "작년": -1, "올해": 0, "금년": 0, "금년도": 0, "내년": 1}
_REL_YEAR |= {"前年": -2, "去年": -1, "今年": 0, "本年": 0, "明年": 1}
_REL_MONTH = {"지난달": -1, "이번달": 0, "이달": 0, "다음달": 1, "내달": 1}
_REL_MONTH |= {"上月": -1, "上个月": -1, "本月": 0, "这个月": 0, "下月": 1, "下个月": 1}
_REL_DAY = {"그저께": -2, "그제": -2, "어제": -1, "오늘": 0, "내일": 1, "yesterday": -1}

_EARLY = {"초", "초순", "初"}
_LATE = {"말", "하순", "底", "末"}
_CIRCA = ["중순", "전후", "무렵", "께", "경", "쯤", "上旬", "中旬", "下旬", "前后", "左右"]
_QUALIFIER = dict.fromkeys([*_EARLY, *_LATE, *_CIRCA, "early", "late", "mid"], "circa")
_QUALIFIER |= dict.fromkeys(["이후", "이래", "以后", "以来", "之后", "since", "after"], "after")
_QUALIFIER |= dict.fromkeys(["이전", "以前", "之前", "before", "by", "until"], "before")

_NUMBER = {"1": 1, "2": 2, "3": 3, "4": 4, "一": 1, "二": 2, "三": 3, "四": 4}
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

# Korean: [year] [half | quarter | month | relative month] [day [range]] [qualifier].
_KO = re.compile(
    r"(?=[\d지오올금작내재이다상하첫])"
    rf"(?P<yp>(?P<y>{_Y}){_S}년(?:도)?|(?<![가-힣])(?P<ry>재작년|지난해|작년|올해|금년도?|내년))?"
    rf"(?:{_S}(?:(?P<half>상반기|하반기)|(?P<first>첫{_S})?(?<!\d)(?P<q>[1-4]){_S}분기"
    rf"|(?:(?<![가-힣])(?P<md>지난|오는){_S})?(?<!\d)(?P<m>\d{{1,2}})"
    rf"(?:{_S}{_DASH}{_S}(?P<m_to>\d{{1,2}}))?{_S}월"
    rf"|(?<![가-힣])(?P<rm>지난{_S}달|이번{_S}달|이달|다음{_S}달|내달)))?"
    rf"(?:{_S}(?:(?<![가-힣])(?P<dd>지난|오는){_S})?(?<!\d)(?P<d>\d{{1,2}})"
    rf"(?:{_S}일(?:{_S}부터{_S}(?:(?P<m_to2>\d{{1,2}}){_S}월{_S})?(?P<d_to>\d{{1,2}}){_S}일"
    rf"(?:{_S}까지)?)?|{_S}{_DASH}{_S}(?P<d_to2>\d{{1,2}}){_S}일))?"
    rf"(?P<qual>{_S}(?:[을를]{_S})?(?:전후|무렵|이후|이래|이전)|{_S}(?:께|경|쯤)(?![가-힣])"
    rf"|{_S}(?:초순|중순|하순|초|말)(?:(?![가-힣])|(?=[에까부의엔께쯤경])))?"
)

# Chinese: the same parts, written with 年/月/日.
_ZH = re.compile(
    r"(?=[\d去前今明本上下这第一二三四])"
    rf"(?P<yp>(?P<y>{_Y}){_S}年|(?P<ry>前年|去年|今年|本年|明年))?"
    rf"(?:(?P<half>上半年|下半年)|第?(?P<q>[1-4一二三四])季度"
    rf"|(?<!\d)(?P<m>\d{{1,2}})(?:{_S}(?:{_DASH}|至|到){_S}(?P<m_to>\d{{1,2}}))?{_S}月份?"
    r"|(?P<rm>上个?月|本月|这个月|下个?月))?"
    rf"(?:(?<!\d)(?P<d>\d{{1,2}}){_S}[日号](?:{_S}(?:{_DASH}|至|到){_S}"
    rf"(?:(?P<m_to2>\d{{1,2}})月)?(?P<d_to>\d{{1,2}}){_S}[日号])?)?"
    r"(?P<qual>年?(?:初|底|末)|上旬|中旬|下旬|前后|左右|以后|以来|之后|以前|之前)?"
)

_YEAR_RANGE = re.compile(
    rf"(?P<a>{_Y}){_S}(?:년|年)?{_S}(?:{_DASH}|부터|至|到){_S}(?P<b>{_Y}){_S}(?:년|年)"
    rf"(?:{_S}까지)?"
)
_ISO = re.compile(r"(?<![\d.,/-])(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?![\d-])")
_DOTTED = re.compile(
    r"(?<![\d.,])(?P<y>(?:19|20)\d\d)(?P<sep>[./]) ?(?P<m>\d{1,2})(?P=sep) ?(?P<d>\d{1,2})"
    r"(?!\d)(?:\.(?!\d))?"
)

_MON = (  # a full month name, or an abbreviation with an optional dot
    r"(?P<mon>(?:January|February|March|April|May|June|July|August|September|October"
    r"|November|December)(?![A-Za-z])|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)"
    r"(?![A-Za-z])\.?)"
)
_MODS = r"early|late|mid|in|since|before|after|by|until|during"
_EN = re.compile(
    rf"(?:(?<![A-Za-z])(?P<mod>(?i:{_MODS}|last|this|next))(?:-|{_SP}))?"
    rf"(?:(?<![\d.,])(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?{_SP}(?:of{_SP})?)?{_MON}"
    rf"(?:{_SP}(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?!\d))?(?:,?{_SP}(?P<y>{_Y}))?"
)
_EN_YEAR = re.compile(rf"(?<![A-Za-z])(?P<mod>(?i:{_MODS}))(?:-|{_SP})(?P<y>{_Y})")
_EN_REL = re.compile(rf"(?<![A-Za-z])(?P<w>(?i:last|this|next)){_SP}(?P<u>(?i:year|month))\b")
_DAY_WORD = re.compile(r"(?<![가-힣])(?:그저께|그제|어제|오늘(?!날)|내일)|\b(?i:yesterday)\b")
_LOCAL_TIME = re.compile(rf"{_S}[(（]현지")


def _ym(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def _shift(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _month_day(ref: dt.date, month: int, day: int, forward: bool) -> dt.date | None:
    """The most recent month/day not after `ref`, or with `forward` the first not before."""
    step = 1 if forward else -1
    for year in range(ref.year, ref.year + 9 * step, step):  # nine years reach a 29 February
        found = _date(year, month, day)
        if found and (found >= ref if forward else found <= ref):
            return found
    return None


def _day_of_month(ref: dt.date, day: int, forward: bool) -> dt.date | None:
    """The most recent `day`-th of a month on or before `ref` (or the first on or after)."""
    year, month = ref.year, ref.month
    for _ in range(13):
        found = _date(year, month, day)
        if found and (found >= ref if forward else found <= ref):
            return found
        year, month = _shift(year, month, 1 if forward else -1)
    return None


def _year_of_month(ref: dt.date, month: int, mode: str) -> int:
    """Year of a month named without one: 'recent' is not after ref's month, 'last'
    strictly before it, 'next' strictly after it, 'this' in ref's year."""
    if mode == "last":
        return ref.year if month < ref.month else ref.year - 1
    if mode == "next":
        return ref.year if month > ref.month else ref.year + 1
    if mode == "this":
        return ref.year
    return ref.year if month <= ref.month else ref.year - 1


def _mention(
    m: re.Match[str],
    value: str,
    precision: str,
    qualifier: str = "exact",
    end_value: str | None = None,
    relative: bool = False,
    stop: int | None = None,
) -> DateMention:
    end = m.end() if stop is None else stop
    return DateMention(
        m.start(), end, m.string[m.start() : end], value, precision, qualifier, end_value, relative
    )


def _year_mention(
    m: re.Match[str], year: int, qual: str, relative: bool, stop: int | None = None
) -> DateMention:
    """A bare year; "초"/"말" (初/底) make it a circa range of months."""
    qualifier = _QUALIFIER.get(qual, "exact")
    if qual in _EARLY or qual in _LATE:
        first, last = (1, 3) if qual in _EARLY else (10, 12)
        return _mention(m, _ym(year, first), "month", qualifier, _ym(year, last), relative, stop)
    return _mention(m, f"{year:04d}", "year", qualifier, None, relative, stop)


def _cjk(m: re.Match[str], ref: dt.date | None) -> DateMention | None:
    """Korean and Chinese expressions; falls back to the year alone if the rest is invalid."""
    found = _cjk_full(m, ref)
    if found is None and m.group("y"):
        return _year_mention(m, int(m.group("y")), "", False, stop=m.end("yp"))
    return found


def _cjk_full(m: re.Match[str], ref: dt.date | None) -> DateMention | None:
    g = m.groupdict()
    qual = re.sub(r"[\s을를]", "", g["qual"] or "").removeprefix("年")
    qualifier = _QUALIFIER.get(qual, "exact")
    relative = False
    year: int | None = None
    if g["y"]:
        year = int(g["y"])
    elif g["ry"]:
        if ref is None:
            return None
        year, relative = ref.year + _REL_YEAR[g["ry"]], True
    if g["half"] or g["q"]:
        if g["d"]:
            return None
        if year is None:
            if ref is None:
                return None
            year, relative = ref.year, True
        if g["half"]:
            first, last = (1, 6) if g["half"] in ("상반기", "上半年") else (7, 12)
        else:
            last = 3 * _NUMBER[g["q"]]
            first = 1 if g.get("first") else last - 2
        return _mention(m, _ym(year, first), "month", qualifier, _ym(year, last), relative)

    month = int(g["m"]) if g["m"] else None
    if g["rm"]:
        if ref is None:
            return None
        year, month = _shift(ref.year, ref.month, _REL_MONTH[re.sub(r"\s", "", g["rm"])])
        relative = True
    day = int(g["d"]) if g["d"] else None
    day_to = g["d_to"] or g.get("d_to2")
    mode = {"지난": "last", "오는": "next"}.get(g.get("md") or "", "recent")

    if month is None:
        if day is None:
            return None if year is None else _year_mention(m, year, qual, relative)
        # A bare day counts after 지난/오는, in a range, or before "(현지시간)".
        local = _LOCAL_TIME.match(m.string, m.end())
        if year is not None or ref is None or not (g.get("dd") or day_to or local):
            return None
        start = _day_of_month(ref, day, forward=g.get("dd") == "오는")
        relative = True
    elif not 1 <= month <= 12:
        return None
    elif day is None:
        if year is None:
            if ref is None:
                return None
            year, relative = _year_of_month(ref, month, mode), True
        end_value = None
        if g["m_to"]:
            month_to = int(g["m_to"])
            if not month < month_to <= 12:
                return None
            end_value = _ym(year, month_to)
        return _mention(m, _ym(year, month), "month", qualifier, end_value, relative)
    elif year is not None:
        start = _date(year, month, day)
    else:
        if ref is None:
            return None
        start, relative = _month_day(ref, month, day, forward=mode == "next"), True
    if start is None:
        return None

    end_value = None
    if day_to:
        end = _range_end(start, int(g["m_to2"]) if g["m_to2"] else None, int(day_to))
        if end is None:
            return None
        end_value = end.isoformat()
    return _mention(m, start.isoformat(), "day", qualifier, end_value, relative)


def _range_end(start: dt.date, month: int | None, day: int) -> dt.date | None:
    """The end of a day range that starts at `start`, in the same or the next period."""
    end = _date(start.year, month or start.month, day)
    if end is not None and end <= start:
        if month:
            end = _date(start.year + 1, month, day)
        else:
            end = _date(*_shift(start.year, start.month, 1), day)
    return end


def _year_range(m: re.Match[str], ref: dt.date | None) -> DateMention | None:
    first, last = m.group("a"), m.group("b")
    return _mention(m, first, "year", end_value=last) if first < last else None


def _numeric(m: re.Match[str], ref: dt.date | None) -> DateMention | None:
    found = _date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return _mention(m, found.isoformat(), "day") if found else None


def _english(m: re.Match[str], ref: dt.date | None) -> DateMention | None:
    g = m.groupdict()
    mod = (g["mod"] or "").lower()
    qualifier = _QUALIFIER.get(mod, "exact")
    if not g.get("mon"):
        return _mention(m, g["y"], "year", qualifier)
    if g["d1"] and g["d2"]:
        return None
    month = _MONTHS.index(g["mon"][:3].lower()) + 1
    day = int(g["d1"] or g["d2"] or 0)
    start: dt.date | None
    if g["y"]:
        if not day:
            return _mention(m, _ym(int(g["y"]), month), "month", qualifier)
        start = _date(int(g["y"]), month, day)
        return _mention(m, start.isoformat(), "day", qualifier) if start else None
    if ref is None or not (day or mod):  # a month name alone is too often another word
        return None
    mode = mod if mod in ("last", "this", "next") else "recent"
    if not day:
        year = _year_of_month(ref, month, mode)
        return _mention(m, _ym(year, month), "month", qualifier, None, True)
    if mode == "this":
        start = _date(ref.year, month, day)
    else:
        start = _month_day(ref, month, day, forward=mode == "next")
    return _mention(m, start.isoformat(), "day", qualifier, None, True) if start else None


def _english_relative(m: re.Match[str], ref: dt.date | None) -> DateMention | None:
    if ref is None:
        return None
    offset = {"last": -1, "this": 0, "next": 1}[m.group("w").lower()]
    if m.group("u").lower() == "year":
        return _mention(m, f"{ref.year + offset:04d}", "year", relative=True)
    return _mention(m, _ym(*_shift(ref.year, ref.month, offset)), "month", relative=True)


def _day_word(m: re.Match[str], ref: dt.date | None) -> DateMention | None:
    if ref is None:
        return None
    day = ref + dt.timedelta(days=_REL_DAY[m.group().lower()])
    return _mention(m, day.isoformat(), "day", relative=True)


_RULES: tuple[tuple[re.Pattern[str], Handler], ...] = (
    (_KO, _cjk),
    (_ZH, _cjk),
    (_YEAR_RANGE, _year_range),
    (_ISO, _numeric),
    (_DOTTED, _numeric),
    (_EN, _english),
    (_EN_YEAR, _english),
    (_EN_REL, _english_relative),
    (_DAY_WORD, _day_word),
)


def _scan(
    pattern: re.Pattern[str], handler: Handler, text: str, ref: dt.date | None
) -> Iterator[DateMention]:
    """Every accepted match; after a rejected one the search resumes one character later."""
    pos = 0
    while (m := pattern.search(text, pos)) is not None:
        found = handler(m, ref) if m.end() > m.start() else None
        if found is not None:
            yield found
        pos = m.end() if found is not None else m.start() + 1


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """All date expressions, in text order, not overlapping (longest match wins)."""
    candidates = [
        found for pattern, handler in _RULES for found in _scan(pattern, handler, text, published)
    ]
    candidates.sort(key=lambda c: (c.begin - c.end, c.begin))
    chosen: list[DateMention] = []
    for candidate in candidates:
        if all(candidate.end <= c.begin or candidate.begin >= c.end for c in chosen):
            chosen.append(candidate)
    return sorted(chosen, key=lambda c: c.begin)
