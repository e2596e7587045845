"""Figures in a sentence: the number as printed, its scale, its unit (in base units) and its qualifier.

English ("43.5 billion", "CNY300 billion (US$41.2 billion)", "13 million visits", "16.4 per cent", "nine
highways", "the 17th session"), Vietnamese ("66,5 tỷ USD", "1.500 người", "hơn 40%") and Chinese
("39.4万吨", "2500亿元", "530多万人次", "554.9万余人次", "第十五次").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from vnguangxi.vocab import UNITS


@dataclass
class Quantity:
    value: float
    unit: str
    qualifier: str
    stated: str
    start: int  # offsets in the sentence
    end: int
    equivalents: list[Quantity] = field(default_factory=list)
    unit_guessed: bool = False

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "value": number(self.value),
            "unit": self.unit,
            "qualifier": self.qualifier,
            "stated": self.stated,
        }
        if self.equivalents:
            out["equivalents"] = [
                {"value": number(e.value), "unit": e.unit, "stated": e.stated} for e in self.equivalents
            ]
        return out


def scaled(value: float, scale: float) -> float:
    """value × scale without binary noise: 8.31 × 10¹² is 8310000000000, not 8310000000000.001."""
    from decimal import Decimal

    return float(Decimal(repr(value)) * Decimal(repr(scale)))


def number(value: float) -> int | float:
    """An integer where the value is whole (300000000000, not 3e11), else the float rounded to 6 places."""
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) else rounded


# ------------------------------------------------------------------------------ words

_EN_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "a dozen": 12, "dozens": 24,
    "a hundred": 100, "a thousand": 1000,
}  # fmt: skip
_EN_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
}  # fmt: skip
_VI_WORDS = {"một": 1, "hai": 2, "ba": 3, "bốn": 4, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_VI_ORDINALS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_ZH_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_ZH_UNITS = {"十": 10, "百": 100, "千": 1000}


def zh_numeral(text: str) -> int | None:
    """一 → 1, 十五 → 15, 二十三 → 23, 一百零五 → 105; None if not a Chinese numeral."""
    if not text or any(ch not in _ZH_DIGITS and ch not in _ZH_UNITS for ch in text):
        return None
    total, digit = 0, 0
    for ch in text:
        if ch in _ZH_DIGITS:
            digit = _ZH_DIGITS[ch]
        else:
            total += (digit or 1) * _ZH_UNITS[ch]
            digit = 0
    return total + digit


def parse_number(text: str, language: str) -> float | None:
    """A printed number in base form: '1,234.5' → 1234.5; Vietnamese '66,5' → 66.5 and '1.500' → 1500."""
    t = text.strip()
    low = t.lower()
    if low in _EN_WORDS:
        return float(_EN_WORDS[low])
    if low in _VI_WORDS:
        return float(_VI_WORDS[low])
    zh = zh_numeral(t)
    if zh is not None:
        return float(zh)
    if language == "vi":
        if "," in t:
            t = t.replace(".", "").replace(",", ".")
        elif re.fullmatch(r"\d{1,3}(?:\.\d{3})+", t):
            t = t.replace(".", "")
    else:
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
            t = t.replace(",", "")
        elif re.fullmatch(r"\d+,\d{1,2}", t):  # a decimal comma in a non-Vietnamese text
            t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        return None


# ------------------------------------------------------------------------------ units

# Nouns after a count, longest first, to a unit of the vocabulary. Plural and singular.
_EN_NOUNS: list[tuple[str, str]] = [
    ("tour groups", "tour-groups"), ("tour group", "tour-groups"), ("border gates", "border-gates"),
    ("border gate", "border-gates"), ("border crossings", "border-gates"), ("border checkpoints", "border-gates"),
    ("land border gates", "border-gates"), ("railway lines", "railways"), ("rail lines", "railways"),
    ("square kilometres", "km2"), ("square kilometers", "km2"), ("sq km", "km2"), ("sq.km", "km2"),
    ("km2", "km2"), ("km²", "km2"), ("person-times", "visits"), ("person times", "visits"),
    ("train trips", "trains"), ("freight trains", "trains"), ("flights", "flights"), ("flight", "flights"),
    ("visits", "visits"), ("visit", "visits"), ("crossings", "visits"), ("entries and exits", "visits"),
    ("arrivals", "visits"), ("trips", "trips"), ("trip", "trips"), ("round trips", "trips"),
    ("working missions", "delegations"), ("missions", "delegations"), ("young people", "people"),
    ("youths", "people"), ("youngsters", "people"), ("cadres", "people"), ("staff", "people"), ("employees", "people"),
    ("teachers", "people"), ("lecturers", "people"), ("children", "people"), ("farmers", "people"),
    ("traders", "people"), ("drivers", "people"), ("peers", "people"), ("pupils", "students"),
    ("vietnamese", "people"), ("chinese", "people"), ("sq.m", "hectares"), ("square metres", "hectares"),
    ("square meters", "hectares"), ("m2", "hectares"), ("m²", "hectares"),
    ("people", "people"), ("persons", "people"), ("person", "people"), ("visitors", "people"),
    ("tourists", "people"), ("passengers", "people"), ("residents", "people"), ("workers", "people"),
    ("participants", "people"), ("athletes", "people"), ("cyclists", "people"), ("riders", "people"),
    ("delegates", "people"), ("guests", "people"), ("officials", "people"), ("members", "people"),
    ("citizens", "people"), ("volunteers", "people"), ("doctors", "people"), ("experts", "people"),
    ("patients", "patients"), ("patient", "patients"), ("pairs", "pairs"), ("pair", "pairs"),
    ("highways", "highways"), ("expressways", "highways"), ("highway", "highways"), ("expressway", "highways"),
    ("railways", "railways"), ("railway", "railways"), ("agreements", "agreements"), ("agreement", "agreements"),
    ("deals", "agreements"), ("documents", "agreements"), ("mous", "agreements"), ("memoranda", "agreements"),
    ("contracts", "agreements"), ("accords", "agreements"), ("meetings", "meetings"), ("meeting", "meetings"),
    ("sessions", "sessions"), ("session", "sessions"), ("localities", "localities"), ("locality", "localities"),
    ("cities", "localities"), ("counties", "localities"), ("districts", "localities"),
    ("provinces", "provinces"), ("province", "provinces"), ("tonnes", "tonnes"), ("tonne", "tonnes"),
    ("tons", "tonnes"), ("ton", "tonnes"), ("teus", "TEU"), ("teu", "TEU"), ("containers", "containers"),
    ("container", "containers"), ("vehicles", "vehicles"), ("vehicle", "vehicles"), ("trucks", "vehicles"),
    ("lorries", "vehicles"), ("cars", "vehicles"), ("hectares", "hectares"), ("hectare", "hectares"),
    ("ha", "hectares"), ("kilometres", "km"), ("kilometers", "km"), ("kilometre", "km"), ("kilometer", "km"),
    ("km", "km"), ("metres", "m"), ("meters", "m"), ("metre", "m"), ("meter", "m"), ("m", "m"),
    ("lanes", "lanes"), ("lane", "lanes"), ("routes", "routes"), ("route", "routes"), ("ports", "ports"),
    ("port", "ports"), ("trains", "trains"), ("train", "trains"), ("projects", "projects"),
    ("project", "projects"), ("enterprises", "enterprises"), ("companies", "enterprises"),
    ("businesses", "enterprises"), ("firms", "enterprises"), ("students", "students"), ("student", "students"),
    ("delegations", "delegations"), ("delegation", "delegations"), ("events", "events"), ("activities", "events"),
    ("countries", "countries"), ("country", "countries"), ("nations", "countries"), ("kinds", "kinds"),
    ("types", "kinds"), ("categories", "kinds"), ("times", "times"), ("days", "days"), ("day", "days"),
    ("months", "months"), ("month", "months"), ("hours", "hours"), ("hour", "hours"), ("minutes", "minutes"),
    ("minute", "minutes"), ("years", "years"), ("year", "years"), ("goods", "items"), ("products", "items"),
    ("items", "items"), ("commodities", "items"), ("words", "items"), ("tasks", "items"), ("fields", "items"),
    ("areas", "items"), ("measures", "items"), ("programmes", "items"), ("programs", "items"),
]  # fmt: skip
_VI_NOUNS: list[tuple[str, str]] = [
    ("lượt người", "visits"), ("lượt khách", "visits"), ("lượt phương tiện", "vehicles"), ("lượt xe", "vehicles"),
    ("lượt", "visits"), ("đoàn khách", "tour-groups"), ("du khách", "people"), ("hành khách", "people"),
    ("vận động viên", "people"), ("khách", "people"), ("người", "people"), ("bệnh nhân", "patients"),
    ("cặp", "pairs"), ("tuyến cao tốc", "highways"), ("đường cao tốc", "highways"), ("cao tốc", "highways"),
    ("tuyến đường sắt", "railways"), ("đường sắt", "railways"), ("cửa khẩu", "border-gates"),
    ("thỏa thuận", "agreements"), ("thoả thuận", "agreements"), ("văn bản", "agreements"),
    ("biên bản", "agreements"), ("hiệp định", "agreements"), ("cuộc họp", "meetings"), ("cuộc gặp", "meetings"),
    ("hội nghị", "meetings"), ("kỳ họp", "sessions"), ("phiên", "sessions"), ("tỉnh", "provinces"),
    ("địa phương", "localities"), ("tấn", "tonnes"), ("container", "containers"), ("teu", "TEU"),
    ("phương tiện", "vehicles"), ("xe", "vehicles"), ("héc-ta", "hectares"), ("hécta", "hectares"),
    ("ha", "hectares"), ("km2", "km2"), ("km²", "km2"), ("km", "km"), ("m", "m"), ("làn", "lanes"),
    ("chuyến bay", "flights"), ("chuyến tàu", "trains"), ("đoàn tàu", "trains"), ("chuyến", "trips"),
    ("tuyến", "routes"), ("cảng", "ports"), ("dự án", "projects"), ("doanh nghiệp", "enterprises"),
    ("công ty", "enterprises"), ("lưu học sinh", "students"), ("học sinh", "students"), ("sinh viên", "students"),
    ("đoàn", "delegations"), ("sự kiện", "events"), ("hoạt động", "events"), ("quốc gia", "countries"),
    ("nước", "countries"), ("loại", "kinds"), ("mặt hàng", "items"), ("lần", "times"), ("ngày", "days"),
    ("tháng", "months"), ("giờ", "hours"), ("phút", "minutes"), ("năm", "years"),
]  # fmt: skip
_ZH_NOUNS: list[tuple[str, str]] = [
    ("人次", "visits"), ("人", "people"), ("名", "people"), ("位", "people"), ("对", "pairs"),
    ("个旅游团", "tour-groups"), ("旅行团", "tour-groups"), ("团组", "delegations"), ("患者", "patients"),
    ("病例", "patients"), ("平方米", "hectares"), ("旅游团", "tour-groups"), ("个团", "tour-groups"), ("吨", "tonnes"),
    ("标箱", "TEU"), ("TEU", "TEU"), ("个集装箱", "containers"), ("集装箱", "containers"), ("辆次", "vehicles"),
    ("辆", "vehicles"),
    ("车次", "vehicles"), ("台", "vehicles"), ("公顷", "hectares"), ("平方公里", "km2"), ("平方千米", "km2"),
    ("公里", "km"), ("千米", "km"), ("米", "m"), ("条车道", "lanes"), ("车道", "lanes"), ("条航线", "routes"),
    ("航线", "routes"), ("线路", "routes"), ("条线路", "routes"), ("个口岸", "border-gates"), ("口岸", "border-gates"),
    ("个港口", "ports"), ("港口", "ports"), ("个航班", "flights"), ("架次", "flights"), ("航班", "flights"),
    ("趟", "trains"), ("列", "trains"), ("个项目", "projects"), ("项目", "projects"), ("家企业", "enterprises"),
    ("家", "enterprises"), ("名学生", "students"), ("名留学生", "students"), ("个代表团", "delegations"),
    ("场", "events"), ("区省", "localities"), ("市", "localities"), ("县", "localities"), ("省区", "localities"),
    ("个省", "provinces"), ("省", "provinces"),
    ("个国家", "countries"), ("国", "countries"),
    ("种", "kinds"), ("类", "kinds"), ("份", "agreements"), ("项协议", "agreements"), ("个月", "months"),
    ("次", "times"), ("倍", "times"), ("天", "days"), ("小时", "hours"), ("分钟", "minutes"), ("年", "years"),
    ("周年", "ordinal"), ("例", "items"), ("个", "items"), ("项", "items"), ("批", "items"), ("条", "items"),
    ("座", "items"),
]  # fmt: skip
_ZH_NOUNS.sort(key=lambda kv: -len(kv[0]))
_EN_NOUNS.sort(key=lambda kv: -len(kv[0]))
_VI_NOUNS.sort(key=lambda kv: -len(kv[0]))
assert all(u in UNITS for _, u in _EN_NOUNS + _VI_NOUNS + _ZH_NOUNS)

_CURRENCY = {
    "us$": "USD", "$": "USD", "usd": "USD", "us dollars": "USD", "dollars": "USD", "u.s. dollars": "USD",
    "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "¥": "CNY", "vnd": "VND", "vnđ": "VND", "dong": "VND",
    "đồng": "VND", "đô la mỹ": "USD", "đô la": "USD", "nhân dân tệ": "CNY", "ndt": "CNY", "tệ": "CNY",
}  # fmt: skip
_SCALE = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "mn": 1e6, "bn": 1e9,
    "nghìn tỷ": 1e12, "ngàn tỷ": 1e12, "nghìn tỉ": 1e12, "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6,
    "tỷ": 1e9, "tỉ": 1e9, "trăm": 1e2, "万亿": 1e12, "亿": 1e8, "万": 1e4, "千": 1e3,
}  # fmt: skip

# ------------------------------------------------------------------------------ qualifiers

_QUAL_BEFORE = [
    (re.compile(r"(?:more than|over|above|exceed(?:ed|s|ing)?|in excess of|upwards of|surpass(?:ed|ing)?|topp?(?:ed|ing)?)\s*$", re.I), "more-than"),  # noqa: E501
    (re.compile(r"(?:nearly|almost|close to|approaching)\s*$", re.I), "nearly"),
    (re.compile(r"(?:about|around|approximately|roughly|some|an estimated|estimated at|est\.)\s*$", re.I), "about"),
    (re.compile(r"at least\s*$", re.I), "at-least"),
    (re.compile(r"(?:less than|fewer than|under|below)\s*$", re.I), "less-than"),
    (re.compile(r"(?:up to|at most|no more than)\s*$", re.I), "at-most"),
    (re.compile(r"(?:hơn|trên|vượt|vượt quá|vượt mức)\s*$", re.I), "more-than"),
    (re.compile(r"gần\s*$", re.I), "nearly"),
    (re.compile(r"(?:khoảng|ước tính khoảng|ước tính|ước đạt|ước|chừng|xấp xỉ)\s*$", re.I), "about"),
    (re.compile(r"(?:ít nhất|tối thiểu)\s*$", re.I), "at-least"),
    (re.compile(r"(?:dưới|chưa đến|chưa tới|không đến)\s*$", re.I), "less-than"),
    (re.compile(r"(?:tối đa|lên đến|lên tới)\s*$", re.I), "at-most"),
    (re.compile(r"(?:超过|超|逾|突破|高于|多于)\s*$"), "more-than"),
    (re.compile(r"(?:将近|接近|近)\s*$"), "nearly"),
    (re.compile(r"(?:大约|约为|约|预计|大概)\s*$"), "about"),
    (re.compile(r"(?:至少|不少于)\s*$"), "at-least"),
    (re.compile(r"(?:不到|不足|少于|低于)\s*$"), "less-than"),
]  # fmt: skip
_QUAL_AFTER = re.compile(r"^\s*(?:or more|\+|-plus|以上|左右|以下|以内)")
_QUAL_AFTER_WORD = {"or more": "more-than", "+": "more-than", "-plus": "more-than", "以上": "more-than",
                    "左右": "about", "以下": "at-most", "以内": "at-most"}  # fmt: skip


def _qualifier(before: str) -> tuple[str, int]:
    """The qualifier printed just before a figure, and how many characters it takes."""
    tail = before[-30:]
    for rx, qual in _QUAL_BEFORE:
        m = rx.search(tail)
        if m:
            return qual, len(tail) - m.start()
    return "exact", 0


_DURATION = frozenset({"days", "months", "years", "hours", "minutes"})


# ------------------------------------------------------------------------------ patterns

_NUM_LATIN = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUM_VI = r"\d{1,3}(?:\.\d{3})+(?!\d)(?:,\d+)?|\d+(?:[.,]\d+)?"
_EN_WORD_RX = "|".join(sorted((re.escape(w) for w in _EN_WORDS), key=len, reverse=True))
_CUR_PREFIX = r"(?P<pre>US\$|\$|CNY|RMB|USD|VND|¥)\s?"
_EN_SCALE = r"(?P<scale>thousand|million|billion|trillion|mn|bn)\b"
_PCT = r"(?P<pct>%|％|\s?per\s?cent\b|\s?percent\b|\s?percentage points?\b)"
_CUR_SUFFIX = r"(?P<suf>US dollars|U\.S\. dollars|dollars|yuan|CNY|RMB|USD|VND|dong)\b"

_EN = re.compile(
    rf"(?<![\w.,/:-])(?:{_CUR_PREFIX})?(?P<num>{_NUM_LATIN}|(?i:{_EN_WORD_RX})\b)"
    rf"(?:[\s-]?{_EN_SCALE})?(?:{_PCT})?(?:\s{_CUR_SUFFIX})?(?![\w/])"
)
_VI = re.compile(
    rf"(?<![\w.,/-])(?:{_CUR_PREFIX})?(?P<num>{_NUM_VI}|(?:một|hai|ba|bốn|sáu|bảy|tám|chín|mười)\b)"
    r"(?:\s?(?P<scale>nghìn tỷ|ngàn tỷ|nghìn tỉ|nghìn|ngàn|triệu|tỷ|tỉ|trăm)\b)?"
    rf"(?:{_PCT})?(?:\s(?P<suf>USD|VND|VNĐ|đồng|đô la Mỹ|đô la|nhân dân tệ|NDT|CNY)\b)?(?![\w/])"
)
_ZH = re.compile(
    r"(?<![0-9A-Za-z.\-])(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十百千]+)(?P<more1>多|余)?"
    r"(?P<scale>万亿|亿|万|千(?![米瓦克])|百(?!分))?(?P<more2>多|余)?"
    r"(?P<pct>%|％)?(?P<suf>元人民币|人民币|元|美元|越南盾|越盾)?"
)
_ORD_EN = re.compile(r"(?<![\w-])(?P<num>\d+)(?:st|nd|rd|th)\b|\b(?P<word>" + "|".join(_EN_ORDINALS) + r")\b", re.I)
_ORD_VI = re.compile(r"\bthứ\s+(?P<num>\d+|nhất|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\b", re.I)
_ORD_ZH = re.compile(r"第(?P<num>\d+|[一二三四五六七八九十百]+)(?P<cls>届|次|个|批|轮|号|位|大|名)?")
_RANK_AFTER = re.compile(r"^\s*(?:-|\s)?(?:largest|biggest|highest|greatest|most|top|leading)\b", re.I)
_RANK_BEFORE = re.compile(r"(?:rank(?:s|ed|ing)?|placed|ranked)\s*$", re.I)
_MONTHS = (
    r"January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
_MONTH_BEFORE = re.compile(rf"(?:{_MONTHS})\.?\s*$")
_MONTH_AFTER = re.compile(rf"^\s*(?:{_MONTHS})\b")
_ORD_SKIP_AFTER = re.compile(
    r"^\s*(?:half|quarter|months?|days?|weeks?|years?|phase|place|of\b|lady|secretary|vice|deputy|markets?"
    r"|part(?:y|ies)|generation)",
    re.I,
)


def _noun_unit(after: str, nouns: list[tuple[str, str]], max_words: int, language: str) -> tuple[str, int] | None:
    """The unit of the first known noun within a few words after a figure, and where it ends."""
    if language == "zh":
        head = after[:8]
        for i in range(0, 1):  # the unit follows the number directly: 39.4万吨, 3个, 10平方公里
            for noun, unit in nouns:
                if head.startswith(noun, i):
                    return unit, i + len(noun)
            if i < len(head) and head[i] in "，。、；：,.;:（(":
                return None
        return None
    low = after.lower()
    words = list(re.finditer(r"[^\s,.;:()“”\"]+", low[:80]))
    for k, w in enumerate(words[:max_words]):
        if re.search(r"[,.;:()]", low[words[k - 1].end() if k else 0 : w.start()]):
            return None
        rest = low[w.start() :]
        for noun, unit in nouns:
            if rest.startswith(noun) and (len(rest) == len(noun) or not rest[len(noun)].isalnum()):
                if noun in _NATIONALITIES and k + 1 < len(words) and words[k + 1].group() not in _AFTER_PEOPLE:
                    break  # "five Vietnamese localities": an adjective here, not the people
                return unit, w.start() + len(noun)
        if w.group() == "of" and k + 1 < len(words) and words[k + 1].group() in ("their", "its", "his", "her"):
            continue  # "1,000 of their Chinese peers"
        if w.group() in ("and", "or", "to", "from", "in", "of", "at", "with", "for", "by", "và", "của", "từ"):
            return None
        if w.group() in ("a", "an", "per", "each", "every", "mỗi") and k == 0:
            return None  # "30,000 a day": a rate, the noun is what is counted per day, not the days
    return None


_VERB = re.compile(r"^(?:exceed|surpass|topp?|vượt|突破|超过|超)", re.I)


def _stated(sentence: str, start: int, number_start: int, end: int) -> str:
    """The figure as printed: with an adverb qualifier ('nearly 700'), without a verb ('exceeded')."""
    if start < number_start and _VERB.match(sentence[start:number_start]):
        start = number_start
    return sentence[start:end].strip()


_NATIONALITIES = frozenset({"vietnamese", "chinese"})
_AFTER_PEOPLE = frozenset(
    {"and", "of", "in", "from", "were", "have", "had", "joined", "took", "participated", "attended", "who", "to"}
)


def found_noun(after: str, starts: tuple[str, ...]) -> bool:
    head = after.lstrip().lower()
    return head.startswith(starts)


def find(sentence: str, language: str, skip: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Every figure of a sentence, in order; numbers inside `skip` spans (dates) are not figures."""
    spans = list(skip or [])
    for m in _QUOTED.finditer(sentence):
        inner = m.group(1).strip()
        if re.fullmatch(r"\d+", inner) or (len(inner.split()) <= 6 and not inner[:1].isdigit()):
            spans.append((m.start(), m.end()))  # a quoted name: “1369”, “Two countries, two parks” (not “16 words”)

    def skipped(a: int, b: int) -> bool:
        return any(a < e and s < b for s, e in spans)

    out: list[Quantity] = []
    if language == "zh":
        from vnguangxi.extract.hanzi import simplified

        out += _find_zh(simplified(sentence), skipped)
        for q in out:  # stated as printed, in the article's own characters
            q.stated = sentence[q.start : q.end] if q.stated == simplified(sentence)[q.start : q.end] else q.stated
    else:
        out += _find_latin(sentence, language, skipped)
    out.sort(key=lambda q: q.start)
    # Drop figures nested in another (an ordinal inside a count, say).
    kept: list[Quantity] = []
    for q in out:
        if kept and q.start < kept[-1].end:
            if (q.end - q.start) > (kept[-1].end - kept[-1].start):
                kept[-1] = q
            continue
        kept.append(q)
    _elliptical(sentence, kept)
    _ranges(sentence, kept)
    quoted = [(m.start(), m.end()) for m in _QUOTED.finditer(sentence)]
    kept = [q for q in kept if not (q.unit_guessed and any(a <= q.start < b for a, b in quoted))]
    if any(q.unit not in ("ordinal", "rank") for q in kept):  # a milestone passed: the amount is the figure
        kept = [q for q in kept if not _first_time(sentence, q)]
    kept = _rank_held_for_years(sentence, kept)
    return _pair_equivalents(sentence, kept)


