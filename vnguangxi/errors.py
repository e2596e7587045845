"""The one exception hierarchy and the exit statuses. Imports nothing of the package."""

from __future__ import annotations

from enum import IntEnum

# Characters that would break a one-line message (a bad value may hold any of them); tab is kept. C1
# controls too: a terminal may act on them.
_BREAKS = frozenset(chr(c) for c in (*range(0x00, 0x09), *range(0x0A, 0x20), *range(0x7F, 0xA0), 0x2028, 0x2029))


def one_line(text: str) -> str:
    """The text with line breaks and other control characters escaped as Python writes them: '\\n'."""
    if _BREAKS.isdisjoint(text):
        return text
    return "".join(repr(ch)[1:-1] if ch in _BREAKS else ch for ch in text)


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
    """A fact folder or file cannot be read or does not validate."""


class NotFoundError(VnGuangxiError):
    """An id asked for does not exist."""


class UsageError(VnGuangxiError):
    """A bad argument value (unknown topic, place, format; malformed year)."""

    exit_code = ExitStatus.USAGE
