"""The console script's entry: Ctrl-C is answered from the first moment, before the CLI's imports.

A SIGINT while Typer and Rich are being imported would otherwise print a KeyboardInterrupt traceback.
Nothing is under way then, so the answer is simply exit 130. `cli.main` takes over Ctrl-C once it runs.
"""

from __future__ import annotations

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
    from vnguangxi.cli import main as run

    run()