# "passed 2 billion USD for the first time", "lần đầu tiên vượt", "首次突破": the manner of a milestone, not
# a first in a sequence (where no amount is passed, "held in Vietnam for the first time" stays a first).
_FIRST_TIME = re.compile(
    r"\bfor the first time\b|\blần đầu tiên\b|首次(?=突破|超过|超|达到|達到|实现|實現|跃|躍|破|迈|邁|跨)", re.I
)


def _first_time(sentence: str, q: Quantity) -> bool:
    return (
        q.value == 1
        and q.unit == "ordinal"
        and any(m.start() <= q.start < m.end() or q.start <= m.start() < q.end for m in _FIRST_TIME.finditer(sentence))
    )


# "for 26 consecutive years the largest partner", "连续25年成为最大贸易伙伴": the years held are the figure;
# the rank is what was held.
_CONSECUTIVE = re.compile(r"consecutive|in a row|running|liên tiếp|liên tục|连续|連續", re.I)


def _rank_held_for_years(sentence: str, qs: list[Quantity]) -> list[Quantity]:
    held = [q for q in qs if q.unit == "years" and _CONSECUTIVE.search(sentence[max(0, q.start - 12) : q.end + 14])]
    if not held:
        return qs
    return [q for q in qs if q.unit != "rank" or not any(abs(q.start - h.start) < 40 for h in held)]


