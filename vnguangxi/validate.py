"""The rules for one file: ``check_file`` checks a parsed file (or a chunk of one) on its own (keys,
types, vocabularies, dates, excerpt lengths) and turns its tables into normalised records, every problem
located at file:line[:column]; it also summarises what the rules across files need (``ChunkRefs``), which
live in ``crosscheck``.

Each rule is written once. It runs first with a quiet checker that stops at the first problem and locates
nothing (the verdict on a valid fact costs the tests alone), then, for a table that checker refuses, with
one that finds and locates every problem.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from vnguangxi import dates
from vnguangxi.crosscheck import ChunkRefs
from vnguangxi.locate import KeyPath, Locator, header_lines
from vnguangxi.models import Problem
from vnguangxi.safe import escape_char, unsafe
from vnguangxi.text import accepted, excerpt_words, suggest
from vnguangxi.vocab import (
    DATE_KINDS,
    LOCALITY_KEYS,
    LOCALITY_KINDS,
    QUALIFIERS,
    REGISTRIES,
    SOURCE_KEYS,
    STATUSES,
    STORED_COPY,
    TOPICS,
    UNITS,
)

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")  # \Z: "$" would let a final newline through
SOURCE_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]*\Z")
MAX_ID = 64
MAX_EXCERPT_WORDS = 25

FACT_KEYS = (
    "id",
    "statement",
    "date",
    "date_kind",
    "date_basis",
    "status",
    "localities",
    "people",
    "tags",
    "quantity",
    "series",
    "note",
    "conflicts_with",
    "related",
    "sources",
    "topic",
    "draft",
)
FACT_REQUIRED = ("id", "statement", "date", "date_kind", "status", "localities", "sources")
QUANTITY_KEYS = ("value", "unit", "qualifier", "stated", "equivalents")
EQUIVALENT_KEYS = ("value", "unit", "stated")
SOURCE_REF_KEYS = ("source", "excerpt")
SOURCE_REQUIRED = ("id", "file", "publisher", "published")
LOCALITY_REQUIRED = ("id", "kind", "country", "name_en")
LINK_KEYS = ("id", "date")
PERSON_KEYS = ("id", "name", "aliases", "country", "note", "roles")
PERSON_REQUIRED = ("id", "name")
ROLE_KEYS = ("role", "organisation", "as_of", "source")
ROLE_REQUIRED = ("role", "as_of", "source")


def _type_name(value: Any) -> str:
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


@dataclass
class Record:
    """A validated table from a file: its normalised data and where it stands."""

    data: dict[str, Any]
    path: str
    index: int
    line: int


@dataclass
class FileResult:
    path: str
    kind: str
    records: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    refs: ChunkRefs = field(default_factory=ChunkRefs)  # what the checks across files need of the facts
    excerpts: list[tuple[int, int, str, str]] = field(default_factory=list)  # (fact index, item, source, excerpt)
    registries: dict[str, list[Record]] = field(default_factory=dict)  # registry tables of the file, by kind
    invalid_registry: dict[str, list[str]] = field(default_factory=dict)  # their entries with problems
    drafts: list[Record] = field(default_factory=list)  # valid facts marked draft = true
    # False if the text may hold a control or format character (then each value was searched for them);
    # True means no value holds one, so the records' JSON is printable without a further look.
    printable: bool = True


class _Reject(Exception):
    """Raised by the quiet checker at the first problem."""


class _Checker:
    """Collects the problems of one file (or of a chunk of it starting at ``first_line``).

    The rules call ``add`` for each problem and build its message only then, so a valid table costs
    no more than the tests themselves; see ``_Quiet`` for the way they are first run.
    """

    def __init__(self, path: str, text: str, first_line: int = 1) -> None:
        self.path = path
        self.locator = Locator(text)
        self.offset = first_line - 1
        self.problems: list[Problem] = []

    def add(self, where: KeyPath, message: str, needle: str | None = None) -> None:
        line, column = self.locator.position(where, needle)
        self.problems.append(Problem(self.path, line + self.offset, message, column))

    # -- generic shape checks ------------------------------------------------------------
    def keys(
        self, table: dict[str, Any], where: KeyPath, allowed: tuple[str, ...], required: tuple[str, ...], what: str
    ) -> None:
        if table.keys() <= _set_of(allowed) and _set_of(required) <= table.keys():
            return
        for key in table:
            if key not in allowed:
                hint = suggest(key, allowed) or f"; accepted keys: {accepted(allowed)}"
                self.add((*where, key), f"unknown key '{key}' in {what}{hint}")
        for key in required:
            if key not in table:
                self.add(where, f"{what} is missing the required key '{key}'")

    def string(self, table: dict[str, Any], key: str, where: KeyPath, what: str, required: bool = False) -> str | None:
        value = table.get(key)
        if type(value) is str and (not required or value.strip()):
            return value
        if key not in table:
            return None
        if not isinstance(value, str):
            self.add((*where, key), f"'{key}' of {what} must be a string, not {_type_name(value)}")
            return None
        if required and not value.strip():
            self.add((*where, key), f"'{key}' of {what} must not be empty")
            return None
        return value

    def strings(self, table: dict[str, Any], key: str, where: KeyPath, what: str) -> list[str] | None:
        if key not in table:
            return None
        value = table[key]
        if type(value) is list and not value:  # the usual empty list, quickly
            return value
        if type(value) is not list or not _all_strings(value):
            self.add((*where, key), f"'{key}' of {what} must be an array of strings")
            return None
        return value  # the parsed file's own list: nothing else holds it

    def choice(
        self, table: dict[str, Any], key: str, where: KeyPath, what: str, choices: tuple[str, ...], noun: str
    ) -> str | None:
        value = table.get(key)
        if type(value) is str and value in _set_of(choices):
            return value
        value = self.string(table, key, where, what)
        if value is None:
            return None
        if value not in _set_of(choices):
            hint = suggest(value, choices)
            self.add(
                (*where, key),
                f"unknown {noun} '{value}' in {what}{hint}; accepted: {accepted(choices)}",
                f'"{value}"',
            )
            return None
        return value

    def date(self, table: dict[str, Any], key: str, where: KeyPath, what: str) -> Days | None:
        value = self.string(table, key, where, what)
        if value is None:
            return None
        span = _parse_date(value)
        if isinstance(span, dates.DateError):
            self.add((*where, key), f"impossible date in {what}: {span}", f'"{value}"')
            return None
        return span

    def identifier(self, table: dict[str, Any], where: KeyPath, what: str, pattern: re.Pattern[str]) -> str | None:
        value = self.string(table, "id", where, what, required=True)
        if value is None:
            return None
        if not pattern.match(value) or len(value) > MAX_ID:
            self.add(
                (*where, "id"),
                f"bad id '{value}' in {what}: use lower-case letters, digits and single hyphens, "
                f"at most {MAX_ID} characters",
            )
            return None
        return value

    def table_array(self, data: dict[str, Any], key: str, what: str) -> list[tuple[int, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.add((key,), f"'{key}' must be an array of tables ([[{key}]]), not {_type_name(value)}")
            return []
        out = []
        for i, item in enumerate(value):
            if not isinstance(item, dict):
                self.add((key, i), f"entry {i + 1} of '{key}' must be a table, not {_type_name(item)}")
                continue
            out.append((i, item))
        return out


class _Quiet(_Checker):
    """The rules run first with this checker, which locates nothing and stops at the first problem: the
    quick verdict on a valid table. A table it refuses is checked again with a ``_Checker``, which finds
    and locates every problem. One set of rules gives both verdicts, so they cannot disagree."""

    def __init__(self) -> None:
        self.path = ""
        self.problems = []

    def add(self, where: KeyPath, message: str, needle: str | None = None) -> None:
        raise _Reject


_QUIET = _Quiet()


def _all_strings(values: list[Any]) -> bool:
    for v in values:
        if type(v) is not str:
            return False
    return True


@functools.lru_cache(maxsize=64)
def _set_of(values: tuple[str, ...]) -> frozenset[str]:
    return frozenset(values)


class Days(NamedTuple):
    """What a record keeps of a date: the first and last year it covers, and its first and last day (ISO)."""

    year: int
    year_end: int
    start: str
    end: str


@functools.lru_cache(maxsize=4096)
def _parse_date(text: str) -> Days | dates.DateError:
    """A date's days, or why it is impossible (remembered: a fact file repeats its dates)."""
    try:
        span = dates.parse(text)
    except dates.DateError as exc:
        return exc
    return Days(span.year, span.year_end, span.start.isoformat(), span.end.isoformat())


