"""The tool never writes to fact folders: every command over a read-only copy leaves it byte-identical."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

import pytest

COMMANDS = [
    ["list"],
    ["list", "--json"],
    ["list", "-f", "csv"],
    ["search", "trade"],
    ["show", "a001-trade-value-2024"],
    ["timeline", "-f", "markdown"],
    ["topics"],
    ["localities"],
    ["sources", "--json"],
    ["people"],
    ["stats"],
    ["check"],
    ["list", "--no-cache"],
    ["figures", "-f", "csv"],
]
# Commands that write, each tested on its own below: they must write only where they are told.
WRITERS = {"export", "extract"}


def test_every_command_of_the_app_is_covered() -> None:
    from vnguangxi.cli import command_names

    assert set(command_names()) == {args[0] for args in COMMANDS} | WRITERS


def snapshot(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture
def read_only(facts_copy: Path) -> Any:
    for path in [facts_copy, *facts_copy.rglob("*")]:
        mode = path.stat().st_mode
        path.chmod(mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    yield facts_copy
    for path in [facts_copy, *facts_copy.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IWUSR)


@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_commands_leave_fact_folders_untouched(run: Any, read_only: Path, args: list[str]) -> None:
    before = snapshot(read_only)
    mtimes = {p: os.stat(p).st_mtime_ns for p in read_only.rglob("*")}
    extra = [] if args[0] == "check" else ["--no-builtin", "--facts-dir", str(read_only)]
    result = run(*args, *([str(read_only), "--no-builtin"] if args[0] == "check" else extra))
    assert result.exit_code == 0, result.stderr
    assert snapshot(read_only) == before
    assert {p: os.stat(p).st_mtime_ns for p in read_only.rglob("*")} == mtimes


def test_extract_writes_only_into_its_out_folder(run: Any, read_only: Path, tmp_path: Path, seeds: Path) -> None:
    before = snapshot(read_only)
    out = tmp_path / "drafts"
    args = ("--no-builtin", "--facts-dir", str(read_only), "--out", str(out))
    result = run("extract", str(seeds / "000_d0c2f2dd54634011.txt"), *args)
    assert result.exit_code == 0, result.stderr
    assert snapshot(read_only) == before
    assert any(out.glob("*.toml"))


def test_export_leaves_fact_folders_untouched(run: Any, read_only: Path, tmp_path: Path) -> None:
    before = snapshot(read_only)
    mtimes = {p: os.stat(p).st_mtime_ns for p in read_only.rglob("*")}
    result = run("export", str(tmp_path / "facts.db"), "--no-builtin", "--facts-dir", str(read_only))
    assert result.exit_code == 0, result.stderr
    assert snapshot(read_only) == before
    assert {p: os.stat(p).st_mtime_ns for p in read_only.rglob("*")} == mtimes
