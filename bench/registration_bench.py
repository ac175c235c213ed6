"""200 concurrent registrations over real HTTP for 50 seats: throughput, latency, errors, and no overbooking.

    psql postgres://…/postgres -c "create database crpv_registration_bench"
    export DATABASE_URL=postgres://…/crpv_registration_bench
    .venv/bin/python bench/registration_bench.py                       # 200 people, 50 seats, 4 workers, 50 threads
    .venv/bin/python bench/registration_bench.py --workers 4 --worker-class gthread --threads 4 --json /tmp/reg.json

Starts no database: it needs DATABASE_URL (PostgreSQL; a throwaway database is best). It
migrates it, creates the cache table, syncs the reference centres, then:

1. creates one event with 50 seats through the page model (`add_child`, a revision, published),
   replacing the event of an earlier run;
2. starts gunicorn on a free 127.0.0.1 port (`--workers`, `--worker-class`) with production-like
   settings (`portal.settings.base`, DEBUG off, the database cache shared by the workers, the
   database task backend as in production) but RATELIMIT_ENABLED=false;
3. baseline: the same number of GETs of the event's page, from the same client thread pool
   through the same gunicorn;
4. the registrations: each client GETs `inscription/` (the CSRF cookie and token), then POSTs
   the form (name, email, organisation, public_category, territory, accessibility_needs,
   consent, the honeypot left empty), all at once from `--clients` threads;
5. prints throughput, p50 / p95 / max latency and errors (non-2xx/3xx or no answer) of both,
   their ratios, and checks the database: exactly `--seats` confirmed, the rest waiting,
   positions 1..N without a duplicate, one mail task queued per registration.

Mails: the registration service queues one task per registration (`on_commit`). With the
database backend (production's) they are rows in `django_tasks_db`; no worker runs during the
bench, so no SMTP server is involved and nothing is sent: the figures are the web side only.
The bench removes its queued tasks at the end.
"""

import argparse
import datetime
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.settings.base",
    "DEBUG": "false",
    "RATELIMIT_ENABLED": "false",  # load tests only: 200 registrations from one address
    "TASKS_BACKEND": "django_tasks_db.backend.DatabaseBackend",  # production's: mails queued as rows
    "CACHE_URL": "dbcache://crpv_cache",  # production's: one cache for every worker
    "ALLOWED_HOSTS": "127.0.0.1,localhost",
}
os.environ.update({key: value for key, value in SERVER_ENV.items() if key != "DJANGO_SETTINGS_MODULE"})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", SERVER_ENV["DJANGO_SETTINGS_MODULE"])
SLUG = "bench-inscriptions"
CATEGORIES = ["elu", "etat", "collectivite", "association", "bailleur", "acteur_economique", "habitant", "autre"]
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values, p):
    return statistics.quantiles(values, n=100, method="inclusive")[p - 1] if len(values) > 1 else values[0]


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1 with the bench's settings; waits until `probe` answers."""

    def __init__(self, workers, worker_class, threads, probe):
        self.port, self.probe = free_port(), probe
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [
            str(ROOT / ".venv/bin/gunicorn"), "portal.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--workers", str(workers), "--worker-class", worker_class, "--threads", str(threads),
            "--backlog", "256", "--log-level", "warning", "--timeout", "120",
        ]  # fmt: skip
        self.process = None

    def __enter__(self):
        env = {**os.environ, **SERVER_ENV}
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=env)  # noqa: S603
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(self.base + self.probe, timeout=30).status_code == 200:
                    return self
            except requests.ConnectionError:
                if self.process.poll() is not None:
                    raise RuntimeError("gunicorn exited") from None
                time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


