"""The JSON Schemas editors use agree with the validator `vnguangxi check` uses."""

from __future__ import annotations

import datetime
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import tomli
from helpers import FACT, FULL_FACT, LOCALITIES, MINIMAL_FACT, PEOPLE, SOURCES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vnguangxi.load import builtin_dir
from vnguangxi.schema import SCHEMAS
from vnguangxi.validate import check_file
from vnguangxi.vocab import DATE_KINDS, QUALIFIERS, REGISTRIES, STATUSES, TOPICS, UNITS

ROOT = Path(__file__).resolve().parent.parent
VALIDATORS = {name: jsonschema.Draft7Validator(build()) for name, build in SCHEMAS.items()}


def schema_ok(kind: str, data: dict[str, Any]) -> bool:
    return bool(VALIDATORS["facts" if kind in TOPICS else kind].is_valid(data))


def validator_ok(kind: str, data: dict[str, Any]) -> bool:
    return not check_file(f"{kind}.toml", kind, data, "").problems


def test_schema_files_match_the_code() -> None:
    for name, build in SCHEMAS.items():
        on_disk = json.loads((ROOT / "schema" / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert on_disk == build(), f"schema/{name}.schema.json is stale: run python tools/gen_schema.py"
        jsonschema.Draft7Validator.check_schema(on_disk)


@pytest.mark.parametrize("name", [*TOPICS, *REGISTRIES])
def test_builtin_files_pass_both(name: str) -> None:
    data = tomli.loads((builtin_dir() / f"{name}.toml").read_text(encoding="utf-8"))
    assert schema_ok(name, data)
    assert validator_ok(name, data)


GOOD = [
    ("trade", FACT),
    ("trade", FULL_FACT),
    ("trade", MINIMAL_FACT),
    ("sources", SOURCES),
    ("localities", LOCALITIES),
    ("people", PEOPLE),
]
BROKEN = [
    ("trade", FACT.replace('date = "2025"\n', 'date = "2025"\nstatment = "x"\n')),
    ("trade", FACT.replace('status = "done"\n', "")),
    ("trade", FACT.replace('statement = "Trade was more than CNY 300 billion in 2025."', "statement = 5")),
    ("trade", FACT.replace('statement = "Trade was more than CNY 300 billion in 2025."', 'statement = "  "')),
    ("trade", FACT.replace('status = "done"', 'status = "dne"')),
    ("trade", FACT.replace('"more-than"', '"over"')),
    ("trade", FACT.replace('unit = "CNY"', 'unit = "yuan"')),
    ("trade", FACT.replace('unit = "CNY", ', "")),
    ("trade", FACT.replace("value = 300_000_000_000", "value = true")),
    ("trade", FACT.replace('date = "2025"', 'date = "2025-13-45"')),
    ("trade", FACT.replace('date = "2025"', 'date = "2025-02-30"')),
    ("trade", FACT.replace('date = "2025"', 'date = "2025-02-29"')),
    ("trade", FACT.replace('date = "2025"', 'date = "25"')),
    ("trade", FACT.replace('"f1"', '"F 1"')),
    ("trade", FACT.replace('"f1"', '"' + "f" * 65 + '"')),
    ("trade", FACT.replace('localities = ["qn"]', 'localities = ["qn", "qn"]')),
    ("trade", FACT.replace('localities = ["qn"]', 'localities = ["qn"]\ntags = ["Bad Tag"]')),
    ("trade", FACT.replace('date_kind = "period"', 'date_kind = "due"')),
    ("trade", FACT.replace('excerpt = "exceeded 300 billion CNY last year"', 'excerpt = "' + "w " * 26 + '"')),
    ("trade", FACT.replace('excerpt = "exceeded 300 billion CNY last year"', 'excerpt = ""')),
    ("trade", FACT.split("[[facts.sources]]")[0]),
    ("trade", "fact = 1\n" + FACT),
    ("sources", SOURCES.replace('"2026-03"', '"2026-3"')),
    ("sources", SOURCES.replace('publisher = "Test Agency"\n', "")),
    ("localities", LOCALITIES.replace('kind = "province"', 'kind = "provence"')),
    ("localities", LOCALITIES.replace('parent = "vn"\n', "")),
    (
        "localities",
        LOCALITIES.replace('country = "vn"\nname_en = "Vietnam"', 'country = "vn"\nparent = "x"\nname_en = "Vietnam"'),
    ),
    ("people", PEOPLE.replace('name = "Person One"', "name = 1")),
    ("people", PEOPLE + '[[people.roles]]\nrole = "x"\nas_of = "2025-00"\nsource = "s1"\n'),
]


@pytest.mark.parametrize(("kind", "text"), GOOD)
def test_good_files_pass_both(kind: str, text: str) -> None:
    data = tomli.loads(text)
    assert schema_ok(kind, data) and validator_ok(kind, data)


@pytest.mark.parametrize(("kind", "text"), BROKEN)
def test_broken_files_fail_both(kind: str, text: str) -> None:
    data = tomli.loads(text)
    assert not schema_ok(kind, data), "the schema accepts it"
    assert not validator_ok(kind, data), "the validator accepts it"


# -------------------------------------------------------------------- random facts, both verdicts

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8)
_slug = st.lists(_word, min_size=1, max_size=4).map("-".join)
_ids = st.one_of(_slug, st.sampled_from(["F1", "f_1", "a--b", "-a", "", "x" * 70]), st.integers())
_good_dates = st.one_of(
    st.dates(min_value=datetime.date(1000, 1, 1)).flatmap(
        lambda d: st.sampled_from([f"{d.year}", f"{d.year}-{d.month:02d}", d.isoformat()])
    ),
    st.builds(lambda y: f"{y}/{y + 1}", st.integers(1000, 2998)),
)
_dates = st.one_of(
    _good_dates,
    st.sampled_from(["2025-13", "2025-02-30", "2023-02-29", "2024-02-29", "20250", "2025-1-1", "", "x"]),
    st.integers(),
)
_words = st.lists(_word, min_size=0, max_size=30).map(" ".join)
_good_quantity = st.fixed_dictionaries(
    {
        "value": st.one_of(st.integers(-(10**12), 10**12), st.floats(allow_nan=False, allow_infinity=False)),
        "unit": st.sampled_from(UNITS),
        "qualifier": st.sampled_from(QUALIFIERS),
        "stated": _word,
    },
    optional={
        "equivalents": st.lists(
            st.fixed_dictionaries({"value": st.integers(0, 10**9), "unit": st.sampled_from(UNITS), "stated": _word}),
            max_size=2,
        )
    },
)
_good_fact = st.fixed_dictionaries(
    {
        "id": _slug,
        "statement": _word,
        "date": _good_dates,
        "date_kind": st.sampled_from([k for k in DATE_KINDS if k != "due"]),
        "status": st.sampled_from(STATUSES),
        "localities": st.lists(_slug, max_size=3, unique=True),
        "sources": st.lists(
            st.fixed_dictionaries({"source": _slug, "excerpt": st.lists(_word, min_size=1, max_size=25).map(" ".join)}),
            min_size=1,
            max_size=2,
        ),
    },
    optional={
        "date_basis": _words,
        "people": st.lists(_slug, max_size=2, unique=True),
        "tags": st.lists(_slug, max_size=3, unique=True),
        "quantity": _good_quantity,
        "series": _slug,
        "note": _words,
        "conflicts_with": st.lists(st.sampled_from(["ref-a", "ref-b"]), max_size=2, unique=True),
        "related": st.lists(st.sampled_from(["ref-c", "ref-d"]), max_size=2, unique=True),
    },
)
# Mutations: each breaks one rule that both the schema and the validator hold (or, for dates, may not).
_MUTATIONS: list[tuple[str, Any]] = [
    ("drop", "id"),
    ("drop", "statement"),
    ("drop", "date"),
    ("drop", "status"),
    ("drop", "sources"),
    ("set", ("id", "Not An Id")),
    ("set", ("id", "x" * 65)),
    ("set", ("id", 7)),
    ("set", ("statement", " ")),
    ("set", ("statement", ["x"])),
    ("set", ("date_kind", "evnt")),
    ("set", ("date_kind", "due")),
    ("set", ("status", "dne")),
    ("set", ("localities", "qn")),
    ("set", ("localities", ["qn", "qn"])),
    ("set", ("tags", ["Bad Tag"])),
    ("set", ("series", "Bad Series")),
    ("set", ("sources", [])),
    ("set", ("sources", "s1")),
    ("set", ("sources", [{"source": "s1"}])),
    ("set", ("sources", [{"source": "s1", "excerpt": " ".join(["w"] * 26)}])),
    ("set", ("sources", [{"source": "", "excerpt": "w"}])),
    ("set", ("quantity", "lots")),
    ("set", ("quantity", {"value": True, "unit": "CNY", "qualifier": "exact", "stated": "x"})),
    ("set", ("quantity", {"value": 1, "qualifier": "exact", "stated": "x"})),
    ("set", ("quantity", {"value": 1, "unit": "yuan", "qualifier": "exact", "stated": "x"})),
    ("set", ("quantity", {"value": 1, "unit": "CNY", "qualifier": "over", "stated": "x"})),
    ("set", ("quantity", {"value": 1, "unit": "CNY", "qualifier": "exact", "stated": "x", "extra": 1})),
    ("set", ("bogus", True)),
]


@st.composite
def _fact(draw: st.DrawFn) -> dict[str, Any]:
    fact = dict(draw(_good_fact))
    for kind, arg in draw(st.lists(st.sampled_from(_MUTATIONS), max_size=2)):
        if kind == "drop":
            fact.pop(arg, None)
        else:
            key, value = arg
            fact[key] = value
    if "date" in fact and draw(st.booleans()):
        fact["date"] = draw(_dates)
    return fact


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_fact())
def test_schema_and_validator_agree_on_random_facts(fact: dict[str, Any]) -> None:
    data = {"facts": [fact]}
    assert schema_ok("trade", data) == validator_ok("trade", data), fact


def test_validator_only_rules_are_documented() -> None:
    # What a schema cannot express is left to `vnguangxi check` and said so in the schema module.
    doc = __import__("vnguangxi.schema").schema.__doc__ or ""
    for rule in ("intervals running forward", "ids unique", "references", "verbatim"):
        assert rule in doc


TAPLO = shutil.which("taplo", path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))


@pytest.mark.skipif(TAPLO is None, reason="taplo is not installed (pip install taplo)")
def test_taplo_validates_the_fact_files(tmp_path: Path) -> None:
    assert TAPLO is not None
    ok = subprocess.run(
        [TAPLO, "lint", *map(str, sorted((ROOT / "facts").glob("*.toml")))], cwd=ROOT, capture_output=True, text=True
    )
    assert ok.returncode == 0, ok.stderr
    bad = tmp_path / "trade.toml"
    schema = (ROOT / "schema" / "facts.schema.json").as_uri()
    bad.write_text(f"#:schema {schema}\n" + FACT.replace('status = "done"', 'status = "dne"'), encoding="utf-8")
    failed = subprocess.run([TAPLO, "lint", str(bad)], cwd=tmp_path, capture_output=True, text=True)
    assert failed.returncode != 0
    assert "dne" in failed.stderr + failed.stdout
