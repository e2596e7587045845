"""The frozen records the rest of the package passes around.

Imports nothing of the package but its vocabularies, so every stage may use it. Kept off the start-up
path of the JSON commands: dataclass creation costs a millisecond each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a fact folder, located as precisely as we can."""

    path: str
    line: int
    message: str
    column: int | None = None

    def __str__(self) -> str:
        if self.line <= 0:
            return f"{self.path}: {self.message}"
        where = f"{self.path}:{self.line}"
        if self.column is not None:
            where += f":{self.column}"
        return f"{where}: {self.message}"

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column or 0, self.message)

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class Source:
    id: str
    file: str
    publisher: str
    published: str
    title: str = ""
    publisher_basis: str = ""
    published_basis: str = ""
    language: str = ""
    url: str = ""
    republished_by: str = ""
    stored_copy: str = ""

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Source:
        return cls(
            id=d["id"],
            file=d["file"],
            publisher=d["publisher"],
            published=d["published"],
            title=d.get("title", ""),
            publisher_basis=d.get("publisher_basis", ""),
            published_basis=d.get("published_basis", ""),
            language=d.get("language", ""),
            url=d.get("url", ""),
            republished_by=d.get("republished_by", ""),
            stored_copy=d.get("stored_copy", ""),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "title": self.title,
            "publisher": self.publisher,
            "publisher_basis": self.publisher_basis,
            "published": self.published,
            "published_basis": self.published_basis,
            "language": self.language,
            "url": self.url,
            "republished_by": self.republished_by,
            "stored_copy": self.stored_copy,
        }


@dataclass(frozen=True)
class Link:
    """A dated reorganisation link between two places (Who's On First style)."""

    id: str
    date: str


@dataclass(frozen=True)
class Locality:
    id: str
    kind: str
    country: str
    name_en: str
    parent: str | None = None
    name_vi: str = ""
    name_zh: str = ""
    name_pinyin: str = ""
    aliases: tuple[str, ...] = ()
    note: str = ""
    superseded_by: tuple[Link, ...] = ()
    supersedes: tuple[Link, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Locality:
        return cls(
            id=d["id"],
            kind=d["kind"],
            country=d["country"],
            name_en=d["name_en"],
            parent=d.get("parent"),
            name_vi=d.get("name_vi", ""),
            name_zh=d.get("name_zh", ""),
            name_pinyin=d.get("name_pinyin", ""),
            aliases=tuple(d.get("aliases", ())),
            note=d.get("note", ""),
            superseded_by=tuple(Link(x["id"], x["date"]) for x in d.get("superseded_by", ())),
            supersedes=tuple(Link(x["id"], x["date"]) for x in d.get("supersedes", ())),
        )

    def names(self) -> tuple[str, ...]:
        """Every name and alias, in every script."""
        out = [self.id, self.name_en, self.name_vi, self.name_zh, self.name_pinyin, *self.aliases]
        return tuple(n for n in out if n)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "country": self.country,
            "parent": self.parent,
            "name_en": self.name_en,
            "name_vi": self.name_vi,
            "name_zh": self.name_zh,
            "name_pinyin": self.name_pinyin,
            "aliases": list(self.aliases),
            "note": self.note,
            "superseded_by": [{"id": x.id, "date": x.date} for x in self.superseded_by],
            "supersedes": [{"id": x.id, "date": x.date} for x in self.supersedes],
        }


@dataclass(frozen=True)
class Role:
    role: str
    organisation: str
    as_of: str
    source: str


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str = ""
    note: str = ""
    roles: tuple[Role, ...] = ()

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Person:
        return cls(
            id=d["id"],
            name=d["name"],
            aliases=tuple(d.get("aliases", ())),
            country=d.get("country", ""),
            note=d.get("note", ""),
            roles=tuple(
                Role(r["role"], r.get("organisation", ""), r.get("as_of", ""), r.get("source", ""))
                for r in d.get("roles", ())
            ),
        )

    def names(self) -> tuple[str, ...]:
        return (self.id, self.name, *self.aliases)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "aliases": list(self.aliases),
            "country": self.country,
            "note": self.note,
            "roles": [
                {"role": r.role, "organisation": r.organisation, "as_of": r.as_of, "source": r.source}
                for r in self.roles
            ],
        }
