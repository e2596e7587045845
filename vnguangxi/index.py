"""The on-disk index of parsed, validated facts (SQLite, in the user's cache directory).

Each fact file is indexed on its own, keyed by its path, size, modification and change times and inode;
a file whose stat data changed is parsed and validated again, the rest is reused. The checks that need
every folder at once (unique ids, references) run once per set of files and are remembered by the set's
key. Writers take SQLite's write lock (``BEGIN IMMEDIATE``) and re-check under it, so two commands
running at once never see half an update. A cache that cannot be opened, written or read is ignored
with a warning and the index is built in memory for that run.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnguangxi.errors import DataError
from vnguangxi.vocab import REGISTRIES

if TYPE_CHECKING:
    from vnguangxi.load import FactFile
    from vnguangxi.models import Problem
    from vnguangxi.validate import Record

SCHEMA_VERSION = "3"
ENV_CACHE_DIR = "VNGUANGXI_CACHE_DIR"
CHECK_HINT = "run `vnguangxi check` to list every problem"

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE, kind TEXT,
    size INT, mtime_ns INT, ctime_ns INT, inode INT
);
CREATE TABLE facts(
    n INTEGER PRIMARY KEY, file INT, idx INT, line INT, id TEXT, topic TEXT,
    y0 INT, y1 INT, start TEXT, finish TEXT, status TEXT, series TEXT, folded TEXT, data TEXT
);
CREATE INDEX facts_file ON facts(file);
CREATE INDEX facts_id ON facts(id);
CREATE INDEX facts_topic ON facts(topic, y0, y1);
CREATE TABLE refs(n INT, kind TEXT, value TEXT);
CREATE INDEX refs_value ON refs(kind, value, n);
CREATE INDEX refs_n ON refs(n);
CREATE TABLE registry(file INT, kind TEXT, idx INT, line INT, id TEXT, data TEXT);
CREATE INDEX registry_file ON registry(file);
CREATE TABLE validated(setkey TEXT PRIMARY KEY);
"""
REF_KINDS = ("localities", "people", "tags", "conflicts_with", "related")


def cache_dir() -> Path:
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        return Path(override)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "vnguangxi"


def cache_path() -> Path:
    return cache_dir() / f"index-v{SCHEMA_VERSION}.sqlite3"


def _searchable(d: dict[str, Any]) -> str:
    from vnguangxi.text import fold

    parts = [d["id"], d["statement"], d["note"], d["series"], " ".join(d["tags"])]
    parts.extend(s["excerpt"] for s in d["sources"])
    if d["quantity"]:
        parts.append(d["quantity"]["stated"])
    return fold(" | ".join(p for p in parts if p))


def _public(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if k not in ("start", "end")}


def _set_key(files: Sequence[FactFile]) -> str:
    """Names the exact set of files in use (their order too: it decides which duplicate is 'first')."""
    return "\n".join(repr(tuple(f)) for f in files)


def _data_error(problems: Sequence[Problem]) -> DataError:
    first = sorted(problems, key=lambda p: p.sort_key())[0]
    more = len(problems) - 1
    message = str(first)
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return DataError(message, CHECK_HINT)


