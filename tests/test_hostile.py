"""Hostile and unlucky input (issue 10): nothing reaches the terminal raw, nothing is read that should not
be, no traceback, the cache is never stale. Each table below holds the cases of one kind."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers import HOSTILE, hostile_folder, raw_unsafe, strings, toml_string
from test_subprocess import command

from vnguangxi import cli, render, safe, validate
from vnguangxi.index import SCHEMA_VERSION

# ------------------------------------------------------------------------------ 1. escape injection

COMMON = ("--no-builtin", "--facts-dir")
SHOWN: list[tuple[str, ...]] = [
    (*cmd, *fmt)
    for cmd in (("list",), ("search", "trade"), ("timeline",), ("topics",), ("localities",), ("sources",), ("people",))
    for fmt in ((), ("-f", "csv"), ("-f", "markdown"), ("-f", "json"), ("-f", "jsonl"))
] + [
    (*cmd, *fmt)
    for cmd in (("show", "f1"), ("show", "f-full"), ("stats",), ("stats", "-l", "qn"))
    for fmt in ((), ("-f", "json"))
]


@pytest.fixture
def without_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """The validator's rule against control characters switched off, so hostile text reaches the output."""
    monkeypatch.setattr(validate, "unsafe_in", lambda value: None)


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
@pytest.mark.parametrize("args", SHOWN, ids=" ".join)
def test_hostile_text_never_reaches_the_output_raw(
    run: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    without_the_rule: None,
    args: tuple[str, ...],
    terminal: bool,
) -> None:
    monkeypatch.setattr(cli, "_terminal", lambda: terminal)
    folder = hostile_folder(tmp_path)
    result = run(*args, *COMMON, str(folder))
    assert result.exit_code == 0, result.stderr
    out = result.stdout if terminal else result.stdout.replace("\t", "")  # a piped table's tabs part fields
    assert raw_unsafe(out) == [] and raw_unsafe(result.stderr) == []
    if args[0] == "topics":  # no text of the folder in it
        return
    if "json" in args or "jsonl" in args:  # JSON keeps the exact text, escaped by JSON itself
        docs = (
            [json.loads(line) for line in result.stdout.splitlines()]
            if "jsonl" in args
            else [json.loads(result.stdout)]
        )
        assert any(HOSTILE in text for text in strings(docs))
    else:
        assert "\\x1b]0;pwned\\x07" in result.stdout.replace("\\\\", "\\")  # shown, escaped (Markdown doubles \)


def test_hostile_text_in_arguments_is_escaped_in_messages(run: Any, tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path, "plain")
    for args in (
        ("list", "-l", HOSTILE),
        ("show", HOSTILE),
        ("search", "x", "--source", HOSTILE),
        ("list", "-f", HOSTILE),
    ):
        result = run(*args, *COMMON, str(folder))
        assert result.exit_code in (1, 2) and raw_unsafe(result.stderr) == [] and raw_unsafe(result.stdout) == []
        assert "\\x1b" in result.stderr and "\\u202e" in result.stderr


def test_check_reports_control_and_bidi_characters_in_every_file(run: Any, tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path)
    for fmt in ((), ("-f", "json")):
        result = run("check", "--no-builtin", str(folder), *fmt)
        assert result.exit_code == 1
        assert raw_unsafe(result.stdout) == [] and raw_unsafe(result.stderr) == []
    text = run("check", "--no-builtin", str(folder)).stdout
    for where in ("sources.toml:4", "sources.toml:6", "localities.toml:", "people.toml:3", "trade.toml:2"):
        assert where in text, where
    assert "the control character \\x1b" in text
    listed = run("list", *COMMON, str(folder))
    assert listed.exit_code == 1 and "control character" in listed.stderr


@pytest.mark.parametrize(
    "char", ["\u202e", "\u200b", "\u2066", "\ufeff", "\x85", "\x7f", "\x1b", "\x00", "\r", "\u2028", "\U000e0041"]
)
def test_each_control_or_format_character_is_a_problem(run: Any, tmp_path: Path, char: str) -> None:
    folder = hostile_folder(tmp_path, "plain")
    trade = folder / "trade.toml"
    trade.write_text(trade.read_text().replace("Trade was", f"Trade {toml_string(char)[1:-1]} was"), encoding="utf-8")
    result = run("check", "--no-builtin", str(folder))
    assert result.exit_code == 1 and "trade.toml:3: 'statement' of fact 'f1' holds the" in result.stdout
    assert safe.escape_char(char) in result.stdout


