"""`vnguangxi export`: the fact base as a documented SQLite database, for datasette, DuckDB and plain SQL.

A separate SQLite writer (not the index, which is an internal cache): it reads the same public fact records
that `list --json` prints, with the same filters, and the registries, and writes them as tables with
foreign keys, a full-text index, views, and datasette metadata in a JSON file beside the database.

The database is written to a temporary file in the destination's folder and renamed into place, so a
failure never leaves a partial file behind and an existing file is replaced whole or not at all. No Typer
or Rich here: the CLI declares the options and reports what this module raises.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from json.encoder import encode_basestring as _quote
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnguangxi import __version__
from vnguangxi.errors import UsageError, VnGuangxiError
from vnguangxi.text import fold, fold_for_search
from vnguangxi.vocab import SOURCE_KEYS, TOPIC_TITLES

if TYPE_CHECKING:
    from vnguangxi.query import FactBase, Filters

BATCH = 2000  # facts parsed and inserted at a time: memory stays flat on large folders
PARALLEL_FACTS = 3 * BATCH  # facts to export before worker processes pay off

SCHEMA = """
CREATE TABLE export_info(
    key TEXT PRIMARY KEY,
    value TEXT
);
CREATE TABLE sources(
    id TEXT PRIMARY KEY,
    file TEXT NOT NULL,
    title TEXT,
    publisher TEXT,
    publisher_basis TEXT,
    published TEXT,
    published_basis TEXT,
    language TEXT,
    url TEXT,
    republished_by TEXT,
    stored_copy TEXT
);
CREATE TABLE localities(
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    parent TEXT REFERENCES localities(id),
    name_en TEXT NOT NULL,
    name_vi TEXT,
    name_zh TEXT,
    name_pinyin TEXT,
    aliases TEXT,
    note TEXT
);
CREATE TABLE locality_links(
    locality_id TEXT NOT NULL REFERENCES localities(id),
    kind TEXT NOT NULL CHECK (kind IN ('superseded_by', 'supersedes')),
    other_id TEXT NOT NULL REFERENCES localities(id),
    date TEXT NOT NULL,
    PRIMARY KEY (locality_id, kind, other_id, date)
);
CREATE TABLE people(
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    aliases TEXT,
    country TEXT,
    note TEXT
);
CREATE TABLE people_roles(
    person_id TEXT NOT NULL REFERENCES people(id),
    position INTEGER NOT NULL,
    role TEXT NOT NULL,
    organisation TEXT,
    as_of TEXT,
    source_id TEXT REFERENCES sources(id),
    PRIMARY KEY (person_id, position)
);
CREATE TABLE facts(
    n INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    topic TEXT NOT NULL,
    statement TEXT NOT NULL,
    date TEXT NOT NULL,
    year INTEGER NOT NULL,
    year_end INTEGER NOT NULL,
    date_kind TEXT NOT NULL,
    date_basis TEXT,
    status TEXT NOT NULL,
    note TEXT,
    series TEXT,
    value NUMERIC,
    unit TEXT,
    qualifier TEXT,
    stated TEXT,
    equivalent_value NUMERIC,
    equivalent_unit TEXT,
    equivalent_stated TEXT,
    localities TEXT NOT NULL,
    people TEXT NOT NULL,
    tags TEXT NOT NULL
);
CREATE TABLE fact_equivalents(
    fact_id TEXT NOT NULL REFERENCES facts(id),
    position INTEGER NOT NULL,
    value NUMERIC NOT NULL,
    unit TEXT NOT NULL,
    stated TEXT NOT NULL
);
CREATE TABLE fact_places(
    fact_id TEXT NOT NULL REFERENCES facts(id),
    position INTEGER NOT NULL,
    locality_id TEXT NOT NULL REFERENCES localities(id)
);
CREATE TABLE fact_people(
    fact_id TEXT NOT NULL REFERENCES facts(id),
    position INTEGER NOT NULL,
    person_id TEXT NOT NULL REFERENCES people(id)
);
CREATE TABLE fact_tags(
    fact_id TEXT NOT NULL REFERENCES facts(id),
    position INTEGER NOT NULL,
    tag TEXT NOT NULL
);
CREATE TABLE fact_sources(
    fact_id TEXT NOT NULL REFERENCES facts(id),
    position INTEGER NOT NULL,
    source_id TEXT NOT NULL REFERENCES sources(id),
    excerpt TEXT NOT NULL
);
CREATE TABLE fact_links(
    fact_id TEXT NOT NULL REFERENCES facts(id),
    kind TEXT NOT NULL CHECK (kind IN ('conflicts_with', 'related')),
    position INTEGER NOT NULL,
    other_id TEXT NOT NULL REFERENCES facts(id)
);
CREATE VIRTUAL TABLE facts_fts USING fts5(
    statement, excerpts, other, names,
    content = '', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE VIEW fact_places_within AS
WITH RECURSIVE inside(locality_id, place_id) AS (
    SELECT id, id FROM localities
    UNION
    SELECT inside.locality_id, localities.id FROM inside JOIN localities ON localities.parent = inside.place_id
)
SELECT inside.locality_id AS locality_id, fact_places.fact_id AS fact_id, fact_places.locality_id AS named_id
FROM inside JOIN fact_places ON fact_places.locality_id = inside.place_id;
CREATE VIEW figures AS
SELECT n, id, topic, date, year, year_end, status, series, value, unit, qualifier, stated,
       equivalent_value, equivalent_unit, equivalent_stated, statement
FROM facts WHERE value IS NOT NULL;
CREATE VIEW series AS
SELECT series, year, date, value, unit, qualifier, stated, id AS fact_id, statement
FROM facts
WHERE series IN (SELECT series FROM facts WHERE series != '' GROUP BY series HAVING COUNT(DISTINCT year) > 1)
ORDER BY series, n;
"""

# Made after the rows are in: quicker than keeping them up to date row by row. facts(id) is unique, as the
# foreign keys that name it require.
INDEXES = """
CREATE UNIQUE INDEX facts_id ON facts(id);
CREATE INDEX fact_equivalents_fact ON fact_equivalents(fact_id, position);
CREATE INDEX fact_places_fact ON fact_places(fact_id, position);
CREATE INDEX fact_places_locality ON fact_places(locality_id);
CREATE INDEX fact_people_fact ON fact_people(fact_id, position);
CREATE INDEX fact_people_person ON fact_people(person_id);
CREATE INDEX fact_tags_fact ON fact_tags(fact_id, position);
CREATE INDEX fact_tags_tag ON fact_tags(tag);
CREATE INDEX fact_sources_fact ON fact_sources(fact_id, position);
CREATE INDEX fact_sources_source ON fact_sources(source_id);
CREATE INDEX fact_links_fact ON fact_links(fact_id, kind, position);
CREATE INDEX fact_links_other ON fact_links(other_id);
CREATE INDEX localities_parent ON localities(parent);
CREATE INDEX people_roles_source ON people_roles(source_id);
"""

LICENSE_NOTE = (
    "Statements, notes and the database layout: MIT, from vnguangxi. Excerpts are short verbatim quotations "
    "from the cited news articles; their copyright stays with the publishers."
)


@dataclass
class Report:
    """What an export wrote: paths and row counts by table."""

    database: Path
    metadata: Path
    counts: dict[str, int] = field(default_factory=dict)


class WriteError(VnGuangxiError):
    """The database or its metadata could not be written."""


def metadata_path(out: Path) -> Path:
    """The datasette metadata file beside the database: facts.db → facts.metadata.json."""
    return out.with_name(out.stem + ".metadata.json")


def check_destination(out: Path, force: bool, fact_folders: Sequence[Path]) -> None:
    """Refuse a destination that cannot or must not be written, before any work is done."""
    parent = out.parent
    for path in (out, metadata_path(out)):
        if path.is_dir():
            raise UsageError(f"'{path}' is a folder", "give the path of the database file to write, e.g. facts.db")
    if not parent.is_dir():
        raise UsageError(f"cannot write '{out}': folder '{parent}' does not exist", "create the folder first")
    where = parent.resolve()
    for folder in fact_folders:
        inside = folder.resolve()
        if where == inside or inside in where.parents:
            raise UsageError(
                f"'{out}' is inside the facts folder '{folder}'", "export never writes to a facts folder; pick another"
            )
    if not force:
        for path in (out, metadata_path(out)):
            if path.exists() or path.is_symlink():
                raise UsageError(f"'{path}' already exists", "add --force to replace it")


def write_database(
    book: FactBase, filters: Filters, out: Path, force: bool, fact_folders: Sequence[Path] = ()
) -> Report:
    """Write the facts that match ``filters``, and every registry entry, to the database ``out``."""
    check_destination(out, force, fact_folders)
    raw = book.select_json(filters)  # also checks the filters: a bad one fails before any file is made
    report = Report(out, metadata_path(out))
    db_tmp = _temp_beside(out)
    meta_tmp: str | None = None
    collecting = gc.isenabled()
    gc.disable()  # the rows hold no cycles; collections while millions of them are made cost seconds
    try:
        conn = sqlite3.connect(db_tmp, isolation_level=None)
        try:
            _fill(conn, book, filters, raw, report)
        finally:
            conn.close()
        del raw
        meta_tmp = _temp_beside(report.metadata)
        with open(meta_tmp, "w", encoding="utf-8") as fh:
            json.dump(datasette_metadata(out, report.counts), fh, ensure_ascii=False, indent=2)
            fh.write("\n")
        _publishable(db_tmp)
        _publishable(meta_tmp)
        _move(db_tmp, out, force)
        try:
            _move(meta_tmp, report.metadata, force)
        except BaseException:
            if not force:
                os.unlink(out)  # made a moment ago: the two files go in together or not at all
            raise
    except FileExistsError as exc:  # made by someone else since the check: still never overwritten
        raise UsageError(f"'{exc.filename2 or exc.filename}' already exists", "add --force to replace it") from None
    except (OSError, sqlite3.Error) as exc:
        raise WriteError(f"cannot write '{out}': {exc}") from None
    finally:
        if collecting:
            gc.enable()
        for tmp in (db_tmp, meta_tmp):
            if tmp is not None and os.path.exists(tmp):
                os.unlink(tmp)
    return report


def _move(tmp: str, dest: Path, force: bool) -> None:
    """Rename ``tmp`` to ``dest``; without ``force``, never over an existing file, even one made meanwhile."""
    if force:
        os.replace(tmp, dest)
        return
    try:
        os.link(tmp, dest)  # fails if dest exists, atomically
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if dest.exists() or dest.is_symlink():
            raise FileExistsError(17, "File exists", str(dest)) from None
        os.replace(tmp, dest)
        return
    os.unlink(tmp)


def _temp_beside(path: Path) -> str:
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise WriteError(f"cannot write in '{path.parent}': {exc.strerror or exc}") from None
    os.close(fd)
    return name


def _publishable(path: str) -> None:
    """mkstemp makes files only the owner can read; give the result the usual permissions."""
    mask = os.umask(0)
    os.umask(mask)
    os.chmod(path, 0o666 & ~mask)


# ------------------------------------------------------------------------------ rows


def _fill(conn: sqlite3.Connection, book: FactBase, filters: Filters, raw: list[str], report: Report) -> None:
    conn.execute("PRAGMA page_size = 16384")  # a tenth smaller and quicker to write and index than 4 KiB pages
    conn.execute("PRAGMA journal_mode = OFF")  # a temporary file: a failure discards it whole
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute("PRAGMA foreign_keys = OFF")  # checked once at the end, with foreign_key_check
    conn.executescript(SCHEMA)
    conn.execute("BEGIN")
    counts = report.counts
    counts.update(_registries(conn, book))
    counts.update(_facts(conn, book, raw))
    info = {
        "tool": "vnguangxi",
        "version": __version__,
        "exported_at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "filters": json.dumps(_filters_dict(filters), ensure_ascii=False),
        "facts": str(counts["facts"]),
        "licence": LICENSE_NOTE,
    }
    conn.executemany("INSERT INTO export_info VALUES (?, ?)", info.items())
    conn.execute("COMMIT")
    conn.executescript(INDEXES)
    # Every reference a fact or registry entry makes was checked with the fact base (crosscheck); the one
    # this module decides is which links stay (only those between exported facts). That table is checked
    # here (the whole database, in the tests: checking it all here would cost a seventh of an export).
    bad = conn.execute("PRAGMA foreign_key_check(fact_links)").fetchall()
    if bad:  # a bug here, not in the facts
        raise WriteError(f"export broke a foreign key: {bad[0]!r} (and {len(bad) - 1} more)")


def _filters_dict(f: Filters) -> dict[str, list[str]]:
    return {
        "topic": f.topics,
        "year": f.years,
        "locality": f.localities,
        "tag": f.tags,
        "source": f.sources,
        "status": f.statuses,
    }


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _ids(values: list[str]) -> str:
    """A JSON array of strings as _json writes it, but quicker for the short lists of ids and tags."""
    return "[" + ",".join(map(_quote, values)) + "]"


def _registries(conn: sqlite3.Connection, book: FactBase) -> dict[str, int]:
    sources = book.registry("sources")
    conn.executemany(
        f"INSERT INTO sources VALUES ({', '.join('?' * len(SOURCE_KEYS))})",
        ([_text(s.get(k)) for k in SOURCE_KEYS] for s in sources.values()),
    )
    localities = book.registry("localities")
    conn.executemany(
        "INSERT INTO localities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                d["id"],
                d["kind"],
                d["country"],
                d.get("parent"),
                d["name_en"],
                d.get("name_vi", ""),
                d.get("name_zh", ""),
                d.get("name_pinyin", ""),
                _json(d.get("aliases", [])),
                d.get("note", ""),
            )
            for d in localities.values()
        ),
    )
    links = [
        (d["id"], kind, link["id"], link["date"])
        for d in localities.values()
        for kind in ("superseded_by", "supersedes")
        for link in d.get(kind, [])
    ]
    conn.executemany("INSERT OR IGNORE INTO locality_links VALUES (?, ?, ?, ?)", links)
    people = book.registry("people")
    conn.executemany(
        "INSERT INTO people VALUES (?, ?, ?, ?, ?)",
        (
            (d["id"], d["name"], _json(d.get("aliases", [])), d.get("country", ""), d.get("note", ""))
            for d in people.values()
        ),
    )
    roles = [
        (d["id"], j, r["role"], r.get("organisation", ""), r.get("as_of", ""), r.get("source") or None)
        for d in people.values()
        for j, r in enumerate(d.get("roles", []))
    ]
    conn.executemany("INSERT INTO people_roles VALUES (?, ?, ?, ?, ?, ?)", roles)
    return {
        "sources": len(sources),
        "localities": len(localities),
        "locality_links": len(links),
        "people": len(people),
        "people_roles": len(roles),
    }


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else _json(value)


class _Names:
    """The folded names of each place and person, for the full-text index, worked out once each."""

    def __init__(self, book: FactBase) -> None:
        self.places = {k: loc.names() for k, loc in book.localities.items()}
        self.people = {k: p.names() for k, p in book.people.items()}
        self._cache: dict[tuple[tuple[str, ...], tuple[str, ...]], str] = {}

    def of(self, places: Sequence[str], people: Sequence[str]) -> str:
        k = (tuple(places), tuple(people))
        text = self._cache.get(k)
        if text is None:
            names = [n for p in places for n in self.places.get(p, (p,))]
            names += [n for p in people for n in self.people.get(p, (p,))]
            text = self._cache[k] = fold(" | ".join(names))
        return text


def _facts(conn: sqlite3.Connection, book: FactBase, raw: list[str]) -> dict[str, int]:
    """The facts' rows, made in batches (by the worker processes when there are many) and written here."""
    from vnguangxi.build import workers

    ids: set[str] = set()
    for r in raw:  # the ids first: links are kept only between facts in the export
        start = r.index('"id":"') + 6
        ids.add(r[start : r.index('"', start)])
    names = _Names(book)
    counts = dict.fromkeys(
        ("facts", "fact_equivalents", "fact_places", "fact_people", "fact_tags", "fact_sources", "fact_links"), 0
    )

    def batches() -> Iterator[tuple[int, list[str], _Names]]:
        for first in range(0, len(raw), BATCH):
            yield first, raw[first : first + BATCH], names
            raw[first : first + BATCH] = [""] * len(raw[first : first + BATCH])  # let the texts go

    with workers() as pool:
        many = len(raw) >= PARALLEL_FACTS
        for rows in pool.each(_batch_rows, batches()) if many else map(_batch_rows, batches()):
            rows["fact_links"] = [link for link in rows["fact_links"] if link[3] in ids]
            for table, values in rows.items():
                if table == "facts_fts":
                    conn.executemany(
                        "INSERT INTO facts_fts(rowid, statement, excerpts, other, names) VALUES (?, ?, ?, ?, ?)",
                        values,
                    )
                    continue
                if values:
                    conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(values[0]))})", values)
                counts[table] += len(values)
    return counts


