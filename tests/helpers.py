"""A small, valid facts folder for tests to break in one place at a time."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

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
