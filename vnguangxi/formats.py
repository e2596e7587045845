"""Plain renderings for scripts: JSON, JSON Lines, CSV, Markdown, and human figures. No Rich here."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from vnguangxi.safe import visible_json
from vnguangxi.vocab import CURRENCIES, QUALIFIER_WORDS

Row = dict[str, Any]

_SCALES = ((1_000_000_000_000, "trillion"), (1_000_000_000, "billion"), (1_000_000, "million"))
_UNIT_WORDS = {"%": "%", "tour-groups": "tour groups", "border-gates": "border gates"}


def _number(value: float) -> str:
    for size, word in _SCALES:
        if abs(value) >= size:
            scaled = value / size
            text = f"{scaled:.3f}".rstrip("0").rstrip(".")
            return f"{text} {word}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,}"


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def amount(value: float, unit: str) -> str:
    """A value in base units as a person reads it: 'CNY 300 billion', '16.4%', '5th', '31 years'."""
    if unit in CURRENCIES:
        return f"{unit} {_number(value)}"
    if unit == "%":
        return f"{_number(value)}%"
    if unit in ("rank", "ordinal") and float(value).is_integer():
        return _ordinal(int(value))
    word = _UNIT_WORDS.get(unit, unit)
    if value == 1 and word.endswith("s"):
        word = word[:-1]
    return f"{_number(value)} {word}"


def number(value: float) -> str:
    """A value in base units, written out in full: 300000000000, 16.4."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def in_unit(quantity: dict[str, Any] | None, unit: str) -> float | None:
    """A quantity's value in ``unit``: its own, or an equivalent the article gives; None if neither."""
    if not quantity:
        return None
    if quantity["unit"] == unit:
        return float(quantity["value"])
    for e in quantity.get("equivalents") or []:
        if e["unit"] == unit:
            return float(e["value"])
    return None


def figure(quantity: dict[str, Any] | None) -> str:
    """'more than CNY 300 billion (USD 43.5 billion)', or '' when the fact has no quantity."""
    if not quantity:
        return ""
    text = QUALIFIER_WORDS.get(quantity["qualifier"], "") + amount(quantity["value"], quantity["unit"])
    others = [amount(e["value"], e["unit"]) for e in quantity.get("equivalents") or []]
    if others:
        text += f" ({', '.join(others)})"
    return text


def to_json(items: Any, pretty: bool) -> str:
    """JSON as UTF-8 text; control and bidi characters \\u-escaped (see safe.visible_json)."""
    if pretty:
        return visible_json(json.dumps(items, ensure_ascii=False, indent=2, allow_nan=False))
    return visible_json(json.dumps(items, ensure_ascii=False, separators=(",", ":"), allow_nan=False))


def to_jsonl(rows: Iterable[Row]) -> str:
    return visible_json(
        "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":"), allow_nan=False) + "\n" for r in rows)
    )


def _cell(value: Any, sep: str = ";") -> str:
    """A value as one cell of text; lists joined with ``sep``."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return sep.join(_cell(v, sep) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _csv_cell(value: Any) -> str:
    """A CSV cell: a list (or a dict) as a JSON array (object), so any character inside survives."""
    if isinstance(value, (list, tuple, dict)):
        return json.dumps(value, ensure_ascii=False, allow_nan=False)
    return _cell(value)


def to_csv(rows: Sequence[Row], columns: Sequence[str]) -> str:
    """CSV with a header; list-valued cells are JSON arrays (``json.loads`` gives the list back)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(columns)
    for r in rows:
        writer.writerow([_csv_cell(r.get(c)) for c in columns])
    return buf.getvalue()


_TSV_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
_TSV_SPECIAL = re.compile(r"[\t\n\r]")


def tsv_field(value: Any) -> str:
    """One field of a tab-separated line: tabs and line breaks written as \\t and \\n, as `visible` writes
    every control character (a backslash is left as it is, as there)."""
    text = _cell(value, ", ")
    return _TSV_SPECIAL.sub(lambda m: _TSV_ESCAPES[m.group()], text) if _TSV_SPECIAL.search(text) else text


def to_tsv(rows: Iterable[Sequence[Any]]) -> str:
    """Tab-separated lines, one row a line, fields in column order, no header, padding or wrapping (as
    gh prints when piped): for grep, cut and awk."""
    return "".join("\t".join(tsv_field(v) for v in row) + "\n" for row in rows)


_SHELL_PLAIN = r"\w@%+=,./-"  # characters no POSIX shell treats specially (\w: letters of any script)


def shell_escaped(text: str) -> str:
    """One word of a shell command line, as bash's completion inserts it: every character a shell treats
    specially backslash-escaped ('Móng Cái' -> 'Móng\\ Cái')."""
    return re.sub(rf"([^:{_SHELL_PLAIN}])", r"\\\1", text)


def zsh_item(value: str, description: str | None = None) -> str:
    """A value (and its description) as one item of the list in zsh's `_arguments '*: :((ITEM ...))'`, which
    its completion script reads with `eval $(...)`: colons in the value escaped for `_describe` (the first
    plain one starts the description), the item escaped as a word for the `eval` of `_arguments` (a run of
    spaces, being escaped, survives `eval $(...)`), and each apostrophe closing and reopening the
    single-quoted spec."""
    text = value.replace("\\", "\\\\").replace(":", "\\:")
    if description:
        text += ":" + " ".join(description.split())
    return re.sub(rf"([^{_SHELL_PLAIN}])", r"\\\1", text).replace("'", "'\\''")