_QUOTED = re.compile(r"[“\"「『]([^”\"」』“]{1,40})[”\"」』]")
_PART_OF = re.compile(
    r"\b(?:including|of which|of whom|among them|among which|out of which)\b|其中|trong đó|bao gồm", re.I
)
_MEASURE_WORDS = frozenset({"lượt", "chuyến"})
_NOT_COUNTS = frozenset({"%", "CNY", "USD", "VND", "ordinal", "rank", "years", "items"})


_RANGE = re.compile(r"^\s*(?:至|到|-|–|—|~|to|đến|tới)\s*$", re.I)


def _ranges(sentence: str, qs: list[Quantity]) -> None:
    """'2.7万至2.9万人次', '20 to 30 trucks': the first bound counts what the second does."""
    for q, nxt in zip(qs, qs[1:], strict=False):
        if q.unit_guessed and not nxt.unit_guessed and _RANGE.match(sentence[q.end : nxt.start]):
            q.unit, q.unit_guessed = nxt.unit, False


def _elliptical(sentence: str, qs: list[Quantity]) -> None:
    """'about 300 patients, including more than 120 from X': a count with no noun of its own, introduced as
    part of the count before it, counts the same thing. So does a bare measure word after a fuller one:
    '1.600 lượt xe …, hơn 2.000 lượt'."""
    for prev, q in zip(qs, qs[1:], strict=False):
        if q.unit_guessed and prev.unit not in _NOT_COUNTS and _PART_OF.search(sentence[prev.end : q.start]):
            q.unit, q.unit_guessed = prev.unit, False
        bare = re.search(r"(\w+)\.?$", q.stated)
        if bare and bare.group(1).lower() in _MEASURE_WORDS and prev.unit != q.unit:
            if re.search(rf"\b{bare.group(1)}\s+\w+", prev.stated, re.I):
                q.unit = prev.unit


