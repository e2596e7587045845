"""Questions asked of the fact base: filters, search, timeline and statistics. No I/O, no Rich."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from vnguangxi.errors import NotFoundError, UsageError
from vnguangxi.index import verified
from vnguangxi.safe import visible_json
from vnguangxi.text import key, suggest, words
from vnguangxi.vocab import REF_KINDS, STATUSES, TOPICS

if TYPE_CHECKING:
    from vnguangxi.index import Index
    from vnguangxi.models import Locality, Person, Source

_YEAR = re.compile(r"^(\d{4})?(\.\.)?(\d{4})?\Z")
SORTS = ("date", "id", "topic")


def parse_years(value: str) -> tuple[int | None, int | None]:
    """'2025' → (2025, 2025); '2024..2026'; '2024..' and '..2025' leave one end open."""
    text = value.strip()
    m = _YEAR.match(text)
    if (
        not text
        or m is None
        or (m[2] is None and (m[1] is None or m[3] is not None))
        or (m[1] is None and m[3] is None)
    ):
        raise UsageError(f"malformed year '{value}'", "use YYYY, a range YYYY..YYYY, or an open range YYYY.. or ..YYYY")
    lo = int(m[1]) if m[1] else None
    hi = int(m[3]) if m[3] else None
    if m[2] is None:
        hi = lo
    if lo is not None and hi is not None and hi < lo:
        raise UsageError(f"reversed year range '{value}'", f"did you mean '{hi}..{lo}'?")
    return lo, hi


class Filters:
    """What the user asked for; each list is OR within itself, lists are ANDed."""

    def __init__(
        self,
        topics: Sequence[str] = (),
        years: Sequence[str] = (),
        localities: Sequence[str] = (),
        tags: Sequence[str] = (),
        sources: Sequence[str] = (),
        statuses: Sequence[str] = (),
    ) -> None:
        # A value given twice is asked for once (a filter repeated 999 times is one condition).
        self.topics = list(dict.fromkeys(topics))
        self.years = list(dict.fromkeys(years))
        self.localities = list(dict.fromkeys(localities))
        self.tags = list(dict.fromkeys(tags))
        self.sources = list(dict.fromkeys(sources))
        self.statuses = list(dict.fromkeys(statuses))


class Book:
    """The fact base behind an Index: registries in memory, facts fetched by SQL as needed."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._registries: dict[str, dict[str, dict[str, Any]]] = {}

    # ---------------------------------------------------------------- registries

    def _entries(self, kind: str) -> dict[str, dict[str, Any]]:
        """One registry's entries by id, as plain dicts (the first definition of an id wins), read once."""
        cached = self._registries.get(kind)
        if cached is None:
            cached = {}
            for data in self.index.registry_rows(kind):
                entry = json.loads(data)
                cached.setdefault(entry["id"], entry)
            self._registries[kind] = cached
        return cached

    @cached_property
    def sources(self) -> dict[str, Source]:
        from vnguangxi.models import Source

        return {k: Source.from_dict(d) for k, d in self._entries("sources").items()}

    @cached_property
    def localities(self) -> dict[str, Locality]:
        from vnguangxi.models import Locality

        return {k: Locality.from_dict(d) for k, d in self._entries("localities").items()}

    @cached_property
    def people(self) -> dict[str, Person]:
        from vnguangxi.models import Person

        return {k: Person.from_dict(d) for k, d in self._entries("people").items()}

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for loc in self.localities.values():
            if loc.parent:
                out.setdefault(loc.parent, []).append(loc.id)
        return out

    @cached_property
    def _place_names(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for loc in self.localities.values():
            for name in loc.names():
                out.setdefault(key(name), set()).add(loc.id)
        return out

    def descendants(self, place: str) -> set[str]:
        return _reach(place, lambda p: self._children.get(p, []))

    def linked(self, place: str) -> set[str]:
        """The place and every place joined to it by a reorganisation link, either way."""

        def links(p: str) -> list[str]:
            loc = self.localities.get(p)
            return [] if loc is None else [x.id for x in (*loc.superseded_by, *loc.supersedes)]

        return _reach(place, links)

    def resolve_place(self, name: str) -> set[str]:
        """Ids a place argument names (by id or any name or alias, any script, any case or accents)."""
        ids = self._place_names.get(key(name))
        if not ids:
            hint = suggest(key(name), self._place_names) or suggest(name, self.localities)
            raise UsageError(
                f"unknown place '{name}'{hint}",
                "`vnguangxi localities` lists every place with its names and aliases",
            )
        return set(ids)

    def expand_place(self, name: str) -> set[str]:
        """Every place a filter on ``name`` covers: itself, what it merged with, and all inside them."""
        out: set[str] = set()
        for pid in self.resolve_place(name):
            for linked in self.linked(pid):
                out |= self.descendants(linked)
        return out

    def place_label(self, place: str) -> str:
        loc = self._entries("localities").get(place)
        return str(loc["name_en"]) if loc else place

    def resolve_source(self, value: str) -> str:
        if value in self.sources:
            return value
        matches = [
            s.id for s in self.sources.values() if value in (s.file, s.id.split("_", 1)[-1]) or s.id.startswith(value)
        ]
        if len(matches) == 1:
            return matches[0]
        if matches:
            shown = ", ".join(matches[:8]) + (f" and {len(matches) - 8} more" if len(matches) > 8 else "")
            raise UsageError(f"ambiguous source '{value}': it matches {shown}", "give more of the id")
        raise UsageError(
            f"unknown source '{value}'{suggest(value, self.sources)}",
            f"accepted: {', '.join(self.sources)}",
        )

    # ---------------------------------------------------------------- filtering

    def where(self, f: Filters) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if f.topics:
            for t in f.topics:
                if t not in TOPICS:
                    raise UsageError(f"unknown topic '{t}'{suggest(t, TOPICS)}", f"accepted: {', '.join(TOPICS)}")
            clauses.append(f"topic IN ({','.join('?' * len(f.topics))})")
            params.extend(f.topics)
        if f.years:
            ors = []
            for y in f.years:
                lo, hi = parse_years(y)
                parts = []
                if hi is not None:
                    parts.append("y0 <= ?")
                    params.append(hi)
                if lo is not None:
                    parts.append("y1 >= ?")
                    params.append(lo)
                ors.append("(" + (" AND ".join(parts) or "1") + ")")
            clauses.append(joined("OR", ors))
        if f.statuses:
            for s in f.statuses:
                if s not in STATUSES:
                    raise UsageError(f"unknown status '{s}'{suggest(s, STATUSES)}", f"accepted: {', '.join(STATUSES)}")
            clauses.append(f"status IN ({','.join('?' * len(f.statuses))})")
            params.extend(f.statuses)
        if f.localities:
            places: set[str] = set()
            for name in f.localities:
                places |= self.expand_place(name)
            clauses.append(self._ref_clause("localities", sorted(places), params))
        if f.tags:
            known = self.all_tags()
            for t in f.tags:
                if t not in known:
                    raise UsageError(f"unknown tag '{t}'{suggest(t, known)}", "`vnguangxi stats` lists the tags in use")
            clauses.append(self._ref_clause("tags", f.tags, params))
        if f.sources:
            clauses.append(self._ref_clause("sources", [self.resolve_source(s) for s in f.sources], params))
        return joined("AND", clauses), params

    @staticmethod
    def _ref_clause(kind: str, values: Sequence[str], params: list[Any]) -> str:
        """Facts whose ``kind`` column (a JSON array; see REF_KINDS) holds any of the values.

        A substring search for the quoted value: exact, because everything a valid fact names is an id
        (no quotes or backslashes), and quicker than parsing every array.
        """
        assert kind in REF_KINDS
        if not values:
            return "0"
        params.extend(json.dumps(v, ensure_ascii=False) for v in values)
        return joined("OR", [f"instr({kind}, ?)"] * len(values))

    def all_tags(self) -> list[str]:
        rows = self.index.rows(
            f"SELECT DISTINCT j.value FROM facts f JOIN json_each(f.tags) j WHERE {self.index.in_set('f.file')}"
        )
        return sorted(r[0] for r in rows)

    @staticmethod
    def order(sort: str, reverse: bool) -> str:
        if sort not in SORTS:
            raise UsageError(f"unknown sort '{sort}'{suggest(sort, SORTS)}", f"accepted: {', '.join(SORTS)}")
        direction = "DESC" if reverse else "ASC"
        keys = {"date": ["start", "finish", "id"], "id": ["id"], "topic": ["topic", "start", "id"]}[sort]
        return ", ".join(f"{k} {direction}" for k in keys)

    def select_json(self, f: Filters, sort: str = "date", reverse: bool = False, limit: int | None = None) -> list[str]:
        where, params = self.where(f)
        return self.index.fact_json(where, params, self.order(sort, reverse), limit)

    def select(
        self, f: Filters, sort: str = "date", reverse: bool = False, limit: int | None = None
    ) -> list[dict[str, Any]]:
        return [json.loads(s) for s in self.select_json(f, sort, reverse, limit)]

    def get(self, fact_id: str) -> dict[str, Any]:
        rows = self.index.fact_json("id = ?", [fact_id], "n", 1, lookup=True)
        if not rows:
            close = self.index.rows(f"SELECT id FROM facts WHERE {self.index.in_set()}")
            raise NotFoundError(
                f"no fact with id '{fact_id}'{suggest(fact_id, [r[0] for r in close])}",
                "`vnguangxi search TEXT` finds facts by their words",
            )
        return dict(json.loads(rows[0]))

    def fact_ids(self) -> list[str]:
        return [r[0] for r in self.index.rows(f"SELECT id FROM facts WHERE {self.index.in_set()} ORDER BY id")]

    def referrers(self, fact_id: str) -> list[tuple[str, dict[str, Any]]]:
        """Facts naming this one in their conflicts_with or related: (kind, fact)."""
        rows = self.index.rows(
            " UNION ALL ".join(
                f"SELECT '{kind}', data, crc, start, id FROM facts JOIN texts USING (n) WHERE {self.index.in_set()} "
                f"AND instr({kind}, ?1)"
                for kind in ("conflicts_with", "related")
            )
            + " ORDER BY 4, 5",
            (json.dumps(fact_id, ensure_ascii=False),),
        )
        return [(k, json.loads(verified(d, stored))) for k, d, stored, _, _ in rows]

    def with_files_json(self, text: str) -> str:
        """Compact JSON of stored facts with each source's file name spliced in after its id.

        Stored objects are written by json.dumps with fixed separators, so a source entry always reads
        `{"source":"<id>","excerpt"`; inside any string value those quotes would be escaped.
        """
        for sid, entry in self._entries("sources").items():
            quoted = json.dumps(sid, ensure_ascii=False)
            needle = '{"source":' + quoted + ',"excerpt"'
            if needle in text:
                file = visible_json(json.dumps(entry["file"], ensure_ascii=False))
                text = text.replace(needle, '{"source":' + quoted + ',"file":' + file + ',"excerpt"')
        return text

    def with_files(self, fact: dict[str, Any]) -> dict[str, Any]:
        """The public JSON object: each source also names its article's file."""
        registry = self._entries("sources")
        srcs = []
        for s in fact["sources"]:
            src = registry.get(s["source"])
            srcs.append({"source": s["source"], "file": src["file"] if src else None, "excerpt": s["excerpt"]})
        out = dict(fact)
        out["sources"] = srcs
        return out

    # ---------------------------------------------------------------- counting

    def count_refs(self, kind: str, f: Filters | None = None) -> Counter[str]:
        where, params = self.where(f or Filters())
        assert kind in REF_KINDS
        rows = self.index.rows(
            f"SELECT j.value, COUNT(*) FROM (SELECT {kind} AS refs FROM facts WHERE {self.index.in_set()} "
            f"AND ({where})) f JOIN json_each(f.refs) j GROUP BY j.value",
            params,
        )
        return Counter(dict(rows))

    def count_column(self, column: str, f: Filters | None = None) -> Counter[Any]:
        where, params = self.where(f or Filters())
        rows = self.index.rows(
            f"SELECT {column}, COUNT(*) FROM facts WHERE {self.index.in_set()} AND ({where}) GROUP BY {column}",
            params,
        )
        return Counter(dict(rows))

    def place_totals(self) -> dict[str, int]:
        """Facts about each place including every place inside it and places it merged with."""
        by_place = self.index.rows(
            f"SELECT j.value, f.n FROM facts f JOIN json_each(f.localities) j WHERE {self.index.in_set('f.file')}"
        )
        facts_of: dict[str, set[int]] = {}
        for place, n in by_place:
            facts_of.setdefault(place, set()).add(n)
        out = {}
        for pid in self.localities:
            covered: set[int] = set()
            for linked in self.linked(pid):
                for p in self.descendants(linked):
                    covered |= facts_of.get(p, set())
            out[pid] = len(covered)
        return out

    # ---------------------------------------------------------------- search

    def search(self, text: str, f: Filters, limit: int | None = None) -> list[tuple[float, dict[str, Any]]]:
        terms = list(dict.fromkeys(words(text)))
        if not terms:
            raise UsageError(
                f"nothing to search for in '{text}'", "give one or more words, e.g. vnguangxi search durian"
            )
        where, params = self.where(f)
        place_hits = {t: self._name_hits(t, ((p.id, p.names()) for p in self.localities.values())) for t in terms}
        people_hits = {t: self._name_hits(t, ((p.id, p.names()) for p in self.people.values())) for t in terms}
        clauses = [f"({where})"]
        for t in terms:
            alts = ["instr(folded, ?)"]  # not LIKE: a long word would be a 'pattern too complex'
            params.append(t)
            for kind, hits in (("localities", place_hits[t]), ("people", people_hits[t])):
                if hits:
                    alts.append(self._ref_clause(kind, sorted(hits), params))
            clauses.append(joined("OR", alts))
        where = joined("AND", clauses)
        results = []
        for raw in self.index.fact_json(where, params, "start, id", None):
            fact = json.loads(raw)
            score = self._score(fact, terms)
            if score > 0:
                results.append((score, fact))
        results.sort(key=lambda r: (-r[0], r[1]["date"], r[1]["id"]))
        return results[:limit] if limit is not None else results

    @staticmethod
    def _name_hits(term: str, named: Iterable[tuple[str, Sequence[str]]]) -> set[str]:
        return {pid for pid, names in named if any(_word_match(term, words(n)) for n in names)}

    def _score(self, fact: dict[str, Any], terms: list[str]) -> float:
        fields: list[tuple[float, list[str]]] = [
            (3.0, words(fact["statement"])),
            (2.0, [w for t in fact["tags"] for w in words(t)]),
            (2.0, words(fact["id"])),
            (1.5, [w for s in fact["sources"] for w in words(s["excerpt"])]),
            (1.0, words(fact.get("note") or "") + words(fact.get("series") or "")),
        ]
        if fact.get("quantity"):
            fields.append((1.0, words(fact["quantity"]["stated"])))
        names: list[str] = []
        for pid in fact["localities"]:
            loc = self.localities.get(pid)
            if loc:
                names.extend(w for n in loc.names() for w in words(n))
        for pid in fact.get("people", []):
            person = self.people.get(pid)
            if person:
                names.extend(w for n in person.names() for w in words(n))
        fields.append((2.5, names))
        total = 0.0
        for term in terms:
            best = 0.0
            for weight, ws in fields:
                best = max(best, weight * _word_match(term, ws))
            if best == 0.0:
                return 0.0  # every word must count
            total += best
        phrase = " ".join(terms)
        if len(terms) > 1 and (phrase in " ".join(fields[0][1]) or phrase in " ".join(names)):
            total += 3.0
        return round(total, 3)

    # ---------------------------------------------------------------- timeline and stats

    def series(self, f: Filters) -> dict[str, list[dict[str, Any]]]:
        """Facts grouped by their ``series``, for series measured in more than one year."""
        where, params = self.where(f)
        out: dict[str, list[dict[str, Any]]] = {}
        for raw in self.index.fact_json(f"series != '' AND ({where})", params, "series, start, id", None):
            fact = json.loads(raw)
            out.setdefault(fact["series"], []).append(fact)
        return {k: v for k, v in out.items() if len({x["year"] for x in v}) > 1}


def _reach(start: str, step: Callable[[str], Iterable[str]]) -> set[str]:
    """``start`` and everything reachable from it by ``step``."""
    out = {start}
    stack = [start]
    while stack:
        for nxt in step(stack.pop()):
            if nxt not in out:
                out.add(nxt)
                stack.append(nxt)
    return out


def joined(op: str, clauses: Sequence[str]) -> str:
    """SQL conditions joined by AND or OR as a balanced tree, in parentheses: SQLite refuses an expression
    more than 1000 deep, which a flat chain of a thousand conditions (a 999-word search) would be."""
    if not clauses:
        return "1" if op == "AND" else "0"
    if len(clauses) <= 16:
        return "(" + f" {op} ".join(clauses) + ")"
    half = len(clauses) // 2
    return f"({joined(op, clauses[:half])} {op} {joined(op, clauses[half:])})"


def _word_match(term: str, ws: Sequence[str]) -> float:
    """1 when a word equals the term, 0.7 when one starts with it, else 0."""
    best = 0.0
    for w in ws:
        if w == term:
            return 1.0
        if w.startswith(term):
            best = 0.7
    return best
