"""`vnguangxi check`: validate whole folders from their files (no cache) and report every problem."""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from vnguangxi.crosscheck import Locators, Part, cross_check
from vnguangxi.errors import DataError
from vnguangxi.load import scan
from vnguangxi.models import Problem
from vnguangxi.vocab import REGISTRIES

if TYPE_CHECKING:
    from vnguangxi.build import ChunkResult, Job, Workers
    from vnguangxi.load import FactFile
    from vnguangxi.validate import Record

ENV_ARTICLES_DIR = "VNGUANGXI_ARTICLES_DIR"


@dataclass
class CheckReport:
    folders: list[str]
    files: int = 0
    facts: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    excerpts_checked: int = 0
    excerpts_total: int = 0
    drafts: list[tuple[str, int, str]] = field(default_factory=list)  # (file, line, id) of draft facts

    def draft_notes(self) -> list[str]:
        """One line per fact still marked as a draft: valid, but not yet reviewed by a curator."""
        return [
            f"{path}:{line}: fact '{fid}' is a draft, not yet reviewed (listings hide it; delete "
            "`draft = true` once reviewed)"
            for path, line, fid in sorted(self.drafts)
        ]

    def lines(self) -> list[str]:
        """The report as people read it: every problem, the drafts not yet reviewed, then the summary."""
        return [*(str(p) for p in self.problems), *self.draft_notes(), self.summary()]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        n = len(self.problems)
        what = (
            f"{self.facts} facts in {self.files} files from {len(self.folders)} folder{'s' * (len(self.folders) != 1)}"
            f" ({', '.join(self.folder_names())})"
        )
        if self.drafts:
            what += f", {len(self.drafts)} of them draft{'s' * (len(self.drafts) != 1)} not yet reviewed"
        if self.excerpts_total:
            excerpts = f"{self.excerpts_checked} of {self.excerpts_total} excerpts checked against their articles"
        else:
            excerpts = "no excerpts"
        if n:
            return f"{n} problem{'s' * (n != 1)} found in {what}; {excerpts}"
        return f"no problems in {what}; {excerpts}"

    def folder_names(self) -> list[str]:
        from vnguangxi.load import builtin_dir

        builtin = str(builtin_dir())
        return ["built-in" if f == builtin else f for f in self.folders]

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "folders": self.folders,
            "files": self.files,
            "facts": self.facts,
            "excerpts_checked": self.excerpts_checked,
            "excerpts_total": self.excerpts_total,
            "problems": [p.to_dict() for p in self.problems],
            "warnings": self.warnings,
            "drafts": [{"file": p, "line": n, "id": i} for p, n, i in sorted(self.drafts)],
            "summary": self.summary(),
        }


def check_command(folders: Sequence[Path]) -> str:
    """The `vnguangxi check` command line that checks exactly these folders."""
    import shlex

    from vnguangxi.load import builtin_dir

    builtin = builtin_dir()
    mine = [shlex.quote(str(f)) for f in folders if f != builtin]
    flags = [] if builtin in folders else ["--no-builtin"]
    return " ".join(["vnguangxi check", *mine, *flags])


def article_dirs(given: Sequence[str], folders: Sequence[Path]) -> list[Path]:
    """Where article texts are looked for: --articles, $VNGUANGXI_ARTICLES_DIR, each folder's articles/."""
    out = [Path(p) for p in given]
    out += [Path(p) for p in os.environ.get(ENV_ARTICLES_DIR, "").split(os.pathsep) if p]
    out += [f / "articles" for f in folders]
    return out


def run_check(folders: Sequence[Path], articles: Sequence[str] = ()) -> CheckReport:
    from vnguangxi.articles import read_articles
    from vnguangxi.build import workers

    report = CheckReport([str(f) for f in folders])
    found = _Found()
    files: list[FactFile] = []
    for folder in folders:
        try:
            in_folder, warnings = scan(folder)
        except DataError as exc:
            report.problems.append(Problem(str(folder), 0, exc.message.replace(f"'{folder}' ", "").strip()))
            continue
        report.warnings.extend(warnings)
        files.extend(in_folder)
    report.files = len(files)
    with workers() as pool:
        _gather(files, pool, report, found)
    report.facts = sum(1 for _, _, refs in found.parts for fid in refs.ids if fid)
    bodies = read_articles(article_dirs(articles, folders), found.registries["sources"])
    report.excerpts_total = len(found.excerpts)
    report.excerpts_checked = sum(1 for e in found.excerpts if e[4] in bodies)
    report.problems.extend(
        cross_check(found.parts, found.registries, Locators(found.texts), found.invalid, found.excerpts, bodies)
    )
    report.problems.sort(key=Problem.sort_key)
    return report


@dataclass
class _Found:
    """What the files of a check hold, for the checks across files."""

    texts: dict[str, str] = field(default_factory=dict)
    parts: list[Part] = field(default_factory=list)
    excerpts: list[tuple[str, int, str, int, str, str]] = field(default_factory=list)
    registries: dict[str, list[Record]] = field(default_factory=lambda: {kind: [] for kind in REGISTRIES})
    invalid: dict[str, set[str]] = field(default_factory=lambda: {kind: set() for kind in REGISTRIES})


class _Whole(NamedTuple):
    """A file read in one piece (build.read_whole), checked here in its turn among the workers' results."""

    file: FactFile
    text: str


def _gather(files: Sequence[FactFile], pool: Workers, report: CheckReport, found: _Found) -> None:
    """Each file on its own, in one stream of jobs (the workers go on to the next file while this process
    takes in the one before): problems into the report, what the checks across files need into ``found``."""
    from vnguangxi.build import file_jobs, read, read_whole, whole

    def jobs() -> Iterator[Job]:
        for f in files:
            text, problems = read(f)
            report.problems.extend(problems)  # sorted with the others at the end
            if text is None:
                continue
            found.texts[f.path] = text
            if read_whole(f, text):
                yield _Whole(f, text)
            else:
                yield f  # its chunks follow
                yield from file_jobs(f, text, excerpts=True)

    current: FactFile | None = None
    for item, result in pool.map(jobs()):
        if isinstance(item, _Whole):
            _take(item.file.path, 0, whole(item.file, item.text, True), report, found)
        elif result is None:
            current = item
        else:
            assert current is not None
            _take(current.path, item.first_index, result, report, found)


def _take(path: str, start: int, result: ChunkResult, report: CheckReport, found: _Found) -> None:
    """What one chunk (or a file read whole) gives: its problems, its drafts, what the checks across files
    need of it."""
    from vnguangxi.build import Prepared
    from vnguangxi.crosscheck import ChunkRefs

    report.problems.extend(result.problems)
    refs = ChunkRefs.from_json(result.refs)
    found.parts.append((path, start, refs))
    found.excerpts.extend((path, start + k, refs.ids[k], j, sid, excerpt) for k, j, sid, excerpt in result.excerpts)
    for kind, records in result.registries.items():
        found.registries[kind].extend(records)
    for kind, ids in result.invalid_registry.items():
        found.invalid[kind].update(ids)
    rows = map(Prepared._make, result.facts)
    report.drafts.extend((path, p.line, p.id) for p in rows if p.draft)
