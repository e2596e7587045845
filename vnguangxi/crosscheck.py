"""Every rule that spans files, in one implementation: `check` and the index build both call it.

- ids are unique: facts everywhere (in one file or across files), each registry within its kind;
- references resolve: places, people and sources to their registries, ``conflicts_with`` and
  ``related`` to facts;
- links are mirrored: ``conflicts_with`` both ways, ``superseded_by``/``supersedes`` with the same date;
- place hierarchies reach a country, and the country they reach is the one declared;
- (``check`` only, with the articles at hand) excerpts are verbatim in their articles.

The facts arrive as ``ChunkRefs``, a summary of each chunk of facts that the worker which parsed the chunk
writes (``build``) and the index stores beside the chunk: so the checks of a set of 100,000 facts merge a
few hundred summaries, and an edit to one file reads the others' summaries rather than their facts.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from vnguangxi.locate import KeyPath, Locator
from vnguangxi.models import Problem
from vnguangxi.text import suggest
from vnguangxi.vocab import REGISTRIES

if TYPE_CHECKING:
    from vnguangxi.names import NameTable
    from vnguangxi.validate import Record

REF_KEYS = ("localities", "people", "sources", "conflicts_with", "related")  # what a fact names
SUGGEST_LIMIT = 5000  # fact ids to suggest from: comparing against more costs more than it helps


@dataclass(slots=True)
class ChunkRefs:
    """What the checks across files need of one chunk of facts.

    ``ids[k]`` is the id of the chunk's k-th fact ("" when it has none usable). ``named[key][value]``
    lists where a value is named, as flat pairs ``[k, j, k, j, …]``: the k-th fact names it as item j of
    its ``key`` list. ``invalid`` holds the ids of facts that failed their own checks (only `check` sees
    those: the index stores no file with problems); references to them are not reported again.
    """

    ids: list[str] = field(default_factory=list)
    named: dict[str, dict[str, list[int]]] = field(default_factory=dict)
    invalid: list[str] = field(default_factory=list)

    def add(self, k: int, fid: str, lists: Iterable[tuple[str, list[str]]]) -> None:
        """The chunk's k-th fact, with its id and its lists of REF_KEYS, as (key, values) ("" values are
        skipped)."""
        ids = self.ids
        if len(ids) <= k:
            ids.extend([""] * (k + 1 - len(ids)))
        ids[k] = fid
        if not fid:
            return
        every = self.named
        for key, values in lists:
            if not values:
                continue
            named = every.get(key)
            if named is None:
                named = every[key] = {}
            for j, value in enumerate(values):
                if value:
                    at = named.get(value)
                    if at is None:
                        named[value] = [k, j]
                    else:
                        at += (k, j)

    def to_json(self) -> str:
        return json.dumps([self.ids, self.named, self.invalid], ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> ChunkRefs:
        ids, named, invalid = json.loads(text)
        return cls(ids, named, invalid)


Part = tuple[str, int, ChunkRefs]  # a chunk: its file, the index in the file of its first fact, its refs


# ------------------------------------------------------------------------------ messages


def msg_duplicate(kind: str, rid: str, here: str, first: str, first_path: str) -> str:
    if first_path == here:
        return f"duplicate id '{rid}': already used at {first}"
    noun = "fact" if kind == "facts" else kind
    return f"duplicate {noun} id '{rid}': also defined at {first}"


def msg_unknown_ref(fid: str, noun: str, value: str, known: Iterable[str], names: NameTable | None = None) -> str:
    """An unknown place or person; when the value is a name or alias of a known entry, the id to use."""
    if names is not None:
        ids = sorted(names.lookup(value))
        if ids:
            use = " or ".join(f"'{i}'" for i in ids)
            return f"fact '{fid}' names unknown {noun} '{value}': that is a name of {use}; use the id"
        hint = names.hint(value)
        if hint:
            return f"fact '{fid}' names unknown {noun} '{value}'{hint}"
    return f"fact '{fid}' names unknown {noun} '{value}'{suggest(value, known)}"


def msg_unknown_source(fid: str, sid: str, known: Iterable[str]) -> str:
    return f"fact '{fid}' cites unknown source '{sid}'{suggest(sid, known)}"


def msg_unknown_fact(fid: str, key: str, other: str, known: Iterable[str]) -> str:
    return f"fact '{fid}': '{key}' names unknown fact '{other}'{suggest(other, known)}"


def msg_unmirrored(fid: str, other: str) -> str:
    return f"fact '{fid}' conflicts with '{other}', but '{other}' does not list '{fid}' in conflicts_with"


# ------------------------------------------------------------------------------ locating


@dataclass
class Located:
    """A reference to a key of a table in some file, turned into a Problem on demand."""

    path: str
    where: KeyPath
    needle: str | None = None


class Locators:
    """Locators for many files, reading a file's text only when a problem must be placed in it."""

    def __init__(self, texts: dict[str, str] | None = None, reader: Callable[[str], str] | None = None) -> None:
        self._texts = dict(texts or {})
        self._reader = reader
        self._cache: dict[str, Locator] = {}

    def problem(self, at: Located, message: str) -> Problem:
        loc = self._cache.get(at.path)
        if loc is None:
            text = self._texts.get(at.path)
            if text is None and self._reader is not None:
                try:
                    text = self._reader(at.path)
                except (OSError, UnicodeDecodeError):
                    text = ""
            loc = self._cache[at.path] = Locator(text or "")
        line, column = loc.position(at.where, at.needle)
        return Problem(at.path, line, message, column)

    def where(self, at: Located) -> str:
        """'path:line' of a place, for messages that point at a second one."""
        first = self.problem(at, "")
        return f"{first.path}:{first.line}"


