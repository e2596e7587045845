"""Find fact folders and their files, read them safely and parse them with tomli.

Nothing here writes anywhere. Every failure becomes a DataError or a located Problem, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vnguangxi.errors import DataError, UsageError
from vnguangxi.vocab import REGISTRIES, TOPICS

if TYPE_CHECKING:
    from vnguangxi.models import Problem

ENV_FACTS_DIR = "VNGUANGXI_FACTS_DIR"
MIB = 1024 * 1024
MAX_FILE_BYTES = 256 * MIB  # per fact file or article: the 100,000-fact benchmark files are about 45 MB
KNOWN_FILES = ", ".join(f"{name}.toml" for name in (*TOPICS, *REGISTRIES))


def builtin_dir() -> Path:
    """The built-in facts: inside the installed package, or the source tree's ``facts/``."""
    package = Path(__file__).resolve().parent
    inside = package / "facts"
    if inside.is_dir():
        return inside
    return package.parent / "facts"


class FactFile(NamedTuple):
    """One file of a facts folder, with the stat data the cache is keyed on."""

    path: str
    kind: str  # what its name says: a topic id, a registry name, or "" (see default_kind)
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int

    @property
    def signature(self) -> tuple[str, int, int, int, int]:
        return (self.path, self.size, self.mtime_ns, self.ctime_ns, self.inode)


def folders_from(facts_dirs: list[str] | None, no_builtin: bool) -> list[Path]:
    """The folders in use: built-in (unless left out), then the flags, or else the environment."""
    folders: list[Path] = [] if no_builtin else [builtin_dir()]
    if facts_dirs:
        if any(not p for p in facts_dirs):
            raise UsageError("--facts-dir '' names no folder", "give a folder, e.g. --facts-dir . for this one")
        chosen = list(facts_dirs)
    else:
        chosen = [p for p in os.environ.get(ENV_FACTS_DIR, "").split(os.pathsep) if p]
    folders.extend(Path(p) for p in chosen)
    return folders


def _folder_error(folder: Path, exc: OSError) -> DataError:
    if exc.errno == errno.ENOENT:
        return DataError(f"facts folder '{folder}' does not exist", "give a folder holding fact files, e.g. trade.toml")
    if exc.errno == errno.ENOTDIR:
        return DataError(
            f"'{folder}' is a file, not a folder",
            f"--facts-dir and {ENV_FACTS_DIR} take folders holding {KNOWN_FILES}",
        )
    if exc.errno == errno.ELOOP:
        return DataError(f"facts folder '{folder}' is a symlink loop")
    if exc.errno == errno.EACCES:
        return DataError(f"facts folder '{folder}' cannot be read: permission denied")
    return DataError(f"facts folder '{folder}' cannot be read: {exc.strerror or exc}")


def default_kind(relative: str) -> str:
    """What a file's name says about it: a registry or topic file name, else the nearest folder named after
    a topic (``trade/2025/hanoi.toml`` → ``trade``), else ``""`` (its facts must then name their topic)."""
    parts = relative.replace(os.sep, "/").split("/")
    stem = parts[-1][: -len(".toml")]
    if stem in TOPICS or stem in REGISTRIES:
        return stem
    for folder in reversed(parts[:-1]):
        if folder in TOPICS:
            return folder
    return ""


def _walk(folder: Path) -> list[str]:
    """The .toml files under a folder, recursively, as paths relative to it, sorted; hidden ones skipped."""
    found: list[str] = []
    errors: list[OSError] = []
    for root, dirs, names in os.walk(folder, onerror=errors.append):
        rel = os.path.relpath(root, folder)
        # a folder named like a fact file is listed (reading it reports the problem), not walked into
        names = [*names, *(d for d in dirs if d.endswith(".toml"))]
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not d.endswith(".toml"))
        for name in names:
            if name.endswith(".toml") and not name.startswith("."):
                found.append(name if rel == "." else os.path.join(rel, name))
    if errors and errors[0].filename == str(folder):
        raise errors[0]
    return sorted(found, key=lambda r: r.split(os.sep))


def scan(folder: Path) -> tuple[list[FactFile], list[str]]:
    """The .toml files of a folder and of the folders inside it (sorted) and warnings; raises DataError if
    the folder is unusable."""
    try:
        st = folder.stat()
    except OSError as exc:
        raise _folder_error(folder, exc) from None
    if not stat.S_ISDIR(st.st_mode):
        raise _folder_error(folder, OSError(errno.ENOTDIR, "not a directory"))
    try:
        names = _walk(folder)
    except OSError as exc:
        raise _folder_error(folder, exc) from None
    files: list[FactFile] = []
    for name in names:
        path = folder / name
        try:
            fst = path.stat()
        except OSError:
            # A broken symlink or a symlink loop: listed all the same, so that reading it reports the
            # problem in its place and the other files are still read and checked.
            try:
                fst = path.lstat()
            except OSError:
                continue  # gone since the folder was listed
        kind = default_kind(name)
        files.append(FactFile(str(path), kind, fst.st_size, fst.st_mtime_ns, fst.st_ctime_ns, fst.st_ino))
    warnings = [] if files else [f"facts folder '{folder}' holds no fact files (*.toml)"]
    return files, warnings


class NotReadable(OSError):
    """A path that is not a regular file, or one too large to read (its str is the reason)."""


def _not_regular(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def read_regular(path: str | Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes.

    Raises OSError, or NotReadable for a folder, a FIFO, a device or a socket (opened without blocking and
    never read: a FIFO would wait for a writer for ever, /dev/zero never ends) and for a file too large.
    """
    limit = MAX_FILE_BYTES if limit is None else limit
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        reason = _not_regular(st.st_mode)
        if reason:
            raise NotReadable(f"{reason}; only regular files are read")
        if st.st_size > limit:
            raise NotReadable(f"is {st.st_size / MIB:,.0f} MiB; files are read up to {limit // MIB} MiB")
    except BaseException:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise NotReadable(f"is over {limit // MIB} MiB; files are read up to {limit // MIB} MiB")
    return data


def _os_reason(path: str, exc: OSError) -> str:
    if exc.errno == errno.ENOENT and os.path.islink(path):
        return "is a broken symlink"
    reason = {errno.EACCES: "permission denied", errno.ELOOP: "symlink loop", errno.EISDIR: "is a folder"}.get(
        exc.errno or 0, exc.strerror or str(exc)
    )
    return f"cannot be read: {reason}"


def read_text(path: str) -> tuple[str | None, Problem | None]:
    """The file's text, decoded as UTF-8 (a leading byte-order mark is dropped), or a Problem."""
    from vnguangxi.models import Problem

    try:
        raw = read_regular(path)
    except NotReadable as exc:
        return None, Problem(path, 1, str(exc))
    except OSError as exc:
        return None, Problem(path, 1, _os_reason(path, exc))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, Problem(
            path, line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the file as UTF-8", column
        )
    if text.startswith("\ufeff"):
        text = text[1:]
    if not text or text.isspace():  # not strip(): that would copy a large file to look at its ends
        return None, Problem(path, 1, "file is empty; a fact file holds [[facts]] tables (or delete it)")
    return text, None
