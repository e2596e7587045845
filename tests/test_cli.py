"""The CLI contract, driven in-process through typer.testing.CliRunner."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from vnguangxi import __version__
from vnguangxi.cli import command_names
from vnguangxi.vocab import FORMATS, TOPICS

JSON_FIELDS = {
    "id",
    "topic",
    "statement",
    "date",
    "year",
    "status",
    "localities",
    "quantity",
    "tags",
    "note",
    "sources",
}
COMMANDS = command_names()  # from the app itself, so a new command is covered at once


def facts(run: Any, *args: str) -> list[dict[str, Any]]:
    result = run("list", *args, "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, list)
    return data


def ids(run: Any, *args: str) -> set[str]:
    return {f["id"] for f in facts(run, *args)}


# ---------------------------------------------------------------------------- list and JSON


def test_list_json_has_documented_fields(run: Any) -> None:
    data = facts(run)
    assert len(data) > 100
    for f in data:
        assert JSON_FIELDS <= f.keys()
        assert isinstance(f["year"], int)
        assert f["topic"] in TOPICS
        assert f["sources"] and all({"source", "file", "excerpt"} <= s.keys() for s in f["sources"])
        assert all(s["file"].endswith(".txt") for s in f["sources"])
        q = f["quantity"]
        assert q is None or {"value", "unit", "qualifier", "stated", "equivalents"} <= q.keys()


def test_list_is_oldest_first_and_reversible(run: Any) -> None:
    dates = [(f["year"], f["date"]) for f in facts(run)]
    assert [y for y, _ in dates] == sorted(y for y, _ in dates)
    rev = facts(run, "--reverse")
    assert [f["id"] for f in rev] == [f["id"] for f in reversed(facts(run))]


def test_list_sort_and_limit(run: Any) -> None:
    by_id = [f["id"] for f in facts(run, "--sort", "id")]
    assert by_id == sorted(by_id)
    assert len(facts(run, "--limit", "3")) == 3
    assert facts(run, "-n", "0") == []


def test_topic_filter_and_or(run: Any) -> None:
    trade = ids(run, "--topic", "trade")
    gates = ids(run, "-t", "border-gates")
    assert trade and gates and not trade & gates
    assert ids(run, "-t", "trade", "-t", "border-gates") == trade | gates
    assert all(f["topic"] == "trade" for f in facts(run, "-t", "trade"))


def test_year_filter_overlap_and_ranges(run: Any) -> None:
    all_facts = facts(run)

    def overlapping(lo: int | None, hi: int | None) -> set[str]:
        out = set()
        for f in all_facts:
            end = f["year_end"]
            if (hi is None or f["year"] <= hi) and (lo is None or end >= lo):
                out.add(f["id"])
        return out

    assert ids(run, "--year", "2025") == overlapping(2025, 2025)
    assert ids(run, "-y", "2024..2025") == overlapping(2024, 2025)
    assert ids(run, "-y", "2026..") == overlapping(2026, None)
    assert ids(run, "-y", "..1990") == overlapping(None, 1990)
    assert ids(run, "-y", "1950", "-y", "2027") == overlapping(1950, 1950) | overlapping(2027, 2027)
    assert ids(run, "-y", "2026..")  # the 2026 meeting and its plans


def test_filters_combine_with_and(run: Any) -> None:
    both = ids(run, "-t", "trade", "-y", "2025")
    assert both == ids(run, "-t", "trade") & ids(run, "-y", "2025")


@pytest.mark.parametrize("name", ["Móng Cái", "mong cai", "MONG CAI", "芒街", "Mong Cai", "mong-cai", "móng   cái"])
def test_place_names_in_any_script_case_or_accents(run: Any, name: str) -> None:
    assert ids(run, "-l", name) == ids(run, "-l", "mong-cai") != set()


def test_place_includes_places_inside_it(run: Any) -> None:
    mong_cai = ids(run, "-l", "Móng Cái")
    quang_ninh = ids(run, "-l", "Quảng Ninh")
    assert mong_cai and mong_cai <= quang_ninh
    dongxing = ids(run, "-l", "Dongxing")
    assert dongxing and dongxing <= ids(run, "-l", "Guangxi")
    assert ids(run, "-l", "Vietnam") >= quang_ninh


def test_place_finds_facts_filed_under_a_merged_place(run: Any) -> None:
    ha_giang = {f["id"] for f in facts(run) if "ha-giang" in f["localities"]}
    tuyen_quang = {f["id"] for f in facts(run) if "tuyen-quang" in f["localities"]}
    assert ha_giang and tuyen_quang
    assert ha_giang | tuyen_quang <= ids(run, "-l", "Tuyên Quang")
    assert ha_giang | tuyen_quang <= ids(run, "-l", "ha giang")


def test_repeated_places_are_or(run: Any) -> None:
    assert ids(run, "-l", "Cao Bằng", "-l", "Lạng Sơn") == ids(run, "-l", "Cao Bằng") | ids(run, "-l", "Lạng Sơn")


def test_tag_source_status_filters(run: Any) -> None:
    tourism = facts(run, "--tag", "tourism")
    assert tourism and all("tourism" in f["tags"] for f in tourism)
    src = facts(run, "--source", "003_62e3d1ccba0b4530")
    assert src and all(any(s["source"] == "003_62e3d1ccba0b4530" for s in f["sources"]) for f in src)
    assert ids(run, "--source", "003_62e3d1ccba0b4530.txt") == {f["id"] for f in src}
    planned = facts(run, "--status", "planned")
    assert planned and all(f["status"] == "planned" for f in planned)


def test_no_results_is_empty_array_and_exit_0(run: Any) -> None:
    result = run("list", "-y", "1800", "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == []
    table = run("list", "-y", "1800")
    assert table.exit_code == 0 and "no facts match" in table.stderr


def test_jsonl_csv_markdown(run: Any) -> None:
    expected = facts(run, "-t", "trade")
    jsonl = run("list", "-t", "trade", "--format", "jsonl")
    lines = jsonl.stdout.splitlines()
    assert [json.loads(line) for line in lines] == expected
    rows = list(csv.reader(io.StringIO(run("list", "-t", "trade", "-f", "csv").stdout)))
    assert rows[0][0] == "id" and len(rows) == len(expected) + 1
    header = rows[0]
    first = dict(zip(header, rows[1], strict=True))
    assert first["id"] == expected[0]["id"]
    assert json.loads(first["localities"]) == expected[0]["localities"]  # a JSON array
    md = run("list", "-t", "trade", "-f", "markdown").stdout.splitlines()
    assert md[0].startswith("| id |") and md[1].startswith("|") and "---" in md[1]
    assert len(md) == len(expected) + 2


def test_table_default_has_no_ansi_when_piped_and_no_truncation(run: Any) -> None:
    result = run("list", "-t", "trade")
    assert result.exit_code == 0
    assert "\x1b[" not in result.stdout
    for f in facts(run, "-t", "trade"):
        assert f["statement"] in result.stdout  # whole statements, not cut at the terminal width
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


def test_format_json_and_json_flag_agree(run: Any) -> None:
    assert run("list", "--json").stdout == run("list", "--format", "json").stdout


# ---------------------------------------------------------------------------- search


def test_search_accent_and_case_insensitive(run: Any) -> None:
    plain = run("search", "ban gioc", "--json")
    assert plain.exit_code == 0
    found = [f["id"] for f in json.loads(plain.stdout)]
    assert found
    assert found == [f["id"] for f in json.loads(run("search", "BẢN GIỐC", "--json").stdout)]


def test_search_folds_d_stroke(run: Any) -> None:
    folded = {f["id"] for f in json.loads(run("search", "Dong Hung", "--json").stdout)}
    stroked = {f["id"] for f in json.loads(run("search", "Đông Hưng", "--json").stdout)}
    assert folded == stroked and folded  # Đông Hưng is Dongxing's Vietnamese name


def test_search_all_words_must_count(run: Any) -> None:
    durian = {f["id"] for f in json.loads(run("search", "durian", "--json").stdout)}
    both = {f["id"] for f in json.loads(run("search", "durian pingxiang", "--json").stdout)}
    assert both and both < durian


def test_search_best_match_first(run: Any) -> None:
    result = run("search", "sister cities", "--json")
    top = json.loads(result.stdout)[0]
    assert "sister" in top["statement"].lower()


def test_search_matches_people_and_aliases(run: Any) -> None:
    chen = {f["id"] for f in json.loads(run("search", "chen gang", "--json").stdout)}
    assert chen == {f["id"] for f in facts(run) if "chen-gang" in f.get("people", [])} | chen
    assert chen


def test_search_with_filters(run: Any) -> None:
    out = json.loads(run("search", "smart", "-t", "border-gates", "--json").stdout)
    assert out and all(f["topic"] == "border-gates" for f in out)


# ---------------------------------------------------------------------------- show


def test_show_json_is_one_object_with_sources(run: Any) -> None:
    fact_id = facts(run, "-t", "trade", "-y", "2024")[0]["id"]
    result = run("show", fact_id, "--json")
    assert result.exit_code == 0
    obj = json.loads(result.stdout)
    assert obj["id"] == fact_id and JSON_FIELDS <= obj.keys()


def test_show_table_has_everything(run: Any) -> None:
    fact = next(f for f in facts(run) if f["quantity"] and f.get("related") and f.get("people"))
    out = run("show", fact["id"]).stdout
    assert fact["statement"] in out
    assert fact["quantity"]["stated"] in out
    assert fact["date"] in out
    for s in fact["sources"]:
        assert s["excerpt"][:40] in " ".join(out.split())
        assert s["file"] in out
    assert "related" in out


def test_show_conflicts_first(run: Any, facts_copy: Any) -> None:
    trade = facts_copy / "trade.toml"
    text = trade.read_text(encoding="utf-8")
    text += (
        '\n[[facts]]\nid = "x-one"\nstatement = "One claim."\ndate = "2025"\ndate_kind = "as-of"\nstatus = "done"\n'
        'localities = ["vn"]\nconflicts_with = ["x-two"]\nrelated = ["x-three"]\n'
        '[[facts.sources]]\nsource = "000_d0c2f2dd54634011"\nexcerpt = "last year"\n'
        '\n[[facts]]\nid = "x-two"\nstatement = "The other claim."\ndate = "2025"\ndate_kind = "as-of"\n'
        'status = "done"\nlocalities = ["vn"]\nconflicts_with = ["x-one"]\n'
        '[[facts.sources]]\nsource = "001_ddbfb5997823f39d"\nexcerpt = "last year"\n'
        '\n[[facts]]\nid = "x-three"\nstatement = "A related claim."\ndate = "2025"\ndate_kind = "as-of"\n'
        'status = "done"\nlocalities = ["vn"]\n'
        '[[facts.sources]]\nsource = "001_ddbfb5997823f39d"\nexcerpt = "last year"\n'
    )
    trade.write_text(text, encoding="utf-8")
    out = run("show", "x-one", "--no-builtin", "--facts-dir", str(facts_copy)).stdout
    assert out.index("x-two") < out.index("x-three")
    assert "conflicts" in out


def test_show_unknown_id_exit_1_with_suggestion(run: Any) -> None:
    fact_id = facts(run)[0]["id"]
    result = run("show", fact_id[:-1] + "x")
    assert result.exit_code == 1
    assert "no fact with id" in result.stderr and "did you mean" in result.stderr


# ---------------------------------------------------------------------------- timeline


def test_timeline_groups_by_year_and_marks_plans(run: Any) -> None:
    from test_reading import terminal

    out = terminal(100, "timeline")
    years = [int(line) for line in out.splitlines() if line.strip().isdigit()]
    assert years == sorted(set(years)) and 2025 in years and 2026 in years
    planned = facts(run, "--status", "planned")
    assert planned
    assert "planned" in out and "○" in out
    assert "● done" in out  # the legend


def test_timeline_json_is_sorted_facts(run: Any) -> None:
    data = json.loads(run("timeline", "-y", "2026", "--json").stdout)
    assert [f["id"] for f in data] == [f["id"] for f in facts(run, "-y", "2026")]


def test_timeline_keeps_stored_precision(run: Any) -> None:
    from test_reading import terminal

    out = terminal(100, "timeline", "-y", "2026")
    assert "2026-02-11" in out
    assert any(line.lstrip().startswith("2026-03 ") for line in out.splitlines())
    piped = run("timeline", "-y", "2026").stdout
    assert "2026-02-11\t" in piped and any(line.startswith("2026-03\t") for line in piped.splitlines())


def test_piped_timeline_is_one_fact_a_line_tab_separated(run: Any) -> None:
    """As piped tables are: date, status, statement, figure, id; no year headings, legend or padding."""
    lines = run("timeline").stdout.splitlines()
    data = facts(run)
    assert len(lines) == len(data)
    rows = [line.split("\t") for line in lines]
    assert all(len(r) == 5 for r in rows)
    assert [r[4] for r in rows] == [f["id"] for f in data]  # in date order, as list
    assert [(r[0], r[1]) for r in rows] == [(f["date"], f["status"]) for f in data]
    assert all(r[2] == f["statement"] for r, f in zip(rows, data, strict=True))
    assert any(r[3] for r in rows) and "● done" not in run("timeline").stdout


# ---------------------------------------------------------------------------- registries and stats


def test_topics_with_counts(run: Any) -> None:
    data = json.loads(run("topics", "--json").stdout)
    assert [t["id"] for t in data] == list(TOPICS)
    assert sum(t["facts"] for t in data) == len(facts(run))


def test_localities_names_parent_counts(run: Any) -> None:
    data = json.loads(run("localities", "--json").stdout)
    by_id = {loc["id"]: loc for loc in data}
    assert by_id["mong-cai"]["parent"] == "quang-ninh"
    assert by_id["mong-cai"]["name_zh"] == "芒街" and by_id["mong-cai"]["name_vi"] == "Móng Cái"
    assert by_id["dongxing"]["parent"] == "fangchenggang"
    assert by_id["quang-ninh"]["total"] >= by_id["mong-cai"]["total"] > 0
    assert by_id["mong-cai"]["facts"] == len([f for f in facts(run) if "mong-cai" in f["localities"]])
    vn = json.loads(run("localities", "--country", "vn", "--json").stdout)
    assert vn and all(loc["country"] == "vn" for loc in vn)
    table = run("localities").stdout
    assert "芒街" in table and "Móng Cái" in table


def test_localities_unknown_country_is_usage_error(run: Any) -> None:
    result = run("localities", "--country", "vm")
    assert result.exit_code == 2 and "did you mean 'vn'" in result.stderr


def test_sources_and_people(run: Any) -> None:
    sources = json.loads(run("sources", "--json").stdout)
    assert len(sources) == 35 and all(s["facts"] > 0 for s in sources)
    assert all(s["published"] and s["publisher"] for s in sources)
    people = json.loads(run("people", "--json").stdout)
    chen = next(p for p in people if p["id"] == "chen-gang")
    assert chen["facts"] > 0 and chen["roles"]


def test_registry_counts_are_facts_not_mentions(run: Any) -> None:
    """A fact quoting one article twice counts once for it, as `list --source` does."""
    facts = json.loads(run("list", "--json").stdout)
    twice = [f for f in facts if len({s["source"] for s in f["sources"]}) < len(f["sources"])]
    assert twice, "the built-in facts include one quoting the same article twice"
    for s in json.loads(run("sources", "--json").stdout):
        assert s["facts"] == len(json.loads(run("list", "--source", s["id"], "--json").stdout))
    for p in json.loads(run("people", "--json").stdout):
        assert p["facts"] == sum(p["id"] in f["people"] for f in facts)


def test_stats_counts_and_series(run: Any) -> None:
    data = json.loads(run("stats", "--json").stdout)
    assert data["facts"] == len(facts(run))
    assert sum(t["facts"] for t in data["by_topic"]) == data["facts"]
    # a fact counts in every year it covers: each bar is what `list -y YEAR` finds
    every = facts(run)
    for bar in data["by_year"][-3:]:
        year = int(bar["name"])
        assert bar["facts"] == sum(1 for f in every if f["year"] <= year <= f["year_end"])
    series = {s["series"]: s for s in data["series"]}
    trade = series["guangxi-vietnam-trade-value"]
    assert trade["unit"] in ("CNY", "USD")  # the unit most of its points use
    assert {2016, 2023, 2024, 2025} <= {p["year"] for p in trade["points"]}
    out = run("stats").stdout  # piped: one bar a line (the bars themselves are drawn on a terminal)
    assert "\nseries\tguangxi-vietnam-trade-value\t" in out


def test_stats_lists_every_tag_in_use(run: Any) -> None:
    """The unknown-tag hint sends people to `stats`: it must list each tag, with how many facts carry it."""
    all_facts = facts(run)
    in_use: dict[str, int] = {}
    for f in all_facts:
        for t in f["tags"]:
            in_use[t] = in_use.get(t, 0) + 1
    data = json.loads(run("stats", "--json").stdout)
    assert {t["name"]: t["facts"] for t in data["by_tag"]} == in_use
    counts = [t["facts"] for t in data["by_tag"]]
    assert counts == sorted(counts, reverse=True)
    table = run("stats").stdout  # piped: one bar a line, tab-separated
    assert all(f"tag\t{t}\t{n}\t" in table for t, n in in_use.items())
    hint = run("list", "--tag", "no-such-tag").stderr
    assert "vnguangxi stats" in hint
    narrowed = json.loads(run("stats", "--json", "--topic", "trade").stdout)["by_tag"]
    assert sum(t["facts"] for t in narrowed) == sum(len(f["tags"]) for f in all_facts if f["topic"] == "trade")


def test_stats_filters(run: Any) -> None:
    data = json.loads(run("stats", "-t", "trade", "--json").stdout)
    assert data["facts"] == len(facts(run, "-t", "trade"))


# ---------------------------------------------------------------------------- errors and usage


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["list", "-t", "tarde"], "did you mean 'trade'"),
        (["list", "-y", "20x5"], "malformed year"),
        (["list", "-y", "2026..2024"], "reversed year range"),
        (["list", "-y", "2024-2026"], "malformed year"),
        (["list", "-l", "Mong Kai"], "unknown place"),
        (["list", "-f", "jsn"], "did you mean 'json'"),
        (["list", "--status", "planed"], "did you mean 'planned'"),
        (["list", "--tag", "tourisme"], "did you mean 'tourism'"),
        (["list", "--source", "nope"], "unknown source"),
        (["list", "--sort", "dat"], "did you mean 'date'"),
        (["list", "--format", "csv", "--json"], "contradict"),
        (["search", "  "], "nothing to search"),
        (["show", "x", "--format", "csv"], "unknown format"),
    ],
)
def test_usage_errors_exit_2_with_hint(run: Any, args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) <= 2


def test_unknown_option_is_usage_error(run: Any) -> None:
    result = run("list", "--bogus")
    assert result.exit_code == 2 and "No such option" in result.stderr


def test_version_and_help(run: Any) -> None:
    assert run("--version").stdout.strip() == f"vnguangxi {__version__}"
    assert run("-h").exit_code == 0
    top = run("--help").stdout
    for name in COMMANDS:
        assert name in top


@pytest.mark.parametrize("command", COMMANDS)
def test_every_help_opens_with_examples(run: Any, command: str) -> None:
    out = run(command, "-h").stdout
    lines = [line.strip() for line in out.splitlines() if line.strip()]
    at = lines.index("Examples:")
    assert at <= 3  # usage line, summary, maybe one more line, then the examples
    examples = [line for line in lines[at + 1 : at + 4] if line.startswith("vnguangxi ")]
    assert len(examples) >= 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_works_for_list(run: Any, fmt: str) -> None:
    result = run("list", "-t", "meetings", "-f", fmt)
    assert result.exit_code == 0 and result.stdout


@pytest.mark.parametrize("command", ["topics", "localities", "sources", "people"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_works_for_registries(run: Any, command: str, fmt: str) -> None:
    result = run(command, "-f", fmt)
    assert result.exit_code == 0 and result.stdout
    if fmt == "json":
        assert isinstance(json.loads(result.stdout), list)


def test_spliced_json_equals_json_rebuilt_object_by_object(run: Any) -> None:
    from vnguangxi.formats import to_jsonl

    data = facts(run)
    assert run("list", "--json").stdout.strip() == json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    assert run("list", "-f", "jsonl").stdout == to_jsonl(data)
    assert all(s["file"] for f in data for s in f["sources"])


def test_progress_line_waits_a_second_then_erases_itself(monkeypatch: Any, capsys: Any) -> None:
    from vnguangxi import cli

    now = [100.0]
    progress = cli._Progress()
    monkeypatch.setattr(progress, "_clock", lambda: now[0])
    progress._start = progress._last = 100.0
    progress(0.5)
    now[0] = 100.5
    progress(0.6)
    assert capsys.readouterr().err == ""  # quick builds stay silent
    now[0] = 101.5
    progress(0.7)
    now[0] = 101.6
    progress(0.8)  # too soon after the last report
    progress.close()
    err = capsys.readouterr().err
    assert err.count("indexing facts") == 1 and "70%" in err and err.endswith("\r\x1b[2K")
    silent = cli._Progress()
    silent.close()
    assert capsys.readouterr().err == ""
