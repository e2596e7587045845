"""Unit tests of the library's stages on their own: plain functions of `query` and `formats`, and `render`'s
renderables drawn into a fixed-width console and compared as text, as Rich's own tests do."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from rich.console import Console

from vnguangxi import formats, query, render
from vnguangxi.errors import UsageError

FACT: dict[str, Any] = {
    "id": "t-trade-2025",
    "topic": "trade",
    "statement": "Trade was more than CNY 300 billion in 2025.",
    "date": "2025",
    "year": 2025,
    "year_end": 2025,
    "date_kind": "period",
    "date_basis": "",
    "status": "done",
    "localities": ["guangxi", "vn"],
    "people": [],
    "tags": ["trade-value"],
    "quantity": {
        "value": 300_000_000_000,
        "unit": "CNY",
        "qualifier": "more-than",
        "stated": "300 billion CNY",
        "equivalents": [{"value": 43_500_000_000, "unit": "USD", "stated": "43.5 billion USD"}],
    },
    "series": "trade-value",
    "note": "",
    "conflicts_with": [],
    "related": [],
    "sources": [{"source": "s1", "excerpt": "a; b | c"}],
    "draft": False,
}


def draw(renderable: Any, width: int = 100) -> str:
    console = Console(file=io.StringIO(), width=width, color_system=None, legacy_windows=False)
    console.print(renderable)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    return "\n".join(line.rstrip() for line in out.splitlines())


# ------------------------------------------------------------------ query


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025", ("2025-01-01", "2025-12-31")),
        ("2024..2026", ("2024-01-01", "2026-12-31")),
        ("2024..", ("2024-01-01", None)),
        ("..2025", (None, "2025-12-31")),
        ("2024-02", ("2024-02-01", "2024-02-29")),
        ("2025-01..2025-06", ("2025-01-01", "2025-06-30")),
    ],
)
def test_year_ranges(value: str, expected: tuple[str | None, str | None]) -> None:
    assert query.parse_period(value) == expected


@pytest.mark.parametrize("value", ["20x5", "2026..2024", "", "2025-13", "..", "2024-02..2024-01"])
def test_bad_year_ranges_are_usage_errors(value: str) -> None:
    with pytest.raises(UsageError):
        query.parse_period(value)


def test_choices_forgive_case_and_name_what_is_accepted() -> None:
    assert query.choice("Trade", ("trade", "meetings"), "topic") == "trade"
    with pytest.raises(UsageError) as caught:
        query.choice("trde", ("trade", "meetings"), "topic")
    assert "did you mean 'trade'" in caught.value.message


def test_filters_ask_for_a_repeated_value_once() -> None:
    f = query.Filters(topics=["trade"] * 999, years=["2025", "2025"])
    assert f.topics == ["trade"] and f.years == ["2025"]


def test_figure_groups_put_one_measure_from_two_sources_together() -> None:
    other = {**FACT, "id": "t-trade-2025-b", "quantity": {**FACT["quantity"], "value": 290_000_000_000}}
    unrelated = {**FACT, "id": "t-other", "series": "", "date": "2019", "year": 2019, "year_end": 2019}
    groups = {f["id"]: g for g, f in query.figure_groups([FACT, other, unrelated])}
    assert groups["t-trade-2025"] == groups["t-trade-2025-b"] != groups["t-other"]


def test_stats_rows_flatten_every_bar_and_series_point() -> None:
    data = {
        "facts": 2,
        "by_topic": [{"name": "trade", "facts": 2}],
        "by_year": [{"name": "2025", "facts": 2}],
        "by_status": [{"name": "done", "facts": 2}],
        "by_place": [{"name": "Guangxi", "id": "guangxi", "facts": 2}],
        "by_tag": [],
        "series": [
            {
                "series": "s",
                "unit": "CNY",
                "points": [
                    {"year": 2025, "value": 1.0, "unit": "CNY", "qualifier": "exact", "figure": "CNY 1", "id": "x"}
                ],
            }
        ],
    }
    rows = query.stats_rows(data)
    assert rows[0] == {"table": "total", "name": "facts", "facts": 2}
    assert {r["table"] for r in rows} == {"total", "topic", "year", "status", "place", "series"}
    assert rows[-1]["id"] == "x" and rows[-1]["value"] == 1.0


# ------------------------------------------------------------------ formats


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (300_000_000_000, "CNY", "CNY 300 billion"),
        (16.4, "%", "16.4%"),
        (17, "ordinal", "17th"),
        (1, "border-gates", "1 border gate"),
        (13_000_000, "visits", "13 million visits"),
    ],
)
def test_amounts_read_as_people_read_them(value: float, unit: str, text: str) -> None:
    assert formats.amount(value, unit) == text


def test_a_figure_carries_its_qualifier_and_equivalent() -> None:
    assert formats.figure(FACT["quantity"]) == "more than CNY 300 billion (USD 43.5 billion)"
    assert formats.figure(None) == ""
    assert formats.in_unit(FACT["quantity"], "USD") == 43_500_000_000
    assert formats.in_unit(FACT["quantity"], "VND") is None


def test_csv_list_cells_are_json_arrays_that_survive_a_round_trip() -> None:
    text = formats.to_csv([formats.fact_flat(FACT)], ["id", "localities", "excerpts"])
    row = next(csv.DictReader(io.StringIO(text)))
    assert json.loads(row["localities"]) == ["guangxi", "vn"]
    assert json.loads(row["excerpts"]) == ["a; b | c"]


def test_markdown_escapes_the_pipe() -> None:
    text = formats.to_markdown([{"id": "x", "note": "a | b"}], ["id", "note"])
    assert "a \\| b" in text and text.splitlines()[1].startswith("|")


def test_json_lines_are_one_object_a_line() -> None:
    lines = formats.to_jsonl([FACT, FACT]).splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["id"] == "t-trade-2025"


def test_tsv_fields_escape_tabs_and_line_breaks() -> None:
    assert formats.tsv_field("a\tb\nc") == "a\\tb\\nc"


# ------------------------------------------------------------------ render


def test_facts_table_draws_id_date_statement_and_figure() -> None:
    out = draw(render.facts_table([FACT], lambda p: p.title(), width=160), width=160)
    header = out.splitlines()[0]
    assert header.split()[:3] == ["id", "date", "topic"]
    assert "t-trade-2025" in out and "more than CNY 300 billion" in out


def test_facts_fall_back_to_cards_on_a_narrow_console_and_keep_the_id_whole() -> None:
    out = draw(render.facts_table([FACT], lambda p: p, width=40), width=40)
    assert out.splitlines()[0].startswith("t-trade-2025")
    assert all(len(line) <= 40 for line in out.splitlines())


def test_bars_are_proportional() -> None:
    out = draw(render.bars("year", [("2024", 10), ("2025", 5)]))
    lines = [line for line in out.splitlines() if "█" in line]
    full, half = (line.count("█") for line in lines)
    assert full == 30 and half == 15


def test_registry_table_turns_to_cards_when_names_would_be_cut() -> None:
    rows = [{"id": "mong-cai", "names": "Mong Cai · Móng Cái · 芒街 Mángjiē", "kind": "city", "facts": 3}]
    wide = draw(render.generic_table(rows, ["id", "names", "kind", "facts"], width=100))
    narrow = draw(render.generic_table(rows, ["id", "names", "kind", "facts"], width=30), width=30)
    assert "Móng Cái" in wide and "Móng Cái" in narrow
    assert narrow.splitlines()[0].startswith("mong-cai")
