"""The one exception hierarchy and the exit statuses. Imports nothing of the package but `safe`."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from vnguangxi.safe import visible


def one_line(text: str) -> str:
    """The text with line breaks, other controls and bidi characters escaped as Python writes them: '\\n'.

    A bad value may hold any of them; a tab is kept.
    """
    return visible(text, keep="\t")


class ExitStatus(IntEnum):
    """Process exit codes, as documented in the README."""

    OK = 0
    ERROR = 1  # bad fact files, unknown fact id, runtime failures
    USAGE = 2  # bad arguments (Typer's own usage errors use 2 as well)
    INTERRUPTED = 130


class VnGuangxiError(Exception):
    """Base of every error the CLI reports as a short message instead of a traceback."""

    exit_code: ExitStatus = ExitStatus.ERROR

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class DataError(VnGuangxiError):
    """A fact folder or file cannot be read or does not validate; ``problems`` holds every problem found
    when it comes from validation (each a located `models.Problem`)."""

    problems: list[Any] = []


class NotFoundError(VnGuangxiError):
    """An id asked for does not exist."""


class UsageError(VnGuangxiError):
    """A bad argument value (unknown topic, place, format; malformed year)."""

    exit_code = ExitStatus.USAGE