def _pair_equivalents(sentence: str, qs: list[Quantity]) -> list[Quantity]:
    """A money figure followed by another currency in brackets ('CNY300 billion (US$41.2 billion)') is one
    figure with an equivalent."""
    out: list[Quantity] = []
    i = 0
    while i < len(qs):
        q = qs[i]
        if i + 1 < len(qs):
            n = qs[i + 1]
            between = sentence[q.end : n.start]
            if (
                q.unit in ("CNY", "USD", "VND")
                and n.unit in ("CNY", "USD", "VND")
                and n.unit != q.unit
                and re.fullmatch(
                    r"\s*[（(]\s*(?:about|around|approximately|or|khoảng|约|合|折合|tương đương)?\s*", between
                )
            ):
                q.equivalents.append(n)
                close = re.match(r"\s*[)）]", sentence[n.end :])
                if close:
                    q.end = n.end  # the figure's span covers the bracket's content, for excerpts
                out.append(q)
                i += 2
                continue
        out.append(q)
        i += 1
    return out


def _find_latin(sentence: str, language: str, is_skipped: Callable[[int, int], bool]) -> list[Quantity]:
    out: list[Quantity] = []
    rx = _VI if language == "vi" else _EN
    nouns = _VI_NOUNS if language == "vi" else _EN_NOUNS
    for m in rx.finditer(sentence):
        a, b = m.start(), m.end()
        raw = m["num"]
        before, after = sentence[:a], sentence[b:]
        if is_skipped(m.start("num"), m.end("num")):
            continue
        is_word = not raw[0].isdigit()
        value = parse_number(raw, language)
        if value is None or (language == "vi" and re.match(r"một\s+số\b", sentence[m.start("num") :], re.I)):
            continue  # "một số": some
        scale = _SCALE.get((m["scale"] or "").lower(), 1.0)
        currency = _CURRENCY.get((m["pre"] or "").lower()) or _CURRENCY.get((m["suf"] or "").lower())
        unit: str | None = None
        guessed = False
        if m["pct"]:
            unit = "%"
        elif currency:
            unit = currency
        else:
            found = _noun_unit(after, nouns, 4, language)
            if found:
                unit, length = found
                b += length
            elif language == "vi":
                # "66,5 tỷ USD" where the currency follows a scale word: caught by the suffix group; a bare
                # count of something unnamed is left for the curator.
                pass
        if unit is None and is_word and value >= 2:
            plural = re.match(r"^\s+(?:[a-z-]+\s+){0,2}?([a-z]{3,}s)\b", after)
            if plural and plural.group(1) not in ("sides", "parties", "others", "ways", "is", "was", "has", "does"):
                unit, guessed = "items", True  # "three new logistics centres": a count of something unnamed
                b += plural.end()
        if unit == "hectares" and found_noun(after, ("sq.m", "square met", "m2", "m²")):
            scale /= 10_000  # square metres, counted in hectares
        if unit is None:
            if is_word:
                continue  # "one of the", "two sides": a number word with no noun is not a figure
            if re.fullmatch(r"(?:19|20)\d\d", raw) and scale == 1.0:
                continue  # a year
            if _MONTH_BEFORE.search(before) or _MONTH_AFTER.search(after):
                continue  # a day of a month
            if re.match(r"^\s*(?:th|st|nd|rd)\b", after) or re.match(r"^[:h]\d", after):
                continue
            if scale == 1.0 and not re.search(r"\d", raw[1:] if len(raw) > 1 else "") and value < 10:
                continue  # a lone small digit with no noun: a list marker or a fragment
            unit, guessed = "items", True
        if unit == "years" and re.fullmatch(r"(?:19|20)\d\d", raw):
            continue
        if value == 2 and (
            unit == "countries"
            or re.search(r"\b(?:the|both|hai)\s*$", before, re.I)
            or (is_word and unit in ("localities", "provinces"))
        ):
            continue  # "the two countries", "the two provinces": a reference to the parties, not a figure
        qual, qlen = _qualifier(before)
        if unit in _DURATION and re.search(r"\b(?:over|in|during|for)\s*$", before, re.I):
            qual, qlen = "exact", 0  # "over three days": a span of time, not "more than"
        tail = _QUAL_AFTER.match(sentence[b:])
        if tail:
            qual = _QUAL_AFTER_WORD.get(tail.group().strip().lower(), qual)
        start = a - qlen if qlen else a
        out.append(
            Quantity(scaled(value, scale), unit, qual, _stated(sentence, start, a, b), start, b, unit_guessed=guessed)
        )
    out += _ordinals_latin(sentence, language, is_skipped)
    if language == "en":
        for m in _SUPERLATIVE.finditer(sentence):
            if not is_skipped(m.start(), m.end()):
                out.append(Quantity(1.0, "rank", "exact", m.group(), m.start(), m.end()))
    return out