def test_tabs_and_line_breaks_are_allowed_in_text(run: Any, tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path, "plain")
    trade = folder / "trade.toml"
    trade.write_text(trade.read_text().replace("Trade was", "Trade\\twas\\r\\nthen"), encoding="utf-8")
    assert run("check", "--no-builtin", str(folder)).exit_code == 0


def test_the_unsafe_set_covers_unicodes_control_and_format_characters() -> None:
    wanted = {c for c in range(0x110000) if unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp")}
    covered = {c for a, b in safe.UNSAFE_RANGES for c in range(a, b + 1)}
    assert wanted <= covered
    assert all(unicodedata.category(chr(c)) in ("Cc", "Cf", "Zl", "Zp", "Cn") for c in covered)


def test_every_rich_segment_is_made_safe_even_from_raw_data() -> None:
    """The console is the net under the CLI's own escaping: raw data handed to a renderer comes out escaped."""
    import io

    fact = {
        "id": "f1",
        "date": "2025",
        "year": 2025,
        "date_kind": "event",
        "status": "planned",
        "topic": "trade",
        "statement": HOSTILE,
        "localities": ["qn"],
        "quantity": None,
        "sources": [],
    }
    for terminal in (False, True):
        out = io.StringIO()
        console = render.make_console(out, terminal, color=True, width=80)
        console.print(render.timeline([fact], lambda p: HOSTILE))
        console.print(render.facts_table([fact], lambda p: HOSTILE, 200))
        console.print(render.generic_table([{"id": HOSTILE}], ("id",)))
        text = re.sub(r"\x1b\[[0-9;]*m", "", out.getvalue())  # Rich's own colours
        assert raw_unsafe(text) == []
        assert "\\x1b]0;pwned" in text


def test_completion_candidates_are_escaped(tmp_path: Path, without_the_rule: None) -> None:
    folder = hostile_folder(tmp_path)

    class Ctx:
        params = {"facts_dir": [str(folder)], "no_builtin": True, "no_cache": True}

    found = cli.complete_place(Ctx(), "Q")  # type: ignore[arg-type]
    assert found and all(raw_unsafe(c) == [] for c in found)
    assert any("\\x1b" in c for c in found)


def test_visible_json_reads_back_as_the_exact_text() -> None:
    text = json.dumps({"s": HOSTILE + "\U0001f600"}, ensure_ascii=False)
    shown = safe.visible_json(text)
    assert raw_unsafe(shown) == [] and json.loads(shown) == {"s": HOSTILE + "\U0001f600"}


# ------------------------------------------------------------------------------ 2. reading what should not be read


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _symlink_to(target: str) -> Callable[[Path], None]:
    return lambda path: path.symlink_to(target)


def _huge(path: Path) -> None:
    with open(path, "wb") as handle:
        handle.truncate(300 * 1024 * 1024)  # sparse: no disk used, nothing read


NOT_READ: list[tuple[str, Callable[[Path], None], str]] = [
    ("fifo", _fifo, "is a named pipe (FIFO), not a regular file; only regular files are read"),
    ("dev-zero", _symlink_to("/dev/zero"), "is a device, not a regular file; only regular files are read"),
    ("folder", Path.mkdir, "is a folder, not a file; only regular files are read"),
    ("broken-symlink", _symlink_to("/nonexistent/x.toml"), "is a broken symlink"),
    ("symlink-loop", _symlink_to("meetings.toml"), "cannot be read: symlink loop"),
    ("too-large", _huge, "is 300 MiB; files are read up to 256 MiB"),
]


@pytest.mark.parametrize(("case", "make", "message"), NOT_READ, ids=[c[0] for c in NOT_READ])
def test_what_is_not_a_regular_file_is_reported_and_the_other_files_still_checked(
    tmp_path: Path, case: str, make: Callable[[Path], None], message: str
) -> None:
    """A FIFO, a device, a folder, a broken symlink or a huge file named like a fact file: a problem in its
    place, the other files still read and their problems reported; never a hang (in a separate process)."""
    folder = hostile_folder(tmp_path, "plain")
    make(folder / "meetings.toml")
    trade = folder / "trade.toml"
    trade.write_text(trade.read_text().replace('status = "done"', 'status = "dne"', 1), encoding="utf-8")
    env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache")}
    check = subprocess.run(
        [*command(), "check", "--no-builtin", str(folder)], capture_output=True, text=True, env=env, timeout=30
    )
    assert check.returncode == 1
    assert f"meetings.toml:1: {message}" in check.stdout
    assert "trade.toml:6:10: unknown status 'dne'" in check.stdout  # the other files' problems are not hidden
    listed = subprocess.run(
        [*command(), "list", "--no-builtin", "--facts-dir", str(folder)],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
    )
    assert listed.returncode == 1 and "Traceback" not in listed.stderr
    assert len(listed.stderr.strip().splitlines()) == 2  # the first problem and the hint


def test_completion_never_hangs_on_a_fifo(tmp_path: Path) -> None:
    folder = hostile_folder(tmp_path, "plain")
    os.mkfifo(folder / "meetings.toml")
    env = {
        **os.environ,
        "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache"),
        "_VNGUANGXI_COMPLETE": "complete_bash",
        "COMP_WORDS": f"vnguangxi list --no-builtin --facts-dir {folder} -l Q",
        "COMP_CWORD": "6",
    }
    done = subprocess.run(command(), capture_output=True, text=True, env=env, timeout=30)
    assert done.returncode == 0 and "Traceback" not in done.stderr


