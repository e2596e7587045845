"""Draft facts from an article: every figure, date, place and person found, resolved and cited.

Standard library only, loaded only by `vnguangxi extract`. The rules live in one module per phenomenon:
`article` (header, body, chrome, sentences), `numbers` (figures, units, qualifiers), `when` (dates against
the publication date), `names` (places and people), `guess` (topic and status). This module puts them
together into drafts, one per claim-bearing clause, and writes them as TOML or JSON.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vnguangxi.dates import DateError
from vnguangxi.dates import parse as parse_date
from vnguangxi.extract import article as art_mod
from vnguangxi.extract import guess, names, numbers, when
from vnguangxi.extract.article import Article, Sentence
from vnguangxi.extract.numbers import Quantity
from vnguangxi.extract.when import Pub, When
from vnguangxi.text import HAN_CLASS, excerpt_words

MAX_WORDS = 20
_HAN = re.compile(HAN_CLASS)
_UNIT = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]|[^\s\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CONTINUES = re.compile(
    r"^(?:[\"“‘]?(?:He|She|They|It|This|These|The official|The secretary|The minister)\b)"
    r"|\b(?:he|she) (?:said|added|noted|stressed|emphasised|emphasized|highlighted|affirmed|told|pointed out|continued)\b"  # noqa: E501
    r"|^(?:Ông|Bà|Theo ông|Theo bà|Đồng chí)\b|^(?:他|她|该|此外|同时|其中)",
)
# A subject that names a place of the previous sentence: "The city will …", "The province has …", "该市".
_SUBJECT_BEFORE = re.compile(
    r"^(?:The (?:city|province|region|town|county|district|locality|two (?:sides|localities|provinces))|Both sides"
    r"|It|Its|They|Their)\b|^(?:Tỉnh|Thành phố|Hai bên|Địa phương)\b(?! [A-ZĐ])|^(?:该市|该省|该区|该县|双方|两地)"
)
# A group named before by its members: "the five Vietnamese localities", "the localities", "四省", "các tỉnh".
_GROUP = re.compile(
    r"\b(?:the|these|all|both|of|between|among)\s+(?:\w+\s+){0,2}(?:localities|provinces|cities|regions)\b"
    r"|\b(?:các|những|\d+|bốn|năm|sáu)\s+(?:tỉnh|địa phương)\b|[四五六\d]+(?:省|区省|省区|地)",
    re.I,
)
_SIDES = re.compile(
    r"\b(?:both sides|the two sides|both localities|the two localities|the two provinces|the two regions)\b"
    r"|\b(?:hai bên|hai tỉnh|hai địa phương|các bên)\b"
    r"|双方|雙方|两地|兩地|两省区|兩省區|两区省|兩區省|[与與]会各方|各方(?!面)"
    r"|\b(?:all (?:the )?parties|the parties|all sides)\b",
    re.I,
)
_BILATERAL = re.compile(
    r"\b(?:the two countries|both countries|the two nations|bilateral|two-way)\b|两国|中越|越中|hai nước|song phương"
    r"|Việt\s*[-–]\s*Trung|Trung\s*[-–]\s*Việt",
    re.I,
)
_BOUNDARY = re.compile(
    r"[,;:](?:\s|(?=[\u4e00-\u9fff“]))|(?<=[\u4e00-\u9fff%）)”])[,;:]|[，；：、。]|\s[–—]\s|\s(?:và|and|while|but|còn)\s(?=(?:trong|in|during|vào|từ)\b)"
)
# A total that accumulates from a start named earlier: "累计", "in total since", "lũy kế".
_CUMULATIVE = re.compile(
    r"累计|累積|\bcumulative(?:ly)?\b|\bin total\b|\baltogether\b|lũy kế|tổng cộng"
    r"|\bsince (?:the|its|their) (?:opening|launch|resumption|start|inauguration|operation)\b"
    r"|(?:开通|运营|启动|运行|开放)以来|kể từ khi (?:khai trương|đi vào hoạt động|mở)",
    re.I,
)
_LAUNCH = re.compile(
    r"\b(?:opened|launched|started|began|inaugurated|resumed|put into (?:operation|service)|came into operation"
    r"|trial)\b"
    r"|开通|启动|试运行|运营|开放|揭牌|挂牌|投入使用|khai trương|khánh thành|đưa vào|vận hành|thí điểm",
    re.I,
)
_SENTENCE_END = re.compile(r"[.!?。！？;；…][”\"’')）]*\s*$")
_DELIM = set(",;:，；：、")
_IS_CLAUSE = re.compile(r"[,;，；]\s*(?:(?:it |which |and )?(?:is|are|remains|là)\b|是|为|系)", re.I)
_NEXT_CLAUSE = re.compile(
    r"\b(?:and|while|but|whereas|và|còn|nhưng|trong khi)\s+(?:in|during|trong|vào)\b|而|同时", re.I
)
# Openings that continue the previous sentence's period: "Of this, …", "In the same period, …", "其中".
_FOLLOWS_ON = re.compile(
    r"^[\"“]?(?:It|This|That|These|Those|The figure|Meanwhile)\b|^(?:此外|与此同时|这次|這次|此次|本次)|^(?:Riêng)\b"
)
# Openings that are part of the figure before, wherever the paragraph breaks: "Of this, …", "其中".
_PART_OF_BEFORE = re.compile(
    r"^[\"“]?(?:Of (?:this|which|these|them|the total)|Among (?:them|these)|In the same period|During the same period"
    r"|Over the same period)\b|^(?:其中|同期)|^(?:Trong đó|Cùng kỳ|Trong thời gian này)\b"
)


@dataclass
class Registry:
    places: names.Matcher
    people: names.Matcher
    sources: dict[str, dict[str, Any]]  # id → entry
    by_file: dict[str, dict[str, Any]]  # file name → entry


def load_registry(folders: list[Path]) -> Registry:
    """The gazetteer, people and sources of the given fact folders (registry files only, read with tomli)."""
    import tomli

    tables: dict[str, list[dict[str, Any]]] = {"localities": [], "people": [], "sources": []}
    for folder in folders:
        for kind in tables:
            path = folder / f"{kind}.toml"
            try:
                data = tomli.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomli.TOMLDecodeError):
                continue
            rows = data.get(kind)
            if isinstance(rows, list):
                tables[kind].extend(r for r in rows if isinstance(r, dict))
    sources = {s["id"]: s for s in tables["sources"] if isinstance(s.get("id"), str)}
    by_file = {s["file"]: s for s in tables["sources"] if isinstance(s.get("file"), str)}
    return Registry(names.places(tables["localities"]), names.people(tables["people"]), sources, by_file)


@dataclass
class Draft:
    id: str
    topic: str
    statement: str
    date: str | None
    date_kind: str
    date_basis: str
    status: str
    localities: list[str]
    people: list[str]
    quantity: Quantity | None
    source: str
    excerpt: str
    language: str
    todo: list[str] = field(default_factory=list)
    when: When | None = None
    headline: bool = False  # drawn from a line with no sentence ending: a headline or a caption

    def to_dict(self) -> dict[str, Any]:
        """The fields of `list --json`, plus draft, guessed and todo."""
        from vnguangxi.dates import DateError, parse

        try:
            span = parse(self.date) if self.date else None
        except DateError:
            span = None
        return {
            "id": self.id,
            "topic": self.topic,
            "statement": self.statement,
            "date": self.date,
            "year": span.year if span else None,
            "year_end": span.year_end if span else None,
            "start": span.start.isoformat() if span else None,
            "end": span.end.isoformat() if span else None,
            "date_kind": self.date_kind,
            "date_basis": self.date_basis,
            "status": self.status,
            "localities": self.localities,
            "people": self.people,
            "tags": [],
            "quantity": self.quantity.to_dict() if self.quantity else None,
            "series": "",
            "note": _NOTE,
            "conflicts_with": [],
            "related": [],
            "sources": [{"source": self.source, "excerpt": self.excerpt}],
            "draft": True,
            "guessed": ["topic", "status"],
            "todo": self.todo,
        }


_NOTE = "Draft written by `vnguangxi extract`: topic and status are guesses; statement to be rewritten."


@dataclass
class Result:
    path: str
    source: str
    article: Article
    pub: Pub
    drafts: list[Draft]
    source_entry: dict[str, Any] | None  # the [[sources]] entry to write, when the source is not registered
    ms: float


# ------------------------------------------------------------------------------ excerpts


def excerpt(text: str, core: tuple[int, int], extra: tuple[int, int] | None = None) -> str:
    """A verbatim slice of `text` of at most 20 words (two Han characters to a word) holding `core` (and
    `extra`, where both fit), widened to fill the budget and trimmed to clause boundaries."""
    whole = text.strip()
    if excerpt_words(whole) <= MAX_WORDS:
        return whole
    units = [(m.start(), m.end()) for m in _UNIT.finditer(text)]
    if not units:
        return whole

    def index_of(pos: int, end: bool) -> int:
        for i, (_a, b) in enumerate(units):
            if (b > pos) if not end else (b >= pos):
                return i
        return len(units) - 1

    lo, hi = index_of(core[0], False), index_of(core[1], True)
    need_lo, need_hi = core
    if extra is not None:
        elo, ehi = index_of(extra[0], False), index_of(extra[1], True)
        nlo, nhi = min(lo, elo), max(hi, ehi)
        if excerpt_words(text[units[nlo][0] : units[nhi][1]]) <= MAX_WORDS:
            lo, hi = nlo, nhi
            need_lo, need_hi = min(core[0], extra[0]), max(core[1], extra[1])
    while excerpt_words(text[units[lo][0] : units[hi][1]]) > MAX_WORDS and hi > lo:
        hi -= 1  # a figure so long it overflows: keep its start
    need_hi = min(need_hi, units[hi][1])
    grew = True
    turn = 0
    while grew:
        grew = False
        for step in ((0, 1), (-1, 0)) if turn % 3 else ((-1, 0), (0, 1)):
            nlo, nhi = lo + step[0], hi + step[1]
            if nlo < 0 or nhi >= len(units):
                continue
            if excerpt_words(text[units[nlo][0] : units[nhi][1]]) <= MAX_WORDS:
                lo, hi = nlo, nhi
                grew = True
        turn += 1
    a, b = units[lo][0], units[hi][1]
    # Cut the fragments of other clauses at either end: the excerpt starts and ends at clause boundaries
    # where the words it must hold (the figure, its date) allow.
    if a > 0:
        lead = [m.end() for m in _BOUNDARY.finditer(text, a, need_lo) if excerpt_words(text[m.end() : b]) >= 5]
        if lead:
            a = lead[-1]
    if b < len(text):
        for tail in _BOUNDARY.finditer(text, max(a, need_hi - 1), b):
            kept = text[a : tail.start()]
            if excerpt_words(kept) >= 5 and kept.count("(") <= kept.count(")") and kept.count("（") <= kept.count("）"):
                b = tail.start()
                break
    return text[a:b].strip(" ,;:，；：、(（").strip()


# ------------------------------------------------------------------------------ drafting


def _slug(text: str) -> str:
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:40].strip("-") or "article"


def _choose(sentence: str, q: Quantity, own: list[When], paired: dict[int, When]) -> When | None:
    if id(q) in paired:
        return paired[id(q)]
    for w in own:
        if w.claim and w.start <= q.start < w.end + 1:
            return w
    best: When | None = None
    best_d = 10**9
    brackets = [(m.start(), m.end()) for m in re.finditer(r"[(（][^()（）]*[)）]", sentence)]
    for w in own:
        if w.claim or any(a <= w.start < b for a, b in brackets):
            continue  # a date in brackets annotates something else: "75周年(1950.1.18—2025.1.18)"
        if w.end <= q.start and _IS_CLAUSE.search(sentence[w.end : q.start]):
            continue  # "set up in August 2019, it is one of 3 zones": what it is now, not then
        between = sentence[q.end : w.start]
        if w.start >= q.end and not w.ongoing and (any(ch in _DELIM for ch in between) or _NEXT_CLAUSE.search(between)):
            continue  # a date after a clause boundary or a conjunction belongs to the next clause
        d = q.start - w.end if w.end <= q.start else w.start - q.end
        d = max(d, 0)
        if w.end <= q.start:
            d -= 1  # a tie goes to the phrase before the figure
        if d < best_d:
            best, best_d = w, d
    if best is None:
        # A date that ends the sentence after a comma ("…, worth US$800 million, in 2023.") dates it all.
        for w in own:
            if w.claim or w.start < q.end or re.search(r"\w", sentence[w.end :]):
                continue
            clause = re.split(r"[,;，；]", sentence[q.end : w.start])[-1]
            if not clause.strip():
                return w
    return best


def _respectively(sentence: str, qs: list[Quantity], own: list[When]) -> dict[int, When]:
    """'X and Y in 2023 and 2024, respectively': figures paired with their periods, in order."""
    if not when.RESPECTIVELY.search(sentence):
        return {}
    periods = [w for w in own if not w.claim and w.date]
    if len(periods) < 2:
        return {}
    figures = [q for q in qs if q.unit != "ordinal"]
    if len(figures) % len(periods):
        return {}
    return {id(q): periods[i % len(periods)] for i, q in enumerate(figures)}


def _statement(q: Quantity | None, w: When | None, date_: str | None) -> str:
    what = f"{q.stated} [{q.unit}]" if q else "a claim"
    return f"DRAFT (rewrite in your own words): {what}, {date_ or 'date to decide'}."


def extract_text(
    text: str,
    path: str,
    registry: Registry,
    published: str | None = None,
    source: str | None = None,
) -> Result:
    t0 = time.perf_counter()
    name = Path(path).name
    art = art_mod.read(text, name)
    registered = registry.by_file.get(name)
    sid = source or (registered["id"] if registered else Path(path).stem)
    pub_text = published or art.published
    if pub_text is None and sid in registry.sources:
        pub_text = str(registry.sources[sid].get("published") or "") or None
    pub = Pub.of(pub_text)
    prefix = f"draft-{_slug(sid)}"
    drafts: list[Draft] = []
    seen_in = [
        _Seen(s, when.find(s.text, s.language, pub), registry.places.find(s.text), registry.people.find(s.text))
        for s in art.sentences
    ]
    counts = Counter(p for x in seen_in for p in x.places if p not in ("vn", "cn"))  # the sides, not the countries
    main = [p for p, _ in counts.most_common(2)]
    ctx = _Context(pub, sid, registry, main)
    route = _route(seen_in)
    venue = _venue(seen_in, registry)
    event = _event_day(seen_in)
    lists = [(i, named) for i, x in enumerate(seen_in) if len(named := _listed(x.places, registry)) >= 3]
    for i, x in enumerate(seen_in):
        ctx.next_group = next((named for at, named in lists if at > i), [])
        ctx.route = route if route and i > route[0] else None
        ctx.venue = venue if venue and i > venue[0] else None
        ctx.event = event[1] if event and i > event[0] else None
        if x.sentence.paragraph != ctx.paragraph:
            ctx.period = None
            ctx.cutoff = None
        made = _sentence(x, ctx)  # a period carries on only to text that says it continues
        drafts.extend(made)
        ctx.paragraph = x.sentence.paragraph
        cut = [
            w.date for w in x.whens if w.date and _AS_OF_BEFORE.search(x.sentence.text[max(0, w.start - 6) : w.start])
        ]
        if cut and re.fullmatch(r"\d{4}-\d\d-\d\d", cut[-1]):
            ctx.cutoff = cut[-1]
        if x.places:
            ctx.places = x.places
            named = _listed(x.places, registry)
            if len(named) >= 3:
                ctx.group = named
        if x.people:
            ctx.people = x.people
        periods = [w for w in x.whens if w.role == "own" and w.date and not w.claim]
        dated = [d.when for d in made if d.quantity is not None and d.when is not None and d.when in periods]
        ctx.figures_period = dated[-1] if dated else None  # the period this sentence's figures measure
        if dated or periods:
            ctx.period = dated[-1] if dated else periods[0]
        if _LAUNCH.search(x.sentence.text):
            started = [w for w in periods if w.kind in ("event", "period") and w.date]
            if started:
                ctx.launch = started[0]
    body = art.body
    kept: list[Draft] = []
    seen: set[tuple[str, str]] = set()
    # A figure in a headline that the story prints again is one fact: keep the story's draft.
    in_story = {(d.quantity.value, d.quantity.unit) for d in drafts if d.quantity is not None and not d.headline}
    story_values = {value for value, _ in in_story}

    def repeated(d: Draft) -> bool:
        q = d.quantity
        if not d.headline or q is None:
            return False
        return (q.value, q.unit) in in_story or (q.unit_guessed and q.value in story_values)

    drafts = [d for d in drafts if not repeated(d)]
    _mentioned_again(drafts)
    for d in drafts:
        if d.excerpt not in body or not d.excerpt:
            continue
        key = (d.excerpt, d.quantity.stated if d.quantity else "")
        if key in seen:
            continue
        seen.add(key)
        d.id = f"{prefix}-{len(kept) + 1:03d}"
        kept.append(d)
    entry = None
    if sid not in registry.sources:
        entry = {
            "id": sid,
            "file": name,
            "title": art.header.get("title", ""),
            "publisher": art.header.get("publisher", "") or "not named (fill in)",
            "published": pub.text or "",
            "language": art.language,
            "url": art.header.get("url", ""),
        }
    return Result(path, sid, art, pub, kept, entry, (time.perf_counter() - t0) * 1000)


# Units that name a group or a place in a sequence ("the four provinces", "the 14th Congress"): printed again
# in the same words, they refer back to what the article counted first.
_REFERENCE_UNITS = frozenset({"ordinal", "rank", "provinces", "localities", "countries", "cities"})


def _span_days(date_: str | None) -> int:
    try:
        span = parse_date(date_) if date_ else None
    except DateError:
        span = None
    return (span.end - span.start).days if span else 10**6


def _mentioned_again(drafts: list[Draft]) -> None:
    """A group or sequence named again in the same words ('the four provinces' in the headline, the lead and
    the close; a caption repeating the lead) is one figure: the draft with the most precise date keeps it,
    the others keep their clause without it."""
    groups: dict[tuple[float, str, str], list[Draft]] = {}
    for d in drafts:
        q = d.quantity
        if q is not None and q.unit in _REFERENCE_UNITS:
            groups.setdefault((q.value, q.unit, " ".join(q.stated.lower().split())), []).append(d)
    for same in groups.values():
        if len(same) < 2:
            continue
        keep = min(same, key=lambda d: _span_days(d.date))
        for d in same:
            if d is not keep:
                d.quantity = None
                d.statement = _statement(None, d.when, d.date)
                d.todo.append(f"the figure '{keep.excerpt}' names again is drafted once, there")


@dataclass
class _Seen:
    """What one sentence names: its date phrases, places and people."""

    sentence: Sentence
    whens: list[When]
    places: list[str]
    people: list[str]


@dataclass
class _Context:
    """What the sentences before this one established, for text that continues it."""

    pub: Pub
    sid: str
    registry: Registry
    main: list[str]  # the article's most-named places
    places: list[str] = field(default_factory=list)
    people: list[str] = field(default_factory=list)
    period: When | None = None
    paragraph: int = -1
    group: list[str] = field(default_factory=list)  # the last enumeration of three or more places
    next_group: list[str] = field(default_factory=list)  # the next enumeration, for a group named before its list
    route: tuple[int, str, list[str]] | None = None  # (sentence, noun, ends) of the route the article is about
    venue: tuple[int, str, str] | None = None  # (sentence, noun, place) of the event the article reports
    event: When | None = None  # the days of the event the article reports, for "this meeting"
    launch: When | None = None  # the date something opened or started, for cumulative totals since
    figures_period: When | None = None  # the period the previous sentence's figures measure
    cutoff: str | None = None  # "截至3月22日", "as of March 22": the day the paragraph's data run to


_CLAUSE_END = re.compile(r"[;；]\s*|,\s+(?=(?:and|while|but|whereas|which|as well as|và|nhưng|đồng thời)\b)")


def _clauses(text: str) -> list[tuple[int, int]]:
    """The clauses of a long sentence with no figure: split at semicolons and at ', and/while/but …'."""
    out: list[tuple[int, int]] = []
    start = 0
    for m in _CLAUSE_END.finditer(text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if len(text[a:b].split()) >= 5 or _HAN.search(text[a:b])]


def _clause_excerpt(text: str, clause: tuple[int, int], extra: tuple[int, int] | None) -> str:
    """A clause's own words from its start, at most 20 words (with its date where that fits)."""
    a, b = clause
    piece = text[a:b]
    if excerpt_words(piece.strip()) <= MAX_WORDS:
        return piece.strip(" ,;:，；：、").strip()
    return excerpt(text, (a, min(b, a + 1)), extra if extra and a <= extra[0] < b else None)


