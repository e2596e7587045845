"""Find the line (and column) of a key in TOML text, for error messages.

tomli gives values, not positions. Problems are rare, so this scans the text only when asked, with a
small TOML-aware line scanner: it follows ``[[facts]]`` / ``[[facts.sources]]`` / ``[facts.quantity]``
headers and ``key = value`` lines, and skips multi-line strings. Anything it cannot place falls back to
the enclosing table's header line, then to line 1.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*(?:\.\s*[A-Za-z0-9_\-"']+\s*)*=""")

KeyPath = tuple[str | int, ...]


def _clean(name: str) -> str:
    return name.strip().strip("\"'")


class Locator:
    """Maps key paths such as ``("facts", 3, "sources", 0, "excerpt")`` to 1-based lines."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines: list[str] | None = None
        self._index: dict[KeyPath, int] | None = None

    @property
    def lines(self) -> list[str]:
        """The text's lines, split only when a problem has to be placed."""
        if self._lines is None:
            self._lines = self._text.split("\n")  # TOML lines end at \n only (not at U+2028, U+0085...)
        return self._lines

    def _build(self) -> dict[KeyPath, int]:
        index: dict[KeyPath, int] = {}
        counters: dict[tuple[str | int, ...], int] = {}
        current: KeyPath = ()
        in_multiline: str | None = None
        for number, line in enumerate(self.lines, start=1):
            if in_multiline is not None:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            m = _HEADER.match(line)
            if m:
                parts = [_clean(p) for p in m[2].split(".")]
                path: list[str | int] = []
                # Resolve each dotted part against the current array-of-tables positions.
                for i, part in enumerate(parts):
                    path.append(part)
                    is_last = i == len(parts) - 1
                    if is_last and m[1] == "[[":
                        array = tuple(path)
                        counters[array] = counters.get(array, -1) + 1
                        path.append(counters[array])
                        # a new array element resets the counters of its children
                        for child in [c for c in counters if len(c) > len(array) and c[: len(array)] == array]:
                            del counters[child]
                    elif not is_last:
                        parent = tuple(path)
                        if parent in counters:
                            path.append(counters[parent])
                current = tuple(path)
                index.setdefault(current, number)
                continue
            found = _KEY.match(line)
            if found:
                index.setdefault((*current, _clean(found[1])), number)
                rest = line[found.end() :]
                for quote in ('"""', "'''"):
                    if rest.count(quote) % 2 == 1:
                        in_multiline = quote
                        break
        return index

    def line(self, path: KeyPath) -> int:
        """The line of the most specific known prefix of ``path`` (1 if none)."""
        if self._index is None:
            self._index = self._build()
        for end in range(len(path), 0, -1):
            found = self._index.get(tuple(path[:end]))
            if found is not None:
                return found
        return 1

    def position(self, path: KeyPath, needle: str | None = None) -> tuple[int, int | None]:
        """Line of ``path`` and, when ``needle`` appears on that line, its 1-based column."""
        line = self.line(path)
        column = None
        if needle is not None and 0 < line <= len(self.lines):
            at = self.lines[line - 1].find(needle)
            if at >= 0:
                column = at + 1
        return line, column


def header_lines(text: str, table: str) -> list[int]:
    """Lines of every ``[[table]]`` header, in order: one regular-expression pass, no full index.

    A header inside a multi-line string would be counted too; callers use these lines only to place a
    table, and fall back to a full Locator when the count does not match the parsed tables.
    """
    # Searched from the literal "[[" (fast), then held to the start of its line.
    search = re.compile(rf"\[\[[ \t]*{re.escape(table)}[ \t]*\]\][ \t]*(?:#[^\n]*)?\r?(?:\n|\Z)").search
    lines = []
    line, last = 1, 0
    m = search(text)
    while m:
        start = m.start()
        begin = text.rfind("\n", 0, start) + 1
        if text[begin:start].strip(" \t"):
            m = search(text, start + 2)
            continue
        line += text.count("\n", last, begin)
        last = begin
        lines.append(line)
        m = search(text, m.end())
    return lines
