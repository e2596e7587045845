"""Text made safe for a terminal: control, bidi and other invisible format characters shown escaped.

A terminal acts on ESC (colours, window titles, OSC 8 links, OSC 52 clipboard writes, clearing the
screen), on C1 controls (0x80-0x9F, which some terminals read as ESC sequences) and on carriage
returns and backspaces; bidi overrides and zero-width characters make a text read differently from
what it is. Every text shown to a person goes through `visible` on its way out, so each such
character appears as Python writes it ('\\x1b', '\\u202e') and is never interpreted. JSON keeps the
exact text (JSON escapes controls itself). Imports nothing of the package.
"""

from __future__ import annotations

import re
from typing import Any

# Every character of the Unicode categories Cc (C0, DEL, C1), Cf (format: bidi embeddings, overrides
# and isolates, zero-width spaces and joiners, the byte-order mark, soft hyphen, tags ...), Zl and Zp
# (line and paragraph separators). Written out rather than computed from unicodedata, which takes a
# third of a second; a test holds it to unicodedata's categories (Unicode 15's additions included).
UNSAFE_RANGES = (
    (0x00, 0x1F),
    (0x7F, 0x9F),
    (0xAD, 0xAD),
    (0x600, 0x605),
    (0x61C, 0x61C),
    (0x6DD, 0x6DD),
    (0x70F, 0x70F),
    (0x890, 0x891),
    (0x8E2, 0x8E2),
    (0x180E, 0x180E),
    (0x200B, 0x200F),
    (0x2028, 0x202E),
    (0x2060, 0x2064),
    (0x2066, 0x206F),
    (0xFEFF, 0xFEFF),
    (0xFFF9, 0xFFFB),
    (0x110BD, 0x110BD),
    (0x110CD, 0x110CD),
    (0x13430, 0x1343F),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0001, 0xE0001),
    (0xE0020, 0xE007F),
)
_PATTERNS: dict[str, re.Pattern[str]] = {}  # compiled when first needed: most commands never need one


def _class(keep: str) -> str:
    """The unsafe ranges as a regular-expression class, without the characters of ``keep``."""
    parts = []
    for low, high in UNSAFE_RANGES:
        start = low
        for code in sorted({ord(k) for k in keep if low <= ord(k) <= high}):
            if start < code:
                parts.append((start, code - 1))
            start = code + 1
        if start <= high:
            parts.append((start, high))
    return "".join(f"{re.escape(chr(a))}-{re.escape(chr(b))}" for a, b in parts)


def _pattern(keep: str) -> re.Pattern[str]:
    found = _PATTERNS.get(keep)
    if found is None:  # a plain class (a look-ahead for the kept characters would be ten times slower)
        found = _PATTERNS[keep] = re.compile(f"[{_class(keep)}]")
    return found


def escape_char(ch: str) -> str:
    """'\\x1b', '\\n', '\\u202e': the character as Python writes it in a string literal."""
    return repr(ch)[1:-1]  # Python escapes every character of the categories above (none is printable)


def _escape(m: re.Match[str]) -> str:
    return escape_char(m.group())


def _printable(text: str, keep: str) -> bool:
    """True when ``text`` surely holds no unsafe character: a quick test in C (str.isprintable, a few
    nanoseconds a character) before the regular expression (some twenty). False decides nothing: other
    spaces (no-break, ideographic) and unassigned characters are not printable either."""
    if text.isprintable():
        return True
    return keep == "\n" and text.replace("\n", " ").isprintable()  # quicker than a test per line


def unsafe(text: str, keep: str = "") -> re.Match[str] | None:
    """The first character of ``text`` a terminal would act on or hide (``keep`` excepted), if any."""
    if _printable(text, keep):
        return None
    return _pattern(keep).search(text)


def visible(text: str, keep: str = "") -> str:
    """``text`` with every control and format character but those in ``keep`` (e.g. '\\n') escaped.

    A backslash is left as it is: the escapes are for a person to read, not for a program to undo.
    """
    if _printable(text, keep):
        return text
    pattern = _pattern(keep)
    if pattern.search(text) is None:
        return text
    return pattern.sub(_escape, text)


def visible_data(value: Any, keep: str = "") -> Any:
    """A copy of JSON-like data (dicts, lists, tuples, strings, numbers) with every string `visible`."""
    if isinstance(value, str):
        return visible(value, keep)
    if isinstance(value, dict):
        return {visible(str(k), keep): visible_data(v, keep) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [visible_data(v, keep) for v in value]
    return value


def _json_escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def visible_json(text: str) -> str:
    """JSON text with every control and format character inside its strings written as a \\\\u escape.

    The same JSON (a parser reads back the exact text), but nothing a terminal would act on or hide.
    json.dumps escapes C0 controls itself, not DEL, C1 controls or bidi characters. Line breaks are
    kept: outside strings they are the layout (inside strings json.dumps has escaped them already).
    """
    if _printable(text, "\n"):
        return text
    pattern = _pattern("\n")
    if pattern.search(text) is None:
        return text
    return pattern.sub(_json_escape, text)
