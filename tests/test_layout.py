"""Curators' own folders: any layout, a check that sees what list sees, every problem at once, hints that fix,
drafts kept apart, and an index that stays exact as files move."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from helpers import ARTICLE, FACT, LOCALITIES, PEOPLE, SOURCES, make_folder

from vnguangxi.load import builtin_dir

# A fact of a curator's own folder that leans on the built-in registries.
MY_FACT = """\
[[facts]]
id = "my-fact"
topic = "trade"
statement = "A curator's fact about Lạng Sơn."
date = "2025"
date_kind = "event"
status = "done"
localities = ["lang-son"]

[[facts.sources]]
source = "mine"
excerpt = "exceeded 300 billion CNY"
"""

MY_SOURCE = """\
[[sources]]
id = "mine"
file = "mine.txt"
publisher = "My Agency"
published = "2026-03"
"""

# One article in one file: its source entry, a new place, a new person and its facts.
ONE_ARTICLE = """\
[[sources]]
id = "a9"
file = "a9.txt"
publisher = "Test Agency"
published = "2026-03-03"

[[localities]]
id = "new-town"
kind = "city"
country = "vn"
parent = "qn"
name_en = "New Town"
name_vi = "Thị Trấn Mới"

[[people]]
id = "p9"
name = "Person Nine"

[[facts]]
id = "a9-fact"
topic = "border-gates"
statement = "A gate opened in New Town."
date = "2026-03-01"
date_kind = "event"
status = "done"
localities = ["new-town"]
people = ["p9"]

