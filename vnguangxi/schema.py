"""JSON Schemas (draft-07) for fact files and registries, built from the same vocabularies the validator uses.

`python tools/gen_schema.py` writes them to `schema/`; a test fails if the files drift from this code.
Editors (taplo, Even Better TOML) validate as the curator types. What a schema cannot say is checked only
by `vnguangxi check`: intervals running forward, ids unique within and across files, references to
sources, places, people and other facts, and excerpts being verbatim.
"""

from __future__ import annotations

from typing import Any

from vnguangxi.vocab import DATE_KINDS, LOCALITY_KINDS, QUALIFIERS, STATUSES, STORED_COPY, TOPICS, UNITS

BASE = "https://vnguangxi.invalid/schema/"
ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
SOURCE_ID = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
# A real calendar day, month or year (leap years included); an interval joins two with '/'.
_LEAP = r"(?:[0-9]{2}(?:0[48]|[2468][048]|[13579][26])|(?:0[48]|[2468][048]|[13579][26])00)"
_DAY = (
    r"[0-9]{4}(?:-(?:(?:0[13578]|1[02])(?:-(?:0[1-9]|[12][0-9]|3[01]))?"
    r"|(?:0[469]|11)(?:-(?:0[1-9]|[12][0-9]|30))?"
    r"|02(?:-(?:0[1-9]|1[0-9]|2[0-8]))?))?"
)
_PART = rf"(?:{_DAY}|{_LEAP}-02-29)"
DATE = rf"^{_PART}(?:/{_PART})?$"
EXCERPT = r"^\s*\S+(?:\s+\S+){0,24}\s*$"  # at most 25 words
TEXT = r"\S"
FILE_NAME = r"^(?!\.\.?$)[^/\\\u0000]+$"  # a file name alone: no folder, no '..', not absolute


# A finite number: not infinity (beyond the largest double) and not NaN, which fails every comparison:
# so it is neither "not above 0" nor "not below 0", while every other number is one or the other.
FINITE: dict[str, Any] = {
    "type": "number",
    "description": "A finite number (not nan or inf).",
    "minimum": -1.7976931348623157e308,
    "maximum": 1.7976931348623157e308,
    "anyOf": [{"not": {"exclusiveMinimum": 0}}, {"not": {"exclusiveMaximum": 0}}],
}


def _string(pattern: str | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "string"}
    if pattern:
        out["pattern"] = pattern
    out.update(extra)
    return out


def _strings(pattern: str | None = None) -> dict[str, Any]:
    return {"type": "array", "items": _string(pattern), "uniqueItems": True}


def _id(pattern: str = ID) -> dict[str, Any]:
    return _string(pattern, maxLength=64, description="Stable id, never reused.")


def _doc(title: str, table: str, item: dict[str, Any]) -> dict[str, Any]:
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"{BASE}{table}.schema.json",
        "title": title,
        "type": "object",
        "additionalProperties": False,
        "properties": {table: {"type": "array", "items": item}},
    }


def facts_schema() -> dict[str, Any]:
    amount = FINITE
    equivalent = {
        "type": "object",
        "additionalProperties": False,
        "required": ["value", "unit", "stated"],
        "properties": {"value": amount, "unit": {"enum": list(UNITS)}, "stated": _string(TEXT)},
    }
    quantity = {
        "type": "object",
        "description": "At most one quantity per fact, in base units.",
        "additionalProperties": False,
        "required": ["value", "unit", "qualifier", "stated"],
        "properties": {
            "value": amount,
            "unit": {"enum": list(UNITS)},
            "qualifier": {"enum": list(QUALIFIERS)},
            "stated": _string(TEXT, description="The figure's wording as printed."),
            "equivalents": {"type": "array", "items": equivalent},
        },
    }
    source_ref = {
        "type": "object",
        "additionalProperties": False,
        "required": ["source", "excerpt"],
        "properties": {
            "source": _string(TEXT),
            "excerpt": _string(EXCERPT, description="Copied verbatim from the article; at most about 20 words."),
        },
    }
    fact = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "statement", "date", "date_kind", "status", "localities", "sources"],
        "properties": {
            "id": _id(),
            "statement": _string(TEXT, description="One claim, in our own words."),
            "date": _string(DATE, description="YYYY, YYYY-MM, YYYY-MM-DD or START/END."),
            "date_kind": {"enum": list(DATE_KINDS)},
            "date_basis": {"type": "string"},
            "status": {"enum": list(STATUSES)},
            "localities": _strings(),
            "people": _strings(),
            "tags": _strings(ID),
            "quantity": quantity,
            "series": _string(ID),
            "note": {"type": "string"},
            "conflicts_with": _strings(ID),
            "related": _strings(ID),
            "sources": {"type": "array", "minItems": 1, "items": source_ref},
            "topic": {"enum": list(TOPICS), "description": "Defaults to the file's or folder's name."},
            "draft": {"type": "boolean", "description": "true: not yet reviewed (as `vnguangxi extract` writes)."},
        },
        "if": {"properties": {"date_kind": {"const": "due"}}, "required": ["date_kind"]},
        "then": {"properties": {"status": {"const": "planned"}}},
    }
    return _doc("vnguangxi fact file", "facts", fact)


