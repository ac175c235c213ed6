"""The agenda at 5 000 events: render time and database queries, against the same measures at 50.

    psql postgres://…/postgres -c "create database crpv_agenda_bench"
    export DATABASE_URL=postgres://…/crpv_agenda_bench DEBUG=false
    .venv/bin/python bench/agenda_bench.py                    # 50 then 5 000 events, 5 rounds each
    .venv/bin/python bench/agenda_bench.py --count 5000 --baseline 50 --repeat 5 --json /tmp/agenda.json
    .venv/bin/python bench/agenda_bench.py --profile '/agenda/agenda.ics'   # cProfile one request at N

Starts no service: it needs DATABASE_URL (PostgreSQL; a throwaway database is best), migrates
it and syncs the reference centres (their sections). In one run:

1. removes the bench events of an earlier run and seeds the baseline (50) with `seed_events.py`
   (COPY, a few seconds), spread over the centres, past and upcoming, cycles with sessions;
2. measures every URL of `URLS` in process with Django's test client (one warm-up request, one
   request under `CaptureQueriesContext` for the number of queries, then R timed requests: the
   median); plus the iCalendar of *every* event (the feed stops at 1 000 pages) built by the
   same code as the feed (`agenda.load` + `calendar.calendar`);
3. seeds up to N (5 000) and measures the same again;
4. prints, per URL, queries and median time at both sizes and the ratios. Queries must not grow
   with the number of events: the exit status is 1 when one grows by more than `PER_KIND` (a
   small selection may hold no cycle, or nothing: one or two loading queries fewer).
"""

import argparse
import cProfile
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
os.environ.setdefault("DEBUG", "false")

# (label, URL): the agenda's views with its real parameter names (agenda.py), its feeds, the API.
URLS = [
    ("agenda, upcoming (default)", "/agenda/"),
    ("agenda, past (past=1)", "/agenda/?past=1"),
    ("agenda, page 3", "/agenda/?page=3"),
    ("agenda, month view", "/agenda/?view=month"),
    ("agenda, filtered (region, theme, type)", "/agenda/?region=11&theme=habitat&type=evenement"),
    ("agenda, filtered (département, past)", "/agenda/?departement=93&past=1"),
    ("agenda.ics, upcoming (≤ 1 000 pages)", "/agenda/agenda.ics"),
    ("agenda.ics, filtered (centre)", "/agenda/agenda.ics?centre=irev"),
    ("RSS", "/agenda/flux.rss"),
    ("Atom, filtered (region)", "/agenda/flux.atom?region=11"),
    ("API /api/v1/events/", "/api/v1/events/"),
    ("API, upcoming + centre + page 2", "/api/v1/events/?upcoming=1&centre=oriv&page=2"),
]
ALL_ICS = "iCalendar of every event (direct)"
# A small selection may hold no cycle (or nothing at all): then `agenda.load` skips that model's
# query and its sessions' prefetch. More than this many extra queries is growth with the events.
PER_KIND = 3


def size_of(url, response):
    """What the response holds: VEVENTs, API count, feed items, or kB of HTML."""
    body = response.content
    if ".ics" in url:
        return f"{body.count(b'BEGIN:VEVENT')} VEVENT"
    if url.startswith("/api/"):
        return f"{len(json.loads(body)['results'])} of {json.loads(body)['count']}"
    if "flux." in url:
        return f"{body.count(b'<item>') + body.count(b'<entry>')} items"
    return f"{len(body) / 1000:.0f} kB"


def measure(client, url, repeat):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up: caches (site root paths, content types), imports
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    queries = len(captured)  # now: captured_queries slices the log, which the next request clears
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}: {response.content[:300]!r}")
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
    return {"queries": queries, "ms": statistics.median(samples), "size": size_of(url, response)}


def all_ics():
    """(VEVENTs, bytes) of every published event and cycle, through the feed's own code, no cap."""
    from django.test import RequestFactory

    from network.events import agenda, calendar

    request = RequestFactory().get("/agenda/agenda.ics", HTTP_HOST="localhost")
    query = agenda.AgendaQuery(any_time=True)
    pages = agenda.load(agenda.selection(query), sessions=True, annotate=calendar.with_revision_count)
    body = calendar.calendar(pages, lambda page: page.get_full_url(request), "Agenda")
    return body


