"""The CLI's boundaries (architecture issue 9): one error guard for every command, Typer only in the CLI, Rich
only in render, and the search path working on records (no JSON written only to be read again)."""

from __future__ import annotations

import ast
import inspect
import json
from pathlib import Path
from typing import Any

import pytest

from vnguangxi import cli
from vnguangxi.cli import command_names
from vnguangxi.errors import DataError, NotFoundError, UsageError, VnGuangxiError

PACKAGE = Path(cli.__file__).parent

# The least each command needs to get as far as reading its folders.
ARGS: dict[str, list[str]] = {
    "list": [],
    "search": ["durian"],
    "show": ["a001-trade-value-2024"],
    "timeline": [],
    "topics": [],
    "localities": [],
    "sources": [],
    "people": [],
    "stats": [],
    "figures": [],
    "export": ["{tmp}/out.db"],
    "check": [],
    "extract": ["{tmp}/article.txt"],
}


def test_the_table_of_commands_is_complete() -> None:
    assert set(ARGS) == set(command_names())


@pytest.mark.parametrize("command", sorted(ARGS))
def test_no_command_guards_itself(command: str) -> None:
    """The guard and the format resolution live in `_command`, once; command bodies hold neither."""
    body = inspect.getsource(inspect.unwrap(cli._COMMANDS[command]))
    for banned in ("_guard", "VnGuangxiError", "except", "_format(", "typer.Exit(int(exc"):
        assert banned not in body, (command, banned)
    assert not hasattr(cli, "_guard")


@pytest.mark.parametrize("command", sorted(ARGS))
@pytest.mark.parametrize(
    ("error", "status"), [(DataError, 1), (NotFoundError, 1), (UsageError, 2), (VnGuangxiError, 1)]
)
def test_an_error_in_any_command_is_one_line_and_its_exit_status(
    run: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, command: str, error: type, status: int
) -> None:
    (tmp_path / "article.txt").write_text("Lạng Sơn exported 5 tonnes of durian in 2025.\n", encoding="utf-8")

    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error("broken\nfolder \x1b[31mred", "a hint\non two lines")

    monkeypatch.setattr("vnguangxi.load.folders_from", fail)
    result = run(command, *(a.format(tmp=tmp_path) for a in ARGS[command]))
    assert result.exit_code == status, (result.stdout, result.stderr)
    assert result.stderr == "vnguangxi: error: broken\\nfolder \\x1b[31mred\n  a hint\\non two lines\n"
    assert result.stdout == ""


@pytest.mark.parametrize("command", ["list", "show", "check"])
def test_format_errors_come_before_any_work(run: Any, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
    """--format and --json are resolved by the one boundary before the command reads anything."""
    monkeypatch.setattr("vnguangxi.load.folders_from", lambda *a, **k: pytest.fail("read before the format"))
    bad = run(command, *ARGS[command], "--format", "yaml")
    assert bad.exit_code == 2 and "unknown format 'yaml'" in bad.stderr
    both = run(command, *ARGS[command], "--format", "csv", "--json")
    assert both.exit_code == 2 and "--json and --format csv contradict each other" in both.stderr


# ------------------------------------------------------------------ who imports what


def _imports(path: Path) -> list[tuple[str, bool]]:
    """Top-level package of every import in a module, and whether it sits under `if TYPE_CHECKING:`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for child in node.body for n in ast.walk(child))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name.split(".")[0], id(node) in typing_only) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.module.split(".")[0], id(node) in typing_only))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_import_rules_see_every_module() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in MODULES}
    assert {"cli.py", "render.py", "query.py", "formats.py", "extract/guess.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_typer_only_in_the_cli_and_rich_only_in_render(path: Path) -> None:
    name = path.relative_to(PACKAGE).as_posix()
    for package, typing_only in _imports(path):
        if package in ("typer", "click"):
            assert name == "cli.py", f"{name} imports {package}"
        if package == "rich":
            # the CLI may name Rich's types, never load Rich itself: drawing is render's
            assert name == "render.py" or (name == "cli.py" and typing_only), f"{name} imports rich"


# ------------------------------------------------------------------ records, not JSON text


def test_search_prints_the_same_objects_as_list(run: Any) -> None:
    listed = {f["id"]: f for f in json.loads(run("list", "--json").stdout)}
    found = json.loads(run("search", "trade", "--json").stdout)
    assert found and all(f == listed[f["id"]] for f in found)
    lines = run("search", "trade", "-f", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in lines] == found


def test_search_never_writes_json_to_read_it_back(run: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import vnguangxi.cli as module

    monkeypatch.setattr(module, "_emit_facts", lambda *a, **k: pytest.fail("search went through stored JSON"))
    for fmt in ("json", "jsonl", "csv", "markdown", "table"):
        assert run("search", "trade", "-f", fmt).exit_code == 0


def test_figures_json_objects_are_list_objects(run: Any) -> None:
    listed = {f["id"]: f for f in json.loads(run("list", "--json").stdout)}
    figures = json.loads(run("figures", "--json").stdout)
    assert figures and all(f == listed[f["id"]] for f in figures)


def test_show_json_names_its_referrers(run: Any) -> None:
    shown = json.loads(run("show", "a001-trade-value-2024", "--json").stdout)
    assert isinstance(shown["referenced_by"], list)
    assert all(set(r) == {"id", "kind"} for r in shown["referenced_by"])


# ------------------------------------------------------------------ completion reads the name table


def test_place_completion_offers_what_place_resolution_accepts() -> None:
    """Every name completion offers (any script, pinyin included) names a place `--locality` accepts."""
    from vnguangxi.cli import _open_book

    book = _open_book(None, False, False, warn=False)
    table = book.names("localities")
    pinyin = [e["name_pinyin"] for e in book.registry("localities").values() if e.get("name_pinyin")]
    assert pinyin
    for name in pinyin:
        prefix = name[:3].lower()  # typed without care for case
        offered = table.candidates(prefix)
        assert name in offered, (name, offered)
    for name in table.candidates(""):
        assert book.resolve_place(name)
