"""The on-disk index of parsed, validated facts (SQLite, in the user's cache directory).

Each fact file is indexed on its own, keyed by its path, size, modification and change times and inode;
a file whose stat data changed is parsed and validated again, the rest is reused. The checks that need
every folder at once (unique ids, references) run once per set of files and are remembered by the set's
key. Writers take SQLite's write lock (``BEGIN IMMEDIATE``) and re-check under it, so two commands
running at once never see half an update. A cache that cannot be opened, written or read is ignored
with a warning and the index is built in memory for that run.
"""

from __future__ import annotations

import functools
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnguangxi.errors import DataError
from vnguangxi.vocab import REF_KINDS, REGISTRIES

if TYPE_CHECKING:
    from vnguangxi.build import Chunk, ChunkResult, Reuse
    from vnguangxi.load import FactFile
    from vnguangxi.models import Problem
    from vnguangxi.validate import Record

SCHEMA_VERSION = "15"  # bump when the layout or any validation rule changes: old rows were checked by old rules
ENV_CACHE_DIR = "VNGUANGXI_CACHE_DIR"
SEARCH_BATCH = 2000  # facts folded for searching at a time (by the worker processes from three batches on)
CHECK_HINT = "run `vnguangxi check` to list every problem"

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE files(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE, kind TEXT,
    size INT, mtime_ns INT, ctime_ns INT, inode INT, digest TEXT, seen_ns INT
);
CREATE TABLE chunks(
    id INTEGER PRIMARY KEY, file INT, seq INT, digest TEXT, first_index INT, first_line INT, refs TEXT, crc INT
);
CREATE INDEX chunks_file ON chunks(file, digest);
-- year and year_end: the first and last year a fact's date covers. start and end_date: its first and last day (ISO)
CREATE TABLE facts(
    n INTEGER PRIMARY KEY, file INT, chunk INT, line INT, id TEXT, topic TEXT,
    year INT, year_end INT, start TEXT, end_date TEXT, status TEXT, series TEXT,
    localities TEXT, people TEXT, tags TEXT, sources TEXT, conflicts_with TEXT, related TEXT, draft INT,
    unit TEXT
);
CREATE INDEX facts_chunk ON facts(chunk);
CREATE TABLE texts(n INTEGER PRIMARY KEY, data TEXT, crc INT);
-- What a search looks in (build.search_text), folded, with the crc of the data it was made from: made at the
-- first search that needs it (Index.searchable), not by the build.
CREATE TABLE search(n INTEGER PRIMARY KEY, folded TEXT, crc INT);
CREATE TABLE registry(file INT, kind TEXT, idx INT, line INT, id TEXT, data TEXT, crc INT);
CREATE INDEX registry_file ON registry(file);
CREATE TABLE validated(setkey TEXT PRIMARY KEY);
"""


class NoCacheDir(OSError):
    """Neither $VNGUANGXI_CACHE_DIR, an absolute $XDG_CACHE_HOME nor an absolute $HOME names a place."""


def cache_dir() -> Path:
    """$VNGUANGXI_CACHE_DIR, or vnguangxi/ in $XDG_CACHE_HOME, or in $HOME/.cache.

    As the XDG spec says, a relative $XDG_CACHE_HOME is ignored. An empty or relative $HOME names no
    place (not '/.cache', not a folder that depends on where the command is run): NoCacheDir.
    """
    override = os.environ.get(ENV_CACHE_DIR)
    if override:
        return Path(override)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "vnguangxi"
    home = os.environ.get("HOME")
    if home is None:
        home = os.path.expanduser("~")  # the password database
    if not os.path.isabs(home) or home.rstrip("/") == "":
        raise NoCacheDir("HOME is not an absolute folder; set XDG_CACHE_HOME or VNGUANGXI_CACHE_DIR")
    return Path(home) / ".cache" / "vnguangxi"


def cache_path(key: str = "") -> Path:
    """The index file for one set of folders (``key`` names the set): a query over the built-in facts
    never pays for rows another, larger set of folders put in the cache."""
    return cache_dir() / (f"index-v{SCHEMA_VERSION}" + (f"-{key}" if key else "") + ".sqlite3")


def folders_key(folders: Sequence[Path]) -> str:
    """A short stable name for an ordered set of folders (order decides which duplicate is 'first')."""
    joined = "\n".join(os.path.abspath(f) for f in folders).encode("utf-8", "surrogatepass")
    # two 32-bit checksums (hashlib would cost milliseconds to import at every start)
    return f"{zlib.crc32(joined):08x}{zlib.adler32(joined):08x}"


LAST_PATH: list[Path] = []  # the cache file the last Index.open used, for the CLI's damaged-cache retry


class CacheDamaged(sqlite3.DatabaseError):
    """A stored row that does not match its checksum, or a page SQLite finds malformed, met in a query."""


def crc(data: str) -> int:
    """The checksum stored beside each JSON value, so a flipped byte is noticed before it is shown."""
    return zlib.crc32(data.encode("utf-8", "surrogatepass"))


def verified(data: str, stored: int) -> str:
    """``data``, if it matches its stored checksum; CacheDamaged otherwise."""
    if crc(data) != stored:
        raise CacheDamaged("a stored value does not match its checksum")
    return data


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is under way, if anything is: SQLite has already rolled back after some errors (a
    full disk), and a failed ROLLBACK must not hide the error (or the Ctrl-C) that led to it."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, but is not ours to signal
    return True


def _reason(exc: BaseException) -> str:
    """Why the cache could not be used, as a person reads it."""
    import errno

    text = str(exc)
    if getattr(exc, "errno", None) in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)) or "disk is full" in text:
        return "the disk is full"
    return text


# How far a file's timestamps must lie before the moment it was read for its stat data alone to be trusted
# later: more than the coarsest timestamp granularity in use (FAT: 2 s; ext4 with small inodes, HFS+,
# some network filesystems: 1 s). A file written within that time of being read could be written again
# with the same size and the same timestamps ("racy git"): such an entry is checked by its content.
RACY_NS = 3_000_000_000


def digest(text: str) -> str:
    """The content hash of a file's text, for entries whose stat data cannot be trusted alone."""
    import hashlib

    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def _set_key(files: Sequence[FactFile]) -> str:
    """Names the exact set of files in use (their order too: it decides which duplicate is 'first')."""
    return "\n".join(repr(tuple(f)) for f in files)