def measure_all_ics(repeat):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    all_ics()
    reset_queries()
    with CaptureQueriesContext(connection) as captured:
        body = all_ics()
    queries = len(captured)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        all_ics()
        samples.append((time.perf_counter() - start) * 1000)
    return {"queries": queries, "ms": statistics.median(samples), "size": f"{body.count(b'BEGIN:VEVENT')} VEVENT"}


def run_all(repeat, log):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    results = {}
    for label, url in URLS:
        results[label] = measure(client, url, repeat)
        r = results[label]
        log(f"  {label:<42} {r['queries']:>3} queries  {r['ms']:8.1f} ms  ({r['size']})")
    results[ALL_ICS] = measure_all_ics(max(1, repeat // 2))
    r = results[ALL_ICS]
    log(f"  {ALL_ICS:<42} {r['queries']:>3} queries  {r['ms']:8.1f} ms  ({r['size']})")
    return results


def profile(url, log):
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.get(url)
    profiler = cProfile.Profile()
    profiler.runcall(client.get, url)
    log(f"\n== cProfile of {url} ==")
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(35)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000, help="events at scale (default 5 000)")
    parser.add_argument("--baseline", type=int, default=50, help="events of the baseline (default 50)")
    parser.add_argument("--repeat", type=int, default=5, help="timed requests per URL (median)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--profile", help="after the run, cProfile one request of this URL at N")
    parser.add_argument("--keep", action="store_true", help="leave the bench events in the database")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point to a PostgreSQL database (a throwaway one).")

    import django

    django.setup()
    import seed_events
    from django.conf import settings
    from django.core.management import call_command

    from network.events.models import EventPage, TrainingCyclePage
    from portal.centres.services import sync_centres

    if settings.DEBUG:
        raise SystemExit("DEBUG is on: every query would be recorded; set DEBUG=false.")

    def log(message):
        print(message, flush=True)

    call_command("migrate", verbosity=0)
    sync_centres()
    removed = seed_events.clear()
    others = EventPage.objects.count() + TrainingCyclePage.objects.count()
    load = os.getloadavg()[0]
    log(f"agenda bench: {args.baseline} then {args.count} events, {os.cpu_count()} CPUs (load {load:.1f}), "
        f"{args.repeat} timed requests per URL (median); {removed} earlier bench events removed; "
        f"{others} other events")  # fmt: skip
    figures = {"cpus": os.cpu_count(), "baseline": args.baseline, "count": args.count}
    try:
        for size in (args.baseline, args.count):
            seed_events.seed(size, args.seed, log=log)
            log(f"-- {size} events (load average {os.getloadavg()[0]:.1f})")
            figures[str(size)] = run_all(args.repeat, log)
        if args.profile:
            profile(args.profile, log)
    finally:
        if not args.keep:
            seed_events.clear()

    small, large = figures[str(args.baseline)], figures[str(args.count)]
    log(f"\n== {args.count} vs {args.baseline} events ==")
    log(f"{'':<42} {'queries':>13} {'time (ms)':>19} {'ratio':>7}")
    grown = []
    for label in [label for label, _url in URLS] + [ALL_ICS]:
        a, b = small[label], large[label]
        flag = "" if b["queries"] <= a["queries"] + PER_KIND else "  ← GROWS"
        if flag:
            grown.append(label)
        ratio = b["ms"] / a["ms"]
        log(f"{label:<42} {a['queries']:>5} → {b['queries']:<5} {a['ms']:8.1f} → {b['ms']:8.1f} {ratio:6.1f}×{flag}")
    log(("FAIL  queries grow with the number of events: " + ", ".join(grown)) if grown
        else "PASS  every view runs a fixed number of queries, whatever the number of events")  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 1 if grown else 0


if __name__ == "__main__":
    sys.exit(main())