# "the largest trading partner", "the highest number among …": a rank of 1, where no ordinal says otherwise.
_SUPERLATIVE = re.compile(
    r"\bthe (?:largest|biggest|highest|greatest|top|leading|most important)\s+(?!of\b)[a-z-]+(?:\s+[a-z-]+)?", re.I
)


def _ordinals_latin(sentence: str, language: str, skip: Callable[[int, int], bool]) -> list[Quantity]:
    out: list[Quantity] = []
    if language == "vi":
        for m in _ORD_VI.finditer(sentence):
            raw = m["num"].lower()
            value = int(raw) if raw.isdigit() else _VI_ORDINALS.get(raw)
            if value is None or skip(m.start(), m.end()):
                continue
            start = m.start()
            lead = re.search(r"(?:lần|khóa|kỳ|phiên|năm)\s+$", sentence[: m.start()], re.I)
            if lead:
                start = lead.start()
            out.append(Quantity(float(value), "ordinal", "exact", sentence[start : m.end()], start, m.end()))
        return out
    for m in _ORD_EN.finditer(sentence):
        if skip(m.start(), m.end()):
            continue
        raw = m["num"] or m["word"]
        value = int(raw) if raw.isdigit() else _EN_ORDINALS[raw.lower()]
        before, after = sentence[: m.start()], sentence[m.end() :]
        if _MONTH_BEFORE.search(before) or _MONTH_AFTER.search(after):
            continue
        if _ORD_SKIP_AFTER.match(after) or re.match(r"^\s*(?:\d|[a-z]+ (?:months|years|days))", after):
            continue
        if value == 3 and re.match(r"^\s*countr", after, re.I):
            continue  # "third countries": other countries, not a sequence
        if _RANK_AFTER.match(after) or _RANK_BEFORE.search(before):
            rank = _RANK_AFTER.match(after)
            end = m.end() + (rank.end() if rank else 0)
            out.append(Quantity(float(value), "rank", "exact", sentence[m.start() : end], m.start(), end))
            continue
        nxt = re.match(r"^[\s-]+([A-Za-z’'-]+)(?:\s+([A-Za-z’'-]+))?", after)
        if not nxt:
            continue
        end = m.end() + nxt.end()
        start = m.start()
        the = re.search(r"\bthe\s+$", before, re.I)
        if the:
            start = the.start()
        out.append(Quantity(float(value), "ordinal", "exact", sentence[start:end], start, end))
    return out


