"""A small, valid facts folder for tests to break in one place at a time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vnguangxi import safe

ARTICLE = "Trade between the two sides exceeded 300 billion CNY last year, officials said on Thursday."

SOURCES = """\
[[sources]]
id = "s1"
file = "s1.txt"
publisher = "Test Agency"
published = "2026-03"
"""

LOCALITIES = """\
[[localities]]
id = "vn"
kind = "country"
country = "vn"
name_en = "Vietnam"

[[localities]]
id = "qn"
kind = "province"
country = "vn"
parent = "vn"
name_en = "Quang Ninh"
name_vi = "Quảng Ninh"
"""

PEOPLE = """\
[[people]]
id = "p1"
name = "Person One"
"""

FACT = """\
[[facts]]
id = "f1"
statement = "Trade was more than CNY 300 billion in 2025."
date = "2025"
date_kind = "period"
status = "done"
localities = ["qn"]
quantity = { value = 300_000_000_000, unit = "CNY", qualifier = "more-than", stated = "300 billion CNY" }

[[facts.sources]]
source = "s1"
excerpt = "exceeded 300 billion CNY last year"
"""

FULL_FACT = """\
[[facts]]
id = "f-full"
statement = "Every key present."
date = "2025-04-14/2025-04-15"
date_kind = "event"
date_basis = "Given in the article."
status = "done"
localities = ["qn", "vn"]
people = ["p1"]
tags = ["trade-value", "test"]
series = "test-series"
note = "A note."
conflicts_with = []
related = ["f1"]

[facts.quantity]
value = 43.5
unit = "USD"
qualifier = "about"
stated = "43.5"
equivalents = [{ value = 300, unit = "CNY", stated = "300" }]

[[facts.sources]]
source = "s1"
excerpt = "officials said on Thursday"
"""

MINIMAL_FACT = """\
[[facts]]
id = "f-min"
statement = "Only the required keys."
date = "2026"
date_kind = "as-of"
status = "planned"
localities = []

[[facts.sources]]
source = "s1"
excerpt = "officials said"
"""


def make_folder(root: Path, files: Mapping[str, str | bytes | None] | None = None, *, base: bool = True) -> Path:
    """A folder with the valid base files, overridden or extended by ``files``; None values delete."""
    root.mkdir(parents=True, exist_ok=True)
    content: dict[str, str | bytes | None] = {}
    if base:
        content.update(
            {"sources.toml": SOURCES, "localities.toml": LOCALITIES, "people.toml": PEOPLE, "trade.toml": FACT}
        )
    content.update(files or {})
    content.setdefault("articles/s1.txt", ARTICLE)
    for name, text in content.items():
        if text is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
    (root / "articles").mkdir(exist_ok=True)
    return root


# A title change, a screen clear, an OSC 8 link, an OSC 52 clipboard write, a C1 CSI, DEL, backspace and
# carriage return, a bidi override and isolate, zero-width characters, a byte-order mark, a line separator.
HOSTILE = (
    "\x1b]0;pwned\x07 \x1b[2J \x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b]52;c;cHduZWQ=\x07 "
    "\x9b31m \x7f \x08\r \u202eevil\u202c \u2066x\u2069 \u200b\u200d \ufeff \u2028 \U000e0041"
)


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text``, its control and format characters written as escapes."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif safe.unsafe(ch):
            out.append(f"\\U{ord(ch):08x}" if ord(ch) > 0xFFFF else f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def raw_unsafe(output: str) -> list[str]:
    """The characters of an output a terminal would act on or hide (line breaks are fine)."""
    return sorted({m.group() for m in re.finditer(safe._pattern("\n").pattern, output)})


def strings(data: Any) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def hostile_folder(root: Path, text: str = HOSTILE) -> Path:
    """A valid folder but for ``text`` in a fact, a place, a person and a source (and their notes)."""
    folder = root / "hostile"
    folder.mkdir(exist_ok=True)
    quoted = toml_string(text)
    (folder / "sources.toml").write_text(
        SOURCES.replace('"Test Agency"', toml_string("Agency " + text)) + f"title = {quoted}\n", encoding="utf-8"
    )
    (folder / "localities.toml").write_text(
        LOCALITIES.replace('"Quang Ninh"', toml_string("Quang " + text)) + f"note = {quoted}\n", encoding="utf-8"
    )
    people = PEOPLE.replace('"Person One"', toml_string("Person " + text))
    people += f'\n[[people.roles]]\nrole = {quoted}\nas_of = "2025"\nsource = "s1"\n'
    (folder / "people.toml").write_text(people, encoding="utf-8")
    fact = FACT.replace('statement = "Trade', f'statement = "{quoted[1:-1]} Trade')
    fact = fact.replace('stated = "300 billion CNY"', f"stated = {quoted}")
    full = FULL_FACT.replace('note = "A note."', f"note = {quoted}").replace(
        'date_basis = "Given in the article."', f"date_basis = {quoted}"
    )
    full = full.replace('series = "test-series"', 'series = "s"').replace('tags = ["trade-value", "test"]', "tags = []")
    second = FACT.replace('id = "f1"', 'id = "f2"').replace('date = "2025"', 'date = "2024"')
    second = second.replace('localities = ["qn"]', 'localities = ["qn"]\nseries = "s"')
    (folder / "trade.toml").write_text(fact + "\n" + full + "\n" + second, encoding="utf-8")
    return folder
