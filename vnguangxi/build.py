"""From fact files to rows ready for the index: split, parse with tomli, validate, fold and serialise.

A fact file is cut into chunks of whole ``[[facts]]`` tables at content-defined boundaries (a header starts
a new chunk when a hash of the line after it says so), so an edit changes only the chunks it touches and
the index re-reads just those. Chunks are parsed and validated on their own, in worker processes when
there is enough to do. A file with a multi-line string (\"\"\" or ''') is one chunk: a header inside such a
string is text, not a header, and only a whole parse can tell. Every other file reads the same in chunks as
whole; a syntax error is located in the file by its chunk's first line.
"""

from __future__ import annotations

import collections
import gc
import hashlib
import itertools
import json
import multiprocessing
import os
import re
import signal
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from json.encoder import encode_basestring as _quote
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from vnguangxi.vocab import REGISTRIES

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from vnguangxi.load import FactFile
    from vnguangxi.models import Problem
    from vnguangxi.validate import Record

T = TypeVar("T")
R = TypeVar("R")

CHUNK_FACTS = 256  # average facts per chunk
CHUNK_MAX = 1024  # a chunk never holds more
SMALL_FILE = 256_000  # bytes: files below this are one chunk
PARALLEL_BYTES = 4_000_000  # bytes to parse before worker processes pay off
LOOKAHEAD_BYTES = 4 * PARALLEL_BYTES  # text held while looking ahead for that much to parse
# A [[facts]] header and the line after it (usually the id), whose hash picks chunk boundaries. The
# pattern starts with a literal so the scan is fast; split() checks that the header starts its line.
_HEADER_AND_NEXT = re.compile(r"\[\[[ \t]*facts[ \t]*\]\][ \t]*(?:#[^\n]*)?\r?\n(?=([^\n]*))")


class Chunk(NamedTuple):
    """A run of whole ``[[facts]]`` tables (the first chunk also holds the file's preamble)."""

    text: str
    first_line: int  # 1-based line of the chunk's start in the file
    first_index: int  # index in the file of the chunk's first fact
    digest: str  # "" until a worker computes it: a new file's chunks are not compared with stored ones

    @property
    def size(self) -> int:  # characters, as Reuse's
        return len(self.text)


class Prepared(NamedTuple):
    """The fields of one valid fact's row (``Row``): its row of the index's facts table (field names are
    the column names, after the row, file and chunk numbers), then its row of the texts table."""

    line: int  # of its [[facts]] header, in the file
    id: str
    topic: str
    year: int  # the first and last year its date covers
    year_end: int
    start: str  # its first and last day (ISO)
    end_date: str
    status: str
    series: str
    localities: str  # JSON arrays of ids, for filtering and counting in SQL
    people: str
    tags: str
    sources: str  # each source cited, once
    conflicts_with: str
    related: str
    draft: int  # 1 for a fact marked draft = true: hidden from listings unless asked for
    unit: str  # the quantity's unit, '' for a fact without a figure
    # The JSON travels as UTF-8, as SQLite stores it: this process encodes it once (for its checksum
    # anyway), and the one writing rows neither decodes it from the pickle nor encodes it again.
    data: bytes  # the public JSON object, without the sources' file names
    crc: int  # of data, checked whenever it is read (index.verified)


FACT_COLUMNS = Prepared._fields[:-2]  # the facts table's columns; data and crc go to texts
# A Prepared's fields as a plain tuple, as rows travel from the workers: four times quicker to send than the
# named tuple, which the receiving end would rebuild with a Python call per row. Prepared._make(row) names them.
Row = tuple[Any, ...]


class ChunkResult(NamedTuple):
    digest: str
    facts: list[Row]  # the fields of Prepared
    problems: list[Problem]
    refs: str  # JSON of the ChunkRefs of its facts, what the checks across files need (crosscheck)
    excerpts: list[tuple[int, int, str, str]] = []  # (fact index in chunk, item, source, excerpt), if asked
    registries: dict[str, list[Record]] = {}  # registry tables, in files that hold them (read whole)
    invalid_registry: dict[str, list[str]] = {}


def split(text: str) -> list[Chunk]:
    """Cut a fact file into chunks at ``[[facts]]`` headers chosen by content, not position."""
    return list(iter_chunks(text))