def _sentence(x: _Seen, ctx: _Context) -> list[Draft]:
    s = x.sentence
    pub, sid = ctx.pub, ctx.sid
    text = s.text
    whens = x.whens
    skip = [(w.start, w.end) for w in whens if not w.claim]
    qs = numbers.find(text, s.language, skip)
    if qs and qs[-1].unit_guessed and qs[-1].end >= len(text.rstrip()) and not _SENTENCE_END.search(text):
        qs.pop()  # a copy cut off in mid-figure ("进出口货物245"): the number is not all there
    own = [w for w in whens if w.role == "own"]
    places = list(x.places)
    people = list(x.people)
    todo_common: list[str] = []
    if ctx.route is not None and re.search(rf"\b{re.escape(ctx.route[1])}", text, re.I):
        ends = [p for p in ctx.route[2] if p not in places]
        if ends:
            places = [*places, *ends]
            todo_common.append(f"'the {ctx.route[1]}' read as the route named before: {', '.join(ends)}: confirm")
    if (
        ctx.venue is not None
        and ctx.venue[2] not in places
        and re.search(rf"\b(?:the|this) {ctx.venue[1]}", text, re.I)
    ):
        places = [*places, ctx.venue[2]]
        todo_common.append(f"'the {ctx.venue[1]}' read as the one held in {ctx.venue[2]}: confirm")
    gates = (
        [g for p in places if (g := ctx.registry.places.gate.get(p)) and g not in places] if _GATE.search(text) else []
    )
    if gates:
        places = [*places, *gates]
        todo_common.append(f"a border gate named by its town: {', '.join(gates)}: confirm")
    if places:
        wider = ctx.registry.places.with_parents(places)
        if len(wider) > len(places):
            todo_common.append(f"places containing those named added: {', '.join(p for p in wider if p not in places)}")
            places = wider
    group_named = _GROUP.search(text)
    members = _members(group_named.group(), ctx.group, ctx.next_group, ctx.registry) if group_named else []
    if members and not set(members) <= set(places):
        added = [p for p in dict.fromkeys([*members, *ctx.main]) if p not in places]
        places = [*places, *added]
        todo_common.append(f"'{_GROUP.search(text).group()}' read as the places listed before: {', '.join(added)}")  # type: ignore[union-attr]
    if _SIDES.search(text) and (ctx.places or ctx.main):
        sides = [p for p in dict.fromkeys([*ctx.places, *(ctx.group or ctx.next_group), *ctx.main]) if p not in places]
        if sides:
            places = [*places, *sides]
            todo_common.append(f"'both sides' read as {', '.join(sides)} (the places just named): confirm")
    both = [c for c in ("vn", "cn") if c in ctx.registry.places.order]
    if _BILATERAL.search(text) and len(both) == 2 and not set(both) <= set(places):
        places = list(dict.fromkeys([*places, *both]))
        todo_common.append("'the two countries' / 'bilateral' read as Vietnam and China: confirm")
    countries = ctx.registry.places.country
    sides_named = {countries.get(p) for p in places if p not in ("vn", "cn")}
    if places and not sides_named and ctx.main:
        local = [p for p in ctx.main if p not in ("vn", "cn") and p not in places]
        if local:  # only countries named: the article's own places are the sides that act
            places = [*local, *places]
            todo_common.append(f"only countries named: the article's main places ({', '.join(local)}) are a guess")
    elif len(sides_named) == 1:
        other = [p for p in ctx.main if countries.get(p) not in sides_named and p not in places]
        if other:
            places = [*places, *other]
            todo_common.append(f"the other side taken as the article's main place(s): {', '.join(other)}: confirm")
    continues = bool(_CONTINUES.search(text))
    if not people and continues and ctx.people:
        people = list(ctx.people)
        todo_common.append(f"speaker carried from the previous sentence: {', '.join(people)}")
    subject = _SUBJECT_BEFORE.match(_without_connective(text))
    if places and ctx.places and subject:
        places = list(dict.fromkeys([*ctx.places, *places]))
        todo_common.append(f"'{subject.group().strip()}' taken as {', '.join(ctx.places)}: confirm")
    if not places and ctx.places and (continues or s.paragraph == ctx.paragraph):
        places = ctx.registry.places.with_parents(list(ctx.places))
        todo_common.append(f"places carried from the previous sentence: {', '.join(places)}: confirm")
    if not places and ctx.main:
        places = list(ctx.main)
        todo_common.append(f"no place named: the article's main places ({', '.join(places)}) are a guess")
    topic = guess.topic(text)
    status_hint = guess.status(text)
    out: list[Draft] = []
    paired = _respectively(text, qs, own)
    targets: list[Quantity | tuple[int, int]] = list(qs)
    if not targets:
        if len(text.split()) < 5 and not _HAN.search(text):
            return []
        if not own and not guess.claim_bearing(text, s.language):
            return []
        clauses = [c for c in _clauses(text) if guess.claim_bearing(text[c[0] : c[1]], s.language)]
        if len(clauses) == 1:
            clauses = _dated_segments(text, clauses[0], own, s.language)
        targets = list(clauses[:3] or [(0, len(text))])
    else:
        targets += _dated_clause_after_figures(text, qs, own, paired, s.language)
    for target in targets:
        q = target if isinstance(target, Quantity) else None
        todo = list(todo_common)
        if q is not None:
            w = _choose(text, q, own, paired)
            if q.unit in _REFERENCE_UNITS:
                w = _day_within_year(w, own)  # "2018年…四省…会晤" held on the days the sentence gives
        else:
            a, b = target if isinstance(target, tuple) else (0, len(text))
            inside = [x for x in own if a <= x.start < b and x.date]
            w = inside[0] if inside else next((x for x in own if x.date), own[0] if own else None)
            w = _day_within_year(w, own)
        carried = None
        if q is not None and w is None:
            if ctx.figures_period is not None and _PART_OF_BEFORE.search(text):
                carried = ctx.figures_period  # "Of this, …": part of the figure just before
            elif ctx.period is not None and s.paragraph == ctx.paragraph and _FOLLOWS_ON.search(text):
                carried = ctx.period
            elif ctx.event is not None and _THIS_EVENT.match(text):
                carried = ctx.event  # "這次…会晤", "This meeting …": the event the article reports
            elif (
                ctx.period is not None
                and ctx.period.kind == "period"
                and s.paragraph == ctx.paragraph
                and _GROWTH_AFTER.match(text[q.end : q.end + 12])
            ):
                carried = ctx.period  # a growth needs a period: the one the passage's figures just gave
        elif q is None and w is None and ctx.period is not None and _AT_THE_SAME_TIME.match(text):
            carried = ctx.period  # "At the same time, …": the same remarks, the same period
        if carried is not None:
            w = carried
            todo.append(f"date carried from the previous sentence ('{w.phrase}')")
        date_: str | None
        if w is not None and w.date:
            date_, kind, basis = w.date, w.kind, w.basis
            if w.todo:
                todo.append(w.todo)
        elif w is not None:
            date_, kind, basis = pub.text, "as-of", f"'{w.phrase}' unresolved; the article's date is used"
            todo.append(w.todo or f"resolve '{w.phrase}'")
        else:
            date_, kind = pub.text, "as-of"
            basis = f"no date in the sentence: the article's date ({pub.label()})"
            todo.append("the sentence gives no date: the article's date is used")
        if q is not None and kind == "event":
            kind = "period" if q.unit not in ("ordinal", "rank") else "event"
        status = status_hint
        if kind == "due":
            status = "planned"
        elif w is not None and w.ongoing and status == "done":
            status = "ongoing"
        if q is not None:
            if q.unit_guessed:
                todo.append(f"unit of '{q.stated}' not recognised: 'items' is a placeholder")
            if any(c.role == "comparison" for c in whens):
                todo.append("the sentence compares with another period: that figure may deserve its own fact")
            if q.unit in ("CNY", "USD", "VND", "%") or q.unit == "visits":
                todo.append("series: does this figure belong to a series?")
        if w is not None and w.ongoing and date_ and ctx.cutoff and pub.text and "/" in date_:
            start, end = date_.split("/")
            if end == pub.text.split("/")[-1] and start <= ctx.cutoff < end:
                date_ = when.interval(start, ctx.cutoff) or date_
                basis += f"; the paragraph's data run to {ctx.cutoff}"
                todo.append(
                    f"'{w.phrase}' ends at the paragraph's as-of day ({ctx.cutoff}), not the article's: confirm"
                )
        if q is not None and w is not None and w.date and w.kind == "event" and pub.text and _since_launch(text, w, q):
            date_ = when.interval(w.date.split("/")[0], pub.text.split("/")[-1]) or date_
            kind = "period"
            basis = f"a running total since '{w.phrase}', up to the article's date ({pub.label()})"
            todo.append(f"'{text[w.end : q.start].strip()}': a total since the launch, to the article's date: confirm")
        if q is not None and date_ and ctx.launch is not None and ctx.launch.date and _CUMULATIVE.search(text):
            start, end = ctx.launch.date.split("/")[0], date_.split("/")[-1]
            since = when.interval(start, end)  # only where the start comes before the end
            if since is not None:
                date_, kind = since, "period"
                basis = f"a cumulative total since '{ctx.launch.phrase}' ({start}) up to {end}"
                todo.append(f"cumulative since '{ctx.launch.phrase}' (an earlier sentence): confirm the start")
        if date_ is None:
            todo.append("no publication date: pass --published")
        if q is not None:
            core = (q.start, q.end)
        else:
            a, b = target if isinstance(target, tuple) else (0, len(text))
            core = (a, min(b, a + 1))
        extra = (w.start, w.end) if w is not None and w is not carried else None
        ex = (
            excerpt(text, core, extra)
            if q is not None or not isinstance(target, tuple)
            else _clause_excerpt(text, target, extra)
        )
        todo.append(f"topic guessed: {topic}; status guessed: {status}")
        todo.append("write the statement in your own words")
        out.append(
            Draft(
                id="",
                topic=topic,
                statement=_statement(q, w, date_),
                date=date_,
                date_kind=kind,
                date_basis=basis,
                status=status,
                localities=places,
                people=people,
                quantity=q,
                source=sid,
                excerpt=ex,
                language=s.language,
                todo=todo,
                when=w,
                headline=not _SENTENCE_END.search(text),
            )
        )
    out += _launch_named_in_since(text, out)
    return out