def _data_error(problems: Sequence[Problem]) -> DataError:
    from vnguangxi.models import Problem

    first = sorted(problems, key=Problem.sort_key)[0]
    more = len(problems) - 1
    message = str(first)
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    error = DataError(message, CHECK_HINT)
    error.problems = [*sorted(problems, key=Problem.sort_key)]
    return error


class _FileWork:
    """A changed file on its way into the index: what was read of it before its chunks went to the workers
    (``Index._read_file``), then what indexing it has done."""

    def __init__(self, f: FactFile, file_id: int | None) -> None:
        self.f = f
        self.file_id = file_id  # its row id in the index, if it has one
        self.new_id = 0  # its row id once its row is written
        self.text: str | None = None  # dropped once its chunks are on their way
        self.length = 0  # of the text
        self.problems: list[Problem] = []
        self.stat_row: tuple[Any, ...] = ()  # empty if the file could not be read
        self.whole = False  # read in one piece (build.read_whole)
        self.reusable: dict[str, int] = {}  # stored chunks by digest
        self.stored_line: dict[int, int] = {}  # their first lines, by chunk id
        self.kept: set[int] = set()
        self.seq = 0  # chunks seen so far


class Index:
    """A connection to the index, synchronised with the files in use."""

    def __init__(
        self, conn: sqlite3.Connection, files: Sequence[FactFile], progress: Callable[[float], None] | None = None
    ) -> None:
        self.conn = conn
        self.files = list(files)
        self.file_ids: list[int] = []
        self.progress = progress  # told the share of changed fact bytes indexed so far, as chunks go in
        self._searchable = False  # every fact in use has its search row (see searchable)
        self._bytes_total = 0
        self._bytes_done = 0.0

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls,
        files: Sequence[FactFile],
        use_cache: bool,
        warn: Callable[[str], None],
        progress: Callable[[float], None] | None = None,
        key: str = "",
    ) -> Index:
        if use_cache:
            try:
                path = cache_path(key)
                LAST_PATH[:] = [path]
            except NoCacheDir as exc:
                warn(f"no cache: {exc}; building the index in memory")
                use_cache = False
        if use_cache:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                if not path.exists():
                    cls._discard_old_versions(path)
                    fresh = cls._build_fresh(path, files, progress)
                    if fresh is not None:
                        return fresh
                conn = cls._connect(str(path))
                index = cls(conn, files, progress)
                index.sync()
                return index
            except DataError:
                raise
            except (sqlite3.Error, OSError) as exc:
                warn(f"cache '{path}' ignored ({_reason(exc)}); building the index in memory")
                if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
                    cls.discard(path)
        index = cls(cls._connect(":memory:"), files, progress)
        index.sync()
        return index

    @classmethod
    def _build_fresh(
        cls, path: Path, files: Sequence[FactFile], progress: Callable[[float], None] | None
    ) -> Index | None:
        """A first build, written to a file of its own and put in place once complete.

        Nobody else reads that file meanwhile, so it is written without the write-ahead log (which would
        write every page twice) and without waiting for the disk: half the cost of the same rows written
        into the shared cache. A process that finished the same build first keeps its file (None: open
        that one); a build that ends with problems in the files is put in place too, so the valid files
        are not read again next time.
        """
        building = Path(f"{path}.build-{os.getpid()}")
        cls.discard(building)
        conn = cls._connect(str(building), fresh=True)
        index = cls(conn, files, progress)
        try:
            index.sync()
        except DataError:
            cls._put_in_place(conn, building, path)
            raise
        except BaseException:
            conn.close()
            cls.discard(building)
            raise
        if not cls._put_in_place(conn, building, path):
            return None
        index.conn = cls._connect(str(path))
        return index

    @classmethod
    def _put_in_place(cls, conn: sqlite3.Connection, building: Path, path: Path) -> bool:
        """Move a fresh build to its place, unless another process's is there already; True if ours is."""
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        try:
            os.link(building, path)  # not rename: never replace a file another process may have open
            return True
        except FileExistsError:
            return False
        finally:
            cls.discard(building)

    @staticmethod
    def _connect(target: str, fresh: bool = False) -> sqlite3.Connection:
        conn = sqlite3.connect(target, timeout=30, isolation_level=None, check_same_thread=False)
        try:
            version = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        except sqlite3.OperationalError as exc:
            if "no such table" not in str(exc):
                conn.close()
                raise
            version = None
        if version is None or version[0] != SCHEMA_VERSION:
            # Pages of 16 KiB (of a new file; the pragma changes nothing in one that has tables): a large
            # build writes a tenth quicker and a tenth smaller than with 4 KiB, and a query reads fewer.
            conn.execute("PRAGMA page_size = 16384")
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
                _rollback(conn)
                raise
        if fresh:
            conn.execute("PRAGMA synchronous = OFF")  # a crash leaves a file nobody uses (see _build_fresh)
        elif target != ":memory:":
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        return conn

    @classmethod
    def _discard_old_versions(cls, current: Path) -> None:
        """Remove the indexes of other schema versions (each can be hundreds of MB): nothing reads them."""
        mine = f"index-v{SCHEMA_VERSION}"
        for old in current.parent.glob("index-v*.sqlite3"):
            version = old.name[: -len(".sqlite3")].split("-")[1]
            if f"index-{version}" != mine:
                cls.discard(old)
        for left in current.parent.glob("index-v*.sqlite3.build-*"):  # builds a killed process left
            pid = left.name.rsplit("-", 1)[1]
            if pid.isdigit() and not _running(int(pid)):
                cls.discard(left)

    @staticmethod
    def discard(path: Path) -> None:
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(str(path) + suffix)
            except OSError:
                pass

    # ------------------------------------------------------------------ synchronising

    def _known(self) -> dict[str, tuple[int, tuple[Any, ...]]]:
        rows = self.conn.execute("SELECT id, path, size, mtime_ns, ctime_ns, inode FROM files").fetchall()
        return {r[1]: (r[0], (r[1], r[2], r[3], r[4], r[5])) for r in rows}

    def _racily_changed(self, known: dict[str, tuple[int, tuple[Any, ...]]]) -> set[str]:
        """Files whose stat data match the index but whose content may not: written within RACY_NS of
        being indexed, they are read again and their content hash compared. An entry found unchanged once
        its timestamps lie safely in the past is marked so, and trusted on its stat data from then on."""
        from vnguangxi.load import read_text

        wanted = {f.path for f in self.files if known.get(f.path, (0, None))[1] == f.signature}
        if not wanted:
            return set()
        rows = self.conn.execute("SELECT id, path, mtime_ns, ctime_ns, digest, seen_ns FROM files").fetchall()
        changed: set[str] = set()
        settled: list[tuple[int, int]] = []
        for file_id, path, mtime_ns, ctime_ns, stored, seen_ns in rows:
            newest = max(mtime_ns, ctime_ns)
            if path not in wanted or newest < (seen_ns or 0) - RACY_NS:
                continue
            now = time.time_ns()
            text, _ = read_text(path)
            if text is None or digest(text) != stored:
                changed.add(path)
            elif newest < now - RACY_NS:
                settled.append((now, file_id))
        if settled:
            try:  # a cache that cannot be written (read-only) simply checks these again next time
                self.conn.execute("BEGIN IMMEDIATE")
                self.conn.executemany("UPDATE files SET seen_ns = ? WHERE id = ?", settled)
                self.conn.execute("COMMIT")
            except sqlite3.Error:
                _rollback(self.conn)
        return changed

    def sync(self) -> None:
        """Bring the index up to date with the files in use; raise DataError if any is invalid.

        The garbage collector is off meanwhile: a build makes hundreds of thousands of short-lived
        containers and no cycles, and the collector's passes over them cost a tenth of a large build.
        """
        import gc

        if not gc.isenabled():
            return self._sync()
        gc.disable()
        try:
            self._sync()
        finally:
            gc.enable()

    def _sync(self) -> None:
        key = _set_key(self.files)
        known = self._known()
        changed = self._racily_changed(known)

        def stale(f: FactFile) -> bool:
            return known.get(f.path, (0, None))[1] != f.signature or f.path in changed

        to_index = [f for f in self.files if stale(f)]
        valid = self.conn.execute("SELECT 1 FROM validated WHERE setkey = ?", (key,)).fetchone()
        if changed:
            valid = None  # the set's key is made of stat data, which did not change
        if not to_index and valid:
            self.file_ids = [known[f.path][0] for f in self.files]
            return
        from vnguangxi.build import workers

        problems: list[Problem] = []
        self._bytes_total = sum(f.size for f in to_index if f.kind not in REGISTRIES)
        self._bytes_done = 0.0
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            known = self._known()  # another process may have done the work meanwhile
            if changed:
                self.conn.execute("DELETE FROM validated WHERE setkey = ?", (key,))
            todo: dict[str, tuple[FactFile, int | None]] = {}  # each changed file once, with its old row id
            for f in self.files:
                if f.path not in todo and stale(f):
                    todo[f.path] = (f, known.pop(f.path)[0] if f.path in known else None)
            with workers() as pool:
                # One stream of jobs for every changed file: the workers go on to the next file's chunks
                # while this process writes the rows of the one before.
                work: _FileWork | None = None
                for item, result in pool.map(self._jobs(list(todo.values()))):
                    if isinstance(item, _FileWork):
                        if work is not None:
                            self._end_file(work, known, problems)
                        work = item
                        self._begin_file(work)
                    else:
                        assert work is not None
                        self._chunk(work, item, result)
                if work is not None:
                    self._end_file(work, known, problems)
            self._collect_garbage(known)
            self.conn.execute("COMMIT")
        except BaseException:
            _rollback(self.conn)
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
        c.execute("DELETE FROM texts WHERE n IN (SELECT n FROM facts WHERE file = ?)", (file_id,))
        c.execute("DELETE FROM search WHERE n IN (SELECT n FROM facts WHERE file = ?)", (file_id,))
        c.execute("DELETE FROM facts WHERE file = ?", (file_id,))
        c.execute("DELETE FROM chunks WHERE file = ?", (file_id,))
        c.execute("DELETE FROM registry WHERE file = ?", (file_id,))
        c.execute("DELETE FROM files WHERE id = ?", (file_id,))

    def _collect_garbage(self, known: dict[str, tuple[int, tuple[Any, ...]]]) -> None:
        """Forget files that no longer exist, so deleted and renamed files leave nothing behind."""
        gone = [p for p in known if not os.path.exists(p)]
        for path in gone:
            self._forget(known.pop(path)[0])
        if gone:
            self.conn.execute("DELETE FROM validated")

    def _jobs(self, todo: list[tuple[FactFile, int | None]]) -> Iterator[Any]:
        """Each changed file as it is read (a ``_FileWork``), followed by the jobs of its chunks."""
        from vnguangxi.build import file_jobs

        for f, file_id in todo:
            work = self._read_file(f, file_id)
            yield work
            if work.text is not None and not work.whole:
                yield from file_jobs(f, work.text, work.reusable)
                work.text = None  # what is left to do does not need it: a file's text goes early

    def _read_file(self, f: FactFile, file_id: int | None) -> _FileWork:
        """What indexing a changed file starts from: its text and the chunks stored of it. Writes nothing
        (the workers may be parsing the file before, whose rows are not all in)."""
        from vnguangxi.build import read, read_whole

        work = _FileWork(f, file_id)
        seen_ns = time.time_ns()  # before reading: a write after this moment may leave the same timestamps
        work.text, work.problems = read(f)
        if work.text is None:
            return work
        work.length = len(work.text)
        racy = max(f.mtime_ns, f.ctime_ns) >= seen_ns - RACY_NS
        work.stat_row = (f.kind, f.size, f.mtime_ns, f.ctime_ns, f.inode, digest(work.text) if racy else None, seen_ns)
        work.whole = read_whole(f, work.text)
        if work.whole or file_id is None:
            return work
        stored = self.conn.execute("SELECT digest, id, first_line FROM chunks WHERE file = ?", (file_id,)).fetchall()
        # Its chunks stream to the workers as they are found, each compared with the stored ones on the way;
        # the stored chunks it no longer has are dropped once it is done (_end_file).
        work.reusable = {digest: chunk_id for digest, chunk_id, _ in stored}
        work.stored_line = {chunk_id: line for _, chunk_id, line in stored}
        return work

    def _begin_file(self, work: _FileWork) -> None:
        """A changed file's own row (inside a savepoint, rolled back if the file has problems); a file
        read in one piece is indexed at once."""
        c = self.conn
        c.execute("SAVEPOINT file")
        if not work.stat_row:  # unreadable: its problems say why
            return
        if work.file_id is None:
            cur = c.execute(
                "INSERT INTO files(path, kind, size, mtime_ns, ctime_ns, inode, digest, seen_ns) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (work.f.path, *work.stat_row),
            )
            assert cur.lastrowid is not None
            work.new_id = cur.lastrowid
        else:
            work.new_id = work.file_id
            c.execute(
                "UPDATE files SET kind = ?, size = ?, mtime_ns = ?, ctime_ns = ?, inode = ?, digest = ?, seen_ns = ? "
                "WHERE id = ?",
                (*work.stat_row, work.file_id),
            )
        c.execute("DELETE FROM registry WHERE file = ?", (work.new_id,))
        if work.whole:
            assert work.text is not None
            work.problems.extend(self._index_whole(work.f, work.new_id, work.text))
            work.text = None

    def _chunk(self, work: _FileWork, item: Chunk | Reuse, result: ChunkResult | None) -> None:
        """One chunk of a changed file: its new rows, or (unchanged) its stored rows moved to its place."""
        c = self.conn
        seq = work.seq
        work.seq += 1
        if self.progress is not None and self._bytes_total:
            self._bytes_done += work.f.size * item.size / max(work.length, 1)
            self.progress(min(self._bytes_done / self._bytes_total, 1.0))
        if result is None:  # unchanged: keep its rows, move it to its new place
            old = work.reusable[item.digest]
            work.kept.add(old)
            was = work.stored_line[old]
            c.execute(
                "UPDATE chunks SET seq = ?, first_index = ?, first_line = ? WHERE id = ?",
                (seq, item.first_index, item.first_line, old),
            )
            if item.first_line != was:
                c.execute("UPDATE facts SET line = line + ? WHERE chunk = ?", (item.first_line - was, old))
            return
        work.problems.extend(result.problems)
        if not work.problems:
            work.kept.add(self._insert_chunk(work.new_id, seq, item.first_index, item.first_line, result))

    def _end_file(
        self, work: _FileWork, known: dict[str, tuple[int, tuple[Any, ...]]], problems: list[Problem]
    ) -> None:
        """A changed file done: its rows kept, or (it has problems) rolled back, leaving nothing of it."""
        if work.problems:
            self.conn.execute("ROLLBACK TO file")
            if work.file_id is not None:
                self._forget(work.file_id)  # a file with problems leaves nothing behind
            problems.extend(work.problems)
        else:
            if not work.whole:
                self._drop_chunks([(i,) for i in work.reusable.values() if i not in work.kept])
            known[work.f.path] = (work.new_id, work.f.signature)
        self.conn.execute("RELEASE file")

    def _index_whole(self, f: FactFile, file_id: int, text: str) -> list[Problem]:
        """A file read in one piece (it holds registry tables): its entries, and its facts as one chunk."""
        from vnguangxi.build import whole
        from vnguangxi.safe import visible_json

        c = self.conn
        self._drop_chunks(c.execute("SELECT id FROM chunks WHERE file = ?", (file_id,)).fetchall())
        result = whole(f, text)
        if result.problems:
            return result.problems
        for kind, records in result.registries.items():
            c.executemany(
                "INSERT INTO registry(file, kind, idx, line, id, data, crc) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    (file_id, kind, r.index, r.line, r.data["id"], data, crc(data))
                    for r in records
                    for data in (visible_json(json.dumps(r.data, ensure_ascii=False)),)
                ),
            )
        if result.facts:
            self._insert_chunk(file_id, 0, 0, 1, result)
        return []

    def _drop_chunks(self, chunk_ids: Sequence[tuple[int]]) -> None:
        c = self.conn
        c.executemany("DELETE FROM texts WHERE n IN (SELECT n FROM facts WHERE chunk = ?)", chunk_ids)
        c.executemany("DELETE FROM search WHERE n IN (SELECT n FROM facts WHERE chunk = ?)", chunk_ids)
        c.executemany("DELETE FROM facts WHERE chunk = ?", chunk_ids)
        c.executemany("DELETE FROM chunks WHERE id = ?", chunk_ids)

    def _insert_chunk(self, file_id: int, seq: int, first_index: int, first_line: int, result: ChunkResult) -> int:
        """A parsed chunk's row, its facts' rows and texts; the chunk's row id."""
        from vnguangxi.build import FACT_COLUMNS

        c = self.conn
        refs = result.refs
        cur = c.execute(
            "INSERT INTO chunks(file, seq, digest, first_index, first_line, refs, crc) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (file_id, seq, result.digest, first_index, first_line, refs, crc(refs)),
        )
        chunk_id = cur.lastrowid
        assert chunk_id is not None
        (start,) = c.execute("SELECT COALESCE(MAX(n), 0) + 1 FROM facts").fetchone()
        columns = len(FACT_COLUMNS)  # a row (build.Prepared) holds the facts table's columns, then the texts'
        c.executemany(
            f"INSERT INTO facts(n, file, chunk, {', '.join(FACT_COLUMNS)}) "
            f"VALUES ({start} + ?, {file_id}, {chunk_id}, {', '.join('?' * columns)})",
            ((k, *p[:columns]) for k, p in enumerate(result.facts)),
        )
        c.executemany(
            f"INSERT INTO texts(n, data, crc) VALUES ({start} + ?, CAST(? AS TEXT), ?)",
            ((k, *p[columns:]) for k, p in enumerate(result.facts)),
        )
        return chunk_id

    # ------------------------------------------------------------------ whole-set checks

    def in_set(self, column: str = "file") -> str:
        """SQL keeping rows of the files in use."""
        if not self.file_ids:
            return "0"
        return f"{column} IN ({','.join(str(i) for i in self.file_ids)})"

    def registry_rows(self, kind: str) -> list[str]:
        """JSON of every entry of one registry in use, in the order of the files in use."""
        rows = self.rows(f"SELECT file, idx, data, crc FROM registry WHERE kind = ? AND {self.in_set()}", (kind,))
        order = self._file_order
        rows.sort(key=lambda r: (order[r[0]], r[1]))
        return [verified(r[2], r[3]) for r in rows]

    @functools.cached_property
    def _file_order(self) -> dict[int, int]:
        return {fid: i for i, fid in enumerate(self.file_ids)}

    def registry_records(self) -> dict[str, list[Record]]:
        from vnguangxi.validate import Record

        out: dict[str, list[Record]] = {k: [] for k in REGISTRIES}
        paths = {fid: f.path for fid, f in zip(self.file_ids, self.files, strict=True)}
        rows = self.rows(f"SELECT file, kind, idx, line, data, crc FROM registry WHERE {self.in_set()}")
        order = self._file_order
        rows.sort(key=lambda r: (order[r[0]], r[2]))
        for file_id, kind, idx, line, data, stored in rows:
            out[kind].append(Record(json.loads(verified(data, stored)), paths[file_id], idx, line))
        return out

    def _cross_check(self) -> list[Problem]:
        """The checks across files (crosscheck), over the set in use: its chunks' summaries and registries."""
        from vnguangxi.crosscheck import ChunkRefs, Locators, cross_check

        def reader(path: str) -> str:
            from vnguangxi.load import read_text

            return read_text(path)[0] or ""  # as the build read it, so lines are counted the same way

        paths = {fid: f.path for fid, f in zip(self.file_ids, self.files, strict=True)}
        order = self._file_order
        rows = self.rows(f"SELECT file, seq, first_index, refs, crc FROM chunks WHERE {self.in_set()}")
        rows.sort(key=lambda r: (order[r[0]], r[1]))
        try:
            parts = [(paths[r[0]], r[2], ChunkRefs.from_json(verified(r[3], r[4]))) for r in rows]
        except ValueError as exc:
            raise CacheDamaged(str(exc)) from None
        return cross_check(parts, self.registry_records(), Locators(reader=reader))

    # ------------------------------------------------------------------ reading
    #
    # Named reads: the questions `query` asks, each one SQL statement over the files in use. Callers say
    # which facts they want with a Selection (plain, resolved values) and how to order them with a sort
    # name; the tables, columns and SQL stay in this module.

    def facts(
        self, selection: Selection, sort: str = "date", reverse: bool = False, limit: int | None = None
    ) -> list[str]:
        """The stored JSON of the selected facts, in the order ``sort`` names (see SORT_KEYS), at most
        ``limit`` of them."""
        keys = SORT_KEYS[sort]
        direction = "DESC" if reverse else "ASC"
        where, params = _where(selection)
        if selection.terms:
            self.searchable()
        return self._fact_json(where, params, ", ".join(f"{k} {direction}" for k in keys), limit, bool(selection.terms))

    def fact_by_id(self, fact_id: str) -> str | None:
        """The stored JSON of the fact with this id (the first, in the files' order), or None."""
        rows = self._fact_json("id = ?", [fact_id], "n", 1)
        return rows[0] if rows else None

    def ids(self) -> list[str]:
        """Every fact's id, drafts too, sorted."""
        return [r[0] for r in self.rows(f"SELECT id FROM facts WHERE {self.in_set()} ORDER BY id")]

    def distinct_units(self) -> list[str]:
        """The units of the facts' figures, sorted."""
        rows = self.rows(f"SELECT DISTINCT unit FROM facts WHERE {self.in_set()} AND unit != ''")
        return sorted(r[0] for r in rows)

    def distinct_series(self) -> list[str]:
        """The series the facts belong to, sorted."""
        rows = self.rows(f"SELECT DISTINCT series FROM facts WHERE {self.in_set()} AND series != ''")
        return sorted(r[0] for r in rows)

    def tags(self) -> list[str]:
        """The tags the facts carry, sorted."""
        rows = self.rows(f"SELECT DISTINCT j.value FROM facts f JOIN json_each(f.tags) j WHERE {self.in_set('f.file')}")
        return sorted(r[0] for r in rows)

    def referrers(self, fact_id: str) -> list[tuple[str, str]]:
        """Facts naming this one in their conflicts_with or related, by date then id: (kind, stored JSON)."""
        rows = self.rows(
            " UNION ALL ".join(
                f"SELECT '{kind}', data, crc, start, id FROM facts JOIN texts USING (n) WHERE {self.in_set()} "
                f"AND instr({kind}, ?1)"
                for kind in ("conflicts_with", "related")
            )
            + " ORDER BY 4, 5",
            (json.dumps(fact_id, ensure_ascii=False),),
        )
        return [(kind, verified(data, stored)) for kind, data, stored, _, _ in rows]

    def count_refs(self, kind: str, selection: Selection) -> dict[str, int]:
        """How many selected facts name each id of one kind of reference (see REF_KINDS)."""
        if kind not in REF_KINDS:
            raise ValueError(f"not a kind of reference: {kind!r}")
        where, params = _where(selection)
        rows = self.rows(
            f"SELECT j.value, COUNT(*) FROM (SELECT {kind} AS refs FROM facts WHERE {self.in_set()} "
            f"AND ({where})) f JOIN json_each(f.refs) j GROUP BY j.value",
            params,
        )
        return dict(rows)

    def count_by(self, field: str, selection: Selection) -> dict[str, int]:
        """How many selected facts have each value of one field: 'topic' or 'status' (see COUNTABLE)."""
        column = COUNTABLE[field]
        where, params = _where(selection)
        rows = self.rows(
            f"SELECT {column}, COUNT(*) FROM facts WHERE {self.in_set()} AND ({where}) GROUP BY {column}", params
        )
        return dict(rows)

    def year_spans(self, selection: Selection) -> list[tuple[Any, ...]]:
        """The first and last year each selected fact covers: (year, year_end) pairs of ints."""
        where, params = _where(selection)
        return self.rows(f"SELECT year, year_end FROM facts WHERE {self.in_set()} AND ({where})", params)

    def named_refs(self, kind: str, selection: Selection) -> list[set[str]]:
        """The ids of one kind (see REF_KINDS) each selected fact names, for the facts naming any."""
        if kind not in REF_KINDS:
            raise ValueError(f"not a kind of reference: {kind!r}")
        where, params = _where(selection)
        rows = self.rows(f"SELECT {kind} FROM facts WHERE {self.in_set()} AND ({where}) AND {kind} != '[]'", params)
        return [set(json.loads(r[0])) for r in rows]

    def folded_texts(self) -> list[str]:
        """The folded searchable text of every fact (see build.search_text)."""
        self.searchable()
        return [r[0] for r in self.rows(f"SELECT folded FROM facts JOIN search USING (n) WHERE {self.in_set()}")]

    def searchable(self) -> None:
        """Give every fact in use its search row (build.search_rows), if it has none yet.

        Made at the first search that needs them rather than by the build: most commands never search, and
        folding the texts is a tenth of a large build. Many are made by the worker processes, a batch at a
        time (memory stays flat). A cache this process cannot write to (read-only, or held by a writer
        past the timeout, or out of disk part-way: what went in is rolled back) gets them in a table of this
        connection alone, which the same queries find first (SQLite looks in the temp schema before the
        main one).
        """
        if self._searchable:
            return
        missing = [
            r[0] for r in self.rows(f"SELECT n FROM facts WHERE {self.in_set()} AND n NOT IN (SELECT n FROM search)")
        ]
        if missing:
            try:
                self._make_search_rows(missing, "main.search")
            except sqlite3.OperationalError as exc:  # read-only, held by a writer past the timeout, disk full
                if "malformed" in str(exc):
                    raise CacheDamaged(str(exc)) from None
                self.conn.execute("PRAGMA temp_store = MEMORY")
                self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS search(n INTEGER PRIMARY KEY, folded TEXT, crc INT)")
                self.conn.execute("INSERT OR REPLACE INTO temp.search SELECT n, folded, crc FROM main.search")
                self._make_search_rows(missing, "temp.search")
            except sqlite3.DatabaseError as exc:
                raise CacheDamaged(str(exc)) from None
        self._searchable = True

    def _make_search_rows(self, missing: list[int], table: str) -> None:
        """Fold the texts of the facts numbered ``missing`` into ``table``: the index's own in one write
        transaction (rolled back whole if any of it fails), or this connection's temp table."""
        from vnguangxi.build import search_rows, workers

        # Only for facts whose data is still what was folded: another process may have re-indexed meanwhile.
        insert = (
            f"INSERT OR REPLACE INTO {table}(n, folded, crc) SELECT ?1, ?2, ?3 "
            "WHERE EXISTS (SELECT 1 FROM texts WHERE n = ?1 AND crc = ?3)"
        )
        batches = (missing[i : i + SEARCH_BATCH] for i in range(0, len(missing), SEARCH_BATCH))
        stored = (self._search_batch(ns) for ns in batches)
        try:
            if table == "main.search":
                self.conn.execute("BEGIN IMMEDIATE")
            with workers() as pool:
                many = len(missing) >= 3 * SEARCH_BATCH
                for rows in pool.each(search_rows, stored) if many else map(search_rows, stored):
                    self.conn.executemany(insert, rows)
            if self.conn.in_transaction:
                self.conn.execute("COMMIT")
        except BaseException:
            _rollback(self.conn)
            raise

    def _search_batch(self, ns: list[int]) -> list[tuple[int, str, int]]:
        """The stored JSON of some facts by row number, checked: (n, data, crc)."""
        rows = self.rows(
            "SELECT n, data, crc FROM texts WHERE n IN (SELECT value FROM json_each(?))", (json.dumps(ns),)
        )
        return [(n, verified(data, stored), stored) for n, data, stored in rows]

    def _fact_json(
        self, sql_where: str, params: Sequence[Any], order: str, limit: int | None, search: bool = False
    ) -> list[str]:
        tables = "facts JOIN texts USING (n)" + (" JOIN search USING (n)" if search else "")
        sql = f"SELECT texts.data, texts.crc FROM {tables} WHERE {self.in_set()} AND ({sql_where})"
        sql += f" ORDER BY {order}"
        if limit is not None and limit < 2**63:  # SQLite's integers are 64-bit; more than that is no limit
            sql += f" LIMIT {int(limit)}"
        return [verified(data, stored) for data, stored in self.rows(sql, params)]

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        try:
            return self.conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "malformed" not in str(exc):
                raise
            raise CacheDamaged(str(exc)) from None


