"""The `vnguangxi` command: declares options, calls the query layer, prints, maps errors to exit codes.

Only this module knows Typer and exit codes. Rich is imported only by commands that draw.
"""

import functools
import os
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from vnguangxi import __version__
from vnguangxi.errors import DataError, ExitStatus, UsageError, VnGuangxiError, one_line
from vnguangxi.vocab import FORMATS, STATUSES, TOPICS

if TYPE_CHECKING:
    from rich.console import RenderableType

    from vnguangxi.query import FactBase, Filters

_APP_SETTINGS: dict[str, Any] = {
    "name": "vnguangxi",
    "help": (
        "Look up the facts of cooperation between Vietnam's northern localities and China's Guangxi: "
        "trade, border gates, meetings and people-to-people exchanges, each with its source.\n\n"
        "\b\nExamples:\n"
        "  vnguangxi list --topic trade --year 2025\n"
        '  vnguangxi search "ban gioc"\n'
        "  vnguangxi timeline -l 'Móng Cái' --json | jq '.[].statement'"
    ),
    "context_settings": {"help_option_names": ["-h", "--help"]},
    "no_args_is_help": True,
    "rich_markup_mode": None,
    "pretty_exceptions_enable": False,
    "add_completion": True,
}
app = typer.Typer(**_APP_SETTINGS)
_COMMANDS: dict[str, Callable[..., None]] = {}
COMPLETE_VAR = "_VNGUANGXI_COMPLETE"