# ------------------------------------------------------------------------------ the rules


def cross_check(
    parts: Iterable[Part],
    registries: dict[str, list[Record]],
    locators: Locators,
    invalid_registry: dict[str, set[str]] | None = None,
    excerpts: Iterable[tuple[str, int, str, int, str, str]] = (),
    articles: dict[str, str] | None = None,
) -> list[Problem]:
    """Every problem that spans files, in a set of chunks (in the order of the set: the first of two equal
    ids is the one that stands) and registries. ``invalid_registry`` holds, by kind, the ids of entries
    that failed their own checks: references to them are not reported again.

    ``articles`` maps source ids to article texts; with it, each of ``excerpts`` (file, fact index, fact id, item
    of its sources, source id, excerpt) is looked for verbatim in its article. Only `check` reads articles."""
    parts = list(parts)
    invalid: dict[str, set[str]] = {kind: set() for kind in REGISTRIES} | (invalid_registry or {})
    found: list[tuple[Located, str]] = []
    reg = _unique_registries(registries, locators, found)
    found.extend(_registry_links(reg, invalid))
    facts = _unique_facts(parts, locators, found)
    bad_facts = {fid for _, _, refs in parts for fid in refs.invalid}
    found.extend(_references(parts, reg, invalid, facts, bad_facts))
    found.extend(_unmirrored(parts, facts))
    if articles:
        found.extend(_excerpts(excerpts, reg["sources"], articles))
    return sorted((locators.problem(at, msg) for at, msg in found), key=Problem.sort_key)


def _unique_registries(
    registries: dict[str, list[Record]], locators: Locators, found: list[tuple[Located, str]]
) -> dict[str, dict[str, Record]]:
    reg: dict[str, dict[str, Record]] = {}
    for kind in REGISTRIES:
        reg[kind] = {}
        for rec in registries.get(kind, []):
            rid = rec.data["id"]
            first = reg[kind].get(rid)
            if first is None:
                reg[kind][rid] = rec
                continue
            there = locators.where(Located(first.path, (kind, first.index, "id")))
            found.append(
                (Located(rec.path, (kind, rec.index, "id")), msg_duplicate(kind, rid, rec.path, there, first.path))
            )
    return reg


def _unique_facts(
    parts: Sequence[Part], locators: Locators, found: list[tuple[Located, str]]
) -> dict[str, tuple[str, int]]:
    """Where each fact id is first defined; every later definition is a problem."""
    first: dict[str, tuple[str, int]] = {}
    for path, start, refs in parts:
        for k, fid in enumerate(refs.ids):
            if not fid:
                continue
            seen = first.get(fid)
            if seen is None:
                first[fid] = (path, start + k)
                continue
            there = locators.where(Located(seen[0], ("facts", seen[1], "id")))
            found.append((Located(path, ("facts", start + k, "id")), msg_duplicate("facts", fid, path, there, seen[0])))
    return first


def _registry_links(reg: dict[str, dict[str, Record]], invalid: dict[str, set[str]]) -> list[tuple[Located, str]]:
    found: list[tuple[Located, str]] = []
    places, sources = reg["localities"], reg["sources"]
    for lid, rec in places.items():
        for key, mirror in (("superseded_by", "supersedes"), ("supersedes", "superseded_by")):
            for j, link in enumerate(rec.data.get(key, [])):
                other = places.get(link["id"])
                where = Located(rec.path, ("localities", rec.index, key, j, "id"))
                if other is None:
                    if link["id"] in invalid["localities"]:
                        continue
                    where.needle = f'"{link["id"]}"'
                    found.append(
                        (
                            where,
                            f"locality '{lid}': '{key}' names unknown locality '{link['id']}'"
                            f"{suggest(link['id'], places)}",
                        )
                    )
                elif not any(x["id"] == lid and x["date"] == link["date"] for x in other.data.get(mirror, [])):
                    found.append(
                        (
                            where,
                            f"locality '{lid}': '{key}' link to '{link['id']}' ({link['date']}) is not "
                            f"mirrored by a '{mirror}' link with the same date on '{link['id']}'",
                        )
                    )
    found.extend(_chains(places, invalid["localities"]))
    for pid, rec in reg["people"].items():
        for j, role in enumerate(rec.data.get("roles", [])):
            sid = role.get("source")
            if sid is not None and sid not in sources and sid not in invalid["sources"]:
                found.append(
                    (
                        Located(rec.path, ("people", rec.index, "roles", j, "source"), f'"{sid}"'),
                        f"person '{pid}' cites unknown source '{sid}'{suggest(sid, sources)}",
                    )
                )
    return found


