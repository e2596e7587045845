"""Dates in a sentence, resolved against the publication date, in English, Vietnamese and Chinese.

Each phrase becomes a `When`: the ISO partial date or interval it stands for, its kind (event, period,
as-of, due), a `date_basis` in our words, and a TODO where the publication date leaves it open. Phrases of
comparison ("up 16 per cent from the previous year", "同比", "so với cùng kỳ") are found too, so that they
are never taken for a figure's own date.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from vnguangxi.dates import DateError, Span, parse
from vnguangxi.extract.numbers import parse_number, zh_numeral


@dataclass
class When:
    start: int
    end: int
    phrase: str
    date: str | None  # ISO partial date or interval; None when the publication date cannot resolve it
    kind: str  # event | period | as-of | due
    basis: str
    role: str = "own"  # own | comparison
    todo: str | None = None
    claim: bool = False  # its number is also a figure ("26 consecutive years")
    ongoing: bool = False  # "since …": under way at publication


@dataclass
class Pub:
    """The publication date: partial or an interval; `year` and `day` only where it fixes them."""

    text: str | None
    span: Span | None

    @classmethod
    def of(cls, text: str | None) -> Pub:
        if not text:
            return cls(None, None)
        try:
            return cls(text, parse(text))
        except DateError:
            return cls(None, None)

    @property
    def year(self) -> int | None:
        if self.span is None or self.span.start.year != self.span.end.year:
            return None
        return self.span.start.year

    @property
    def month(self) -> tuple[int, int] | None:
        s = self.span
        if s is None or (s.start.year, s.start.month) != (s.end.year, s.end.month):
            return None
        return s.start.year, s.start.month

    @property
    def day(self) -> date | None:
        s = self.span
        return s.start if s is not None and s.start == s.end else None

    def label(self) -> str:
        return self.text or "an article of unknown date"


MONTHS = {
    m.lower(): i
    for i, names in enumerate(
        [
            (),
            ("January", "Jan"),
            ("February", "Feb"),
            ("March", "Mar"),
            ("April", "Apr"),
            ("May",),
            ("June", "Jun"),
            ("July", "Jul"),
            ("August", "Aug"),
            ("September", "Sep", "Sept"),
            ("October", "Oct"),
            ("November", "Nov"),
            ("December", "Dec"),
        ]  # fmt: skip
    )
    for m in names
}
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)\.?"  # noqa: E501
_WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
_ZH_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_VI_WEEKDAYS = {"Hai": 0, "Ba": 1, "Tư": 2, "Năm": 3, "Sáu": 4, "Bảy": 5}
_NUMW = r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_ZH_N = r"\d+|[一二两三四五六七八九十]+"
_VI_N = r"\d+|một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười"


def _n(text: str, language: str) -> int | None:
    v = zh_numeral(text) if language == "zh" else None
    if v is not None:
        return v
    f = parse_number(text, "en")
    return int(f) if f is not None else None


def _month_end(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def interval(start: str, end: str) -> str | None:
    """'START/END', or None where it does not run forward. An end inside the start's month or year is a day
    that cuts it short: the start is written to the day ('2024-03-01/2024-03-22', not '2024-03/2024-03-22',
    which the fact format reads as all of March)."""
    try:
        a, b = parse(start), parse(end)
        if b.end < a.end:
            start = a.start.isoformat()
        parse(f"{start}/{end}")
    except DateError:
        return None
    return f"{start}/{end}"


def _valid_day(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


class _Finder:
    def __init__(self, sentence: str, pub: Pub) -> None:
        self.s = sentence
        self.pub = pub
        self.out: list[When] = []

    def taken(self, a: int, b: int) -> bool:
        return any(a < w.end and w.start < b for w in self.out)

    def add(self, m: re.Match[str], date_: str | None, kind: str, basis: str, **kw: object) -> None:
        if self.taken(m.start(), m.end()):
            return
        phrase = m.group().strip()
        todo = kw.pop("todo", None)
        if date_ is None and todo is None:
            todo = f"resolve '{phrase}': the publication date ({self.pub.label()}) does not fix it"
        self.out.append(When(m.start(), m.end(), phrase, date_, kind, basis, todo=todo, **kw))  # type: ignore[arg-type]

    def rel_year(self, m: re.Match[str], offset: int, kind: str = "period", **kw: object) -> None:
        y = self.pub.year
        phrase = m.group().strip()
        if y is None:
            self.add(m, None, kind, f"'{phrase}' in {self.pub.label()}", **kw)
        else:
            self.add(m, str(y + offset), kind, f"'{phrase}' in an article of {self.pub.label()} → {y + offset}", **kw)

    def day_in_pub_year(self, m: re.Match[str], month: int, day: int, year: int | None, year_word: str = "") -> None:
        phrase = m.group().strip()
        if year is not None:
            if _valid_day(year, month, day):
                self.add(m, f"{year:04d}-{month:02d}-{day:02d}", "event", f"'{phrase}' as printed")
            return
        y = self.pub.year
        if y is None:
            self.add(m, None, "event", f"'{phrase}' in {self.pub.label()}")
            return
        if year_word:
            y += -1 if year_word in ("last year", "去年", "năm ngoái", "năm trước") else 0
        elif self.pub.span is not None and _valid_day(y, month, day) and date(y, month, day) > self.pub.span.end:
            if _valid_day(y - 1, month, day):
                self.add(
                    m,
                    f"{y - 1:04d}-{month:02d}-{day:02d}",
                    "event",
                    f"'{phrase}' in an article of {self.pub.label()}: after it in {y}, so {y - 1}",
                    todo=f"'{phrase}' would fall after the article's date in {y}: taken as {y - 1}, unless a plan",
                )
            return
        if not _valid_day(y, month, day):
            return
        self.add(
            m,
            f"{y:04d}-{month:02d}-{day:02d}",
            "event",
            f"'{phrase}' in an article of {self.pub.label()}: the year is the article's ({y})",
        )

    def days_in_pub_year(self, m: re.Match[str], month: int, day: int, last: int, last_year: bool) -> bool:
        """'January 10-13', '10–13 March last year': a run of days, in the article's year (or the one before)."""
        y = self.pub.year
        if y is None or not (_valid_day(y, month, day) and _valid_day(y, month, last)):
            return False
        y -= 1 if last_year else 0
        if not last_year and self.pub.span is not None and date(y, month, day) > self.pub.span.end:
            return False  # after the article: let the one-day rule decide the year
        phrase = m.group().strip()
        self.add(
            m,
            f"{y:04d}-{month:02d}-{day:02d}/{y:04d}-{month:02d}-{last:02d}",
            "event",
            f"'{phrase}' in an article of {self.pub.label()}: the year is the article's ({y})",
        )
        return True

    def month_in_year(self, m: re.Match[str], month: int, year: int | None, rel: str = "") -> None:
        phrase = m.group().strip()
        if not 1 <= month <= 12:
            return
        if year is not None:
            self.add(m, _month_end(year, month), "event", f"'{phrase}' as printed")
            return
        y = self.pub.year
        if y is None:
            self.add(m, None, "event", f"'{phrase}' in {self.pub.label()}")
            return
        if rel:
            y -= 1
        self.add(m, _month_end(y, month), "event", f"'{phrase}' in an article of {self.pub.label()} → {y}")

    def first_months(self, m: re.Match[str], n: int | None, year: int | None, offset: int | None) -> None:
        phrase = m.group().strip()
        if n is None or not 1 <= n <= 12:
            return
        if year is None:
            base = self.pub.year
            if base is None:
                self.add(m, None, "period", f"'{phrase}' in {self.pub.label()}")
                return
            year = base + (offset or 0)
            basis = f"'{phrase}' in an article of {self.pub.label()} → {year}-01 to {year}-{n:02d}"
        else:
            basis = f"'{phrase}' → {year}-01 to {year}-{n:02d}"
        date_ = f"{year}-01/{year}-{n:02d}" if n > 1 else f"{year}-01"
        self.add(m, date_, "period", basis)

    def since(self, m: re.Match[str], start: str | None, end: str | None = None) -> None:
        phrase = m.group().strip()
        if start is None or self.pub.span is None:
            self.add(m, None, "period", f"'{phrase}' in {self.pub.label()}", ongoing=True)
            return
        end = end or (self.pub.text or "").split("/")[-1]
        date_ = interval(start, end) or start
        self.add(m, date_, "period", f"'{phrase}' in an article of {self.pub.label()} → {start} to {end}", ongoing=True)

    def past_year(self, m: re.Match[str]) -> None:
        """'over the past year', '一年来', 'một năm qua': the twelve months up to publication."""
        s = self.pub.span
        if s is None or self.pub.month is None:
            self.add(m, None, "period", f"'{m.group().strip()}' in {self.pub.label()}", ongoing=True)
            return
        y, mo = self.pub.month
        self.since(m, f"{y - 1:04d}-{mo:02d}", f"{y:04d}-{mo:02d}")

    def as_of_pub(self, m: re.Match[str], claim: bool = True) -> None:
        phrase = m.group().strip()
        if self.pub.text is None:
            self.add(m, None, "as-of", f"'{phrase}' as of publication", claim=claim)
            return
        self.add(m, self.pub.text, "as-of", f"'{phrase}' as of the article's date ({self.pub.text})", claim=claim)

    def due(self, m: re.Match[str], year: int | None, month: int | None = None) -> None:
        phrase = m.group().strip()
        if year is None:
            y = self.pub.year
            if y is None:
                self.add(m, None, "due", f"'{phrase}' in {self.pub.label()}")
                return
            year = y
            basis = f"'{phrase}' in an article of {self.pub.label()} → due by {year}"
        else:
            basis = f"'{phrase}': a due date, {year}"
        date_ = _month_end(year, month) if month else str(year)
        pub = self.pub.span
        if pub is not None and parse(date_).end < pub.start:
            # "by the end of 2023" in an article of 2024: a standing total as of then, not a deadline
            self.add(m, date_, "as-of", f"'{phrase}': before the article's date ({self.pub.text}), so as of then")
            return
        self.add(m, date_, "due", basis)

    def weekday(self, m: re.Match[str], wd: int) -> None:
        phrase = m.group().strip()
        d = self.pub.day
        if d is None:
            self.add(m, None, "event", f"'{phrase}' in {self.pub.label()}")
            return
        back = (d.weekday() - wd) % 7
        day = d - timedelta(days=back)
        self.add(
            m,
            day.isoformat(),
            "event",
            f"'{phrase}': the latest such day on or before the article's date {d.isoformat()} → {day.isoformat()}",
        )

    def comparison(self, m: re.Match[str]) -> None:
        if not self.taken(m.start(), m.end()):
            self.out.append(
                When(m.start(), m.end(), m.group().strip(), None, "period", "comparison", role="comparison")
            )

    def year(self, m: re.Match[str], y: int, kind: str = "period") -> None:
        if 1900 <= y <= 2100:
            self.add(m, str(y), kind, f"'{m.group().strip()}' as printed")


