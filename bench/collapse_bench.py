"""What collapsing duplicates costs: the same searches with and without it, in one run.

    export DATABASE_URL=postgres://… OPENSEARCH_URL=http://… DJANGO_SETTINGS_MODULE=portal.settings.test
    .venv/bin/python bench/collapse_bench.py --count 5000 --repeat 20

Needs a migrated database (any: the synthetic entries are written in a transaction rolled back
at the end) and an engine (a throw-away index, dropped at the end). N synthetic documents, a
third of the titles published by three centres (as the demo did), the rest once:

- engine: the body `queries.build_search` makes (collapse on `title_key` + the count of groups)
  followed by the request for the page's copies, against the same body without `collapse` and
  the `groups` aggregation alone (raw `client.search`);
- fallback (PostgreSQL): `fallback._postgres_search` (the statement with the row numbering).

Prints p50/p95 in ms and the engine's ratio. Query mix: a broad word, two words, a filter, the
date sort and page 3.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import transaction  # noqa: E402

from search import collapse, engine, fallback  # noqa: E402
from search.documents import build_index  # noqa: E402
from search.indexing import _insert_facet_values, as_list, engine_source, fold, title_key  # noqa: E402
from search.models import SearchEntry  # noqa: E402
from search.params import SearchParams  # noqa: E402
from search.queries import COPY_SOURCE, build_search  # noqa: E402

CENTRES = ["irev", "oriv", "crpv-guyane", "ressources-urbaines", "cr-csur", "villes-au-carre"]
THEMES = ["education", "insertion", "sante", "emploi", "alimentation"]
WORDS = ["médiation", "jeunes", "ateliers", "habitants", "santé", "emploi", "jardins", "quartier"]
MIX = [
    SearchParams(q="jeunes"),
    SearchParams(q="ateliers habitants"),
    SearchParams(q="médiation", filters={"theme": ["sante"]}),
    SearchParams(q="quartier", sort="date"),
    SearchParams(q="jeunes", page=3),
]


def documents(count):
    """(page_id, document) pairs: every third title is published by three centres."""
    made, n = [], 0
    while len(made) < count:
        words = " ".join(WORDS[(n + i * 3) % len(WORDS)] for i in range(3))
        title = f"Fiche {n} : {words}"
        for copy in range(3 if n % 3 == 0 else 1):
            page_id = 10_000_000 + len(made)
            made.append(
                (
                    page_id,
                    {
                        "kind": "fiche-experience",
                        "type": "fiche-experience",
                        "title": title,
                        "title_key": title_key("fiche-experience", title, page_id),
                        "summary": f"Une action de {words} menée avec les habitants.",
                        "sections": f"{words} " * 20,
                        "uuid": str(uuid.uuid4()),
                        "url": f"/bench/{page_id}/",
                        "centre": CENTRES[(n + copy) % len(CENTRES)],
                        "theme": [THEMES[n % len(THEMES)]],
                        "date": date(2020, 1, 1) + timedelta(days=(n * 7 + copy) % 1800),
                        "page_id": page_id,
                    },
                )
            )
        n += 1
    return made[:count]


def collapsed(client, index, body):
    """What `EngineSearch.search` asks: the collapsed page, then its copies."""
    hits = client.search(index=index, body=body)["hits"]["hits"]
    copies = collapse.copies_search(engine.dsl, index, hits, COPY_SOURCE).to_dict()
    return client.search(index=index, body=copies)


def timed(run, repeat):
    run()  # warm-up
    laps = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        laps.append((time.perf_counter() - start) * 1000)
    return laps


def summary(laps):
    laps = sorted(laps)
    return statistics.median(laps), laps[max(0, round(0.95 * len(laps)) - 1)]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    docs = documents(args.count)
    settings.OPENSEARCH_URL = os.environ["OPENSEARCH_URL"]  # the test settings leave it to the fixtures
    client = engine.get_client()
    index = f"{settings.OPENSEARCH_INDEX_PREFIX or 'bench'}-collapse-bench-{uuid.uuid4().hex[:6]}"
    build_index(index).create(using=client)
    try:
        actions = ({"_index": index, "_id": f"page-{pid}", "_source": engine_source(d)} for pid, d in docs)
        for _ok, _item in engine.streaming_bulk(client, actions, chunk_size=1000):
            pass
        client.indices.refresh(index=index)
        results = {"engine, collapsed": [], "engine, collapsed, no copies": [], "engine, not collapsed": []}
        for params in MIX:
            body = build_search(params, engine.dsl, index).to_dict()
            plain = {key: value for key, value in body.items() if key != "collapse"}
            plain["aggs"] = {name: agg for name, agg in body["aggs"].items() if name != "groups"}
            results["engine, collapsed"] += timed(lambda b=body: collapsed(client, index, b), args.repeat)
            results["engine, collapsed, no copies"] += timed(
                lambda b=body: client.search(index=index, body=b), args.repeat
            )
            results["engine, not collapsed"] += timed(lambda b=plain: client.search(index=index, body=b), args.repeat)
    finally:
        client.indices.delete(index=index)
    with transaction.atomic():
        SearchEntry.objects.bulk_create(
            [
                SearchEntry(
                    page_id=pid,
                    **{k: d[k] for k in ("kind", "type", "title", "title_key", "summary", "uuid", "url", "centre")},
                    folded=fold(f"{d['title']} {d['summary']} {d['sections']}"),
                    date=d["date"],
                    year=d["date"].year,
                )
                for pid, d in docs
            ],
            batch_size=1000,
        )
        _insert_facet_values([(pid, f, v) for pid, d in docs for f in ("centre", "theme") for v in as_list(d[f])])
        results["database (PostgreSQL), collapsed"] = []
        for params in MIX:
            terms = fallback.query_terms(params.q)
            results["database (PostgreSQL), collapsed"] += timed(
                lambda p=params, t=terms: fallback._postgres_search(p, t), args.repeat
            )
        transaction.set_rollback(True)
    print(
        f"{args.count} documents ({len({d['title_key'] for _, d in docs})} titles), {len(MIX)} queries × {args.repeat}"
    )
    for name, laps in results.items():
        p50, p95 = summary(laps)
        print(f"  {name:36} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    ratio = summary(results["engine, collapsed"])[0] / summary(results["engine, not collapsed"])[0]
    print(f"  engine p50 ratio collapsed / not collapsed: {ratio:.2f}")


if __name__ == "__main__":
    main()
