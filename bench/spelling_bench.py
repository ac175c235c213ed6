"""The fallback's « Vouliez-vous dire » vocabulary at scale: write cost, recount, lookup.

    createdb crpv_spelling_bench   # a database of its own (PostgreSQL), migrated
    DJANGO_SETTINGS_MODULE=portal.settings.dev DEBUG=false OPENSEARCH_URL= \
        DATABASE_URL=postgres://…/crpv_spelling_bench .venv/bin/python bench/spelling_bench.py --count 100000

Needs no page: it writes N search entries (`write_entries`, the sink the indexing tasks use) whose
title and summary come from `generate_sheets.generate_sheet` (French prose, territories), with
page ids from 900 000 000 up, removed at the end. In one run it prints:

1. the write time of the entries in batches of 500 with the vocabulary kept (`write_entries`)
   against the same batches written without it (baseline), and the ratio;
2. the time of a full recount (`spelling.rebuild()`, run by `search_index rebuild --target
   database`) and the vocabulary size;
3. p50/p95 of `spelling.did_you_mean` over typed queries, against a baseline that compares the
   word with the whole vocabulary held in memory (RapidFuzz over every word), and the ratio.
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


def documents(count, seed=42):
    from generate_sheets import generate_sheet

    rng = random.Random(seed)
    for index in range(count):
        sheet = generate_sheet(rng, index + 1)
        yield FIRST_ID + index, {"kind": "bench", "title": sheet["title"], "summary": sheet["summary"], "url": "/"}


def write(count, keep_vocabulary):
    from search import indexing
    from search.models import SearchEntry

    kept = indexing._update_vocabulary
    if not keep_vocabulary:
        indexing._update_vocabulary = lambda documents, present: None
    try:
        started, batch = time.perf_counter(), {}
        for page_id, doc in documents(count):
            batch[page_id] = doc
            if len(batch) == BATCH:
                indexing.write_entries(batch)
                batch = {}
        if batch:
            indexing.write_entries(batch)
        return time.perf_counter() - started
    finally:
        indexing._update_vocabulary = kept
        if not keep_vocabulary:
            SearchEntry.objects.filter(page_id__gte=FIRST_ID).delete()


def percentiles(times):
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[max(int(len(ordered) * 0.95) - 1, 0)] * 1000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    import django

    django.setup()
    from rapidfuzz import process
    from rapidfuzz.distance import DamerauLevenshtein

    from search import spelling
    from search.indexing import write_entries
    from search.models import SearchEntry, SearchWord

    SearchEntry.objects.filter(page_id__gte=FIRST_ID).delete()
    spelling.rebuild()
    baseline = write(args.count, keep_vocabulary=False)
    kept = write(args.count, keep_vocabulary=True)
    print(
        f"write {args.count} entries: {kept:.1f} s with the vocabulary, {baseline:.1f} s without "
        f"(ratio {kept / baseline:.2f})"
    )
    started = time.perf_counter()
    words = spelling.rebuild()
    print(f"recount (rebuild): {time.perf_counter() - started:.2f} s, {words} words")

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
        f"did_you_mean: p50 {p50:.1f} ms, p95 {p95:.1f} ms; whole vocabulary in memory (baseline, "
        f"without loading it): p50 {b50:.1f} ms, p95 {b95:.1f} ms (ratio p95 {p95 / b95:.2f})"
    )
    print({q: spelling.did_you_mean(q) for q in TYPOS})
    write_entries(dict.fromkeys(range(FIRST_ID, FIRST_ID + args.count)))  # remove them, vocabulary too
    print(f"left after removal: {SearchWord.objects.filter(entries__lte=0).count()} words at 0")


if __name__ == "__main__":
    main()