def iter_chunks(text: str, digests: bool = True) -> Iterator[Chunk]:
    """The chunks of ``split``, each as soon as its end is found (so workers can start on the first).

    Without ``digests`` each chunk's digest is left for the worker that parses it to compute.
    """
    if len(text) < SMALL_FILE or _multiline_string(text):
        yield Chunk(text, 1, 0, _digest(text) if digests else "")
        return
    start, first_index, line = 0, 0, 1
    in_chunk = 0
    count = 0
    search = _HEADER_AND_NEXT.search
    m = search(text)
    while m:
        begin = text.rfind("\n", 0, m.start()) + 1
        if text[begin : m.start()].strip(" \t"):  # not at the start of a line: look again just after
            m = search(text, m.start() + 2)
            continue
        if count and (in_chunk >= CHUNK_MAX or zlib.crc32(m[1].encode()) % CHUNK_FACTS == 0):
            piece = text[start:begin]
            yield Chunk(piece, line, first_index, _digest(piece) if digests else "")
            start, first_index, line = begin, count, line + piece.count("\n")
            in_chunk = 0
        in_chunk += 1
        count += 1
        m = search(text, m.end())
    piece = text[start:]
    yield Chunk(piece, line, first_index, _digest(piece) if digests else "")


_TRIPLE_QUOTES = (re.compile('"""'), re.compile("'''"))


def _multiline_string(text: str) -> bool:
    """Whether the text opens a multi-line string (a regular expression finds a run of quotes a third
    quicker than ``in``, which a text full of quoted values slows down)."""
    return any(pattern.search(text) is not None for pattern in _TRIPLE_QUOTES)


def _digest(text: str) -> str:
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def search_text(d: dict[str, Any]) -> str:
    """What a search looks in: id, statement, note, series, tags, excerpts and the figure as stated."""
    parts = [d["id"], d["statement"], d["note"], d["series"], " ".join(d["tags"])]
    parts.extend(s["excerpt"] for s in d["sources"])
    if d["quantity"]:
        parts.append(d["quantity"]["stated"])
    return " | ".join(p for p in parts if p)


def search_rows(facts: list[tuple[int, str, int]]) -> list[tuple[int, str, int]]:
    """Stored facts (row number, public JSON, checksum) as the index's search rows: the row number, what a
    search looks in, folded all at once (quicker), and the checksum. In the worker processes when many."""
    from vnguangxi.text import fold_for_search

    folded = fold_for_search([search_text(json.loads(data)) for _, data, _ in facts])
    return [(n, text, crc) for (n, _, crc), text in zip(facts, folded, strict=True)]


def prepare(records: list[Record], printable: bool = False) -> list[Row]:
    """The index rows of a chunk's valid facts.

    ``printable``: validation found no control or format character in the chunk's text, so the JSON needs
    no look for one (validate.FileResult.printable)."""
    out: list[Row] = []
    for record in records:
        d = record.data
        public = d.copy()
        del public["start"], public["end"]
        data = (_ENCODE(public) if printable else _json(public)).encode("utf-8", "surrogatepass")
        quantity = d["quantity"]
        out.append(
            (  # the fields of Prepared, in order
                record.line,
                d["id"],
                d["topic"],
                d["year"],
                d["year_end"],
                d["start"],
                d["end"],
                d["status"],
                d["series"],
                _ids(d["localities"]),
                _ids(d["people"]),
                _ids(d["tags"]),
                _ids(list(dict.fromkeys(s["source"] for s in d["sources"]))),
                _ids(d["conflicts_with"]),
                _ids(d["related"]),
                1 if d["draft"] else 0,
                quantity["unit"] if quantity else "",
                data,
                zlib.crc32(data),
            )
        )
    return out


def _ids(values: list[str]) -> str:
    """A JSON array of strings, as json.dumps(ensure_ascii=False) writes it, but quicker for short lists."""
    return "[" + ",".join(map(_quote, values)) + "]" if values else "[]"


# One encoder: quicker than dumps. Parsed TOML holds no cycles, so none is looked for.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode


def _json(value: Any) -> str:
    """A stored fact: compact JSON, with any control or format character \\u-escaped (validation lets
    none through; this keeps the JSON commands, which print stored rows as they are, safe regardless)."""
    data = _ENCODE(value)
    if data.isprintable():
        return data
    from vnguangxi.safe import visible_json

    return visible_json(data)


def prepare_chunk(path: str, kind: str, chunk: Chunk, excerpts: bool = False) -> ChunkResult:
    """Parse and validate one chunk on its own (runs in worker processes too); with ``excerpts``, gather
    the excerpts too (for `check`, which compares them with the articles)."""
    from vnguangxi.crosscheck import ChunkRefs
    from vnguangxi.validate import check_file

    digest = chunk.digest or _digest(chunk.text)
    data, problems = parse(path, chunk.text, chunk.first_line)
    if data is None:
        return ChunkResult(digest, [], problems, ChunkRefs().to_json())
    result = check_file(path, kind, data, chunk.text, chunk.first_index, chunk.first_line, excerpts)
    facts = prepare(result.records, result.printable)
    return ChunkResult(
        digest,
        facts,
        result.problems,
        result.refs.to_json(),
        result.excerpts,
        result.registries,
        result.invalid_registry,
    )