@pytest.mark.parametrize("name", ["../../../../etc/shadow", "/etc/shadow", "articles/s1.txt", "..", "a\\b.txt"])
def test_a_source_file_must_be_a_plain_file_name(run: Any, tmp_path: Path, name: str) -> None:
    """Never opened outside the articles folders: the validator and the schema both refuse it."""
    import jsonschema

    from vnguangxi.schema import sources_schema

    folder = hostile_folder(tmp_path, "plain")
    (folder / "articles").mkdir()
    (folder / "articles" / "s1.txt").write_text("exceeded 300 billion CNY last year", encoding="utf-8")
    sources = folder / "sources.toml"
    sources.write_text(sources.read_text().replace('file = "s1.txt"', f"file = {toml_string(name)}"), encoding="utf-8")
    result = run("check", "--no-builtin", str(folder))
    assert result.exit_code == 1
    assert "sources.toml:3: 'file' of source 's1' must be a plain file name in the articles folders" in result.stdout
    assert "0 of 3 excerpts checked" in result.stdout  # its excerpts were not looked for in the file it names
    entry = {"id": "s1", "file": name, "publisher": "p", "published": "2025"}
    assert not jsonschema.Draft7Validator(sources_schema()).is_valid({"sources": [entry]})
    assert jsonschema.Draft7Validator(sources_schema()).is_valid({"sources": [{**entry, "file": "s1.txt"}]})


# ------------------------------------------------------------------------------ 3. NaN and infinity

NON_FINITE = [
    ("value = 300_000_000_000", "value = nan", "quantity 'value' of fact 'f1' must be a finite number, not nan"),
    ("value = 300_000_000_000", "value = inf", "quantity 'value' of fact 'f1' must be a finite number, not inf"),
    ("value = 300_000_000_000", "value = -inf", "quantity 'value' of fact 'f1' must be a finite number, not -inf"),
    ("value = 300, unit", "value = nan, unit", "equivalent 'value' of fact 'f-full' must be a finite number"),
    ("value = 300, unit", "value = +inf, unit", "equivalent 'value' of fact 'f-full' must be a finite number"),
]


@pytest.mark.parametrize(("old", "new", "message"), NON_FINITE, ids=[c[1] for c in NON_FINITE])
def test_non_finite_numbers_are_refused_by_validator_fast_path_and_schema(
    run: Any, tmp_path: Path, old: str, new: str, message: str
) -> None:
    import tomli
    from jsonschema import Draft7Validator

    from vnguangxi.schema import facts_schema

    folder = hostile_folder(tmp_path, "plain")
    trade = folder / "trade.toml"
    trade.write_text(trade.read_text().replace(old, new, 1), encoding="utf-8")
    result = run("check", "--no-builtin", str(folder))
    assert result.exit_code == 1 and message in result.stdout
    for args in (("show", "f1", "--json"), ("stats",), ("list", "--json")):
        shown = run(*args, *COMMON, str(folder))
        assert shown.exit_code == 1 and shown.stdout == "" and "finite number" in shown.stderr
    data = tomli.loads(trade.read_text())
    assert not Draft7Validator(facts_schema()).is_valid(data)
    fid = "f-full" if "f-full" in message else "f1"
    with pytest.raises(validate._Reject):  # the quick verdict refuses it too
        validate._check_fact(validate._QUIET, 0, next(f for f in data["facts"] if f["id"] == fid), "trade")


def test_the_schema_takes_every_finite_number() -> None:
    from jsonschema import Draft7Validator

    from vnguangxi.schema import FINITE

    check = Draft7Validator(FINITE)
    for x in (0, -0.0, 1, -1, 5e-324, -5e-324, 1.7976931348623157e308, -1.7976931348623157e308, 2**63):
        assert check.is_valid(x), x
    for x in (float("nan"), float("inf"), float("-inf")):
        assert not check.is_valid(x), x


