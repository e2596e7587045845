"""The on-disk index: never stale, never beside the facts, never fatal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from helpers import FACT, make_folder


def listing(run: Any, folder: Path, *extra: str) -> dict[str, dict[str, Any]]:
    result = run("list", "--json", "--no-builtin", "--facts-dir", str(folder), *extra)
    assert result.exit_code == 0, result.stderr
    return {f["id"]: f for f in json.loads(result.stdout)}


def cache_files() -> list[Path]:
    return sorted(Path(os.environ["VNGUANGXI_CACHE_DIR"]).glob("index-*.sqlite3"))


def test_cache_lives_in_the_cache_dir_not_beside_the_facts(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    before = sorted(p.name for p in folder.rglob("*"))
    listing(run, folder)
    assert cache_files()
    assert sorted(p.name for p in folder.rglob("*")) == before


def test_edit_between_runs_is_seen(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    assert listing(run, folder)["f1"]["statement"].startswith("Trade was")
    trade = folder / "trade.toml"
    trade.write_text(FACT.replace("Trade was", "Commerce was"), encoding="utf-8")
    assert listing(run, folder)["f1"]["statement"].startswith("Commerce was")


def test_same_size_edit_with_mtime_restored_is_seen(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    trade = folder / "trade.toml"
    listing(run, folder)
    st = trade.stat()
    trade.write_text(FACT.replace("Trade was", "Trade WAS"), encoding="utf-8")
    os.utime(trade, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: only ctime tells
    assert trade.stat().st_size == st.st_size
    assert "Trade WAS" in listing(run, folder)["f1"]["statement"]


def test_added_deleted_and_renamed_files(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    assert set(listing(run, folder)) == {"f1"}
    (folder / "meetings.toml").write_text(FACT.replace('"f1"', '"m1"'), encoding="utf-8")
    assert set(listing(run, folder)) == {"f1", "m1"}
    (folder / "meetings.toml").rename(folder / "people-to-people.toml")
    now = listing(run, folder)
    assert set(now) == {"f1", "m1"} and now["m1"]["topic"] == "people-to-people"
    (folder / "people-to-people.toml").unlink()
    assert set(listing(run, folder)) == {"f1"}
    moved = folder.rename(tmp_path / "moved")
    assert set(listing(run, moved)) == {"f1"}


def test_registry_changes_are_seen(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    assert listing(run, folder)["f1"]["sources"][0]["file"] == "s1.txt"
    sources = folder / "sources.toml"
    sources.write_text(sources.read_text(encoding="utf-8").replace("s1.txt", "renamed.txt"), encoding="utf-8")
    assert listing(run, folder)["f1"]["sources"][0]["file"] == "renamed.txt"


def test_cross_folder_checks_follow_the_set_in_use(run: Any, tmp_path: Path) -> None:
    a = make_folder(tmp_path / "a")
    b = make_folder(tmp_path / "b", {"sources.toml": None, "localities.toml": None, "people.toml": None})
    assert listing(run, a)
    clash = run("list", "--no-builtin", "--facts-dir", str(a), "--facts-dir", str(b))
    assert clash.exit_code == 1 and "duplicate fact id 'f1'" in clash.stderr
    assert listing(run, a)  # the clash belongs to that set only
    alone = run("list", "--no-builtin", "--facts-dir", str(b))
    assert alone.exit_code == 1 and "unknown locality 'qn'" in alone.stderr


def test_a_bad_file_fails_every_time_until_fixed(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f", {"trade.toml": FACT.replace('"done"', '"dne"')})
    for _ in range(2):
        assert run("list", "--no-builtin", "--facts-dir", str(folder)).exit_code == 1
    (folder / "trade.toml").write_text(FACT, encoding="utf-8")
    assert set(listing(run, folder)) == {"f1"}


def test_no_cache_writes_nothing(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    assert set(listing(run, folder, "--no-cache")) == {"f1"}
    assert cache_files() == []


def test_corrupt_cache_is_ignored_with_a_warning(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    listing(run, folder)
    (path,) = cache_files()
    for suffix in ("-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.write_bytes(b"this is not a database" * 100)
    result = run("list", "--json", "--no-builtin", "--facts-dir", str(folder))
    assert result.exit_code == 0
    assert "warning" in result.stderr and "cache" in result.stderr
    assert {f["id"] for f in json.loads(result.stdout)} == {"f1"}
    again = run("list", "--json", "--no-builtin", "--facts-dir", str(folder))
    assert again.exit_code == 0 and again.stderr == ""  # rebuilt


def test_unwritable_cache_is_ignored_with_a_warning(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    result = run(
        "list",
        "--json",
        "--no-builtin",
        "--facts-dir",
        str(folder),
        env={"VNGUANGXI_CACHE_DIR": str(blocker / "cache")},
    )
    assert result.exit_code == 0
    assert "warning" in result.stderr
    assert {f["id"] for f in json.loads(result.stdout)} == {"f1"}


def test_two_commands_at_once_on_a_cold_cache(tmp_path: Path) -> None:
    folder = make_folder(
        tmp_path / "f", {"meetings.toml": "\n".join(FACT.replace('"f1"', f'"m{i}"') for i in range(2000))}
    )
    env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache")}
    args = [sys.executable, "-m", "vnguangxi", "list", "--json", "--no-builtin", "--facts-dir", str(folder)]
    procs = [subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [e.decode() for _, e in outs]
    assert len({o for o, _ in outs}) == 1
    assert len(json.loads(outs[0][0])) == 2001


def test_answers_do_not_depend_on_what_else_the_cache_holds(run: Any, tmp_path: Path) -> None:
    """The built-in facts give the same answers alone in the cache, beside another folder, and uncached."""
    commands = [
        ["list", "--json"],
        ["list", "--json", "-l", "Lạng Sơn", "--tag", "connectivity"],
        ["stats", "--json"],
        ["sources", "--json"],
        ["people", "--json"],
        ["localities", "--json"],
        ["search", "durian", "--json"],
        ["show", "a001-trade-value-2024", "--json"],
        ["timeline", "--json", "-y", "2025"],
    ]

    def answers(*extra: str) -> list[str]:
        out = []
        for command in commands:
            result = run(*command, *extra)
            assert result.exit_code == 0, (command, result.stderr)
            out.append(result.stdout)
        return out

    alone = answers()
    other = make_folder(tmp_path / "other")
    assert run("list", "--no-builtin", "--facts-dir", str(other)).exit_code == 0  # the cache holds both now
    assert answers() == alone == answers("--no-cache")


def test_each_set_of_folders_has_its_own_index(run: Any, tmp_path: Path) -> None:
    """A query over the built-in facts reads a small index, whatever larger folder was indexed before."""
    from vnguangxi.index import cache_path, folders_key
    from vnguangxi.load import builtin_dir

    other = make_folder(tmp_path / "other")
    assert run("list", "--json").exit_code == 0
    assert run("list", "--no-builtin", "--facts-dir", str(other), "--json").exit_code == 0
    names = {p.name for p in Path(os.environ["VNGUANGXI_CACHE_DIR"]).glob("index-v*.sqlite3")}
    assert names == {cache_path(folders_key([builtin_dir()])).name, cache_path(folders_key([other])).name}


def test_indexes_of_older_versions_are_removed(run: Any, tmp_path: Path) -> None:
    from vnguangxi.index import cache_path

    cache = Path(os.environ["VNGUANGXI_CACHE_DIR"])
    cache.mkdir(parents=True, exist_ok=True)
    old = [cache / "index-v1.sqlite3", cache / "index-v1.sqlite3-wal", cache / "index-v1.sqlite3-shm"]
    for p in old:
        p.write_bytes(b"old")
    unrelated = cache / "notes.txt"
    unrelated.write_text("not ours to remove")
    assert run("list", "--json").exit_code == 0
    assert not any(p.exists() for p in old)
    assert unrelated.exists()
    assert [p.name.startswith(cache_path().name[: -len(".sqlite3")]) for p in cache.glob("index-v*.sqlite3")] == [True]


def test_a_first_build_is_put_in_place_complete(run: Any, tmp_path: Path) -> None:
    """A first build is written beside the index under a name of its own and linked into place once done:
    nothing of it is left over, and the index is in write-ahead-log mode for the commands that follow."""
    import sqlite3

    folder = make_folder(tmp_path / "f")
    listing(run, folder)
    cache = Path(os.environ["VNGUANGXI_CACHE_DIR"])
    assert not list(cache.glob("*.build-*"))
    (index,) = [p for p in cache_files() if "sqlite3" in p.name and len(p.name.split("-")) > 2]
    with sqlite3.connect(index) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_build_left_by_a_killed_process_is_removed(run: Any, tmp_path: Path) -> None:
    from vnguangxi.index import cache_path, folders_key

    folder = make_folder(tmp_path / "f")
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # a process id that no longer runs
    left = Path(f"{cache_path(folders_key([folder]))}.build-{gone.pid}")
    left.parent.mkdir(parents=True, exist_ok=True)
    left.write_bytes(b"half a build")
    alive = Path(f"{cache_path(folders_key([folder]))}.build-{os.getppid()}")  # a live process's: kept
    alive.write_bytes(b"still building")
    listing(run, folder)
    assert not left.exists() and alive.exists()


def test_a_first_build_with_problems_keeps_what_is_valid(run: Any, tmp_path: Path) -> None:
    import sqlite3

    folder = make_folder(tmp_path / "f", {"meetings.toml": FACT.replace('"f1"', '"m1"').replace("status", "stat")})
    result = run("list", "--json", "--no-builtin", "--facts-dir", str(folder))
    assert result.exit_code == 1 and "meetings.toml" in result.stderr
    (index,) = [p for p in cache_files() if len(p.name.split("-")) > 2]
    with sqlite3.connect(index) as conn:
        assert conn.execute("SELECT id FROM facts").fetchall() == [("f1",)]  # the valid file, ready for next time
    (folder / "meetings.toml").write_text(FACT.replace('"f1"', '"m1"'), encoding="utf-8")
    assert set(listing(run, folder)) == {"f1", "m1"}


def test_a_first_build_another_process_finished_first_is_not_replaced(tmp_path: Path) -> None:
    """Two first builds at once: the second to finish keeps the first one's file (it may be open) and
    drops its own."""
    from vnguangxi.index import Index, cache_path, folders_key
    from vnguangxi.load import scan

    folder = make_folder(tmp_path / "f")
    files, _ = scan(folder)
    path = cache_path(folders_key([folder]))
    first = Index.open(files, use_cache=True, warn=print, key=folders_key([folder]))
    inode = path.stat().st_ino
    assert Index._build_fresh(path, files, None) is None
    assert path.stat().st_ino == inode and not list(path.parent.glob("*.build-*"))
    assert first.conn.execute("SELECT id FROM facts").fetchall() == [("f1",)]
