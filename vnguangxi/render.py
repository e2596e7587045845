"""Rich renderables for people: tables, one fact in full, the timeline, statistics, registries.

Render functions return renderables; only the CLI prints them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import IO, Any

from rich import box
from rich.console import Console, ConsoleOptions, Group, RenderableType
from rich.padding import Padding
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from vnguangxi.formats import FACT_COLUMNS, NUMERIC, cell_width, fact_rows, figure, plain
from vnguangxi.models import Locality, Person, Source
from vnguangxi.safe import unsafe, visible, visible_data
from vnguangxi.vocab import TOPIC_TITLES

Row = dict[str, Any]
PIPE_WIDTH = 10_000  # wide enough that a piped table never wraps or truncates
STATUS_MARK = {"done": "●", "ongoing": "◐", "planned": "○"}
STATUS_STYLE = {"done": "", "ongoing": "yellow", "planned": "italic cyan"}


class SafeConsole(Console):
    """A console whose text never reaches the terminal raw: the one way out for everything Rich draws.

    The CLI makes data safe before it is laid out (so widths are right); this catches anything that
    was not, escaping controls and bidi characters in every segment of text (Rich's own control
    segments, its colours and cursor moves, pass as they are).
    """

    def render(self, renderable: RenderableType, options: ConsoleOptions | None = None) -> Iterable[Segment]:
        for segment in super().render(renderable, options):
            if segment.control or unsafe(segment.text, "\n") is None:
                yield segment
            else:
                yield Segment(visible(segment.text, "\n"), segment.style)


def make_console(file: IO[str], terminal: bool, color: bool, width: int | None = None) -> Console:
    """A console that draws for a terminal, or plain, unwrapped text for pipes and files."""
    if terminal:
        return SafeConsole(file=file, force_terminal=True, no_color=not color, highlight=False, width=width)
    return SafeConsole(
        file=file,
        force_terminal=False,
        color_system=None,
        highlight=False,
        emoji=False,
        width=width or PIPE_WIDTH,
        soft_wrap=False,
    )


def _table(*columns: str, title: str | None = None) -> Table:
    table = Table(box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False)
    for name in columns:
        table.add_column(name, overflow="fold")
    return table


COMFORTABLE_STATEMENT = 50  # below this many columns for the statement, facts are drawn as cards
SIDE_COLUMN = 24  # the most a side column (places, figure, who said it) takes beside the statement
SIDE_MIN = 12  # the least: narrower, and facts are drawn as cards
GAP = 3  # columns between two cells of a table: padding, divider, padding
UNBROKEN = ("score", "id", "date", "topic")  # never wrapped: an id is copied whole into `show`


def _words_width(cells: Iterable[str]) -> int:
    """The widest single word of some cells: a column narrower than that would break a word."""
    return max((cell_width(w) for c in cells for w in c.split()), default=0)


def _lines_width(cells: Iterable[str]) -> int:
    return max((cell_width(line) for c in cells for line in c.split("\n")), default=0)


def facts_table(
    facts: Sequence[Row],
    place_label: Callable[[str], str],
    width: int | None = None,
    scores: Sequence[float] | None = None,
    who: Callable[[Row], str] | None = None,
) -> RenderableType:
    """The facts as a table (id, date, topic, places, statement, figure, who said it), oldest first.

    ``width`` is the terminal's width. Ids, dates and topics are never wrapped; the side columns take
    at most SIDE_COLUMN and the statement every other column. When that leaves the statement less than
    a comfortable column, each fact is drawn as a card instead: its id, date, topic, places and who
    said it on one line, then the statement and figure.
    """
    columns = list(FACT_COLUMNS) if scores is None else ["score", *FACT_COLUMNS]
    texts_of = fact_rows(facts, place_label, scores, who)
    id_at, statement_at = columns.index("id"), columns.index("statement")
    rows: list[list[Text | str]] = []
    for f, texts in zip(facts, texts_of, strict=True):
        cells: list[Text | str] = list(texts)
        cells[id_at] = Text(texts[id_at], style="bold")
        statement = Text(texts[statement_at], style=STATUS_STYLE[f["status"]])
        statement.stylize("bold", len(f["statement"]))  # the [planned] / [ongoing] mark
        cells[statement_at] = statement
        rows.append(cells)
    side = SIDE_COLUMN
    if width is not None and rows:
        fixed = GAP * (len(columns) - 1) + COMFORTABLE_STATEMENT
        sides = []
        for i, name in enumerate(columns):
            if i == statement_at:
                continue
            texts = [name, *(t[i] for t in texts_of)]
            if name in UNBROKEN:
                fixed += _lines_width(texts)
            else:
                sides.append(max(_lines_width(texts), 1))
        room = width - fixed
        # the side columns share what is left; each at most SIDE_COLUMN, at least SIDE_MIN
        side = min(SIDE_COLUMN, room // max(len(sides), 1))
        if side < SIDE_MIN or sum(min(n, side) for n in sides) > room:
            return _cards(columns, rows, statement_at)
    table = _table(*columns)
    if width is not None:
        table.expand = True
    for column in table.columns:
        if column.header in UNBROKEN:
            column.no_wrap = True
            column.overflow = "ignore"
        elif column.header == "statement":
            column.ratio = 1
        else:
            column.max_width = side
    for cells in rows:
        table.add_row(*(c if isinstance(c, Text) else Text(c) for c in cells))
    return table


def _cards(columns: Sequence[str], rows: Sequence[Sequence[Text | str]], statement_at: int) -> RenderableType:
    cards: list[RenderableType] = []
    figure_at = columns.index("figure")
    for cells in rows:
        head = Text(" · ").join(
            Text(str(c)) if not isinstance(c, Text) else c
            for i, c in enumerate(cells)
            if i not in (statement_at, figure_at) and str(c)
        )
        statement = cells[statement_at]
        line = statement.copy() if isinstance(statement, Text) else Text(str(statement))
        if str(cells[figure_at]):
            line.append(f"  — {cells[figure_at]}", style="green")
        cards.append(Group(head, Padding(line, (0, 0, 0, 4))))
    return Group(*cards)


def _field(grid: Table, label: str, value: RenderableType | str) -> None:
    if value:
        grid.add_row(Text(label, style="bold"), Text(value) if isinstance(value, str) else value)


def fact_detail(
    fact: Row,
    sources: dict[str, Source],
    localities: dict[str, Locality],
    people: dict[str, Person],
    related: Sequence[tuple[str, Row]],
) -> RenderableType:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    _field(grid, "statement", fact["statement"])
    _field(grid, "topic", f"{fact['topic']} ({TOPIC_TITLES.get(fact['topic'], '')})")
    q = fact.get("quantity")
    if q:
        text = figure(q)
        text += f"  [{q['qualifier']}; value {q['value']:,} {q['unit']}; printed as “{q['stated']}”"
        for e in q.get("equivalents") or []:
            text += f"; also “{e['stated']}” = {e['value']:,} {e['unit']}"
        _field(grid, "figure", text + "]")
    _field(grid, "date", f"{fact['date']} ({fact['date_kind']})")
    _field(grid, "date basis", fact.get("date_basis") or "")
    _field(grid, "status", Text(f"{STATUS_MARK[fact['status']]} {fact['status']}", style=STATUS_STYLE[fact["status"]]))
    places = []
    for pid in fact["localities"]:
        loc = localities.get(pid)
        if loc is None:
            places.append(pid)
            continue
        parent = localities.get(loc.parent or "")
        inside = f", {parent.name_en}" if parent and parent.kind != "country" else ""
        local = loc.name_vi or loc.name_zh
        places.append(f"{loc.name_en}{f' ({local})' if local and local != loc.name_en else ''}{inside} [{pid}]")
    _field(grid, "places", "\n".join(places))
    names = []
    for pid in fact.get("people", []):
        person = people.get(pid)
        if person is None:
            names.append(pid)
            continue
        role = person.roles[0].role if person.roles else ""
        names.append(f"{person.name}{f' — {role}' if role else ''} [{pid}]")
    _field(grid, "people", "\n".join(names))
    _field(grid, "tags", ", ".join(fact.get("tags", [])))
    _field(grid, "series", fact.get("series") or "")
    _field(grid, "note", fact.get("note") or "")
    cites = []
    for s in fact["sources"]:
        src = sources.get(s["source"])
        if src is None:
            where = s["source"]
        else:
            titled = f"“{src.title}”, " if src.title else ""
            where = f"{titled}{src.publisher}, published {src.published} ({src.file})"
            if src.url:
                where += f"\n    {src.url}"
        cites.append(Text.assemble(("“" + s["excerpt"] + "”", "italic"), f"\n  — {s['source']}: {where}"))
    _field(grid, "sources", Group(*cites))
    for label, wanted in (("conflicts with", "conflicts_with"), ("related", "related")):
        lines = [
            Text.assemble(
                (other["id"], "bold red" if wanted == "conflicts_with" else "bold"),
                f"  {other['date']}  {other['statement']}",
            )
            for kind, other in related
            if kind == wanted
        ]
        if lines:
            _field(grid, label, Group(*lines))
    title = Text(fact["id"], style="bold underline")
    return Group(title, grid)


def fact_details(
    details: Sequence[tuple[Row, Sequence[tuple[str, Row]]]],
    sources: Mapping[str, Source],
    localities: Mapping[str, Locality],
    people: Mapping[str, Person],
) -> RenderableType:
    """Facts in full, each with its related facts ((kind, fact) pairs), a blank line between them.

    Facts and registries come as the book holds them: their text is made safe here, before the layout.
    """
    safe_sources = {k: Source.from_dict(visible_data(v.to_dict())) for k, v in sources.items()}
    safe_places = {k: Locality.from_dict(visible_data(v.to_dict())) for k, v in localities.items()}
    safe_people = {k: Person.from_dict(visible_data(v.to_dict())) for k, v in people.items()}
    parts: list[RenderableType] = []
    for fact, related in details:
        if parts:
            parts.append(Text(""))
        shown_related = [(kind, visible_data(other)) for kind, other in related]
        parts.append(fact_detail(visible_data(fact), safe_sources, safe_places, safe_people, shown_related))
    return Group(*parts)


def timeline(facts: Sequence[Row], place_label: Callable[[str], str], width: int | None = None) -> RenderableType:
    """The facts by year. On a terminal too narrow for the longest id beside the longest date, an interval
    date takes two lines (its start, then its end), so that no id is ever split."""
    longest_date = max((cell_width(f["date"]) for f in facts), default=0)
    longest_id = max((len(f["id"]) + 2 for f in facts), default=0)
    split_dates = width is not None and longest_date + 4 + longest_id > width
    parts: list[RenderableType] = []
    year = None
    grid: Table | None = None
    for f in facts:
        if f["year"] != year:
            year = f["year"]
            if grid is not None:
                parts.append(grid)
            parts.append(Text(f"\n{year}", style="bold underline"))
            grid = Table.grid(padding=(0, 1))
            grid.add_column(no_wrap=True)
            grid.add_column(no_wrap=True)
            grid.add_column(overflow="fold")
        assert grid is not None
        status = f["status"]
        label = {"done": "", "ongoing": "ongoing: ", "planned": "planned: "}[status]
        if status == "planned" and f["date_kind"] == "due":
            label = f"planned, due {f['date']}: "
        line = Text.assemble((label, "bold"), (f["statement"], STATUS_STYLE[status]))
        fig = figure(f.get("quantity"))
        if fig:
            line.append(f" — {fig}", style="green")
        line.append(f"  [{f['id']}]", style="dim")
        date = f["date"].replace("/", "/\n") if split_dates else f["date"]
        grid.add_row(Text(date), Text(STATUS_MARK[status], style=STATUS_STYLE[status]), line)
    if grid is not None:
        parts.append(grid)
    parts.append(Text("\n● done   ◐ ongoing   ○ planned", style="dim"))
    return Group(*parts)


def _bar(n: float, biggest: float, width: int = 30) -> str:
    if biggest <= 0:
        return ""
    cells = max(1, round(n / biggest * width)) if n > 0 else 0
    return "█" * cells


# How a series bar ends for a figure that is not exact: more, less, or about that much.
QUALIFIER_MARK = {"more-than": "+", "at-least": "+", "nearly": "-", "less-than": "-", "at-most": "-", "about": "~"}


def bars(
    title: str,
    counts: Sequence[tuple[str, float]],
    labels: Sequence[str] | None = None,
    marks: Sequence[str] | None = None,
) -> Table:
    table = _table(title, "", "", title=None)
    table.columns[0].no_wrap = True
    table.columns[1].no_wrap = True
    biggest = max((c for _, c in counts), default=0)
    for i, (name, count) in enumerate(counts):
        label = labels[i] if labels else f"{count:g}"
        bar = Text(_bar(count, biggest), style="green")
        if marks and marks[i] and count:
            bar.append(marks[i], style="bold")
        table.add_row(Text(name), bar, Text(label))
    return table


def stats_view(stats: Row) -> RenderableType:
    parts: list[RenderableType] = [Text(f"{stats['facts']} facts", style="bold")]
    for key, title in (("by_topic", "topic"), ("by_year", "year"), ("by_status", "status"), ("by_place", "place")):
        rows = stats[key]
        parts.append(Text(""))
        parts.append(bars(title, [(r["name"], r["facts"]) for r in rows]))
    if stats["by_tag"]:
        parts.append(Text(""))
        parts.append(Text(f"tags ({len(stats['by_tag'])}, with their facts)", style="bold"))
        parts.append(Text("  ".join(f"{r['name']} {r['facts']}" for r in stats["by_tag"])))
    for series in stats["series"]:
        parts.append(Text(""))
        parts.append(Text(f"series {series['series']} ({series['unit']})", style="bold"))
        points = series["points"]
        labels = []
        for p in points:
            told = p["figure"] if p["value"] is not None else f"no {series['unit']} figure: {p['figure']}"
            labels.append(f"{told}  [{p['id']}]")
        parts.append(
            bars(
                "year",
                [(str(p["year"]), p["value"] or 0) for p in points],
                labels,
                [QUALIFIER_MARK.get(p["qualifier"], "") for p in points],
            )
        )
    return Group(*parts)


SHORT = ("id", "kind", "parent", "country", "published", "language", "group", "date", "value", "unit", "qualifier")
WRAP_MIN = 20  # the narrowest a wrapped registry column is drawn


def generic_table(
    rows: Sequence[Row],
    columns: Sequence[str],
    title: str | None = None,
    width: int | None = None,
    cards: str | None = None,
) -> RenderableType:
    """A registry as a table; as cards when ``width`` is too narrow for every column whole (ids and
    counts unbroken, no word split, no header cut): names are never dropped."""
    texts = [[plain(r.get(c)) for c in columns] for r in rows]
    if width is not None and texts:
        need = GAP * (len(columns) - 1)
        for i, name in enumerate(columns):
            cells = [name, *(t[i] for t in texts)]
            if name in NUMERIC or name in SHORT:
                need += _lines_width(cells)
            else:
                need += max(_words_width(cells), min(_lines_width(cells), WRAP_MIN))
        if need > width:
            if cards is not None:
                return CARDS[cards](texts, columns)
            return _registry_cards(texts, columns)
    table = _table(*columns, title=title)
    for column in table.columns:
        if column.header in NUMERIC:
            column.justify = "right"
        if column.header in NUMERIC or column.header in SHORT:
            column.no_wrap = True
            column.overflow = "ignore"
    for cells in texts:
        table.add_row(*(Text(c) for c in cells))  # Text, not str: a '[...]' in the data is no markup
    return table


def _registry_cards(texts: Sequence[Sequence[str]], columns: Sequence[str]) -> RenderableType:
    """One entry a card: its id and short fields on one line, every other field below it, indented."""
    head_at = columns.index("id") if "id" in columns else 0
    cards: list[RenderableType] = []
    for cells in texts:
        head = Text(cells[head_at], style="bold")
        rest = [(name, value) for i, (name, value) in enumerate(zip(columns, cells, strict=True)) if i != head_at]
        for name, value in rest:
            if value and (name in SHORT or name in NUMERIC):
                head.append(f" · {name} {value}")
        lines: list[RenderableType] = [head]
        for name, value in rest:
            if value and name not in SHORT and name not in NUMERIC:
                label = "" if name == "names" else f"{name}: "
                lines.append(Padding(Text(label + value), (0, 0, 0, 4)))
        cards.append(Group(*lines))
    return Group(*cards)


def _figure_cards(texts: Sequence[Sequence[str]], columns: Sequence[str]) -> RenderableType:
    """One figure a card: id, date, group and check; the figure as stated and as a value; where and who."""
    cards: list[RenderableType] = []
    for cells in texts:
        c = dict(zip(columns, cells, strict=True))
        head = Text(c["id"], style="bold")
        head.append(f" · {c['date']}")
        if c["group"]:
            head.append(f" · group {c['group']}")
        if c["check"]:
            head.append(f" · {c['check']}", style="bold red")
        qualifier = "" if c["qualifier"] == "exact" else c["qualifier"] + " "
        amount = Text(f"“{c['as stated']}”", style="green")
        amount.append(f"  = {qualifier}{c['value']} {c['unit']}")
        said = c["places"]
        who = f"{c['speaker']}, in {c['source']}" if c["speaker"] else c["source"]
        said = f"{said} — {who}" if said else who
        cards.append(Group(head, Padding(amount, (0, 0, 0, 4)), Padding(Text(said, style="dim"), (0, 0, 0, 4))))
    return Group(*cards)


CARDS: dict[str, Callable[[Sequence[Sequence[str]], Sequence[str]], RenderableType]] = {"figures": _figure_cards}