def _find_zh(sentence: str, skip: Callable[[int, int], bool]) -> list[Quantity]:
    out: list[Quantity] = []
    for m in _ZH.finditer(sentence):
        a, b = m.start(), m.end()
        raw = m["num"]
        if skip(a, m.end("num")):
            continue
        if raw[0].isdigit() and a > 0 and sentence[a - 1] in "第":
            continue
        value = parse_number(raw, "zh")
        if value is None:
            continue
        is_word = not raw[0].isdigit()
        scale = _SCALE.get(m["scale"] or "", 1.0)
        unit: str | None = None
        guessed = False
        if m["pct"]:
            unit = "%"
        elif m["suf"]:
            unit = _ZH_CURRENCY[m["suf"]]
        else:
            found = _noun_unit(sentence[b:], _ZH_NOUNS, 4, "zh")
            if found:
                unit, length = found
                b += length
                if sentence[:b].endswith("平方米"):
                    scale /= 10_000  # square metres, counted in hectares
                if unit == "items":  # a bare classifier: its noun follows ("10个智慧口岸") or came before ("航线…26条")
                    unit = _zh_noun_after(sentence[b : b + 6]) or _zh_noun_before(sentence[max(0, a - 10) : a]) or unit
        if is_word and raw in ("百", "千", "万"):
            continue  # 百年: a centenary, not a count of a hundred
        if value == 2 and (unit == "countries" or (is_word and unit in ("localities", "provinces"))):
            continue  # 两国, 两区省: the two parties, a reference rather than a figure
        if is_word and re.match(r"[桥号期]", sentence[m.end("num") :]):
            continue  # 二桥: a name (the Second Bridge), not a count
        classifier = unit == "items" and value >= 2 and re.match(r"[个项条座家名批]", sentence[m.end("num") :])
        if is_word and not classifier and (unit is None or unit == "items" or value == 1):
            continue  # 一带一路, 一个: a numeral with no counted noun is not a figure
        if unit is None:
            if re.fullmatch(r"(?:19|20)\d\d", raw) and scale == 1.0:
                continue
            if re.match(r"^[年月日号时点:：]", sentence[m.end("num") :]):
                continue
            if scale == 1.0 and value < 10:
                continue
            unit, guessed = "items", True
        if unit == "years" and re.fullmatch(r"(?:19|20)\d\d", raw):
            continue
        qual, qlen = _qualifier(sentence[:a])
        if m["more1"] or m["more2"]:
            qual = "more-than"
        tail = _QUAL_AFTER.match(sentence[b:])
        if tail:
            qual = _QUAL_AFTER_WORD.get(tail.group().strip(), qual)
        start = a - qlen if qlen else a
        out.append(
            Quantity(scaled(value, scale), unit, qual, _stated(sentence, start, a, b), start, b, unit_guessed=guessed)
        )
    for m in _ZH_TOP.finditer(sentence):
        if not skip(m.start(), m.end()):
            at = m.start("top")
            out.append(Quantity(1.0, "rank", "exact", sentence[at : m.end()], at, m.end()))
    for m in _ZH_FIRST.finditer(sentence):
        if not skip(m.start(), m.end()):
            out.append(Quantity(1.0, "ordinal", "exact", m.group(), m.start(), m.end()))
    for m in _ORD_ZH.finditer(sentence):
        if skip(m.start(), m.end()):
            continue
        raw = m["num"]
        value = int(raw) if raw.isdigit() else zh_numeral(raw)
        if value is None:
            continue
        end = m.end()
        noun = re.match(r"[\u4e00-\u9fff]{1,4}?(?:会议|会晤|会|届|次|批|轮|大|位|名)", sentence[end:])
        if noun:
            end += noun.end()
        if (
            re.match(r"^[大]", sentence[m.end() :])
            or m["cls"] in ("大", "名", "位")
            or _ZH_RANK.search(sentence[: m.start()])
        ):
            unit = "rank"
        else:
            unit = "ordinal"
        out.append(Quantity(float(value), unit, "exact", sentence[m.start() : end], m.start(), end))
    return out