# "6850标箱、增长16倍", "45,000 tonnes, up 12%": a figure with its own growth rate measures a period.
_GROWTH_AFTER = re.compile(
    r"^\s*[,，、]?\s*(?:同比)?(?:增长|增加|下降|减少|增|降)|^\s*,?\s*(?:up|down)\s+\d|^\s*,?\s*(?:tăng|giảm)\s+\d",
    re.I,
)


# "截至3月22日", "as of March 22", "tính đến ngày 22/3": the day a paragraph's data run to.
_AS_OF_BEFORE = re.compile(r"(?:截至|截止|截止到|\bas of|\bas at|\bup to|tính đến|tính tới)\s*(?:ngày\s*)?$", re.I)


_COUNT_WORDS = {
    "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "ba": 3, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7,
    "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
}  # fmt: skip


def _members(phrase: str, before: list[str], after: list[str], registry: Registry) -> list[str]:
    """The places a group names ('the four provinces', '四省', 'bốn tỉnh'): the list the article gave before, or
    else the one it gives next. A counted group takes the list's members of the one country that has that many
    of them ('Quảng Ninh, Lạng Sơn, Cao Bằng, Hà Giang and Guangxi' → the four Vietnamese provinces)."""
    found = re.search(r"\d+|three|four|five|six|seven|ba|bốn|năm|sáu|bảy|[三四五六七]", phrase, re.I)
    n = None
    if found:
        n = int(found.group()) if found.group().isdigit() else _COUNT_WORDS.get(found.group().lower())
    for group in (before, after):
        if not group:
            continue
        if n is None:
            return group
        if len(group) == n:
            return group
        by_country: dict[str, list[str]] = {}
        for p in group:
            by_country.setdefault(registry.places.country.get(p, ""), []).append(p)
        same = [ps for ps in by_country.values() if len(ps) == n]
        if same:
            return same[0]
    return before


