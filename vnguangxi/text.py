"""Accent- and case-insensitive text folding, for matching names and searching."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

# Patterns are compiled on first use (re caches them): most commands never fold a text, and compiling
# at import would cost every start.
_WORD = r"[^\W_]+"
# Letters that NFKD does not decompose, and the typographic apostrophe the articles use.
_EXTRA = (("đ", "d"), ("Đ", "D"), ("ł", "l"), ("Ł", "L"), ("ø", "o"), ("Ø", "O"), ("’", "'"))
# Combining marks left by NFKD decomposition (Latin, Vietnamese and the other combining blocks). One mark
# at a time: without a repeat the regular-expression engine scans for the class itself, twice as fast.
_MARKS = "[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]"


def fold(text: str) -> str:
    """Lower-case, strip accents (đ → d too), collapse spaces: 'Móng Cái' → 'mong cai'."""
    if text.isascii():
        return " ".join(text.lower().split())
    return " ".join(_strip_accents(text).casefold().split())


def _strip_accents(text: str) -> str:
    for letter, plain in _EXTRA:
        if letter in text:
            text = text.replace(letter, plain)
    import unicodedata

    return re.sub(_MARKS, "", unicodedata.normalize("NFKD", text))


def fold_for_search(texts: list[str]) -> list[str]:
    """Each text folded as ``fold`` does, except that spaces are left as they are: what a search looks in
    for words (``words`` and substring matches do not see runs of spaces; collapsing them would cost a
    third of the time). One call for them all: fewer calls, the same work per character."""
    if not texts:
        return []
    joined = "\x00".join(texts)
    if joined.count("\x00") != len(texts) - 1:  # a text holds the separator itself
        return [fold(t) for t in texts]
    if joined.isascii():
        return joined.lower().split("\x00")
    return _strip_accents(joined).casefold().split("\x00")


# Han characters (CJK unified ideographs, extension A, compatibility): no spaces between words.
HAN_CLASS = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"  # compiled on first use: costly at every start


def excerpt_words(text: str) -> float:
    """The length of an excerpt in words: words between spaces, and two Han characters to a word.

    So the 20-word rule for English and Vietnamese is a 40-character rule for Chinese.
    """
    if text.isascii():
        return len(text.split())
    han_re = _han()
    if han_re.search(text) is None:  # a search makes no list: quicker for the many excerpts without Han
        return len(text.split())
    spaced, han = han_re.subn(" ", text)
    return len(spaced.split()) + han / 2


@functools.cache
def _han() -> re.Pattern[str]:
    """HAN_CLASS compiled, once (re.compile's own cache costs a lookup at each of many calls)."""
    return re.compile(HAN_CLASS)


def words(text: str) -> list[str]:
    """The folded words of a text: letters and digits, any script."""
    return re.findall(_WORD, fold(text))


def stem(word: str) -> str:
    """A light English stem, so plurals meet their singulars (Porter's steps 1a and 1c): 'gates' and
    'gate' → 'gate'; 'cities' and 'city' → 'citi'; 'classes' → 'class'. Only plain letters are touched."""
    if not word.isascii() or not word.isalpha() or len(word) < 3:
        return word
    if word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("ies") and len(word) > 4:
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        word = word[:-1]
    if word.endswith("y") and len(word) > 3 and word[-2] not in "aeiou":
        word = word[:-1] + "i"
    return word


def stem_prefix(word: str) -> str:
    """What every form of a word with this stem starts with ('citi' → 'cit', for 'city' and 'cities')."""
    s = stem(word)
    return s[:-1] if s != word and s.endswith("i") else s


def key(text: str) -> str:
    """A matching key for names: folded words joined by single spaces ('Mong-Cai' → 'mong cai')."""
    return " ".join(words(text))


def suggest(value: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' or '' — the closest of the known values, if any is close."""
    import difflib

    cutoff = 0.5 if len(value) <= 4 else 0.6
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=cutoff)
    return f" (did you mean '{close[0]}'?)" if close else ""


def accepted(choices: Iterable[str]) -> str:
    return ", ".join(choices)
