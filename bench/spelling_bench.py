"""The fallback's « Vouliez-vous dire » vocabulary at scale: write cost, recount, lookup.

    createdb crpv_spelling_bench   # a database of its own (PostgreSQL), migrated
    DJANGO_SETTINGS_MODULE=portal.settings.dev DEBUG=false OPENSEARCH_URL= \
        DATABASE_URL=postgres://…/crpv_spelling_bench .venv/bin/python bench/spelling_bench.py --count 100000

Needs no page: it inserts N search entries (bulk, page ids from 900 000 000 up, removed at the
end) whose title and summary come from `generate_sheets.generate_sheet` (French prose,
territories) plus `--rare` made-up words each (the long tail of names and rare terms a real
corpus has: the generator alone uses a few hundred words). In one run it prints:

1. the time of a full recount (`spelling.rebuild()`, run by `search_index rebuild --target
   database`) and the vocabulary size;
2. the time to rewrite `--writes` of those entries through `write_entries` (the sink the indexing
   tasks use) with the vocabulary kept, against the same writes without it (baseline), and the ratio;
3. p50/p95 of `spelling.did_you_mean` over typed queries, against a baseline that compares each
   word with the whole vocabulary already in memory (RapidFuzz over every word), and the ratio.
"""

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")

FIRST_ID = 900_000_000
BATCH = 500
TYPOS = [
    "mediaton",
    "sociolinguistiqe",
    "renouvelement urbain",
    "acompagnement scolaire",
    "prevension delinquence",
    "jardns partages",
    "educatve",
    "insertoin professionnelle",
    "parentalitee",
    "numerque",
]


def documents(count, rare=2, seed=42):
    from generate_sheets import generate_sheet

    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    for index in range(count):
        sheet = generate_sheet(rng, index + 1)
        tail = " ".join("".join(rng.choices(letters, k=rng.randint(6, 12))) for _ in range(rare))
        summary = f"{sheet['summary']} {tail}"
        yield FIRST_ID + index, {"kind": "bench", "title": sheet["title"][:255], "summary": summary, "url": "/"}


def insert(count, rare):
    from search.models import SearchEntry

    rows = (SearchEntry(page_id=page_id, **doc) for page_id, doc in documents(count, rare))
    SearchEntry.objects.bulk_create(rows, batch_size=2000)


def rewrite(count, rare, keep_vocabulary):
    """Rewrite the first `count` entries through `write_entries`, in batches (seconds)."""
    from search import indexing

    kept = indexing._update_vocabulary
    if not keep_vocabulary:
        indexing._update_vocabulary = lambda documents, present: None
    try:
        started, batch = time.perf_counter(), {}
        for page_id, doc in documents(count, rare, seed=7):  # other text: the words change
            batch[page_id] = doc
            if len(batch) == BATCH:
                indexing.write_entries(batch)
                batch = {}
        if batch:
            indexing.write_entries(batch)
        return time.perf_counter() - started
    finally:
        indexing._update_vocabulary = kept


def percentiles(times):
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rare", type=int, default=2, help="made-up words per entry")
    parser.add_argument("--writes", type=int, default=5000)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    from search import spelling
    from search.models import SearchEntry, SearchWord

    SearchEntry.objects.filter(page_id__gte=FIRST_ID).delete()
    started = time.perf_counter()
    insert(args.count, args.rare)
    print(f"inserted {args.count} entries in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    words = spelling.rebuild()
    print(f"recount (rebuild): {time.perf_counter() - started:.2f} s, {words} words")
    baseline = rewrite(args.writes, args.rare, keep_vocabulary=False)
    spelling.rebuild()  # the vocabulary as the entries now are
    insert_again = rewrite(args.writes, args.rare, keep_vocabulary=True)  # same text: no word changes
    SearchEntry.objects.filter(page_id__gte=FIRST_ID, page_id__lt=FIRST_ID + args.writes).delete()
    spelling.rebuild()
    insert(args.writes, args.rare)  # back to the first text, then rewrite: every word of them changes
    spelling.rebuild()
    kept = rewrite(args.writes, args.rare, keep_vocabulary=True)
    print(
        f"rewrite {args.writes} entries: {kept:.1f} s with the vocabulary kept (every word changed), "
        f"{insert_again:.1f} s (no word changed), {baseline:.1f} s without it (baseline); "
        f"ratio {kept / baseline:.2f} and {insert_again / baseline:.2f}"
    )

    vocabulary = list(SearchWord.objects.values_list("word", flat=True))
    lookups, scans = [], []
    for _ in range(args.repeat):
        for q in TYPOS:
            started = time.perf_counter()
            spelling.did_you_mean(q)
            lookups.append(time.perf_counter() - started)
            started = time.perf_counter()
            for word in q.split():
                process.extractOne(word, vocabulary, scorer=DamerauLevenshtein.distance, score_cutoff=2)
            scans.append(time.perf_counter() - started)
    (p50, p95), (b50, b95) = percentiles(lookups), percentiles(scans)
    print(
        f"did_you_mean over {len(vocabulary)} words: p50 {p50:.1f} ms, p95 {p95:.1f} ms; whole vocabulary "
        f"in memory (baseline): p50 {b50:.1f} ms, p95 {b95:.1f} ms (ratio p95 {p95 / b95:.2f})"
    )
    print({q: spelling.did_you_mean(q) for q in TYPOS})
    SearchEntry.objects.filter(page_id__gte=FIRST_ID).delete()
    spelling.rebuild()


if __name__ == "__main__":
    main()