# ------------------------------------------------------------------------------ English

_E = re.IGNORECASE
_EN_COMPARE = re.compile(
    r"\b(?:from|over|than|compared (?:with|to)|against|versus|on|vs\.?)\s+(?:(?:the|a)\s+)?"
    r"(?:same period (?:of |in )?(?:the )?(?:previous|last|preceding) year|same period (?:of |in )?\d{4}|"
    r"same period|previous year|preceding year|prior year|year before|year earlier|last year|(?:in\s+)?(?:19|20)\d\d)\b"
    r"|\byear[- ]on[- ]year\b|\ba year (?:earlier|before|ago)\b|\b(?:19|20)\d\d(?:'s)? (?:level|figure)s?\b",
    _E,
)
_EN_CONSEC = re.compile(
    rf"\b(?:for\s+)?(?:the\s+)?(?:{_NUMW})(?:st|nd|rd|th)?\s+(?:consecutive|straight|successive)\s+years?\b|\b(?:{_NUMW})\s+years in a row\b",  # noqa: E501
    _E,
)
_EN_FROM_NOW = re.compile(
    r"\bfrom (?:(?P<mon>"
    + _MON
    + r")\s+)?(?P<y>(?:19|20)\d\d) (?:up )?(?:to|till|until) (?:now|date|the present|today)\b",
    re.I,
)
_EN_SINCE = re.compile(
    rf"\bsince\s+(?:(?:its|their|the|his|her)\s+[a-z-]+\s+(?:in\s+)?)?(?:(?P<mon>{_MON})\s+)?(?:(?P<rel>last year|this year)|(?P<y>(?:19|20)\d\d))|\bsince (?:the (?:beginning|start) of )?(?P<ty>this|the) year\b",  # noqa: E501
    _E,
)
_EN_FIRST = re.compile(
    rf"\b(?:in\s+)?the first (?P<n>{_NUMW}) months(?: of (?:(?P<rel>this|last|the) year|(?P<y>(?:19|20)\d\d)))?"
    rf"|\b(?:in\s+)?the first (?P<h>half|quarter|two quarters|three quarters)(?: of (?:(?P<rel2>this|last|the) year|(?P<y2>(?:19|20)\d\d)))?"  # noqa: E501
    rf"|\b(?:(?P<m1>{_MON})\s*[-–]\s*|January (?:to|through)\s+)(?P<m2>{_MON})(?:\s+(?:of\s+)?(?:(?P<rel3>this|last) year|(?P<y3>(?:19|20)\d\d)))?",  # noqa: E501
    _E,
)
_EN_DUE = re.compile(
    r"\bby (?:the )?year[- ]end\b|\bby the end of (?:the|this) year\b|"
    rf"\b(?:this year,?\s+)?by (?:the end of )?(?:(?P<mon>{_MON})\s+)?(?:(?P<y>(?:19|20)\d\d)|(?P<rel>this|next) year|(?P<ty>the year)|(?P<mon2>{_MON})\b(?:\s+this year)?)",  # noqa: E501
    _E,
)
_EN_FULL = re.compile(
    rf"\b(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:and|to|-|–)\s*(?P<dd>\d{{1,2}}))?,?\s+(?P<y>(?:19|20)\d\d)\b"  # noqa: E501
    rf"|\b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mon2>{_MON}),?\s+(?P<y2>(?:19|20)\d\d)\b"
    r"|\b(?P<iy>(?:19|20)\d\d)-(?P<im>\d\d)-(?P<id>\d\d)\b",
)
_EN_DAY = re.compile(
    rf"\b(?:on\s+)?(?P<mon>{_MON})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:\s*(?:-|–|to)\s*(?P<dd>\d{{1,2}})\b)?"
    r"(?:,?\s+(?P<rel>last|this) year)?"
    rf"|\b(?:on\s+)?(?:the\s+)?(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*(?:-|–|to)\s*(?P<dd2>\d{{1,2}}))?\s+(?:of\s+)?"
    rf"(?P<mon2>{_MON})\b(?:\s+(?P<rel2>last|this) year)?",
)
_EN_MONTH = re.compile(
    rf"\b(?:in\s+|early\s+|late\s+|mid-)?(?P<mon>{_MON})\s+(?:of\s+)?(?:(?P<y>(?:19|20)\d\d)|(?P<rel>last|this) year)\b"
    rf"|\b(?:in|early|late|since|during|until|last|this|mid-)\s*(?P<mon2>January|February|March|April|June|July|August|September|October|November|December)\b",
)
_EN_REL = re.compile(
    r"\b(?:earlier |later )?(?P<w>last year|this year|next year|last month|this month|yesterday|today|"
    r"the past (?P<n>\w+) years|the last (?P<n2>\w+) years|recent years)\b",
    _E,
)
_EN_WEEKDAY = re.compile(r"\b(?:on\s+)?(?:last\s+)?(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_EN_YEAR = re.compile(
    r"\b(?:in\s+|of\s+|for\s+|during\s+)?(?P<y>(?:19|20)\d\d)\b(?![-–/]\d)(?!\s*(?:tonnes|people|visits))"
)