def _command(
    name: str | None = None, formats: Sequence[str] | None = FORMATS
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register a command on the app, and remember it for the one-command app of `_app_for`.

    This is the CLI's one error boundary: a `VnGuangxiError` raised anywhere in a command becomes a short
    message on stderr and its named exit status. A command's ``fmt`` arrives resolved: --json folded in,
    checked against ``formats`` (None: the command checks its own).
    """

    def register(fn: Callable[..., None]) -> Callable[..., None]:
        @functools.wraps(fn)
        def run(*args: Any, **kwargs: Any) -> None:
            try:
                _no_nul(kwargs)
                if formats is not None and "fmt" in kwargs:
                    kwargs["fmt"] = _format(kwargs["fmt"], bool(kwargs.get("as_json")), formats)
                _retry_damaged_cache(fn, args, kwargs)
            except VnGuangxiError as exc:
                _stderr("error", exc.message, exc.hint)
                raise typer.Exit(int(exc.exit_code)) from None

        _COMMANDS[name or fn.__name__] = run
        return app.command(name)(run)

    return register


def _no_nul(values: dict[str, Any]) -> None:
    """No argument may hold a NUL character: no path or name can. (A command line cannot carry one; a
    program calling the app can.)"""
    for value in values.values():
        for item in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(item, (str, os.PathLike)) and "\x00" in os.fspath(item):
                raise UsageError(f"the argument {os.fspath(item)!r} holds a NUL character", "no path, name or word can")


def _retry_damaged_cache(fn: Callable[..., None], args: Sequence[Any], kwargs: dict[str, Any]) -> None:
    """Run a command; if the cache proves damaged (met before anything was written: commands print after
    reading), discard it and run the command once more."""
    try:
        fn(*args, **kwargs)
    except Exception as exc:
        index = sys.modules.get("vnguangxi.index")  # not imported: no cache was read, none can be damaged
        if index is None or not isinstance(exc, index.CacheDamaged):
            raise
        path = index.LAST_PATH[0] if index.LAST_PATH else index.cache_path()
        _warn(f"cache '{path}' is damaged ({exc}); rebuilding it")
        index.Index.discard(path)
        try:
            fn(*args, **kwargs)
        except index.CacheDamaged as again:
            _stderr("error", f"cache '{path}' is damaged again ({again})", "run with --no-cache")
            raise typer.Exit(int(ExitStatus.ERROR)) from None


def command_names() -> list[str]:
    """Every command of the app, in the order they are declared (for help, docs and tests)."""
    return list(_COMMANDS)


def _app_for(argv: Sequence[str]) -> typer.Typer:
    """The app holding only the command asked for, or the full app for help and completion.

    Typer builds the options of every command before it runs one; building just the one in use saves
    most of that at each start.
    """
    if not argv or argv[0] not in _COMMANDS or COMPLETE_VAR in os.environ:
        return app
    single = typer.Typer(**_APP_SETTINGS)
    single.callback()(_root)
    single.command(argv[0])(_COMMANDS[argv[0]])
    return single


# ------------------------------------------------------------------------------ completion


def _complete_from(values: Sequence[str], incomplete: str) -> list[str]:
    from vnguangxi.safe import visible

    found = [visible(v) for v in values if v.startswith(incomplete)]
    if os.environ.get(COMPLETE_VAR) == "complete_bash":
        # bash inserts each line of ours as it is: a name with a space must come escaped to stay one word
        from vnguangxi.formats import shell_escaped

        found = [shell_escaped(v) for v in found]
    return found  # zsh's are quoted by _ZshComplete; fish escapes what it inserts itself


def _use_our_zsh_quoting() -> None:
    """Typer quotes a zsh completion so that zsh drops an apostrophe ('People''s' in a single-quoted spec),
    a double quote and a run of spaces: ours are quoted for each step zsh reads them through (formats.zsh_item).
    Registered after Typer registers its own, as it does each time it builds the app."""
    from typer._click.shell_completion import CompletionItem, add_completion_class
    from typer._completion_classes import ZshComplete

    from vnguangxi.formats import zsh_item

    class _ZshComplete(ZshComplete):
        def format_completion(self, item: CompletionItem) -> str:
            return zsh_item(item.value, item.help)

    add_completion_class(_ZshComplete, "zsh")


def complete_topic(incomplete: str) -> list[str]:
    return _complete_from(TOPICS, incomplete)


def complete_format(incomplete: str) -> list[str]:
    return _complete_from(FORMATS, incomplete)


def complete_status(incomplete: str) -> list[str]:
    return _complete_from(STATUSES, incomplete)


def _quiet_book(ctx: typer.Context) -> "FactBase | None":
    try:
        p = ctx.params
        return _open_book(p.get("facts_dir"), bool(p.get("no_builtin")), bool(p.get("no_cache")), warn=False)
    except (VnGuangxiError, OSError):
        return None


def complete_place(ctx: typer.Context, incomplete: str) -> list[str]:
    book = _quiet_book(ctx)
    if book is None:
        return []
    return _complete_from(book.names("localities").candidates(incomplete), "")


def complete_fact_id(ctx: typer.Context, incomplete: str) -> list[str]:
    book = _quiet_book(ctx)
    return [] if book is None else _complete_from(book.fact_ids(), incomplete)


def complete_source(ctx: typer.Context, incomplete: str) -> list[str]:
    book = _quiet_book(ctx)
    return [] if book is None else _complete_from(list(book.sources), incomplete)


def complete_unit(ctx: typer.Context, incomplete: str) -> list[str]:
    book = _quiet_book(ctx)
    return [] if book is None else _complete_from(book.all_units(), incomplete)


def complete_series(ctx: typer.Context, incomplete: str) -> list[str]:
    book = _quiet_book(ctx)
    return [] if book is None else _complete_from(book.all_series(), incomplete)


def complete_tag(ctx: typer.Context, incomplete: str) -> list[str]:
    book = _quiet_book(ctx)
    return [] if book is None else _complete_from(book.all_tags(), incomplete)


# ------------------------------------------------------------------------------ options

TopicOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--topic", "-t", metavar="ID", help=f"Topic: {', '.join(TOPICS)}. Repeat for OR.", autocompletion=complete_topic
    ),
]
YearOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--year",
        "-y",
        metavar="YEARS",
        help="A year (2025) or range (2024..2026, 2024.., ..2025); facts whose dates overlap it. Repeat for OR.",
    ),
]
PlaceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--locality",
        "-l",
        metavar="PLACE",
        help=(
            "A place by id or any name, any script, case or accents; includes places inside it and places "
            "it merged with. Repeat for OR."
        ),
        autocompletion=complete_place,
    ),
]
TagOpt = Annotated[
    list[str] | None, typer.Option("--tag", metavar="TAG", help="A tag. Repeat for OR.", autocompletion=complete_tag)
]
SourceOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--source",
        metavar="ID",
        help="A source article id (or its file name). Repeat for OR.",
        autocompletion=complete_source,
    ),
]
StatusOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--status",
        metavar="STATUS",
        help=f"Status: {', '.join(STATUSES)}. Repeat for OR.",
        autocompletion=complete_status,
    ),
]
UnitOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--unit",
        metavar="UNIT",
        help="Only figures in this unit (CNY, USD, %, people ...). Repeat for OR.",
        autocompletion=complete_unit,
    ),
]
SeriesOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--series",
        metavar="SERIES",
        help="Only facts of this series (see `stats`). Repeat for OR.",
        autocompletion=complete_series,
    ),
]
HasFigureOpt = Annotated[bool, typer.Option("--has-figure", help="Only facts with a figure (a quantity).")]
DraftsOpt = Annotated[
    bool,
    typer.Option("--drafts", help="Include draft facts (not yet reviewed, as `extract` writes them)."),
]
FormatOpt = Annotated[
    str,
    typer.Option(
        "--format", "-f", metavar="FORMAT", help=f"Output: {'|'.join(FORMATS)}.", autocompletion=complete_format
    ),
]
ShortFormatOpt = Annotated[
    str,
    typer.Option("--format", "-f", metavar="FORMAT", help="Output: table|json.", autocompletion=complete_format),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Shorthand for --format json.")]
NoColorOpt = Annotated[
    bool, typer.Option("--no-color", help="No colour, even on a terminal (NO_COLOR is honoured too).")
]
NoPagerOpt = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print straight to the terminal: no pager for long results ($PAGER, else less -R).",
        callback=lambda value: _set_no_pager(value),
    ),
]
FactsDirOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--facts-dir",
        metavar="DIR",
        help="Add a folder of your own facts (same layout). Repeatable; replaces $VNGUANGXI_FACTS_DIR.",
    ),
]
NoBuiltinOpt = Annotated[bool, typer.Option("--no-builtin", help="Leave the built-in facts out.")]
NoCacheOpt = Annotated[bool, typer.Option("--no-cache", help="Do not use or update the on-disk index.")]

# ------------------------------------------------------------------------------ plumbing


def _stderr(kind: str, message: str, hint: str | None = None) -> None:
    sys.stderr.write(f"vnguangxi: {kind}: {one_line(message)}\n")
    if hint:
        sys.stderr.write(f"  {one_line(hint)}\n")
    sys.stderr.flush()


def _warn(message: str) -> None:
    _stderr("warning", message)


def _open_book(facts_dir: list[str] | None, no_builtin: bool, no_cache: bool, warn: bool = True) -> "FactBase":
    from vnguangxi.index import CHECK_HINT, Index, folders_key
    from vnguangxi.load import ENV_FACTS_DIR, folders_from, scan
    from vnguangxi.query import FactBase

    folders = folders_from(facts_dir, no_builtin)
    if not folders:
        raise UsageError("--no-builtin leaves no facts to read", f"add --facts-dir DIR or set {ENV_FACTS_DIR}")
    files = []
    for folder in folders:
        found, warnings = scan(folder)
        files.extend(found)
        for w in warnings if warn else ():
            _warn(w)
    progress = _Progress() if warn and sys.stderr.isatty() else None  # never while completing a word
    try:
        index = Index.open(
            files,
            use_cache=not no_cache,
            warn=_warn if warn else lambda _m: None,
            progress=progress,
            key=folders_key(folders),
        )
    except DataError as exc:
        if exc.hint == CHECK_HINT:
            from vnguangxi.check import check_command

            exc.hint = f"run `{check_command(folders)}` to list every problem"
        raise
    finally:
        if progress is not None:
            progress.close()
    return FactBase(index)


class _Progress:
    """A one-line progress report on a terminal's stderr, for builds that take more than a second."""

    DELAY = 1.0  # seconds before the first report: quick builds stay silent
    EVERY = 0.25

    def __init__(self) -> None:
        import time

        self._clock = time.monotonic
        self._start = self._last = self._clock()
        self._shown = False

    def __call__(self, share: float) -> None:
        now = self._clock()
        if now - self._start < self.DELAY or now - self._last < self.EVERY:
            return
        self._last = now
        self._shown = True
        sys.stderr.write(f"\rvnguangxi: indexing facts, {share:4.0%} (the cache makes later runs quick)")
        sys.stderr.flush()

    def close(self) -> None:
        if self._shown:
            sys.stderr.write("\r\x1b[2K")  # erase the line: what follows starts clean
            sys.stderr.flush()


def _format(fmt: str, as_json: bool, allowed: Sequence[str] = FORMATS) -> str:
    from vnguangxi.text import suggest

    fmt = fmt.strip().lower()
    if as_json:
        if fmt not in ("table", "json"):
            raise UsageError(f"--json and --format {fmt} contradict each other", "use one of them")
        return "json"
    if fmt not in allowed:
        raise UsageError(f"unknown format '{fmt}'{suggest(fmt, allowed)}", f"accepted: {', '.join(allowed)}")
    return fmt


def _terminal() -> bool:
    return sys.stdout.isatty()


def _color(no_color: bool) -> bool:
    return not no_color and not os.environ.get("NO_COLOR")


def _write(text: str) -> None:
    sys.stdout.write(text)
    if text and not text.endswith("\n"):
        sys.stdout.write("\n")


def _human(text: str, keep: str = "\n") -> None:
    """Write text for people (tables, CSV, Markdown, check's lines): the one way out for plain text.

    Controls and bidi characters the data may hold are shown escaped, never acted on by a terminal;
    line breaks are kept (a CSV field may hold one, quoted).
    """
    from vnguangxi.safe import visible

    sys.stdout.write(visible(text, keep=keep))


def _tsv(rows: Any) -> None:
    """Tab-separated lines for a pipe (formats.to_tsv): tabs and line breaks inside values escaped."""
    from vnguangxi.formats import to_tsv

    _human(to_tsv(rows), keep="\n\t")


def _shown(data: Any, keep: str = "") -> Any:
    """Data about to be laid out for people, its strings made safe first (so widths are right)."""
    from vnguangxi.safe import visible_data

    return visible_data(data, keep)


def _who(book: "FactBase") -> Callable[[dict[str, Any]], str]:
    """Who said a fact (its people, or its sources' publishers), made safe for people."""
    from vnguangxi.safe import visible

    return lambda fact: visible(book.speaker(fact))


def _label(book: "FactBase") -> Callable[[str], str]:
    """The book's place labels, made safe for people."""
    from vnguangxi.safe import visible

    return lambda place: visible(book.place_label(place))


MIN_WIDTH = 20  # a terminal said to be narrower (COLUMNS=0 or 1) is not believed: it is drawn 80 wide


def _width() -> int | None:
    """The terminal's width, or None when stdout is not a terminal (tables then never wrap)."""
    if not _terminal():
        return None
    import shutil

    columns = shutil.get_terminal_size().columns
    return columns if columns >= MIN_WIDTH else 80


_NO_PAGER = False  # set by --no-pager


def _reset_no_pager(value: bool) -> None:
    """The root's --no-pager, read first: each run starts afresh (a command's own flag adds to it)."""
    global _NO_PAGER
    _NO_PAGER = value


def _set_no_pager(value: bool) -> None:
    global _NO_PAGER
    _NO_PAGER = _NO_PAGER or value


def _pager() -> str | None:
    """The pager command for a long result on a terminal: $PAGER (empty or 'cat': none), else `less -R`."""
    if _NO_PAGER or not _terminal():
        return None
    chosen = os.environ.get("PAGER")
    if chosen is not None:
        return chosen if chosen.strip() not in ("", "cat") else None
    import shutil

    return "less -R" if shutil.which("less") else None


def _page(text: str, pager: str) -> None:
    """Send text through the pager (as git does: LESS=FRX unless set), waiting until it is closed."""
    import subprocess

    env = dict(os.environ)
    env.setdefault("LESS", "FRX")
    sys.stdout.flush()
    try:
        proc = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=env)  # noqa: S602 (the user's $PAGER)
    except OSError:
        sys.stdout.write(text)
        return
    assert proc.stdin is not None
    try:
        proc.stdin.write(text.encode(sys.stdout.encoding or "utf-8", "vnguangxi-escape"))
        proc.stdin.close()
    except OSError:  # the reader quit early (q in less): nothing more to show
        pass
    while True:
        try:
            code = proc.wait()
            break
        except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs
            continue
    if code in (126, 127):  # the shell found no such pager: the result must not be lost
        _warn(f"pager '{pager}' could not be run; set PAGER, or pass --no-pager")
        sys.stdout.write(text)


