"""Places and people named in a sentence, through the gazetteer and the people registry.

Latin-script names match on accent-folded words (accents and case ignored: 'Mong Cai' finds Móng Cái, as
vnguangxi.text.fold folds them), but a name printed with a capital must be printed with one: 'hữu nghị'
(friendship) is not Hữu Nghị. Han names match by substring, in every form the registry lists (simplified
and traditional where its aliases have them).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from vnguangxi.text import HAN_CLASS, fold

_HAN = re.compile(HAN_CLASS)
_MARKS = re.compile("[\u0300-\u036f]")


def deaccent(text: str) -> str:
    """Accents stripped, case kept, one character for one: 'Móng Cái' → 'Mong Cai'."""
    if text.isascii():
        return text
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d" if ch == "đ" else "D")
            continue
        base = _MARKS.sub("", unicodedata.normalize("NFD", ch))
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


@dataclass
class Matcher:
    latin: re.Pattern[str] | None
    han: re.Pattern[str] | None
    ids: dict[str, str]  # folded name or Han name → id
    capital: set[str] = field(default_factory=set)  # folded names the registry writes with a capital
    order: dict[str, int] = field(default_factory=dict)  # id → specificity (higher first)
    parent: dict[str, str] = field(default_factory=dict)  # id → the parent to add with it (up to a province)
    country: dict[str, str] = field(default_factory=dict)  # id → its country id
    gate: dict[str, str] = field(default_factory=dict)  # town or city id → its one border gate or port
    top: set[str] = field(default_factory=set)  # provinces, regions and centrally-run cities: members of a list

    def with_parents(self, ids: list[str]) -> list[str]:
        """The places and the parents that contain them, up to the province or region: a border gate
        brings its city and province. Countries come only when named."""
        out = list(ids)
        for i in ids:
            seen = {i}
            while i in self.parent and self.parent[i] not in seen:
                i = self.parent[i]
                seen.add(i)
                out.append(i)
        out = list(dict.fromkeys(out))
        out.sort(key=lambda i: -self.order.get(i, 0))
        return out

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        if self.latin is not None and re.search(r"[A-Za-zÀ-ỹ]", text):
            plain = deaccent(text).replace("’", "'")
            for m in self.latin.finditer(plain):
                key = " ".join(m.group(1).lower().replace("-", " ").split())
                if key not in self.ids:
                    continue
                if key in self.capital and not any(w[:1].isupper() for w in m.group(1).split()):
                    continue  # 'hữu nghị' (friendship) is not Hữu Nghị; 'cửa khẩu Móng Cái' is Móng Cái's gate
                found.append(self.ids[key])
        if self.han is not None and _HAN.search(text):
            from vnguangxi.extract.hanzi import simplified

            plain_han = simplified(text)
            for source in (text, plain_han) if plain_han != text else (text,):
                for m in self.han.finditer(source):
                    found.append(self.ids[m.group()])
        out = list(dict.fromkeys(found))
        out.sort(key=lambda i: -self.order.get(i, 0))
        return out


def _key(name: str) -> str:
    return name if _HAN.search(name) else " ".join(fold(name).replace("-", " ").replace("–", " ").split())


def _build(raw: dict[str, str], order: dict[str, int]) -> Matcher:
    ids: dict[str, str] = {}
    capital: set[str] = set()
    for name, pid in raw.items():
        key = _key(name)
        if not key.strip():
            continue
        ids.setdefault(key, pid)
        if not _HAN.search(name) and name[:1].isupper():
            capital.add(key)
    latin = sorted((n for n in ids if not _HAN.search(n)), key=len, reverse=True)
    han = sorted((n for n in ids if _HAN.search(n)), key=len, reverse=True)
    # Spaces in a name match a space or a hyphen: 'Mong Cai' finds 'Mong-Cai'.
    alts = "|".join(r"[\s-]+".join(re.escape(w) for w in n.split()) for n in latin)
    lrx = re.compile(r"(?<![\w])(" + alts + r")(?![\w])", re.I) if latin else None
    hrx = re.compile("|".join(re.escape(n) for n in han)) if han else None
    return Matcher(lrx, hrx, ids, capital, order)


def places(entries: list[dict[str, Any]]) -> Matcher:
    names: dict[str, str] = {}
    parent = {e["id"]: e.get("parent") for e in entries if isinstance(e.get("id"), str)}

    def depth(i: str) -> int:
        d, seen = 0, set()
        while parent.get(i) and i not in seen:
            seen.add(i)
            i = parent[i]  # type: ignore[assignment]
            d += 1
        return d

    for e in entries:
        pid = e.get("id")
        if not isinstance(pid, str):
            continue
        for key in ("name_en", "name_vi", "name_zh", "name_pinyin"):
            if isinstance(e.get(key), str) and e[key]:
                names.setdefault(e[key], pid)
        for alias in e.get("aliases") or []:
            if isinstance(alias, str) and len(alias) >= 2:
                names.setdefault(alias, pid)
    matcher = _build(names, {i: depth(i) for i in parent})
    kinds = {e["id"]: e.get("kind") for e in entries if isinstance(e.get("id"), str)}
    top = {"country", "province", "autonomous-region", "centrally-run-city", "municipality"}
    matcher.country = {
        e["id"]: e["country"] for e in entries if isinstance(e.get("id"), str) and isinstance(e.get("country"), str)
    }
    gates: dict[str, list[str]] = {}
    for e in entries:
        if e.get("kind") in ("border-gate", "border-port") and isinstance(e.get("parent"), str):
            gates.setdefault(e["parent"], []).append(e["id"])
    towns = {"city", "county-level-city", "county", "prefecture-level-city"}
    matcher.top = {i for i, k in kinds.items() if k in top and k != "country"}
    matcher.gate = {town: ids[0] for town, ids in gates.items() if len(ids) == 1 and kinds.get(town) in towns}
    matcher.parent = {
        i: p for i, p in parent.items() if isinstance(p, str) and kinds.get(i) not in top and kinds.get(p) != "country"
    }
    return matcher


def people(entries: list[dict[str, Any]]) -> Matcher:
    names: dict[str, str] = {}
    for e in entries:
        pid = e.get("id")
        if not isinstance(pid, str):
            continue
        for n in [e.get("name"), *(e.get("aliases") or [])]:
            if isinstance(n, str) and n.strip():
                names.setdefault(n, pid)
    return _build(names, {})
