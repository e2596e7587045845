"""Score `vnguangxi extract` against the curated facts, per language.

    python benchmarks/extract.py                       # built-in facts, ../shared/seeds and ../shared/articles
    python benchmarks/extract.py --facts DIR ...       # more curated folders (repeatable)
    python benchmarks/extract.py --articles DIR ...    # where the article texts are (repeatable)
    python benchmarks/extract.py --json                # the scores as JSON
    python benchmarks/extract.py --misses              # what each article's drafts missed

Ground truth: every fact whose source cites an article (a source id is the article's file stem, or the id
a sources registry gives its file), not drafts. Only articles with curated facts are scored. A fact that
cites an article twice counts once for it; its sentences are all the sentences any of its excerpts for that
article overlap, at every place the excerpt occurs (a headline may repeat the lead).

Scoring rules:

- figures: recall and precision of (value, unit, year) over drafts with a quantity, as multisets per
  article. A curated figure counts for an article when one of that article's own excerpts prints its
  `stated` wording (a fact citing two articles may take its figure from the other). The year is the first
  year of the date, on both sides.
- relative dates: the curated facts whose date rests on a relative phrase — their excerpt for the article
  carries one ('last year', 'this year', 'the first five months', 'since …', 'consecutive', a weekday,
  'năm ngoái', 'tháng đầu', 'liên tiếp', '去年', '今年', '前10个月', '以来', '连续' …), or their date_basis
  quotes one from the article (excerpts are cut to the words that prove the claim, so the phrase that dates
  them often sits just outside). Resolved when the draft that stands for the fact gives a date covering
  the same first and last day ('2025' = '2025-01/2025-12'; an interval covers both its ends, so
  '2024-03/2024-03-22' is all of March). The draft that stands for a fact with a figure is one from the
  same sentence carrying the same value; where no draft carries it (a miss already counted under figures),
  the sentence's drafts without a figure. For a fact without a figure, any draft of the sentence. No date
  never agrees with anything.
- places: of the curated facts' places (implied ones included), the share that the drafts of the same
  sentence link; places prec.: of the places drafts link, the share that a curated fact of the same
  sentence names (no target: a draft errs on the side of places to confirm).
- excerpts: the share of draft excerpts found verbatim in the article and within 20 words.
- topic and status guesses: of the curated facts with a draft from the same sentence, the share whose first
  such draft guessed the curated topic and status (guesses the curator confirms; no target).
- curation ledger: each drafted figure, matched one to one with the article's curated figures (kept pairs
  first): kept (a curated fact has the same value, unit, qualifier and date), corrected (the same value,
  another unit, qualifier or date) or dropped (no curated figure of the article has the value).
- ms/article: extraction time in-process, the best of three runs (the registry is loaded once, outside the
  timing).

`--misses` lists, per article, the figures missed and drafted in excess (with the curated figure of the same
value, if any), the relative dates not resolved (with the dates the standing drafts gave) and the places
not linked.

Targets (issue 12): figures recall and precision ≥ 0.90, relative dates ≥ 0.90, places ≥ 0.90, excerpts 100 %.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import tomli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from vnguangxi.dates import DateError, parse  # noqa: E402
from vnguangxi.extract import load_registry, run  # noqa: E402
from vnguangxi.extract.numbers import number  # noqa: E402
from vnguangxi.text import excerpt_words  # noqa: E402

RELATIVE = re.compile(
    r"\b(?:last|this|next|previous|past) (?:year|month|week)s?\b|\bearlier this\b"
    r"|\bfirst (?:\w+ )?(?:months|quarters?|half)\b"
    r"|\bsince\b|\bconsecutive\b|\bover the past\b|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b|\byesterday\b"
    r"|năm ngoái|năm nay|năm trước|năm qua|tháng đầu|liên tiếp|vừa qua|hôm qua|\bthứ (?:hai|ba|tư|năm|sáu|bảy)\b"
    r"|去年|今年|明年|前[一二三四五六七八九十\d]+个?月|上半年|以来|連續|连续|昨|星期|周[一二三四五六日]|一年[来來]|本月|上月",
    re.I,
)
QUOTED = re.compile(r"'([^']+)'|‘([^’]+)’|\"([^\"]+)\"|“([^”]+)”")


def relative_phrase(fact: dict[str, Any], excerpts: list[str]) -> bool:
    """The fact's date rests on a relative phrase: its excerpt carries one, or the curator's date_basis
    quotes one from the article (excerpts are cut to the words that prove the claim, so the phrase that
    dates them often sits just outside)."""
    quoted = [next(g for g in m.groups() if g) for m in QUOTED.finditer(str(fact.get("date_basis", "")))]
    return any(RELATIVE.search(t) for t in [*excerpts, *quoted])


def load_facts(folders: list[Path]) -> tuple[list[dict[str, Any]], dict[str, str]]:
    facts: list[dict[str, Any]] = []
    by_file: dict[str, str] = {}
    for folder in folders:
        for path in sorted(folder.rglob("*.toml")):
            try:
                data = tomli.loads(path.read_text(encoding="utf-8"))
            except (OSError, tomli.TOMLDecodeError) as exc:
                print(f"skipped {path}: {exc}", file=sys.stderr)
                continue
            for f in data.get("facts", []):
                if isinstance(f, dict) and not f.get("draft"):
                    f.setdefault("topic", path.stem)
                    facts.append(f)
            for s in data.get("sources", []):
                if isinstance(s, dict) and "file" in s and "id" in s:
                    by_file[s["file"]] = s["id"]
    return facts, by_file


def excerpts_of(fact: dict[str, Any], sid: str) -> list[str]:
    return [str(r.get("excerpt", "")) for r in fact.get("sources", []) if r.get("source") == sid]


def printed_in(fact: dict[str, Any], sid: str) -> bool:
    """A curated figure counts for an article when one of the article's own excerpts prints it (a fact citing
    two articles may take its figure from the other)."""
    stated = str(fact["quantity"].get("stated", ""))
    return bool(stated) and any(stated in e or (e and e in stated) for e in excerpts_of(fact, sid))


def year_of(date: str | None) -> int | None:
    if not date:
        return None
    try:
        return parse(date).year
    except DateError:
        return None


def span_of(date: str | None) -> tuple[str, str] | None:
    if not date:
        return None
    try:
        s = parse(date)
    except DateError:
        return None
    return s.start.isoformat(), s.end.isoformat()


def same_date(a: str | None, b: str | None) -> bool:
    """Two dates agree when they cover the same first and last day ('2025' = '2025-01/2025-12'); no date never
    agrees with anything."""
    sa = span_of(a)
    return sa is not None and sa == span_of(b)


def occurrences(body: str, excerpt: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    if not excerpt:
        return out
    at = body.find(excerpt)
    while at >= 0:
        out.append((at, at + len(excerpt)))
        at = body.find(excerpt, at + 1)
    return out


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def figure_key(value: object, unit: str, date: str | None) -> tuple[object, str, int | None]:
    return (number(float(value)) if isinstance(value, int | float) else value, unit, year_of(date))  # type: ignore[arg-type]


def ledger(drafts: list[Any], gold: list[dict[str, Any]]) -> Counter[str]:
    """Each drafted figure, one to one with the article's curated figures: kept (a curated fact has the same
    value, unit, qualifier and date), corrected (a curated fact has the same value, but another unit,
    qualifier or date) or dropped (no curated fact of the article has the value). Kept pairs are taken first."""
    free = list(gold)
    out: Counter[str] = Counter()
    rest = []
    for d in drafts:
        q = d.quantity
        hit = next(
            (
                f
                for f in free
                if number(float(f["quantity"]["value"])) == number(q.value)
                and f["quantity"].get("unit") == q.unit
                and f["quantity"].get("qualifier", "exact") == q.qualifier
                and same_date(f.get("date"), d.date)
            ),
            None,
        )
        if hit is None:
            rest.append(d)
        else:
            free.remove(hit)
            out["kept"] += 1
    for d in rest:
        hit = next((f for f in free if number(float(f["quantity"]["value"])) == number(d.quantity.value)), None)
        if hit is None:
            out["dropped"] += 1
        else:
            free.remove(hit)
            out["corrected"] += 1
    return out


def score(args: argparse.Namespace) -> dict[str, Any]:
    folders = [ROOT / "facts", *[Path(d) for d in args.facts]]
    facts, by_file = load_facts(folders)
    registry = load_registry(folders)
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for f in facts:
        for sid in dict.fromkeys(ref.get("source", "") for ref in f.get("sources", [])):
            gold[sid].append(f)  # once per article, though it may cite the article twice
    article_dirs = [Path(d) for d in args.articles] or [
        ROOT.parent / "shared" / "seeds",
        ROOT.parent / "shared" / "articles",
    ]
    files = [p for d in article_dirs if d.is_dir() for p in sorted(d.glob("*.txt")) if p.name != "README.md"]
    per_lang: dict[str, Counter[str]] = defaultdict(Counter)
    rows = []
    misses: list[tuple[str, list[str]]] = []
    for path in files:
        sid = by_file.get(path.name, path.stem)
        truth = gold.get(sid)
        if not truth:
            continue
        result = min((run([str(path)], registry, None, None)[0] for _ in range(3)), key=lambda r: r.ms)
        body = result.article.body
        lang = result.article.language
        c = per_lang[lang]
        c["articles"] += 1
        c["ms"] += result.ms
        notes: list[str] = []
        # figures
        figured = [f for f in truth if isinstance(f.get("quantity"), dict) and printed_in(f, sid)]
        want = Counter(figure_key(f["quantity"]["value"], f["quantity"]["unit"], f.get("date")) for f in figured)
        with_q = [d for d in result.drafts if d.quantity is not None]
        got = Counter(figure_key(d.quantity.value, d.quantity.unit, d.date) for d in with_q)
        hit = sum((want & got).values())
        c["fig_gold"] += sum(want.values())
        c["fig_got"] += sum(got.values())
        c["fig_hit"] += hit
        notes += [f"figure missed   {k}" for k in (want - got).elements()]
        extra = got - want
        for d in with_q:
            k = figure_key(d.quantity.value, d.quantity.unit, d.date)
            if extra[k] > 0:
                extra[k] -= 1
                same = [
                    f"{f['id']} {f['quantity'].get('unit')} {f.get('date')}"
                    + ("" if printed_in(f, sid) else " (not printed)")
                    for f in truth
                    if isinstance(f.get("quantity"), dict) and number(float(f["quantity"]["value"])) == k[0]
                ]
                notes.append(f"figure spurious {k} «{d.excerpt}»" + (f" ~ curated {same}" if same else ""))
        c.update(ledger(with_q, [f for f in truth if isinstance(f.get("quantity"), dict)]))
        # excerpts
        for d in result.drafts:
            c["ex_total"] += 1
            c["ex_ok"] += int(d.excerpt in body and excerpt_words(d.excerpt) <= 20)
        bounds = [(s.start, s.end) for s in result.article.sentences]

        def sentences_of(text: str, bounds: list[tuple[int, int]] = bounds, body: str = body) -> set[int]:
            """Every sentence an excerpt overlaps, at each place it occurs (a headline may repeat a sentence)."""
            return {i for at in occurrences(body, text) for i, b in enumerate(bounds) if overlaps(at, b)}

        drafts_in = [(sentences_of(d.excerpt), d) for d in result.drafts]
        gold_in: dict[int, set[str]] = defaultdict(set)
        for f in truth:
            texts = excerpts_of(f, sid)
            spans = set().union(*(sentences_of(t) for t in texts))
            near = [d for where, d in drafts_in if where & spans]
            for i in spans:
                gold_in[i] |= set(f.get("localities", []))
            if relative_phrase(f, texts):
                # the draft that stands for the fact: for a figure, one carrying the same value; where none
                # does (a figure missed, counted under figures), the sentence's drafts with no figure
                q = f.get("quantity")
                mine = near
                if isinstance(q, dict):
                    mine = [
                        d for d in near if d.quantity is not None and number(d.quantity.value) == number(q["value"])
                    ]
                    mine = mine or [d for d in near if d.quantity is None]
                ok = any(same_date(d.date, f.get("date")) for d in mine)
                c["rel_total"] += 1
                c["rel_ok"] += int(ok)
                if not ok:
                    notes.append(f"date missed     {f['id']}: {f.get('date')} ← drafts {[d.date for d in mine]}")
            if near:
                c["guess_total"] += 1
                c["topic_ok"] += int(near[0].topic == f.get("topic"))
                c["status_ok"] += int(near[0].status == f.get("status"))
            places = set(f.get("localities", []))
            linked = {p for d in near for p in d.localities}
            c["place_total"] += len(places)
            c["place_ok"] += len(places & linked)
            if places - linked:
                notes.append(f"places missed   {f['id']}: {sorted(places - linked)}")
        for where, d in drafts_in:
            gold_places = set().union(*(gold_in[i] for i in where if i in gold_in)) if where else set()
            if gold_places:
                c["linked_total"] += len(d.localities)
                c["linked_ok"] += len(set(d.localities) & gold_places)
        rows.append((path.name, lang, hit, sum(want.values()), sum(got.values()), round(result.ms, 1)))
        misses.append((path.name, notes))
    return {"rows": rows, "languages": {k: dict(v) for k, v in per_lang.items()}, "misses": misses}


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "—"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--facts", action="append", default=[], metavar="DIR", help="more curated fact folders")
    ap.add_argument("--articles", action="append", default=[], metavar="DIR", help="folders of article texts")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--per-article", action="store_true", help="also list each article's figures")
    ap.add_argument("--misses", action="store_true", help="list the misses")
    args = ap.parse_args()
    result = score(args)
    table = []
    total: Counter[str] = Counter()
    for lang, c in sorted(result["languages"].items()):
        total.update(c)
        c = Counter(c)
        table.append((lang, c))
    table.append(("all", total))
    out = []
    for lang, c in table:
        out.append(
            {
                "language": lang,
                "articles": c["articles"],
                "figures_recall": ratio(c["fig_hit"], c["fig_gold"]),
                "figures_precision": ratio(c["fig_hit"], c["fig_got"]),
                "relative_dates": ratio(c["rel_ok"], c["rel_total"]),
                "places": ratio(c["place_ok"], c["place_total"]),
                "places_precision": ratio(c["linked_ok"], c["linked_total"]),
                "excerpts_verbatim": ratio(c["ex_ok"], c["ex_total"]),
                "topic_guessed": ratio(c["topic_ok"], c["guess_total"]),
                "status_guessed": ratio(c["status_ok"], c["guess_total"]),
                "ms_per_article": f"{c['ms'] / c['articles']:.1f}" if c["articles"] else "—",
                "ledger": {k: c.get(k, 0) for k in ("kept", "corrected", "dropped")},
                "counts": {k: round(v, 1) for k, v in c.items()},
            }
        )
    if args.json:
        print(json.dumps(out, indent=2))
        return 0
    head = (
        "language",
        "articles",
        "fig. recall",
        "fig. precision",
        "relative dates",
        "places",
        "places prec.",
        "excerpts",
        "topic guess",
        "status guess",
        "ms/article",
    )
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for r in out:
        cells = [r["language"], str(r["articles"]), r["figures_recall"], r["figures_precision"], r["relative_dates"],
                 r["places"], r["places_precision"], r["excerpts_verbatim"], r["topic_guessed"], r["status_guessed"],
                 r["ms_per_article"]]  # fmt: skip
        print("| " + " | ".join(cells) + " |")
    print()
    print("Curation ledger: of the figures extract drafted, how many the curated facts kept as drafted (same value,")
    print("unit, qualifier and date), corrected (same value; another unit, qualifier or date) or dropped.")
    print()
    print("| language | drafted | kept | corrected | dropped |")
    print("|---|---|---|---|---|")
    for r in out:
        k = r["ledger"]
        cells = [r["language"], str(sum(k.values())), *(str(k[x]) for x in ("kept", "corrected", "dropped"))]
        print("| " + " | ".join(cells) + " |")
    if args.per_article:
        print()
        for name, lang, hit, want, got, ms in result["rows"]:
            print(f"{name:70} {lang}  figures {hit}/{want} found, {got} drafted, {ms} ms")
    if args.misses:
        for name, notes in result["misses"]:
            if notes:
                print(f"\n{name}")
                for n in notes:
                    print("  " + n)
    return 0


if __name__ == "__main__":
    sys.exit(main())
