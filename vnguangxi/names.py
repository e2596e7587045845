"""The names of registry entries, in one table per kind: any id, name or alias (any script, case or
accents) to the ids it names. Place and person resolution, shell completion and the hints of validation
all read names through it, so they agree on what a name means."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from vnguangxi.text import key


def entry_names(kind: str, entry: Mapping[str, Any]) -> list[str]:
    """Every name an entry answers to, its id first: a place's names in every script and its aliases, a
    person's name and aliases, a source's file name."""
    if kind == "localities":
        fields: tuple[str, ...] = ("id", "name_en", "name_vi", "name_zh", "name_pinyin")
    elif kind == "people":
        fields = ("id", "name")
    else:
        fields = ("id", "file")
    out = [entry.get(f) for f in fields]
    aliases = entry.get("aliases", [])
    out += aliases if isinstance(aliases, list) else []
    return [n for n in dict.fromkeys(out) if isinstance(n, str) and n]


def display_name(kind: str, entry: Mapping[str, Any]) -> str:
    """The name people read: a place's name in its own language where the gazetteer has it."""
    if kind == "localities":
        own = entry.get("name_vi") if entry.get("country") == "vn" else None
        return str(own or entry.get("name_en") or entry["id"])
    if kind == "people":
        return str(entry.get("name") or entry["id"])
    return str(entry["id"])


class NameTable:
    """Ids by folded name for one registry kind."""

    def __init__(self, kind: str, entries: Iterable[Mapping[str, Any]]) -> None:
        self.kind = kind
        self.ids: dict[str, set[str]] = {}  # folded name -> ids
        self.first: dict[str, str] = {}  # folded name -> the name as written
        self.names: dict[str, list[str]] = {}  # id -> its names
        self.display: dict[str, str] = {}  # id -> display name
        for entry in entries:
            eid = entry.get("id")
            if not isinstance(eid, str) or eid in self.names:
                continue
            names = entry_names(kind, entry)
            self.names[eid] = names
            self.display[eid] = display_name(kind, entry)
            for name in names:
                k = key(name)
                if k:
                    self.ids.setdefault(k, set()).add(eid)
                    self.first.setdefault(k, name)

    def lookup(self, value: str) -> set[str]:
        """The ids a name, alias or id names (empty if none)."""
        return set(self.ids.get(key(value), ()))

    def hint(self, value: str) -> str:
        """' (did you mean 'Móng Cái' (mong-cai)?)' for the closest known name, or ''."""
        import difflib

        k = key(value)
        if not k:
            return ""
        cutoff = 0.5 if len(k) <= 4 else 0.6
        close = difflib.get_close_matches(k, list(self.ids), n=1, cutoff=cutoff)
        if not close:
            return ""
        ids = sorted(self.ids[close[0]])
        shown = self.first[close[0]]
        if len(ids) == 1 and shown == ids[0]:
            shown = self.display[ids[0]]
        return f" (did you mean '{shown}' ({', '.join(ids)})?)"

    def candidates(self, prefix: str) -> list[str]:
        """Names that start with a prefix (folded), for shell completion, in registry order."""
        want = key(prefix)
        out: list[str] = []
        for names in self.names.values():
            for name in names:
                if key(name).startswith(want) and name not in out:
                    out.append(name)
        return out