# ---------------------------------------------------------------------- reading: which facts, in what order

# The orders a read can ask for, by name: the columns compared, in turn.
SORT_KEYS: dict[str, tuple[str, ...]] = {
    "date": ("start", "end_date", "id"),
    "id": ("id",),
    "topic": ("topic", "start", "id"),
    "series": ("series", "start", "id"),
}

# The fields count_by counts, by name: their columns.
COUNTABLE: dict[str, str] = {"topic": "topic", "status": "status"}


# Term and Selection are plain classes: a dataclass or a NamedTuple costs milliseconds to define, paid by
# every command at start-up.


class Term:
    """One searched word: the folded stem it must start a word with, or the places and people it names."""

    __slots__ = ("prefix", "localities", "people")

    def __init__(self, prefix: str, localities: tuple[str, ...] = (), people: tuple[str, ...] = ()) -> None:
        self.prefix = prefix
        self.localities = localities
        self.people = people


class Selection:
    """Which facts a read is about, as exact values (names already resolved to ids, periods to days).

    Each field left empty asks nothing; a tuple keeps facts with any of its values; fields are ANDed.
    Not changed once made: ``replace`` makes a variant.
    """

    __slots__ = (
        "drafts",
        "topics",
        "periods",
        "has_figure",
        "units",
        "series",
        "in_series",
        "statuses",
        "localities",
        "tags",
        "sources",
        "terms",
        "named",
    )

    def __init__(
        self,
        *,
        drafts: bool = False,
        topics: tuple[str, ...] = (),
        periods: tuple[tuple[str | None, str | None], ...] = (),
        has_figure: bool = False,
        units: tuple[str, ...] = (),
        series: tuple[str, ...] = (),
        in_series: bool = False,
        statuses: tuple[str, ...] = (),
        localities: tuple[str, ...] = (),
        tags: tuple[str, ...] = (),
        sources: tuple[str, ...] = (),
        terms: tuple[Term, ...] = (),
        named: tuple[tuple[str, tuple[str, ...]], ...] = (),
    ) -> None:
        self.drafts = drafts  # include facts marked draft (left out otherwise)
        self.topics = topics
        self.periods = periods  # the first and last ISO day wanted, either end open (None)
        self.has_figure = has_figure
        self.units = units
        self.series = series
        self.in_series = in_series  # only facts that belong to some series
        self.statuses = statuses
        self.localities = localities
        self.tags = tags
        self.sources = sources
        # A search: the facts matching every term, or naming one of the named ids (kind, ids).
        self.terms = terms
        self.named = named

    def replace(self, **changes: Any) -> Selection:
        """A copy with some fields changed."""
        return Selection(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})

    def __repr__(self) -> str:
        asked = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__ if getattr(self, n))
        return f"Selection({asked})"


