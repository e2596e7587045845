"""Speed budgets of vnguangxi, measured with the standard library (and jq for the comparison).

    python benchmarks/run.py            # all budgets
    python benchmarks/run.py --quick    # fewer repetitions

Start-up budgets are ratios against a bare interpreter importing the same libraries, measured in the same
run with interleaved repetitions, so machine noise cancels. The large-folder budgets build 100,000 facts
(the built-in facts replicated under new ids) in benchmarks/out/, and their JSON twin for jq.

Exit status 1 if a budget is missed. Run it on an installed `vnguangxi` (the one beside this Python);
the package is byte-compiled first, as pip does on a normal install.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import tomli

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
TARGET = 100_000
PY = sys.executable


def command() -> list[str]:
    beside = Path(PY).with_name("vnguangxi")
    if not beside.exists():
        sys.exit(f"no vnguangxi beside {PY}: install the package first (pip install .)")
    return [str(beside)]


def timed(cmd: Sequence[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (MB) of one run, output discarded."""
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode() if proc.stderr else ""
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss // 1024


def interleaved(commands: dict[str, list[str]], env: dict[str, str], repeat: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for cmd in commands.values():  # warm-up: caches, page cache, byte code
        timed(cmd, env)
    for _ in range(repeat):
        for name, cmd in commands.items():
            samples[name].append(timed(cmd, env)[0])
    return {name: statistics.median(xs) for name, xs in samples.items()}


def build_large(builtin: Path) -> tuple[Path, Path, int]:
    """A facts folder of >= TARGET facts (built-in facts replicated under new ids) and its JSON twin."""
    folder = OUT / "facts-100k"
    twin = OUT / "facts-100k.json"
    stamp = OUT / "facts-100k.stamp"
    source_files = sorted(builtin.glob("*.toml"))
    signature = json.dumps([[p.name, p.stat().st_size, p.stat().st_mtime_ns] for p in source_files] + [TARGET])
    if stamp.exists() and stamp.read_text() == signature and twin.exists():
        return folder, twin, json.loads(stamp.with_suffix(".count").read_text())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    topics = ["trade", "border-gates", "meetings", "people-to-people"]
    texts = {t: (builtin / f"{t}.toml").read_text(encoding="utf-8") for t in topics}
    per_copy = sum(text.count("\n[[facts]]") + text.startswith("[[facts]]") for text in texts.values())
    copies = -(-TARGET // per_copy)
    ids = [f["id"] for t in topics for f in tomli.loads(texts[t])["facts"]]
    quoted = re.compile('"(' + "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True)) + ')"')
    for topic in topics:
        body = texts[topic].split("\n", 3)[3]  # without the schema and comment lines
        with open(folder / f"{topic}.toml", "w", encoding="utf-8") as out:
            for n in range(copies):
                out.write(quoted.sub(lambda m, n=n: f'"{m[1]}-r{n}"', body))
                out.write("\n")
    for registry in ("sources", "localities", "people"):
        shutil.copy(builtin / f"{registry}.toml", folder / f"{registry}.toml")
    # The JSON twin: the same facts as the tool prints them, one array.
    env = {**os.environ, "VNGUANGXI_CACHE_DIR": tempfile.mkdtemp()}
    with open(twin, "wb") as out:
        subprocess.run(
            [*command(), "list", "--json", "--no-builtin", "--facts-dir", str(folder)], stdout=out, env=env, check=True
        )
    count = _count(twin)
    stamp.with_suffix(".count").write_text(str(count))
    stamp.write_text(signature)
    return folder, twin, count


def _size_mb(folder: Path) -> int:
    return round(sum(p.stat().st_size for p in folder.glob("*.toml")) / 1e6)


def _count(path: Path) -> int:
    """Facts in a JSON array file, counted in a separate process so this one stays small."""
    code = "import json,sys; print(len(json.load(open(sys.argv[1], encoding='utf-8'))))"
    return int(subprocess.run([PY, "-c", code, str(path)], capture_output=True, text=True, check=True).stdout)


def parse_floor(folder: Path) -> float:
    """Seconds to parse and check every fact file of ``folder`` with tomli on all cores, writing nothing.

    No correct first answer can come sooner: it is the floor under the empty-cache budget.
    """
    code = (
        "import multiprocessing as mp, os, sys, time, tomli\n"
        "from pathlib import Path\n"
        "from vnguangxi.build import split\n"
        "from vnguangxi.validate import check_file\n"
        "def work(job):\n"
        "    path, kind, c = job\n"
        "    check_file(path, kind, tomli.loads(c.text), c.text, c.first_index, c.first_line)\n"
        "if __name__ == '__main__':\n"
        "    start = time.perf_counter()\n"
        "    jobs = [(str(p), p.stem, c) for p in sorted(Path(sys.argv[1]).glob('*.toml'))\n"
        "            if p.stem not in ('sources', 'localities', 'people') for c in split(p.read_text('utf-8'))]\n"
        "    with mp.get_context('fork').Pool(os.cpu_count()) as pool:\n"
        "        pool.map(work, jobs, chunksize=1)\n"
        "    print(time.perf_counter() - start)\n"
    )
    return _seconds(code, folder)


def _seconds(code: str, folder: Path) -> float:
    """Run a timing snippet on ``folder`` in a fresh interpreter; it prints the seconds it measured."""
    out = subprocess.run([PY, "-c", code, str(folder)], capture_output=True, text=True, check=True).stdout
    return float(out)


def tomli_alone(folder: Path) -> float:
    """Seconds for tomli alone to parse every file of ``folder`` in one process: the yardstick of the
    architecture issue's budget (an empty-cache build at most 1.5 times this)."""
    code = (
        "import sys, time, tomli\n"
        "from pathlib import Path\n"
        "files = sorted(Path(sys.argv[1]).glob('*.toml'))\n"
        "start = time.perf_counter()\n"
        "for p in files:\n"
        "    tomli.loads(p.read_text('utf-8'))\n"
        "print(time.perf_counter() - start)\n"
    )
    return _seconds(code, folder)


def export_rows(
    cmd: list[str], env: dict[str, str], folder: Path, count: int, cold: float, warm_cache: str, repeat: int
) -> list[tuple[str, str, str, bool]]:
    """`vnguangxi export` of the large folder, against the empty-cache build it must not be slower than.

    Timed with the index current (the build is the cache's cost, paid once and timed in its own row), and
    once on an empty cache, for information: that run pays for the build and the export.
    """
    out = OUT / "facts-100k.db"
    export = [*cmd, "export", str(out), "--force", "--no-builtin", "--facts-dir", str(folder)]
    runs = [timed(export, {**env, "VNGUANGXI_CACHE_DIR": warm_cache}) for _ in range(repeat)]
    seconds, rss = statistics.median(r[0] for r in runs), max(r[1] for r in runs)
    size = out.stat().st_size / 1e6
    empty_cache = tempfile.mkdtemp(prefix="vnguangxi-bench-export-")
    try:
        from_empty, from_empty_rss = timed(export, {**env, "VNGUANGXI_CACHE_DIR": empty_cache})
    finally:
        shutil.rmtree(empty_cache, ignore_errors=True)
    for path in (out, out.with_name(out.stem + ".metadata.json")):
        path.unlink(missing_ok=True)
    return [
        (
            f"export OUT.db ({count:,} facts, {size:.0f} MB database)",
            f"{seconds:.2f} s, peak {rss} MB vs the empty-cache build {cold:.2f} s",
            "budget: no slower than that build, 300 MB",
            seconds <= cold and rss <= 300,
        ),
        (
            "export OUT.db on an empty cache (build + export)",
            f"{from_empty:.2f} s, peak {from_empty_rss} MB",
            "for information",
            True,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--export-only", action="store_true", help="only the empty-cache build and the export rows")
    args = parser.parse_args()
    repeat = 7 if args.quick else 21

    import vnguangxi as package
    from vnguangxi.load import builtin_dir

    compileall.compile_dir(str(Path(package.__file__).parent), quiet=1)
    OUT.mkdir(parents=True, exist_ok=True)
    cache = tempfile.mkdtemp(prefix="vnguangxi-bench-")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VNGUANGXI_")}
    env["VNGUANGXI_CACHE_DIR"] = cache
    cmd = command()
    rows: list[tuple[str, str, str, bool]] = []

    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}")
    print(f"python {platform.python_version()}; vnguangxi at {cmd[0]}\n")

    if args.export_only:
        folder, _, count = build_large(builtin_dir())
        big = [*cmd, "list", "--topic", "trade", "--year", "2025", "--json", "--no-builtin", "--facts-dir", str(folder)]
        cold_cache = tempfile.mkdtemp(prefix="vnguangxi-bench-cold-")
        cold = timed(big, {**env, "VNGUANGXI_CACHE_DIR": cold_cache})[0]
        rows.append((f"first query, empty cache ({count:,} facts)", f"{cold:.2f} s", "as below", True))
        rows += export_rows(cmd, env, folder, count, cold, cold_cache, 1 if args.quick else 3)
        return _report(rows, [cache, cold_cache])

    # 1. JSON on the built-in facts vs `import typer`
    m = interleaved(
        {"json": [*cmd, "list", "--topic", "trade", "--json"], "typer": [PY, "-c", "import typer"]}, env, repeat
    )
    ratio = m["json"] / m["typer"]
    rows.append(
        (
            "list --topic trade --json",
            f"{m['json'] * 1000:.1f} ms vs import typer {m['typer'] * 1000:.1f} ms",
            f"{ratio:.2f}x (budget 1.3x)",
            ratio <= 1.3,
        )
    )

    # 2. The table, piped, vs importing typer and Rich's console and table
    m = interleaved(
        {
            "table": [*cmd, "list", "--topic", "trade"],
            "rich": [PY, "-c", "import typer, rich.console, rich.table"],
        },
        env,
        repeat,
    )
    ratio = m["table"] / m["rich"]
    rows.append(
        (
            "list --topic trade (piped table)",
            f"{m['table'] * 1000:.1f} ms vs import typer+rich {m['rich'] * 1000:.1f} ms",
            f"{ratio:.2f}x (budget 1.3x)",
            ratio <= 1.3,
        )
    )

    # 3. 100,000 facts
    folder, twin, count = build_large(builtin_dir())
    big = [*cmd, "list", "--topic", "trade", "--year", "2025", "--json", "--no-builtin", "--facts-dir", str(folder)]
    colds = []
    for _ in range(1 if args.quick else 3):
        cold_cache = tempfile.mkdtemp(prefix="vnguangxi-bench-cold-")
        colds.append(timed(big, {**env, "VNGUANGXI_CACHE_DIR": cold_cache}))
        if len(colds) < (1 if args.quick else 3):
            shutil.rmtree(cold_cache, ignore_errors=True)
    cold, cold_rss = statistics.median(c[0] for c in colds), max(c[1] for c in colds)
    floor = parse_floor(folder)
    rows.append(
        (
            f"first query, empty cache ({count:,} facts, {_size_mb(folder)} MB)",
            f"{cold:.2f} s, peak {cold_rss} MB (tomli + checks alone: {floor:.2f} s)",
            "budget 3 s, 300 MB",
            cold <= 3 and cold_rss <= 300,
        )
    )
    alone = statistics.median(tomli_alone(folder) for _ in range(1 if args.quick else 3))  # as the build's
    rows.append(
        (
            "empty-cache build against tomli alone, one process",
            f"{cold:.2f} s vs {alone:.2f} s",
            f"{cold / alone:.2f}x (budget 1.5x)",
            cold <= 1.5 * alone,
        )
    )
    # One fact file changes: the first query after it. The largest file, edited once in its middle, then
    # with every fact changed (a bulk rewrite: nothing of it can be reused).
    largest = max(folder.glob("*.toml"), key=lambda p: p.stat().st_size)
    original = largest.read_bytes()
    middle = original.index(b'statement = "', len(original) // 2) + len(b'statement = "')
    changes = {
        f"first query after {largest.name} ({len(original) / 1e6:.0f} MB) changed": (
            original[:middle] + b"Edited: " + original[middle:]
        ),
        f"first query after every fact of {largest.name} changed": original.replace(
            b'statement = "', b'statement = "Rewritten: '
        ),
    }
    for name, changed_text in changes.items():
        try:
            largest.write_bytes(changed_text)
            changed, changed_rss = timed(big, {**env, "VNGUANGXI_CACHE_DIR": cold_cache})
        finally:
            largest.write_bytes(original)
        rows.append(
            (name, f"{changed:.2f} s, peak {changed_rss} MB", "budget 3 s, 300 MB", changed <= 3 and changed_rss <= 300)
        )
        timed(big, {**env, "VNGUANGXI_CACHE_DIR": cold_cache})  # re-index the restored file
    jq = shutil.which("jq")
    if jq is None:
        rows.append(("100k query vs jq", "jq not installed", "skipped", True))
    else:
        jq_filter = '[.[] | select(.topic == "trade" and .year <= 2025 and .year_end >= 2025)]'
        # Both must give the same answer (compared in a separate process: this one stays small).
        theirs, ours = OUT / "jq.json", OUT / "ours.json"
        with open(theirs, "wb") as out:
            subprocess.run([jq, "-c", jq_filter, str(twin)], stdout=out, check=True)
        with open(ours, "wb") as out:
            subprocess.run(big, stdout=out, env={**env, "VNGUANGXI_CACHE_DIR": cold_cache}, check=True)
        same = subprocess.run(
            [
                PY,
                "-c",
                "import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); sys.exit(a!=b)",
                str(theirs),
                str(ours),
            ]
        )
        if same.returncode != 0:
            print("warning: jq and vnguangxi disagree on the matching facts")
        answer = _count(ours)
        m = interleaved(
            {"vnguangxi": big, "jq": [jq, jq_filter, str(twin)]},
            {**env, "VNGUANGXI_CACHE_DIR": cold_cache},
            max(3, repeat // 3),
        )
        warm_rss = timed(big, {**env, "VNGUANGXI_CACHE_DIR": cold_cache})[1]
        ratio = m["vnguangxi"] / m["jq"]
        rows.append(
            (
                f"list --topic trade --year 2025 --json ({answer:,} of {count:,} facts)",
                f"{m['vnguangxi']:.3f} s vs jq {m['jq']:.3f} s, peak {warm_rss} MB",
                f"{ratio:.2f}x jq (budget < 1)",
                ratio < 1 and warm_rss <= 300,
            )
        )

    # The built-in facts, with the 100,000-fact folder indexed in the same cache directory: the same cost
    m = interleaved(
        {"json": [*cmd, "list", "--topic", "trade", "--json"], "typer": [PY, "-c", "import typer"]},
        {**env, "VNGUANGXI_CACHE_DIR": cold_cache},
        repeat,
    )
    ratio = m["json"] / m["typer"]
    rows.append(
        (
            "list --topic trade --json, built-in, 100k folder also cached",
            f"{m['json'] * 1000:.1f} ms vs import typer {m['typer'] * 1000:.1f} ms",
            f"{ratio:.2f}x (budget 1.3x)",
            ratio <= 1.3,
        )
    )

    # 4. export of the 100,000 facts, the index current
    rows += export_rows(cmd, env, folder, count, cold, cold_cache, 1 if args.quick else 3)
    return _report(rows, [cache, cold_cache])


def _report(rows: list[tuple[str, str, str, bool]], caches: list[str]) -> int:
    ok = True
    width = max(len(r[0]) for r in rows)
    for name, measured, budget, passed in rows:
        ok &= passed
        print(f"{'ok  ' if passed else 'MISS'} {name:<{width}}  {measured}  [{budget}]")
    for cache in caches:
        shutil.rmtree(cache, ignore_errors=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
