"""Score `vnguangxi extract` against the curated facts, per language.

    python benchmarks/extract.py                       # built-in facts, ../shared/seeds and ../shared/articles
    python benchmarks/extract.py --facts DIR ...       # more curated folders (repeatable)
    python benchmarks/extract.py --articles DIR ...    # where the article texts are (repeatable)
    python benchmarks/extract.py --json                # the scores as JSON

Ground truth: every fact whose source cites an article (a source id is the article's file stem, or the id
a sources registry gives its file). Only articles with curated facts are scored.

- figures: recall and precision of (value, unit, year) over drafts with a quantity, as multisets (a curated
  figure counts for an article when that article's own excerpt prints it);
- relative dates: of the curated facts whose date_basis quotes a relative phrase ('last year', 'năm ngoái',
  '去年', 'the first five months', 'on Wednesday', 'since …', 'consecutive'), the share for which a draft
  from the same sentence resolves the same date (same first and last day);
- places: of the curated facts' places (implied ones included), the share that the drafts from the same
  sentence link; places prec.: of the places drafts link, the share that a curated fact of the same sentence
  names (no target: a draft errs on the side of places to confirm);
- excerpts: the share of draft excerpts found verbatim in the article and within 20 words;
- topic and status guesses: of the curated facts with a draft from the same sentence, the share whose first
  such draft guessed the curated topic and status (guesses the curator confirms; no target);
- ms/article: extraction time in-process, the best of three runs (the registry is loaded once, outside the
  timing).

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
    r"last year|this year|next year|previous year|first \w+ months|first half|since|consecutive|the past|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|this month|last month|"
    r"năm ngoái|năm nay|năm trước|tháng đầu|liên tiếp|去年|今年|明年|前\S*个?月|上半年|以来|连续|昨|星期|周[一二三四五六日]",  # noqa: E501
    re.I,
)


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


def printed_in(fact: dict[str, Any], sid: str) -> bool:
    """A curated figure counts for an article when the article's own excerpt prints it (a fact citing two
    articles may take its figure from the other)."""
    stated = str(fact["quantity"].get("stated", ""))
    excerpts = [r.get("excerpt", "") for r in fact.get("sources", []) if r.get("source") == sid]
    return any(stated in e or e in stated for e in excerpts)


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


def interval(body: str, excerpt: str) -> tuple[int, int] | None:
    at = body.find(excerpt)
    return None if at < 0 else (at, at + len(excerpt))


def overlaps(a: tuple[int, int] | None, b: tuple[int, int] | None) -> bool:
    return a is not None and b is not None and a[0] < b[1] and b[0] < a[1]


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
        # figures
        want = Counter(
            (number(f["quantity"]["value"]), f["quantity"]["unit"], year_of(f.get("date")))
            for f in truth
            if isinstance(f.get("quantity"), dict) and printed_in(f, sid)
        )
        got = Counter(
            (number(d.quantity.value), d.quantity.unit, year_of(d.date))
            for d in result.drafts
            if d.quantity is not None
        )
        hit = sum((want & got).values())
        c["fig_gold"] += sum(want.values())
        c["fig_got"] += sum(got.values())
        c["fig_hit"] += hit
        # excerpts
        for d in result.drafts:
            c["ex_total"] += 1
            c["ex_ok"] += int(d.excerpt in body and excerpt_words(d.excerpt) <= 20)
        bounds = [(s.start, s.end) for s in result.article.sentences]

        def sentences_of(at: tuple[int, int] | None, bounds: list[tuple[int, int]] = bounds) -> set[int]:
            return {i for i, b in enumerate(bounds) if overlaps(at, b)} if at else set()

        drafts_in = [(sentences_of(interval(body, d.excerpt)), d) for d in result.drafts]
        for f in truth:
            refs = [r for r in f.get("sources", []) if r.get("source") == sid]
            spans = set().union(*(sentences_of(interval(body, r.get("excerpt", ""))) for r in refs))
            near = [d for where, d in drafts_in if where & spans]
            if RELATIVE.search(f.get("date_basis", "")):
                c["rel_total"] += 1
                c["rel_ok"] += int(any(span_of(d.date) == span_of(f.get("date")) for d in near))
            if near:
                c["guess_total"] += 1
                c["topic_ok"] += int(near[0].topic == f.get("topic"))
                c["status_ok"] += int(near[0].status == f.get("status"))
            places = set(f.get("localities", []))
            linked = {p for d in near for p in d.localities}
            c["place_total"] += len(places)
            c["place_ok"] += len(places & linked)
        gold_in: dict[int, set[str]] = defaultdict(set)
        for f in truth:
            refs = [r for r in f.get("sources", []) if r.get("source") == sid]
            for i in set().union(*(sentences_of(interval(body, r.get("excerpt", ""))) for r in refs)):
                gold_in[i] |= set(f.get("localities", []))
        for where, d in drafts_in:
            gold_places = set().union(*(gold_in[i] for i in where if i in gold_in)) if where else set()
            if gold_places:
                c["linked_total"] += len(d.localities)
                c["linked_ok"] += len(set(d.localities) & gold_places)
        rows.append((path.name, lang, hit, sum(want.values()), sum(got.values()), round(result.ms, 1)))
    return {"rows": rows, "languages": {k: dict(v) for k, v in per_lang.items()}}


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "—"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--facts", action="append", default=[], metavar="DIR", help="more curated fact folders")
    ap.add_argument("--articles", action="append", default=[], metavar="DIR", help="folders of article texts")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--per-article", action="store_true", help="also list each article's figures")
    args = ap.parse_args()
    result = score(args)
    table = []
    total: Counter[str] = Counter()
    for lang, c in sorted(result["languages"].items()):
        total.update(c)
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
    if args.per_article:
        print()
        for name, lang, hit, want, got, ms in result["rows"]:
            print(f"{name:70} {lang}  figures {hit}/{want} found, {got} drafted, {ms} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
