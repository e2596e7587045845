"""The README cannot drift: generated blocks, the two quick-start commands, CI, JSON fields."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    return re.findall(r"```sh\n(python3 -m venv .*?)\n```", README)


def test_generated_blocks_are_current() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "gen_readme.py"), "--check"], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_two_quick_start_commands() -> None:
    install, tests = _commands()[:2]
    assert "pip install ." in install and "vnguangxi list" in install
    assert "'.[test]'" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    tests = _commands()[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
    assert "ruff check" in ci and "ruff format --check" in ci and "mypy" in ci


def test_every_json_field_is_documented(run: Any) -> None:
    fact = json.loads(run("show", "a001-trade-value-2024", "--json").stdout)
    documented = set(re.findall(r"^\| `([a-z_]+)` \|", README, flags=re.M))
    assert set(fact) - {"referenced_by"} <= documented
    assert "referenced_by" in README
    for key in fact["quantity"]:
        assert f"`{key}`" in README