_EN_PAST_YEAR = re.compile(r"\b(?:over|in|during) the (?:past|last) (?:year|12 months|twelve months)\b", re.I)
_ZH_PAST_YEAR = re.compile(r"(?:过去)?一年(?:来|以来)|过去一年")
_VI_PAST_YEAR = re.compile(r"\b(?:một năm qua|trong năm qua)\b", re.I)


def _en(f: _Finder) -> None:
    s = f.s
    for m in _EN_PAST_YEAR.finditer(s):
        f.past_year(m)
    for m in _EN_CONSEC.finditer(s):
        f.as_of_pub(m)
    for m in _EN_FROM_NOW.finditer(s):
        mon = MONTHS.get((m["mon"] or "").lower().rstrip("."))
        f.since(m, _month_end(int(m["y"]), mon) if mon else m["y"])
    for m in _EN_COMPARE.finditer(s):
        f.comparison(m)
    for m in _EN_SINCE.finditer(s):
        y = f.pub.year
        mon = MONTHS.get((m["mon"] or "").lower().rstrip("."))
        if m["y"]:
            base: int | None = int(m["y"])
        elif m["rel"] or m["ty"]:
            base = None if y is None else y - (1 if (m["rel"] or "").lower() == "last year" else 0)
        else:
            base = None
        if m["ty"]:
            mon = mon or 1
        f.since(m, None if base is None else (_month_end(base, mon) if mon else str(base)))
    for m in _EN_FIRST.finditer(s):
        if m["n"]:
            n = _n(m["n"], "en")
        elif m["h"]:
            n = {"half": 6, "quarter": 3, "two quarters": 6, "three quarters": 9}[m["h"].lower()]
        else:
            n = MONTHS.get(m["m2"].lower().rstrip("."))
            if m["m1"] and MONTHS.get(m["m1"].lower().rstrip(".")) != 1:
                continue
        yt = m["y"] or m["y2"] or m["y3"]
        rel = (m["rel"] or m["rel2"] or m["rel3"] or "").lower()
        f.first_months(m, n, int(yt) if yt else None, -1 if rel == "last" else 0)
    for m in _EN_DUE.finditer(s):
        mon = MONTHS.get((m["mon"] or m["mon2"] or "").lower().rstrip("."))
        if m["y"]:
            f.due(m, int(m["y"]), mon)
        elif m["rel"] and m["rel"].lower() == "next" and f.pub.year:
            f.due(m, f.pub.year + 1, mon)
        else:
            f.due(m, None, mon)
    for m in _EN_FULL.finditer(s):
        if m["iy"]:
            f.day_in_pub_year(m, int(m["im"]), int(m["id"]), int(m["iy"]))
        else:
            mon = MONTHS[(m["mon"] or m["mon2"]).lower().rstrip(".")]
            y, d = int(m["y"] or m["y2"]), int(m["d"] or m["d2"])
            dd = int(m["dd"]) if m["dd"] else 0
            if dd > d and _valid_day(y, mon, d) and _valid_day(y, mon, dd):
                f.add(
                    m,
                    f"{y:04d}-{mon:02d}-{d:02d}/{y:04d}-{mon:02d}-{dd:02d}",
                    "event",
                    f"'{m.group().strip()}' as printed",
                )
            else:
                f.day_in_pub_year(m, mon, d, y)
    for m in _EN_DAY.finditer(s):
        mon = MONTHS[(m["mon"] or m["mon2"]).lower().rstrip(".")]
        rel = m["rel"] or m["rel2"]
        d, dd = int(m["d"] or m["d2"]), int(m["dd"] or m["dd2"] or 0)
        if dd > d and f.days_in_pub_year(m, mon, d, dd, rel == "last"):
            continue
        f.day_in_pub_year(m, mon, d, None, "last year" if rel == "last" else "")
    for m in _EN_MONTH.finditer(s):
        mon = MONTHS[(m["mon"] or m["mon2"]).lower().rstrip(".")]
        if m["y"]:
            f.month_in_year(m, mon, int(m["y"]))
        else:
            f.month_in_year(m, mon, None, "last" if m["rel"] == "last" else "")
    for m in _EN_WEEKDAY.finditer(s):
        f.weekday(m, _WEEKDAYS[m["wd"].lower()])
    for m in _EN_REL.finditer(s):
        w = m["w"].lower()
        if w == "last year":
            f.rel_year(m, -1)
        elif w == "this year" and m.group().lower().startswith("earlier") and f.pub.span is not None:
            y0 = f.pub.span.start.year
            end = (f.pub.text or "").split("/")[-1]
            span = f"{y0}-01/{end}" if end != f"{y0}-01" else end
            f.add(m, interval(f"{y0}-01", end) or span, "period", f"'{m.group()}' in an article of {end}")
        elif w == "this year":
            f.rel_year(m, 0)
        elif w == "next year":
            f.rel_year(m, 1, "due")
        elif w in ("last month", "this month"):
            pm = f.pub.month
            if pm is None:
                f.add(m, None, "period", f"'{m.group().strip()}' in {f.pub.label()}")
            else:
                y, mo = pm
                if w == "last month":
                    y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
                f.add(m, _month_end(y, mo), "period", f"'{m.group().strip()}' in an article of {f.pub.label()}")
        elif w in ("yesterday", "today"):
            day = f.pub.day
            if day is None:
                f.add(m, None, "event", f"'{w}' in {f.pub.label()}")
            else:
                day = day - timedelta(days=1) if w == "yesterday" else day
                f.add(m, day.isoformat(), "event", f"'{w}' in an article of {f.pub.label()}")
        elif (m["n"] or m["n2"]) and re.search(r"\bfor\s+$", s[: m.start()]):
            f.as_of_pub(m)  # "for the past 26 years": a standing fact, as of publication
        elif m["n"] or m["n2"]:
            n = _n(m["n"] or m["n2"] or "", "en")
            y0 = f.pub.year or 0
            if n and y0 and f.pub.text:
                f.since(m, str(y0 - n))  # "over the past five years": a period up to publication
        else:
            f.add(m, None, "period", f"'{m.group().strip()}'", todo=f"which years does '{m.group().strip()}' mean?")
    for m in _EN_YEAR.finditer(s):
        f.year(m, int(m["y"]))