def _print(renderable: "RenderableType", no_color: bool) -> None:
    from vnguangxi.render import make_console

    terminal = _terminal()
    console = make_console(sys.stdout, terminal, _color(no_color), _width())
    if terminal:
        pager = _pager()
        if pager is None:
            console.print(renderable)
            return
        import shutil

        with console.capture() as capture:
            console.print(renderable)
        text = capture.get()
        if text.count("\n") < shutil.get_terminal_size().lines:
            sys.stdout.write(text)
        else:
            _page(text, pager)
        return
    with console.capture() as capture:
        console.print(renderable)
    lines = capture.get().split("\n")  # not splitlines(): it would break at \x1c, \x85, U+2028 ...
    if lines and not lines[-1]:
        lines.pop()
    _human("".join(line.rstrip() + "\n" for line in lines))


def _filters(
    topic: list[str] | None,
    year: list[str] | None,
    locality: list[str] | None,
    tag: list[str] | None,
    source: list[str] | None,
    status: list[str] | None,
    drafts: bool = False,
    unit: list[str] | None = None,
    series: list[str] | None = None,
    has_figure: bool = False,
) -> "Filters":
    from vnguangxi.query import Filters

    return Filters(
        topics=list(topic or []),
        years=list(year or []),
        localities=list(locality or []),
        tags=list(tag or []),
        sources=list(source or []),
        statuses=list(status or []),
        drafts=drafts,
        units=list(unit or []),
        series=list(series or []),
        has_figure=has_figure,
    )