TABLES = ("facts", *REGISTRIES)
_LIST_KEYS = ("localities", "people", "tags", "conflicts_with", "related")
_ID_LIST_KEYS = frozenset(("tags", "conflicts_with", "related"))  # their values are kebab-case ids


def _top_level(checker: _Checker, data: dict[str, Any]) -> None:
    for key in data:
        if key not in TABLES:
            hint = suggest(key, TABLES) or ""
            checker.add(
                (key,),
                f"unknown top-level key '{key}'{hint}; a facts file holds "
                + ", ".join(f"[[{t}]]" for t in TABLES)
                + " tables",
            )


def _check_quantity(c: _Checker, q: Any, where: KeyPath, what: str) -> dict[str, Any] | None:
    if not isinstance(q, dict):
        c.add(where, f"'quantity' of {what} must be a table, not {_type_name(q)}")
        return None
    c.keys(q, where, QUANTITY_KEYS, ("value", "qualifier", "stated"), f"the quantity of {what}")
    ok = True
    value = q.get("value")
    if "value" in q and (isinstance(value, bool) or not isinstance(value, (int, float))):
        c.add((*where, "value"), f"quantity 'value' of {what} must be a number, not {_type_name(value)}")
        ok = False
    elif isinstance(value, float) and not math.isfinite(value):
        c.add((*where, "value"), f"quantity 'value' of {what} must be a finite number, not {value}")
        ok = False
    if "unit" not in q:
        c.add(where, f"quantity of {what} has no unit; accepted units: {accepted(UNITS)}")
        ok = False
    elif c.choice(q, "unit", where, f"the quantity of {what}", UNITS, "unit") is None:
        ok = False
    if c.choice(q, "qualifier", where, f"the quantity of {what}", QUALIFIERS, "qualifier") is None:
        ok = False
    if c.string(q, "stated", where, f"the quantity of {what}", required=True) is None:
        ok = False
    equivalents: list[dict[str, Any]] = []
    raw = q.get("equivalents", [])
    if not isinstance(raw, list):
        c.add((*where, "equivalents"), f"'equivalents' of {what} must be an array of tables")
        ok = False
    else:
        for i, eq in enumerate(raw):
            ew = (*where, "equivalents", i)
            if not isinstance(eq, dict):
                c.add(ew, f"equivalent {i + 1} of {what} must be a table")
                ok = False
                continue
            c.keys(eq, ew, EQUIVALENT_KEYS, EQUIVALENT_KEYS, f"an equivalent of {what}")
            v = eq.get("value")
            if "value" in eq and (isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v)):
                c.add((*ew, "value"), f"equivalent 'value' of {what} must be a finite number (not nan or inf)")
                ok = False
            if c.choice(eq, "unit", ew, f"an equivalent of {what}", UNITS, "unit") is None:
                ok = False
            if c.string(eq, "stated", ew, f"an equivalent of {what}", required=True) is None:
                ok = False
            if ok:
                equivalents.append({"value": eq.get("value"), "unit": eq.get("unit"), "stated": eq.get("stated")})
    if not ok or "value" not in q:
        return None
    return {
        "value": q["value"],
        "unit": q["unit"],
        "qualifier": q["qualifier"],
        "stated": q["stated"],
        "equivalents": equivalents,
    }


