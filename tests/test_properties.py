"""Property-based tests: whatever the input, a clean exit (0, 1 or 2) and never a traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import FACT, FULL_FACT, LOCALITIES, hostile_folder, make_folder, raw_unsafe
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from vnguangxi import dates, safe
from vnguangxi.build import file_jobs, read, read_whole, whole, workers
from vnguangxi.check import run_check
from vnguangxi.cli import app
from vnguangxi.load import FactFile
from vnguangxi.text import excerpt_words, fold, fold_for_search, key

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))


def _parse_text(tmp: Path, text: str | bytes, name: str = "trade.toml") -> None:
    path = tmp / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    st_ = path.stat()
    file = FactFile(str(path), name[:-5], st_.st_size, st_.st_mtime_ns, st_.st_ctime_ns, st_.st_ino)
    text, problems = read(file)
    with workers() as pool:
        if text is not None:
            if read_whole(file, text):
                problems += whole(file, text).problems
            else:
                problems += [p for _, r in pool.map(file_jobs(file, text)) if r is not None for p in r.problems]
    for problem in problems:
        assert problem.line >= 0 and problem.message


@SETTINGS
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",))))
def test_random_text_never_crashes_the_loader(tmp_path_factory: Any, text: str) -> None:
    _parse_text(tmp_path_factory.mktemp("t"), text)


@SETTINGS
@given(st.binary())
def test_random_bytes_never_crash_the_loader(tmp_path_factory: Any, data: bytes) -> None:
    _parse_text(tmp_path_factory.mktemp("b"), data, "localities.toml")


_mutation = st.one_of(
    st.tuples(st.just("delete"), st.integers(0, 2000), st.integers(1, 40)),
    st.tuples(
        st.just("insert"),
        st.integers(0, 2000),
        st.sampled_from(
            ['"', "[", "]", "=", "\n", "[[facts]]\n", "\\", "'''", "#", "{", "}", ",", "\r", "\ufeff", "é", "0"]
        ),
    ),
    st.tuples(st.just("swap"), st.integers(0, 80), st.integers(0, 80)),
    st.tuples(st.just("duplicate"), st.integers(0, 80), st.integers(1, 5)),
)


def _mutate(text: str, mutations: list[tuple[Any, ...]]) -> str:
    for m in mutations:
        if m[0] == "delete":
            at = m[1] % (len(text) + 1)
            text = text[:at] + text[at + m[2] :]
        elif m[0] == "insert":
            at = m[1] % (len(text) + 1)
            text = text[:at] + m[2] + text[at:]
        else:
            lines = text.split("\n")
            if not lines:
                continue
            i, j = m[1] % len(lines), m[2] % len(lines)
            if m[0] == "swap":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i:i] = lines[i : i + j]
            text = "\n".join(lines)
    return text


@SETTINGS
@given(st.lists(_mutation, min_size=1, max_size=6), st.sampled_from(["trade.toml", "localities.toml"]))
def test_mutated_fact_files_are_reported_not_crashed(
    tmp_path_factory: Any, mutations: list[tuple[Any, ...]], name: str
) -> None:
    base = FACT + "\n" + FULL_FACT if name == "trade.toml" else LOCALITIES
    folder = make_folder(tmp_path_factory.mktemp("m"), {name: _mutate(base, mutations)})
    report = run_check([folder])
    for problem in report.problems:
        assert problem.message
    result = CliRunner().invoke(app, ["list", "--json", "--no-builtin", "--no-cache", "--facts-dir", str(folder)])
    assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    if result.exit_code == 0:
        json.loads(result.stdout)
    else:
        assert "vnguangxi check" in result.stderr


_WORDS = [
    "list",
    "search",
    "show",
    "timeline",
    "topics",
    "localities",
    "sources",
    "people",
    "stats",
    "check",
    "--topic",
    "-t",
    "--year",
    "-y",
    "--locality",
    "-l",
    "--tag",
    "--source",
    "--status",
    "--format",
    "-f",
    "--json",
    "--no-color",
    "--sort",
    "--reverse",
    "--limit",
    "-n",
    "--country",
    "--places",
    "--no-cache",
    "--no-builtin",
    "--facts-dir",
    "-h",
    "--version",
    "trade",
    "meetings",
    "2025",
    "2024..2026",
    "..2025",
    "2026..2024",
    "20x5",
    "Móng Cái",
    "芒街",
    "vn",
    "cn",
    "json",
    "csv",
    "markdown",
    "jsonl",
    "table",
    "xml",
    "planned",
    "done",
    "tourism",
    "0",
    "-1",
    "5",
    "a001-trade-value-2024",
    "",
    " ",
    "--",
    "-",
    "%",
    "\\",
    "/nonexistent",
    "ban gioc",
]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.one_of(st.sampled_from(_WORDS), st.text(max_size=8)), max_size=7))
def test_random_arguments_exit_cleanly(argv: list[str]) -> None:
    result = CliRunner().invoke(app, argv)
    assert result.exit_code in (0, 1, 2), (argv, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (argv, repr(result.exception))
    assert "Traceback" not in result.output


@given(st.text())
def test_fold_is_idempotent_and_ascii_for_vietnamese(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert key(key(text)) == key(text)


@given(st.lists(st.text()))
def test_search_folding_is_fold_with_the_spaces_left_alone(texts: list[str]) -> None:
    """What a search looks in holds the same words as ``fold`` gives (only runs of spaces may differ)."""
    folded = fold_for_search(texts)
    assert len(folded) == len(texts)
    for text, searched in zip(texts, folded, strict=True):
        assert searched.split() == fold(text).split()


@given(st.text(alphabet=st.sampled_from("ab ạ\u0301中文\n\t")))
def test_excerpt_words_count_han_characters_as_half_words(text: str) -> None:
    han = sum(ch in "中文" for ch in text)
    spaced = "".join(" " if ch in "中文" else ch for ch in text)
    assert excerpt_words(text) == len(spaced.split()) + han / 2


def test_fold_examples() -> None:
    assert key("Móng Cái") == key("MONG CAI") == key("mong   cai") == "mong cai"
    assert fold("Đông Hưng") == "dong hung"
    assert key("Hữu Nghị(Việt Nam)") == "huu nghi viet nam"


@given(st.dates())
def test_every_calendar_day_parses_at_every_precision(day: Any) -> None:
    for text in (f"{day.year:04d}", f"{day.year:04d}-{day.month:02d}", day.isoformat()):
        span = dates.parse(text)
        assert span.start <= day <= span.end


@given(st.dates(), st.dates())
def test_intervals_run_forward(a: Any, b: Any) -> None:
    text = f"{a.isoformat()}/{b.isoformat()}"
    if a < b:
        assert dates.parse(text).start == a
    else:
        with pytest.raises(dates.DateError):
            dates.parse(text)


# Pieces of text around table headers: headers at and off the start of a line, comments, CRLF.
_HEADER_PIECES = st.sampled_from(
    ["[[facts]]", "[[ facts ]]", "  [[facts]] # c", "x [[facts]]", "\n", "\r\n", " ", "\t", "#", "a", "[[people]]"]
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_HEADER_PIECES, max_size=14))
def test_header_lines_are_the_lines_that_start_with_a_header(pieces: list[str]) -> None:
    """The fast header scan agrees with the plain definition: a line made of the header, maybe a comment."""
    import re

    from vnguangxi.locate import header_lines

    text = "".join(pieces)
    for table in ("facts", "people"):
        line_re = re.compile(rf"[ \t]*\[\[[ \t]*{table}[ \t]*\]\][ \t]*(?:#.*)?\r?")  # \r\n ends a line too
        expected = [n for n, line in enumerate(text.split("\n"), start=1) if line_re.fullmatch(line)]
        assert header_lines(text, table) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(_HEADER_PIECES, max_size=14), st.integers(min_value=1, max_value=40))
def test_chunks_start_at_headers_and_cover_the_file(pieces: list[str], copies: int) -> None:
    from vnguangxi import build
    from vnguangxi.locate import header_lines

    block = "".join(pieces) + '\n[[facts]]\nid = "x"\n'
    text = block * copies * 400
    chunks = build.split(text)
    assert "".join(c.text for c in chunks) == text
    headers = header_lines(text, "facts")
    for c in chunks[1:]:
        assert c.first_line in headers
        assert headers.index(c.first_line) == c.first_index


@given(st.text())
def test_messages_stay_on_one_line(text: str) -> None:
    from vnguangxi.errors import one_line

    shown = one_line(text)
    assert len(shown.splitlines()) <= 1
    if text.isprintable():
        assert shown == text


# Letters, spaces and every kind of character a terminal acts on or hides: C0 and C1 controls, DEL,
# bidi embeddings, overrides and isolates, zero-width characters, the byte-order mark, separators, tags.
_HOSTILE_CHARS = st.one_of(
    st.sampled_from("ab Ż芒 \\\"'"),
    st.sampled_from([chr(c) for a, b in safe.UNSAFE_RANGES for c in range(a, min(b, a + 40) + 1)]),
)
_COMMANDS = [
    ["list"],
    ["list", "-f", "csv"],
    ["list", "-f", "markdown"],
    ["list", "--json"],
    ["timeline"],
    ["show", "f1"],
    ["show", "f-full"],
    ["sources"],
    ["localities"],
    ["people", "-f", "csv"],
    ["stats"],
    ["search", "trade"],
    ["check"],
]


@SETTINGS
@given(st.text(_HOSTILE_CHARS, min_size=1, max_size=12), st.sampled_from(_COMMANDS), st.booleans())
def test_escape_and_bidi_characters_in_every_text_field_never_reach_the_output(
    tmp_path_factory: Any, text: str, command: list[str], rule: bool
) -> None:
    """Whatever a text field holds, nothing a terminal would act on comes out; with the validator's rule
    on, a fact file holding such a character is a problem; with it off, the text is shown escaped."""
    import pytest

    from vnguangxi import validate

    folder = hostile_folder(tmp_path_factory.mktemp("h"), "x" + text)
    args = [*command, "--no-builtin", "--no-cache", "--facts-dir", str(folder)]
    if command == ["check"]:
        args = ["check", "--no-builtin", str(folder)]
    with pytest.MonkeyPatch.context() as mp:
        if not rule:
            mp.setattr(validate, "unsafe_in", lambda value: None)
        result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    out = result.stdout.replace("\t", "")  # a piped table's tabs part its fields (a value's tab shows as \t)
    assert raw_unsafe(out) == [] and raw_unsafe(result.stderr) == [], (text, result.output)
    bad = validate.unsafe_in(text) is not None
    if rule:
        assert result.exit_code == (1 if bad else 0), (text, result.output)
    else:
        assert result.exit_code == 0, (text, result.output)
