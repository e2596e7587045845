"""Questions asked of the fact base: filters, search, timeline and statistics. No I/O, no Rich."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

from vnguangxi.errors import NotFoundError, UsageError, VnGuangxiError
from vnguangxi.index import Selection, Term
from vnguangxi.safe import visible_json
from vnguangxi.text import key, stem, stem_prefix, suggest, words
from vnguangxi.vocab import STATUSES, TOPICS

if TYPE_CHECKING:
    from vnguangxi.index import Index
    from vnguangxi.models import Locality, Person, Source
    from vnguangxi.names import NameTable

_PERIOD = re.compile(r"^(\d{4}(?:-\d{2})?)?(\.\.)?(\d{4}(?:-\d{2})?)?\Z")
SORTS = ("date", "id", "topic")
PERIOD_HINT = "use YYYY or YYYY-MM, a range YYYY..YYYY or 2025-01..2025-06, or an open range 2024.. or ..2025-06"


def _month_ok(text: str) -> bool:
    return len(text) == 4 or 1 <= int(text[5:]) <= 12


def parse_period(value: str) -> tuple[str | None, str | None]:
    """'2025' → ('2025-01-01', '2025-12-31'); '2026-02' → February; 'A..B', 'A..' and '..B' ranges of
    years or months, one end possibly open. The first and last day covered, as ISO dates."""
    import calendar

    text = value.strip()
    m = _PERIOD.match(text)
    if (
        not text
        or m is None
        or (m[2] is None and (m[1] is None or m[3] is not None))
        or (m[1] is None and m[3] is None)
        or not all(_month_ok(x) for x in (m[1], m[3]) if x)
    ):
        raise UsageError(f"malformed year '{value}'", PERIOD_HINT)
    first, last = m[1], m[3] if m[2] else m[1]
    lo = (first + "-01-01")[:10] if first else None
    hi = None
    if last:
        if len(last) == 4:
            hi = last + "-12-31"
        else:
            hi = f"{last}-{calendar.monthrange(int(last[:4]), int(last[5:]))[1]:02d}"
    if lo is not None and hi is not None and hi < lo:
        raise UsageError(f"reversed year range '{value}'", f"did you mean '{m[3]}..{m[1]}'?")
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
        drafts: bool = False,
        units: Sequence[str] = (),
        series: Sequence[str] = (),
        has_figure: bool = False,
    ) -> None:
        # A value given twice is asked for once (a filter repeated 999 times is one condition).
        self.topics = list(dict.fromkeys(topics))
        self.years = list(dict.fromkeys(years))
        self.localities = list(dict.fromkeys(localities))
        self.tags = list(dict.fromkeys(tags))
        self.sources = list(dict.fromkeys(sources))
        self.statuses = list(dict.fromkeys(statuses))
        self.drafts = drafts  # include facts marked draft (hidden by default)
        self.units = list(dict.fromkeys(units))
        self.series = list(dict.fromkeys(series))
        self.has_figure = has_figure or bool(self.units)


class FactBase:
    """The facts and registries in use, behind an Index: registries read once and kept, facts read as
    needed through the Index's named reads. Turns what the user asked (Filters, names) into exact
    Selections, and answers the questions the commands ask."""

    def __init__(self, index: Index) -> None:
        self.index = index
        self._registries: dict[str, dict[str, dict[str, Any]]] = {}
        self._names: dict[str, NameTable] = {}

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

    def registry(self, kind: str) -> dict[str, dict[str, Any]]:
        """One registry's entries by id, as stored (optional keys absent), in file order."""
        return self._entries(kind)

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

    def names(self, kind: str) -> NameTable:
        """The name table of one registry: what every name, alias or id names."""
        table = self._names.get(kind)
        if table is None:
            from vnguangxi.names import NameTable

            table = self._names[kind] = NameTable(kind, self._entries(kind).values())
        return table

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
        table = self.names("localities")
        ids = table.lookup(name)
        if not ids:
            hint = table.hint(name)
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

    def speaker(self, fact: dict[str, Any]) -> str:
        """Who said it: the people a fact names, or else the publishers of its sources."""
        people = self._entries("people")
        names = [str(people[p]["name"]) if p in people else p for p in fact.get("people", [])]
        if not names:
            sources = self._entries("sources")
            names = [
                str(sources[s["source"]]["publisher"]) if s["source"] in sources else s["source"]
                for s in fact["sources"]
            ]
        return ", ".join(dict.fromkeys(names))

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

    def selection(self, f: Filters) -> Selection:
        """The facts the filters ask for, every name resolved (a usage error for one that names nothing)."""
        topics = tuple(choice(t, TOPICS, "topic") for t in f.topics)
        periods = tuple(parse_period(y) for y in f.years)
        units: tuple[str, ...] = ()
        if f.units:
            known_units = self.all_units()
            units = tuple(choice(u, known_units, "unit", "`vnguangxi figures` lists the figures") for u in f.units)
        series: tuple[str, ...] = ()
        if f.series:
            known_series = self.all_series()
            series = tuple(choice(x, known_series, "series", "`vnguangxi stats` shows the series") for x in f.series)
        statuses = tuple(choice(x, STATUSES, "status") for x in f.statuses)
        places: set[str] = set()
        for name in f.localities:
            places |= self.expand_place(name)
        if f.tags:
            known = self.all_tags()
            for t in f.tags:
                if t not in known:
                    raise UsageError(f"unknown tag '{t}'{suggest(t, known)}", "`vnguangxi stats` lists the tags in use")
        return Selection(
            drafts=f.drafts,
            topics=topics,
            periods=periods,
            has_figure=f.has_figure,
            units=units,
            series=series,
            statuses=statuses,
            localities=tuple(sorted(places)),
            tags=tuple(f.tags),
            sources=tuple(self.resolve_source(x) for x in f.sources),
        )

    def all_units(self) -> list[str]:
        return self.index.distinct_units()

    def all_series(self) -> list[str]:
        return self.index.distinct_series()

    def all_tags(self) -> list[str]:
        return self.index.tags()

    @staticmethod
    def check_sort(sort: str) -> str:
        if sort not in SORTS:
            raise UsageError(f"unknown sort '{sort}'{suggest(sort, SORTS)}", f"accepted: {', '.join(SORTS)}")
        return sort

    def select_json(self, f: Filters, sort: str = "date", reverse: bool = False, limit: int | None = None) -> list[str]:
        selection = self.selection(f)
        return self.index.facts(selection, self.check_sort(sort), reverse, limit)

    def select(
        self, f: Filters, sort: str = "date", reverse: bool = False, limit: int | None = None
    ) -> list[dict[str, Any]]:
        return [json.loads(s) for s in self.select_json(f, sort, reverse, limit)]

    def get(self, fact_id: str) -> dict[str, Any]:
        found = self.index.fact_by_id(fact_id)
        if found is None:
            raise NotFoundError(
                f"no fact with id '{fact_id}'{suggest(fact_id, self.index.ids())}",
                "`vnguangxi search TEXT` finds facts by their words",
            )
        return dict(json.loads(found))

    def fact_ids(self) -> list[str]:
        return self.index.ids()

    def referrers(self, fact_id: str) -> list[tuple[str, dict[str, Any]]]:
        """Facts naming this one in their conflicts_with or related: (kind, fact)."""
        return [(kind, json.loads(data)) for kind, data in self.index.referrers(fact_id)]

    def with_files_json(self, text: str) -> str:
        """Compact JSON of stored facts with each source's file name spliced in after its id.

        Stored objects are written by json.dumps with fixed separators, so a source entry always reads
        `{"source":"<id>","excerpt"`; inside any string value those quotes would be escaped.
        """
        entries = self._entries("sources")
        spliced: dict[str, str] = {}

        def splice(m: re.Match[str]) -> str:
            quoted = m[1]
            out = spliced.get(quoted)
            if out is None:
                entry = entries.get(json.loads(quoted))
                out = m[0]
                if entry is not None:
                    file = visible_json(json.dumps(entry["file"], ensure_ascii=False))
                    out = '{"source":' + quoted + ',"file":' + file + ',"excerpt"'
                spliced[quoted] = out
            return out

        return re.sub(r'\{"source":("(?:[^"\\]|\\.)*"),"excerpt"', splice, text)

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
        """How many facts name each place, person, tag, source or fact (``kind``: see REF_KINDS)."""
        return Counter(self.index.count_refs(kind, self.selection(f or Filters())))

    def count_by(self, field: str, f: Filters | None = None) -> Counter[str]:
        """How many facts have each topic or status (``field``: 'topic' or 'status')."""
        return Counter(self.index.count_by(field, self.selection(f or Filters())))

    def count_years(self, f: Filters | None = None) -> Counter[int]:
        """Facts in each year, a fact counted in every year it covers (as `list -y YEAR` finds it)."""
        out: Counter[int] = Counter()
        for first, last in self.index.year_spans(self.selection(f or Filters())):
            out.update(range(first, last + 1))
        return out

    def place_totals(self, f: Filters | None = None) -> dict[str, int]:
        """Facts about each place including every place inside it and places it merged with: the count
        `list -l PLACE` gives."""
        named = self.index.named_refs("localities", self.selection(f or Filters()))
        out = {}
        for pid in self.localities:
            covered: set[str] = set()
            for linked in self.linked(pid):
                covered |= self.descendants(linked)
            out[pid] = sum(1 for places in named if places & covered)
        return out

    # ---------------------------------------------------------------- search

    def search(self, text: str, f: Filters, limit: int | None = None) -> list[tuple[float, dict[str, Any]]]:
        """Facts holding every word (inflections alike: 'gates' finds 'gate'), or naming a person or place
        the whole text names in any of its names (the name tables'); best first."""
        terms = list(dict.fromkeys(words(text)))
        if not terms:
            raise UsageError(
                f"nothing to search for in '{text}'", "give one or more words, e.g. vnguangxi search durian"
            )
        selection = self.selection(f)
        named = {kind: sorted(self.names(kind).lookup(text)) for kind in ("people", "localities")} if key(text) else {}
        place_hits = {t: self._name_hits(t, ((p.id, p.names()) for p in self.localities.values())) for t in terms}
        people_hits = {t: self._name_hits(t, ((p.id, p.names()) for p in self.people.values())) for t in terms}
        selection = selection.replace(
            terms=tuple(
                Term(stem_prefix(t), tuple(sorted(place_hits[t])), tuple(sorted(people_hits[t]))) for t in terms
            ),
            named=tuple((kind, tuple(ids)) for kind, ids in named.items() if ids),
        )
        whole = {kind: set(ids) for kind, ids in named.items()}
        results = []
        for raw in self.index.facts(selection, "date"):
            fact = json.loads(raw)
            score = self._score(fact, terms)
            if any(whole.get(kind, set()) & set(fact.get(kind, [])) for kind in ("people", "localities")):
                score = max(score, 3.0 * len(terms))
            if score > 0:
                results.append((score, fact))
        results.sort(key=lambda r: (-r[0], r[1]["date"], r[1]["id"]))
        return results[:limit] if limit is not None else results

    def vocabulary(self) -> set[str]:
        """Every word the facts hold (folded), and every name of their places and people."""
        out: set[str] = set()
        for folded in self.index.folded_texts():
            out.update(words(folded))
        for kind in ("people", "localities"):
            for names in self.names(kind).names.values():
                for name in names:
                    out.update(words(name))
        return out

    def did_you_mean(self, text: str) -> str:
        """' (did you mean 'durian'?)' with each word the facts lack replaced by the closest they hold."""
        import difflib

        vocab = self.vocabulary()
        known = {stem(w) for w in vocab}
        fixed, changed = [], False
        terms = words(text)
        if len(terms) > 8:  # a long query is not a slip of the keyboard
            return ""
        for term in terms:
            if stem(term) in known or any(w.startswith(stem(term)) for w in vocab):
                fixed.append(term)
                continue
            close = difflib.get_close_matches(term, vocab, n=5, cutoff=0.75)
            if close:  # a slip of two letters ('durain') first: the same letters, swapped
                same = [w for w in close if sorted(w) == sorted(term)]
                fixed.append((same or close)[0])
                changed = True
            else:
                fixed.append(term)
        meant = " ".join(fixed)
        return f" (did you mean '{meant if len(meant) <= 80 else meant[:77] + '...'}'?)" if changed else ""

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
        out: dict[str, list[dict[str, Any]]] = {}
        for raw in self.index.facts(self.selection(f).replace(in_series=True), "series"):
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