_BOTH = ("vn", "cn")
_CONNECTIVE = re.compile(
    r"^(?:Thereby|Therefore|Thus|Hence|Moreover|Furthermore|Besides|In addition|Also|However|Accordingly),?\s+"
)


def _without_connective(text: str) -> str:
    """'Thereby, it has …' → 'It has …': the subject after a connective."""
    rest = _CONNECTIVE.sub("", text, count=1)
    return rest[:1].upper() + rest[1:] if rest != text else text


def _listed(places: list[str], registry: Registry) -> list[str]:
    """The provinces, regions and centrally-run cities a sentence names: three or more are a list of members
    ('Quảng Ninh, Lạng Sơn, Cao Bằng, Hà Giang and Guangxi'); a town and its province are not."""
    top = registry.places.top
    return [p for p in places if p not in _BOTH and (not top or p in top)]


# "the passenger train linking Hanoi and Nanning", "the Nanning–Hai Phong flight route": a route and its ends.
_ROUTE_NOUN = re.compile(
    r"\b(train|flight|air route|route|railway|expressway|highway|bus|ferry|shipping line)s?\b"
    r"|\b(tàu|chuyến bay|đường bay|tuyến bay|đường sắt|cao tốc)\b|(列车|航线|班列|高速公路|铁路)",
    re.I,
)
_ROUTE_LINK = re.compile(r"\b(?:linking|between|connecting|from)\b|\w\s*[–—-]\s*\w|\b(?:nối|giữa)\b|至|到|—", re.I)