# ------------------------------------------------------------------------------ 4. no traceback


def _sh(script: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        script, shell=True, executable="/bin/bash", capture_output=True, text=True, env=env, timeout=60
    )


VN = "vnguangxi"  # replaced by the installed command in each script
UNLUCKY: list[tuple[str, str, tuple[int, ...], str]] = [
    # (case, shell script, exit statuses accepted, what stderr must say; "" for nothing)
    ("closed-stdout", f"{VN} topics >&-", (1,), "standard output is closed"),
    ("closed-stdout-and-stderr", f"{VN} topics >&- 2>&-", (1,), ""),
    ("closed-stderr", f"{VN} topics 2>&- | tail -1", (0,), ""),
    ("closed-stdin", f"{VN} topics <&- | tail -1", (0,), ""),
    ("full-disk-json", f"{VN} list --json >/dev/full", (1,), "cannot write the output: the disk is full"),
    ("full-disk-table", f"{VN} list >/dev/full", (1,), "cannot write the output: the disk is full"),
    ("full-disk-small", f"{VN} topics --json >/dev/full", (1,), "cannot write the output: the disk is full"),
    ("ascii-output", f"PYTHONIOENCODING=ascii {VN} list | tail -1", (0,), ""),
    ("ascii-json", f"PYTHONIOENCODING=ascii {VN} list --json | python3 -m json.tool >/dev/null", (0,), ""),
    ("huge-limit", f"{VN} list --limit 9223372036854775808 --json | python3 -m json.tool >/dev/null", (0,), ""),
    ("huge-limit-search", f"{VN} search trade --limit 99999999999999999999999 >/dev/null", (0,), ""),
    ("year-999-times", f"{VN} list $(printf -- '--year 2025 %.0s' $(seq 999)) >/dev/null", (0,), ""),
    ("999-years", f"{VN} list $(for i in $(seq 999); do echo --year $((1000 + i)); done) >/dev/null", (0,), ""),
    ("999-places", f"{VN} list $(printf -- '-l qn %.0s' $(seq 999)) --no-builtin --facts-dir F >/dev/null", (0,), ""),
    ("999-word-search", f"{VN} search \"$(seq 999 | tr '\\n' ' ')\"", (0,), "no facts match"),
    ("999-word-search-hits", f"{VN} search \"trade $(printf 'trade %.0s' $(seq 998))\" >/dev/null", (0,), ""),
    ("50000-char-word", f"{VN} search \"$(head -c 50000 /dev/zero | tr '\\0' a)\"", (0,), "no facts match 'aaaa"),
]


@pytest.mark.parametrize(("case", "script", "codes", "said"), UNLUCKY, ids=[c[0] for c in UNLUCKY])
def test_unlucky_invocations_give_one_clear_line_never_a_traceback(
    tmp_path: Path, case: str, script: str, codes: tuple[int, ...], said: str
) -> None:
    folder = hostile_folder(tmp_path, "plain")
    env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache")}
    done = _sh(script.replace(VN, command()[0]).replace(" F ", f" {folder} "), env)
    assert done.returncode in codes, done.stderr
    assert "Traceback" not in done.stderr
    if said:
        assert said in done.stderr and len(done.stderr.strip().splitlines()) <= 2, done.stderr
        assert len(done.stderr) < 400  # a 50,000-character word is not echoed back in full
    elif "2>&-" not in script:
        assert done.stderr == "", done.stderr


def _flip(cache: Path, needle: bytes, offset: int, new: bytes) -> None:
    """One byte of the cache file changed where ``needle`` is stored, as a failing disk would."""
    (db,) = cache.glob("index-v*.sqlite3")
    data = bytearray(db.read_bytes())
    at = data.find(needle)
    assert at >= 0, needle
    data[at + offset] = new[0]
    db.write_bytes(bytes(data))


DAMAGE = [
    ("fact-json-quote", b'"statement":"plain Trade', 12, b"x"),
    ("fact-json-letter", b'"statement":"plain Trade', 15, b"X"),
    ("registry-json", b'"name_en": "Quang plain"', 11, b"{"),
]


