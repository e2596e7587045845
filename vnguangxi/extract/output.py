"""Drafts as TOML files in the folder layout `check` validates, or as JSON like `list --json`."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vnguangxi.errors import DataError, UsageError
from vnguangxi.vocab import TOPICS

if TYPE_CHECKING:
    from vnguangxi.extract import Draft, Result


def _s(text: str) -> str:
    """A TOML basic string: JSON's string escapes are valid TOML."""
    return json.dumps(text, ensure_ascii=False)


def _v(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return _s(value)
    if isinstance(value, list):
        return "[" + ", ".join(_v(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_v(v)}" for k, v in value.items()) + " }"
    raise TypeError(type(value))


def fact_toml(d: Draft) -> str:
    rec = d.to_dict()
    lines = [f"# TODO: {t}" for t in d.todo]
    lines.append("[[facts]]")
    for key in ("id", "statement", "date", "date_kind", "date_basis", "status", "localities", "people"):
        lines.append(f"{key} = {_v(rec[key])}")
    if rec["quantity"] is not None:
        lines.append(f"quantity = {_v(rec['quantity'])}")
    lines.append(f"note = {_v(rec['note'])}")
    lines.append("draft = true")
    lines.append("")
    lines.append("[[facts.sources]]")
    lines.append(f"source = {_s(d.source)}")
    lines.append(f"excerpt = {_s(d.excerpt)}")
    return "\n".join(lines) + "\n"


def source_toml(entry: dict[str, Any]) -> str:
    lines = ["[[sources]]"]
    for key, value in entry.items():
        if value or key in ("id", "file", "publisher", "published"):
            lines.append(f"{key} = {_v(value)}")
    return "\n".join(lines) + "\n"


_HEAD = (
    "# Drafts written by `vnguangxi extract`: every fact is marked `draft = true` and is not yet reviewed.\n"
    "# For each: decide the TODOs above it, rewrite the statement in your own words, confirm the guessed topic\n"
    "# and status, then remove `draft = true`. Format: docs/FACTS.md.\n"
)


def _need_dates(results: Sequence[Result]) -> None:
    for r in results:
        if r.pub.text is None:
            raise UsageError(
                f"'{r.path}': no publication date in the article or the sources registry",
                "pass --published YYYY[-MM[-DD]] (or an interval START/END)",
            )


def files(results: Sequence[Result]) -> dict[str, str]:
    """File name → TOML text: one file per (guessed) topic, and sources.toml for unregistered articles."""
    _need_dates(results)
    by_topic: dict[str, list[Draft]] = {t: [] for t in TOPICS}
    for r in results:
        for d in r.drafts:
            by_topic[d.topic].append(d)
    out: dict[str, str] = {}
    for topic, drafts in by_topic.items():
        if drafts:
            out[f"{topic}.toml"] = _HEAD + "".join("\n" + fact_toml(d) for d in drafts)
    entries = [r.source_entry for r in results if r.source_entry is not None]
    if entries:
        seen: set[str] = set()
        parts = []
        for e in entries:
            if e["id"] not in seen:
                seen.add(e["id"])
                parts.append("\n" + source_toml(e))
        out["sources.toml"] = "# Sources of the drafts, from the articles' headers: check them.\n" + "".join(parts)
    return out


def one_document(results: Sequence[Result]) -> str:
    """All drafts as one TOML document (for stdout): sources first, each fact's guessed topic noted."""
    _need_dates(results)
    parts = [_HEAD]
    for r in results:
        if r.source_entry is not None:
            parts.append("\n" + source_toml(r.source_entry))
    for r in results:
        for d in r.drafts:
            parts.append(f"\n# topic (guessed): {d.topic}\n" + fact_toml(d))
    return "".join(parts)


def write(results: Sequence[Result], folder: Path) -> list[Path]:
    texts = files(results)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"cannot create '{folder}': {exc.strerror}") from None
    clash = [name for name in texts if (folder / name).exists()]
    if clash:
        raise DataError(
            f"'{folder / clash[0]}' already exists; extract never overwrites a file",
            "choose an empty folder with --out",
        )
    written = []
    for name, text in texts.items():
        path = folder / name
        try:
            path.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise DataError(f"cannot write '{path}': {exc.strerror}") from None
        written.append(path)
    return written


def to_json(results: Sequence[Result]) -> list[dict[str, Any]]:
    return [d.to_dict() for r in results for d in r.drafts]