def _chains(localities: dict[str, Record], invalid: set[str]) -> list[tuple[Located, str]]:
    """Each place's parents lead to a country (no loop, no unknown parent), the one it declares."""
    out: list[tuple[Located, str]] = []
    in_reported_loop: set[str] = set()
    for lid, rec in localities.items():
        seen = [lid]
        current = rec
        while current.data.get("kind") != "country":
            parent = current.data.get("parent")
            if not isinstance(parent, str) or parent in invalid:
                break  # already reported by the entry's own checks
            if parent not in localities:
                if current is rec:
                    out.append(
                        (
                            Located(rec.path, ("localities", rec.index, "parent"), f'"{parent}"'),
                            f"locality '{lid}' has unknown parent '{parent}'{suggest(parent, localities)}",
                        )
                    )
                break
            if parent in seen:
                cycle = seen[seen.index(parent) :]
                if not in_reported_loop & set(cycle):
                    in_reported_loop |= set(cycle)
                    first = localities[cycle[0]]
                    loop = " → ".join([*cycle, cycle[0]])
                    out.append(
                        (
                            Located(first.path, ("localities", first.index, "parent")),
                            f"locality '{cycle[0]}': parent chain loops ({loop}) and never reaches a country",
                        )
                    )
                break
            seen.append(parent)
            current = localities[parent]
        else:
            country = current.data.get("id")
            declared = rec.data.get("country")
            if declared != country:
                out.append(
                    (
                        Located(rec.path, ("localities", rec.index, "country")),
                        f"locality '{lid}' says country '{declared}' but its parents lead to '{country}'",
                    )
                )
    return out


def _references(
    parts: Sequence[Part],
    reg: dict[str, dict[str, Record]],
    invalid: dict[str, set[str]],
    facts: dict[str, tuple[str, int]],
    bad_facts: set[str],
) -> list[tuple[Located, str]]:
    """Every place, person, source and fact a fact names exists (or failed its own checks)."""
    from vnguangxi.names import NameTable

    found: list[tuple[Located, str]] = []
    known: dict[str, Any] = {"localities": reg["localities"], "people": reg["people"], "sources": reg["sources"]}
    known |= {"conflicts_with": facts, "related": facts}
    bad = {**invalid, "conflicts_with": bad_facts, "related": bad_facts}
    tables: dict[str, NameTable] = {}
    suggestions: list[str] = []

    def message(key: str, fid: str, value: str) -> str:
        if key in ("localities", "people"):
            if key not in tables:
                tables[key] = NameTable(key, (r.data for r in reg[key].values()))
            noun = "locality" if key == "localities" else "person"
            return msg_unknown_ref(fid, noun, value, reg[key], tables[key])
        if key == "sources":
            return msg_unknown_source(fid, value, reg["sources"])
        if not suggestions and len(facts) <= SUGGEST_LIMIT:
            suggestions.extend(facts)
        return msg_unknown_fact(fid, key, value, suggestions)

    for path, start, refs in parts:
        for key, named in refs.named.items():
            exists, failed = known[key], bad[key]
            for value, at in named.items():
                if value in exists or value in failed:
                    continue
                for i in range(0, len(at), 2):
                    k, j = at[i], at[i + 1]
                    if key == "sources":
                        where = Located(path, ("facts", start + k, "sources", j, "source"), f'"{value}"')
                    else:
                        where = Located(path, ("facts", start + k, key), f'"{value}"')
                    found.append((where, message(key, refs.ids[k], value)))
    return found


def _unmirrored(parts: Sequence[Part], facts: dict[str, tuple[str, int]]) -> list[tuple[Located, str]]:
    """A fact that conflicts with another is listed in that other's ``conflicts_with`` too."""
    listed: dict[str, set[str]] = {}
    pairs: list[tuple[str, int, str, str]] = []
    for path, start, refs in parts:
        for value, at in refs.named.get("conflicts_with", {}).items():
            for i in range(0, len(at), 2):
                fid = refs.ids[at[i]]
                listed.setdefault(fid, set()).add(value)
                pairs.append((path, start + at[i], fid, value))
    return [
        (Located(path, ("facts", index, "conflicts_with"), f'"{other}"'), msg_unmirrored(fid, other))
        for path, index, fid, other in pairs
        if other in facts and fid not in listed.get(other, ())
    ]


def _excerpts(
    excerpts: Iterable[tuple[str, int, str, int, str, str]], sources: dict[str, Record], articles: dict[str, str]
) -> list[tuple[Located, str]]:
    """Excerpts not found verbatim in their articles, with the closest passage as a diff."""
    from vnguangxi.articles import closest_passage

    found: list[tuple[Located, str]] = []
    for path, index, fid, j, sid, excerpt in excerpts:
        article = articles.get(sid)
        if article is None or sid not in sources or excerpt in article:
            continue
        found.append(
            (
                Located(path, ("facts", index, "sources", j, "excerpt")),
                f"excerpt of fact '{fid}' is not found verbatim in {sources[sid].data['file']}"
                + closest_passage(excerpt, article),
            )
        )
    return found
