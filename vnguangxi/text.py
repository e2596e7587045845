"""Accent- and case-insensitive text folding, for matching names and searching."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")
_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "’": "'"})


def fold(text: str) -> str:
    """Lower-case, strip accents (đ → d too), collapse spaces: 'Móng Cái' → 'mong cai'."""
    text = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return _SPACE.sub(" ", text.casefold()).strip()


def words(text: str) -> list[str]:
    """The folded words of a text: letters and digits, any script."""
    return _WORD.findall(fold(text))


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
