"""Places and people named in a sentence, through the gazetteer and the people registry.

Latin-script names match on folded words (accents and case ignored: 'Mong Cai' finds Móng Cái); Han names
match by substring, in every form the registry lists (simplified and traditional where its aliases have
them).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from vnguangxi.text import fold

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


@dataclass
class Matcher:
    latin: re.Pattern[str] | None
    han: re.Pattern[str] | None
    ids: dict[str, str]  # folded name or Han name → id
    order: dict[str, int] = field(default_factory=dict)  # id → specificity (higher first)

    def find(self, text: str) -> list[str]:
        found: list[str] = []
        if self.latin is not None and re.search(r"[A-Za-zÀ-ỹ]", text):
            for m in self.latin.finditer(fold(text)):
                found.append(self.ids[m.group(1)])
        if self.han is not None and _HAN.search(text):
            for m in self.han.finditer(text):
                found.append(self.ids[m.group()])
        out = list(dict.fromkeys(found))
        out.sort(key=lambda i: -self.order.get(i, 0))
        return out


def _build(names: dict[str, str], order: dict[str, int]) -> Matcher:
    latin = sorted((n for n in names if not _HAN.search(n)), key=len, reverse=True)
    han = sorted((n for n in names if _HAN.search(n)), key=len, reverse=True)
    lrx = re.compile(r"(?<![\w])(" + "|".join(re.escape(n) for n in latin) + r")(?![\w])") if latin else None
    hrx = re.compile("|".join(re.escape(n) for n in han)) if han else None
    return Matcher(lrx, hrx, names, order)


def _key(name: str) -> str:
    return name if _HAN.search(name) else fold(name).replace("-", " ").replace("–", " ")


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
                names.setdefault(_key(e[key]), pid)
        for alias in e.get("aliases") or []:
            if isinstance(alias, str) and len(alias) >= 2:
                names.setdefault(_key(alias), pid)
    names = {n: i for n, i in names.items() if n.strip()}
    return _build(names, {i: depth(i) for i in parent})


def people(entries: list[dict[str, Any]]) -> Matcher:
    names: dict[str, str] = {}
    for e in entries:
        pid = e.get("id")
        if not isinstance(pid, str):
            continue
        for n in [e.get("name"), *(e.get("aliases") or [])]:
            if isinstance(n, str) and n.strip():
                names.setdefault(_key(n), pid)
    return _build(names, {})
