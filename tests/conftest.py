"""Shared fixtures: an isolated environment for every test, the CLI runner, and paths."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from vnguangxi.cli import app
from vnguangxi.load import builtin_dir

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path(os.environ.get("VNGUANGXI_SEEDS", ROOT.parent / "shared" / "seeds"))
ARTICLES = Path(os.environ.get("VNGUANGXI_ARTICLES", ROOT.parent / "shared" / "articles"))
BUILTIN = builtin_dir()

# Pinned so that Rich and Typer render the same everywhere.
PINNED_ENV = {"COLUMNS": "100", "LINES": "50", "TERM": "dumb", "NO_COLOR": "1"}


@pytest.fixture(autouse=True)
def isolated_env(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No user folders, a private cache per test, pinned width and colour."""
    monkeypatch.delenv("VNGUANGXI_FACTS_DIR", raising=False)
    monkeypatch.delenv("VNGUANGXI_ARTICLES_DIR", raising=False)
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    monkeypatch.setenv("PAGER", "")  # no pager in tests, but where one asks for it
    monkeypatch.setenv("VNGUANGXI_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
    for key, value in PINNED_ENV.items():
        monkeypatch.setenv(key, value)
    yield


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


class Run:
    """Invoke the app in-process and keep stdout, stderr and the exit code apart."""

    def __init__(self, runner: CliRunner) -> None:
        self.runner = runner

    def __call__(self, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
        result = self.runner.invoke(app, list(args), env=env, catch_exceptions=False)
        return result


@pytest.fixture
def run(runner: CliRunner) -> Run:
    return Run(runner)


@pytest.fixture
def seeds() -> Path:
    if not (SEEDS / "000_d0c2f2dd54634011.txt").exists():
        pytest.skip(f"article texts not found at {SEEDS} (they are not shipped; set VNGUANGXI_SEEDS)")
    return SEEDS


@pytest.fixture
def articles() -> Path:
    if not (ARTICLES / "30_2026-hanoi-nanning-train-spring-festival.txt").exists():
        pytest.skip(f"article texts not found at {ARTICLES} (they are not shipped; set VNGUANGXI_ARTICLES)")
    return ARTICLES


@pytest.fixture
def facts_copy(tmp_path: Path) -> Path:
    """A private copy of the built-in facts that a test may change."""
    dest = tmp_path / "facts"
    shutil.copytree(BUILTIN, dest)
    return dest