def sources_schema() -> dict[str, Any]:
    source = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "file", "publisher", "published"],
        "properties": {
            "id": _id(SOURCE_ID),
            "file": _string(FILE_NAME, description="The article's file name, in the articles folders."),
            "title": {"type": "string"},
            "publisher": _string(TEXT),
            "publisher_basis": {"type": "string"},
            "published": _string(DATE),
            "published_basis": {"type": "string"},
            "language": {"type": "string"},
            "url": {"type": "string"},
            "republished_by": {"type": "string"},
            "stored_copy": {"enum": list(STORED_COPY)},
        },
    }
    return _doc("vnguangxi sources registry", "sources", source)


def localities_schema() -> dict[str, Any]:
    link = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "date"],
        "properties": {"id": _string(TEXT), "date": _string(DATE)},
    }
    locality = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "kind", "country", "name_en"],
        "properties": {
            "id": _id(),
            "kind": {"enum": list(LOCALITY_KINDS)},
            "country": _string(TEXT),
            "parent": _string(TEXT),
            "name_en": _string(TEXT),
            "name_vi": {"type": "string"},
            "name_zh": {"type": "string"},
            "name_pinyin": {"type": "string"},
            "aliases": {"type": "array", "items": {"type": "string"}},
            "note": {"type": "string"},
            "superseded_by": {"type": "array", "items": link},
            "supersedes": {"type": "array", "items": link},
        },
        "if": {"properties": {"kind": {"const": "country"}}, "required": ["kind"]},
        "then": {"not": {"required": ["parent"]}},
        "else": {"required": ["parent"]},
    }
    return _doc("vnguangxi localities registry (gazetteer)", "localities", locality)


def people_schema() -> dict[str, Any]:
    role = {
        "type": "object",
        "additionalProperties": False,
        "required": ["role", "as_of", "source"],
        "properties": {
            "role": _string(TEXT),
            "organisation": {"type": "string"},
            "as_of": _string(DATE),
            "source": _string(TEXT),
        },
    }
    person = {
        "type": "object",
        "additionalProperties": False,
        "required": ["id", "name"],
        "properties": {
            "id": _id(),
            "name": _string(TEXT),
            "aliases": {"type": "array", "items": {"type": "string"}},
            "country": {"type": "string"},
            "note": {"type": "string"},
            "roles": {"type": "array", "items": role},
        },
    }
    return _doc("vnguangxi people registry", "people", person)


def any_schema() -> dict[str, Any]:
    """A file of a curator's own folder, which may hold facts and registry tables together."""
    parts = {name: SCHEMAS[name]()["properties"][name] for name in ("facts", "sources", "localities", "people")}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": f"{BASE}vnguangxi.schema.json",
        "title": "vnguangxi facts file (facts, sources, localities and people tables in any mix)",
        "type": "object",
        "additionalProperties": False,
        "properties": parts,
    }


SCHEMAS = {
    "facts": facts_schema,
    "sources": sources_schema,
    "localities": localities_schema,
    "people": people_schema,
    "vnguangxi": any_schema,
}
