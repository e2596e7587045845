"""The rules across files (crosscheck): one implementation, fed the same way by `check` and the index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from helpers import make_folder
from hypothesis import given, settings
from hypothesis import strategies as st

from vnguangxi.crosscheck import ChunkRefs, Locators, cross_check
from vnguangxi.validate import Record

IDS = ["a", "b", "c", "d", "e"]
PLACES = ["mong-cai", "dongxing"]


def registries() -> dict[str, list[Record]]:
    places = [{"id": p, "kind": "city", "country": "vn", "name_en": p, "parent": "vn"} for p in PLACES]
    places.append({"id": "vn", "kind": "country", "country": "vn", "name_en": "Vietnam"})
    return {
        "sources": [Record({"id": "s1", "file": "s1.txt"}, "sources.toml", 0, 1)],
        "localities": [Record(p, "localities.toml", i, 1 + 5 * i) for i, p in enumerate(places)],
        "people": [],
    }


fact = st.fixed_dictionaries(
    {
        "id": st.sampled_from(IDS),
        "localities": st.lists(st.sampled_from([*PLACES, "hanoi"]), max_size=2, unique=True),
        "people": st.lists(st.just("nobody"), max_size=1),
        "sources": st.lists(st.sampled_from(["s1", "s2"]), min_size=1, max_size=2),
        "conflicts_with": st.lists(st.sampled_from([*IDS, "zz"]), max_size=2, unique=True),
        "related": st.lists(st.sampled_from([*IDS, "zz"]), max_size=1),
    }
)


def parts_of(facts: list[dict[str, Any]], cuts: list[int]) -> list[tuple[str, int, ChunkRefs]]:
    """The facts of one file cut into chunks at ``cuts``, as `build` would summarise them."""
    bounds = [0, *sorted({c % (len(facts) + 1) for c in cuts}), len(facts)]
    parts = []
    for start, end in zip(bounds, bounds[1:], strict=False):
        if start == end:
            continue
        refs = ChunkRefs()
        for k, f in enumerate(facts[start:end]):
            refs.add(
                k, f["id"], [(key, f[key]) for key in ("localities", "people", "sources", "conflicts_with", "related")]
            )
        parts.append(("trade.toml", start, ChunkRefs.from_json(refs.to_json())))
    return parts


def toml(facts: list[dict[str, Any]]) -> str:
    out = []
    for f in facts:
        out.append("[[facts]]")
        for key, value in f.items():
            if key == "sources":
                value = [{"source": s, "excerpt": "x"} for s in value]
                out.append("sources = [" + ", ".join(f'{{source = "{v["source"]}"}}' for v in value) + "]")
            else:
                out.append(f"{key} = {json.dumps(value)}")
    return "\n".join(out) + "\n"


@settings(max_examples=150, deadline=None)
@given(st.lists(fact, min_size=1, max_size=8), st.lists(st.integers(0, 8), max_size=4))
def test_the_problems_do_not_depend_on_how_the_facts_are_chunked(facts: list[dict[str, Any]], cuts: list[int]) -> None:
    """Where chunk boundaries fall (one file whole, or cut anywhere) changes nothing the rules find."""
    text = toml(facts)
    whole = cross_check(parts_of(facts, []), registries(), Locators({"trade.toml": text}))
    cut = cross_check(parts_of(facts, cuts), registries(), Locators({"trade.toml": text}))
    assert cut == whole


def test_every_kind_of_reference_is_checked() -> None:
    facts = [
        {"id": "a", "localities": ["hanoi"], "people": ["nobody"], "sources": ["s2"], "conflicts_with": ["b"]},
        {"id": "b", "localities": [], "people": [], "sources": ["s1"], "conflicts_with": [], "related": ["zz"]},
    ]
    for f in facts:
        f.setdefault("related", [])
    text = toml(facts)
    problems = cross_check(parts_of(facts, []), registries(), Locators({"trade.toml": text}))
    messages = [p.message for p in problems]
    assert any("names unknown locality 'hanoi'" in m for m in messages)
    assert any("names unknown person 'nobody'" in m for m in messages)
    assert any("cites unknown source 's2'" in m for m in messages)
    assert any("'related' names unknown fact 'zz'" in m for m in messages)
    assert any("conflicts with 'b', but 'b' does not list 'a'" in m for m in messages)
    assert len(problems) == 5
    assert all(p.line > 1 for p in problems)  # each placed on its fact, not at the top of the file


def test_chunk_refs_survive_their_stored_form() -> None:
    refs = ChunkRefs()
    refs.add(0, "a", [("localities", ["mong-cai", "mong-cai-2"]), ("sources", ["s1", "", "s1"])])
    refs.add(2, "c", [("localities", ["mong-cai"])])
    assert refs.ids == ["a", "", "c"]
    assert refs.named["sources"] == {"s1": [0, 0, 0, 2]}  # item 1 had no usable source id
    refs.invalid.append("b")
    assert ChunkRefs.from_json(refs.to_json()) == ChunkRefs(refs.ids, refs.named, ["b"])


def test_a_registry_id_repeated_in_one_file_is_reported_once(run: Any, tmp_path: Path) -> None:
    people = '[[people]]\nid = "ann"\nname = "Ann"\n\n[[people]]\nid = "ann"\nname = "Ann B"\n'
    folder = make_folder(tmp_path / "f", {"people.toml": people})
    result = run("check", str(folder), "--no-builtin", "--format", "json")
    problems = json.loads(result.stdout)["problems"]
    assert [(p["line"], p["message"]) for p in problems] == [
        (6, f"duplicate id 'ann': already used at {folder / 'people.toml'}:2")
    ]