# ------------------------------------------------------------------------------ Vietnamese

_VI_COMPARE = re.compile(
    r"(?:so với|bằng)\s+(?:cùng kỳ\s+)?(?:năm (?:trước|ngoái)|năm \d{4}|\d{4}|cùng kỳ|năm)"
    r"|cùng kỳ(?: năm (?:trước|ngoái|\d{4}))?",
    _E,
)
_VI_CONSEC = re.compile(rf"\b(?:{_VI_N}) năm liên tiếp|năm thứ (?:{_VI_N}) liên tiếp", _E)
_VI_SINCE = re.compile(
    r"\btừ (?:tháng (?P<m>\d{1,2})(?:/(?P<my>\d{4})| năm (?P<my2>\d{4}))?|năm (?P<y>\d{4})|(?P<dau>đầu năm)(?: nay)?)",
    _E,
)
_VI_FIRST = re.compile(
    rf"\b(?P<n>{_VI_N}) tháng đầu năm(?:\s+(?P<rel>nay|ngoái|trước)|\s+(?P<y>\d{{4}}))?|\bquý (?P<q>I{{1,3}}|IV|\d)(?:/(?P<qy>\d{{4}})| năm (?P<qy2>\d{{4}}))?",  # noqa: E501
    _E,
)
_VI_DUE = re.compile(
    r"\b(?:đến|tới|trước|vào)\s+(?:cuối\s+)?năm\s+(?P<y>\d{4})|\bđến\s+(?P<y2>\d{4})|\b(?:đến|trước) cuối năm(?: nay)?",
    _E,
)
_VI_DAY = re.compile(
    r"\b(?:[Nn]gày|[Ss]áng|[Cc]hiều|[Tt]ối|[Tt]rưa|[Đđ]êm)\s+(?:ngày\s+|qua\s+\(?)?(?P<d>\d{1,2})[/-](?P<m>\d{1,2})(?:[/-](?P<y>\d{4}))?"  # noqa: E501
    r"|\b[Nn]gày\s+(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})(?:\s+năm\s+(?P<y2>\d{4}))?"
    r"|(?<![\d/])(?P<d3>\d{1,2})/(?P<m3>\d{1,2})/(?P<y3>\d{4})\b"
)
_VI_MONTH = re.compile(
    r"\b[Tt]háng\s+(?P<m>\d{1,2})(?:/(?P<y>\d{4})|\s+năm\s+(?P<y2>\d{4})|\s+năm\s+(?P<rel>nay|ngoái|trước))?(?![\d/])"
)
_VI_REL = re.compile(
    r"\b(?P<w>năm ngoái|năm trước|năm nay|năm tới|năm sau|hôm qua|hôm nay|tháng trước|tháng này)\b", _E
)
_VI_WEEKDAY = re.compile(r"\b(?:thứ (?P<wd>Hai|Ba|Tư|Năm|Sáu|Bảy)|(?P<cn>[Cc]hủ [Nn]hật))\b")
_VI_YEAR = re.compile(r"\b(?:[Nn]ăm\s+)?(?P<y>(?:19|20)\d\d)\b(?![/-]\d)")
_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4}


