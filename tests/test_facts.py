"""The fact base itself: every fact over every rule, plus spot checks of what the articles say."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import tomli

from vnguangxi import dates
from vnguangxi.articles import article_body
from vnguangxi.check import run_check
from vnguangxi.load import builtin_dir
from vnguangxi.text import excerpt_words
from vnguangxi.vocab import DATE_KINDS, QUALIFIERS, REGISTRIES, STATUSES, TOPICS, UNITS

FACTS = builtin_dir()
SEED_IDS = ("000_", "001_", "002_", "003_", "004_")


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
    assert len(ALL) > 600
    assert len(SOURCES) == 35  # the five seed articles and the thirty of 2015–2026


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


def article_texts(seeds: Path, articles: Path) -> dict[str, str]:
    """Each source's text as excerpts are checked against it: after the header, where the file has one."""
    out = {}
    for sid, s in SOURCES.items():
        folder = seeds if sid.startswith(SEED_IDS) else articles
        out[sid] = article_body((folder / s["file"]).read_text(encoding="utf-8"))
    return out


def test_excerpts_verbatim_in_their_articles(seeds: Path, articles: Path) -> None:
    texts = article_texts(seeds, articles)
    for _, fact in ALL:
        for s in fact["sources"]:
            assert s["excerpt"] in texts[s["source"]], (fact["id"], s["excerpt"])


def test_excerpts_never_quote_the_header(articles: Path) -> None:
    for _, fact in ALL:
        for s in fact["sources"]:
            assert not s["excerpt"].startswith(("url:", "title:", "published:", "publisher:", "note:")), fact["id"]


def test_excerpts_are_short_in_every_language() -> None:
    for _, fact in ALL:
        for s in fact["sources"]:
            # 20 words; in Chinese two characters count as one word, so at most about 40 characters
            assert 0 < excerpt_words(s["excerpt"]) <= 20, (fact["id"], s["excerpt"])


def test_excerpts_in_all_three_languages() -> None:
    languages = Counter(SOURCES[s["source"]].get("language", "")[:2] for _, f in ALL for s in f["sources"])
    assert languages["en"] > 100 and languages["vi"] > 20 and languages["zh"] > 100, languages


def test_statements_are_not_copied_sentences(seeds: Path, articles: Path) -> None:
    texts = " ".join(article_texts(seeds, articles).values())
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


def test_relative_dates_record_how_they_were_resolved() -> None:
    relative = re.compile(
        r"\b(last year|this year|on (Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|since|past \d+ years|recent|"
        r"năm ngoái|năm nay)\b|去年|今年|近日",
        re.I,
    )
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


def test_the_whole_base_passes_check(seeds: Path, articles: Path) -> None:
    report = run_check([FACTS], [str(seeds), str(articles)])
    assert [str(p) for p in report.problems] == []
    assert report.excerpts_checked == report.excerpts_total > 0


def test_every_article_contributes() -> None:
    cited = Counter(s["source"] for _, f in ALL for s in f["sources"])
    for sid in SOURCES:
        assert cited[sid] >= (15 if sid.startswith(SEED_IDS) else 8), sid


def test_sources_say_what_the_header_says(articles: Path) -> None:
    for sid, s in SOURCES.items():
        if sid.startswith(SEED_IDS):
            continue
        header = (articles / s["file"]).read_text(encoding="utf-8").split("\n\n", 1)[0]
        fields = dict(line.split(":", 1) for line in header.splitlines() if ":" in line)
        assert s["url"] == fields["url"].strip(), sid
        assert s["language"] in fields["language"].replace(" ", ""), sid
        assert s["stored_copy"] in ("complete", "truncated"), sid
        assert s["published"][:4] == fields["published"].strip()[:4], sid


def test_disagreements_are_kept_side_by_side_and_flagged_on_both() -> None:
    conflicts = {f["id"]: set(f.get("conflicts_with", [])) for _, f in ALL}
    # Dongxing port crossings in 2023: more than 5.3 million against 5.549 million
    assert "a19-dongxing-port-crossings-2023" in conflicts["a18-dongxing-port-crossings-2023"]
    # years as Guangxi's largest trading partner: 23 as of early 2023 against 25 through 2023
    assert "a22-vn-largest-trading-partner-25-years" in conflicts["a14-vn-largest-trading-partner-23-years"]
    # the planned area of the Dongxing–Móng Cái zone
    assert any(c.startswith("a05-zone") for c in conflicts["a02-zone-area-about-10-km2-each"])
    for fid, others in conflicts.items():
        for other in others:
            assert fid in conflicts[other], (fid, other)
            assert BY_ID[fid].get("note"), fid  # each side explains the disagreement


# Spot checks: figures a reader holding the articles must find, as the articles give them.
FIGURES = [
    ("trade", "2024", 300_000_000_000, "CNY", "nearly", 41_200_000_000),
    ("trade", "2025", 300_000_000_000, "CNY", "more-than", 43_500_000_000),
    ("people-to-people", "2025", 13_000_000, "visits", "more-than", None),
    ("people-to-people", None, 23, "pairs", "exact", None),
    ("people-to-people", None, 31, "years", "exact", None),
    ("people-to-people", None, 700, "patients", "nearly", None),
    ("people-to-people", None, 450, "patients", "more-than", None),
    ("border-gates", "2024", 8_500_000, "visits", "more-than", None),
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
    # from the 2015–2026 articles
    ("trade", "2016", 25_000_000_000, "USD", "more-than", None),
    ("trade", "2023", 36_300_000_000, "USD", "exact", None),
    ("trade", "2023", 250_000_000_000, "CNY", "more-than", None),
    ("trade", "2024", 42_000_000_000, "USD", "about", None),
    ("border-gates", "2023", 5_300_000, "visits", "more-than", None),
    ("border-gates", "2023", 5_549_000, "visits", "more-than", None),
    ("meetings", "2020-01-07", 11, "ordinal", "exact", None),
    ("meetings", "2024-02-28", 15, "ordinal", "exact", None),
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
        ("2019-03-22", "Early Spring Meeting 2019"),
        ("2020-01-07", "Liuzhou"),
        ("2025-01-07", "Nanning–Hải Phòng"),
        ("2023-12-28", "Trà Lĩnh"),
        ("2025-05-25", "train"),
    ],
)
def test_dated_events_from_the_articles(date: str, words: str) -> None:
    assert any(f["date"] == date and words.lower() in f["statement"].lower() for _, f in ALL), (date, words)


def test_plans_carry_their_due_dates() -> None:
    due = {(f["date"], t) for t, f in ALL if f["date_kind"] == "due"}
    assert ("2027", "meetings") in due  # Hải Phòng hosts the 2027 meeting
    assert any(d == "2025" and t == "border-gates" for d, t in due)  # passenger channel by 2025
    assert any(d == "2026" and t == "border-gates" for d, t in due)  # cargo channel by 2026


def test_series_span_the_years_and_sources() -> None:
    def years(series: str) -> set[str]:
        return {f["date"][:4] for _, f in ALL if f.get("series") == series}

    assert {"2016", "2023", "2024", "2025"} <= years("guangxi-vietnam-trade-value")
    assert {"2018", "2019", "2022", "2025"} <= years("spring-meeting")
    assert {"2018", "2020", "2022", "2024", "2026"} <= years("joint-working-committee")
    # the same measure for the same year from two sources stays side by side
    trade_2024 = [f for _, f in ALL if f.get("series") == "guangxi-vietnam-trade-value" and f["date"] == "2024"]
    assert len({s["source"] for f in trade_2024 for s in f["sources"]}) >= 2