def _where(s: Selection) -> tuple[str, list[Any]]:
    """A Selection as an SQL condition over the facts table (and texts, for a search), and its parameters."""
    clauses: list[str] = [] if s.drafts else ["draft = 0"]
    params: list[Any] = []
    if s.in_series:
        clauses.append("series != ''")
    if s.topics:
        clauses.append(f"topic IN ({','.join('?' * len(s.topics))})")
        params.extend(s.topics)
    if s.periods:
        ors = []
        for lo, hi in s.periods:
            parts = []
            if hi is not None:
                parts.append("start <= ?")
                params.append(hi)
            if lo is not None:
                parts.append("end_date >= ?")
                params.append(lo)
            ors.append("(" + (" AND ".join(parts) or "1") + ")")
        clauses.append(_joined("OR", ors))
    if s.has_figure or s.units:
        clauses.append("unit != ''")
    for column, values in (("unit", s.units), ("series", s.series), ("status", s.statuses)):
        if values:
            clauses.append(f"{column} IN ({','.join('?' * len(values))})")
            params.extend(values)
    for kind, values in (("localities", s.localities), ("tags", s.tags), ("sources", s.sources)):
        if values:
            clauses.append(_ref_clause(kind, values, params))
    if s.terms or s.named:
        words = []
        for term in s.terms:
            alts = ["instr(folded, ?)"]  # not LIKE: a long word would be a 'pattern too complex'
            params.append(term.prefix)
            for kind, hits in (("localities", term.localities), ("people", term.people)):
                if hits:
                    alts.append(_ref_clause(kind, hits, params))
            words.append(_joined("OR", alts))
        by_name = [_ref_clause(kind, ids, params) for kind, ids in s.named if ids]
        clauses.append(_joined("OR", [_joined("AND", words), *by_name]))
    return _joined("AND", clauses), params


def _ref_clause(kind: str, values: Sequence[str], params: list[Any]) -> str:
    """Facts whose ``kind`` column (a JSON array; see REF_KINDS) holds any of the values.

    A substring search for the quoted value: exact, because everything a valid fact names is an id
    (no quotes or backslashes), and quicker than parsing every array.
    """
    assert kind in REF_KINDS
    if not values:
        return "0"
    params.extend(json.dumps(v, ensure_ascii=False) for v in values)
    return _joined("OR", [f"instr({kind}, ?)"] * len(values))


def _joined(op: str, clauses: Sequence[str]) -> str:
    """SQL conditions joined by AND or OR as a balanced tree, in parentheses: SQLite refuses an expression
    more than 1000 deep, which a flat chain of a thousand conditions (a 999-word search) would be."""
    if not clauses:
        return "1" if op == "AND" else "0"
    if len(clauses) <= 16:
        return "(" + f" {op} ".join(clauses) + ")"
    half = len(clauses) // 2
    return f"({_joined(op, clauses[:half])} {op} {_joined(op, clauses[half:])})"