def _emit_facts(book: "FactBase", raw: list[str], fmt: str, no_color: bool) -> None:
    """Print facts fetched as stored JSON, in the chosen format."""
    if fmt in ("json", "jsonl") and not (fmt == "json" and _terminal()):
        # Stored objects are already the output, but for each source's file name: splice it in.
        # Stored rows were made safe when they were written (build._json): printed as they are.
        if fmt == "json":
            _write(book.with_files_json("[" + ",".join(raw) + "]"))
        else:
            sys.stdout.write(book.with_files_json("".join(r + "\n" for r in raw)))
        return
    import json

    _emit_records(book, [json.loads(r) for r in raw], fmt, no_color)


def _emit_records(
    book: "FactBase", records: list[dict[str, Any]], fmt: str, no_color: bool, scores: Sequence[float] | None = None
) -> None:
    """Print fact records in the chosen format (``scores``: a search's, a first column of the table)."""
    from vnguangxi import formats

    facts = [book.with_files(r) for r in records]
    if fmt == "json":
        _write(formats.to_json(facts, pretty=_terminal()))
        return
    if fmt == "jsonl":
        sys.stdout.write(formats.to_jsonl(facts))
        return
    facts = _shown(facts, "\n" if fmt == "csv" else "")
    if fmt == "csv":
        _human(formats.to_csv([formats.fact_flat(f) for f in facts], formats.FACT_CSV_COLUMNS))
    elif fmt == "markdown":
        rows = formats.fact_markdown_rows(facts, _label(book), _who(book))
        _human(formats.to_markdown(rows, formats.FACT_MARKDOWN_COLUMNS))
    elif not facts:
        _stderr("note", "no facts match")
    elif not _terminal():
        _tsv(formats.fact_rows(facts, _label(book), scores, _who(book)))
    else:
        from vnguangxi.render import facts_table

        _print(facts_table(facts, _label(book), _width(), scores, _who(book)), no_color)


def _emit_rows(
    rows: list[dict[str, Any]],
    columns: Sequence[str],
    fmt: str,
    no_color: bool,
    title: str | None = None,
    cards: str | None = None,
) -> None:
    """Rows in the chosen format; on a terminal too narrow for the table, as cards (``cards`` names a
    card layout of render.CARDS; by default each row's id and short fields, then the rest)."""
    from vnguangxi import formats

    if fmt not in ("json", "jsonl"):
        rows = _shown(rows, keep="\n")
    if fmt == "json":
        _write(formats.to_json(rows, pretty=_terminal()))
    elif fmt == "jsonl":
        sys.stdout.write(formats.to_jsonl(rows))
    elif fmt == "csv":
        _human(formats.to_csv(rows, columns))
    elif fmt == "markdown":
        _human(formats.to_markdown(rows, columns))
    elif not _terminal():
        _tsv([r.get(c) for c in columns] for r in rows)
    else:
        from vnguangxi.render import generic_table

        _print(generic_table(rows, columns, title, _width(), cards), no_color)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"vnguangxi {__version__}\n")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", "-V", help="Print the version and exit.", callback=_version, is_eager=True)
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager",
            help="Print straight to the terminal: no pager for long results ($PAGER, else less -R).",
            callback=lambda value: _reset_no_pager(value),
        ),
    ] = False,
) -> None:
    """Look up Vietnam–Guangxi cooperation facts."""


# ------------------------------------------------------------------------------ commands