def _md(value: Any) -> str:
    return _cell(value).replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(rows: Sequence[Row], columns: Sequence[str]) -> str:
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(" --- " for _ in columns) + "|"]
    lines.extend("| " + " | ".join(_md(r.get(c)) for c in columns) + " |" for r in rows)
    return "\n".join(lines) + "\n"


FACT_CSV_COLUMNS = (
    "id",
    "topic",
    "date",
    "year",
    "year_end",
    "date_kind",
    "status",
    "statement",
    "value",
    "unit",
    "qualifier",
    "stated",
    "equivalents",
    "localities",
    "people",
    "tags",
    "series",
    "sources",
    "files",
    "excerpts",
    "date_basis",
    "note",
    "conflicts_with",
    "related",
)


def fact_flat(fact: Row) -> Row:
    """One fact as a flat row for CSV (lists are written as JSON arrays)."""
    q = fact.get("quantity") or {}
    return {
        **{k: fact.get(k) for k in FACT_CSV_COLUMNS if k in fact},
        "value": q.get("value"),
        "unit": q.get("unit"),
        "qualifier": q.get("qualifier"),
        "stated": q.get("stated"),
        "equivalents": [f"{e['value']} {e['unit']}" for e in q.get("equivalents") or []],
        "sources": [s["source"] for s in fact["sources"]],
        "files": [s.get("file") or "" for s in fact["sources"]],
        "excerpts": [s["excerpt"] for s in fact["sources"]],
    }


def with_referrers(fact: Row, referrers: Iterable[tuple[str, Row]]) -> Row:
    """`show --json`'s object: the fact, then the facts that name it (each id and how it names it)."""
    return {**fact, "referenced_by": [{"id": other["id"], "kind": kind} for kind, other in referrers]}


def fact_markdown_rows(
    facts: Sequence[Row], place_label: Callable[[str], str], who: Callable[[Row], str] | None = None
) -> list[Row]:
    return [
        {
            "id": f["id"],
            "date": f["date"],
            "topic": f["topic"],
            "places": ", ".join(place_label(p) for p in f["localities"]),
            "statement": f["statement"] + (" (planned)" if f["status"] == "planned" else ""),
            "figure": figure(f.get("quantity")),
            "said by": who(f) if who else "",
            "sources": ", ".join(s["source"] for s in f["sources"]),
        }
        for f in facts
    ]


FACT_MARKDOWN_COLUMNS = ("id", "date", "topic", "places", "statement", "figure", "said by", "sources")


def cell_width(text: str) -> int:
    """Columns a string takes on a terminal: wide East Asian characters count two, combining marks none."""
    if text.isascii():
        return len(text)
    import unicodedata

    width = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def plain_table(columns: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[str] = ()) -> str:
    """An aligned text table for pipes and files: nothing wrapped or cut, no styles, no trailing spaces."""
    cells = [list(columns), *([str(c) for c in row] for row in rows)]
    widths = [max(cell_width(r[i]) for r in cells) for i in range(len(columns))]
    lines = []
    for n, row in enumerate(cells):
        parts = []
        for i, cell in enumerate(row):
            pad = " " * (widths[i] - cell_width(cell))
            parts.append(pad + cell if columns[i] in right and n else cell + pad)
        lines.append("   ".join(parts).rstrip())
        if n == 0:
            lines.append("─" * (sum(widths) + 3 * (len(widths) - 1)))
    return "\n".join(lines) + "\n"


def fact_rows(
    facts: Sequence[Row],
    place_label: Callable[[str], str],
    scores: Sequence[float] | None = None,
    who: Callable[[Row], str] | None = None,
) -> list[list[str]]:
    """The cells of the facts table: id, date, topic, places, statement (with its status), figure, and who
    said it (the people the fact names, or its sources' publishers)."""
    rows = []
    for i, f in enumerate(facts):
        statement = f["statement"] + ("" if f["status"] == "done" else f" [{f['status']}]")
        row = [f["id"], f["date"], f["topic"], ", ".join(place_label(p) for p in f["localities"]), statement]
        row.append(figure(f.get("quantity")))
        row.append(who(f) if who else "")
        if scores is not None:
            row.insert(0, f"{scores[i]:g}")
        rows.append(row)
    return rows


FACT_COLUMNS = ("id", "date", "topic", "places", "statement", "figure", "said by")


def timeline_rows(facts: Sequence[Row]) -> list[list[str]]:
    """The timeline's lines for a pipe, one fact each: date, status, statement, figure, id (TIMELINE_COLUMNS)."""
    return [[f["date"], f["status"], f["statement"], figure(f.get("quantity")), f["id"]] for f in facts]


TIMELINE_COLUMNS = ("date", "status", "statement", "figure", "id")


NUMERIC = ("facts", "total")  # registry columns drawn right-aligned


def plain(value: Any) -> str:
    """A registry value as table text: lists joined with commas."""
    return _cell(value, ", ")
