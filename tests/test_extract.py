"""`vnguangxi extract`: each phenomenon of news about figures and dates, on synthetic sentences; then every
real article, whose drafts must cite verbatim and pass `check`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, SEEDS
from vnguangxi.extract import Draft, Registry, excerpt, extract_text, load_registry, names
from vnguangxi.extract.article import read
from vnguangxi.load import builtin_dir
from vnguangxi.text import excerpt_words

ARTICLES = ROOT.parent / "shared" / "articles"

PLACES: list[dict[str, Any]] = [
    {"id": "vn", "kind": "country", "country": "vn", "name_en": "Vietnam", "name_vi": "Việt Nam", "name_zh": "越南"},
    {"id": "cn", "kind": "country", "country": "cn", "name_en": "China", "name_zh": "中国"},
    {
        "id": "harbour-town",
        "kind": "city",
        "country": "vn",
        "parent": "vn",
        "name_en": "Ben Cang",
        "name_vi": "Bến Cảng",
        "name_zh": "本港",
        "aliases": ["Port Town", "本港市", "本港巿"],
    },
    {
        "id": "river-city",
        "kind": "city",
        "country": "cn",
        "parent": "cn",
        "name_en": "Hezhou Bay",
        "name_zh": "河州湾",
        "aliases": ["河州灣"],
    },
]
PEOPLE: list[dict[str, Any]] = [{"id": "tran-an", "name": "Trần Văn An", "aliases": ["Tran An"]}]


@pytest.fixture(scope="module")
def reg() -> Registry:
    return Registry(names.places(PLACES), names.people(PEOPLE), {}, {})


def drafts(reg: Registry, text: str, published: str = "2025-06-18") -> list[Draft]:
    return extract_text(text, "synthetic.txt", reg, published=published).drafts


def figures(ds: list[Draft]) -> list[tuple[float, str, str, str | None]]:
    return [(d.quantity.value, d.quantity.unit, d.quantity.qualifier, d.date) for d in ds if d.quantity is not None]


def one(ds: list[Draft], value: float) -> Draft:
    found = [d for d in ds if d.quantity is not None and d.quantity.value == value]
    assert len(found) == 1, figures(ds)
    return found[0]


# ------------------------------------------------------------------------------ figures


def test_english_scale_words_give_base_units(reg: Registry) -> None:
    ds = drafts(reg, "Exports from the zone reached 43.5 billion USD in 2024.")
    assert figures(ds) == [(43_500_000_000, "USD", "exact", "2024")]


def test_paired_currency_is_an_equivalent(reg: Registry) -> None:
    ds = drafts(reg, "Two-way trade hit nearly CNY120 billion (US$16.5 billion) in 2023, officials said.")
    (d,) = [d for d in ds if d.quantity]
    assert d.quantity is not None
    assert (d.quantity.value, d.quantity.unit, d.quantity.qualifier) == (120_000_000_000, "CNY", "nearly")
    assert [(e.value, e.unit) for e in d.quantity.equivalents] == [(16_500_000_000, "USD")]
    assert d.to_dict()["quantity"]["equivalents"] == [
        {"value": 16_500_000_000, "unit": "USD", "stated": "US$16.5 billion"}
    ]


def test_count_noun_is_the_unit(reg: Registry) -> None:
    ds = drafts(reg, "The crossing handled more than 4.2 million visits and over 310 tour groups in 2022.")
    assert figures(ds) == [(4_200_000, "visits", "more-than", "2022"), (310, "tour-groups", "more-than", "2022")]


def test_number_words_count_things(reg: Registry) -> None:
    ds = drafts(reg, "The province now runs seven highways and three railways to the border.")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(7, "highways"), (3, "railways")]


def test_per_cent_is_a_rate(reg: Registry) -> None:
    ds = drafts(reg, "Imports rose 12.7 per cent in 2021, while exports grew 8%.")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(12.7, "%"), (8, "%")]


def test_ordinals_and_ranks(reg: Registry) -> None:
    ds = drafts(reg, "The 12th session of the committee named Vietnam its third largest partner.")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(12, "ordinal"), (3, "rank")]


def test_years_and_days_are_not_figures(reg: Registry) -> None:
    ds = drafts(reg, "The bridge opened on March 19, 2019, in Ben Cang.")
    assert figures(ds) == []


def test_a_number_in_quotes_is_a_name(reg: Registry) -> None:
    ds = drafts(reg, "The “2468” hotline in Ben Cang has helped 90 patients so far.")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(90, "patients")]


def test_elliptical_count_takes_the_previous_noun(reg: Registry) -> None:
    ds = drafts(reg, "The clinic treated about 300 patients, including more than 120 from Ben Cang, in 2024.")
    assert [(v, u, q) for v, u, q, _ in figures(ds)] == [(300, "patients", "about"), (120, "patients", "more-than")]


def test_vietnamese_decimal_comma(reg: Registry) -> None:
    ds = drafts(reg, "Năm 2023, kim ngạch qua Bến Cảng đạt 12,5 tỷ USD, tăng hơn 20%.", published="2024-02-01")
    assert figures(ds) == [(12_500_000_000, "USD", "exact", "2023"), (20, "%", "more-than", "2023")]


def test_vietnamese_dot_thousands_and_scale_words(reg: Registry) -> None:
    ds = drafts(reg, "Năm nay, cửa khẩu đón 2.350 lượt khách và gần 3 triệu tấn hàng.", published="2024-05-10")
    assert figures(ds) == [(2350, "visits", "exact", "2024"), (3_000_000, "tonnes", "nearly", "2024")]


def test_chinese_wan_yi_multipliers(reg: Registry) -> None:
    ds = drafts(reg, "2023年，本港口岸货运量达12.6万吨，贸易额3200亿元。", published="2024-03-01")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(126_000, "tonnes"), (320_000_000_000, "CNY")]


def test_chinese_duo_yu_mean_more_than(reg: Registry) -> None:
    ds = drafts(reg, "去年本港口岸出入境旅客达410多万人次，其中外籍旅客2.5万余人次。", published="2024-03-01")
    assert figures(ds) == [
        (4_100_000, "visits", "more-than", "2023"),
        (25_000, "visits", "more-than", "2023"),
    ]


def test_chinese_jin_yue_chaoguo_qualifiers(reg: Registry) -> None:
    ds = drafts(reg, "2022年，两地互市贸易约80亿元，超过5000辆货车通关，近30个项目落地。", published="2023-01-05")
    assert [(v, u, q) for v, u, q, _ in figures(ds)] == [
        (8_000_000_000, "CNY", "about"),
        (5000, "vehicles", "more-than"),
        (30, "projects", "nearly"),
    ]


def test_chinese_numeral_ordinal(reg: Registry) -> None:
    ds = drafts(reg, "第十二次会晤在河州湾举行。", published="2023-01-05")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(12, "ordinal")]


def test_stated_keeps_adverb_qualifier_not_verb(reg: Registry) -> None:
    ds = drafts(reg, "Trade exceeded 90 billion CNY in 2020 and nearly 15 billion USD in 2021.")
    assert [d.quantity.stated for d in ds if d.quantity] == ["90 billion CNY", "nearly 15 billion USD"]


def test_traditional_chinese_figures(reg: Registry) -> None:
    ds = drafts(reg, "本港總投資額90億元人民幣，新增12萬噸貨物。", published="2017-09-13")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(9_000_000_000, "CNY"), (120_000, "tonnes")]
    assert [d.quantity.stated for d in ds if d.quantity] == ["90億元人民幣", "12萬噸"]


def test_full_width_digits(reg: Registry) -> None:
    ds = drafts(reg, "２０２３年，本港贸易额达１２．５亿元，增长８％。", published="2024-03-01")
    assert figures(ds) == [(1_250_000_000, "CNY", "exact", "2023"), (8, "%", "exact", "2023")]
    assert ds[0].quantity is not None and ds[0].quantity.stated == "１２．５亿元"


def test_chinese_classifier_takes_the_noun_before(reg: Registry) -> None:
    ds = drafts(reg, "本港至越南的航线已开通14条。", published="2024-09-23")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(14, "routes")]


def test_range_bounds_share_the_unit(reg: Registry) -> None:
    zh = drafts(reg, "今年以来，本港日均旅客维持在1.2万至1.5万人次。", published="2024-03-29")
    en = drafts(reg, "Ben Cang now handles 300 to 400 trucks a day.", published="2024-03-29")
    assert [(v, u) for v, u, _, _ in figures(zh)] == [(12_000, "visits"), (15_000, "visits")]
    assert [(v, u) for v, u, _, _ in figures(en)] == [(300, "vehicles"), (400, "vehicles")]


def test_numbered_names_are_not_counts(reg: Registry) -> None:
    ds = drafts(reg, "本港二桥口岸开放获得批复，两国将加快建设。", published="2024-03-29")
    assert figures(ds) == []


def test_scaled_decimals_are_exact(reg: Registry) -> None:
    ds = drafts(reg, "The project in Ben Cang costs VND8.31 trillion ($358 million).", published="2019-10-01")
    (d,) = [d for d in ds if d.quantity]
    assert d.to_dict()["quantity"]["value"] == 8_310_000_000_000


def test_anniversaries_and_firsts_are_ordinals(reg: Registry) -> None:
    ds = drafts(reg, "今年是本港与河州湾结好30周年，双方开通首条跨境公交线路。", published="2024-05-01")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(30, "ordinal"), (1, "ordinal")]


def test_counted_provinces_and_unnamed_plurals(reg: Registry) -> None:
    ds = drafts(reg, "Leaders of four border provinces agreed to build three new logistics centres.", "2024-05-01")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(4, "provinces"), (3, "items")]


# ------------------------------------------------------------------------------ dates


def test_last_year_resolves_against_publication(reg: Registry) -> None:
    ds = drafts(reg, "Ben Cang received 2 million visitors last year.", published="2025-04-02")
    d = one(ds, 2_000_000)
    assert (d.date, d.date_kind) == ("2024", "period")
    assert "last year" in d.date_basis and "2024" in d.date_basis


def test_relative_years_in_three_languages(reg: Registry) -> None:
    vi = drafts(reg, "Năm ngoái, Bến Cảng đón 500 đoàn khách.", published="2025-04-02")
    zh = drafts(reg, "今年本港接待游客80万人次。", published="2025-04-02")
    assert one(vi, 500).date == "2024"
    assert one(zh, 800_000).date == "2025"


def test_first_n_months_is_a_period(reg: Registry) -> None:
    en = drafts(reg, "In the first five months of this year, exports reached 3 billion USD.", published="2025-06-18")
    vi = drafts(reg, "Trong 7 tháng đầu năm nay, kim ngạch đạt 40 tỷ USD.", published="2025-08-28")
    zh = drafts(reg, "2024年前10个月，贸易额达1800亿元。", published="2024-12-01")
    assert one(en, 3_000_000_000).date == "2025-01/2025-05"
    assert one(vi, 40_000_000_000).date == "2025-01/2025-07"
    assert one(zh, 180_000_000_000).date == "2024-01/2024-10"


def test_first_quarters_are_periods(reg: Registry) -> None:
    en = drafts(reg, "In the first three quarters of 2024, Ben Cang exported 9 billion USD.", published="2024-10-20")
    zh = drafts(reg, "2024年前三季度，本港贸易额达1800亿元。", published="2024-10-20")
    assert one(en, 9e9).date == one(zh, 1.8e11).date == "2024-01/2024-09"


def test_weekday_resolves_to_latest_on_or_before_publication(reg: Registry) -> None:
    # 2025-06-18 is a Wednesday: "on Wednesday" is that day, "on Friday" the Friday before.
    ds = drafts(reg, "The gate in Ben Cang reopened on Wednesday. A delegation arrived on Friday.")
    dates = [d.date for d in ds]
    assert dates == ["2025-06-18", "2025-06-13"]


def test_weekday_with_partial_publication_date_is_a_todo(reg: Registry) -> None:
    ds = drafts(reg, "The gate in Ben Cang reopened on Wednesday.", published="2025-06")
    assert ds and ds[0].date == "2025-06"
    assert any("Wednesday" in t for t in ds[0].todo)


def test_since_month_last_year_runs_to_publication(reg: Registry) -> None:
    ds = drafts(reg, "Since October last year, the route has carried 12,000 passengers.", published="2025-03-10")
    d = one(ds, 12_000)
    assert d.date == "2024-10/2025-03-10"
    assert d.status == "ongoing"


def test_consecutive_years_is_as_of_publication(reg: Registry) -> None:
    ds = drafts(reg, "China has been Vietnam's largest partner for 19 consecutive years.", published="2025-03-10")
    d = one(ds, 19)
    assert (d.quantity.unit if d.quantity else None, d.date, d.date_kind) == ("years", "2025-03-10", "as-of")


def test_by_year_is_a_due_date(reg: Registry) -> None:
    en = drafts(reg, "The province aims to build 4 new ports by 2030.", published="2025-03-10")
    zh = drafts(reg, "本港计划2030年前建成3条航线。", published="2025-03-10")
    for d in (one(en, 4), one(zh, 3)):
        assert (d.date, d.date_kind, d.status) == ("2030", "due", "planned")


def test_a_deadline_already_past_is_an_as_of_date(reg: Registry) -> None:
    en = drafts(reg, "By the end of 2023, Ben Cang had attracted 40 projects.", published="2024-05-01")
    zh = drafts(reg, "截至2023年底，本港累计引进项目40个。", published="2024-05-01")
    for d in (one(en, 40), one(zh, 40)):
        assert (d.date, d.date_kind, d.status) == ("2023", "as-of", "done")


def test_sentence_final_date_dates_the_whole_sentence(reg: Registry) -> None:
    ds = drafts(reg, "Exports from Ben Cang reached 2 million tonnes, worth US$900 million, in 2022.", "2024-05-01")
    assert {d.date for d in ds if d.quantity} == {"2022"}


def test_over_a_span_of_time_is_not_more_than(reg: Registry) -> None:
    ds = drafts(reg, "The fair in Ben Cang drew about 8,000 visitors over four days.", "2024-05-01")
    assert [(v, u, q) for v, u, q, _ in figures(ds)] == [(8000, "people", "about"), (4, "days", "exact")]


def test_the_past_year_runs_to_publication(reg: Registry) -> None:
    en = drafts(reg, "Over the past year, Ben Cang received 120 flights.", published="2024-05-10")
    zh = drafts(reg, "一年来，本港接待游客50万人次。", published="2024-05-10")
    assert one(en, 120).date == "2023-05/2024-05"
    assert one(zh, 500_000).date == "2023-05/2024-05"


def test_chinese_year_before_a_count(reg: Registry) -> None:
    ds = drafts(reg, "书记回顾了2021年5区省书记会晤的成果。", published="2022-02-25")
    assert one(ds, 5).date == "2021"


def test_this_year_by_a_month_is_due_that_month(reg: Registry) -> None:
    ds = drafts(reg, "The new lane at Ben Cang will open this year by December.", published="2025-06-18")
    assert (ds[0].date, ds[0].date_kind, ds[0].status) == ("2025-12", "due", "planned")


def test_cumulative_total_runs_from_the_launch_named_before(reg: Registry) -> None:
    text = "2023年9月，本港跨境旅游试运行。截至今年4月，累计接待游客1.2万人次。"
    d = one(drafts(reg, text, published="2024-04-17"), 12_000)
    assert (d.date, d.date_kind) == ("2023-09/2024-04", "period")


def test_vietnamese_day_month_year(reg: Registry) -> None:
    ds = drafts(reg, "Ngày 11/2/2026, Bến Cảng đón 1.200 lượt khách.", published="2026-02-12")
    assert one(ds, 1200).date == "2026-02-11"
    ds = drafts(reg, "Ngày 3/9, Bến Cảng ký 4 thỏa thuận.", published="2026-09-05")
    assert one(ds, 4).date == "2026-09-03"


def test_chinese_this_year_month_day(reg: Registry) -> None:
    ds = drafts(reg, "今年5月25日，本港口岸单日通关达3.2万人次。", published="2025-06-01")
    assert one(ds, 32_000).date == "2025-05-25"


def test_comparison_year_is_not_the_figure_date(reg: Registry) -> None:
    en = drafts(reg, "In 2024 trade reached 60 billion USD, up 18.2 per cent from the previous year.", "2025-02-01")
    vi = drafts(reg, "Năm 2024, kim ngạch đạt 60 tỷ USD, tăng 18% so với năm 2023.", "2025-02-01")
    zh = drafts(reg, "2024年贸易额达600亿元，同比增长18%，比2023年多100亿元。", "2025-02-01")
    for ds in (en, vi, zh):
        assert {d.date for d in ds if d.quantity} == {"2024"}, figures(ds)


def test_respectively_pairs_figures_with_periods(reg: Registry) -> None:
    ds = drafts(reg, "Exports were 5 billion USD and 7 billion USD in 2022 and 2023, respectively.", "2024-05-01")
    assert [(v, d) for v, _, _, d in figures(ds)] == [(5e9, "2022"), (7e9, "2023")]


def test_part_of_the_figure_before_takes_its_period(reg: Registry) -> None:
    text = "Ben Cang's trade reached 2 billion USD in the first half of 2024.\n\nOf this, exports were 900 million USD."
    assert one(drafts(reg, text, "2024-07-15"), 900_000_000).date == "2024-01/2024-06"


def test_by_year_end_is_due_this_year(reg: Registry) -> None:
    d = one(drafts(reg, "Officials in Ben Cang expect trade to exceed 4 billion USD by year-end.", "2024-07-15"), 4e9)
    assert (d.date, d.date_kind, d.status) == ("2024", "due", "planned")


def test_year_carried_from_previous_sentence(reg: Registry) -> None:
    ds = drafts(reg, "In 2021, Ben Cang opened to tourists. It received 800 tour groups.", "2024-05-01")
    d = one(ds, 800)
    assert d.date == "2021"
    assert any("previous sentence" in t for t in d.todo)


def test_a_run_of_days_without_a_year_is_one_period(reg: Registry) -> None:
    text = "A delegation from Ben Cang paid a working visit from March 4-7 to the coastal provinces."
    ds = drafts(reg, text, "2024-03-08")
    assert [d.date for d in ds] == ["2024-03-04/2024-03-07"]
    ds = drafts(reg, "The trade fair in Ben Cang ran 3–5 May last year, drawing many buyers.", "2024-03-08")
    assert [d.date for d in ds] == ["2023-05-03/2023-05-05"]


def test_a_perfect_tense_total_after_a_launch_runs_to_publication(reg: Registry) -> None:
    text = "The ferry to Ben Cang, which resumed service on June 2 last year, has carried 45,000 passengers."
    d = one(drafts(reg, text, "2024-04-10"), 45_000)
    assert (d.date, d.date_kind) == ("2023-06-02/2024-04-10", "period")
    ds = drafts(reg, text, "2024-04-10")
    assert [(x.date, x.date_kind) for x in ds if x.quantity is None] == [("2023-06-02", "event")]  # the resumption
    that_day = "The ferry, which resumed service on June 2, carried 450 passengers that day."
    past = one(drafts(reg, that_day, "2024-04-10"), 450)
    assert past.date == "2023-06-02"


def test_since_its_opening_also_dates_the_opening(reg: Registry) -> None:
    text = "The market in Ben Cang has drawn over 900 traders since its opening in May last year."
    ds = drafts(reg, text, "2024-09-01")
    assert one(ds, 900).date == "2023-05/2024-09-01"
    assert [(d.date, d.date_kind) for d in ds if d.quantity is None] == [("2023-05", "event")]


def test_a_dated_clause_after_the_figure_is_its_own_claim(reg: Registry) -> None:
    text = "Trade with Ben Cang reached 2.1 billion USD last year and expanded further in the first four months of 2024"
    ds = drafts(reg, text + ".", "2024-06-01")
    assert one(ds, 2.1e9).date == "2023"
    assert [d.date for d in ds if d.quantity is None] == ["2024-01/2024-04"]
    same = drafts(reg, "Trade with Ben Cang reached 2.1 billion USD last year, up sharply.", "2024-06-01")
    assert [d.quantity is None for d in same] == [False]


def test_two_dates_in_one_long_clause_give_one_segment_each(reg: Registry) -> None:
    text = (
        "Sau chuyến thăm Bến Cảng của đoàn đại biểu vào tháng 5 năm ngoái, với sự hỗ trợ của cả hai bên, "
        "tuyến xe buýt Bến Cảng chính thức khai trương từ ngày 3/2 năm nay."
    )
    ds = drafts(reg, text, "2024-06-01")
    assert [d.date for d in ds] == ["2023-05", "2024-02-03"]
    assert all(d.excerpt in text for d in ds)


def test_an_as_of_day_cuts_a_since_period_short(reg: Registry) -> None:
    text = "截至5月20日，本港口岸查验量已达80万人次。今年5月以来，本港口岸日均出入境旅客约1.2万人次。"
    d = one(drafts(reg, text, "2024-05-28"), 12_000)
    assert d.date == "2024-05-01/2024-05-20"
    alone = one(drafts(reg, "今年5月以来，本港口岸日均出入境旅客约1.2万人次。", "2024-05-28"), 12_000)
    assert alone.date == "2024-05-01/2024-05-28"  # to the day: '2024-05/2024-05-28' would be all of May


def test_at_the_same_time_carries_the_period(reg: Registry) -> None:
    text = "本港市市长表示，今年当地继续推进港口建设。同时，积极与越方加强合作，共同推动园区发展。"
    ds = drafts(reg, text, "2017-09-13")
    assert [d.date for d in ds] == ["2017", "2017"]
    assert any("carried" in t for t in ds[1].todo)


def test_a_growth_figure_takes_the_passage_period(reg: Registry) -> None:
    text = "今年1—5月，本港进出口额达120亿元。本港至越南的班列发运货物3200标箱、增长4倍。"
    d = one(drafts(reg, text, "2024-07-01"), 3200)
    assert d.date == "2024-01/2024-05"
    flat = one(drafts(reg, "今年1—5月，本港进出口额达120亿元。本港已开通航线18条。", "2024-07-01"), 18)
    assert flat.date == "2024-07-01"


def test_days_inside_a_named_year_date_the_clause(reg: Registry) -> None:
    text = "3月5日至6日，在两国人民欢度新春之际，2019年本港与河州湾新春会晤活动在本港市举行。"
    ds = drafts(reg, text, "2019-03-08")
    assert "2019-03-05/2019-03-06" in [d.date for d in ds]
    assert "2019" not in [d.date for d in ds]
    fair = drafts(reg, "2019年本港第三届博览会于3月5日至6日举行。", "2019-03-08")
    assert [(v, u, when) for v, u, _, when in figures(fair)] == [(3, "ordinal", "2019-03-05/2019-03-06")]


def test_this_meeting_takes_the_days_of_the_event_reported(reg: Registry) -> None:
    text = "本港5月8日讯 5月6日至7日，本港与河州湾新春会晤在本港举行。\n\n这次会晤是连续第四年举行。"
    ds = drafts(reg, text, "2024-05-09")
    assert one(ds, 4).date == "2024-05-06/2024-05-07"
    en = drafts(reg, "On May 6, Ben Cang hosted a trade forum.\n\nThis forum was the fourth in a row.", "2024-05-09")
    assert one(en, 4).date == "2024-05-06"


# ------------------------------------------------------------------------------ places and people


def test_places_match_any_name_accents_ignored(reg: Registry) -> None:
    ds = drafts(reg, "BEN CANG and Bến Cảng and Port Town signed 3 agreements with China.")
    assert ds[0].localities == ["harbour-town", "cn"]


def test_chinese_places_by_substring_both_scripts(reg: Registry) -> None:
    simplified = drafts(reg, "本港市与河州湾签署5份协议。", "2024-01-01")
    traditional = drafts(reg, "本港巿與河州灣簽署5份協議。", "2024-01-01")
    assert set(simplified[0].localities) == {"harbour-town", "river-city"}
    assert set(traditional[0].localities) == {"harbour-town", "river-city"}


def test_traditional_text_finds_a_simplified_name(reg: Registry) -> None:
    simplified_only = Registry(
        names.places(
            [
                *PLACES,
                {
                    "id": "east-port",
                    "kind": "city",
                    "country": "cn",
                    "parent": "cn",
                    "name_en": "Dong Gang",
                    "name_zh": "东港",
                },
            ]
        ),
        names.people(PEOPLE),
        {},
        {},
    )
    ds = extract_text("東港口岸簽署3份協議。", "t.txt", simplified_only, published="2024-01-01").drafts
    assert "east-port" in ds[0].localities


def test_people_by_any_name(reg: Registry) -> None:
    ds = drafts(reg, "Tran An said Ben Cang handled 20 flights in 2024.")
    assert ds[0].people == ["tran-an"]


GROUP_PLACES: list[dict[str, Any]] = [
    *PLACES,
    *[
        {"id": f"vp-{i}", "kind": "province", "country": "vn", "parent": "vn", "name_en": n, "name_zh": z}
        for i, (n, z) in enumerate(
            [("Song Xanh", "松青"), ("Nui Do", "内都"), ("Dong Bac", "东北"), ("Ha Tay", "河西")]
        )
    ],
    {"id": "cp-0", "kind": "province", "country": "cn", "parent": "cn", "name_en": "Linhai", "name_zh": "临海"},
]


def test_a_counted_group_named_before_its_list_takes_the_list(reg: Registry) -> None:
    greg = Registry(names.places(GROUP_PLACES), names.people(PEOPLE), {}, {})
    text = (
        "Linhai and the four border provinces held their annual meeting. "
        "Leaders of Song Xanh, Nui Do, Dong Bac and Ha Tay met the Linhai secretary there."
    )
    (first, *_) = drafts(greg, text, "2024-02-20")
    assert {"vp-0", "vp-1", "vp-2", "vp-3"} <= set(first.localities)
    assert any("four border provinces" in t for t in first.todo)


def test_a_town_with_its_provinces_is_not_a_list_of_members(reg: Registry) -> None:
    towns = [
        *GROUP_PLACES,
        {"id": "vt-0", "kind": "city", "country": "vn", "parent": "vp-0", "name_en": "Cau Moi"},
    ]
    greg = Registry(names.places(towns), names.people(PEOPLE), {}, {})
    text = (
        "Song Xanh and Linhai signed a plan.\n\n"
        "Song Xanh sent 40 students from Cau Moi to a school in Linhai.\n\n"
        "Also, the provinces have agreed to promote tourism and trade cooperation in the coming years."
    )
    ds = drafts(greg, text, "2024-02-20")
    assert "vt-0" not in ds[-1].localities


def test_leaders_of_provinces_are_the_listed_members(reg: Registry) -> None:
    greg = Registry(names.places(GROUP_PLACES), names.people(PEOPLE), {}, {})
    text = (
        "Song Xanh, Nui Do, Dong Bac, Ha Tay and Linhai held their joint committee meeting.\n\n"
        "Officials said visits between senior leaders of provinces and region were maintained in flexible forms."
    )
    ds = drafts(greg, text, "2024-02-20")
    assert {"vp-0", "vp-1", "vp-2", "vp-3"} <= set(ds[-1].localities)


def test_all_parties_are_the_places_of_the_meeting(reg: Registry) -> None:
    greg = Registry(names.places(GROUP_PLACES), names.people(PEOPLE), {}, {})
    text = "临海与松青、内都、东北、河西四省书记举行会晤。與會各方簽署多項合作協議。"
    ds = drafts(greg, text, "2024-02-20")
    assert {"vp-0", "vp-1", "vp-2", "vp-3", "cp-0"} <= set(ds[-1].localities)
    aspects = drafts(greg, "临海与松青、内都、东北举行会晤。各方面合作成果丰硕，令人鼓舞。", "2024-02-20")
    assert not any("各方" in t for t in aspects[-1].todo)  # 各方面, "all aspects", names no parties


GATE_PLACES: list[dict[str, Any]] = [
    *PLACES,
    {
        "id": "ben-cang-gate",
        "kind": "border-gate",
        "country": "vn",
        "parent": "harbour-town",
        "name_en": "Ben Cang Pier",
    },
    {"id": "hezhou-port", "kind": "border-port", "country": "cn", "parent": "river-city", "name_en": "Hezhou Pier"},
]


def test_a_town_named_with_a_gate_word_brings_its_one_gate(reg: Registry) -> None:
    greg = Registry(names.places(GATE_PLACES), names.people(PEOPLE), {}, {})
    (d,) = drafts(greg, "Work began on the Ben Cang (Vietnam) – Hezhou Bay (China) smart border gate last week.")
    assert {"ben-cang-gate", "hezhou-port"} <= set(d.localities)
    (town,) = drafts(greg, "Ben Cang opened a new fish market for traders from Hezhou Bay last week.")
    assert "ben-cang-gate" not in town.localities


def test_places_carried_to_the_next_sentence_bring_their_containing_places(reg: Registry) -> None:
    greg = Registry(names.places(GATE_PLACES), names.people(PEOPLE), {}, {})
    ds = drafts(
        greg, "Traders crowded the Ben Cang Pier in June. Customs officers worked extra shifts to keep queues short."
    )
    assert {"ben-cang-gate", "harbour-town"} <= set(ds[-1].localities)


def test_later_mentions_of_a_route_take_its_two_ends(reg: Registry) -> None:
    text = (
        "A new ferry linking Ben Cang and Hezhou Bay started service in May.\n\n"
        "Passengers said the ferry saves them half a day. Traders in Ben Cang reported 300 new orders."
    )
    ds = drafts(reg, text, "2024-07-01")
    said = next(d for d in ds if "saves them" in d.excerpt)
    assert {"harbour-town", "river-city"} <= set(said.localities)
    orders = one(ds, 300)
    assert not any("route named before" in t for t in orders.todo)


VENUE_PLACES: list[dict[str, Any]] = [
    *PLACES,
    {"id": "north-ward", "kind": "ward", "country": "vn", "parent": "harbour-town", "name_en": "Bac Ward"},
]


def test_later_mentions_of_the_event_take_its_venue(reg: Registry) -> None:
    vreg = Registry(names.places(VENUE_PLACES), names.people(PEOPLE), {}, {})
    text = (
        "On May 2, Ben Cang hosted the third trade forum with Hezhou Bay in Bac Ward.\n\n"
        "Delegates at the forum signed nine contracts. Separately, a delegation from Hezhou Bay toured farms."
    )
    ds = drafts(vreg, text, "2024-05-03")
    assert "north-ward" in one(ds, 9).localities
    assert not any("held in" in t for t in ds[-1].todo)


def test_a_sentence_naming_only_the_countries_gets_the_article_main_places(reg: Registry) -> None:
    text = (
        "Vietnam and China marked 75 years of ties this year. Vietnam welcomed Chinese investors. "
        "Ben Cang and Hezhou Bay signed a port deal.\n\n"
        "People-to-people exchanges between Vietnam and China have become more frequent."
    )
    ds = drafts(reg, text, "2025-06-18")
    assert {"harbour-town", "river-city"} <= set(ds[-1].localities)


def test_a_pronoun_subject_after_a_connective_is_the_place_before(reg: Registry) -> None:
    text = (
        "Ben Cang and Hezhou Bay have expanded trade across the river.\n\n"
        "Thereby, they have made practical contributions to relations between Vietnam and China."
    )
    ds = drafts(reg, text, "2024-02-20")
    assert {"harbour-town", "river-city"} <= set(ds[-1].localities)
    assert any("'They' taken as" in t for t in ds[-1].todo)


def test_an_agreed_point_in_the_imperative_is_a_claim(reg: Registry) -> None:
    text = "Ben Cang and Hezhou Bay agreed on a plan.\n\nExpand exchanges between young people and artists."
    ds = drafts(reg, text, "2024-02-20")
    assert [d.excerpt for d in ds][-1] == "Expand exchanges between young people and artists."
    assert len(drafts(reg, "Photo by a staff reporter from the river.", "2024-02-20")) == 0


def test_speaker_carried_to_he_said(reg: Registry) -> None:
    text = "Trần Văn An visited Ben Cang in 2024. He said the town received 90 delegations in 2023."
    d = one(drafts(reg, text), 90)
    assert d.people == ["tran-an"]
    assert any("speaker carried" in t for t in d.todo)


# ------------------------------------------------------------------------------ excerpts and drafts


def test_excerpt_ends_at_a_clause_boundary() -> None:
    sentence = (
        "Officials in the northern border province said that exports through the crossing reached "
        "5 billion USD last year, while imports through the same crossing grew by a fifth."
    )
    ex = excerpt(
        sentence,
        (sentence.index("5 billion"), sentence.index("USD") + 3),
        (sentence.index("last"), sentence.index("year,") + 4),
    )
    assert ex.endswith("5 billion USD last year")


def test_excerpt_is_verbatim_and_short() -> None:
    sentence = (
        "After a long and carefully prepared series of consultations between the two neighbouring provinces "
        "over several years, officials confirmed that the new crossing handled 1.6 million visits in 2024, "
        "a record that nobody in the region had expected before the pandemic ended."
    )
    ex = excerpt(sentence, (sentence.index("1.6"), sentence.index("visits") + 6))
    assert ex in sentence
    assert excerpt_words(ex) <= 20
    assert "1.6 million visits" in ex


def test_chinese_excerpt_counts_two_characters_as_a_word(reg: Registry) -> None:
    text = "据介绍，" + "本港口岸近年来不断推进通关便利化改革，" * 3 + "2024年出入境旅客达520万人次，创历史新高。"
    ds = drafts(reg, text, "2025-01-10")
    d = one(ds, 5_200_000)
    assert d.excerpt in text and excerpt_words(d.excerpt) <= 20


def test_header_gives_publication_date_and_source(reg: Registry) -> None:
    text = (
        "url: https://example.org/a\ntitle: A test\npublished: 2024-03-29 (printed on the page)\n"
        "publisher: Test Daily\nlanguage: en\n\nBen Cang received 40 flights last year.\n"
    )
    r = extract_text(text, "x/42_test.txt", reg)
    assert r.pub.text == "2024-03-29"
    assert r.source == "42_test"
    assert r.source_entry is not None and r.source_entry["publisher"] == "Test Daily"
    assert one(r.drafts, 40).date == "2023"
    assert all("url:" not in d.excerpt for d in r.drafts)


def test_page_chrome_is_not_cited(reg: Registry) -> None:
    body = " date 2019-10-01\nHome > News\nTrucks at the gate (Photo: VNA)\nBen Cang handled 900 trucks in 2018.\n"
    art = read(body, "c.txt")
    assert [s.text for s in art.sentences] == ["Ben Cang handled 900 trucks in 2018."]


def test_a_figure_cut_off_with_the_copy_is_left_out(reg: Registry) -> None:
    ds = drafts(reg, "本港去年进出口货物12万吨，经本港口岸进出口货物245", "2024-09-23")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(120_000, "tonnes")]


def test_headline_figure_repeated_in_the_story_is_one_draft(reg: Registry) -> None:
    text = "Ben Cang crossings top 30,000 a day\nBen Cang handled more than 30,000 crossings a day in March.\n"
    ds = drafts(reg, text, "2024-03-29")
    assert [d.excerpt for d in ds if d.quantity] == ["Ben Cang handled more than 30,000 crossings a day in March."]


def test_a_group_named_again_in_the_same_words_is_one_figure(reg: Registry) -> None:
    text = (
        "The five coastal provinces met in Ben Cang on 3 May. Trade among the five coastal provinces grew, "
        "and the five coastal provinces agreed to meet again."
    )
    ds = drafts(reg, text, "2024-05-10")
    assert [(v, u, when) for v, u, _, when in figures(ds)] == [(5, "provinces", "2024-05-03")]
    assert any("drafted once" in t for d in ds for t in d.todo)


def test_a_different_count_of_the_same_unit_is_its_own_figure(reg: Registry) -> None:
    ds = drafts(reg, "The 3rd fair was held in Ben Cang in 2022. The 4th fair followed in 2023.", "2024-05-10")
    assert [(v, u) for v, u, _, _ in figures(ds)] == [(3, "ordinal"), (4, "ordinal")]


def test_a_milestone_passed_for_the_first_time_is_not_an_ordinal(reg: Registry) -> None:
    en = drafts(reg, "Exports from Ben Cang passed 2 billion USD for the first time in 2023.")
    zh = drafts(reg, "2023年本港出口首次突破20亿元。")
    vi = drafts(reg, "Năm 2023, xuất khẩu của Bến Cảng lần đầu tiên vượt 2 tỷ USD.")
    for ds in (en, zh, vi):
        assert [u for _, u, _, _ in figures(ds)] == [figures(ds)[0][1]] and figures(ds)[0][1] != "ordinal"
    assert [(v, u) for v, u, _, _ in figures(drafts(reg, "本港建成首个智慧口岸。"))] == [(1, "ordinal")]
    held = drafts(reg, "The fair was held in Ben Cang for the first time.")
    assert [(v, u) for v, u, _, _ in figures(held)] == [(1, "ordinal")]


def test_rank_held_for_consecutive_years_gives_the_years(reg: Registry) -> None:
    zh = drafts(reg, "越南连续12年成为本港最大贸易伙伴。", "2024-06-01")
    en = drafts(reg, "Vietnam has been Ben Cang's largest trading partner for 12 consecutive years.", "2024-06-01")
    for ds in (zh, en):
        assert [(v, u) for v, u, _, _ in figures(ds)] == [(12, "years")]
    assert [u for _, u, _, _ in figures(drafts(reg, "越南是本港最大贸易伙伴。"))] == ["rank"]


def test_guessed_topic_and_status_are_marked(reg: Registry) -> None:
    (d,) = drafts(reg, "Ben Cang will open 2 new routes to China by 2027.", "2025-01-01")
    rec = d.to_dict()
    assert rec["draft"] is True and rec["guessed"] == ["topic", "status"]
    assert rec["status"] == "planned"
    assert any("topic guessed" in t for t in rec["todo"])


# ------------------------------------------------------------------------------ the command


def test_extract_json_has_list_fields_plus_todo(run: Any, tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Mong Cai received 2 million visits last year.\n", encoding="utf-8")
    result = run("extract", str(art), "--published", "2025-03-01", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (rec,) = json.loads(result.stdout)
    listed = json.loads(run("list", "--json").stdout)[0]
    assert set(listed) <= set(rec)
    assert rec["todo"] and rec["draft"] is True
    assert rec["quantity"]["value"] == 2_000_000 and rec["date"] == "2024"


@pytest.mark.parametrize(
    ("make", "args", "code", "message"),
    [
        (None, [], 1, "no such file"),
        ("", [], 1, "is empty"),
        (b"ab\x00cd", [], 1, "binary"),
        ("Mong Cai grew.", ["--published", "2025-13"], 2, "not a date"),
        ("Mong Cai grew.", ["--format", "xml"], 2, "unknown format"),
    ],
)
def test_bad_input_is_one_clear_error(
    run: Any, tmp_path: Path, make: str | bytes | None, args: list[str], code: int, message: str
) -> None:
    path = tmp_path / "in.txt"
    if isinstance(make, bytes):
        path.write_bytes(make)
    elif make is not None:
        path.write_text(make, encoding="utf-8")
    result = run("extract", str(path), *args)
    assert result.exit_code == code
    assert message in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 1


def test_check_accepts_a_draft_mark_only_as_a_boolean(run: Any, tmp_path: Path) -> None:
    art = tmp_path / "articles" / "a.txt"
    art.parent.mkdir()
    art.write_text("Mong Cai received 2 million visits last year.\n", encoding="utf-8")
    out = tmp_path / "drafts"
    assert run("extract", str(art), "--published", "2025-03-01", "--out", str(out)).exit_code == 0
    good = run("check", "--facts-dir", str(out), "--articles", str(art.parent))
    assert good.exit_code == 0, good.stdout
    (topic_file,) = [p for p in out.glob("*.toml") if p.name != "sources.toml"]
    topic_file.write_text(topic_file.read_text(encoding="utf-8").replace("draft = true", 'draft = "yes"'), "utf-8")
    bad = run("check", "--facts-dir", str(out), "--articles", str(art.parent))
    assert bad.exit_code == 1 and "'draft'" in bad.stdout


def test_out_never_overwrites(run: Any, tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Mong Cai received 2 million visits last year.\n", encoding="utf-8")
    out = tmp_path / "out"
    assert run("extract", str(art), "--published", "2025-03-01", "--out", str(out)).exit_code == 0
    again = run("extract", str(art), "--published", "2025-03-01", "--out", str(out))
    assert again.exit_code == 1 and "already exists" in again.stderr


def _articles() -> list[Path]:
    found = [p for d in (SEEDS, ARTICLES) if d.is_dir() for p in sorted(d.glob("*.txt"))]
    return [p for p in found if p.name != "README.md"]


def test_every_real_article_gives_verbatim_short_excerpts_that_pass_check(run: Any, tmp_path: Path) -> None:
    paths = _articles()
    if not paths:
        pytest.skip("article texts not found (../shared/seeds, ../shared/articles)")
    from vnguangxi.articles import article_body
    from vnguangxi.extract import run as extract_run

    reg = load_registry([builtin_dir()])
    results = extract_run([str(p) for p in paths], reg, None, None)
    for path, r in zip(paths, results, strict=True):
        body = article_body(path.read_text(encoding="utf-8"))
        assert r.drafts, path.name
        for d in r.drafts:
            assert d.excerpt in body, (path.name, d.excerpt)
            assert excerpt_words(d.excerpt) <= 20, (path.name, d.excerpt)
            assert "\n" not in d.excerpt
    average = sum(r.ms for r in results) / len(results)
    assert average < 100, f"{average:.1f} ms per article"
    out = tmp_path / "drafts"
    result = run("extract", *map(str, paths), "--out", str(out))
    assert result.exit_code == 0, result.stderr
    dirs = [d for d in (SEEDS, ARTICLES) if d.is_dir()]
    articles = [a for d in dirs for a in ("--articles", str(d))]
    checked = run("check", "--facts-dir", str(out), *articles)
    assert checked.exit_code == 0, checked.stdout[-2000:]
    assert "no problems" in checked.stdout
