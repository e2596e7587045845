"""Regenerate the README's example outputs and CLI reference from the real command.

Each block between `<!-- BEGIN generated: NAME -->` and `<!-- END generated: NAME -->` is rebuilt by running
`vnguangxi` on a pseudo-terminal 100 columns wide with NO_COLOR set, as a user at such a terminal sees it
(styles stripped). `--check` exits 1 if the README differs; a test runs it, so the README cannot drift.

    python tools/gen_readme.py          # rewrite README.md
    python tools/gen_readme.py --check  # fail if README.md is stale
"""

from __future__ import annotations

import os
import pty
import re
import select
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
WIDTH = 100
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")

EXAMPLES = [
    "vnguangxi list --topic trade --year 2023",
    'vnguangxi search "ban gioc" --limit 3',
    "vnguangxi show a18-dongxing-port-crossings-2023",
    "vnguangxi timeline --locality 'Móng Cái' --year 2026",
    "vnguangxi topics",
    "vnguangxi localities --country cn",
    "vnguangxi figures --series guangxi-vietnam-trade-value",
    "vnguangxi list --topic trade --year 2023 | head -3",
    "vnguangxi stats --topic trade --year 2023..2025",
    "vnguangxi check",
    "vnguangxi show a30-hanoi-nanning-train-resumed-2025-05-25 --json",
]


def _commands() -> list[str]:
    """The app's commands, from the app itself (so the reference never misses one)."""
    sys.path.insert(0, str(ROOT))
    from vnguangxi.cli import command_names

    return command_names()


def _executable() -> list[str]:
    beside = Path(sys.executable).with_name("vnguangxi")
    return [str(beside)] if beside.exists() else [sys.executable, "-m", "vnguangxi"]


def pty_output(command: list[str], env: dict[str, str], cwd: Path | None = None) -> str:
    """Run a command with a pseudo-terminal as stdout and return everything it wrote there, as is."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(command, stdout=slave, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    os.close(slave)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=60)
    os.close(master)
    return b"".join(chunks).decode()


def on_terminal(args: list[str], cache: str) -> str:
    """What the command draws on a 100-column terminal with NO_COLOR, styles removed."""
    unset = ("FORCE_COLOR", "VNGUANGXI_FACTS_DIR", "VNGUANGXI_ARTICLES_DIR")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(_pinned(cache))
    text = ANSI.sub("", pty_output([*_executable(), *args], env, ROOT)).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


def _pinned(cache: str) -> dict[str, str]:
    """The environment of every example: 100 columns, no colour, no pager, a private cache."""
    return {
        "COLUMNS": str(WIDTH),
        "LINES": "50",
        "NO_COLOR": "1",
        "TERM": "xterm",
        "PAGER": "",
        "VNGUANGXI_CACHE_DIR": cache,
    }


def in_a_pipe(example: str, cache: str) -> str:
    """What an example with a pipe ('vnguangxi list | head -3') prints: vnguangxi's stdout is a pipe."""
    unset = ("FORCE_COLOR", "VNGUANGXI_FACTS_DIR", "VNGUANGXI_ARTICLES_DIR")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(_pinned(cache))
    command = shlex.join(_executable()) + example[len("vnguangxi") :]
    done = subprocess.run(["sh", "-c", command], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    return "\n".join(line.rstrip() for line in done.stdout.strip("\n").splitlines())


def blocks(cache: str) -> dict[str, str]:
    examples = []
    for example in EXAMPLES:
        if " | " in example:
            output = in_a_pipe(example, cache)
        else:
            output = on_terminal(shlex.split(example)[1:], cache)
        examples.append(f"```console\n$ {example}\n{output}\n```")
    reference = [f"### `vnguangxi`\n\n```text\n{on_terminal(['--help'], cache)}\n```"]
    for name in _commands():
        reference.append(f"### `vnguangxi {name}`\n\n```text\n{on_terminal([name, '--help'], cache)}\n```")
    return {"examples": "\n\n".join(examples), "reference": "\n\n".join(reference)}


def render(text: str, generated: dict[str, str]) -> str:
    for name, body in generated.items():
        pattern = re.compile(
            rf"(<!-- BEGIN generated: {name} -->\n)(?:.*?\n)?(<!-- END generated: {name} -->)", flags=re.DOTALL
        )
        if not pattern.search(text):
            raise SystemExit(f"README.md has no block '{name}'")
        text = pattern.sub(lambda m, body=body: m[1] + body + "\n" + m[2], text)
    return text


def main() -> int:
    with tempfile.TemporaryDirectory() as cache:
        current = README.read_text(encoding="utf-8")
        fresh = render(current, blocks(cache))
    if "--check" in sys.argv[1:]:
        if fresh != current:
            print("README.md is out of date: run python tools/gen_readme.py")
            return 1
        return 0
    README.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