@pytest.mark.parametrize(("case", "needle", "offset", "new"), DAMAGE, ids=[c[0] for c in DAMAGE])
@pytest.mark.parametrize(
    "args", [("list",), ("list", "--json"), ("show", "f1"), ("show", "f1", "--json"), ("timeline",), ("stats",)]
)
def test_a_damaged_cache_row_is_a_damaged_cache_warned_and_rebuilt(
    tmp_path: Path, case: str, needle: bytes, offset: int, new: bytes, args: tuple[str, ...]
) -> None:
    folder = hostile_folder(tmp_path, "plain")
    cache = tmp_path / "cache"
    env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(cache)}
    argv = [*command(), *args, "--no-builtin", "--facts-dir", str(folder)]
    first = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert first.returncode == 0
    _flip(cache, needle, offset, new)
    damaged = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert damaged.returncode == 0 and "Traceback" not in damaged.stderr
    reads_places = args in (("list",), ("show", "f1"), ("stats",))
    reads_f1 = args != ("stats",)  # stats reads the facts of series only
    if reads_places if case == "registry-json" else reads_f1:
        assert "is damaged" in damaged.stderr and "rebuilding it" in damaged.stderr
    assert damaged.stdout == first.stdout  # the right answer, from the rebuilt cache
    again = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=60)
    assert again.stderr == "" and again.stdout == first.stdout


# ------------------------------------------------------------------------------ 7-9. small ones


@pytest.mark.parametrize("columns", ["0", "1", "5", "-3", "x"])
@pytest.mark.parametrize("args", [("list",), ("timeline",), ("show", "f1"), ("localities",), ("stats",)])
def test_a_terminal_said_to_be_too_narrow_is_drawn_at_a_sane_minimum_width(
    tmp_path: Path, columns: str, args: tuple[str, ...]
) -> None:
    from test_subprocess import pty_output

    folder = hostile_folder(tmp_path, "plain")
    env = {**os.environ, "COLUMNS": columns, "NO_COLOR": "1", "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache")}
    out = pty_output([*command(), *args, "--no-builtin", "--facts-dir", str(folder)], env)
    text = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", out)
    assert "Traceback" not in text
    if args[0] in ("list", "timeline", "show"):
        assert "f1" in text and "Trade" in text and "billion" in text
    else:
        assert "Quang" in text


def test_a_full_disk_is_named_in_the_cache_warning(tmp_path: Path) -> None:
    tiny = tmp_path / "tiny"
    tiny.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", str(tiny)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(tiny)}
        done = subprocess.run([*command(), "topics"], capture_output=True, text=True, env=env, timeout=60)
    finally:
        subprocess.run(["umount", str(tiny)], check=True)
    assert done.returncode == 0 and "people-to-people" in done.stdout
    from vnguangxi.index import folders_key
    from vnguangxi.load import builtin_dir

    path = tiny / f"index-v{SCHEMA_VERSION}-{folders_key([builtin_dir()])}.sqlite3"
    assert (
        done.stderr == f"vnguangxi: warning: cache '{path}' ignored (the disk is full); building the index in memory\n"
    )


SMALL: list[tuple[str, tuple[str, ...], dict[str, str], int, str]] = [
    # (case, arguments, environment, exit status, stderr's first line)
    ("facts-dir-empty", ("list", "--facts-dir", ""), {}, 2, "vnguangxi: error: --facts-dir '' names no folder"),
    ("check-empty", ("check", ""), {}, 2, "vnguangxi: error: '' names no folder to check"),
    (
        "ambiguous-source",
        ("list", "--source", "s", "--no-builtin", "--facts-dir", "F"),
        {},
        2,
        "vnguangxi: error: ambiguous source 's': it matches s1, s2",
    ),
    (
        "home-empty",
        ("topics",),
        {"HOME": "", "VNGUANGXI_CACHE_DIR": "", "XDG_CACHE_HOME": ""},
        0,
        "vnguangxi: warning: no cache: HOME is not an absolute folder; set XDG_CACHE_HOME or VNGUANGXI_CACHE_DIR;",
    ),
    (
        "home-relative",
        ("topics",),
        {"HOME": "home", "VNGUANGXI_CACHE_DIR": "", "XDG_CACHE_HOME": "xdg"},
        0,
        "vnguangxi: warning: no cache: HOME is not an absolute folder",
    ),
]


@pytest.mark.parametrize(("case", "args", "env", "code", "said"), SMALL, ids=[c[0] for c in SMALL])
def test_small_unlucky_cases(
    tmp_path: Path, case: str, args: tuple[str, ...], env: dict[str, str], code: int, said: str
) -> None:
    folder = hostile_folder(tmp_path, "plain")
    sources = folder / "sources.toml"
    sources.write_text(sources.read_text() + SOURCES_2, encoding="utf-8")
    argv = [*command(), *(str(folder) if a == "F" else a for a in args)]
    full_env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache"), **env}
    done = subprocess.run(argv, capture_output=True, text=True, env=full_env, timeout=60, cwd=tmp_path)
    assert done.returncode == code and done.stderr.startswith(said), done.stderr
    assert not (Path("/.cache/vnguangxi").exists() or (tmp_path / "home").exists() or (tmp_path / "xdg").exists())


