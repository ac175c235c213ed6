"""The national dashboard for 30 centres × 10 years: build time and queries, against 2 centres × 1 year.

    psql postgres://…/postgres -c "create database crpv_dashboard_bench"
    export DATABASE_URL=postgres://…/crpv_dashboard_bench DEBUG=false
    .venv/bin/python bench/dashboard_bench.py                # 5 000 events, 30 centres, 10 years
    .venv/bin/python bench/dashboard_bench.py --events 5000 --centres 30 --years 10 --repeat 5

Starts no service: it needs DATABASE_URL (PostgreSQL; a throwaway database is best), migrates it
and syncs the reference centres (18), then adds bench centres (`bench-centre-NN`, no section) up
to --centres, a territory figure and an activity report per centre and year, and events with
`seed_events.py` (spread from two years ago to two years ahead over the reference centres). It
measures, median of R runs: `dashboard.build` (the data) and the admin page (data, SVG charts,
template) for the baseline (2 centres × 1 year) and at scale, with the number of queries of each.
The target: under 1 s at scale, and the same number of queries at both sizes (exit status 1 if
the queries grow). Bench rows are removed at the end unless --keep.
"""

import argparse
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

PREFIX = "bench-centre-"


def add_bench_rows(centre_count, years):
    from network.reporting.models import ActivityReport, TerritoryFigures
    from portal.centres.models import Centre

    existing = Centre.objects.count()
    for number in range(max(0, centre_count - existing)):
        Centre.objects.create(
            code=f"{PREFIX}{number:02d}", name=f"Centre de banc d'essai {number:02d}", territory="Banc d'essai",
            region_codes="84",
        )  # fmt: skip
    # The reference centres first (they hold the seeded events): the baseline takes two of them.
    centres = sorted(Centre.objects.all(), key=lambda centre: (centre.code.startswith(PREFIX), centre.code))
    centres = centres[:centre_count]
    created = {"figures": [], "reports": []}
    for rank, centre in enumerate(centres):
        for year in years:
            figure, new_figure = TerritoryFigures.objects.get_or_create(
                centre=centre,
                year=year,
                defaults={"qpv_count": 10 + rank * 7, "median_distance_km": Decimal(20 + rank)},
            )
            report, new_report = ActivityReport.objects.get_or_create(
                centre=centre, year=year, defaults={"fte_total": 5, "fte_socle": 4, "state_socle": 144_000,
                                                    "regions_socle": 60_000, "competitive_revenue": 10_000},
            )  # fmt: skip
            created["figures"] += [figure.pk] if new_figure else []
            created["reports"] += [report.pk] if new_report else []
    return centres, created


def remove_bench_rows(created):
    """Only what the bench added: its centres, and the figures and reports it created."""
    from network.reporting.models import ActivityReport, TerritoryFigures
    from portal.centres.models import Centre

    ActivityReport.objects.filter(pk__in=created["reports"]).delete()
    TerritoryFigures.objects.filter(pk__in=created["figures"]).delete()
    Centre.objects.filter(code__startswith=PREFIX).delete()


def measure(function, repeat):
    from django.db import connection

    function()  # warm-up: content types, site, templates
    # Counted by an execute wrapper: the test client's request signals reset Django's query log.
    queries = []
    with connection.execute_wrapper(lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)):
        function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return len(queries), statistics.median(times) * 1000


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--centres", type=int, default=30)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point to a PostgreSQL database (a throwaway one).")

    import django

    django.setup()
    import seed_events
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from network.reporting.dashboard import build
    from portal.accounts.roles import sync_roles
    from portal.centres.services import sync_centres

    if settings.DEBUG:
        raise SystemExit("DEBUG is on: every query would be recorded; set DEBUG=false.")
    call_command("migrate", verbosity=0)
    sync_centres()
    sync_roles()
    year = timezone.now().year
    years = list(range(year - args.years + 1, year + 1))
    print(f"dashboard bench: {args.centres} centres × {args.years} years, {args.events} events, "
          f"{os.cpu_count()} CPUs (load {os.getloadavg()[0]:.1f}), median of {args.repeat}", flush=True)  # fmt: skip
    admin, _created = get_user_model().objects.get_or_create(username="bench-dashboard", is_superuser=True)
    client = Client(SERVER_NAME="localhost")
    client.force_login(admin)
    answer = client.get("/admin/tableau-de-bord/")
    if answer.status_code != 200:
        raise SystemExit(f"The dashboard page answered {answer.status_code}: check ALLOWED_HOSTS / the admin user.")
    created = {"figures": [], "reports": []}
    try:
        seed_events.seed(args.events, 42, log=lambda message: print(message, flush=True))
        centres, created = add_bench_rows(args.centres, years)
        results = {}
        for label, subset, span in (("2 centres × 1 year", centres[:2], 1), ("scale", centres, args.years)):
            codes = {centre.pk for centre in subset}
            results[label] = {
                "build": measure(lambda s=subset, y=span: build(year, s, trend_years=y), args.repeat),
                "page": measure(lambda: client.get("/admin/tableau-de-bord/", {"annee": year}), args.repeat)
                if len(codes) == len(centres)
                else None,
            }
        small, large = results["2 centres × 1 year"]["build"], results["scale"]["build"]
        page = results["scale"]["page"]
        print(f"build, 2 centres × 1 year : {small[0]:3d} queries, {small[1]:8.1f} ms")
        print(f"build, {args.centres} × {args.years}          : {large[0]:3d} queries, {large[1]:8.1f} ms "
              f"(ratio {large[1] / small[1]:.1f}×, queries {large[0] - small[0]:+d})")  # fmt: skip
        print(f"admin page at scale       : {page[0]:3d} queries, {page[1]:8.1f} ms (charts and template included)")
        verdict = "PASS" if page[1] < 1000 and large[0] == small[0] else "FAIL"
        print(f"target (< 1 s, queries not growing): {verdict}")
        return 0 if large[0] == small[0] else 1
    finally:
        if not args.keep:
            seed_events.clear()
            remove_bench_rows(created)


if __name__ == "__main__":
    sys.exit(main())
