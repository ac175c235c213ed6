"""Search at scale: rebuild throughput vs a raw `_bulk` load, and query latency of the engine, the API, the fallback.

    export $(PG_STATE_DIR=/tmp/pg-bench scripts/postgres start)
    export $(OPENSEARCH_PORT=9270 OPENSEARCH_HOME=/tmp/os-bench OPENSEARCH_HEAP=1g scripts/opensearch start)
    export DJANGO_SETTINGS_MODULE=portal.settings.dev DEBUG=false OPENSEARCH_INDEX_PREFIX=bench
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py load_demo_data
    .venv/bin/python bench/search_bench.py                      # 100 000 sheets, 10 rounds of the query mix
    .venv/bin/python bench/search_bench.py --count 5000 --repeat 5 --fallback-repeat 2
    PG_STATE_DIR=/tmp/pg-bench scripts/postgres stop
    OPENSEARCH_PORT=9270 OPENSEARCH_HOME=/tmp/os-bench scripts/opensearch stop

Starts no database and no engine: it needs DATABASE_URL (PostgreSQL) and OPENSEARCH_URL, with
the demo content loaded (centres, taxonomy). In one run:

1. seeds N sheets with `seed_sheets.py` (reused when the database already holds exactly N);
2. times `search.lifecycle.rebuild()` (what `search_index rebuild` runs: the engine's index), then
   `search.lifecycle.rebuild_entries()` (`--target database`: the fallback's `SearchEntry` rows,
   reported, no target; (c) needs them);
3. builds every document once into memory (`iter_documents` + `engine_source`, timed: the
   Python side of a rebuild), then times a plain `streaming_bulk` of those pre-built documents
   into a fresh index with the same mapping (`build_index`), refresh disabled as in `rebuild`;
4. runs a fixed query mix (`QUERY_MIX`) R times after one warm-up round, the runs below taken in
   turn on each query (the machine's load weighs on all alike):
   (a0) the raw `client.search` of the former single request (page, exact count and nine facets:
        `former_body`), the baseline of the facets work;
   (a) the raw `_msearch` the service sends (`build_search` + `build_facets`, the latter with the
       request cache), then the same with the request cache cleared before each search;
   (b) our API `GET /api/v1/search/` over HTTP on a gunicorn it starts on a free 127.0.0.1 port
       (one sync worker; `--in-process` uses `django.test.Client` instead), warm and cleared;
   (c) the database fallback `DatabaseSearch().search(params)` (`--skip-fallback`: not run);
5. prints p50/p95 of each, the ratios and PASS/FAIL for each target (API p95 ≤ 1.5 × (a),
   API p95 ≤ 100 ms).
"""

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.dev")
os.environ.setdefault("DEBUG", "false")  # dev settings: DEBUG would record every query
os.environ.setdefault("OPENSEARCH_INDEX_PREFIX", "bench")
os.environ.setdefault("RATELIMIT_ENABLED", "false")  # 220 searches a minute from one client
os.environ.setdefault("SEARCH_QUERY_TIMEOUT", "10")  # measure the engine, not the fallback after 1 s

# ~20 queries: single words, several words, acronyms (synonyms), phrases, accents left out, a typo,
# with and without filters, sorted by relevance and by date, filters alone.
QUERY_MIX = [
    [("q", "jeunes")],
    [("q", "santé")],
    [("q", "QPV")],
    [("q", "ASL")],
    [("q", "NPNRU")],
    [("q", "PRE")],
    [("q", "ateliers sociolinguistiques")],
    [("q", "quartier prioritaire")],
    [("q", "jardins partagés")],
    [("q", "réussite éducative")],
    [("q", "renovation urbaine")],
    [("q", "mediaton sociale")],
    [("q", "accès aux droits"), ("theme", "acces-aux-droits")],
    [("q", "emploi des jeunes"), ("centre", "irev")],
    [("q", "santé mentale"), ("sort", "date")],
    [("q", "budget participatif"), ("region", "84"), ("region", "93")],
    [("q", "numérique"), ("public", "seniors")],
    [("q", "décrochage scolaire"), ("theme", "education"), ("year", "2022")],
    [("q", "Marseille"), ("departement", "13"), ("sort", "date")],
    [("theme", "habitat")],
    [("centre", "oriv"), ("sort", "date")],
    [("q", "médiation"), ("page", "3")],
]
TARGET_API_RATIO = 1.5  # (b) p95 ≤ 1.5 × (a) p95
TARGET_API_P95_MS = 100  # (b) p95 at 100 000 sheets (174 ms with the former single request)
TARGET_REBUILD_RATIO = 0.3  # rebuild ≥ 0.3 × raw bulk throughput
TARGET_REBUILD_SECONDS = 120  # 100 000 sheets in under 2 minutes (on 2 cores)
TARGET_COUNT = 100_000