def _check_fact(c: _Checker, i: int, fact: dict[str, Any], topic: str) -> dict[str, Any] | None:
    where: KeyPath = ("facts", i)
    fid = fact.get("id")
    what = f"fact '{fid}'" if type(fid) is str and fid else f"fact {i + 1}"
    before = len(c.problems)
    c.keys(fact, where, FACT_KEYS, FACT_REQUIRED, what)
    c.identifier(fact, where, what, ID_RE)
    c.string(fact, "statement", where, what, required=True)
    if "topic" in fact:
        topic = c.choice(fact, "topic", where, what, TOPICS, "topic") or ""
    elif not topic:
        name = Path(c.path).name
        c.add(
            where,
            f"{what} has no topic: its file name '{name}' is not a topic{suggest(name[:-5], TOPICS)}; add "
            f'topic = "…" ({accepted(TOPICS)}), or name its file or folder after the topic',
        )
    if "draft" in fact and type(fact["draft"]) is not bool:
        c.add((*where, "draft"), f"'draft' of {what} must be true or false, not {_type_name(fact['draft'])}")
    span = c.date(fact, "date", where, what)
    kind = c.choice(fact, "date_kind", where, what, DATE_KINDS, "date_kind")
    status = c.choice(fact, "status", where, what, STATUSES, "status")
    if kind == "due" and status is not None and status != "planned":
        c.add((*where, "status"), f"{what} has date_kind 'due', so its status must be 'planned', not '{status}'")
    for key in ("date_basis", "note", "series"):
        if key in fact:
            c.string(fact, key, where, what)
    series = fact.get("series")
    if type(series) is str and series and not ID_RE.match(series):
        c.add((*where, "series"), f"bad series id '{series}' in {what}: use lower-case kebab-case")
    lists: dict[str, list[str]] = {}
    for key in _LIST_KEYS:
        got = c.strings(fact, key, where, what) if key in fact else None
        lists[key] = got or []
        if not got:
            continue
        if key in _ID_LIST_KEYS:
            for value in got:
                if not ID_RE.match(value):
                    noun = "tag" if key == "tags" else "fact id"
                    c.add((*where, key), f"bad {noun} '{value}' in {what}", f'"{value}"')
        if len(got) > 1 and len(set(got)) != len(got):
            c.add((*where, key), f"'{key}' of {what} lists the same value twice")
    if type(fid) is str and (fid in lists["conflicts_with"] or fid in lists["related"]):
        c.add((*where, "conflicts_with"), f"{what} refers to itself")
    quantity = None
    if "quantity" in fact:
        quantity = _check_quantity(c, fact["quantity"], (*where, "quantity"), what)
    sources: list[dict[str, str]] = []
    raw_sources = fact.get("sources")
    if raw_sources is not None:
        if not isinstance(raw_sources, list) or not raw_sources:
            c.add((*where, "sources"), f"{what} must cite at least one source as [[facts.sources]]")
        else:
            for j, ref in enumerate(raw_sources):
                rw = (*where, "sources", j)
                ref_what = f"source {j + 1} of {what}"
                if type(ref) is not dict:
                    c.add(rw, f"{ref_what} must be a table with 'source' and 'excerpt'")
                    continue
                c.keys(ref, rw, SOURCE_REF_KEYS, SOURCE_REF_KEYS, ref_what)
                sid = c.string(ref, "source", rw, ref_what, required=True)
                excerpt = c.string(ref, "excerpt", rw, ref_what, required=True)
                if excerpt is not None and excerpt_words(excerpt) > MAX_EXCERPT_WORDS:
                    c.add(
                        (*rw, "excerpt"),
                        f"excerpt of {what} has {excerpt_words(excerpt):g} words (two Chinese characters count as "
                        f"one); quote at most {MAX_EXCERPT_WORDS} (about 20, or about 40 Chinese characters)",
                    )
                if sid is not None and excerpt is not None:
                    sources.append({"source": sid, "excerpt": excerpt})
    if len(c.problems) > before or span is None or kind is None or status is None or not topic:
        return None
    return _record(fact, topic, span, kind, status, lists, quantity, sources)