def make_event(seats):
    """A published event with `seats` seats in a centre's section, starting in 30 days."""
    from django.utils import timezone

    from network.events.models import EventPage, Mission
    from portal.centres.models import CentrePage

    for old in EventPage.objects.filter(slug=SLUG):
        old.delete()  # its registrations and counts go with it
    start = (timezone.now() + datetime.timedelta(days=30)).replace(hour=8, minute=30, second=0, microsecond=0)
    page = EventPage(
        title="Rencontre régionale des adultes-relais",
        slug=SLUG,
        event_type="rencontre-reseau",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=3),
        summary="Une matinée d'échanges entre adultes-relais et coordinations de la politique de la ville.",
        mission=Mission.NETWORK,
        place_name="Maison des associations de Roubaix",
        address="Rue de l'Épeule, 59100 Roubaix",
        commune_insee="59512",
        capacity=seats,
    )
    CentrePage.objects.get(centre__code="irev").add_child(instance=page)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def run_pool(clients, jobs):
    """Run `jobs` (callables returning (ok, detail)) from `clients` threads, all released at once.

    Returns (wall seconds, [(ok, detail, latency ms)]).
    """
    start_line = threading.Barrier(min(clients, len(jobs)) + 1)
    local = threading.local()

    def session():
        if not hasattr(local, "session"):
            local.session = requests.Session()
        return local.session

    def timed(job):
        started = time.perf_counter()
        try:
            ok, detail = job(session())
        except requests.RequestException as error:
            ok, detail = False, f"{type(error).__name__}: {error}"
        return ok, detail, (time.perf_counter() - started) * 1000

    def ready():
        session()
        start_line.wait()

    with ThreadPoolExecutor(max_workers=clients) as pool:
        for _ in range(min(clients, len(jobs))):
            pool.submit(ready)
        start_line.wait()  # every client thread is up: the clock starts when they all can go
        started = time.perf_counter()
        results = list(pool.map(timed, jobs))
        wall = time.perf_counter() - started
    return wall, results


def register_job(form_url, number, post_ms):
    """GET the form, POST it; `post_ms` collects the POST's own latency (list.append is thread-safe)."""

    def job(session):
        session.cookies.clear()  # each registration is a new visitor: its own CSRF cookie
        form = session.get(form_url, timeout=60)
        if form.status_code != 200:
            return False, f"GET form: HTTP {form.status_code}"
        token = _TOKEN.search(form.text)
        if not token:
            return False, "no CSRF token in the form"
        data = {
            "csrfmiddlewaretoken": token[1],
            "name": f"Participant·e {number}",
            "email": f"participant{number}@exemple.fr",
            "organisation": "Centre social de la Grande Résidence" if number % 3 else "",
            "public_category": CATEGORIES[number % len(CATEGORIES)],
            "territory": "Roubaix, quartier de l'Épeule" if number % 2 else "",
            "accessibility_needs": "Accès en fauteuil roulant" if number % 25 == 0 else "",
            "consent": "on",
            "website": "",  # the honeypot, left empty as a person's browser does
        }
        started = time.perf_counter()
        answer = session.post(form_url, data=data, timeout=60)
        post_ms.append((time.perf_counter() - started) * 1000)
        if not 200 <= answer.status_code < 400:
            return False, f"POST: HTTP {answer.status_code}"
        if "Inscription confirmée" in answer.text:
            return True, "confirmed"
        if "Vous êtes sur liste" in answer.text:  # « … liste d'attente (position N) », apostrophe escaped
            return True, "waiting"
        return False, "POST: no outcome in the answer page"

    return job


def page_job(url):
    def job(session):
        response = session.get(url, timeout=60)
        return 200 <= response.status_code < 400, f"HTTP {response.status_code}"

    return job


def summarise(label, wall, results, log):
    latencies = [ms for _ok, _detail, ms in results]
    errors = [detail for ok, detail, _ms in results if not ok]
    figures = {
        "requests": len(results),
        "wall_s": wall,
        "per_s": len(results) / wall,
        "p50_ms": percentile(latencies, 50),
        "p95_ms": percentile(latencies, 95),
        "max_ms": max(latencies),
        "errors": len(errors),
        "error_samples": sorted(set(errors))[:5],
    }
    log(f"{label}: {len(results)} in {wall:.2f} s → {figures['per_s']:.1f}/s; p50 {figures['p50_ms']:.0f} ms, "
        f"p95 {figures['p95_ms']:.0f} ms, max {figures['max_ms']:.0f} ms; errors {len(errors)}"
        + (f" ({'; '.join(figures['error_samples'])})" if errors else ""))  # fmt: skip
    return figures


