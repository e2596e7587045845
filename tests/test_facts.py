"""The fact base itself: every fact over every rule, plus spot checks of what the articles say."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import tomli

from vnguangxi import dates
from vnguangxi.check import run_check
from vnguangxi.load import builtin_dir
from vnguangxi.vocab import DATE_KINDS, QUALIFIERS, REGISTRIES, STATUSES, TOPICS, UNITS

FACTS = builtin_dir()


def _load(name: str) -> dict[str, Any]:
    return tomli.loads((FACTS / f"{name}.toml").read_text(encoding="utf-8"))


ALL = [(topic, fact) for topic in TOPICS for fact in _load(topic)["facts"]]
BY_ID = {fact["id"]: fact for _, fact in ALL}
SOURCES = {s["id"]: s for s in _load("sources")["sources"]}
PLACES = {p["id"]: p for p in _load("localities")["localities"]}
PEOPLE = {p["id"]: p for p in _load("people")["people"]}


def test_every_file_exists_and_loads() -> None:
    for name in (*TOPICS, *REGISTRIES):
        assert (FACTS / f"{name}.toml").is_file()
    assert len(ALL) > 150
    assert len(SOURCES) == 5


def test_fact_files_name_their_schema() -> None:
    for name in TOPICS:
        first = (FACTS / f"{name}.toml").read_text(encoding="utf-8").splitlines()[0]
        assert first == "#:schema ../schema/facts.schema.json"


def test_ids_unique_everywhere() -> None:
    counts = Counter(fact["id"] for _, fact in ALL)
    assert [i for i, n in counts.items() if n > 1] == []
    for table in (SOURCES, PLACES, PEOPLE):
        assert len(table) == len(set(table))


def test_references_resolve() -> None:
    for _, fact in ALL:
        assert fact["sources"], fact["id"]
        for s in fact["sources"]:
            assert s["source"] in SOURCES, (fact["id"], s["source"])
        for place in fact["localities"]:
            assert place in PLACES, (fact["id"], place)
        for person in fact.get("people", []):
            assert person in PEOPLE, (fact["id"], person)
        for other in fact.get("related", []) + fact.get("conflicts_with", []):
            assert other in BY_ID, (fact["id"], other)
        for other in fact.get("conflicts_with", []):
            assert fact["id"] in BY_ID[other].get("conflicts_with", []), "conflicts must be flagged on both facts"


def test_excerpts_verbatim_in_their_articles(seeds: Path) -> None:
    texts = {sid: (seeds / s["file"]).read_text(encoding="utf-8") for sid, s in SOURCES.items()}
    for _, fact in ALL:
        for s in fact["sources"]:
            assert s["excerpt"] in texts[s["source"]], (fact["id"], s["excerpt"])


def test_excerpts_are_short() -> None:
    for _, fact in ALL:
        for s in fact["sources"]:
            assert 1 <= len(s["excerpt"].split()) <= 20, (fact["id"], s["excerpt"])


def test_statements_are_not_copied_sentences(seeds: Path) -> None:
    texts = " ".join((seeds / s["file"]).read_text(encoding="utf-8") for s in SOURCES.values())
    for _, fact in ALL:
        assert fact["statement"] not in texts, fact["id"]


def test_dates_are_real_and_intervals_run_forward() -> None:
    for _, fact in ALL:
        span = dates.parse(fact["date"])
        assert span.start <= span.end
        assert fact["date_kind"] in DATE_KINDS and fact["status"] in STATUSES
        if fact["date_kind"] == "due":
            assert fact["status"] == "planned"
    for s in SOURCES.values():
        dates.parse(s["published"])


def test_relative_dates_record_how_they_were_resolved(seeds: Path) -> None:
    relative = re.compile(r"\b(last year|this year|on Thursday|since|past \d+ years|recent)\b", re.I)
    for _, fact in ALL:
        if any(relative.search(s["excerpt"]) for s in fact["sources"]):
            assert fact.get("date_basis"), fact["id"]


def test_quantities_have_unit_and_qualifier() -> None:
    for _, fact in ALL:
        q = fact.get("quantity")
        if q is None:
            continue
        assert q["unit"] in UNITS and q["qualifier"] in QUALIFIERS and q["stated"], fact["id"]
        assert isinstance(q["value"], (int, float)) and not isinstance(q["value"], bool)
        for e in q.get("equivalents", []):
            assert e["unit"] in UNITS and e["stated"]


def test_every_place_reaches_a_country() -> None:
    for pid, place in PLACES.items():
        seen = {pid}
        while place["kind"] != "country":
            assert place["parent"] in PLACES, pid
            place = PLACES[place["parent"]]
            assert place["id"] not in seen, f"loop at {pid}"
            seen.add(place["id"])
        assert PLACES[pid]["country"] == place["id"]


def test_reorganisation_linked_both_ways() -> None:
    def links(pid: str, key: str) -> set[tuple[str, str]]:
        return {(x["id"], x["date"]) for x in PLACES[pid].get(key, [])}

    assert ("tuyen-quang", "2025-07-01") in links("ha-giang", "superseded_by")
    assert ("ha-giang", "2025-07-01") in links("tuyen-quang", "supersedes")
    for pid in PLACES:
        for other, date in links(pid, "superseded_by"):
            assert (pid, date) in links(other, "supersedes")


def test_gazetteer_names_and_aliases() -> None:
    mong_cai = PLACES["mong-cai"]
    assert (mong_cai["name_vi"], mong_cai["name_zh"], mong_cai["parent"]) == ("Móng Cái", "芒街", "quang-ninh")
    assert PLACES["dongxing"]["parent"] == "fangchenggang" and PLACES["fangchenggang"]["parent"] == "guangxi"
    assert PLACES["ban-gioc-waterfall"]["parent"] == "cao-bang"
    assert "Viet Nam" in PLACES["vn"]["aliases"]
    assert "Quang Ninh" == PLACES["quang-ninh"]["name_en"]


def test_the_whole_base_passes_check(seeds: Path) -> None:
    report = run_check([FACTS], [str(seeds)])
    assert [str(p) for p in report.problems] == []
    assert report.excerpts_checked == report.excerpts_total > 0


def test_every_article_contributes() -> None:
    cited = Counter(s["source"] for _, f in ALL for s in f["sources"])
    for sid in SOURCES:
        assert cited[sid] >= 15, sid


# Spot checks: figures a reader holding the articles must find, as the articles give them.
FIGURES = [
    ("trade", "2024", 300_000_000_000, "CNY", "nearly", 41_200_000_000),
    ("trade", "2025", 300_000_000_000, "CNY", "more-than", 43_500_000_000),
    ("people-to-people", "2025", 13_000_000, "visits", "more-than", None),
    ("people-to-people", None, 23, "pairs", "exact", None),
    ("people-to-people", None, 31, "years", "exact", None),
    ("people-to-people", None, 700, "patients", "nearly", None),
    ("people-to-people", None, 450, "patients", "more-than", None),
    ("border-gates", "2024", 8_500_000, "people", "more-than", None),
    ("border-gates", None, 9, "highways", "exact", None),
    ("border-gates", None, 2, "railways", "exact", None),
    ("border-gates", None, 9, "border-gates", "exact", None),
    ("trade", None, 26, "years", "exact", None),
    ("trade", None, 16.4, "%", "exact", None),
    ("trade", "2024", 6_000_000_000, "USD", "more-than", None),
    ("people-to-people", None, 730, "tour-groups", "more-than", None),
    ("meetings", None, 12, "agreements", "exact", None),
    ("meetings", "2026-02-11", 17, "ordinal", "exact", None),
    ("meetings", None, 10, "ordinal", "exact", None),
    ("meetings", "2026-02-11", 16, "sessions", "exact", None),
]


@pytest.mark.parametrize(("topic", "date", "value", "unit", "qualifier", "usd"), FIGURES)
def test_figures_from_the_articles(
    topic: str, date: str | None, value: float, unit: str, qualifier: str, usd: float | None
) -> None:
    matches = [
        f
        for t, f in ALL
        if t == topic
        and f.get("quantity")
        and f["quantity"]["value"] == value
        and f["quantity"]["unit"] == unit
        and f["quantity"]["qualifier"] == qualifier
        and (date is None or f["date"] == date)
    ]
    assert matches, (topic, date, value, unit)
    if usd is not None:
        assert any(e["value"] == usd and e["unit"] == "USD" for f in matches for e in f["quantity"]["equivalents"])


@pytest.mark.parametrize(
    ("date", "words"),
    [
        ("2025-04-14/2025-04-15", "Xi Jinping"),
        ("2024-10", "Detian"),
        ("2026-02-11", "Nanning"),
        ("1950-01-18", "diplomatic relations"),
        ("2026-03-06", "National People"),
    ],
)
def test_dated_events_from_the_articles(date: str, words: str) -> None:
    assert any(f["date"] == date and words.lower() in f["statement"].lower() for _, f in ALL), (date, words)


def test_plans_carry_their_due_dates() -> None:
    due = {(f["date"], t) for t, f in ALL if f["date_kind"] == "due"}
    assert ("2027", "meetings") in due  # Hải Phòng hosts the 2027 meeting
    assert any(d == "2025" and t == "border-gates" for d, t in due)  # passenger channel by 2025
    assert any(d == "2026" and t == "border-gates" for d, t in due)  # cargo channel by 2026


def test_trade_value_is_a_series() -> None:
    series = [f for _, f in ALL if f.get("series") == "guangxi-vietnam-trade-value"]
    assert sorted(f["date"] for f in series) == ["2024", "2025"]