def _record(
    fact: dict[str, Any],
    topic: str,
    span: Days,
    kind: str,
    status: str,
    lists: dict[str, list[str]],
    quantity: dict[str, Any] | None,
    sources: list[dict[str, str]],
) -> dict[str, Any]:
    """The normalised record of a valid fact (the public JSON object, plus its first and last day)."""
    return {
        "id": fact["id"],
        "topic": topic,
        "statement": fact["statement"],
        "date": fact["date"],
        "year": span.year,
        "year_end": span.year_end,
        "start": span.start,
        "end": span.end,
        "date_kind": kind,
        "date_basis": fact.get("date_basis", ""),
        "status": status,
        "localities": lists["localities"],
        "people": lists["people"],
        "tags": lists["tags"],
        "quantity": quantity,
        "series": fact.get("series", ""),
        "note": fact.get("note", ""),
        "conflicts_with": lists["conflicts_with"],
        "related": lists["related"],
        "sources": sources,
        "draft": fact.get("draft", False) is True,
    }


def _check_links(c: _Checker, entry: dict[str, Any], where: KeyPath, what: str) -> None:
    for key in ("superseded_by", "supersedes"):
        raw = entry.get(key)
        if raw is None:
            continue
        if not isinstance(raw, list):
            c.add((*where, key), f"'{key}' of {what} must be an array of tables with 'id' and 'date'")
            continue
        for j, link in enumerate(raw):
            lw = (*where, key, j)
            if not isinstance(link, dict):
                c.add(lw, f"'{key}' entry {j + 1} of {what} must be a table with 'id' and 'date'")
                continue
            c.keys(link, lw, LINK_KEYS, LINK_KEYS, f"a '{key}' link of {what}")
            c.string(link, "id", lw, f"a '{key}' link of {what}", required=True)
            c.date(link, "date", lw, f"a '{key}' link of {what}")