def _vi(f: _Finder) -> None:
    s = f.s
    for m in _VI_PAST_YEAR.finditer(s):
        f.past_year(m)
    for m in _VI_CONSEC.finditer(s):
        f.as_of_pub(m)
    for m in _VI_COMPARE.finditer(s):
        f.comparison(m)
    for m in _VI_SINCE.finditer(s):
        y = f.pub.year
        if m["y"]:
            f.since(m, m["y"])
        elif m["m"]:
            yy = m["my"] or m["my2"]
            base = int(yy) if yy else y
            f.since(m, None if base is None else _month_end(base, int(m["m"])))
        else:
            f.since(m, None if y is None else f"{y}-01")
    for m in _VI_FIRST.finditer(s):
        if m["q"]:
            q = int(m["q"]) if m["q"].isdigit() else _ROMAN.get(m["q"].upper())
            if not q or q > 4:
                continue
            yy = m["qy"] or m["qy2"]
            year = int(yy) if yy else f.pub.year
            if year is None:
                f.add(m, None, "period", f"'{m.group()}' in {f.pub.label()}")
            else:
                f.add(
                    m, f"{year}-{3 * q - 2:02d}/{year}-{3 * q:02d}", "period", f"'{m.group()}' → quarter {q} of {year}"
                )
            continue
        n = (
            _n(m["n"], "vi")
            if m["n"].isdigit()
            else {
                "một": 1,
                "hai": 2,
                "ba": 3,
                "bốn": 4,
                "năm": 5,
                "sáu": 6,
                "bảy": 7,
                "tám": 8,
                "chín": 9,
                "mười": 10,
            }.get(m["n"].lower())
        )
        rel = (m["rel"] or "").lower()
        f.first_months(m, n, int(m["y"]) if m["y"] else None, -1 if rel in ("ngoái", "trước") else 0)
    for m in _VI_DUE.finditer(s):
        yy = m["y"] or m["y2"]
        f.due(m, int(yy) if yy else None)
    for m in _VI_DAY.finditer(s):
        d = int(m["d"] or m["d2"] or m["d3"])
        mo = int(m["m"] or m["m2"] or m["m3"])
        yy = m["y"] or m["y2"] or m["y3"]
        f.day_in_pub_year(m, mo, d, int(yy) if yy else None)
    for m in _VI_MONTH.finditer(s):
        yy = m["y"] or m["y2"]
        f.month_in_year(m, int(m["m"]), int(yy) if yy else None, "last" if m["rel"] in ("ngoái", "trước") else "")
    for m in _VI_WEEKDAY.finditer(s):
        f.weekday(m, 6 if m["cn"] else _VI_WEEKDAYS[m["wd"]])
    for m in _VI_REL.finditer(s):
        w = m["w"].lower()
        if w in ("năm ngoái", "năm trước"):
            f.rel_year(m, -1)
        elif w == "năm nay":
            f.rel_year(m, 0)
        elif w in ("năm tới", "năm sau"):
            f.rel_year(m, 1, "due")
        elif w in ("hôm qua", "hôm nay"):
            day = f.pub.day
            if day is None:
                f.add(m, None, "event", f"'{w}' in {f.pub.label()}")
            else:
                day = day - timedelta(days=1) if w == "hôm qua" else day
                f.add(m, day.isoformat(), "event", f"'{w}' in an article of {f.pub.label()}")
        else:
            pm = f.pub.month
            if pm is None:
                f.add(m, None, "period", f"'{w}' in {f.pub.label()}")
            else:
                y, mo = pm
                if w == "tháng trước":
                    y, mo = (y, mo - 1) if mo > 1 else (y - 1, 12)
                f.add(m, _month_end(y, mo), "period", f"'{w}' in an article of {f.pub.label()}")
    for m in _VI_YEAR.finditer(s):
        f.year(m, int(m["y"]))