_EVENT_NOUN = re.compile(
    r"\b(conference|meeting|session|talks|forum|festival|fair|ceremony|race|exhibition|expo)\b", re.I
)
_HELD_IN = re.compile(r"\b(?:in|at)\s+(?:the\s+)?[A-Z]")


_EVENT_ANY = re.compile(
    r"\b(?:conference|meeting|session|talks|forum|festival|fair|ceremony|exhibition|expo)\b"
    r"|\b(?:hội nghị|hội đàm|hội chợ|lễ hội|diễn đàn)\b|会晤|會晤|会议|會議|会谈|會談|论坛|論壇|博览会|博覽會|节|節",
    re.I,
)
_THIS_EVENT = re.compile(
    r"^[\"“]?(?:This|The) (?:year's )?"
    r"(?:conference|meeting|session|talks|forum|festival|fair|ceremony|exhibition|expo)\b"
    r"|^(?:这次|這次|此次|本次|本届|本屆)|^(?:Hội nghị|Hội đàm|Lễ hội) (?:lần này|năm nay)\b",
    re.I,
)


def _event_day(seen: list[_Seen]) -> tuple[int, When] | None:
    """The day or days of the event the article reports: the first day-precise date of a sentence that names
    an event ('2月23日至24日…新春会晤', 'On March 3, the meeting …')."""
    for i, x in enumerate(seen):
        if not _EVENT_ANY.search(x.sentence.text):
            continue
        days = [w for w in x.whens if w.role == "own" and not w.claim and w.kind == "event" and w.date]
        days = [w for w in days if re.fullmatch(r"\d{4}-\d\d-\d\d(?:/\d{4}-\d\d-\d\d)?", w.date or "")]
        text = x.sentence.text
        days = [w for w in days if not re.match(r"\s*[讯訊电電]|\s*\(\w+\)\s*[-–—]", text[w.end :])]  # a dateline
        if days:
            return i, days[0]
    return None


