"""Reading an article: its header (where it has one), its body, and the body split into sentences.

Every sentence keeps its offsets into the body, so excerpts are slices of the body and verbatim by
construction. Page chrome (date stamps, image captions, navigation lines) is set aside here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vnguangxi.articles import article_body
from vnguangxi.text import HAN_CLASS, excerpt_words

HEADER_KEYS = ("url", "title", "published", "publisher", "language", "note")
_ISO_LEAD = re.compile(r"\s*(\d{4}(?:-\d{2}(?:-\d{2})?)?(?:/\d{4}(?:-\d{2}(?:-\d{2})?)?)?)")
_HAN = re.compile(HAN_CLASS)
_VI_MARKS = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


@dataclass
class Sentence:
    start: int  # offsets into the body
    end: int
    text: str
    paragraph: int
    language: str  # "en", "vi" or "zh": of this sentence, whatever the article's


@dataclass
class Article:
    name: str
    body: str
    header: dict[str, str] = field(default_factory=dict)
    language: str = "en"
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def published(self) -> str | None:
        """The leading ISO partial date (or interval) of the header's `published:` line, if any."""
        m = _ISO_LEAD.match(self.header.get("published", ""))
        return m[1] if m else None


def parse_header(text: str) -> dict[str, str]:
    """The `key: value` lines before the first blank line, when the body differs from the whole text."""
    if article_body(text) is text:
        return {}
    head = text.partition("\n\n")[0]
    out: dict[str, str] = {}
    last = ""
    for line in head.splitlines():
        k, sep, v = line.partition(":")
        if sep and k.strip() in HEADER_KEYS and not line[:1].isspace():
            last = k.strip()
            out[last] = v.strip()
        elif last:
            out[last] += " " + line.strip()
    return out


def detect_language(text: str) -> str:
    """'zh' when Han characters dominate, 'vi' when Vietnamese letters are frequent, else 'en'."""
    letters = sum(1 for ch in text if ch.isalpha()) or 1
    han = len(_HAN.findall(text))
    if han / letters > 0.3:
        return "zh"
    if len(_VI_MARKS.findall(text)) / letters > 0.03:
        return "vi"
    return "en"


# ------------------------------------------------------------------------------ chrome

_STAMP = re.compile(r"^\s*(?:date\s+)?\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$", re.I)
_CAPTION = re.compile(
    r"\((?:Photo|Ảnh|Nguồn|Source)\s*:[^)]*\)\s*$|hinh anh \d|图片来源|图源[:：]|^\s*(?:Photo|Ảnh)\s*:", re.I
)
_NAV = re.compile(
    r"首页\s*>|>\s*正文|^\s*正在阅读|^\s*(?:来源|责任编辑|编辑|作者|发布时间)\s*[:：]|^\s*-\s*发布时间|分享|^\s*(?:Home|Trang chủ)\s*[>/]"  # noqa: E501
)
_END = re.compile(r"[.!?。！？;；:：”\"')）…]\s*$")


def is_chrome(line: str, language: str) -> bool:
    """Lines that are page furniture, not the article's words: date stamps, captions, navigation, and
    short lines with no sentence ending and no figure (headings, menus, share buttons)."""
    s = line.strip()
    if not s:
        return True
    if _STAMP.match(s) or _NAV.search(s):
        return True
    if _CAPTION.search(s) and len(s.split()) <= 40:
        return True
    if _ZH_STAMP.match(s) or _CODE.search(s) or "丨" in s:  # 丨 marks a column name and headline
        return True
    if not _END.search(s):
        letters = sum(1 for ch in s if ch.isalpha())
        if letters < 4:
            return True  # "12 2017": numbers with no words
        chunks = [c for c in s.split() if _HAN.search(c)]
        if len(chunks) >= 4 or (len(chunks) >= 3 and not re.search(r"[。，,]", s)):
            return True  # a row of headlines or menu items
        if not re.search(r"\d", s):
            if excerpt_words(s) <= 10:
                return True
    return False


_STAMP_LEAD = re.compile(r"^\s*date\s+\d{4}-\d{2}-\d{2}\s*", re.I)  # a copy's date stamp, then its text
_ZH_STAMP = re.compile(r"^\s*\d{4}年\d{1,2}月\d{1,2}[日号]?\s*(?:星期.|周.)?\s*(?:\d{1,2}:\d{2})?\s*$")
_CODE = re.compile(
    r"刊号|ISSN|版权所有|Copyright|All rights reserved|^\s*(?:Tags?|Từ khóa|Lượt xem|Views?|阅读量?|浏览)\s*[:：]"
    r"|^\s*\d{4}/\d{2}/\d{2},?\s+\d{1,2}:\d{2}",
    re.I,
)


# ------------------------------------------------------------------------------ sentences

# Latin sentence ends: . ! ? (and a closing quote) followed by space and a capital, digit or quote; not after
# a common abbreviation or an initial.
_LATIN_END = re.compile(r"[.!?][”\"’')]*(?=\s+[\"“‘(]?[A-ZÀ-ỸĐ0-9])")
_ABBREV = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|No|St|Jr|Co|Ltd|Inc|Gov|Gen|Vol|approx|sq|vs|etc|U\.S|U\.K|a\.m|p\.m)|\b[A-Z])\.$"
)
_HAN_END = re.compile(r"[。！？；!?;][”’」』）)]*")


def _split_latin(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _LATIN_END.finditer(text):
        if _ABBREV.search(text[max(0, m.start() - 8) : m.start() + 1]):
            continue
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _split_han(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    start = 0
    for m in _HAN_END.finditer(text):
        out.append((start, m.end()))
        start = m.end()
    out.append((start, len(text)))
    return out


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def split_sentences(body: str, language: str) -> list[Sentence]:
    out: list[Sentence] = []
    offset = 0
    for paragraph, line in enumerate(body.split("\n")):
        here = offset
        offset += len(line) + 1
        stamp = _STAMP_LEAD.match(line)
        if stamp:  # a copy's date stamp before the text: set it aside, keep what follows
            here += stamp.end()
            line = line[stamp.end() :]
        if is_chrome(line, language):
            continue
        lang = detect_language(line) if language == "zh" or _HAN.search(line) else language
        pieces: list[tuple[int, int]] = []
        for a, b in _split_han(line) if _HAN.search(line) else [(0, len(line))]:
            for c, d in _split_latin(line[a:b]):
                pieces.append((a + c, a + d))
        for a, b in pieces:
            a, b = _trim(line, a, b)
            if b - a < 4:
                continue
            out.append(Sentence(here + a, here + b, line[a:b], paragraph, lang))
    return out


def read(text: str, name: str) -> Article:
    header = parse_header(text)
    body = article_body(text)
    language = header.get("language", "").split()[0] if header.get("language") else detect_language(body)
    language = "zh" if language.startswith("zh") else language if language in ("en", "vi") else "en"
    art = Article(name=name, body=body, header=header, language=language)
    art.sentences = split_sentences(body, language)
    return art