FILE_NAME_RE = re.compile(r"^(?!\.\.?\Z)[^/\\\x00]+\Z")


def plain_file_name(name: str) -> bool:
    """A file name alone, as a source's 'file' must be: no folder, no '..', not absolute."""
    return bool(FILE_NAME_RE.match(name))


def _check_registry_entry(c: _Checker, kind: str, i: int, entry: dict[str, Any]) -> bool:
    where: KeyPath = (kind, i)
    eid = entry.get("id")
    noun = {"sources": "source", "localities": "locality", "people": "person"}[kind]
    what = f"{noun} '{eid}'" if isinstance(eid, str) and eid else f"{noun} {i + 1}"
    before = len(c.problems)
    if kind == "sources":
        c.keys(entry, where, SOURCE_KEYS, SOURCE_REQUIRED, what)
        c.identifier(entry, where, what, SOURCE_ID_RE)
        for key in SOURCE_KEYS[1:]:
            if key == "stored_copy":
                c.choice(entry, key, where, what, STORED_COPY, "stored_copy value")
            else:
                c.string(entry, key, where, what, required=key in SOURCE_REQUIRED)
        c.date(entry, "published", where, what)
        name = entry.get("file")
        if isinstance(name, str) and name.strip() and not plain_file_name(name):
            c.add(
                (*where, "file"),
                f"'file' of {what} must be a plain file name in the articles folders, not '{name}' "
                "(no '/', '\\' or '..', not an absolute path)",
            )
    elif kind == "localities":
        c.keys(entry, where, LOCALITY_KEYS, LOCALITY_REQUIRED, what)
        c.identifier(entry, where, what, ID_RE)
        loc_kind = c.choice(entry, "kind", where, what, LOCALITY_KINDS, "locality kind")
        for key in ("country", "parent", "name_en", "name_vi", "name_zh", "name_pinyin", "note"):
            c.string(entry, key, where, what, required=key in ("country", "name_en", "parent"))
        c.strings(entry, "aliases", where, what)
        if loc_kind is not None and loc_kind != "country" and "parent" not in entry:
            c.add(where, f"{what} is missing the required key 'parent' (only countries have none)")
        if loc_kind == "country" and "parent" in entry:
            c.add((*where, "parent"), f"{what} is a country and cannot have a parent")
        _check_links(c, entry, where, what)
    else:
        c.keys(entry, where, PERSON_KEYS, PERSON_REQUIRED, what)
        c.identifier(entry, where, what, ID_RE)
        for key in ("name", "country", "note"):
            c.string(entry, key, where, what, required=key == "name")
        c.strings(entry, "aliases", where, what)
        roles = entry.get("roles", [])
        if not isinstance(roles, list):
            c.add((*where, "roles"), f"'roles' of {what} must be an array of tables ([[people.roles]])")
        else:
            for j, role in enumerate(roles):
                rw = (*where, "roles", j)
                if not isinstance(role, dict):
                    c.add(rw, f"role {j + 1} of {what} must be a table")
                    continue
                c.keys(role, rw, ROLE_KEYS, ROLE_REQUIRED, f"role {j + 1} of {what}")
                for key in ROLE_KEYS:
                    c.string(role, key, rw, f"role {j + 1} of {what}", required=key in ROLE_REQUIRED)
                c.date(role, "as_of", rw, f"role {j + 1} of {what}")
    return len(c.problems) == before