def _venue(seen: list[_Seen], registry: Registry) -> tuple[int, str, str] | None:
    """The sentence that introduces the article's event with a place ('hosted the 15th conference … in Beihai
    City'): the event's venue is the one place of it more specific than all the others. Later sentences about
    'the conference' took place there."""
    order = registry.places.order
    for i, x in enumerate(seen):
        noun = _EVENT_NOUN.search(x.sentence.text)
        if not noun or not _HELD_IN.search(x.sentence.text) or not x.places:
            continue
        depths = sorted(((order.get(p, 0), p) for p in x.places), reverse=True)
        if len(depths) == 1 or depths[0][0] > depths[1][0]:
            return i, noun.group(1).lower(), depths[0][1]
        return None
    return None


def _route(seen: list[_Seen]) -> tuple[int, str, list[str]] | None:
    """The first sentence that names a route with its two ends ('the train linking Hanoi and Nanning'): later
    sentences about 'the train' are about the same two places."""
    for i, x in enumerate(seen):
        ends = [p for p in x.places if p not in _BOTH]
        noun = _ROUTE_NOUN.search(x.sentence.text)
        if 2 <= len(ends) <= 3 and noun and _ROUTE_LINK.search(x.sentence.text):
            return i, next(g for g in noun.groups() if g).lower(), ends
    return None


