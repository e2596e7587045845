"""The installed command, run as a user runs it: a separate process, pipes, signals, terminals."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import FACT, make_folder

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from gen_readme import pty_output  # noqa: E402  (the README generator runs commands on a terminal too)

SCRIPT = Path(sys.executable).with_name("vnguangxi")


def command() -> list[str]:
    if not SCRIPT.exists():
        pytest.fail(f"the vnguangxi command is not installed beside {sys.executable}; run the README's install command")
    return [str(SCRIPT)]


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*command(), *args], capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=cwd, timeout=120
    )


def test_installed_command_from_any_folder(tmp_path: Path) -> None:
    result = run("list", "--topic", "trade", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data and all(f["topic"] == "trade" for f in data)
    assert run("--version").stdout.startswith("vnguangxi ")


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "vnguangxi", "topics", "--json"], capture_output=True, text=True, cwd=tmp_path
    )
    assert result.returncode == 0 and len(json.loads(result.stdout)) == 4


def test_same_output_in_and_out_of_process(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from vnguangxi.cli import app

    inproc = CliRunner().invoke(app, ["list", "-t", "meetings", "--json"])
    assert run("list", "-t", "meetings", "--json").stdout == inproc.stdout


def test_piping_into_head_ends_quietly() -> None:
    proc = subprocess.Popen([*command(), "list"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    code = proc.wait(timeout=60)
    assert err == "" and code in (0, 1)
    # Output cut short by the reader: no message, and exit 1 (Python's own convention for EPIPE).
    shell = _bash(f"{command()[0]} list --json | head -c 10 >/dev/null; exit ${{PIPESTATUS[0]}}")
    assert shell.stderr == "" and shell.returncode == 1
    for args in (["list"], ["timeline"], ["localities"], ["stats"]):
        cut = _bash(f"{command()[0]} {' '.join(args)} | head -n 1 >/dev/null")
        assert cut.stderr == "", args


def _bash(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(script, shell=True, executable="/bin/bash", capture_output=True, text=True)


def test_ctrl_c_exits_130_quietly(tmp_path: Path) -> None:
    big = "\n".join(FACT.replace('"f1"', f'"f{i}"') for i in range(40_000))
    folder = make_folder(tmp_path / "f", {"trade.toml": big})
    env = {**os.environ, "VNGUANGXI_CACHE_DIR": str(tmp_path / "cache")}
    proc = subprocess.Popen(
        [*command(), "list", "--no-builtin", "--facts-dir", str(folder)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    time.sleep(1.0)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err.decode()
    assert b"Traceback" not in err


def _on_a_terminal(*args: str, env: dict[str, str]) -> str:
    return pty_output([*command(), *args], env)


def has_colour(text: str) -> bool:
    """True if any SGR sequence sets a foreground or background colour (bold and italic are not colour)."""
    for params in re.findall(r"\x1b\[([\d;]*)m", text):
        codes = [int(p) for p in params.split(";") if p]
        if any(30 <= c <= 48 or 90 <= c <= 107 for c in codes):
            return True
    return False


def test_colour_on_a_terminal_and_never_otherwise() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "TERM")}
    env.update({"TERM": "xterm-256color", "COLUMNS": "120"})
    coloured = _on_a_terminal("timeline", "-t", "trade", env=env)
    assert has_colour(coloured)
    assert not has_colour(_on_a_terminal("timeline", "-t", "trade", env={**env, "NO_COLOR": "1"}))
    assert not has_colour(_on_a_terminal("timeline", "-t", "trade", "--no-color", env=env))
    piped = run("timeline", "-t", "trade", env={"TERM": "xterm-256color"})
    assert "\x1b[" not in piped.stdout


def test_facts_dir_flag_beats_the_environment(tmp_path: Path) -> None:
    a = make_folder(tmp_path / "a", {"trade.toml": FACT.replace('"f1"', '"from-a"')})
    b = make_folder(tmp_path / "b", {"trade.toml": FACT.replace('"f1"', '"from-b"')})
    env = {"VNGUANGXI_FACTS_DIR": str(a)}
    by_env = {f["id"] for f in json.loads(run("list", "--json", "--no-builtin", env=env).stdout)}
    assert by_env == {"from-a"}
    by_flag = {
        f["id"] for f in json.loads(run("list", "--json", "--no-builtin", "--facts-dir", str(b), env=env).stdout)
    }
    assert by_flag == {"from-b"}
    no_registries = {"sources.toml": None, "localities.toml": None, "people.toml": None}
    c = make_folder(tmp_path / "c", {**no_registries, "trade.toml": FACT.replace('"f1"', '"from-c"')})
    both = run("list", "--json", "--no-builtin", env={"VNGUANGXI_FACTS_DIR": os.pathsep.join([str(a), str(c)])})
    assert {f["id"] for f in json.loads(both.stdout)} == {"from-a", "from-c"}


def test_user_facts_add_to_the_builtin_ones(tmp_path: Path) -> None:
    no_registries = {"sources.toml": None, "localities.toml": None, "people.toml": None}
    mine = (
        FACT.replace('"f1"', '"my-fact"')
        .replace('["qn"]', '["mong-cai"]')
        .replace('source = "s1"', 'source = "000_d0c2f2dd54634011"')
        .replace("exceeded 300 billion CNY last year", "last year")
    )
    folder = make_folder(tmp_path / "mine", {**no_registries, "trade.toml": mine})
    result = run("list", "-l", "Quảng Ninh", "--json", "--facts-dir", str(folder))
    found = {f["id"] for f in json.loads(result.stdout)}
    assert "my-fact" in found and len(found) > 1


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to copy the tracked tree")
@pytest.mark.parametrize("editable", [False, True], ids=["plain", "editable"])
def test_fresh_install_carries_the_facts(tmp_path: Path, editable: bool) -> None:
    """pip install . and pip install -e . both give a command that finds the built-in facts."""
    tree = tmp_path / "tree"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (f.decode() for f in files)):
        (tree / name).parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, tree / name)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    # Borrow this environment's dependencies (typer, rich, tomli) without downloading them again.
    import sysconfig

    (purelib,) = {sysconfig.get_paths()["purelib"]}
    site = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(site, "_borrowed.pth").write_text(purelib + "\n", encoding="utf-8")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps"]
    subprocess.run([*pip, *(["-e"] if editable else []), str(tree)], check=True, capture_output=True)
    exe = venv / "bin" / "vnguangxi"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(exe), "list", "-t", "trade", "--json"], capture_output=True, text=True, cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "from vnguangxi.load import builtin_dir; print(builtin_dir())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
    ).stdout.strip()
    if editable:
        assert where == str(tree / "facts")
    else:
        assert where.endswith(os.path.join("site-packages", "vnguangxi", "facts"))


@pytest.mark.parametrize(
    ("words", "cword", "expected"),
    [
        ("vnguangxi list --topic ", 3, {"trade", "border-gates", "meetings", "people-to-people"}),
        ("vnguangxi list -l mong-cai-b", 3, {"mong-cai-border-gate", "mong-cai-border-gate-economic-zone"}),
        ("vnguangxi show a001-trade-v", 2, {"a001-trade-value-2024"}),
        ("vnguangxi list -f js", 3, {"json", "jsonl"}),
    ],
)
def test_shell_completion(words: str, cword: int, expected: set[str]) -> None:
    env = {"_VNGUANGXI_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(cword)}
    result = run(env=env)
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) == expected


def test_shell_completion_of_place_names_in_any_script() -> None:
    env = {"_VNGUANGXI_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "vnguangxi list -l Mó"}
    assert "Móng\\ Cái" in run(env=env).stdout  # escaped for zsh (test_reading: what zsh makes of it)
    env["_TYPER_COMPLETE_ARGS"] = "vnguangxi list -l 芒"
    assert "芒街" in run(env=env).stdout


@pytest.mark.parametrize("args", [["list", "--topic", "trade", "--json"], ["list", "--topic", "trade"]])
def test_hot_paths_import_only_what_they_need(args: list[str]) -> None:
    """JSON and piped tables never load Rich; no command loads importlib.metadata or, once the index is
    current, the builder (multiprocessing, tomli)."""
    assert run(*args).returncode == 0  # bring the index up to date first
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "vnguangxi", *args], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "vnguangxi.cli" in loaded
    for module in (
        "rich",
        "importlib.metadata",
        "vnguangxi.build",
        "multiprocessing",
        "tomli",
        "pydantic",
        "vnguangxi.extract",
        "vnguangxi.export",
        "vnguangxi.check",
        "vnguangxi.validate",
        "vnguangxi.models",
    ):
        assert module not in loaded, module
