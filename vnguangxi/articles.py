"""The articles the facts cite: reading them, their body without the header, the passage closest to an
excerpt that is not found verbatim."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vnguangxi.validate import Record


def closest_passage(excerpt: str, article: str) -> str:
    """'; closest passage: "…" ({-ours-}{+theirs+} marks the differences)', or '' if nothing is close.

    The article is scanned in windows of the excerpt's length starting at each word; the window most like
    the excerpt is compared character by character.
    """
    import difflib

    size = len(excerpt)
    if not size or not article:
        return ""
    starts = [0, *(i + 1 for i, ch in enumerate(article) if ch.isspace())]
    if len(starts) > 20_000:
        return ""
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(excerpt)
    best, best_ratio = "", 0.0
    for start in starts:
        window = article[start : start + size]
        matcher.set_seq1(window)
        if matcher.real_quick_ratio() <= best_ratio or matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = window, ratio
    if best_ratio < 0.6:
        return ""
    if not excerpt[-1].isspace():
        best = best.rstrip()
    ops = difflib.SequenceMatcher(None, excerpt, best, autojunk=False).get_opcodes()
    marked = "".join(
        best[j1:j2]
        if tag == "equal"
        else (f"{{-{excerpt[i1:i2]}-}}" if i2 > i1 else "") + (f"{{+{best[j1:j2]}+}}" if j2 > j1 else "")
        for tag, i1, i2, j1, j2 in ops
    )
    return f'; closest passage: "{marked}" ({{-excerpt-}}{{+article+}} mark the differences)'


_HEADER_KEYS = ("url:", "title:", "published:", "publisher:", "language:", "note:")


def article_body(text: str) -> str:
    """The article's own text: after the header block (``url:``, ``title:`` … lines, then a blank line)
    where the file has one, as in the further-articles folder; the whole text otherwise."""
    if not text.startswith(_HEADER_KEYS):
        return text
    head, sep, body = text.partition("\n\n")
    if not sep or not all(line.startswith(_HEADER_KEYS) or line[:1].isspace() for line in head.splitlines()):
        return text
    return body


def read_articles(folders: Iterable[Path], sources: Iterable[Record]) -> dict[str, str]:
    """Article texts by source id, from the first folder holding each source's file."""
    from vnguangxi.load import NotReadable, read_regular
    from vnguangxi.validate import plain_file_name

    out: dict[str, str] = {}
    folder_list = list(folders)
    for rec in sources:
        name = rec.data["file"]
        if not plain_file_name(name):
            continue  # reported by the source's own check; never looked for outside the articles folders
        for folder in folder_list:
            try:
                out[rec.data["id"]] = article_body(read_regular(folder / name).decode("utf-8-sig"))
                break
            except (OSError, NotReadable, UnicodeDecodeError):
                continue
    return out
