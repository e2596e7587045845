"""`vnguangxi check`: validate whole folders from their files (no cache) and report every problem."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from vnguangxi.errors import DataError
from vnguangxi.load import parse_file, scan
from vnguangxi.models import Problem
from vnguangxi.validate import FactRefs, Locators, Record, cross_check, read_articles
from vnguangxi.vocab import TOPICS

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

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        n = len(self.problems)
        what = (
            f"{self.facts} facts in {self.files} files from {len(self.folders)} folder{'s' * (len(self.folders) != 1)}"
        )
        if self.excerpts_total:
            excerpts = f"{self.excerpts_checked} of {self.excerpts_total} excerpts checked against their articles"
        else:
            excerpts = "no excerpts"
        if n:
            return f"{n} problem{'s' * (n != 1)} found in {what}; {excerpts}"
        return f"no problems in {what}; {excerpts}"

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
            "summary": self.summary(),
        }


def article_dirs(given: Sequence[str], folders: Sequence[Path]) -> list[Path]:
    """Where article texts are looked for: --articles, $VNGUANGXI_ARTICLES_DIR, each folder's articles/."""
    out = [Path(p) for p in given]
    out += [Path(p) for p in os.environ.get(ENV_ARTICLES_DIR, "").split(os.pathsep) if p]
    out += [f / "articles" for f in folders]
    return out


def run_check(folders: Sequence[Path], articles: Sequence[str] = ()) -> CheckReport:
    report = CheckReport([str(f) for f in folders])
    texts: dict[str, str] = {}
    records: list[Record] = []
    registries: dict[str, list[Record]] = {"sources": [], "localities": [], "people": []}
    invalid: dict[str, set[str]] = {"facts": set(), "sources": set(), "localities": set(), "people": set()}
    for folder in folders:
        try:
            files, warnings = scan(folder)
        except DataError as exc:
            report.problems.append(Problem(str(folder), 0, exc.message.replace(f"'{folder}' ", "").strip()))
            continue
        report.warnings.extend(warnings)
        for f in files:
            report.files += 1
            result, text = parse_file(f)
            if text is not None:
                texts[f.path] = text
            report.problems.extend(result.problems)
            if f.kind:
                invalid["facts" if f.kind in TOPICS else f.kind].update(result.invalid_ids)
            if f.kind in TOPICS:
                records.extend(result.records)
            elif f.kind:
                registries[f.kind].extend(result.records)
    report.facts = len(records)
    bodies = read_articles(article_dirs(articles, folders), registries["sources"])
    report.excerpts_total = sum(len(r.data["sources"]) for r in records)
    report.excerpts_checked = sum(1 for r in records for s in r.data["sources"] if s["source"] in bodies)
    facts = [FactRefs.from_record(r) for r in records]
    report.problems.extend(cross_check(facts, registries, Locators(texts), bodies, invalid))
    report.problems.sort(key=Problem.sort_key)
    return report
