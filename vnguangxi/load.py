"""Find fact folders and their files, read them safely and parse them with tomli.

Nothing here writes anywhere. Every failure becomes a DataError or a located Problem, never a traceback.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vnguangxi.errors import DataError
from vnguangxi.vocab import REGISTRIES, TOPICS

if TYPE_CHECKING:
    from vnguangxi.models import Problem

ENV_FACTS_DIR = "VNGUANGXI_FACTS_DIR"
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
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = os.path.relpath(root, folder)
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
        except OSError as exc:
            if exc.errno == errno.ELOOP:
                raise DataError(f"{path}: is a symlink loop") from None
            if exc.errno == errno.ENOENT:
                raise DataError(f"{path}: is a broken symlink") from None
            raise DataError(f"{path}: cannot be read: {exc.strerror or exc}") from None
        if stat.S_ISDIR(fst.st_mode):
            raise DataError(f"{path}: is a folder, not a fact file")
        kind = default_kind(name)
        files.append(FactFile(str(path), kind, fst.st_size, fst.st_mtime_ns, fst.st_ctime_ns, fst.st_ino))
    warnings = [] if files else [f"facts folder '{folder}' holds no fact files (*.toml)"]
    return files, warnings


def read_text(path: str) -> tuple[str | None, Problem | None]:
    """The file's text, decoded as UTF-8 (a leading byte-order mark is dropped), or a Problem."""
    from vnguangxi.models import Problem

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except OSError as exc:
        reason = {errno.EACCES: "permission denied", errno.ELOOP: "symlink loop", errno.EISDIR: "is a folder"}.get(
            exc.errno or 0, exc.strerror or str(exc)
        )
        return None, Problem(path, 1, f"cannot be read: {reason}")
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
    if not text.strip():
        return None, Problem(path, 1, "file is empty; a fact file holds [[facts]] tables (or delete it)")
    return text, None