# "成为广西最大贸易伙伴", "是越南最大的港口城市": a rank of 1.
_ZH_TOP = re.compile(
    r"(?:成为|是|为|保持|作为|位居)[\u4e00-\u9fff]{0,8}?(?P<top>(?:最大|最高|第一大)的?[\u4e00-\u9fff]{1,6})"
)
_ZH_RANK = re.compile(
    r"(?:位居|位列|排名|排|居|名列)[\u4e00-\u9fff]{0,12}$|(?:亚洲|世界|全国|全球|全区|全省|全市|东盟)$"
)
_ZH_FIRST = re.compile(r"首(?:个|条|座|家|批|届|趟|列|次|访|例)")
_ZH_BEFORE = [(n, u) for n, u in _ZH_NOUNS if len(n) >= 2 and not n.startswith(("个", "家", "名", "条", "项"))]


def _zh_noun_after(text: str) -> str | None:
    """The unit of a known noun within a few characters after a classifier ('10个智慧口岸' → border-gates)."""
    best: tuple[int, str] | None = None
    for noun, unit in _ZH_BEFORE:
        at = text.find(noun)
        if at >= 0 and (best is None or at < best[0]):
            best = (at, unit)
    return best[1] if best else None


def _zh_noun_before(text: str) -> str | None:
    """The unit of the nearest known noun just before a count ('航线已开通26条' → routes)."""
    best: tuple[int, str] | None = None
    for noun, unit in _ZH_BEFORE:
        at = text.rfind(noun)
        if at >= 0 and (best is None or at > best[0]):
            best = (at, unit)
    return best[1] if best else None


_ZH_CURRENCY = {"元人民币": "CNY", "人民币": "CNY", "元": "CNY", "美元": "USD", "越南盾": "VND", "越盾": "VND"}
