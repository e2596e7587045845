"""The index's named reads, as plain functions over a small index built from a folder; and the rule that
no module but the index speaks SQL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from helpers import FACT, FULL_FACT, MINIMAL_FACT, make_folder

import vnguangxi
from vnguangxi.index import SORT_KEYS, Index, Selection, Term
from vnguangxi.load import scan
from vnguangxi.query import SORTS

DRAFT_FACT = (
    MINIMAL_FACT.replace('id = "f-min"', 'id = "f-draft"')
    .replace('date = "2026"', 'date = "2019"')
    .replace('status = "planned"', 'status = "ongoing"\ndraft = true')
)


@pytest.fixture
def index(tmp_path: Path) -> Index:
    """f1 (trade, 2025, qn, CNY), f-full (trade, 14-15 April 2025, qn and vn, p1, tags, series, USD, related
    to f1), f-min (meetings, 2026, planned, no place) and f-draft (meetings, 2019, ongoing, a draft)."""
    folder = make_folder(
        tmp_path / "facts", {"trade.toml": FACT + "\n" + FULL_FACT, "meetings.toml": MINIMAL_FACT + "\n" + DRAFT_FACT}
    )
    files, _ = scan(folder)
    return Index.open(files, use_cache=True, warn=pytest.fail)


def ids(raw: list[str]) -> list[str]:
    return [json.loads(r)["id"] for r in raw]


def test_facts_leave_drafts_out_unless_asked_and_sort_by_date(index: Index) -> None:
    assert ids(index.facts(Selection())) == ["f1", "f-full", "f-min"]
    assert ids(index.facts(Selection(drafts=True))) == ["f-draft", "f1", "f-full", "f-min"]
    assert ids(index.facts(Selection(), reverse=True)) == ["f-min", "f-full", "f1"]
    assert ids(index.facts(Selection(), limit=2)) == ["f1", "f-full"]
    assert ids(index.facts(Selection(), limit=2**70)) == ["f1", "f-full", "f-min"]  # more than SQLite counts
    assert ids(index.facts(Selection(), limit=0)) == []


def test_facts_sort_by_every_name_the_cli_accepts(index: Index) -> None:
    assert set(SORTS) <= set(SORT_KEYS)
    assert ids(index.facts(Selection(), "id")) == ["f-full", "f-min", "f1"]
    assert ids(index.facts(Selection(), "topic")) == ["f-min", "f1", "f-full"]  # meetings before trade
    assert ids(index.facts(Selection(), "topic", reverse=True)) == ["f-full", "f1", "f-min"]
    with pytest.raises(KeyError):
        index.facts(Selection(), "start")  # a column is not a sort name


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (Selection(topics=("meetings",)), ["f-min"]),
        (Selection(topics=("meetings", "trade")), ["f1", "f-full", "f-min"]),
        (Selection(periods=(("2026-01-01", None),)), ["f-min"]),
        (Selection(periods=((None, "2025-03-31"),)), ["f1"]),  # f-full starts in April
        (Selection(periods=(("2025-04-15", "2025-04-15"),)), ["f1", "f-full"]),  # the year covers the day
        (Selection(periods=((None, "2025-03-31"), ("2026-01-01", "2026-12-31"))), ["f1", "f-min"]),
        (Selection(drafts=True, periods=(("2019-06-01", "2019-06-30"),)), ["f-draft"]),
        (Selection(has_figure=True), ["f1", "f-full"]),
        (Selection(units=("USD",)), ["f-full"]),
        (Selection(series=("test-series",)), ["f-full"]),
        (Selection(in_series=True), ["f-full"]),
        (Selection(statuses=("planned", "ongoing")), ["f-min"]),
        (Selection(drafts=True, statuses=("ongoing",)), ["f-draft"]),
        (Selection(localities=("vn",)), ["f-full"]),
        (Selection(localities=("qn", "vn")), ["f1", "f-full"]),
        (Selection(tags=("test",)), ["f-full"]),
        (Selection(sources=("s1",)), ["f1", "f-full", "f-min"]),
        (Selection(topics=("trade",), localities=("vn",), units=("CNY",)), []),  # fields are ANDed
        (Selection(terms=(Term("requir"),)), ["f-min"]),  # the folded text: a stem's prefix
        (Selection(terms=(Term("trade"), Term("billion"))), ["f1"]),  # every term
        (Selection(terms=(Term("nowhere", localities=("vn",)),)), ["f-full"]),  # or a place it names
        (Selection(terms=(Term("nobody", people=("p1",)),)), ["f-full"]),  # or a person it names
        (Selection(terms=(Term("nothing"),), named=(("localities", ("qn",)),)), ["f1", "f-full"]),
    ],
)
def test_facts_keep_what_the_selection_asks_for(index: Index, selection: Selection, expected: list[str]) -> None:
    assert ids(index.facts(selection)) == expected


def test_a_search_of_a_thousand_words_stays_within_sqlites_expression_depth(index: Index) -> None:
    assert index.facts(Selection(terms=tuple(Term(f"w{i}") for i in range(999)))) == []
    assert ids(index.facts(Selection(localities=tuple(f"x{i}" for i in range(999)) + ("vn",)))) == ["f-full"]


def test_fact_by_id_finds_drafts_too_and_none_for_an_unknown_id(index: Index) -> None:
    found = index.fact_by_id("f-full")
    assert found is not None and json.loads(found)["statement"] == "Every key present."
    assert index.fact_by_id("f-draft") is not None
    assert index.fact_by_id("f-nope") is None


def test_ids_units_series_and_tags_are_sorted_and_distinct(index: Index) -> None:
    assert index.ids() == ["f-draft", "f-full", "f-min", "f1"]
    assert index.distinct_units() == ["CNY", "USD"]
    assert index.distinct_series() == ["test-series"]
    assert index.tags() == ["test", "trade-value"]


def test_referrers_are_the_facts_naming_one(index: Index) -> None:
    [(kind, raw)] = index.referrers("f1")
    assert kind == "related" and json.loads(raw)["id"] == "f-full"
    assert index.referrers("f-full") == []


def test_counts_by_reference_and_by_field(index: Index) -> None:
    assert index.count_refs("localities", Selection()) == {"qn": 2, "vn": 1}
    assert index.count_refs("people", Selection()) == {"p1": 1}
    assert index.count_refs("sources", Selection(topics=("meetings",), drafts=True)) == {"s1": 2}
    assert index.count_by("topic", Selection()) == {"trade": 2, "meetings": 1}
    assert index.count_by("status", Selection(drafts=True)) == {"done": 2, "planned": 1, "ongoing": 1}
    with pytest.raises(ValueError):
        index.count_refs("draft", Selection())
    with pytest.raises(KeyError):
        index.count_by("year); DROP TABLE facts; --", Selection())  # only the names COUNTABLE knows


def test_year_spans_named_refs_and_folded_texts(index: Index) -> None:
    assert sorted(index.year_spans(Selection())) == [(2025, 2025), (2025, 2025), (2026, 2026)]
    assert sorted(index.year_spans(Selection(drafts=True, statuses=("ongoing",)))) == [(2019, 2019)]
    assert sorted(map(sorted, index.named_refs("localities", Selection()))) == [["qn"], ["qn", "vn"]]  # not f-min
    assert index.named_refs("people", Selection(topics=("meetings",))) == []
    texts = index.folded_texts()
    assert len(texts) == 4 and any("only the required keys" in t for t in texts)  # drafts too


# ------------------------------------------------------------------ search rows, made at the first search


def search_rows(index: Index) -> int:
    return int(index.conn.execute("SELECT COUNT(*) FROM main.search").fetchone()[0])


def test_search_rows_are_made_by_the_first_search_not_by_the_build(index: Index) -> None:
    assert search_rows(index) == 0  # a build folds nothing: most commands never search
    assert ids(index.facts(Selection(terms=(Term("requir"),)))) == ["f-min"]
    assert search_rows(index) == 4  # every fact in use, drafts too
    index.conn.execute("UPDATE search SET folded = 'changed'")  # made once: not made again
    assert ids(index.facts(Selection(terms=(Term("requir"),)))) == []


def test_search_rows_follow_edits(tmp_path: Path) -> None:
    """Rows dropped with their chunk go with their search rows: a row number used again never finds the
    text of the fact it belonged to."""
    folder = make_folder(tmp_path / "facts", {"trade.toml": FULL_FACT + "\n" + FACT.replace("Trade", "Quokka")})
    files, _ = scan(folder)
    index = Index.open(files, use_cache=True, warn=pytest.fail)
    assert ids(index.facts(Selection(terms=(Term("quokka"),)))) == ["f1"]
    (folder / "trade.toml").write_text(FULL_FACT + "\n" + FACT.replace("Trade", "Wombat"))
    files, _ = scan(folder)
    index = Index.open(files, use_cache=True, warn=pytest.fail)
    assert ids(index.facts(Selection(terms=(Term("quokka"),)))) == []
    assert ids(index.facts(Selection(terms=(Term("wombat"),)))) == ["f1"]


def test_search_on_a_cache_this_process_cannot_write(index: Index, tmp_path: Path) -> None:
    """Read-only (or held by another writer past the timeout): the search rows live in this connection."""
    import sqlite3

    path = index.conn.execute("PRAGMA database_list").fetchall()[0][2]
    index.conn.close()
    index.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    assert ids(index.facts(Selection(terms=(Term("requir"),)))) == ["f-min"]
    assert search_rows(index) == 0  # nothing written
    assert len(index.folded_texts()) == 4


def test_search_rows_that_cannot_all_be_written_leave_none_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A write failing part-way (a full disk) rolls back what went in and the search goes on from a table
    of this connection alone, with no traceback. Found by a review: the second batch's failure escaped."""
    import sqlite3
    from typing import Any

    from vnguangxi import index as index_module

    class FullAfterOneBatch:
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn, self.batches = conn, 0

        def __getattr__(self, name: str) -> Any:
            return getattr(self.conn, name)

        def executemany(self, sql: str, rows: Any) -> Any:
            if "INTO main.search" in sql:
                self.batches += 1
                if self.batches == 2:
                    raise sqlite3.OperationalError("database or disk is full")
            return self.conn.executemany(sql, rows)

    blocks = [FACT.replace('"f1"', f'"f{i}"').replace("Trade was", f"Trade {i} was") for i in range(30)]
    folder = make_folder(tmp_path / "facts", {"trade.toml": "\n".join(blocks)})
    files, _ = scan(folder)
    monkeypatch.setattr(index_module, "SEARCH_BATCH", 7)
    monkeypatch.setattr(index_module.os, "cpu_count", lambda: 1)  # batches folded here, in order
    index = Index.open(files, use_cache=True, warn=pytest.fail)
    index.conn = FullAfterOneBatch(index.conn)  # type: ignore[assignment]
    assert ids(index.facts(Selection(terms=(Term("29"),)))) == ["f29"]
    assert index.conn.batches == 2
    assert search_rows(index) == 0  # the first batch was rolled back with the second
    assert len(index.folded_texts()) == 30