[[facts.sources]]
source = "a9"
excerpt = "officials said on Thursday"
"""


def mine(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "mine"
    for name, text in {"sources.toml": MY_SOURCE, **files}.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    (folder / "articles").mkdir(exist_ok=True)
    (folder / "articles" / "mine.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


def check_json(run: Any, *args: str) -> tuple[int, dict[str, Any]]:
    result = run("check", *args, "--format", "json")
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)


def ids(run: Any, *args: str) -> list[str]:
    result = run("list", *args, "--json", "--sort", "id")
    assert result.exit_code == 0, result.stderr
    return [f["id"] for f in json.loads(result.stdout)]


# ------------------------------------------------------------------ check sees what list sees


def test_check_dir_reads_the_builtin_facts_as_list_does(run: Any, tmp_path: Path) -> None:
    folder = mine(tmp_path, {"my.toml": MY_FACT})
    code, report = check_json(run, str(folder))
    assert code == 0, report["problems"]
    assert report["folders"] == [str(builtin_dir()), str(folder)]
    assert "(built-in, " in report["summary"]
    assert "my-fact" in ids(run, "--facts-dir", str(folder))
    # --no-builtin leaves them out: the built-in place is then unknown
    code, report = check_json(run, str(folder), "--no-builtin")
    assert code == 1
    assert any("unknown locality 'lang-son'" in p["message"] for p in report["problems"])


def test_check_hint_prints_the_exact_command_for_the_folders_in_use(run: Any, tmp_path: Path) -> None:
    folder = mine(tmp_path / "with space", {"my.toml": MY_FACT.replace('"2025"', '"2025-13"')})
    result = run("list", "--facts-dir", str(folder))
    assert result.exit_code == 1
    assert f"vnguangxi check '{folder}'" in result.stderr
    alone = run("list", "--no-builtin", "--facts-dir", str(folder))
    assert f"vnguangxi check '{folder}' --no-builtin" in alone.stderr


# ------------------------------------------------------------------ any layout


def test_any_file_name_in_nested_folders_is_read(run: Any, tmp_path: Path) -> None:
    folder = mine(
        tmp_path,
        {
            "notes/my-notes.toml": MY_FACT,
            "trade/2025/hanoi.toml": MY_FACT.replace('id = "my-fact"', 'id = "by-folder"').replace(
                'topic = "trade"\n', ""
            ),
            "meetings.toml": MY_FACT.replace('id = "my-fact"', 'id = "by-file"').replace('topic = "trade"\n', ""),
        },
    )
    code, report = check_json(run, str(folder))
    assert code == 0, report["problems"]
    out = json.loads(run("list", "--facts-dir", str(folder), "--source", "mine", "--json").stdout)
    assert {f["id"]: f["topic"] for f in out} == {"my-fact": "trade", "by-folder": "trade", "by-file": "meetings"}


def test_one_article_file_holds_its_source_places_people_and_facts(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f", {"articles/a9.txt": ARTICLE, "2026/a9.toml": ONE_ARTICLE})
    code, report = check_json(run, str(folder), "--no-builtin")
    assert code == 0, report["problems"]
    args = ("--no-builtin", "--facts-dir", str(folder))
    shown = json.loads(run("show", "a9-fact", *args, "--json").stdout)
    assert shown["topic"] == "border-gates" and shown["localities"] == ["new-town"]
    assert ids(run, *args, "--locality", "Thị Trấn Mới") == ["a9-fact"]
    assert ids(run, *args, "--locality", "Quang Ninh") == ["a9-fact", "f1"]  # the new place sits in qn
    people = json.loads(run("people", *args, "--json").stdout)
    assert "p9" in {p["id"] for p in people}


def test_a_fact_with_no_topic_in_a_file_that_names_none_is_a_problem(run: Any, tmp_path: Path) -> None:
    folder = mine(tmp_path, {"notes.toml": MY_FACT.replace('topic = "trade"\n', "")})
    code, report = check_json(run, str(folder))
    assert code == 1
    [problem] = report["problems"]
    assert "has no topic" in problem["message"] and problem["line"] == 1


def test_a_file_with_an_unexpected_name_is_still_parsed_and_checked(run: Any, tmp_path: Path) -> None:
    broken = mine(tmp_path / "a", {"my-notes.toml": MY_FACT.replace('date = "2025"', "date = 2025-")})
    code, report = check_json(run, str(broken))
    [problem] = report["problems"]
    assert "TOML syntax error" in problem["message"] and (problem["line"], problem["column"]) == (5, 12)
    twice = mine(tmp_path / "b", {"my-notes.toml": MY_FACT + "\n" + MY_FACT})
    code, report = check_json(run, str(twice))
    assert code == 1
    assert any("duplicate id 'my-fact'" in p["message"] for p in report["problems"])


# ------------------------------------------------------------------ every problem at once, hints that fix


def test_every_problem_of_a_fact_is_reported_whatever_else_is_wrong(run: Any, tmp_path: Path) -> None:
    bad = (
        MY_FACT.replace('"2025"', '"March 2026"')
        .replace('["lang-son"]', '["lang-sonn"]')
        .replace('source = "mine"', 'source = "minne"')
    )
    folder = mine(tmp_path, {"my.toml": bad})
    code, report = check_json(run, str(folder))
    messages = [p["message"] for p in report["problems"]]
    assert code == 1
    assert any("'March 2026' is not a date" in m for m in messages)
    assert any("unknown locality 'lang-sonn'" in m for m in messages)
    assert any("unknown source 'minne'" in m for m in messages)


def test_a_place_given_by_name_names_the_id_to_use(run: Any, tmp_path: Path) -> None:
    folder = mine(tmp_path, {"my.toml": MY_FACT.replace('["lang-son"]', '["Lạng Sơn", "LANG SON"]')})
    code, report = check_json(run, str(folder))
    messages = [p["message"] for p in report["problems"]]
    assert code == 1 and len(messages) == 2
    assert all("that is a name of 'lang-son'; use the id" in m for m in messages)


def test_suggestions_show_the_name_and_its_id(run: Any) -> None:
    result = run("list", "--locality", "Mong Kai")
    assert result.exit_code == 2
    assert "did you mean 'Móng Cái' (mong-cai)?" in result.stderr


def test_an_excerpt_not_found_shows_the_closest_passage_and_the_difference(run: Any, tmp_path: Path) -> None:
    folder = mine(tmp_path, {"my.toml": MY_FACT.replace("exceeded 300 billion CNY", "exceeded 300 billion yuan")})
    code, report = check_json(run, str(folder))
    [problem] = report["problems"]
    assert "not found verbatim in mine.txt" in problem["message"]
    assert 'closest passage: "exceeded 300 billion {-yuan-}{+CNY+}"' in problem["message"]


# ------------------------------------------------------------------ drafts


def test_drafts_are_reported_as_unreviewed_and_hidden_from_listings(run: Any, tmp_path: Path) -> None:
    folder = mine(tmp_path, {"draft.toml": MY_FACT.replace('topic = "trade"\n', 'topic = "trade"\ndraft = true\n')})
    result = run("check", str(folder))
    assert result.exit_code == 0, result.stdout
    assert "fact 'my-fact' is a draft, not yet reviewed" in result.stdout
    assert "1 of them draft not yet reviewed" in result.stdout
    args = ("--facts-dir", str(folder), "--source", "mine")
    assert ids(run, *args) == []
    assert ids(run, *args, "--drafts") == ["my-fact"]
    shown = json.loads(run("list", *args, "--drafts", "--json").stdout)
    assert shown[0]["draft"] is True
    assert all(f["draft"] is False for f in json.loads(run("list", "--json").stdout))


def test_draft_must_be_a_boolean(run: Any, tmp_path: Path) -> None:
    folder = mine(tmp_path, {"draft.toml": MY_FACT.replace('topic = "trade"\n', 'topic = "trade"\ndraft = "yes"\n')})
    code, report = check_json(run, str(folder))
    [problem] = report["problems"]
    assert "'draft' of fact 'my-fact' must be true or false" in problem["message"]


# ------------------------------------------------------------------ the index stays exact


def same_as_fresh(run: Any, folder: Path) -> list[str]:
    args = ("--no-builtin", "--facts-dir", str(folder))
    cached = run("list", *args, "--json", "--sort", "id")
    fresh = run("list", *args, "--json", "--sort", "id", "--no-cache")
    assert (cached.exit_code, cached.stdout, cached.stderr) == (fresh.exit_code, fresh.stdout, fresh.stderr)
    places = run("localities", *args, "--json")
    assert places.stdout == run("localities", *args, "--json", "--no-cache").stdout
    return [f["id"] for f in json.loads(cached.stdout)] if cached.exit_code == 0 else []


@pytest.mark.parametrize(
    "step",
    ["edit", "rename", "move-between-folders", "nested-folder-added", "nested-folder-removed", "registry-moved"],
)
def test_the_index_stays_exact_as_the_layout_changes(run: Any, tmp_path: Path, step: str) -> None:
    folder = make_folder(
        tmp_path / "f",
        {
            "articles/a9.txt": ARTICLE,
            "trade.toml": None,
            "one/a.toml": FACT.replace('id = "f1"', 'id = "f1"\ntopic = "trade"'),
        },
    )
    assert same_as_fresh(run, folder) == ["f1"]
    if step == "edit":
        path = folder / "one" / "a.toml"
        path.write_text(path.read_text().replace("f1", "f2"), encoding="utf-8")
        assert same_as_fresh(run, folder) == ["f2"]
    elif step == "rename":
        (folder / "one" / "a.toml").rename(folder / "one" / "b.toml")
        assert same_as_fresh(run, folder) == ["f1"]
    elif step == "move-between-folders":
        (folder / "two").mkdir()
        (folder / "one" / "a.toml").rename(folder / "two" / "a.toml")
        assert same_as_fresh(run, folder) == ["f1"]
    elif step == "nested-folder-added":
        (folder / "deep" / "er").mkdir(parents=True)
        (folder / "deep" / "er" / "x.toml").write_text(ONE_ARTICLE, encoding="utf-8")
        assert same_as_fresh(run, folder) == ["a9-fact", "f1"]
    elif step == "nested-folder-removed":
        (folder / "deep").mkdir()
        (folder / "deep" / "x.toml").write_text(ONE_ARTICLE, encoding="utf-8")
        assert same_as_fresh(run, folder) == ["a9-fact", "f1"]
        shutil.rmtree(folder / "deep")
        assert same_as_fresh(run, folder) == ["f1"]
    else:
        # the registry tables move out of their own files into the fact file, then back
        (folder / "one" / "a.toml").write_text(
            SOURCES
            + "\n"
            + LOCALITIES
            + "\n"
            + PEOPLE
            + "\n"
            + FACT.replace('id = "f1"', 'id = "f1"\ntopic = "trade"'),
            encoding="utf-8",
        )
        for name in ("sources.toml", "localities.toml", "people.toml"):
            (folder / name).unlink()
        assert same_as_fresh(run, folder) == ["f1"]
        (folder / "sources.toml").write_text(SOURCES, encoding="utf-8")
        (folder / "localities.toml").write_text(LOCALITIES, encoding="utf-8")
        (folder / "people.toml").write_text(PEOPLE, encoding="utf-8")
        (folder / "one" / "a.toml").write_text(
            FACT.replace('id = "f1"', 'id = "f1"\ntopic = "trade"'), encoding="utf-8"
        )
        assert same_as_fresh(run, folder) == ["f1"]


def test_a_curators_folder_from_the_installed_command(tmp_path: Path) -> None:
    """The whole round trip through the installed `vnguangxi`: a nested, mixed-table folder is read with the
    built-in facts, a broken fact gets one line and the exact `check` command, and check lists every problem."""
    import os
    import subprocess
    import sys

    exe = Path(sys.executable).with_name("vnguangxi")
    if not exe.exists():
        pytest.fail(f"the vnguangxi command is not installed beside {sys.executable}")
    env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache")}
    folder = mine(tmp_path, {"2025/notes/my-notes.toml": MY_FACT})

    def vnguangxi(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([str(exe), *args], capture_output=True, text=True, env=env, timeout=120)

    ok = vnguangxi("list", "--facts-dir", str(folder), "--source", "mine", "--json")
    assert ok.returncode == 0 and [f["id"] for f in json.loads(ok.stdout)] == ["my-fact"]
    bad = MY_FACT.replace('"2025"', '"March 2026"').replace('["lang-son"]', '["Lạng Sơn"]')
    (folder / "2025" / "notes" / "my-notes.toml").write_text(bad, encoding="utf-8")
    failed = vnguangxi("list", "--facts-dir", str(folder))
    assert failed.returncode == 1 and "Traceback" not in failed.stderr
    assert f"run `vnguangxi check {folder}`" in failed.stderr
    checked = vnguangxi("check", str(folder))
    assert checked.returncode == 1
    assert "'March 2026' is not a date" in checked.stdout and "use the id" in checked.stdout
