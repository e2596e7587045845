"""The fixed vocabularies of the fact base. Imports nothing, costs nothing at start-up."""

from __future__ import annotations

TOPICS: tuple[str, ...] = ("trade", "border-gates", "meetings", "people-to-people")
TOPIC_TITLES: dict[str, str] = {
    "trade": "Trade, investment and industry",
    "border-gates": "Border gates, roads, railways and bridges",
    "meetings": "Meetings, visits, agreements and statements",
    "people-to-people": "Tourism, routes, health, education, sport and culture",
}
REGISTRIES: tuple[str, ...] = ("sources", "localities", "people")
STATUSES: tuple[str, ...] = ("done", "ongoing", "planned")
DATE_KINDS: tuple[str, ...] = ("event", "period", "as-of", "due")
QUALIFIERS: tuple[str, ...] = (
    "exact",
    "about",
    "nearly",
    "more-than",
    "at-least",
    "less-than",
    "at-most",
)
QUALIFIER_WORDS: dict[str, str] = {
    "exact": "",
    "about": "about ",
    "nearly": "nearly ",
    "more-than": "more than ",
    "at-least": "at least ",
    "less-than": "less than ",
    "at-most": "at most ",
}
UNITS: tuple[str, ...] = (
    "CNY",
    "USD",
    "%",
    "years",
    "rank",
    "ordinal",
    "visits",
    "people",
    "patients",
    "pairs",
    "tour-groups",
    "highways",
    "railways",
    "border-gates",
    "agreements",
    "meetings",
    "sessions",
    "localities",
    "items",
    # added for the 2015–2026 articles and extract
    "VND",
    "tonnes",
    "containers",
    "TEU",
    "vehicles",
    "hectares",
    "km",
    "m",
    "km2",
    "lanes",
    "routes",
    "ports",
    "flights",
    "trains",
    "trips",
    "projects",
    "enterprises",
    "students",
    "delegations",
    "events",
    "provinces",
    "countries",
    "kinds",
    "times",
    "days",
    "months",
    "hours",
    "minutes",
)
CURRENCIES: frozenset[str] = frozenset({"CNY", "USD", "VND"})
LOCALITY_KINDS: tuple[str, ...] = (
    "country",
    "province",
    "autonomous-region",
    "centrally-run-city",
    "municipality",
    "prefecture-level-city",
    "county-level-city",
    "county",
    "city",
    "ward",
    "border-gate",
    "border-port",
    "bridge",
    "waterfall",
    "scenic-area",
    "economic-zone",
    "industrial-zone",
)
FORMATS: tuple[str, ...] = ("table", "json", "jsonl", "csv", "markdown")
# What a fact names by id, each kept as a JSON array column of the index for filtering and counting.
REF_KINDS = ("localities", "people", "tags", "sources", "conflicts_with", "related")

# The keys of registry entries, in the order their tables and CSV columns show them.
SOURCE_KEYS = (
    "id",
    "file",
    "title",
    "publisher",
    "publisher_basis",
    "published",
    "published_basis",
    "language",
    "url",
    "republished_by",
    "stored_copy",
)
STORED_COPY: tuple[str, ...] = ("complete", "truncated")
LOCALITY_KEYS = (
    "id",
    "kind",
    "country",
    "parent",
    "name_en",
    "name_vi",
    "name_zh",
    "name_pinyin",
    "aliases",
    "note",
    "superseded_by",
    "supersedes",
)