def test_search_rows_made_by_worker_processes_are_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnguangxi import index as index_module

    blocks = [FACT.replace('"f1"', f'"f{i}"').replace("Trade was", f"Trade {i} was") for i in range(60)]
    folder = make_folder(tmp_path / "facts", {"trade.toml": "\n".join(blocks)})
    files, _ = scan(folder)
    one = Index.open(files, use_cache=False, warn=pytest.fail)
    monkeypatch.setattr(index_module, "SEARCH_BATCH", 7)  # nine batches: worker processes
    many = Index.open(files, use_cache=False, warn=pytest.fail)
    assert many.folded_texts() == one.folded_texts()
    assert ids(many.facts(Selection(terms=(Term("59"),)))) == ["f59"]


# ------------------------------------------------------------------ SQL lives in the index

SQL = re.compile(r"SELECT |INSERT |json_each|sqlite3")


def test_no_module_but_the_index_speaks_sql() -> None:
    """The index owns the cache's tables and every question asked of them (its named reads); `export`
    also writes SQL, but to a database of its own (the datasette export), not to the index."""
    package = Path(vnguangxi.__file__).parent
    speaking = sorted(
        str(path.relative_to(package)) for path in package.rglob("*.py") if SQL.search(path.read_text("utf-8"))
    )
    assert speaking == ["export.py", "index.py"]


def test_a_selection_is_replaced_not_changed() -> None:
    base = Selection(topics=("trade",))
    variant = base.replace(in_series=True)
    assert (base.in_series, variant.in_series, variant.topics) == (False, True, ("trade",))
    assert repr(variant) == "Selection(topics=('trade',), in_series=True)"
