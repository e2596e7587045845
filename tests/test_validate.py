"""The rules for one file (validate): one set of rules gives both the quick and the detailed verdict."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

BAD_OR_GOOD = {
    "id": st.sampled_from(["f1", "F1", "", 3, "a-" * 40]),
    "statement": st.sampled_from(["Trade grew.", "", "  ", 1]),
    "date": st.sampled_from(["2024", "2024-02-30", "2024-06/2025", "soon", 2024]),
    "date_kind": st.sampled_from(["point", "period", "due", "when"]),
    "status": st.sampled_from(["done", "planned", "rumoured"]),
    "localities": st.sampled_from([[], ["mong-cai"], ["x", "x"], "mong-cai", [1]]),
    "series": st.sampled_from(["", "trade-total", "Trade Total"]),
    "related": st.sampled_from([[], ["f1"], ["g2"], ["Bad Id"]]),
    "quantity": st.sampled_from(
        [
            {"value": 1, "unit": "usd", "qualifier": "exact", "stated": "$1"},
            {"value": float("nan"), "unit": "usd", "qualifier": "exact", "stated": "$1"},
            {"value": 1, "unit": "cows", "qualifier": "exact", "stated": "1"},
            "one",
        ]
    ),
    "sources": st.sampled_from(
        [[{"source": "s1", "excerpt": "words"}], [], [{"source": "s1"}], [{"source": "s1", "excerpt": "w " * 30}]]
    ),
    "draft": st.sampled_from([True, False, "yes"]),
    "colour": st.just("red"),
}


@settings(max_examples=400, deadline=None)
@given(
    st.dictionaries(st.sampled_from(sorted(BAD_OR_GOOD)), st.none(), min_size=5).flatmap(
        lambda keys: st.fixed_dictionaries({k: BAD_OR_GOOD[k] for k in keys})
    )
)
def test_the_quick_verdict_is_the_detailed_one(fact: dict[str, Any]) -> None:
    """The quick verdict on a fact (rules run until the first problem) and the detailed one (every
    problem, located) come from the same rules: one accepts exactly what the other finds nothing in."""
    from vnguangxi import validate

    detailed = validate._Checker("trade.toml", "")
    record = validate._check_fact(detailed, 0, fact, "trade")
    try:
        quick = validate._check_fact(validate._QUIET, 0, fact, "trade")
    except validate._Reject:
        assert detailed.problems and record is None
    else:
        assert not detailed.problems and quick == record and record is not None