def test_a_relative_xdg_cache_home_is_ignored(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from vnguangxi.index import NoCacheDir, cache_dir

    monkeypatch.delenv("VNGUANGXI_CACHE_DIR")
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative")
    assert cache_dir() == tmp_path / ".cache" / "vnguangxi"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "x"))
    assert cache_dir() == tmp_path / "x" / "vnguangxi"
    for home in ("", "relative", "/"):
        monkeypatch.setenv("HOME", home)
        monkeypatch.setenv("XDG_CACHE_HOME", "")
        with pytest.raises(NoCacheDir):
            cache_dir()


SOURCES_2 = """
[[sources]]
id = "s2"
file = "s2.txt"
publisher = "Test Agency"
published = "2026-03"
"""


# ------------------------------------------------------------------------------ 6. racy timestamps


def _statements(folder: Path, cache: Path, files: list[Any] | None = None) -> list[str]:
    """The statements the index serves for the folder (its files as given, or as they stand)."""
    from vnguangxi.index import Index
    from vnguangxi.load import scan
    from vnguangxi.query import FactBase

    os.environ["VNGUANGXI_CACHE_DIR"] = str(cache)
    found = files if files is not None else scan(folder)[0]
    book = FactBase(Index.open(found, use_cache=True, warn=lambda m: None))
    return [f["statement"] for f in book.select(__import__("vnguangxi.query").query.Filters())]


@pytest.mark.parametrize("old", [False, True], ids=["written-just-before", "written-long-before"])
def test_a_rewrite_with_the_same_stat_data_is_seen_when_the_entry_is_racy(tmp_path: Path, old: bool) -> None:
    """The stat of the rewritten file is faked to be the very one indexed (as on a one-second filesystem):
    an entry written within RACY_NS of being indexed is checked by its content; one written long before
    is trusted on its stat data (as git does), so the fake is believed there."""
    from vnguangxi.load import scan

    folder = hostile_folder(tmp_path, "plain")
    trade = folder / "trade.toml"
    files = scan(folder)[0]
    if old:  # timestamps an hour old (ctime cannot be set, so the stat data are faked)
        long_ago = time.time_ns() - 3600 * 10**9
        files = [f._replace(mtime_ns=long_ago, ctime_ns=long_ago) for f in files]
    before = _statements(folder, tmp_path / "cache", files)
    text = trade.read_text()
    trade.write_text(text.replace("plain Trade", "plain TRADE"), encoding="utf-8")  # the same size
    assert trade.stat().st_size == len(text.encode())
    after = _statements(folder, tmp_path / "cache", files)  # the old stat data, as a coarse clock would give
    assert ("plain TRADE was more than CNY 300 billion in 2025." in after) is not old
    assert ("plain Trade was more than CNY 300 billion in 2025." in after) is old
    assert before != after or old
    assert _statements(folder, tmp_path / "cache") == [s.replace("plain Trade", "plain TRADE") for s in before]


