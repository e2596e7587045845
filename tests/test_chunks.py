"""Large fact files are indexed in chunks: every edit must give what a fresh build gives."""

from __future__ import annotations

import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from helpers import FACT, make_folder

from vnguangxi import build


@pytest.fixture(autouse=True, params=["one process", "worker processes"])
def workers_or_not(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test here runs twice: chunks parsed in this process, and in worker processes."""
    if request.param == "worker processes":
        monkeypatch.setattr(build, "PARALLEL_BYTES", 0)


def big_file(n: int = 900) -> str:
    blocks = [FACT.replace('"f1"', f'"f{i}"').replace("Trade was", f"Trade number {i} was") for i in range(n)]
    return "\n".join(blocks)


def listing(run: Any, folder: Path, *extra: str) -> Any:
    return run("list", "--json", "--no-builtin", "--facts-dir", str(folder), *extra)


def same_as_fresh(run: Any, folder: Path) -> list[dict[str, Any]]:
    cached = listing(run, folder)
    fresh = listing(run, folder, "--no-cache")
    assert cached.exit_code == fresh.exit_code == 0, (cached.stderr, fresh.stderr)
    assert cached.stdout == fresh.stdout
    return list(json.loads(cached.stdout))


def test_big_files_are_split_at_stable_places() -> None:
    text = big_file()
    chunks = build.split(text)
    assert len(chunks) > 1
    assert "".join(c.text for c in chunks) == text
    assert [c.first_line for c in chunks] == [text[: text.index(c.text)].count("\n") + 1 for c in chunks]
    edited = text.replace("Trade number 450 was", "Trade number 450 (edited) was")
    after = build.split(edited)
    changed = {c.digest for c in after} - {c.digest for c in chunks}
    assert len(changed) == 1  # only the chunk holding the edit
    shifted = build.split("# a comment on top\n" + text)
    assert len({c.digest for c in shifted} - {c.digest for c in chunks}) == 1


def test_edits_to_a_big_file_match_a_fresh_build(run: Any, tmp_path: Path) -> None:
    folder = make_folder(tmp_path / "f", {"trade.toml": big_file()})
    trade = folder / "trade.toml"
    assert len(same_as_fresh(run, folder)) == 900
    trade.write_text(trade.read_text().replace("Trade number 450 was", "Commerce number 450 was"))
    facts = same_as_fresh(run, folder)
    assert any(f["statement"].startswith("Commerce number 450") for f in facts)
    trade.write_text("# new first lines\n# shift everything\n" + trade.read_text())
    same_as_fresh(run, folder)
    text = trade.read_text()
    start = text.index('[[facts]]\nid = "f300"')
    end = text.index("[[facts]]", start + 1)
    trade.write_text(text[:start] + text[end:])
    facts = same_as_fresh(run, folder)
    assert len(facts) == 899 and "f300" not in {f["id"] for f in facts}
    trade.write_text(trade.read_text() + "\n" + FACT.replace('"f1"', '"f-last"'))
    assert "f-last" in {f["id"] for f in same_as_fresh(run, folder)}


def test_problems_in_a_big_file_are_located_in_the_file(run: Any, tmp_path: Path) -> None:
    text = big_file()
    lines = text.split("\n")
    at = lines.index('id = "f700"') + 4  # the status line of f700 (1-based: +1)
    lines[at] = 'status = "dne"'
    folder = make_folder(tmp_path / "f", {"trade.toml": "\n".join(lines)})
    listing(run, folder)  # cached or not, the same message
    result = listing(run, folder)
    assert result.exit_code == 1 and f"trade.toml:{at + 1}:10: unknown status 'dne'" in result.stderr
    report = json.loads(run("check", str(folder), "--no-builtin", "--format", "json").stdout)
    assert [(p["line"], p["column"]) for p in report["problems"]] == [(at + 1, 10)]


def test_syntax_error_late_in_a_big_file(run: Any, tmp_path: Path) -> None:
    lines = big_file().split("\n")
    at = lines.index('id = "f800"') + 2
    lines[at] = "date = 2025-"
    folder = make_folder(tmp_path / "f", {"trade.toml": "\n".join(lines)})
    result = listing(run, folder)
    assert result.exit_code == 1 and f"trade.toml:{at + 1}:12: TOML syntax error" in result.stderr


def test_ids_repeated_across_chunks(run: Any, tmp_path: Path) -> None:
    text = big_file().replace('id = "f850"', 'id = "f10"')
    folder = make_folder(tmp_path / "f", {"trade.toml": text})
    result = listing(run, folder)
    assert result.exit_code == 1 and "duplicate id 'f10': already used at" in result.stderr
    report = json.loads(run("check", str(folder), "--no-builtin", "--format", "json").stdout)
    assert len(report["problems"]) == 1 and "duplicate id 'f10'" in report["problems"][0]["message"]
    # the same repeat appearing by an edit after the file was indexed
    folder2 = make_folder(tmp_path / "g", {"trade.toml": big_file()})
    assert listing(run, folder2).exit_code == 0
    trade = folder2 / "trade.toml"
    trade.write_text(trade.read_text().replace('id = "f850"', 'id = "f10"'))
    assert "duplicate id 'f10'" in listing(run, folder2).stderr


def test_a_whole_chunk_pasted_twice_is_caught_after_an_edit(run: Any, tmp_path: Path) -> None:
    """An unchanged chunk is reused once only: a copy of it is read again, so its ids are seen twice."""
    folder = make_folder(tmp_path / "f", {"trade.toml": big_file()})
    assert listing(run, folder).exit_code == 0
    trade = folder / "trade.toml"
    text = trade.read_text()
    first = build.split(text)[1].text  # a chunk that starts at a header and ends before the next chunk
    trade.write_text(text + "\n" + first)
    assert first in {c.text for c in build.split(trade.read_text())[2:]}  # the copy is a chunk of its own
    cached, fresh = listing(run, folder), listing(run, folder, "--no-cache")
    assert cached.exit_code == fresh.exit_code == 1
    assert "duplicate id" in cached.stderr and cached.stderr == fresh.stderr


@pytest.mark.parametrize("quote", ['"""', "'''"])
def test_a_header_inside_a_multiline_string(run: Any, tmp_path: Path, quote: str) -> None:
    """A header inside a multi-line string is text: a file with such strings is read in one piece."""
    text = big_file()
    assert len(build.split(text)) > 1
    # An id line whose hash would make the fake header a chunk boundary.
    fake = next(f'id = "x{k}"' for k in range(100_000) if zlib.crc32(f'id = "x{k}"'.encode()) % build.CHUNK_FACTS == 0)
    trick = FACT.replace('"f1"', '"tricky"').replace(
        'status = "done"', f'status = "done"\nnote = {quote}\n[[facts]]\n{fake}\n{quote}'
    )
    lines = text.split("\n")
    middle = lines.index('id = "f450"') - 1
    text = "\n".join(lines[:middle]) + "\n" + trick + "\n" + "\n".join(lines[middle:])
    assert build.split(text) == [build.Chunk(text, 1, 0, build.split(text)[0].digest)]
    folder = make_folder(tmp_path / "f", {"trade.toml": text})
    facts = same_as_fresh(run, folder)
    tricky = next(f for f in facts if f["id"] == "tricky")
    assert "[[facts]]" in tricky["note"]
    assert len(facts) == 901


def test_worker_processes_give_what_one_process_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    text = big_file(2000)
    jobs = [build.Parse("trade.toml", "trade", c, True) for c in build.split(text)]
    assert len(jobs) > 2
    here = list(build.Workers().map(jobs))  # below the size that starts workers
    monkeypatch.setattr(build, "PARALLEL_BYTES", 0)
    with build.workers() as pool:
        there = list(pool.map(jobs))
        assert pool._pool is not None  # the work was done by worker processes
    assert [(c.digest, r) for c, r in here] == [(c.digest, r) for c, r in there]
    assert sum(len(r.facts) for _, r in there if r) == 2000


def test_crlf_files_are_split_like_lf_files(run: Any, tmp_path: Path) -> None:
    text = big_file().replace("\n", "\r\n")
    chunks = build.split(text)
    assert len(chunks) > 1
    assert all(c.text.startswith("[[facts]]") for c in chunks[1:])
    folder = make_folder(tmp_path / "f", {"trade.toml": text.encode()})
    assert len(same_as_fresh(run, folder)) == 900
    trade = folder / "trade.toml"
    trade.write_bytes(trade.read_bytes().replace(b"Trade number 450 was", b"Commerce number 450 was"))
    assert any(f["statement"].startswith("Commerce number 450") for f in same_as_fresh(run, folder))


def test_one_chunk_to_parse_starts_no_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(build, "PARALLEL_BYTES", 0)
    chunks = build.split(big_file())
    jobs: list[build.Job] = [*chunks[:-1], build.Parse("trade.toml", "trade", chunks[-1])]  # all reused but the last
    with build.workers() as pool:
        results = list(pool.map(jobs))
        assert pool._pool is None
    assert [r is None for _, r in results] == [True] * (len(chunks) - 1) + [False]


def test_progress_is_reported_chunk_by_chunk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vnguangxi.index import Index
    from vnguangxi.load import scan

    monkeypatch.setenv("VNGUANGXI_CACHE_DIR", str(tmp_path / "cache"))
    folder = make_folder(tmp_path / "f", {"trade.toml": big_file()})
    files, _ = scan(folder)
    shares: list[float] = []
    Index.open(files, True, print, progress=shares.append)
    assert len(shares) == len(build.split(big_file())) > 1
    assert shares == sorted(shares) and abs(shares[-1] - 1.0) < 1e-9
    shares.clear()
    Index.open(files, True, print, progress=shares.append)  # nothing changed: nothing to report
    assert shares == []


def test_changed_files_stream_one_after_another(run: Any, tmp_path: Path) -> None:
    """Several large files are indexed in one stream of jobs (the workers go on to the next file before
    the rows of the one before are in). A file with a problem is reported alone and leaves nothing; the
    files around it are kept, and not read again once it is fixed; then all matches a fresh build."""
    from vnguangxi.index import Index

    def topic_file(prefix: str) -> str:
        return big_file(900).replace('id = "f', f'id = "{prefix}')

    files = {"border-gates.toml": topic_file("b"), "meetings.toml": topic_file("m"), "trade.toml": topic_file("t")}
    at = files["meetings.toml"].index('id = "m350"')
    bad = files["meetings.toml"][:at] + files["meetings.toml"][at:].replace('status = "done"', 'status = "dne"', 1)
    folder = make_folder(tmp_path / "f", {**files, "meetings.toml": bad})
    result = listing(run, folder)
    assert result.exit_code == 1 and result.stderr.count("unknown status 'dne'") == 1
    assert "meetings.toml:" in result.stderr and "trade.toml:" not in result.stderr
    (folder / "meetings.toml").write_text(files["meetings.toml"], encoding="utf-8")
    read: list[str] = []
    real = Index._read_file

    def reading(self: Index, f: Any, file_id: int | None) -> Any:
        read.append(Path(f.path).name)
        return real(self, f, file_id)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Index, "_read_file", reading)
        assert listing(run, folder).exit_code == 0
    assert read == ["meetings.toml"]  # the files around it were kept
    assert len(same_as_fresh(run, folder)) == 3 * 900


def test_the_look_ahead_holds_a_bounded_amount_of_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Deciding whether to start worker processes never pulls in more than LOOKAHEAD_BYTES of text: a stream
    of many files that hold little to parse (registry files, read whole) goes through a window at a time,
    not all read at once. Found by a review: 60 such files were all held in memory together."""

    class File:
        text = "x" * 60

    pulled: list[int] = []

    def jobs() -> Any:
        for i in range(10):
            pulled.append(i)
            yield File()

    monkeypatch.setattr(build, "LOOKAHEAD_BYTES", 100)
    results = build.Workers().map(jobs())
    assert next(results)[1] is None
    assert len(pulled) == 2  # 120 characters held: enough to decide
    assert len(list(results)) == 9 and len(pulled) == 10