# ------------------------------------------------------------------------------ Chinese

_ZH_COMPARE = re.compile(
    r"同比|环比|比上年(?:同期)?|比去年(?:同期)?|较上年(?:同期)?|较去年(?:同期)?|与去年同期相比|上年同期|去年同期|比(?:19|20)\d\d年|较(?:19|20)\d\d年"
)
_ZH_CONSEC = re.compile(rf"连续(?:{_ZH_N})年")
_ZH_RECENT = re.compile(rf"近(?P<n>{_ZH_N})年(?:来|以来)?")
_ZH_SINCE = re.compile(
    r"(?:自|从)?(?:(?P<rel>今年|去年)|(?P<y>(?:19|20)\d\d)年)?(?:(?P<m>\d{1,2}|[一二三四五六七八九十]+)月(?:份)?)?以来"
)
_ZH_FIRST = re.compile(
    rf"(?:(?P<rel>今年|去年)|(?P<y>(?:19|20)\d\d)年)?(?:前(?P<n>{_ZH_N})个?月|(?P<h>上半年)|(?P<q>一季度|第一季度)"
    rf"|前(?P<nq>[二三两])(?:个)?季度|1[-—至到~](?P<n2>\d{{1,2}})月)"
)
_ZH_DUE = re.compile(
    r"(?:到|(?<!截)至|力争到|计划到)?(?P<y>(?:19|20)\d\d)年(?:底)?(?:前|以前|之前)"
    r"|(?:到|(?<![截止])至|力争到|计划到)(?P<y2>(?:19|20)\d\d)年(?:底)?"
)
# "截至2023年底", "截至3月22日": a total as of that date.
_ZH_ASOF = re.compile(r"(?:截至|截止到?|到)(?P<y>(?:19|20)\d\d)年(?:(?P<m>\d{1,2})月)?(?:底|末)?(?![\d前])")
_ZH_DAY = re.compile(
    r"(?:(?P<y>(?:19|20)\d\d)年|(?P<rel>今年|去年))?(?P<m>\d{1,2}|[一二三四五六七八九十]+)月(?P<d>\d{1,2}|[一二三四五六七八九十]+)[日号]"
)
_ZH_DAYS = re.compile(
    r"(?:(?P<y>(?:19|20)\d\d)年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})[日号]?[—\-–~至到](?P<dd>\d{1,2})[日号]"
)
_ZH_MONTH = re.compile(
    r"(?:(?P<y>(?:19|20)\d\d)年|(?P<rel>今年|去年))?(?P<m>\d{1,2}|[一二三四五六七八九十]+)月(?:份)?(?![\d日号])"
)
_ZH_LONE_DAY = re.compile(r"(?<![\d月.])(?P<d>\d{1,2})日(?![\d])")
_ZH_REL = re.compile(r"去年|今年|明年|昨天|昨日|今天|近年来|近年")
_ZH_WEEKDAY = re.compile(r"(?:星期|周|礼拜)(?P<wd>[一二三四五六日天])")
_ZH_YEAR = re.compile(r"(?P<y>(?:19|20)\d\d)年(?!\d{1,2}[月日号])")


