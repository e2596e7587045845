"""The console script's entry: Ctrl-C is answered from the first moment, before the CLI's imports.

A SIGINT while Typer and Rich are being imported would otherwise print a KeyboardInterrupt traceback.
Nothing is under way then, so the answer is simply exit 130. `cli.main` takes over Ctrl-C once it runs.

The cyclic garbage collector is off while the CLI is imported: importing Typer alone sets off some thirty
collections (about 4 ms, a tenth of a quick command), and what an import creates lives as long as the process.
Those objects are then frozen (never scanned again) and the collector runs as usual for the command itself.
"""

from __future__ import annotations

import gc
import os
import signal
from types import FrameType
from typing import NoReturn


def _early(signum: int, frame: FrameType | None) -> None:
    try:
        os.write(2, b"\n")
    except OSError:
        pass
    os._exit(130)


def main() -> NoReturn:
    signal.signal(signal.SIGINT, _early)
    gc.disable()
    try:
        from vnguangxi.cli import main as run
    finally:
        gc.freeze()
        gc.enable()
    run()