# "the Mong Cai border gate", "Móng Cái – Dongxing smart gate", "cửa khẩu Móng Cái": a town's gate.
_GATE = re.compile(
    r"\b(?:border gates?|border crossings?|smart gates?|checkpoints?|ports? of entry|cửa khẩu)\b|口岸", re.I
)


# "At the same time, …", "Đồng thời, …", "同时，…": a sentence that goes on with the one before, in its period.
_AT_THE_SAME_TIME = re.compile(
    r"^[\"“]?(?:At the same time|Meanwhile|Đồng thời|Cùng với đó|同时|同時|与此同时|與此同時)"
)


def _day_within_year(w: When | None, own: list[When]) -> When | None:
    """'2月23日至24日，…，2018年…会晤在桂林举行': the year names the event's edition; the days inside that
    year date it."""
    if w is None or not w.date or not re.fullmatch(r"\d{4}", w.date):
        return w
    inner = [x for x in own if x.date and not x.claim and x.kind == "event" and x.date.startswith(w.date + "-")]
    return min(inner, key=lambda x: abs(x.start - w.start)) if inner else w  # the nearest, not a dateline


# "which resumed service on May 25 last year, has operated nearly 200 round trips": a running total.
_PERFECT = re.compile(r"\b(?:has|have)\s+(?:now\s+|already\s+|so far\s+)?(?!been\b)[a-z]+(?:ed|en|ne|un|t)\b", re.I)