def _zh_int(text: str) -> int | None:
    return int(text) if text.isdigit() else zh_numeral(text)


def _zh(f: _Finder) -> None:
    s = f.s
    for m in _ZH_PAST_YEAR.finditer(s):
        f.past_year(m)
    for m in _ZH_CONSEC.finditer(s):
        f.as_of_pub(m)
    for m in _ZH_COMPARE.finditer(s):
        f.comparison(m)
    for m in _ZH_FIRST.finditer(s):
        if m["h"]:
            n: int | None = 6
        elif m["q"]:
            n = 3
        elif m["nq"]:
            n = 3 * (_zh_int(m["nq"]) or 0)  # 前三季度: the first nine months
        else:
            n = _zh_int(m["n"] or m["n2"])
        f.first_months(m, n, int(m["y"]) if m["y"] else None, -1 if m["rel"] == "去年" else 0)
    for m in _ZH_RECENT.finditer(s):
        n = _zh_int(m["n"])
        if n and f.pub.year is not None:
            f.since(m, str(f.pub.year - n))
    for m in _ZH_SINCE.finditer(s):
        if not (m["rel"] or m["y"] or m["m"]):
            continue
        y = int(m["y"]) if m["y"] else f.pub.year
        if y is not None and m["rel"] == "去年":
            y -= 1
        mo = _zh_int(m["m"]) if m["m"] else (1 if m["rel"] else None)  # 今年以来: since January
        f.since(m, None if y is None else (_month_end(y, mo) if mo else str(y)))
    for m in _ZH_ASOF.finditer(s):
        if m.group().startswith("到") and f.pub.year is not None and int(m["y"]) >= f.pub.year:
            continue  # 到2030年: a plan, read below
        date_ = _month_end(int(m["y"]), int(m["m"])) if m["m"] else m["y"]
        f.add(m, date_, "as-of", f"'{m.group()}': a total as of then")
    for m in _ZH_DUE.finditer(s):
        f.due(m, int(m["y"] or m["y2"]))
    for m in _ZH_DAYS.finditer(s):
        mo, d, dd = _zh_int(m["m"]), int(m["d"]), int(m["dd"])
        yr = int(m["y"]) if m["y"] else f.pub.year
        if mo is None or yr is None or not (_valid_day(yr, mo, d) and _valid_day(yr, mo, dd) and dd > d):
            continue
        basis = f"'{m.group()}'" + ("" if m["y"] else f" in an article of {f.pub.label()}: the year is the article's")
        f.add(m, f"{yr:04d}-{mo:02d}-{d:02d}/{yr:04d}-{mo:02d}-{dd:02d}", "event", basis)
    for m in _ZH_DAY.finditer(s):
        zm, zd = _zh_int(m["m"]), _zh_int(m["d"])
        if zm is None or zd is None:
            continue
        f.day_in_pub_year(m, zm, zd, int(m["y"]) if m["y"] else None, m["rel"] or "")
    for m in _ZH_MONTH.finditer(s):
        mo = _zh_int(m["m"])
        if mo is None:
            continue
        f.month_in_year(m, mo, int(m["y"]) if m["y"] else None, "last" if m["rel"] == "去年" else "")
    for m in _ZH_LONE_DAY.finditer(s):
        pm = f.pub.month
        d = int(m["d"])
        if pm is None:
            f.add(m, None, "event", f"'{m.group()}' in {f.pub.label()}")
        elif _valid_day(pm[0], pm[1], d):
            f.add(
                m,
                f"{pm[0]:04d}-{pm[1]:02d}-{d:02d}",
                "event",
                f"'{m.group()}': a day of the article's month ({pm[0]}-{pm[1]:02d})",
                todo=f"check the month of '{m.group()}' (taken as the article's)",
            )
    for m in _ZH_WEEKDAY.finditer(s):
        f.weekday(m, _ZH_WEEKDAYS[m["wd"]])
    for m in _ZH_REL.finditer(s):
        w = m.group()
        if w == "去年":
            f.rel_year(m, -1)
        elif w == "今年":
            f.rel_year(m, 0)
        elif w == "明年":
            f.rel_year(m, 1, "due")
        elif w in ("昨天", "昨日", "今天"):
            day = f.pub.day
            if day is None:
                f.add(m, None, "event", f"'{w}' in {f.pub.label()}")
            else:
                day = day - timedelta(days=1) if w != "今天" else day
                f.add(m, day.isoformat(), "event", f"'{w}' in an article of {f.pub.label()}")
    for m in _ZH_YEAR.finditer(s):
        f.year(m, int(m["y"]))