def percentile(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def measure(label, run, queries, repeat, log, before=None):
    """Milliseconds per call of `run(query)` over `repeat` rounds of the mix, after a warm-up round
    (`before()`, untimed, before each call)."""
    for query in queries:
        run(query)
    samples = []
    for _ in range(repeat):
        for query in queries:
            if before:
                before()
            start = time.perf_counter()
            run(query)
            samples.append((time.perf_counter() - start) * 1000)
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    log(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(samples):.1f} ms ({len(samples)} queries)")
    return {"p50_ms": p50, "p95_ms": p95, "max_ms": max(samples), "samples": len(samples)}


def measure_side_by_side(runs, queries, repeat, log):
    """{label: figures} for `runs` ({label: (run, before)}) taken in turn on each query of each
    round, so that the load of the shared machine weighs on all of them alike."""
    for query in queries:
        for run, _before in runs.values():
            run(query)
    samples = {label: [] for label in runs}
    for _ in range(repeat):
        for query in queries:
            for label, (run, before) in runs.items():
                if before:
                    before()
                start = time.perf_counter()
                run(query)
                samples[label].append((time.perf_counter() - start) * 1000)
    figures = {}
    for label, values in samples.items():
        p50, p95 = percentile(values, 50), percentile(values, 95)
        log(f"{label}: p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {max(values):.1f} ms ({len(values)} queries)")
        figures[label] = {"p50_ms": p50, "p95_ms": p95, "max_ms": max(values), "samples": len(values)}
    return figures


# ---- the API server ---------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ApiServer:
    """gunicorn on 127.0.0.1 (one sync worker), same settings and environment as this process."""

    def __init__(self):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def __enter__(self):
        command = [
            str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", "1", "--worker-class", "sync", "--log-level", "warning", "--timeout", "300",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy())  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/api/v1/search/?q=test", timeout=30) as response:  # noqa: S310
                    if response.status == 200:
                        return self
            except OSError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn exited") from None
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def get(self, query):
        url = f"{self.base}/api/v1/search/?{urlencode(query)}"
        with urllib.request.urlopen(url, timeout=60) as response:  # noqa: S310 (http://127.0.0.1 only)
            body = response.read()
            if response.status != 200:
                raise RuntimeError(f"HTTP {response.status} for {query}")
            return body

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


# ---- the run ------------------------------------------------------------------------------------


def ensure_sheets(count, seed, log):
    import seed_sheets

    present = seed_sheets.count()
    if present == count:
        log(f"reusing the {count} bench sheets already seeded")
        return
    seed_sheets.seed(count, seed, log=log)


def rebuild_run(log, label, run):
    from search import lifecycle

    total = lifecycle.count_indexable()
    seconds, _ = timed(run)
    log(f"{label}: {total} documents in {seconds:.1f} s → {total / seconds:,.0f} docs/s")
    return {"documents": total, "seconds": seconds, "docs_per_s": total / seconds}


def raw_bulk_run(log):
    from search import engine, lifecycle
    from search.documents import build_index
    from search.indexing import engine_source

    build_seconds, docs = timed(lambda: [(d["page_id"], engine_source(d)) for d in lifecycle.iter_documents()])
    log(f"documents built in memory (iter_documents + engine_source): {len(docs)} in {build_seconds:.1f} s "
        f"→ {len(docs) / build_seconds:,.0f} docs/s")  # fmt: skip
    client = engine.get_client(timeout=120)
    name = f"{engine.alias_name()}-rawbulk-{time.time_ns()}"
    build_index(name).create(using=client)
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": "-1"}})
    actions = ({"_op_type": "index", "_index": name, "_id": f"page-{pid}", "_source": src} for pid, src in docs)

    def load():
        for ok, item in engine.streaming_bulk(client, actions, chunk_size=lifecycle.CHUNK):
            if not ok:
                raise RuntimeError(item)
        client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
        client.indices.refresh(index=name)

    try:
        seconds, _ = timed(load)
        indexed = client.count(index=name)["count"]
    finally:
        client.indices.delete(index=name, ignore_unavailable=True)
    rate = len(docs) / seconds
    log(f"raw streaming_bulk of the pre-built documents: {indexed} in {seconds:.1f} s → {rate:,.0f} docs/s")
    return {"documents": len(docs), "seconds": seconds, "docs_per_s": rate, "build_seconds": build_seconds}


def former_body(params, dsl, index):
    """The single request the API sent before the facets work: page, exact count and nine facets,
    each a `filter` (every filter but its own) around a `terms`, filters as `post_filter`."""
    from search.indexing import FACETS
    from search.queries import FACET_SIZE, build_search, filter_clauses

    body = build_search(replace(params, filters={}), dsl, index).to_dict()
    if params.filters:
        body["post_filter"] = dsl.Q("bool", filter=filter_clauses(dsl, params.filters)).to_dict()
    aggs = {}
    for facet in FACETS:
        bucket = dsl.A("filter", dsl.Q("bool", filter=filter_clauses(dsl, params.filters_except(facet))))
        bucket.bucket("values", "terms", field=facet, size=FACET_SIZE)
        aggs[facet] = bucket.to_dict()
    return {**body, "aggs": aggs, "track_total_hits": True}


def query_runs(repeat, fallback_repeat, timeout, budget, log, in_process=False, fallback=True):
    from django.http import QueryDict

    from search import engine
    from search.params import parse
    from search.queries import EngineSearch, build_facets, build_search

    params = [parse(QueryDict(urlencode(query))) for query in QUERY_MIX]
    client, index = engine.get_client(), engine.alias_name()
    service = EngineSearch(client)
    counts = [service.search(p)["count"] for p in params]
    log("query mix (hits): " + ", ".join(f"{urlencode(q)} ({n})" for q, n in zip(QUERY_MIX, counts, strict=True)))

    def clear_request_cache():
        client.indices.clear_cache(index=index, request=True)

    former = [former_body(p, engine.dsl, index) for p in params]
    pairs = [
        [{"index": index}, build_search(p, engine.dsl, index).to_dict()]
        + [{"index": index, "request_cache": True}, build_facets(p, engine.dsl, index).to_dict()]
        for p in params
    ]

    def raw_pair(i):
        assert not any("error" in r for r in client.msearch(body=pairs[i])["responses"])

    runs = {
        "a0_raw_former": (lambda i: client.search(index=index, body=former[i], request_cache=False), None),
        "a_raw_engine": (raw_pair, None),
        "a_raw_engine_cold": (raw_pair, clear_request_cache),
    }
    log("(a0) raw client.search of the former single request (page, exact count, nine facets); (a) raw "
        "engine: the msearch the service sends (the page + the count and facets, request cache); "
        "_cold: request cache cleared before each search; (b): GET /api/v1/search/")  # fmt: skip
    if in_process:
        from django.test import Client

        http = Client(HTTP_HOST="localhost")

        def api(i):
            response = http.get("/api/v1/search/", QUERY_MIX[i])
            assert response.status_code == 200, response.content

        log("(b) API in process (django.test.Client)")
        runs["b_api"], runs["b_api_cold"] = (api, None), (api, clear_request_cache)
        results = measure_side_by_side(runs, range(len(params)), repeat, log)
    else:
        with ApiServer() as server:
            log(f"(b) API over HTTP ({server.base}, gunicorn, one sync worker)")
            get = lambda i: server.get(QUERY_MIX[i])  # noqa: E731
            runs["b_api"], runs["b_api_cold"] = (get, None), (get, clear_request_cache)
            results = measure_side_by_side(runs, range(len(params)), repeat, log)
    if fallback:
        results["c_fallback"] = fallback_run(params, fallback_repeat, timeout, budget, log)
    return results


def fallback_run(params, repeat, timeout, budget, log):
    """(c): `DatabaseSearch().search` over the mix, each search cancelled after `timeout` s, `budget` s in all.

    A cancelled search counts as `timeout` (a lower bound): the cap keeps a slow fallback
    from holding the whole run.
    """
    import threading

    from django.db import connection
    from django.db.utils import OperationalError

    from search.fallback import DatabaseSearch

    fallback = DatabaseSearch()
    samples, cancelled, started = [], 0, time.perf_counter()
    with connection.cursor():
        raw = connection.connection  # the psycopg connection, to cancel from a timer
    for _ in range(repeat):
        for p in params:
            if time.perf_counter() - started > budget:
                break
            timer = threading.Timer(timeout, raw.cancel)
            start = time.perf_counter()
            timer.start()
            try:
                fallback.search(p)
                samples.append((time.perf_counter() - start) * 1000)
            except OperationalError:
                cancelled += 1
                samples.append(timeout * 1000)
            finally:
                timer.cancel()
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    log(f"(c) database fallback: p50 {p50:.1f} ms, p95 {p95:.1f} ms over {len(samples)} searches "
        f"({cancelled} cancelled at {timeout} s, counted as {timeout} s; no warm-up; budget {budget} s)")  # fmt: skip
    return {"p50_ms": p50, "p95_ms": p95, "samples": len(samples), "cancelled": cancelled, "timeout_s": timeout}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=TARGET_COUNT, help="sheets to seed (default 100 000)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--repeat", type=int, default=10, help="rounds of the query mix for (a) and (b)")
    parser.add_argument("--fallback-repeat", type=int, default=1, help="rounds of the query mix for (c)")
    parser.add_argument("--fallback-timeout", type=float, default=30, help="(c): cancel a search after this (s)")
    parser.add_argument("--fallback-budget", type=float, default=600, help="(c): stop after this (s)")
    parser.add_argument("--in-process", action="store_true", help="(b) through django.test.Client, no server")
    parser.add_argument("--skip-rebuild", action="store_true", help="queries only (the index must exist)")
    parser.add_argument("--skip-fallback", action="store_true", help="no (c)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    for name in ("DATABASE_URL", "OPENSEARCH_URL"):
        if not os.environ.get(name):
            raise SystemExit(f"{name} is not set: start the services with scripts/postgres and scripts/opensearch.")

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("PostgreSQL only: DATABASE_URL must point to a PostgreSQL database.")
    if settings.DEBUG:
        raise SystemExit("DEBUG is on: every query would be recorded; set DEBUG=false.")

    def log(message):
        print(message, flush=True)

    log(f"search bench: N={args.count}, {os.cpu_count()} CPUs, index prefix {settings.OPENSEARCH_INDEX_PREFIX!r}")
    figures = {"count": args.count, "cpus": os.cpu_count()}
    ensure_sheets(args.count, args.seed, log)
    if not args.skip_rebuild:
        from search import lifecycle

        figures["rebuild"] = rebuild_run(log, "rebuild (engine index)", lifecycle.rebuild)
        figures["raw_bulk"] = raw_bulk_run(log)
        figures["rebuild_entries"] = rebuild_run(log, "rebuild --target database", lifecycle.rebuild_entries)
    figures["queries"] = query_runs(
        args.repeat,
        args.fallback_repeat,
        args.fallback_timeout,
        args.fallback_budget,
        log,
        args.in_process,
        fallback=not args.skip_fallback,
    )

    log("\n== summary ==")
    verdicts = []

    def verdict(name, ok, detail):
        verdicts.append((name, ok))
        log(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}")

    q = figures["queries"]
    a0, a, b, b_cold = (q[k]["p95_ms"] for k in ("a0_raw_former", "a_raw_engine", "b_api", "b_api_cold"))
    rows = [(k, q[k]) for k in ("a0_raw_former", "a_raw_engine", "a_raw_engine_cold", "b_api", "b_api_cold")]
    log("p50/p95 ms: " + "  ".join(f"{k} {v['p50_ms']:.1f}/{v['p95_ms']:.1f}" for k, v in rows))
    log(f"ratios at p95: (b)/(a) {b / a:.2f}; (b)/(a0) {b / a0:.2f}; (b) cache cleared/(a0) {b_cold / a0:.2f}")
    if "c_fallback" in q:
        c50, c95 = q["c_fallback"]["p50_ms"], q["c_fallback"]["p95_ms"]
        log(f"(c) fallback p50/p95 {c50:.1f}/{c95:.1f} ms; (c)/(a) p95 {c95 / a:.1f}")
    verdict("API p95 ≤ 1.5 × raw engine p95", b <= TARGET_API_RATIO * a, f"{b:.1f} ms vs {a:.1f} ms")
    verdict(f"API p95 ≤ {TARGET_API_P95_MS} ms", b <= TARGET_API_P95_MS, f"{b:.1f} ms (cache cleared: {b_cold:.1f} ms)")
    if "rebuild" in figures:
        rebuild, raw = figures["rebuild"], figures["raw_bulk"]
        ratio = rebuild["docs_per_s"] / raw["docs_per_s"]
        figures["rebuild_raw_ratio"] = ratio
        log(f"rebuild {rebuild['docs_per_s']:,.0f} docs/s, raw bulk {raw['docs_per_s']:,.0f} docs/s; "
            f"ratio {ratio:.2f}; database entries {figures['rebuild_entries']['docs_per_s']:,.0f} docs/s")  # fmt: skip
        verdict("rebuild ≥ 0.3 × raw bulk throughput", ratio >= TARGET_REBUILD_RATIO, f"ratio {ratio:.2f}")
        projected = TARGET_COUNT / rebuild["docs_per_s"]
        if args.count >= TARGET_COUNT:
            verdict("rebuild of 100 000 sheets < 2 min", rebuild["seconds"] < TARGET_REBUILD_SECONDS,
                    f"{rebuild['seconds']:.0f} s for {rebuild['documents']} documents")  # fmt: skip
        else:
            log(f"n/a   rebuild of 100 000 sheets < 2 min: N={args.count}; at this rate ≈ {projected:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0 if all(ok for _name, ok in verdicts) else 1


if __name__ == "__main__":
    sys.exit(main())