class Reuse(NamedTuple):
    """A chunk whose digest is stored: its rows are kept (its text is not carried along)."""

    digest: str
    first_line: int
    first_index: int
    size: int  # characters


class Parse(NamedTuple):
    """A job for the workers: parse and check one chunk of a file (see prepare_chunk)."""

    path: str
    kind: str
    chunk: Chunk
    excerpts: bool = False


# A job: a chunk to parse, or anything else (a chunk to reuse, a caller's marker), which passes through the
# workers' queue in its place, so the caller meets it in order among the results.
Job = Parse | Any


def _prepare_job(job: Parse) -> ChunkResult:
    return prepare_chunk(*job)


def _here(jobs: Iterable[Job]) -> Iterator[tuple[Any, ChunkResult | None]]:
    """Jobs done in this process, in order (see Workers.map)."""
    for job in jobs:
        yield (job.chunk, _prepare_job(job)) if type(job) is Parse else (job, None)


def _start_worker(parent: int) -> None:
    """A worker leaves Ctrl-C to the parent, which stops the workers; and it ends with the parent.

    On Linux the kernel kills it when the parent is gone (PR_SET_PDEATHSIG), however the parent ended:
    a worker left behind would wait for ever on a queue whose other end it holds itself.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # blocked by the parent across the fork
    gc.disable()  # a chunk's objects die with it and make no cycles: the collector would only rescan them
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            ctypes.CDLL(None).prctl(1, int(signal.SIGKILL))  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent ended before this worker could ask
        os._exit(0)


class Workers:
    """A pool of worker processes, started only when there is enough work for them."""

    def __init__(self) -> None:
        self._pool: Pool | None = None

    def map(self, jobs: Iterable[Job]) -> Iterator[tuple[Any, ChunkResult | None]]:
        """Each job's result, in order, as (chunk, result); a job that is not a ``Parse`` passes through
        as (job, None).

        The jobs are drawn as the workers take them (a window ahead of the results read), so a caller's
        job stream may read the next file while the workers parse the chunks of the one before: they never
        wait between files. Worker processes start once the jobs ahead are seen to hold at least
        PARALLEL_BYTES to parse, in two chunks or more. Until then jobs are done here, a window at a time:
        the look ahead stops at LOOKAHEAD_BYTES of text held (chunks to parse, and the text a passing item
        carries), so memory stays flat however many files hold little to parse.
        """
        jobs = iter(jobs)
        cpus = os.cpu_count() or 1
        if cpus < 2:
            yield from _here(jobs)
            return
        while True:
            head: list[Job] = []  # the jobs looked at to decide
            to_parse = size = held = 0  # chunks and characters to parse; characters held, passing items' too
            for job in jobs:
                head.append(job)
                if type(job) is Parse:
                    to_parse += 1
                    size += len(job.chunk.text)
                    if to_parse >= 2 and size >= PARALLEL_BYTES:
                        # Enough chunks in flight that the workers never wait while this process writes
                        # rows, and few enough (about 10 MB of results) that memory stays flat.
                        yield from self._bounded(self._started(), itertools.chain(head, jobs), 16 * cpus)
                        return
                else:
                    held += len(getattr(job, "text", None) or "")
                if size + held >= LOOKAHEAD_BYTES:
                    break
            else:  # the end of the jobs
                yield from _here(head)
                return
            yield from _here(head)

    def each(self, fn: Callable[[T], R], items: Iterable[T], window: int = 2) -> Iterator[R]:
        """``fn`` of each item, in order, worked out by the worker processes (here, on one core); at most
        ``window`` items per worker in flight. ``fn`` and the items travel to the workers by pickle."""
        cpus = os.cpu_count() or 1
        if cpus < 2:
            yield from map(fn, items)
            return
        pool = self._started()
        pending: collections.deque[AsyncResult[R]] = collections.deque()
        limit = window * cpus
        for item in items:
            pending.append(pool.apply_async(fn, (item,)))
            if len(pending) >= limit:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def _started(self) -> Pool:
        """The pool, started if it is not yet."""
        if self._pool is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            # SIGINT stays blocked while the workers are forked: a Ctrl-C landing in a new worker before it
            # ignores SIGINT (inside Python's after-fork hooks) would print a traceback there. The parent
            # receives a pending one as soon as the mask is restored.
            before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
            try:
                self._pool = context.Pool(os.cpu_count() or 1, initializer=_start_worker, initargs=(os.getpid(),))
            finally:
                signal.pthread_sigmask(signal.SIG_SETMASK, before)
        return self._pool

    @staticmethod
    def _bounded(pool: Pool, jobs: Iterable[Job], window: int) -> Iterator[tuple[Any, ChunkResult | None]]:
        """Results in order, with at most ``window`` jobs in flight: memory stays flat however many."""
        pending: collections.deque[tuple[Any, AsyncResult[ChunkResult] | None]] = collections.deque()

        def ready() -> tuple[Any, ChunkResult | None]:
            item, result = pending.popleft()
            return item, None if result is None else result.get()

        for job in jobs:
            if type(job) is Parse:
                pending.append((job.chunk, pool.apply_async(_prepare_job, (job,))))
            else:
                pending.append((job, None))
            if len(pending) >= window:
                yield ready()
        while pending:
            yield ready()

    def kill(self) -> None:
        """End the workers at once (Ctrl-C): the process is about to end, without the pool's clean-up."""
        if self._pool is not None:
            # The pool would start new workers in place of the killed ones: tell it to stop first.
            for holder in (self._pool, getattr(self._pool, "_worker_handler", None)):
                if holder is not None and hasattr(holder, "_state"):
                    holder._state = "TERMINATE"  # multiprocessing.pool.TERMINATE
            end_children()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def end_children(timeout: float = 0.3) -> None:
    """Kill this process's worker processes and reap them (no zombie is left for an init that does not
    reap). The pool may start a replacement meanwhile: those are ended too, until none is left."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = multiprocessing.active_children()
        if not children:
            return
        for child in children:
            try:
                child.kill()
            except OSError:
                pass
        for child in children:
            child.join(max(0.0, deadline - time.monotonic()))


@contextmanager
def workers() -> Iterator[Workers]:
    pool = Workers()
    try:
        yield pool
    except KeyboardInterrupt:
        pool.kill()  # not close(): terminating a pool part-way can wait for ever on a worker's lock
        raise
    except BaseException:
        pool.close()
        raise
    pool.close()


def read(file: FactFile) -> tuple[str | None, list[Problem]]:
    """The text of a fact file, or the problems that stop it being read."""
    from vnguangxi.load import read_text

    text, problem = read_text(file.path)
    return text, [problem] if problem else []


# A registry table header (it must start its line): a file holding one is read whole, not in chunks. The
# pattern starts with a literal, which the scan finds five times quicker than a "^" anchor.
_REGISTRY_HEADER = re.compile(r"\[\[[ \t]*(?:" + "|".join(REGISTRIES) + r")[ \t]*[\].]")


def read_whole(file: FactFile, text: str) -> bool:
    """Whether a file is read in one piece: registry files, and files that hold any registry table."""
    if file.kind in REGISTRIES:
        return True
    m = _REGISTRY_HEADER.search(text)
    while m:
        start = m.start()
        if not text[text.rfind("\n", 0, start) + 1 : start].strip(" \t"):  # at the start of its line
            return True
        m = _REGISTRY_HEADER.search(text, start + 2)
    return False


def parse(path: str, text: str, first_line: int = 1) -> tuple[dict[str, Any] | None, list[Problem]]:
    """tomli over a file or a chunk of it (starting at ``first_line``): its data, or its syntax error
    located in the file."""
    import tomli

    from vnguangxi.models import Problem

    try:
        return tomli.loads(text), []
    except tomli.TOMLDecodeError as exc:
        msg = getattr(exc, "msg", str(exc))
        line, column = getattr(exc, "lineno", 1), getattr(exc, "colno", None)
        return None, [Problem(path, line + first_line - 1, f"TOML syntax error: {msg}", column)]
    except RecursionError:
        return None, [Problem(path, first_line, "TOML nesting too deep to read")]


def whole(file: FactFile, text: str, excerpts: bool = False) -> ChunkResult:
    """A file read in one piece (see read_whole): all its tables checked together, as one chunk."""
    return prepare_chunk(file.path, file.kind, Chunk(text, 1, 0, ""), excerpts)


def file_jobs(file: FactFile, text: str, skip: Iterable[str] = (), excerpts: bool = False) -> Iterator[Job]:
    """The jobs of a fact file, for Workers.map: each chunk to parse, or (its digest in ``skip``) a Reuse
    of it.

    With nothing to skip, the workers compute the digests. A digest is skipped once only: a chunk
    repeated in the file is parsed again, so the ids it repeats are found.
    """
    done = set(skip)
    for chunk in iter_chunks(text, digests=bool(done)):
        if chunk.digest in done:
            done.discard(chunk.digest)
            yield Reuse(chunk.digest, chunk.first_line, chunk.first_index, len(chunk.text))
        else:
            yield Parse(file.path, file.kind, chunk, excerpts)