def _since_launch(text: str, w: When, q: Quantity) -> bool:
    """A figure in the present perfect after a launch dated in the same sentence counts from the launch."""
    return (
        w.end <= q.start
        and bool(_LAUNCH.search(text[max(0, w.start - 60) : w.start]))
        and bool(_PERFECT.search(text[w.end : q.start]))
    )


_SINCE_LAUNCH = re.compile(
    r"\bsince (?:its|their|the) (?:opening|launch|resumption|inauguration|start|reopening)\b", re.I
)


def _launch_named_in_since(text: str, made: list[Draft]) -> list[Draft]:
    """'… has 730 tour groups, since its opening in October last year': the opening is a dated event of its own."""
    out: list[Draft] = []
    for d in made:
        w = d.when
        if d.quantity is None or w is None or not w.date:
            continue
        since = w.ongoing and _SINCE_LAUNCH.search(w.phrase)
        if not since and not d.date_basis.startswith("a running total since"):
            continue
        start = w.date.split("/")[0]
        if any(x.date == start for x in out):
            continue
        ex = _clause_excerpt(text, (w.start, w.end), None)
        out.append(
            Draft(
                id="",
                topic=d.topic,
                statement=_statement(None, w, start),
                date=start,
                date_kind="event",
                date_basis=f"the start of '{w.phrase}'",
                status="done",
                localities=d.localities,
                people=d.people,
                quantity=None,
                source=d.source,
                excerpt=ex,
                language=d.language,
                todo=["the launch a running total counts from: its own fact?", "write the statement in your own words"],
                when=w,
                headline=d.headline,
            )
        )
    return out


_CONJUNCTION = re.compile(r"\b(?:and|but|while|và|nhưng|còn)\b|[,，;；]", re.I)


def _dated_clause_after_figures(
    text: str, qs: list[Quantity], own: list[When], paired: dict[int, When], language: str
) -> list[tuple[int, int]]:
    """'… reached 36.3 billion USD last year and continued to grow in the first seven months of 2024': a dated
    clause after the last figure, that no figure takes its date from, is a claim of its own (with no figure)."""
    used = {id(_choose(text, q, own, paired)) for q in qs}
    last = max(q.end for q in qs)
    for w in own:
        if id(w) in used or w.claim or not w.date or w.start < last:
            continue
        gap = list(_CONJUNCTION.finditer(text, last, w.start))
        if not gap:
            continue
        a = gap[0].end() if gap[0].group() in ",，;；" else gap[0].start()
        if guess.claim_bearing(text[a:], language) and excerpt_words(text[a : w.start]) >= 2:
            return [(a, len(text))]
    return []


def _dated_segments(text: str, clause: tuple[int, int], own: list[When], language: str) -> list[tuple[int, int]]:
    """A long clause with two dates, each in its own comma-separated stretch ('after the visit in August last
    year, …, the route opened on 7 January this year'): one segment per date, cut at the last comma before it."""
    a, b = clause
    dated = [w for w in own if w.date and not w.claim and a <= w.start < b]
    cuts = [a]
    for prev, nxt in zip(dated, dated[1:], strict=False):
        gap = text[prev.end : nxt.start]
        at = max(gap.rfind(","), gap.rfind("，"))
        if at >= 0 and prev.end + at + 1 > cuts[-1]:
            cuts.append(prev.end + at + 1)
    if len(cuts) == 1:
        return [clause]
    bounds = [*cuts, b]
    segs = [(bounds[i], bounds[i + 1]) for i in range(len(cuts))]
    segs = [(x, y) for x, y in segs if guess.claim_bearing(text[x:y], language)]
    return segs or [clause]


def run(paths: list[str], registry: Registry, published: str | None, source: str | None) -> list[Result]:
    """Extract every file (read as UTF-8 text); errors are the caller's to report."""
    from vnguangxi.errors import DataError, UsageError

    if published is not None and Pub.of(published).span is None:
        raise UsageError(f"--published '{published}' is not a date", "use YYYY, YYYY-MM, YYYY-MM-DD or START/END")
    if source is not None and len(paths) > 1:
        raise UsageError("--source names one article; give one FILE with it")
    out = []
    for p in paths:
        path = Path(p)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            raise DataError(f"'{p}': no such file") from None
        except IsADirectoryError:
            raise DataError(f"'{p}' is a folder; give article files") from None
        except OSError as exc:
            raise DataError(f"'{p}': cannot read ({exc.strerror})") from None
        if b"\x00" in raw:
            raise DataError(f"'{p}' is a binary file; give a plain-text article (UTF-8)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DataError(f"'{p}' is not UTF-8 text (byte {exc.start})", "save the article as UTF-8") from None
        if not text.strip():
            raise DataError(f"'{p}' is empty; give an article's text")
        text = text.replace("\r\n", "\n")
        out.append(extract_text(text, p, registry, published, source))
    return out