@_command("list")
def list_(
    topic: TopicOpt = None,
    year: YearOpt = None,
    locality: PlaceOpt = None,
    tag: TagOpt = None,
    source: SourceOpt = None,
    status: StatusOpt = None,
    drafts: DraftsOpt = False,
    unit: UnitOpt = None,
    series: SeriesOpt = None,
    has_figure: HasFigureOpt = False,
    sort: Annotated[str, typer.Option("--sort", "-s", metavar="KEY", help="Sort by date, id or topic.")] = "date",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, metavar="N", help="Show at most N facts.")
    ] = None,
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """List the facts that match, oldest first.

    \b
    Examples:
      vnguangxi list --topic trade --year 2025
      vnguangxi list -l "Quảng Ninh" -y 2024..2025 --status planned
      vnguangxi list -t border-gates --json | jq -r '.[].statement'
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    f = _filters(topic, year, locality, tag, source, status, drafts, unit, series, has_figure)
    raw = book.select_json(f, sort.lower(), reverse, limit)
    _emit_facts(book, raw, fmt, no_color)


@_command()
def search(
    text: Annotated[
        list[str],
        typer.Argument(
            metavar="WORDS...",
            help="Words to find, quoted or not; all must match, accents, case and plurals ignored; or a person's "
            "or place's name in any script.",
        ),
    ],
    topic: TopicOpt = None,
    year: YearOpt = None,
    locality: PlaceOpt = None,
    tag: TagOpt = None,
    source: SourceOpt = None,
    status: StatusOpt = None,
    drafts: DraftsOpt = False,
    unit: UnitOpt = None,
    series: SeriesOpt = None,
    has_figure: HasFigureOpt = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=0, metavar="N", help="Show at most N facts.")
    ] = None,
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Search statements, tags, excerpts, place names and people; best match first.

    \b
    Examples:
      vnguangxi search "ban gioc"
      vnguangxi search durian --json
      vnguangxi search "smart gate" -t border-gates
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    words = " ".join(text)
    f = _filters(topic, year, locality, tag, source, status, drafts, unit, series, has_figure)
    results = book.search(words, f, limit)
    if not results:
        from vnguangxi.safe import visible

        shown = visible(words if len(words) <= 80 else words[:77] + "...")
        _stderr("note", f"no facts match '{shown}'{visible(book.did_you_mean(words))}")
        if fmt == "table":
            return  # the note said it all
    _emit_records(book, [f for _, f in results], fmt, no_color, [s for s, _ in results])


@_command(formats=("table", "json"))
def show(
    fact_ids: Annotated[
        list[str], typer.Argument(metavar="ID...", help="One or more fact ids.", autocompletion=complete_fact_id)
    ],
    fmt: ShortFormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Show facts in full: figure, date and how it was resolved, places, people, each source's article
    (title, publisher, url), related facts.

    \b
    Examples:
      vnguangxi show a001-trade-value-2024
      vnguangxi show a001-trade-value-2024 a000-cross-border-travel-2025
      vnguangxi show a000-cross-border-travel-2025 --json | jq .sources

    With one id --json prints one object; with several, an array of them.
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    wanted = list(dict.fromkeys(fact_ids))
    facts = [book.get(fact_id) for fact_id in wanted]
    if fmt == "json":
        from vnguangxi.formats import to_json, with_referrers

        out = [with_referrers(book.with_files(fact), book.referrers(fact["id"])) for fact in facts]
        _write(to_json(out[0] if len(out) == 1 else out, pretty=_terminal()))
        return
    from vnguangxi.query import related_facts
    from vnguangxi.render import fact_details

    details = [(fact, related_facts(book, fact)) for fact in facts]
    _print(fact_details(details, book.sources, book.localities, book.people), no_color)


@_command()
def timeline(
    topic: TopicOpt = None,
    year: YearOpt = None,
    locality: PlaceOpt = None,
    tag: TagOpt = None,
    source: SourceOpt = None,
    status: StatusOpt = None,
    drafts: DraftsOpt = False,
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """The dated facts in order, grouped by year; planned items marked apart from things done.

    \b
    Examples:
      vnguangxi timeline --year 2025..
      vnguangxi timeline -l "Mong Cai" --topic border-gates
      vnguangxi timeline --status planned --format markdown

    In a pipe, one fact a line: date, status, statement, figure and id, tab-separated.
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    raw = book.select_json(_filters(topic, year, locality, tag, source, status, drafts), "date", False, None)
    if fmt != "table":
        _emit_facts(book, raw, fmt, no_color)
        return
    import json

    facts = _shown([json.loads(r) for r in raw])
    if not facts:
        _stderr("note", "no facts match")
    elif not _terminal():
        from vnguangxi.formats import timeline_rows

        _tsv(timeline_rows(facts))
    else:
        from vnguangxi.render import timeline as draw

        _print(draw(facts, _label(book), _width()), no_color)