class Index:
    """A connection to the index, synchronised with the files in use."""

    def __init__(self, conn: sqlite3.Connection, files: Sequence[FactFile]) -> None:
        self.conn = conn
        self.files = list(files)
        self.file_ids: list[int] = []

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(cls, files: Sequence[FactFile], use_cache: bool, warn: Callable[[str], None]) -> Index:
        if use_cache:
            path = cache_path()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                conn = cls._connect(str(path))
                index = cls(conn, files)
                index.sync()
                return index
            except DataError:
                raise
            except (sqlite3.Error, OSError) as exc:
                warn(f"cache '{path}' ignored ({exc}); building the index in memory")
                if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                    cls._discard(path)
        index = cls(cls._connect(":memory:"), files)
        index.sync()
        return index

    @staticmethod
    def _connect(target: str) -> sqlite3.Connection:
        conn = sqlite3.connect(target, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                conn.close()
                raise
            version = None
        if version is None or version[0] != SCHEMA_VERSION:
            conn.execute("BEGIN IMMEDIATE")
            try:
                exists = conn.execute("SELECT name FROM sqlite_master WHERE name = 'meta'").fetchone()
                current = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone() if exists else None
                if current is None or current[0] != SCHEMA_VERSION:
                    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall():
                        conn.execute(f'DROP TABLE IF EXISTS "{name}"')
                    for statement in _SCHEMA.split(";"):
                        if statement.strip():
                            conn.execute(statement)
                    conn.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
                conn.execute("COMMIT")
            except BaseException:
                conn.execute("ROLLBACK")
                raise
        if target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @staticmethod
    def _discard(path: Path) -> None:
        for suffix in ("", "-wal", "-shm"):
            try:
                os.unlink(str(path) + suffix)
            except OSError:
                pass

    # ------------------------------------------------------------------ synchronising

    def _known(self) -> dict[str, tuple[int, tuple[Any, ...]]]:
        rows = self.conn.execute("SELECT id, path, size, mtime_ns, ctime_ns, inode FROM files").fetchall()
        return {r[1]: (r[0], (r[1], r[2], r[3], r[4], r[5])) for r in rows}

    def sync(self) -> None:
        """Bring the index up to date with the files in use; raise DataError if any is invalid."""
        key = _set_key(self.files)
        known = self._known()
        stale = [f for f in self.files if known.get(f.path, (0, None))[1] != f.signature]
        valid = self.conn.execute("SELECT 1 FROM validated WHERE setkey = ?", (key,)).fetchone()
        if not stale and valid:
            self.file_ids = [known[f.path][0] for f in self.files]
            return
        from vnguangxi.load import parse_file

        problems: list[Problem] = []
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            known = self._known()  # another process may have done the work meanwhile
            for f in self.files:
                if known.get(f.path, (0, None))[1] == f.signature:
                    continue
                if f.path in known:
                    self._forget(known.pop(f.path)[0])
                result, _ = parse_file(f)
                if result.problems:
                    problems.extend(result.problems)
                    continue
                known[f.path] = (self._store(f, result.records), f.signature)
            self._collect_garbage(known)
            self.conn.execute("COMMIT")
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        if problems:
            raise _data_error(problems)
        self.file_ids = [known[f.path][0] for f in self.files]
        if not valid:
            cross = self._cross_check()
            if cross:
                raise _data_error(cross)
            self.conn.execute("INSERT OR IGNORE INTO validated VALUES (?)", (key,))

    def _forget(self, file_id: int) -> None:
        c = self.conn
        c.execute("DELETE FROM refs WHERE n IN (SELECT n FROM facts WHERE file = ?)", (file_id,))
        c.execute("DELETE FROM facts WHERE file = ?", (file_id,))
        c.execute("DELETE FROM registry WHERE file = ?", (file_id,))
        c.execute("DELETE FROM files WHERE id = ?", (file_id,))

    def _collect_garbage(self, known: dict[str, tuple[int, tuple[Any, ...]]]) -> None:
        """Forget files that no longer exist, so deleted and renamed files leave nothing behind."""
        gone = [p for p in known if not os.path.exists(p)]
        for path in gone:
            self._forget(known.pop(path)[0])
        if gone:
            self.conn.execute("DELETE FROM validated")

    def _store(self, f: FactFile, records: Iterable[Record]) -> int:
        c = self.conn
        cur = c.execute(
            "INSERT INTO files(path, kind, size, mtime_ns, ctime_ns, inode) VALUES (?, ?, ?, ?, ?, ?)",
            (f.path, f.kind, f.size, f.mtime_ns, f.ctime_ns, f.inode),
        )
        file_id = cur.lastrowid
        assert file_id is not None
        if f.kind in REGISTRIES:
            c.executemany(
                "INSERT INTO registry(file, kind, idx, line, id, data) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (file_id, f.kind, r.index, r.line, r.data["id"], json.dumps(r.data, ensure_ascii=False))
                    for r in records
                ),
            )
            return file_id
        (start,) = c.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM facts").fetchone()
        fact_rows = []
        ref_rows: list[tuple[int, str, str]] = []
        for n, r in enumerate(records, start=start):
            d = r.data
            fact_rows.append(
                (
                    n,
                    file_id,
                    r.index,
                    r.line,
                    d["id"],
                    d["topic"],
                    d["year"],
                    d["year_end"],
                    d["start"],
                    d["end"],
                    d["status"],
                    d["series"],
                    _searchable(d),
                    json.dumps(_public(d), ensure_ascii=False, separators=(",", ":")),
                )
            )
            for kind in REF_KINDS:
                ref_rows.extend((n, kind, v) for v in d[kind])
            ref_rows.extend((n, "sources", s["source"]) for s in d["sources"])
        c.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fact_rows)
        c.executemany("INSERT INTO refs VALUES (?, ?, ?)", ref_rows)
        return file_id

    # ------------------------------------------------------------------ whole-set checks

    def in_set(self, column: str = "file") -> str:
        return f"{column} IN ({','.join(str(i) for i in self.file_ids)})" if self.file_ids else "0"

    def registry_rows(self) -> list[tuple[str, str]]:
        """(kind, JSON) of every registry entry in use, in file order."""
        rows = self.conn.execute(f"SELECT kind, data FROM registry WHERE {self.in_set()} ORDER BY file, idx")
        return rows.fetchall()

    def registry_records(self) -> dict[str, list[Record]]:
        from vnguangxi.validate import Record

        out: dict[str, list[Record]] = {k: [] for k in REGISTRIES}
        paths = {fid: f.path for fid, f in zip(self.file_ids, self.files, strict=True)}
        rows = self.conn.execute(
            f"SELECT file, kind, idx, line, data FROM registry WHERE {self.in_set()} ORDER BY file, idx"
        )
        for file_id, kind, idx, line, data in rows:
            out[kind].append(Record(json.loads(data), paths[file_id], idx, line))
        return out

    def _cross_check(self) -> list[Problem]:
        from vnguangxi.validate import FactRefs, Locators, cross_check

        paths = {fid: f.path for fid, f in zip(self.file_ids, self.files, strict=True)}
        refs: dict[int, dict[str, list[str]]] = {}
        for n, kind, value in self.conn.execute(
            f"SELECT n, kind, value FROM refs WHERE n IN (SELECT n FROM facts WHERE {self.in_set()}) ORDER BY rowid"
        ):
            refs.setdefault(n, {}).setdefault(kind, []).append(value)
        facts = []
        for n, file_id, idx, fid in self.conn.execute(
            f"SELECT n, file, idx, id FROM facts WHERE {self.in_set()} ORDER BY file, idx"
        ):
            r = refs.get(n, {})
            facts.append(
                FactRefs(
                    fid,
                    paths[file_id],
                    idx,
                    r.get("localities", []),
                    r.get("people", []),
                    [(s, "") for s in r.get("sources", [])],
                    r.get("conflicts_with", []),
                    r.get("related", []),
                )
            )

        def reader(path: str) -> str:
            return Path(path).read_text(encoding="utf-8-sig")

        return cross_check(facts, self.registry_records(), Locators(reader=reader))

    # ------------------------------------------------------------------ reading

    def fact_json(self, sql_where: str, params: Sequence[Any], order: str, limit: int | None) -> list[str]:
        sql = f"SELECT data FROM facts WHERE {self.in_set()} AND ({sql_where}) ORDER BY {order}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [row[0] for row in self.conn.execute(sql, params)]

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return self.conn.execute(sql, params).fetchall()