def _batch_rows(batch: tuple[int, list[str], _Names]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of a batch of facts (their JSON, and the index in the export of the first): in a worker
    process when there are many."""
    first, texts, names = batch
    return _rows([json.loads(t) for t in texts], first, names)


def _fold_parts(groups: list[list[str]]) -> list[str]:
    """Each group of texts folded into one string."""
    return fold_for_search([" ".join(g) for g in groups])


def _rows(batch: list[dict[str, Any]], first: int, names: _Names) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of each table for a batch of facts; links to every fact named (the caller keeps those to
    facts in the export)."""
    facts: list[tuple[Any, ...]] = []
    equivalents: list[tuple[Any, ...]] = []
    places: list[tuple[Any, ...]] = []
    people: list[tuple[Any, ...]] = []
    tags: list[tuple[Any, ...]] = []
    sources: list[tuple[Any, ...]] = []
    links: list[tuple[Any, ...]] = []
    fts: list[tuple[Any, ...]] = []
    for k, f in enumerate(batch):
        n = first + k + 1
        fid = f["id"]
        q = f.get("quantity")
        eqs = q.get("equivalents", []) if q else []
        eq = eqs[0] if eqs else None
        facts.append(
            (
                n,
                fid,
                f["topic"],
                f["statement"],
                f["date"],
                f["year"],
                f["year_end"],
                f["date_kind"],
                f["date_basis"],
                f["status"],
                f["note"],
                f["series"],
                q["value"] if q else None,
                q["unit"] if q else None,
                q["qualifier"] if q else None,
                q["stated"] if q else None,
                eq["value"] if eq else None,
                eq["unit"] if eq else None,
                eq["stated"] if eq else None,
                _ids(f["localities"]),
                _ids(f["people"]),
                _ids(f["tags"]),
            )
        )
        equivalents.extend((fid, j, e["value"], e["unit"], e["stated"]) for j, e in enumerate(eqs))
        places.extend((fid, j, p) for j, p in enumerate(f["localities"]))
        people.extend((fid, j, p) for j, p in enumerate(f["people"]))
        tags.extend((fid, j, t) for j, t in enumerate(f["tags"]))
        sources.extend((fid, j, s["source"], s["excerpt"]) for j, s in enumerate(f["sources"]))
        for kind in ("conflicts_with", "related"):
            links.extend((fid, kind, j, o) for j, o in enumerate(f[kind]))
        other = [fid, f["note"], f["series"], *f["tags"]]
        if q:
            other.append(q["stated"])
        texts = _fold_parts([[f["statement"]], [s["excerpt"] for s in f["sources"]], other])
        fts.append((n, *texts, names.of(f["localities"], f["people"])))
    return {
        "facts": facts,
        "fact_equivalents": equivalents,
        "fact_places": places,
        "fact_people": people,
        "fact_tags": tags,
        "fact_sources": sources,
        "fact_links": links,
        "facts_fts": fts,
    }


# ------------------------------------------------------------------------------ datasette


def fts_query(text: str) -> str:
    """An FTS5 query finding what `vnguangxi search TEXT` finds: every word, as a word or a word's start."""
    from vnguangxi.text import words

    return " AND ".join(f'"{w}"*' for w in words(text))


def datasette_metadata(out: Path, counts: dict[str, int]) -> dict[str, Any]:
    """datasette's metadata for the database (read with `datasette OUT.db --metadata OUT.metadata.json`)."""
    fk = "Foreign key to "
    topics = "; ".join(f"{k}: {v}" for k, v in TOPIC_TITLES.items())
    tables: dict[str, Any] = {
        "facts": {
            "title": "Facts",
            "description": (
                "One row per fact: a single claim in our words, dated, placed and cited. Search covers statements, "
                "excerpts and the names of places and people. The figure, if any, is in value (base units), unit, "
                "qualifier and stated (as printed)."
            ),
            "label_column": "statement",
            "facets": ["topic", "year", "status", {"array": "localities"}],
            "fts_table": "facts_fts",
            "fts_pk": "n",
            "columns": {
                "n": "Row number, in date order (the full-text index's rowid)",
                "id": "Stable fact id",
                "topic": topics,
                "statement": "The claim, in our words",
                "date": "As stored: 2025, 2025-04, 2025-04-14, or an interval 2025-04-14/2025-04-15",
                "year": "First year the date covers",
                "year_end": "Last year the date covers",
                "date_kind": "event, period (a figure's period), as-of (when stated) or due (a plan's deadline)",
                "date_basis": "How a relative or inferred date was resolved",
                "status": "done, ongoing or planned",
                "note": "Our remarks: inferences, vagueness, caveats",
                "series": "Id shared by facts measuring the same figure in different years",
                "value": "The figure in base units (300 billion → 300000000000)",
                "unit": "The figure's unit",
                "qualifier": "exact, about, nearly, more-than, at-least, less-than or at-most",
                "stated": "The figure's wording as printed in the article",
                "equivalent_value": "The same amount in another unit, as the article gives it (the first one)",
                "equivalent_unit": "Unit of equivalent_value",
                "equivalent_stated": "Wording of the equivalent as printed",
                "localities": "JSON array of place ids (rows of fact_places)",
                "people": "JSON array of person ids (rows of fact_people)",
                "tags": "JSON array of tags (rows of fact_tags)",
            },
        },
        "fact_places": {
            "title": "Facts and their places",
            "description": "The places each fact is about, most specific first (position 0).",
            "facets": ["locality_id"],
        },
        "fact_places_within": {
            "title": "Facts by place, places inside it included",
            "description": (
                "For each place, the facts naming it or any place inside it: Quảng Ninh's rows include "
                "Móng Cái's. named_id is the place the fact names."
            ),
            "facets": ["locality_id"],
        },
        "fact_people": {"title": "Facts and their people", "facets": ["person_id"]},
        "fact_tags": {"title": "Facts and their tags", "facets": ["tag"]},
        "fact_sources": {
            "title": "Facts and their sources",
            "description": "Each article a fact cites, with the verbatim excerpt that supports it.",
            "facets": ["source_id"],
        },
        "fact_links": {
            "title": "Facts linked to facts",
            "description": (
                "conflicts_with: the two facts disagree; related: worth reading together. Only links between "
                "facts in this export are kept."
            ),
            "facets": ["kind"],
        },
        "fact_equivalents": {"title": "Figures in other units", "description": "Every equivalent a figure has."},
        "figures": {
            "title": "Figures",
            "description": "Facts that carry a figure.",
            "facets": ["unit", "topic", "year"],
        },
        "series": {
            "title": "Series",
            "description": "Figures measured in more than one year, grouped by series, in date order.",
            "facets": ["series"],
        },
        "sources": {
            "title": "Sources",
            "description": "The news articles the facts cite, with who published them and when (and how we know).",
            "label_column": "title",
        },
        "localities": {
            "title": "Places",
            "description": "The gazetteer: names in English, Vietnamese, Chinese and pinyin, aliases, and parent.",
            "label_column": "name_en",
            "facets": ["kind", "country"],
        },
        "locality_links": {
            "title": "Reorganisations",
            "description": "Dated links between places merged or replaced (Vietnam's 2025 reorganisation).",
        },
        "people": {"title": "People", "description": "People the articles name.", "label_column": "name"},
        "people_roles": {"title": "Roles", "description": "Roles of each person as an article gives them, dated."},
        "facts_fts": {
            "title": "Full-text index of facts",
            "description": (
                "Folded text (lower case, no accents, đ → d) of statements, excerpts, place and people names; "
                "rowid = facts.n. Prefix words with a * to match word starts."
            ),
        },
        "export_info": {"title": "About this export", "description": "Tool version, time and filters used."},
    }
    for name, column, target in (
        ("fact_places", "locality_id", "localities"),
        ("fact_people", "person_id", "people"),
        ("fact_sources", "source_id", "sources"),
        ("people_roles", "source_id", "sources"),
        ("fact_links", "other_id", "facts"),
    ):
        tables[name].setdefault("columns", {})[column] = f"{fk}{target}.id"
    return {
        "title": "Vietnam–Guangxi cooperation facts",
        "description": (
            "Facts of cooperation between Vietnam's northern localities and China's Guangxi, each cited to a news "
            f"article with a verbatim excerpt. Exported by vnguangxi {__version__}: {counts.get('facts', 0)} facts."
        ),
        "license": "MIT (statements, notes); excerpts quoted from the cited articles",
        "source": "vnguangxi fact base, from the news articles listed in the sources table",
        "databases": {
            out.stem: {
                "title": "Vietnam–Guangxi cooperation facts",
                "description": LICENSE_NOTE,
                "tables": tables,
            }
        },
    }