@_command()
def topics(
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """The topics, each with its fact count.

    \b
    Examples:
      vnguangxi topics
      vnguangxi topics --json
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    from vnguangxi.query import topic_rows

    _emit_rows(topic_rows(book), ("id", "title", "facts"), fmt, no_color)


@_command()
def localities(
    country: Annotated[
        str | None,
        typer.Option("--country", "-c", metavar="vn|cn", help="Only places in this country (vn or cn, or its name)."),
    ] = None,
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """The gazetteer: every place with its names in each script, its parent, and its fact counts.

    \b
    Examples:
      vnguangxi localities --country vn
      vnguangxi localities --json | jq '.[] | select(.kind == "border-gate")'

    'facts' counts facts naming the place; 'total' adds places inside it and places it merged with.
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    from vnguangxi.query import locality_rows

    rows, columns = locality_rows(book, country, table=fmt == "table")
    _emit_rows(rows, columns, fmt, no_color)


@_command()
def sources(
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """The source articles: file, publisher, publication date and how it was inferred, fact counts.

    \b
    Examples:
      vnguangxi sources
      vnguangxi sources --format csv
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    from vnguangxi.query import source_rows

    rows, columns = source_rows(book, table=fmt == "table")
    _emit_rows(rows, columns, fmt, no_color)


@_command()
def people(
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """The people the articles name, with their roles as the articles give them and fact counts.

    \b
    Examples:
      vnguangxi people
      vnguangxi people --json | jq '.[] | {name, roles}'
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    from vnguangxi.query import people_rows

    rows = people_rows(book, with_role=fmt in ("table", "csv", "markdown"))
    _emit_rows(rows, ("id", "name", "country", "role", "facts"), fmt, no_color)


@_command()
def stats(
    topic: TopicOpt = None,
    year: YearOpt = None,
    locality: PlaceOpt = None,
    tag: TagOpt = None,
    source: SourceOpt = None,
    status: StatusOpt = None,
    drafts: DraftsOpt = False,
    unit: UnitOpt = None,
    series: SeriesOpt = None,
    has_figure: HasFigureOpt = False,
    places: Annotated[int, typer.Option("--places", min=1, metavar="N", help="How many places to draw.")] = 15,
    currency: Annotated[
        str | None,
        typer.Option(
            "--currency",
            metavar="CUR",
            help="Draw money series in CNY, USD or VND, using the equivalents the articles give.",
        ),
    ] = None,
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Counts by topic, year, status and place as bars, every tag in use, and each figure measured in several
    years as a series.

    \b
    Examples:
      vnguangxi stats
      vnguangxi stats -l "Quảng Ninh"
      vnguangxi stats --currency USD --series guangxi-vietnam-trade-value
      vnguangxi stats -f csv > stats.csv

    A fact counts in every year it covers and under every place it names or that contains it, so each
    bar equals the count of `list` with that year or place. A series bar ends in '+' for "more than"
    or "at least", '-' for "nearly", "less than" or "at most", '~' for "about".
    """
    if currency is not None:
        from vnguangxi.query import choice
        from vnguangxi.vocab import CURRENCIES

        currency = choice(currency, sorted(CURRENCIES), "currency")
    book = _open_book(facts_dir, no_builtin, no_cache)
    f = _filters(topic, year, locality, tag, source, status, drafts, unit, series, has_figure)
    from vnguangxi.query import STATS_COLUMNS, stats_report, stats_rows

    data = stats_report(book, f, places, currency)
    if fmt in ("json", "jsonl"):
        from vnguangxi.formats import to_json, to_jsonl

        if fmt == "json":
            _write(to_json(data, pretty=_terminal()))
        else:
            sys.stdout.write(to_jsonl(stats_rows(data)))
        return
    if fmt in ("csv", "markdown") or not _terminal():
        _emit_rows(stats_rows(data), STATS_COLUMNS, fmt, no_color)
        return
    from vnguangxi.render import stats_view

    _print(stats_view(_shown(data)), no_color)


@_command()
def figures(
    topic: TopicOpt = None,
    year: YearOpt = None,
    locality: PlaceOpt = None,
    tag: TagOpt = None,
    source: SourceOpt = None,
    status: StatusOpt = None,
    drafts: DraftsOpt = False,
    unit: UnitOpt = None,
    series: SeriesOpt = None,
    fmt: FormatOpt = "table",
    as_json: JsonOpt = False,
    no_color: NoColorOpt = False,
    no_pager: NoPagerOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Every figure, one a row; the same measure from several sources side by side, disagreements marked.

    \b
    Examples:
      vnguangxi figures --unit CNY --unit USD
      vnguangxi figures --series guangxi-vietnam-trade-value
      vnguangxi figures -l "Móng Cái" -f csv
      vnguangxi figures --json | jq '.[].quantity'

    Each row: date, as stated, value in base units, unit, qualifier, places, source and speaker.
    'group' numbers figures of one measure: the same series over overlapping periods, or the same unit,
    date and places. 'check' says 'conflicts with ID' for facts marked as disagreeing, and 'differs'
    where a group's values are not all equal. --json lists the same fact objects as `list --json`.
    """
    book = _open_book(facts_dir, no_builtin, no_cache)
    f = _filters(topic, year, locality, tag, source, status, drafts, unit, series, True)
    from vnguangxi.query import figure_groups

    grouped = figure_groups(book.select(f))
    if fmt in ("json", "jsonl"):
        _emit_records(book, [x for _, x in grouped], fmt, no_color)
        return
    if not grouped:
        _stderr("note", "no figures match")
        if fmt == "table":
            return
    from vnguangxi.query import FIGURE_COLUMNS, figure_rows

    rows = figure_rows(book, grouped)
    columns = FIGURE_COLUMNS if fmt != "table" else FIGURE_COLUMNS[:-1]
    _emit_rows(rows, columns, fmt, no_color, cards="figures")


@_command()
def export(
    out: Annotated[str, typer.Argument(metavar="OUT.db", help="The SQLite database to write.")],
    topic: TopicOpt = None,
    year: YearOpt = None,
    locality: PlaceOpt = None,
    tag: TagOpt = None,
    source: SourceOpt = None,
    status: StatusOpt = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace OUT.db (and its metadata file) if they exist.")
    ] = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
    no_cache: NoCacheOpt = False,
) -> None:
    """Write the facts that match, with the registries, to a SQLite database for datasette or SQL.

    \b
    Examples:
      vnguangxi export facts.db
      vnguangxi export trade.db --topic trade --year 2024.. --force
      datasette facts.db --metadata facts.metadata.json

    Tables of facts, their places, people, tags, sources and links, the registries, a full-text index and
    views; datasette's metadata goes beside the database as OUT.metadata.json. An existing file is replaced
    only with --force.
    """
    from pathlib import Path

    from vnguangxi.export import check_destination, write_database
    from vnguangxi.load import folders_from

    path = Path(out)
    folders = folders_from(facts_dir, no_builtin)
    check_destination(path, force, folders)  # before the index is opened: a refusal is instant
    book = _open_book(facts_dir, no_builtin, no_cache)
    report = write_database(book, _filters(topic, year, locality, tag, source, status), path, force, folders)
    _stderr(
        "note",
        f"wrote {report.database} ({report.counts['facts']} facts) and {report.metadata}",
        f"browse: datasette {report.database} --metadata {report.metadata}",
    )


@_command(formats=("table", "json"))
def check(
    dirs: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="[DIR]...", help="Your folders to check, read with the built-in facts (--no-builtin: alone)."
        ),
    ] = None,
    articles: Annotated[
        list[str] | None,
        typer.Option(
            "--articles", metavar="DIR", help="Folder of article texts to check excerpts against (repeatable)."
        ),
    ] = None,
    fmt: ShortFormatOpt = "table",
    as_json: JsonOpt = False,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Check fact folders, with the built-in facts as list reads them, and report every problem; exit 1 if any.

    \b
    Examples:
      vnguangxi check
      vnguangxi check ./my-facts --articles ./articles
      vnguangxi check --format json | jq '.problems[]'

    Excerpts are checked verbatim against the articles when their texts are found: in --articles
    folders, $VNGUANGXI_ARTICLES_DIR, or an articles/ folder beside the facts.
    """

    from vnguangxi.check import run_check
    from vnguangxi.load import folders_from

    if dirs and any(not d for d in dirs):
        raise UsageError("'' names no folder to check", "give a folder, e.g. . for this one")
    given = [*(dirs or []), *(facts_dir or [])]
    folders = folders_from(given or None, no_builtin)
    if not folders:
        raise UsageError("nothing to check", "name a folder, or drop --no-builtin")
    report = run_check(folders, articles or [])
    if fmt == "json":
        from vnguangxi.formats import to_json

        _write(to_json(report.to_dict(), pretty=_terminal()))
    else:
        for w in report.warnings:
            _warn(w)
        for line in report.lines():
            _human(f"{one_line(line)}\n")
        if report.excerpts_checked < report.excerpts_total:
            _stderr(
                "note",
                "some article texts were not found, so their excerpts were not checked",
                "pass --articles DIR (or set VNGUANGXI_ARTICLES_DIR)",
            )
    if not report.ok:
        raise typer.Exit(int(ExitStatus.ERROR))


@_command(formats=None)  # toml|json, checked by the command
def extract(
    files: Annotated[
        list[str],
        typer.Argument(metavar="FILE...", help="Article texts (plain, or with a url:/title:/published: header)."),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            "--published", metavar="DATE", help="Publication date (YYYY[-MM[-DD]] or START/END); overrides the header."
        ),
    ] = None,
    source: Annotated[
        str | None, typer.Option("--source", metavar="ID", help="Source id to cite (default: the file name's stem).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", metavar="FORMAT", help="Output: toml|json.")] = "toml",
    out: Annotated[
        str | None,
        typer.Option("--out", metavar="DIR", help="Write TOML files (one per topic, sources.toml) into DIR."),
    ] = None,
    facts_dir: FactsDirOpt = None,
    no_builtin: NoBuiltinOpt = False,
) -> None:
    """Draft facts from articles: every figure, date, place and person, resolved and cited.

    \b
    Examples:
      vnguangxi extract article.txt --published 2026-03-06
      vnguangxi extract ../shared/articles/*.txt --out drafts/
      vnguangxi check --facts-dir drafts/ --articles ../shared/articles
      vnguangxi extract article.txt --format json | jq '.[].todo'

    Every fact written is marked `draft = true`, with its TODO list as comments: the curator confirms
    the guessed topic and status, rewrites the statement, and removes the mark.
    """
    from pathlib import Path

    if fmt not in ("toml", "json"):
        raise UsageError(f"unknown format '{fmt}'", "accepted: toml, json")
    if out is not None and fmt != "toml":
        raise UsageError("--out writes TOML files", "drop --out, or use --format toml")
    from vnguangxi.extract import load_registry, output, run
    from vnguangxi.load import folders_from

    registry = load_registry(folders_from(facts_dir, no_builtin))
    results = run(files, registry, published, source)
    if fmt == "json":
        from vnguangxi.formats import to_json

        _write(to_json(output.to_json(results), pretty=_terminal()))
    elif out is not None:
        for path in output.write(results, Path(out)):
            sys.stderr.write(f"wrote {path}\n")
        n = sum(len(r.drafts) for r in results)
        sys.stderr.write(f"{n} draft{'s' * (n != 1)} from {len(results)} article{'s' * (len(results) != 1)}\n")
    else:
        _write(output.one_document(results))


# ------------------------------------------------------------------------------ entry point


def main() -> NoReturn:
    """Console-script entry: run the app; Ctrl-C exits 130 and a closed pipe ends quietly."""
    if not _streams():
        _stderr("error", "standard output is closed: there is nowhere to write the answer")
        sys.exit(int(ExitStatus.ERROR))
    args = sys.argv[1:] or ["--help"]  # a bare `vnguangxi` asks what it can do: help, exit 0
    _watch_for_ctrl_c()
    import signal

    signal.signal(signal.SIGINT, signal.default_int_handler)  # from here on, Ctrl-C is a KeyboardInterrupt
    sys.unraisablehook = _unraisable
    try:
        _run(args)
    except KeyboardInterrupt:  # also one met while the answer was being finished, in _run's handlers
        _interrupted()


def _run(args: list[str]) -> NoReturn:
    """Run the app and end the process: 0 once the answer is flushed, 1 if it could not be written."""
    import signal

    try:
        if COMPLETE_VAR in os.environ:  # a shell asks for completions: build the app, then pick the quoting
            command = typer.main.get_command(_app_for(args))
            _use_our_zsh_quoting()
            command(args=args, prog_name="vnguangxi")
        else:
            _app_for(args)(args=args, prog_name="vnguangxi")
    except KeyboardInterrupt:
        _interrupted()
    except BrokenPipeError:
        _quiet_pipe()
    except OSError as exc:
        if _after_ctrl_c(exc):
            _interrupted()
        _write_failed(exc)
    except SystemExit as exc:
        if exc.code == ExitStatus.INTERRUPTED:  # Typer's own answer to a KeyboardInterrupt
            _interrupted()
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the answer is complete: Ctrl-C now changes nothing
        if exc.code not in (0, None):
            raise
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_pipe()
        except OSError as flush_exc:
            _write_failed(flush_exc)
        raise
    except Exception as exc:
        if _after_ctrl_c(exc):
            _interrupted()
        raise
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    sys.exit(0)


def _after_ctrl_c(exc: BaseException) -> bool:
    """Whether an error is what a Ctrl-C became. A KeyboardInterrupt can land where Python turns it into
    another error: Python 3.11 wraps what a descriptor's __set_name__ raises as a class is made (a
    cached_property, in a module imported lazily) in a RuntimeError, and one landing inside a lock's
    release leaves 'release unlocked lock' raised while it is handled."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, KeyboardInterrupt):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def _unraisable(unraisable: Any) -> None:
    """A Ctrl-C that lands in a finaliser (a worker pipe's __del__, run by the garbage collector) cannot
    propagate: Python would print it as an ignored exception and carry on. Answer it as any Ctrl-C."""
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _interrupted()
    sys.__unraisablehook__(unraisable)


GRACE = 0.5  # seconds Ctrl-C leaves the command to stop by itself before it is stopped


def _interrupted() -> NoReturn:
    """Ctrl-C: end the workers, exit 130 at once.

    The process ends with os._exit: no exit handlers, so no waiting on a worker pool whose workers were
    killed (multiprocessing's own clean-up can wait for ever on a lock a dead worker held). The cache
    is left valid: a write under way was rolled back, or was never committed (SQLite ignores it).
    """
    import signal

    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: the watchdog
        pass
    _end_workers()
    try:
        sys.stderr.write("\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(int(ExitStatus.INTERRUPTED))


def _end_workers() -> None:
    build = sys.modules.get("vnguangxi.build")
    if build is not None:
        build.end_children()


def _watch_for_ctrl_c() -> None:
    """Make sure Ctrl-C ends the command within a second, wherever it is.

    Python acts on a signal only between two steps of the main thread, not during a long SQLite
    statement or a wait on a worker. The C-level handler also writes the signal's number to a pipe
    (signal.set_wakeup_fd): a thread waiting on it gives the main thread GRACE seconds to stop cleanly,
    then ends the workers and the process itself.
    """
    import signal
    import threading

    try:
        read_end, write_end = os.pipe()
        os.set_blocking(write_end, False)
        signal.set_wakeup_fd(write_end)
    except (OSError, ValueError):
        return

    def watch() -> None:
        import time

        while True:
            try:
                got = os.read(read_end, 64)
            except OSError:
                return
            if not got:
                return
            if signal.SIGINT in got:
                time.sleep(GRACE)
                _interrupted()

    threading.Thread(target=watch, name="vnguangxi-ctrl-c", daemon=True).start()


def _escape_unencodable(exc: UnicodeError) -> tuple[str, int]:
    """An encoding error handler: characters the output's encoding lacks, written as JSON writes them
    ('\\u1ea1'), so JSON stays JSON and text stays readable under PYTHONIOENCODING=ascii."""
    assert isinstance(exc, UnicodeEncodeError)
    out = []
    for ch in exc.object[exc.start : exc.end]:
        code = ord(ch)
        if code > 0xFFFF:
            code -= 0x10000
            out.append(f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}")
        else:
            out.append(f"\\u{code:04x}")
    return "".join(out), exc.end


def _streams() -> bool:
    """Standard streams fit to write to; False if standard output was closed.

    A closed descriptor 0, 1 or 2 is pointed at /dev/null first: a file opened later (the cache) would
    otherwise take its number, and what is printed would go into it. An output whose encoding cannot
    hold every character (PYTHONIOENCODING=ascii, a C locale) writes the others as \\u escapes.
    """
    import codecs

    closed = []
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            closed.append(fd)
            os.open(os.devnull, os.O_RDWR)  # the lowest free number: this one
    if sys.stderr is None or 2 in closed:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (for the life of the process)
    codecs.register_error("vnguangxi-escape", _escape_unencodable)
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
        if stream is not None and not encoding.startswith("utf") and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="vnguangxi-escape")
    return sys.stdout is not None and 1 not in closed


def _write_failed(exc: OSError) -> NoReturn:
    """Writing the answer failed (a full disk, an I/O error): one line on stderr, exit 1."""
    import errno

    if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        reason = "the disk is full"
    else:
        reason = exc.strerror or str(exc)
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's last flush must not fail again
    except (OSError, ValueError, AttributeError):
        pass
    _stderr("error", f"cannot write the output: {reason}")
    sys.exit(int(ExitStatus.ERROR))


def _quiet_pipe() -> NoReturn:
    # Python's documented pattern: point stdout at devnull so the interpreter's final flush is silent,
    # and exit 1 as Python (and Typer, inside commands) do when the reader went away.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    sys.exit(int(ExitStatus.ERROR))