# A quick look at a file's text before its values are searched for control and format characters:
# such a character is written raw (bidi and zero-width characters may be), or as an escape.
_RAW_UNSAFE_KEEP = "\n\t\r"
_ESCAPES = re.compile(r"\\[uUbfrex]")


def _suspect(text: str) -> bool:
    """True if the text may hold such a character: then its values are searched."""
    if _ESCAPES.search(text) is not None:
        return True
    if text.replace("\n", " ").isprintable():  # the usual case, quickly (see safe._printable)
        return False
    return any(unsafe(line, _RAW_UNSAFE_KEEP) is not None for line in text.split("\n") if not line.isprintable())


def describe_char(ch: str) -> str:
    """'the control character \\x1b' or 'the invisible format character \\u202e (RIGHT-TO-LEFT OVERRIDE)'."""
    import unicodedata

    name = unicodedata.name(ch, "")
    kind = "control" if unicodedata.category(ch) == "Cc" else "invisible format"
    return f"the {kind} character {escape_char(ch)}" + (f" ({name})" if name else "")


def unsafe_in(value: str) -> str | None:
    """The first control or format character of a text value, if any (tabs and line breaks are allowed)."""
    found = unsafe(value, "\n\t\r")
    if found is None:
        lone_cr = re.search(r"\r(?!\n)", value) if "\r" in value else None
        return lone_cr.group() if lone_cr else None
    return found.group()


def _control_chars(c: _Checker, value: Any, where: KeyPath, what: str) -> bool:
    """Report every text of an entry holding a control or invisible format character; True if any."""
    if isinstance(value, str):
        ch = unsafe_in(value)
        if ch is None:
            return False
        key = next((k for k in reversed(where) if isinstance(k, str)), "")
        c.add(
            where,
            f"'{key}' of {what} holds {describe_char(ch)}, which a terminal would act on or hide; "
            "write the text without control, bidi or zero-width characters",
        )
        return True
    found = False
    if isinstance(value, dict):
        for k, v in value.items():
            found |= _control_chars(c, v, (*where, k), what)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found |= _control_chars(c, v, (*where, i), what)
    return found