def figure_groups(facts: Sequence[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """Facts with a figure, each with its group number, the figures of one measure together (oldest group
    first): facts of one series whose periods overlap, or of one unit, date and set of places."""
    parent: dict[int, int] = {}

    def find(i: int) -> int:
        while parent.setdefault(i, i) != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    figures = [f for f in facts if f.get("quantity")]
    by_key: dict[tuple[Any, ...], int] = {}
    for i, f in enumerate(figures):
        key = (f["quantity"]["unit"], f["date"], tuple(sorted(f["localities"])))
        if key in by_key:
            parent[find(i)] = find(by_key[key])
        else:
            by_key[key] = i
        if f.get("series"):
            for j in range(i):
                g = figures[j]
                if g.get("series") == f["series"] and _overlap(f, g):
                    parent[find(i)] = find(j)
    members: dict[int, list[int]] = {}
    for i in range(len(figures)):
        members.setdefault(find(i), []).append(i)
    ordered = sorted(members.values(), key=lambda m: min(m))
    return [(n, figures[i]) for n, group in enumerate(ordered, 1) for i in group]


def _overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two facts' periods share a day (read from their dates: 'YYYY[-MM[-DD]][/...]')."""
    from vnguangxi.dates import parse

    x, y = parse(a["date"]), parse(b["date"])
    return x.start <= y.end and y.start <= x.end


def choice(value: str, choices: Sequence[str], what: str, hint: str | None = None) -> str:
    """The choice a value names, forgiving case ('Trade', 'DONE'); a usage error naming the accepted ones."""
    if value in choices:
        return value
    folded = {c.casefold(): c for c in choices}
    found = folded.get(value.strip().casefold())
    if found is not None:
        return found
    raise UsageError(f"unknown {what} '{value}'{suggest(value, choices)}", hint or f"accepted: {', '.join(choices)}")


def _word_match(term: str, ws: Sequence[str]) -> float:
    """1 when a word equals the term but for inflection ('gates', 'gate'), 0.7 when one starts with its
    stem, else 0: a term and its inflections always score alike."""
    base = stem(term)
    best = 0.0
    for w in ws:
        s = stem(w)
        if s == base:
            return 1.0
        if w.startswith(term) or s.startswith(base):
            best = 0.7
    return best


# ---------------------------------------------------------------- reports (what the commands show)


def related_facts(book: FactBase, fact: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Conflicting facts first, then related ones, from both directions, each once."""
    seen: set[str] = set()
    out: list[tuple[str, dict[str, Any]]] = []
    referrers = book.referrers(fact["id"])
    pairs = [("conflicts_with", i) for i in fact.get("conflicts_with", [])]
    pairs += [(k, f["id"]) for k, f in referrers if k == "conflicts_with"]
    pairs += [("related", i) for i in fact.get("related", [])]
    pairs += [(k, f["id"]) for k, f in referrers if k == "related"]
    for kind, other in pairs:
        if other in seen:
            continue
        seen.add(other)
        try:
            out.append((kind, book.get(other)))
        except VnGuangxiError:
            continue
    return out


def topic_rows(book: FactBase) -> list[dict[str, Any]]:
    """Each topic with its title and fact count."""
    from vnguangxi.vocab import TOPIC_TITLES

    counts = book.count_by("topic")
    return [{"id": t, "title": TOPIC_TITLES[t], "facts": counts.get(t, 0)} for t in TOPICS]


def locality_rows(book: FactBase, country: str | None, table: bool) -> tuple[list[dict[str, Any]], Sequence[str]]:
    """The gazetteer as rows with fact counts ('facts' naming the place; 'total' with the places inside it
    and those it merged with), and the columns to show: a names column for tables, every plain key else."""
    from vnguangxi.vocab import LOCALITY_KEYS

    countries = sorted({loc.country for loc in book.localities.values()})
    if country is not None:
        country = country_code(book, country, countries)
    direct = book.count_refs("localities")
    totals = book.place_totals()
    rows = []
    for loc in book.localities.values():
        if country is not None and loc.country != country:
            continue
        row = loc.to_dict()
        row["facts"] = direct.get(loc.id, 0)
        row["total"] = totals.get(loc.id, 0)
        if table:
            zh = f"{loc.name_zh} {loc.name_pinyin}".strip()
            names = " · ".join(n for n in (loc.name_en, loc.name_vi, zh) if n)
            links = [f"superseded by {x.id} on {x.date}" for x in loc.superseded_by]
            links += [f"supersedes {x.id} since {x.date}" for x in loc.supersedes]
            row["names"] = names + "".join(f"\n  {link}" for link in links)
        rows.append(row)
    if table:
        return rows, ("id", "names", "kind", "parent", "facts", "total")
    # every plain key of an entry (not the note or the links), then the counts
    return rows, (*LOCALITY_KEYS[: LOCALITY_KEYS.index("aliases") + 1], "facts", "total")


def source_rows(book: FactBase, table: bool) -> tuple[list[dict[str, Any]], Sequence[str]]:
    """The articles with their fact counts, and the columns to show (a short set for tables)."""
    from vnguangxi.vocab import SOURCE_KEYS

    counts = book.count_refs("sources")
    rows = [{**s.to_dict(), "facts": counts.get(s.id, 0)} for s in book.sources.values()]
    if table:
        return rows, ("id", "publisher", "published", "title", "facts")
    return rows, (*SOURCE_KEYS, "facts")


def people_rows(book: FactBase, with_role: bool) -> list[dict[str, Any]]:
    """The people with their fact counts; ``with_role`` adds a one-cell summary of their roles."""
    counts = book.count_refs("people")
    rows = []
    for p in book.people.values():
        row = {**p.to_dict(), "facts": counts.get(p.id, 0)}
        if with_role:
            row["role"] = "; ".join(sorted({f"{r.role} ({r.as_of}, {r.source})" for r in p.roles}))
        rows.append(row)
    return rows


def country_code(book: FactBase, value: str, countries: Sequence[str]) -> str:
    """A country code from its code in any case ('VN') or any name of the country ('vietnam', 'Việt Nam')."""
    from vnguangxi.text import suggest

    folded = {c.casefold(): c for c in countries}
    if value.strip().casefold() in folded:
        return folded[value.strip().casefold()]
    for pid in book.names("localities").lookup(value):
        loc = book.localities[pid]
        if loc.kind == "country" and loc.country in countries:
            return loc.country
    raise UsageError(
        f"unknown country '{value}'{suggest(value, countries)}",
        f"accepted: {', '.join(countries)}, or a country's name",
    )


STATS_COLUMNS = ("table", "name", "facts", "year", "value", "unit", "qualifier", "figure", "id")


def stats_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Statistics as flat rows, one bar a row: for CSV, Markdown, JSON lines and pipes."""
    rows: list[dict[str, Any]] = [{"table": "total", "name": "facts", "facts": data["facts"]}]
    for part in ("by_topic", "by_year", "by_status", "by_place", "by_tag"):
        table = part[3:]
        rows.extend({"table": table, "name": r["name"], "facts": r["facts"], "id": r.get("id")} for r in data[part])
    for s in data["series"]:
        for p in s["points"]:
            rows.append(
                {
                    "table": "series",
                    "name": s["series"],
                    "year": p["year"],
                    "value": p["value"],
                    "unit": p["unit"],
                    "qualifier": p["qualifier"],
                    "figure": p["figure"],
                    "id": p["id"],
                }
            )
    return rows


def stats_report(book: FactBase, f: Filters, top_places: int, currency: str | None = None) -> dict[str, Any]:
    from vnguangxi.formats import figure, in_unit
    from vnguangxi.vocab import CURRENCIES

    by_topic = book.count_by("topic", f)
    by_year = book.count_years(f)
    by_status = book.count_by("status", f)
    by_place = {p: n for p, n in book.place_totals(f).items() if n}
    by_tag = book.count_refs("tags", f)
    places = sorted(by_place.items(), key=lambda kv: (-kv[1], kv[0]))[:top_places]
    series = []
    for name, facts in book.series(f).items():
        units = [x["quantity"]["unit"] for x in facts if x.get("quantity")]
        unit = max(units, key=units.count) if units else ""  # the unit most of its points are in
        if currency is not None and unit in CURRENCIES:
            unit = currency
        points = []
        for x in facts:
            q = x.get("quantity")
            value = in_unit(q, unit)
            points.append(
                {
                    "year": x["year"],
                    "date": x["date"],
                    "value": value,
                    "unit": unit if value is not None else (q["unit"] if q else ""),
                    "qualifier": q["qualifier"] if q else "",
                    "figure": figure(q),
                    "id": x["id"],
                }
            )
        series.append({"series": name, "unit": unit, "points": points})
    return {
        "facts": sum(by_topic.values()),
        "by_topic": [{"name": t, "facts": by_topic.get(t, 0)} for t in TOPICS],
        "by_year": [{"name": str(y), "facts": c} for y, c in sorted(by_year.items())],
        "by_status": [{"name": s, "facts": by_status.get(s, 0)} for s in STATUSES],
        "by_place": [{"name": book.place_label(p), "id": p, "facts": c} for p, c in places],
        "by_tag": [{"name": t, "facts": c} for t, c in sorted(by_tag.items(), key=lambda kv: (-kv[1], kv[0]))],
        "series": series,
    }


FIGURE_COLUMNS = (
    "group",
    "id",
    "date",
    "as stated",
    "value",
    "unit",
    "qualifier",
    "places",
    "source",
    "speaker",
    "check",
    "sources",
)


def figure_rows(book: FactBase, grouped: list[tuple[int, dict[str, Any]]]) -> list[dict[str, Any]]:
    from vnguangxi.formats import in_unit, number
    from vnguangxi.vocab import QUALIFIER_WORDS

    members: dict[int, list[dict[str, Any]]] = {}
    for g, x in grouped:
        members.setdefault(g, []).append(x)
    differs = set()
    for g, xs in members.items():  # values told in one unit (their own, or an equivalent) that disagree
        units = {x["quantity"]["unit"] for x in xs}
        for u in units:
            told = {v for x in xs if (v := in_unit(x["quantity"], u)) is not None}
            if len(told) > 1:
                differs.add(g)
    rows = []
    for g, x in grouped:
        q = x["quantity"]
        checks = [f"conflicts with {c}" for c in x.get("conflicts_with", [])]
        if g in differs:
            checks.append("differs")
        people = book.registry("people")
        sources = book.registry("sources")
        rows.append(
            {
                "group": g if len(members[g]) > 1 else "",
                "id": x["id"],
                "date": x["date"],
                "as stated": q["stated"],
                "value": number(q["value"]),
                "unit": q["unit"],
                "qualifier": QUALIFIER_WORDS.get(q["qualifier"], q["qualifier"]).strip() or "exact",
                "places": ", ".join(book.place_label(p) for p in x["localities"]),
                "source": ", ".join(
                    dict.fromkeys(str(sources.get(s["source"], {}).get("publisher", s["source"])) for s in x["sources"])
                ),
                "speaker": ", ".join(str(people.get(p, {}).get("name", p)) for p in x.get("people", [])),
                "check": "; ".join(checks),
                "sources": [s["source"] for s in x["sources"]],
            }
        )
    return rows