def find(sentence: str, language: str, pub: Pub) -> list[When]:
    """Every date phrase of a sentence (comparisons included, marked as such), in order."""
    if language == "zh":
        from vnguangxi.extract.hanzi import simplified

        printed = sentence
        sentence = simplified(sentence)
        found = find_in(sentence, language, pub)
        for w in found:
            w.phrase = printed[w.start : w.end].strip() if w.phrase == sentence[w.start : w.end].strip() else w.phrase
        return found
    return find_in(sentence, language, pub)


_DOTTED = re.compile(r"(?<![\d.])(?P<y>(?:19|20)\d\d)[./](?P<m>\d{1,2})[./](?P<d>\d{1,2})(?![\d.])")


def find_in(sentence: str, language: str, pub: Pub) -> list[When]:
    f = _Finder(sentence, pub)
    for m in _DOTTED.finditer(sentence):
        f.day_in_pub_year(m, int(m["m"]), int(m["d"]), int(m["y"]))
    {"zh": _zh, "vi": _vi}.get(language, _en)(f)
    if language != "en" and re.search(r"[A-Za-z]{3}", sentence) and language != "vi":
        _en(f)
    return sorted(f.out, key=lambda w: w.start)


RESPECTIVELY = re.compile(r"\brespectively\b|\blần lượt\b|分别|依次", re.I)