def test_a_racy_entry_is_settled_once_its_timestamps_are_safely_past(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checked by content while racy; once its timestamps are RACY_NS in the past, trusted on stat data."""
    from vnguangxi import index as index_module
    from vnguangxi.load import scan

    folder = hostile_folder(tmp_path, "plain")
    files = scan(folder)[0]
    _statements(folder, tmp_path / "cache", files)
    reads: list[str] = []
    real = index_module.digest
    monkeypatch.setattr(index_module, "digest", lambda text: reads.append(text) or real(text))
    _statements(folder, tmp_path / "cache", files)
    assert reads  # racy: checked by content
    reads.clear()
    later = time.time_ns() + 10 * index_module.RACY_NS
    monkeypatch.setattr(index_module.time, "time_ns", lambda: later)
    _statements(folder, tmp_path / "cache", files)  # checked once more, found unchanged, settled
    reads.clear()
    _statements(folder, tmp_path / "cache", files)
    assert not reads  # trusted on its stat data from now on


def test_no_stale_answer_on_an_ext4_with_one_second_timestamps(tmp_path: Path) -> None:
    """A real filesystem with coarse timestamps: ext4 with 128-byte inodes keeps whole seconds."""
    image, mount = tmp_path / "ext4.img", tmp_path / "mnt"
    mount.mkdir()
    with open(image, "wb") as handle:
        handle.truncate(16 * 1024 * 1024)
    made = subprocess.run(["mkfs.ext4", "-q", "-F", "-I", "128", str(image)], capture_output=True)
    if (
        made.returncode
        or subprocess.run(["mount", "-o", "loop", str(image), str(mount)], capture_output=True).returncode
    ):
        pytest.skip("cannot make and loop-mount an ext4 image here (needs root and mkfs.ext4)")
    try:
        folder = hostile_folder(mount, "plain")
        trade = folder / "trade.toml"
        env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache")}
        argv = [*command(), "list", "--json", "--no-builtin", "--facts-dir", str(folder)]
        coarse = 0
        for attempt in range(6):
            word = "TRADE" if attempt % 2 == 0 else "Trade"
            while time.time() % 1 > 0.2:  # start early in a second, so both writes fall within it
                time.sleep(0.01)
            text = trade.read_text()
            trade.write_text(text.replace("plain Trade", "plain XXXXX").replace("plain TRADE", "plain XXXXX"))
            first = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=30)
            st = trade.stat()
            trade.write_text(text.replace("plain Trade", f"plain {word}").replace("plain TRADE", f"plain {word}"))
            st2 = trade.stat()
            second = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=30)
            coarse += (st.st_mtime_ns, st.st_ctime_ns, st.st_size) == (st2.st_mtime_ns, st2.st_ctime_ns, st2.st_size)
            assert first.returncode == 0 and second.returncode == 0, second.stderr
            assert "plain XXXXX" in first.stdout
            statements = [f["statement"] for f in json.loads(second.stdout)]
            assert f"plain {word} was more than CNY 300 billion in 2025." in statements, attempt
        assert coarse, "the two writes never had the same timestamps: the test did not test the race"
    finally:
        subprocess.run(["umount", str(mount)], check=True)


# ------------------------------------------------------------------------------ 7. Ctrl-C during a build

SIGINT_RUNS = int(os.environ.get("VNGUANGXI_SIGINT_RUNS", "200"))  # hundreds, bounded
STARTUP = 0.05


def _group_alive(pgid: int) -> bool:
    """True while a process of the group runs. A zombie has ended: one whose parent ended first waits
    for an init to reap it, which the init of some containers never does."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def test_ctrl_c_at_any_point_of_a_build_exits_130_within_a_second(tmp_path: Path) -> None:
    """SIGINT to the process group (as Ctrl-C sends it) at points spread over a whole cold build, many times
    in a bounded loop: exit 130 within a second (or 0 if the build was over), workers ended, no traceback,
    no cache warning, and the cache left valid (SQLite's integrity check, and a later run answers right)."""
    import signal
    import sqlite3

    from helpers import FACT, make_folder

    big = "\n".join(FACT.replace('"f1"', f'"f{i}"') for i in range(12_000))
    folder = make_folder(tmp_path / "f", {"trade.toml": big})
    argv = [*command(), "list", "--json", "--no-builtin", "--facts-dir", str(folder)]

    def env_for(cache: Path) -> dict[str, str]:
        return {**os.environ, "VNGUANGXI_CACHE_DIR": str(cache)}

    started = time.monotonic()
    whole = subprocess.run(argv, capture_output=True, text=True, env=env_for(tmp_path / "c-whole"), timeout=120)
    span = time.monotonic() - started
    assert whole.returncode == 0 and len(json.loads(whole.stdout)) == 12_000
    interrupted = 0
    for run in range(SIGINT_RUNS):
        cache = tmp_path / f"c{run}"
        errors = open(tmp_path / f"err{run}", "w+")  # noqa: SIM115 (a file: a worker left behind cannot hold it open)
        proc = subprocess.Popen(
            argv, env=env_for(cache), stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
        )
        # From 50 ms on: before that, the interpreter is starting and pip's script runs `import re`, where
        # a SIGINT is Python's own (a KeyboardInterrupt traceback) before any code of ours can answer it.
        time.sleep(STARTUP + (span - STARTUP) * (run + 0.5) / SIGINT_RUNS)
        sent = time.monotonic()
        try:
            os.killpg(proc.pid, signal.SIGINT)
        except ProcessLookupError:
            pass
        try:
            code = proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            pytest.fail(f"run {run}: no exit 5 s after Ctrl-C")
        took = time.monotonic() - sent
        errors.seek(0)
        err = errors.read()
        errors.close()
        # 130, or killed by the SIGINT itself (-2: a shell sees 130 too) when it came in the interpreter's
        # last moments; 0 if the answer was complete.
        assert code in (130, -signal.SIGINT, 0), (run, code, err)
        assert "Traceback" not in err and "warning" not in err, (run, err)
        if code != 0:
            interrupted += 1
            assert took < 1.0, (run, took)
        deadline = time.monotonic() + 1.0
        while _group_alive(proc.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        left = subprocess.run(["ps", "-o", "pid,ppid,stat,cmd", "-g", str(proc.pid)], capture_output=True, text=True)
        assert not _group_alive(proc.pid), f"run {run}: workers left running\n{left.stdout}"
        for db in cache.glob("index-v*.sqlite3"):
            with sqlite3.connect(db) as conn:
                assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",), run
        if run % 10 == 9:
            after = subprocess.run(argv, capture_output=True, text=True, env=env_for(cache), timeout=120)
            assert after.returncode == 0 and after.stderr == "" and after.stdout == whole.stdout, run
    assert interrupted >= SIGINT_RUNS // 2, "too few runs were interrupted part-way: the build was too quick"


def test_ctrl_c_landing_in_a_finaliser_still_exits_130() -> None:
    """A Ctrl-C that arrives while the garbage collector runs a finaliser (a worker pipe's __del__) cannot
    propagate; Python would print 'Exception ignored … KeyboardInterrupt' and carry on. It is answered as
    any Ctrl-C: exit 130, no traceback. (Found by the 200-SIGINT test above, once in about 1,600 runs.)"""
    script = (
        "import sys\n"
        "from vnguangxi import cli\n"
        "sys.unraisablehook = cli._unraisable\n"
        "class Pipe:\n"
        "    def __del__(self):\n"
        "        raise KeyboardInterrupt\n"
        "Pipe()\n"
        "print('carried on', flush=True)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130 and done.stdout == ""
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr


BECOMES_ANOTHER_ERROR = {
    # Python 3.11 wraps what a descriptor's __set_name__ raises (a cached_property, as a module imported
    # lazily makes its classes) in a RuntimeError.
    "while a class is made": (
        "    class Interrupted:\n"
        "        def __set_name__(self, owner, name):\n"
        "            raise KeyboardInterrupt\n"
        "    class Index:\n"
        "        covers_all = Interrupted()\n"
    ),
    # A Ctrl-C inside a lock's release leaves 'release unlocked lock' raised while it is handled.
    "inside a lock's release": (
        "    try:\n"
        "        raise KeyboardInterrupt\n"
        "    except KeyboardInterrupt:\n"
        "        raise RuntimeError('release unlocked lock')\n"
    ),
}


@pytest.mark.parametrize("where", sorted(BECOMES_ANOTHER_ERROR))
def test_ctrl_c_that_becomes_another_error_still_exits_130(where: str) -> None:
    """A Ctrl-C that Python turns into another error is still answered as a Ctrl-C: exit 130, no
    traceback. (Both found by the 200-SIGINT test above, each once in a few hundred runs.)"""
    script = (
        "from vnguangxi import cli\n"
        "def command(**_kw):\n" + BECOMES_ANOTHER_ERROR[where] + "cli._app_for = lambda _args: command\n"
        "cli._run(['list'])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert done.returncode == 130, done.stderr
    assert "Traceback" not in done.stderr


def test_an_error_after_nothing_was_interrupted_is_not_taken_for_ctrl_c() -> None:
    from vnguangxi import cli

    try:
        try:
            raise ValueError("first")
        except ValueError:
            raise RuntimeError("second") from None
    except RuntimeError as exc:
        assert not cli._after_ctrl_c(exc)


def test_ctrl_c_ends_the_command_even_when_the_main_thread_is_caught_in_a_long_call(tmp_path: Path) -> None:
    """A long SQLite statement does not return to Python, which acts on signals only between steps: the
    watchdog on the wakeup pipe ends the process all the same, within a second."""
    import signal

    script = (
        "import sqlite3\n"
        "from vnguangxi import cli\n"
        "cli._watch_for_ctrl_c()\n"
        "print('ready', flush=True)\n"
        "sqlite3.connect(':memory:').execute('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
        "WHERE x < 10000000000) SELECT count(*) FROM c').fetchone()\n"
        "print('finished', flush=True)\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    time.sleep(0.2)
    sent = time.monotonic()
    proc.send_signal(signal.SIGINT)
    try:
        code = proc.wait(timeout=5)
    finally:
        proc.kill()
    assert code == 130 and time.monotonic() - sent < 1.0
    assert proc.stdout.read() == ""


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "\x00"],
        ["list", "--facts-dir", "a\x00b"],
        ["export", "x\x00.db"],
        ["search", "a\x00"],
        ["show", "f\x00"],
    ],
)
def test_an_argument_holding_a_nul_is_a_usage_error(argv: list[str]) -> None:
    """No command line can carry a NUL, but a program calling the app can: exit 2 with a message, as for any
    other bad value (os.stat would raise 'embedded null byte'). Found by the random-arguments test."""
    from typer.testing import CliRunner

    from vnguangxi.cli import app

    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert "holds a NUL character" in result.output