def check_database(event, people, seats, log):
    """[(check, ok, detail)]: the registrations as the service left them."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from network.events.models import Registration

    rows = Registration.objects.filter(activity_id=event.pk)
    by_status = dict(rows.values_list("status").annotate(n=Count("pk")))
    positions = list(rows.values_list("position", flat=True))
    emails = list(rows.values_list("email_key", flat=True))
    confirmed_positions = sorted(rows.filter(status="confirmed").values_list("position", flat=True))
    mails = DBTaskResult.objects.filter(task_path__endswith="send_registration_mail").count()
    checks = [
        (f"{seats} confirmed", by_status.get("confirmed", 0) == seats, by_status.get("confirmed", 0)),
        (f"{people - seats} waiting", by_status.get("waiting", 0) == people - seats, by_status.get("waiting", 0)),
        ("no duplicate position", len(set(positions)) == len(positions), f"{len(positions)} rows"),
        ("positions 1..N", sorted(positions) == list(range(1, people + 1)), f"{min(positions, default=0)}.."
         f"{max(positions, default=0)}"),
        ("the first arrivals have the seats", confirmed_positions == list(range(1, seats + 1)), ""),
        ("one registration per address", len(set(emails)) == len(emails) == people, f"{len(set(emails))} addresses"),
        ("one mail task queued per registration", mails == people, f"{mails} tasks"),
    ]  # fmt: skip
    for name, ok, detail in checks:
        log(f"{'PASS' if ok else 'FAIL'}  {name} ({detail})")
    return checks


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--seats", type=int, default=50)
    parser.add_argument("--clients", type=int, default=50, help="client threads")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must point to a PostgreSQL database (a throwaway one).")

    import django

    django.setup()
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    from portal.centres.services import sync_centres

    def log(message):
        print(message, flush=True)

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    sync_centres()
    DBTaskResult.objects.filter(task_path__endswith="send_registration_mail").delete()
    event = make_event(args.seats)
    path = event.url
    log(f"registration bench: {args.people} people for {args.seats} seats, {args.clients} client threads, "
        f"gunicorn {args.workers} {args.worker_class} workers × {args.threads} thread(s), {os.cpu_count()} CPUs "
        f"(load average {os.getloadavg()[0]:.1f}); "
        f"mail tasks: database backend (queued, not sent)")  # fmt: skip
    figures = {
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],
        **{k: v for k, v in vars(args).items() if k != "json"},
    }
    try:
        with Server(args.workers, args.worker_class, args.threads, path) as server:
            page_url, form_url = server.base + path, f"{server.base}{path}inscription/"
            run_pool(args.clients, [page_job(page_url)] * (2 * args.workers))  # warm every worker
            wall, results = run_pool(args.clients, [page_job(page_url)] * args.people)
            figures["baseline"] = summarise(f"baseline, GET of the event page ×{args.people}", wall, results, log)
            post_ms = []
            jobs = [register_job(form_url, n, post_ms) for n in range(1, args.people + 1)]
            wall, results = run_pool(args.clients, jobs)
            figures["registration"] = summarise(f"registrations, GET form + POST ×{args.people}", wall, results, log)
            figures["post_only"] = {"p50_ms": percentile(post_ms, 50), "p95_ms": percentile(post_ms, 95)}
            log(f"  the POST alone: p50 {figures['post_only']['p50_ms']:.0f} ms, "
                f"p95 {figures['post_only']['p95_ms']:.0f} ms")  # fmt: skip
            outcomes = [detail for ok, detail, _ms in results if ok]
            log(f"answer pages: {outcomes.count('confirmed')} « Inscription confirmée », "
                f"{outcomes.count('waiting')} « liste d'attente »")  # fmt: skip
        checks = check_database(event, args.people, args.seats, log)
    finally:
        DBTaskResult.objects.filter(task_path__endswith="send_registration_mail").delete()
    base, reg = figures["baseline"], figures["registration"]
    log(f"\nratios registration / baseline: throughput {reg['per_s'] / base['per_s']:.2f}, "
        f"p50 {reg['p50_ms'] / base['p50_ms']:.1f}×, p95 {reg['p95_ms'] / base['p95_ms']:.1f}×")  # fmt: skip
    figures["checks"] = [(name, ok) for name, ok, _detail in checks]
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    failed = reg["errors"] or base["errors"] or not all(ok for _name, ok, _detail in checks)
    log("FAIL" if failed else "PASS  no error, no overbooking, no duplicate")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
