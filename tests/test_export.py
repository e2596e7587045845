"""`vnguangxi export OUT.db`: the database's layout, its agreement with `list --json` and `search`, its
foreign keys, datasette serving it, and how the file is written (refusals, --force, atomic replacement)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import FACT, FULL_FACT, make_folder

from vnguangxi import export as export_module
from vnguangxi.export import fts_query

TABLES = {
    "export_info",
    "facts",
    "fact_equivalents",
    "fact_places",
    "fact_people",
    "fact_tags",
    "fact_sources",
    "fact_links",
    "facts_fts",
    "sources",
    "localities",
    "locality_links",
    "people",
    "people_roles",
}
VIEWS = {"fact_places_within", "figures", "series"}
FACT_COLUMNS = [
    "n",
    "id",
    "topic",
    "statement",
    "date",
    "year",
    "year_end",
    "date_kind",
    "date_basis",
    "status",
    "note",
    "series",
    "value",
    "unit",
    "qualifier",
    "stated",
    "equivalent_value",
    "equivalent_unit",
    "equivalent_stated",
    "localities",
    "people",
    "tags",
]


def export(run: Any, out: Path, *args: str) -> Any:
    result = run("export", str(out), *args)
    assert "Traceback" not in result.stderr
    return result


def exported(run: Any, out: Path, *args: str) -> sqlite3.Connection:
    result = export(run, out, *args)
    assert result.exit_code == 0, result.stderr
    return sqlite3.connect(out)


def listed(run: Any, *args: str) -> list[dict[str, Any]]:
    result = run("list", *args, "--json")
    assert result.exit_code == 0, result.stderr
    data: list[dict[str, Any]] = json.loads(result.stdout)
    return data


def column(conn: sqlite3.Connection, sql: str, *params: Any) -> list[Any]:
    return [r[0] for r in conn.execute(sql, params)]


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in sorted(folder.rglob("*"))}


# ---------------------------------------------------------------------------- layout


def test_database_has_the_documented_tables_views_and_columns(run: Any, tmp_path: Path) -> None:
    conn = exported(run, tmp_path / "facts.db")
    names = dict(conn.execute("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'").fetchall())
    assert TABLES <= {n for n, t in names.items() if t == "table"}
    assert VIEWS <= {n for n, t in names.items() if t == "view"}
    assert [r[1] for r in conn.execute("PRAGMA table_info(facts)")] == FACT_COLUMNS
    (fts_sql,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'facts_fts'").fetchone()
    assert "fts5" in fts_sql
    declared = {
        (table, fk[2], fk[3])
        for table in TABLES - {"facts_fts"}
        for fk in conn.execute(f"PRAGMA foreign_key_list({table})").fetchall()
    }
    assert {
        ("fact_places", "facts", "fact_id"),
        ("fact_places", "localities", "locality_id"),
        ("fact_people", "people", "person_id"),
        ("fact_tags", "facts", "fact_id"),
        ("fact_sources", "sources", "source_id"),
        ("fact_links", "facts", "other_id"),
        ("localities", "localities", "parent"),
        ("locality_links", "localities", "other_id"),
        ("people_roles", "people", "person_id"),
        ("people_roles", "sources", "source_id"),
    } <= declared


def test_registries_are_exported_whole(run: Any, tmp_path: Path) -> None:
    conn = exported(run, tmp_path / "t.db", "--topic", "trade")
    for kind in ("sources", "localities", "people"):
        rows = json.loads(run(kind, "--json").stdout)
        assert column(conn, f"SELECT id FROM {kind} ORDER BY rowid") == [r["id"] for r in rows]
    people = json.loads(run("people", "--json").stdout)
    assert conn.execute("SELECT COUNT(*) FROM people_roles").fetchone()[0] == sum(len(p["roles"]) for p in people)
    links = conn.execute("SELECT * FROM locality_links WHERE locality_id = 'ha-giang'").fetchall()
    assert ("ha-giang", "superseded_by", "tuyen-quang", "2025-07-01") in links
    (zh,) = conn.execute("SELECT name_zh FROM localities WHERE id = 'mong-cai'").fetchone()
    assert zh == "芒街"


# ---------------------------------------------------------------------------- agreement with list --json


@pytest.mark.parametrize(
    "filters",
    [
        [],
        ["--topic", "trade"],
        ["--year", "2025"],
        ["--year", "..2024", "--topic", "meetings"],
        ["-l", "Quảng Ninh"],
        ["-l", "Hà Giang", "--status", "planned", "--status", "ongoing"],
        ["--tag", "tourism"],
        ["--source", "003_62e3d1ccba0b4530"],
    ],
)
def test_rows_equal_list_json_for_the_same_filters(run: Any, tmp_path: Path, filters: list[str]) -> None:
    facts = listed(run, *filters)
    conn = exported(run, tmp_path / "facts.db", *filters)
    assert column(conn, "SELECT id FROM facts ORDER BY n") == [f["id"] for f in facts]
    counts = {
        "fact_places": sum(len(f["localities"]) for f in facts),
        "fact_people": sum(len(f["people"]) for f in facts),
        "fact_tags": sum(len(f["tags"]) for f in facts),
        "fact_sources": sum(len(f["sources"]) for f in facts),
        "fact_equivalents": sum(len(f["quantity"]["equivalents"]) for f in facts if f["quantity"]),
        "figures": sum(1 for f in facts if f["quantity"]),
        "facts_fts": len(facts),
    }
    for table, expected in counts.items():
        assert conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] == expected, table
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_fact_rows_carry_the_public_record(run: Any, tmp_path: Path) -> None:
    conn = exported(run, tmp_path / "facts.db")
    conn.row_factory = sqlite3.Row
    rows = {r["id"]: r for r in conn.execute("SELECT * FROM facts")}
    for f in listed(run):
        row = rows[f["id"]]
        for key in ("topic", "statement", "date", "year", "year_end", "date_kind", "date_basis", "status", "note"):
            assert row[key] == f[key], key
        assert json.loads(row["localities"]) == f["localities"]
        q = f["quantity"]
        assert (row["value"], row["unit"], row["qualifier"], row["stated"]) == (
            (q["value"], q["unit"], q["qualifier"], q["stated"]) if q else (None, None, None, None)
        )
        eq = q["equivalents"][0] if q and q["equivalents"] else None
        assert row["equivalent_value"] == (eq["value"] if eq else None)
        excerpts = [(s["source"], s["excerpt"]) for s in f["sources"]]
        got = conn.execute(
            "SELECT source_id, excerpt FROM fact_sources WHERE fact_id = ? ORDER BY position", (f["id"],)
        ).fetchall()
        assert [tuple(r) for r in got] == excerpts


def test_links_equivalents_and_filtered_links(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f", {"trade.toml": FACT + "\n" + FULL_FACT})
    own = ["--no-builtin", "--facts-dir", str(folder)]
    conn = exported(run, tmp_path / "all.db", *own)
    assert conn.execute("SELECT fact_id, kind, other_id FROM fact_links").fetchall() == [("f-full", "related", "f1")]
    assert conn.execute("SELECT fact_id, value, unit, stated FROM fact_equivalents").fetchall() == [
        ("f-full", 300, "CNY", "300")
    ]
    assert conn.execute("SELECT equivalent_value, equivalent_unit FROM facts WHERE id = 'f-full'").fetchone() == (
        300,
        "CNY",
    )
    # f1 is not exported: the link to it is left out, so every foreign key still holds.
    conn = exported(run, tmp_path / "tagged.db", *own, "--tag", "test")
    assert column(conn, "SELECT id FROM facts") == ["f-full"]
    assert conn.execute("SELECT COUNT(*) FROM fact_links").fetchone()[0] == 0
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []


def test_hierarchy_view_gives_a_place_the_facts_of_places_inside_it(run: Any, tmp_path: Path) -> None:
    conn = exported(run, tmp_path / "facts.db")
    within = set(column(conn, "SELECT fact_id FROM fact_places_within WHERE locality_id = 'quang-ninh'"))
    named_mong_cai = set(column(conn, "SELECT fact_id FROM fact_places WHERE locality_id = 'mong-cai'"))
    assert named_mong_cai and named_mong_cai <= within
    # Quảng Ninh has no reorganisation links, so the view and the --locality filter agree.
    assert within == {f["id"] for f in listed(run, "-l", "quang-ninh")}


def test_series_view_matches_stats(run: Any, tmp_path: Path) -> None:
    conn = exported(run, tmp_path / "facts.db")
    stats = json.loads(run("stats", "--json").stdout)
    expected = [(s["series"], p["id"]) for s in stats["series"] for p in s["points"]]
    assert conn.execute("SELECT series, fact_id FROM series").fetchall() == expected
    assert expected


# ---------------------------------------------------------------------------- full-text search


@pytest.mark.parametrize(
    "words", ["durian", "ban gioc", "Móng Cái", "smart gate", "Đông Hưng", "đức", "chen gang", "Nanning", "trade"]
)
def test_full_text_search_finds_what_search_finds(run: Any, tmp_path: Path, words: str) -> None:
    conn = exported(run, tmp_path / "facts.db")
    found = set(
        column(
            conn,
            "SELECT f.id FROM facts_fts JOIN facts f ON f.n = facts_fts.rowid WHERE facts_fts MATCH ?",
            fts_query(words),
        )
    )
    result = run("search", words, "--json")
    assert result.exit_code == 0
    expected = {f["id"] for f in json.loads(result.stdout)}
    assert expected, words
    assert found == expected


# ---------------------------------------------------------------------------- writing the file


def test_refuses_an_existing_file_without_force(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    out.write_text("keep me")
    result = export(run, out)
    assert result.exit_code == 2
    assert "already exists" in result.stderr and "--force" in result.stderr
    assert out.read_text() == "keep me"
    assert not (tmp_path / "facts.metadata.json").exists()


def test_refuses_an_existing_metadata_file_without_force(run: Any, tmp_path: Path) -> None:
    (tmp_path / "facts.metadata.json").write_text("{}")
    result = export(run, tmp_path / "facts.db")
    assert result.exit_code == 2 and "facts.metadata.json' already exists" in result.stderr
    assert not (tmp_path / "facts.db").exists()


def test_force_replaces_both_files(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    out.write_text("old")
    (tmp_path / "facts.metadata.json").write_text("old")
    conn = exported(run, out, "--force")
    assert conn.execute("SELECT COUNT(*) FROM facts").fetchone()[0] == len(listed(run))
    assert "databases" in json.loads((tmp_path / "facts.metadata.json").read_text())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.db", "facts.metadata.json"]


@pytest.mark.parametrize("where", ["missing/facts.db", ".", "facts.db"])
def test_bad_destination_is_a_usage_error(run: Any, tmp_path: Path, where: str) -> None:
    (tmp_path / "facts.metadata.json").mkdir()  # in the way of facts.db's metadata
    result = export(run, tmp_path / where, "--force")
    assert result.exit_code == 2
    assert ("does not exist" if "missing" in where else "is a folder") in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["facts.metadata.json"]


def test_bad_filter_writes_nothing(run: Any, tmp_path: Path) -> None:
    result = export(run, tmp_path / "facts.db", "--topic", "bogus")
    assert result.exit_code == 2 and "unknown topic 'bogus'" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_facts_are_reported_like_every_command(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f", {"trade.toml": FACT.replace('date = "2025"', 'date = "2025-02-30"')})
    result = export(run, tmp_path / "facts.db", "--no-builtin", "--facts-dir", str(folder))
    assert result.exit_code == 1 and "trade.toml:4:8: impossible date" in result.stderr
    assert not (tmp_path / "facts.db").exists()


def test_a_failed_write_leaves_no_partial_file(run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "facts.db"

    def disk_full(*_: Any) -> Any:
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(export_module, "_rows", disk_full)
    result = export(run, out)
    assert result.exit_code == 1 and "cannot write" in result.stderr and "disk is full" in result.stderr
    assert list(tmp_path.iterdir()) == []
    out.write_text("previous export")
    assert export(run, out, "--force").exit_code == 1
    assert out.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.db"]


def test_an_interrupted_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnguangxi.cli import _open_book
    from vnguangxi.query import Filters

    def interrupted(*_: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(export_module, "_rows", interrupted)
    with pytest.raises(KeyboardInterrupt):
        export_module.write_database(_open_book(None, False, False), Filters(), tmp_path / "facts.db", False)
    assert list(tmp_path.iterdir()) == []


def test_never_writes_to_a_facts_folder(run: Any, tmp_path: Path, facts_copy: Path) -> None:
    (facts_copy / "articles").mkdir(exist_ok=True)
    before = snapshot(facts_copy)
    own = ["--no-builtin", "--facts-dir", str(facts_copy)]
    for inside in (facts_copy / "facts.db", facts_copy / "articles" / "facts.db"):
        result = export(run, inside, *own)
        assert result.exit_code == 2 and "facts folder" in result.stderr
    assert exported(run, tmp_path / "facts.db", *own).execute("SELECT COUNT(*) FROM facts").fetchone()[0] > 100
    assert snapshot(facts_copy) == before


def test_reports_what_it_wrote_on_stderr_only(run: Any, tmp_path: Path) -> None:
    result = export(run, tmp_path / "facts.db", "--topic", "trade")
    assert result.exit_code == 0 and result.stdout == ""
    assert f"({len(listed(run, '--topic', 'trade'))} facts)" in result.stderr
    assert "datasette" in result.stderr


# ---------------------------------------------------------------------------- datasette


def datasette(db: Path, path: str) -> Any:
    pytest.importorskip("datasette", reason="datasette is a test dependency: pip install -e '.[test]'")
    meta = db.with_name(db.stem + ".metadata.json")
    result = subprocess.run(
        [sys.executable, "-m", "datasette", str(db), "--metadata", str(meta), "--get", path],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_datasette_serves_the_database(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    exported(run, out, "--topic", "trade")
    rows = datasette(out, "/facts/facts.json?_shape=array&_size=max")
    assert [r["id"] for r in rows] == [f["id"] for f in listed(run, "--topic", "trade")]


def test_datasette_reads_the_metadata(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "facts.db"
    exported(run, out)
    page = datasette(out, "/facts/facts.json?_search=durian&_labels=on")
    assert set(page["facet_results"]) == {"topic", "year", "status", "localities"}
    assert {r[1] for r in page["rows"]} == {f["id"] for f in json.loads(run("search", "durian", "--json").stdout)}
    places = datasette(out, "/facts/fact_places.json?_shape=objects&_labels=on&_size=1")
    assert places["rows"][0]["locality_id"]["label"]  # labelled by localities.name_en
    meta = json.loads((tmp_path / "facts.metadata.json").read_text())
    tables = meta["databases"]["facts"]["tables"]
    assert tables["localities"]["label_column"] == "name_en"
    assert tables["facts"]["fts_table"] == "facts_fts"
    assert meta["license"] and meta["source"]


def test_full_text_columns_stay_apart_when_a_text_holds_the_column_marker(run: Any, tmp_path: Path) -> None:
    odd = FACT.replace("Trade was more than", "Trade \ue000 was more than")
    folder = make_folder(tmp_path / "f", {"trade.toml": odd})
    conn = exported(run, tmp_path / "facts.db", "--no-builtin", "--facts-dir", str(folder))
    assert column(conn, "SELECT rowid FROM facts_fts WHERE facts_fts MATCH 'statement : trade'") == [1]
    assert column(conn, "SELECT rowid FROM facts_fts WHERE facts_fts MATCH 'excerpts : exceeded'") == [1]
    assert column(conn, "SELECT rowid FROM facts_fts WHERE facts_fts MATCH 'names : quang'") == [1]
    assert column(conn, "SELECT rowid FROM facts_fts WHERE facts_fts MATCH 'statement : exceeded'") == []


def test_a_file_made_during_the_export_is_not_overwritten(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "facts.db"
    fill = export_module._fill

    def someone_else_writes_out(*args: Any) -> None:
        fill(*args)
        out.write_text("theirs")

    monkeypatch.setattr(export_module, "_fill", someone_else_writes_out)
    result = export(run, out)
    assert result.exit_code == 2 and "already exists" in result.stderr
    assert out.read_text() == "theirs"
    assert [p.name for p in tmp_path.iterdir()] == ["facts.db"]


def test_metadata_made_during_the_export_leaves_neither_file(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    meta = tmp_path / "facts.metadata.json"
    fill = export_module._fill

    def someone_else_writes_meta(*args: Any) -> None:
        fill(*args)
        meta.write_text("theirs")

    monkeypatch.setattr(export_module, "_fill", someone_else_writes_meta)
    result = export(run, tmp_path / "facts.db")
    assert result.exit_code == 2 and "facts.metadata.json' already exists" in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["facts.metadata.json"]
    assert meta.read_text() == "theirs"


def test_worker_processes_export_what_one_process_exports(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches made by worker processes (a large export) give the database one process gives, row for row."""

    def dump(conn: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
        out = {}
        for table in sorted(TABLES - {"export_info", "facts_fts"}):
            out[table] = conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2, 3").fetchall()
        out["fts"] = conn.execute("SELECT rowid FROM facts_fts WHERE facts_fts MATCH 'mong*' ORDER BY 1").fetchall()
        return out

    monkeypatch.setattr(export_module, "BATCH", 50)
    one = dump(exported(run, tmp_path / "one.db", "--topic", "trade"))  # some links lead out of it
    monkeypatch.setattr(export_module, "PARALLEL_FACTS", 0)
    from vnguangxi import build

    pools: list[bool] = []
    real = build.Workers.each

    def each(self: build.Workers, *args: Any) -> Any:
        yield from real(self, *args)
        pools.append(self._pool is not None)

    monkeypatch.setattr(build.Workers, "each", each)
    many = dump(exported(run, tmp_path / "many.db", "--topic", "trade"))
    assert pools == [True]  # the batches were made by worker processes
    assert many == one
    assert len(one["facts"]) > 50 and one["fact_links"]
