"""`vnguangxi check` and bad input: every problem found and located, nothing lost, never a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from helpers import ARTICLE, FACT, FULL_FACT, LOCALITIES, MINIMAL_FACT, SOURCES, make_folder

COMMANDS_OVER_FACTS = [
    ["list"],
    ["list", "--json"],
    ["search", "trade"],
    ["show", "f1"],
    ["timeline"],
    ["topics"],
    ["localities"],
    ["sources"],
    ["people"],
    ["stats"],
]


def check(run: Any, *folders: Path, fmt: str = "json") -> tuple[int, dict[str, Any]]:
    result = run("check", *map(str, folders), "--no-builtin", "--format", fmt)
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)


def only_problem(report: dict[str, Any]) -> dict[str, Any]:
    assert len(report["problems"]) == 1, report["problems"]
    return dict(report["problems"][0])


# Each case: name, files to write over the valid base, then (file, line, column or None, text in message).
CASES: list[tuple[str, dict[str, str | bytes], tuple[str, int, int | None, str]]] = [
    (
        "toml syntax",
        {"trade.toml": FACT.replace('date = "2025"', "date = 2025-")},
        ("trade.toml", 4, 12, "TOML syntax error"),
    ),
    (
        "not utf-8",
        {"trade.toml": FACT.replace("Trade was", "Trade \xffwas").encode("latin-1")},
        ("trade.toml", 3, 20, "not UTF-8"),
    ),
    (
        "unknown key",
        {"trade.toml": FACT.replace('date = "2025"\n', 'date = "2025"\nstatment = "x"\n')},
        ("trade.toml", 5, None, "unknown key 'statment' in fact 'f1' (did you mean 'statement'?)"),
    ),
    (
        "missing key",
        {"trade.toml": FACT.replace('status = "done"\n', "")},
        ("trade.toml", 1, None, "missing the required key 'status'"),
    ),
    (
        "wrong type",
        {"trade.toml": FACT.replace('statement = "Trade was more than CNY 300 billion in 2025."', "statement = 5")},
        ("trade.toml", 3, None, "must be a string, not an integer"),
    ),
    (
        "line separator in a comment",
        {"trade.toml": "# a note\u2028with a line separator\n" + FACT.replace('"done"', '"dne"')},
        ("trade.toml", 7, 10, "unknown status 'dne'"),
    ),
    (
        "id ending in a newline",
        {"trade.toml": FACT.replace('id = "f1"', 'id = "f1\\n"')},
        ("trade.toml", 2, None, "bad id 'f1\n'"),
    ),
    (
        "wrong list type",
        {"trade.toml": FACT.replace('localities = ["qn"]', 'localities = "qn"')},
        ("trade.toml", 7, None, "must be an array of strings"),
    ),
    (
        "unknown topic",
        {"trde.toml": FACT.replace('"f1"', '"f9"')},
        ("trde.toml", 1, None, "its file name 'trde.toml' is not a topic (did you mean 'trade'?)"),
    ),
    (
        "unknown status",
        {"trade.toml": FACT.replace('status = "done"', 'status = "dne"')},
        ("trade.toml", 6, 10, "unknown status 'dne'"),
    ),
    (
        "unknown qualifier",
        {"trade.toml": FACT.replace('"more-than"', '"over"')},
        ("trade.toml", 8, None, "unknown qualifier 'over'"),
    ),
    (
        "unknown unit",
        {"trade.toml": FACT.replace('unit = "CNY"', 'unit = "yuan"')},
        ("trade.toml", 8, None, "unknown unit 'yuan'"),
    ),
    (
        "impossible month",
        {"trade.toml": FACT.replace('date = "2025"', 'date = "2025-13-45"')},
        ("trade.toml", 4, 8, "month 13 does not exist"),
    ),
    (
        "impossible day",
        {"trade.toml": FACT.replace('date = "2025"', 'date = "2025-02-30"')},
        ("trade.toml", 4, 8, "has no day 30"),
    ),
    (
        "backwards interval",
        {"trade.toml": FACT.replace('date = "2025"', 'date = "2025-05/2025-04"')},
        ("trade.toml", 4, 8, "must run forward"),
    ),
    (
        "quantity without unit",
        {"trade.toml": FACT.replace('unit = "CNY", ', "")},
        ("trade.toml", 8, None, "has no unit"),
    ),
    (
        "duplicate id in file",
        {"trade.toml": FACT + "\n" + FACT},
        ("trade.toml", 15, None, "duplicate id 'f1': already used at"),
    ),
    (
        "duplicate id across files",
        {"meetings.toml": FACT},
        ("trade.toml", 2, None, "duplicate fact id 'f1': also defined at"),
    ),
    (
        "unknown source",
        {"trade.toml": FACT.replace('source = "s1"', 'source = "s2"')},
        ("trade.toml", 11, 10, "cites unknown source 's2'"),
    ),
    (
        "unknown place",
        {"trade.toml": FACT.replace('["qn"]', '["qx"]')},
        ("trade.toml", 7, 15, "unknown locality 'qx' (did you mean 'Quảng Ninh' (qn)?)"),
    ),
    (
        "unknown person",
        {"trade.toml": FACT.replace('localities = ["qn"]', 'localities = ["qn"]\npeople = ["p2"]')},
        ("trade.toml", 8, 11, "unknown person 'p2'"),
    ),
    (
        "excerpt not verbatim",
        {"trade.toml": FACT.replace("exceeded 300 billion", "exceeded 400 billion")},
        ("trade.toml", 12, None, "not found verbatim in s1.txt"),
    ),
    (
        "excerpt too long",
        {
            "trade.toml": FACT.replace(
                'excerpt = "exceeded 300 billion CNY last year"', 'excerpt = "' + "said " * 30 + '"'
            ),
            "articles/s1.txt": ARTICLE + " said" * 31,
        },
        ("trade.toml", 12, None, "quote at most 25"),
    ),
    (
        "parent loop",
        {
            "localities.toml": LOCALITIES
            + '\n[[localities]]\nid = "a"\nkind = "city"\ncountry = "vn"\nparent = "b"\nname_en = "A"\n'
            + '\n[[localities]]\nid = "b"\nkind = "city"\ncountry = "vn"\nparent = "a"\nname_en = "B"\n'
        },
        ("localities.toml", 19, None, "parent chain loops (a → b → a)"),
    ),
    (
        "parent unknown",
        {"localities.toml": LOCALITIES.replace('parent = "vn"', 'parent = "nowhere"')},
        ("localities.toml", 11, 10, "unknown parent 'nowhere'"),
    ),
    (
        "unknown locality kind",
        {"localities.toml": LOCALITIES.replace('kind = "province"', 'kind = "provence"')},
        ("localities.toml", 9, 8, "did you mean 'province'"),
    ),
    (
        "bad publication date",
        {"sources.toml": SOURCES.replace('"2026-03"', '"2026-3"')},
        ("sources.toml", 5, 13, "impossible date"),
    ),
    (
        "conflict not mirrored",
        {
            "trade.toml": FACT.replace('localities = ["qn"]', 'localities = ["qn"]\nconflicts_with = ["f-min"]')
            + "\n"
            + MINIMAL_FACT
        },
        ("trade.toml", 8, 19, "does not list 'f1' in conflicts_with"),
    ),
    (
        "unknown related fact",
        {"trade.toml": FACT.replace('localities = ["qn"]', 'localities = ["qn"]\nrelated = ["f7"]')},
        ("trade.toml", 8, 12, "names unknown fact 'f7'"),
    ),
    ("top-level key", {"trade.toml": "fact = 1\n" + FACT}, ("trade.toml", 1, None, "unknown top-level key 'fact'")),
    ("empty file", {"meetings.toml": ""}, ("meetings.toml", 1, None, "file is empty")),
    (
        "due but not planned",
        {"trade.toml": FACT.replace('date_kind = "period"', 'date_kind = "due"')},
        ("trade.toml", 6, None, "must be 'planned'"),
    ),
]


@pytest.mark.parametrize(("name", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_found_and_located(
    run: Any, tmp_path: Path, name: str, files: dict[str, str | bytes], expected: tuple[str, int, int | None, str]
) -> None:
    folder = make_folder(tmp_path / "f", files)
    before = {p.name: p.read_bytes() for p in folder.glob("*.toml")}
    code, report = check(run, folder)
    assert code == 1
    problem = only_problem(report)
    file, line, column, text = expected
    assert Path(problem["file"]).name == file
    assert problem["line"] == line, problem
    if column is not None:
        assert problem["column"] == column, problem
    assert text in problem["message"], problem
    # never a modified fact file
    assert {p.name: p.read_bytes() for p in folder.glob("*.toml")} == before


@pytest.mark.parametrize(("name", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_other_commands_stop_on_bad_facts(
    run: Any, tmp_path: Path, name: str, files: dict[str, str | bytes], expected: tuple[str, int, int | None, str]
) -> None:
    if name in ("excerpt not verbatim",):
        pytest.skip("excerpts are checked against articles by `check` only")
    folder = make_folder(tmp_path / "f", files)
    result = run("list", "--no-builtin", "--facts-dir", str(folder))
    assert result.exit_code == 1
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert 1 <= len(lines) <= 2
    file, line, _, _ = expected
    assert file in lines[0] and (f":{line}" in lines[0] if line else True)
    assert "vnguangxi check" in result.stderr


@pytest.mark.parametrize("command", COMMANDS_OVER_FACTS)
def test_every_command_reports_bad_facts_the_same(run: Any, tmp_path: Path, command: list[str]) -> None:
    folder = make_folder(tmp_path / "f", {"trade.toml": FACT.replace('date = "2025"', 'date = "2025-02-30"')})
    result = run(*command, "--no-builtin", "--facts-dir", str(folder))
    assert result.exit_code == 1
    assert "trade.toml:4:8: impossible date" in result.stderr
    assert "vnguangxi check" in result.stderr


def test_all_problems_in_one_run_sorted(run: Any, tmp_path: Path) -> None:
    bad = FACT.replace('status = "done"', 'status = "dne"').replace('date = "2025"', 'date = "2025-02-30"')
    folder = make_folder(
        tmp_path / "f", {"trade.toml": bad, "meetings.toml": FACT.replace('"f1"', '"m1"').replace('["qn"]', '["zz"]')}
    )
    code, report = check(run, folder)
    assert code == 1
    where = [(Path(p["file"]).name, p["line"]) for p in report["problems"]]
    assert where == sorted(where)
    assert ("meetings.toml", 7) in where and ("trade.toml", 4) in where and ("trade.toml", 6) in where
    text = run("check", str(folder), "--no-builtin").stdout.splitlines()
    assert text[-1].startswith(f"{len(report['problems'])} problems found")
    assert all(":" in line for line in text[:-1])


def test_check_clean_folder(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f", {"meetings.toml": FULL_FACT, "people-to-people.toml": MINIMAL_FACT})
    code, report = check(run, folder)
    assert code == 0, report["problems"]
    assert report["facts"] == 3 and report["excerpts_checked"] == 3
    out = run("check", str(folder), "--no-builtin")
    assert out.exit_code == 0 and out.stdout.startswith("no problems in 3 facts")


def test_optional_fields_missing_and_all_present_are_usable(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f", {"meetings.toml": FULL_FACT, "people-to-people.toml": MINIMAL_FACT})
    data = json.loads(run("list", "--json", "--no-builtin", "--facts-dir", str(folder)).stdout)
    by_id = {f["id"]: f for f in data}
    assert by_id["f-min"]["quantity"] is None and by_id["f-min"]["tags"] == []
    assert by_id["f-full"]["quantity"]["equivalents"][0]["unit"] == "CNY"
    assert run("show", "f-full", "--no-builtin", "--facts-dir", str(folder)).exit_code == 0


def test_byte_order_mark_is_accepted(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f", {"trade.toml": b"\xef\xbb\xbf" + FACT.encode()})
    code, report = check(run, folder)
    assert code == 0, report


def test_mixed_line_endings_keep_line_numbers(run: Any, tmp_path: Path) -> None:
    lines = FACT.replace('status = "done"', 'status = "dne"').split("\n")
    mixed = "".join(line + ("\r\n" if i % 2 else "\n") for i, line in enumerate(lines[:-1]))
    folder = make_folder(tmp_path / "f", {"trade.toml": mixed})
    problem = only_problem(check(run, folder)[1])
    assert problem["line"] == 6 and "unknown status" in problem["message"]
    clean = make_folder(tmp_path / "g", {"trade.toml": mixed.replace('"dne"', '"done"')})
    assert check(run, clean)[0] == 0


def test_five_megabyte_file(run: Any, tmp_path: Path) -> None:
    blocks = [FACT.replace('"f1"', f'"f{i}"') for i in range(15_000)]
    text = "\n".join(blocks)
    assert len(text.encode()) > 5_000_000
    text += "\n" + FACT.replace('"f1"', '"last"').replace('status = "done"', 'status = "dne"')
    folder = make_folder(tmp_path / "f", {"trade.toml": text})
    problem = only_problem(check(run, folder)[1])
    assert problem["line"] == 13 * 15_000 + 6
    result = run("list", "--json", "--no-builtin", "--facts-dir", str(folder))
    assert result.exit_code == 1 and f":{13 * 15_000 + 6}:" in result.stderr


@pytest.mark.parametrize("depth", [50, 1000, 100_000])
def test_deeply_nested_tables(run: Any, tmp_path: Path, depth: int) -> None:
    nested = "x = " + "[" * depth + "]" * depth + "\n"
    folder = make_folder(tmp_path / "f", {"trade.toml": nested + FACT})
    code, report = check(run, folder)
    assert code == 1
    assert report["problems"][0]["line"] == 1
    deep_tables = "[" + ".".join(f"t{i}" for i in range(min(depth, 5000))) + "]\nk = 1\n"
    folder2 = make_folder(tmp_path / "g", {"trade.toml": FACT + deep_tables})
    code2, report2 = check(run, folder2)
    message = report2["problems"][0]["message"]
    assert code2 == 1 and ("unknown top-level key 't0'" in message or "nesting too deep" in message)
    result = run("list", "--no-builtin", "--facts-dir", str(folder2))
    assert result.exit_code == 1 and "Traceback" not in result.stderr


def test_empty_folder_is_a_warning_not_an_error(run: Any, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("list", "--facts-dir", str(empty), "--json")
    assert result.exit_code == 0
    assert "holds no fact files" in result.stderr
    assert json.loads(result.stdout)  # the built-in facts are still there


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "does not exist"),
        ("file", "is a file, not a folder"),
        ("loop", "symlink loop"),
        ("broken", "broken symlink"),
        ("unreadable", "permission denied"),
    ],
)
def test_folder_and_file_failures_have_their_own_message(
    run: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, setup: str, message: str
) -> None:
    target = tmp_path / "target"
    if setup == "file":
        target.write_text("x")
    elif setup == "loop":
        target = make_folder(tmp_path / "f")
        os.symlink(target / "trade.toml", target / "trade.toml.tmp")
        (target / "trade.toml").unlink()
        os.symlink(target / "trade.toml.tmp", target / "trade.toml")
        (target / "trade.toml.tmp").unlink()
        os.symlink(target / "trade.toml", target / "trade.toml.tmp")
    elif setup == "broken":
        target = make_folder(tmp_path / "f")
        os.symlink(tmp_path / "nowhere.toml", target / "meetings.toml")
    elif setup == "unreadable":
        target = make_folder(tmp_path / "f")
        locked = target / "meetings.toml"
        locked.write_text(FACT.replace('"f1"', '"m1"'))
        locked.chmod(0)
        if os.geteuid() == 0:  # root reads files whatever their mode: make the read fail as it would
            real_open = os.open

            def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
                if str(path) == str(locked):
                    raise PermissionError(13, "Permission denied", str(path))
                return real_open(path, *args, **kwargs)

            monkeypatch.setattr(os, "open", refuse)
    result = run("list", "--no-builtin", "--facts-dir", str(target))
    assert result.exit_code == 1, result.stdout
    assert message in result.stderr and "Traceback" not in result.stderr
    code, report = check(run, target)
    assert code == 1 and any(message in p["message"] for p in report["problems"])


def test_check_builtin_and_user_folders(run: Any, tmp_path: Path, seeds: Path, articles: Path) -> None:
    user_fact = (
        FACT.replace('"f1"', '"user-f1"')
        .replace('["qn"]', '["quang-ninh"]')
        .replace('source = "s1"', 'source = "000_d0c2f2dd54634011"')
        .replace("exceeded 300 billion CNY last year", "exceeded 300 billion CNY (43.5 billion USD) last year")
    )
    no_registries: dict[str, str | bytes | None] = {"sources.toml": None, "localities.toml": None, "people.toml": None}
    folder = make_folder(tmp_path / "f", {**no_registries, "trade.toml": user_fact})
    result = run("check", str(folder), "--articles", str(seeds), "--articles", str(articles), "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0, report["problems"]
    assert len(report["folders"]) == 2
    assert report["excerpts_checked"] == report["excerpts_total"]


def test_check_finds_duplicates_across_folders(run: Any, tmp_path: Path) -> None:
    a = make_folder(tmp_path / "a")
    b = make_folder(tmp_path / "b", {"sources.toml": None, "localities.toml": None, "people.toml": None})
    code, report = check(run, a, b)
    assert code == 1
    messages = [p["message"] for p in report["problems"]]
    assert any("duplicate fact id 'f1': also defined at" in m and str(a) in m for m in messages)


@pytest.mark.parametrize(("name", "files", "expected"), CASES, ids=[c[0] for c in CASES])
def test_check_and_the_index_find_the_same_problems(
    run: Any, tmp_path: Path, name: str, files: dict[str, str | bytes], expected: tuple[str, int, int | None, str]
) -> None:
    """Every bad-input fixture through `check` and through the index build that `list` uses: the complete
    problem lists agree (excerpts aside: only `check` reads the articles)."""
    from vnguangxi.errors import DataError
    from vnguangxi.index import Index
    from vnguangxi.load import scan

    folder = make_folder(tmp_path / "f", files)
    _, report = check(run, folder)
    by_check = [
        (p["file"], p["line"], p["column"], p["message"])
        for p in report["problems"]
        if "not found verbatim" not in p["message"]
    ]
    found, _ = scan(folder)
    try:
        Index.open(found, use_cache=False, warn=lambda _m: None)
        by_index: list[tuple[Any, ...]] = []
    except DataError as exc:
        by_index = [(p.path, p.line, p.column, p.message) for p in exc.problems]  # type: ignore[attr-defined]
    assert by_index == by_check