def check_file(
    path: str,
    kind: str,
    data: dict[str, Any],
    text: str,
    first_index: int = 0,
    first_line: int = 1,
    excerpts: bool = False,
) -> FileResult:
    """Validate one parsed file on its own.

    A file may hold ``[[facts]]`` and registry tables (``[[sources]]``, ``[[localities]]``, ``[[people]]``)
    together. ``kind`` is the topic its facts default to (from the file's or folder's name), or ``""``.

    A large fact file may be checked in chunks, each a run of whole ``[[facts]]`` tables: ``text`` is then
    the chunk, ``first_line`` its first line in the file and ``first_index`` the index of its first fact.
    Ids repeated across chunks are for the caller to find. With ``excerpts``, the facts' excerpts are
    gathered too (for `check`, which compares them with the articles).
    """
    c = _Checker(path, text, first_line)
    result = FileResult(path, kind)
    default_topic = kind if kind in TOPICS else ""
    _top_level(c, data)
    suspect = _suspect(text)
    result.printable = not suspect
    for table in TABLES:
        if table not in data:
            continue
        entries = c.table_array(data, table, table)
        lines = header_lines(text, table)
        if len(lines) != len(data.get(table) or ()):
            lines = []  # headers in strings, or tables written inline: place each by the full locator
        noun = {"facts": "fact", "sources": "source", "localities": "locality", "people": "person"}[table]
        for index, raw in entries:
            line = (lines[index] if lines else c.locator.line((table, index))) + c.offset
            eid = raw.get("id")
            what = f"{noun} '{eid}'" if isinstance(eid, str) and eid else f"{noun} {index + 1}"
            controls = suspect and _control_chars(c, raw, (table, index), what)
            if table == "facts":
                try:
                    record = _check_fact(_QUIET, index, raw, default_topic)
                except _Reject:
                    record = _check_fact(c, index, raw, default_topic)
                if record is not None and not controls:
                    result.records.append(Record(record, path, first_index + index, line))
                    if record["draft"]:
                        result.drafts.append(result.records[-1])
                    _add_refs(result, index, record, True, excerpts)
                else:
                    if isinstance(eid, str) and eid:
                        result.refs.invalid.append(eid)
                    _add_refs(result, index, raw, False, excerpts)
            elif _check_registry_entry(c, table, index, raw) and not controls:
                result.registries.setdefault(table, []).append(Record(dict(raw), path, index, line))
            elif isinstance(eid, str):
                result.invalid_registry.setdefault(table, []).append(eid)
    result.problems = c.problems
    return result


_REF_LISTS = ("localities", "people", "conflicts_with", "related")  # the lists besides sources a fact names ids in


def _add_refs(result: FileResult, index: int, fact: dict[str, Any], valid: bool, excerpts: bool) -> None:
    """A fact's references (and with ``excerpts`` its excerpts), for the checks across files. Of a fact
    with problems (not ``valid``), what can be read of them, so they are checked all the same."""
    fid = fact.get("id")
    if type(fid) is not str or not fid:
        result.refs.add(index, "", ())
        return
    if valid:  # a normalised record: every list is there, of strings
        cited = fact["sources"]
        sources = [r["source"] for r in cited]
        result.refs.add(
            index,
            fid,
            (
                ("localities", fact["localities"]),
                ("people", fact["people"]),
                ("conflicts_with", fact["conflicts_with"]),
                ("related", fact["related"]),
                ("sources", sources),
            ),
        )
        if excerpts:
            result.excerpts.extend((index, j, r["source"], r["excerpt"]) for j, r in enumerate(cited))
        return
    raw = fact.get("sources")
    items = [r if isinstance(r, dict) else {} for r in (raw if isinstance(raw, list) else [])]
    sources = [r["source"] if isinstance(r.get("source"), str) else "" for r in items]
    result.refs.add(index, fid, [(key, _strings_in(fact.get(key))) for key in _REF_LISTS] + [("sources", sources)])
    if excerpts:
        for j, (sid, r) in enumerate(zip(sources, items, strict=True)):
            if sid:
                result.excerpts.append((index, j, sid, r["excerpt"] if isinstance(r.get("excerpt"), str) else ""))


def _strings_in(values: Any) -> list[str]:
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []
