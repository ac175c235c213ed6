"""Insert N published events and training cycles straight into PostgreSQL, for the agenda benchmark.

    .venv/bin/python bench/seed_events.py --count 5000      # adds bench events up to 5 000
    .venv/bin/python bench/seed_events.py --clear           # removes the bench events only

`add_child` + a revision per page costs ~0.1 s a page (tree lock, signals, search outbox); this
writes the rows in one transaction with PostgreSQL COPY, like `seed_sheets.py`: materialised
paths computed under each centre's section (treebeard's step 4, base 36), `numchild` updated,
`wagtailcore_page` + `events_eventpage` / `events_trainingcyclepage` rows built from model
instances (every column the model has, with its defaults), theme / public / pillar rows,
sessions for the cycles. Pages are live and public, so `live().public()`, `page.url` and the
agenda find them. No revision (SEQUENCE 0), no search entry: the agenda reads the database.

Spread: over the reference centres (each with its own time zone and the places of its demo
agenda), starts from two years ago to two years ahead (half past, half upcoming), every event
type, about 1 in 10 a cycle of 3 sessions, 1 in 12 all-day, 1 in 25 cancelled, 1 in 40 postponed.
The same seed gives the same events. Marked by the slug prefix `bench-ev-`.
"""

import argparse
import datetime as dt
import os
import random
import sys
import time
import uuid
import zoneinfo
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

SLUG_PREFIX = "bench-ev-"
M2M = ("themes", "publics", "pillars")


def _models():
    from network.events.models import EventPage, TrainingCyclePage

    return EventPage, TrainingCyclePage


def _bench_ids(cursor):
    cursor.execute("SELECT id FROM wagtailcore_page WHERE slug LIKE %s", [SLUG_PREFIX + "%"])
    return [row[0] for row in cursor.fetchall()]


def count_bench():
    from django.db import connection

    with connection.cursor() as cursor:
        return len(_bench_ids(cursor))


def _update_numchild(cursor, parent_ids):
    cursor.execute(
        """UPDATE wagtailcore_page AS p SET numchild = (
               SELECT count(*) FROM wagtailcore_page AS c WHERE c.path LIKE p.path || '____' AND c.depth = p.depth + 1)
           WHERE p.id = ANY(%s)""",
        [list(parent_ids)],
    )


def clear():
    """Remove the bench events and cycles (with their registrations and sessions), nothing else."""
    from django.db import connection, transaction

    from network.events.models import AttendanceCount, Registration, TrainingSession
    from portal.centres.models import CentrePage

    event_model, cycle_model = _models()
    with transaction.atomic(), connection.cursor() as cursor:
        ids = _bench_ids(cursor)
        for model in (event_model, cycle_model):
            for name in M2M:
                through = model._meta.get_field(name).remote_field.through
                through.objects.filter(**{f"{model._meta.get_field(name).m2m_field_name()}_id__in": ids}).delete()
        TrainingSession.objects.filter(page_id__in=ids).delete()
        Registration.objects.filter(activity_id__in=ids).delete()
        AttendanceCount.objects.filter(activity_id__in=ids).delete()
        for table in (event_model._meta.db_table, cycle_model._meta.db_table):
            cursor.execute(f"DELETE FROM {table} WHERE page_ptr_id = ANY(%s)", [ids])  # noqa: S608
        cursor.execute("DELETE FROM wagtailcore_page WHERE id = ANY(%s)", [ids])
        _update_numchild(cursor, CentrePage.objects.values_list("pk", flat=True))
    return len(ids)


class Refs:
    """What the rows point to: sections, content types, locale, vocabularies, demo places per centre."""

    def __init__(self):
        from django.contrib.contenttypes.models import ContentType
        from wagtail.models import Locale

        from network.events import demo
        from portal.centres.models import CentrePage
        from resources.taxonomy.models import Pillar, Public, Theme

        self.sections = list(CentrePage.objects.select_related("centre").order_by("centre__code"))
        if not self.sections:
            raise SystemExit("No centre section: run `manage.py migrate` and sync the centres first.")
        self.content_type = {model: ContentType.objects.get_for_model(model).pk for model in _models()}
        self.locale_id = Locale.get_default().pk
        self.vocab = {
            "themes": list(Theme.objects.values_list("pk", flat=True)),
            "publics": list(Public.objects.values_list("pk", flat=True)),
            "pillars": list(Pillar.objects.values_list("pk", flat=True)),
        }
        self.places = {code: [i for i in items if i.get("place")] for code, items in demo.DATA.items()}
        self.zones = demo.ZONES


def _build(rng, n, page_id, section, path, refs, now):
    """An unsaved EventPage or TrainingCyclePage (+ its sessions) with every column set."""
    from decimal import Decimal

    from network.events.models import EventType, Mission, Status, TrainingSession

    event_model, cycle_model = _models()
    code = section.centre.code
    zone_name = refs.zones.get(code, "Europe/Paris")
    zone = zoneinfo.ZoneInfo(zone_name)
    day = (now + dt.timedelta(days=rng.randint(-730, 730))).astimezone(zone).date()
    start = dt.datetime(day.year, day.month, day.day, rng.choice([9, 9, 10, 14]), rng.choice([0, 30]), tzinfo=zone)
    place = rng.choice(refs.places.get(code) or [{}])
    is_cycle = rng.random() < 0.1
    kind = "Cycle de qualification" if is_cycle else None
    event_type = rng.choice(EventType.values)
    label = kind or EventType(event_type).label
    title = f"{label} n° {n} — {section.centre.name}"
    slug = f"{SLUG_PREFIX}{n:05d}"
    published = min(start - dt.timedelta(days=rng.randint(20, 90)), now)
    status = Status.CANCELLED if rng.random() < 0.04 else Status.POSTPONED if rng.random() < 0.025 else Status.SCHEDULED
    common = {
        "id": page_id, "page_ptr_id": page_id, "path": path, "depth": section.depth + 1, "numchild": 0,
        "title": title, "draft_title": title, "slug": slug, "url_path": f"{section.url_path}{slug}/",
        "live": True, "has_unpublished_changes": False, "first_published_at": published,
        "last_published_at": published, "latest_revision_created_at": published, "locale_id": refs.locale_id,
        "translation_key": uuid.UUID(int=rng.getrandbits(128), version=4),
        "uid": uuid.UUID(int=rng.getrandbits(128), version=4), "centre_id": section.centre_id,
        "summary": f"{label} organisé par {section.centre.name} pour les acteurs des quartiers prioritaires.",
        "mission": rng.choice(Mission.values), "status": status, "time_zone": zone_name,
        "place_name": place.get("place", ""), "address": place.get("address", ""),
        "commune_insee": place.get("insee", ""), "online_url": place.get("online", ""),
        "capacity": rng.choice([None, 20, 30, 50, 80]),
    }  # fmt: skip
    if is_cycle:
        page = cycle_model(**common, half_days=Decimal(6), content_type_id=refs.content_type[cycle_model])
        sessions = [
            TrainingSession(
                title=f"Séance {k}", sort_order=k - 1,
                starts_at=start + dt.timedelta(weeks=3 * (k - 1)),
                ends_at=start + dt.timedelta(weeks=3 * (k - 1), hours=7),
            )
            for k in (1, 2, 3)
        ]  # fmt: skip
        page.starts_at, page.ends_at = sessions[0].starts_at, sessions[-1].ends_at
    else:
        hours = rng.choice([2, 3, 3, 7])
        page = event_model(
            **common, event_type=event_type, starts_at=start, ends_at=start + dt.timedelta(hours=hours),
            all_day=rng.random() < 1 / 12, half_days=Decimal(1 if hours <= 4 else 2),
            content_type_id=refs.content_type[event_model],
        )  # fmt: skip
        sessions = []
    page.compute_socle()
    classification = {
        name: rng.sample(values, min(len(values), rng.randint(1, 2))) for name, values in refs.vocab.items()
    }
    return page, sessions, classification


def seed(count, seed=42, log=print):
    """Add bench events until the database holds `count` of them (one transaction). Returns how many were added."""
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Page

    from network.events.models import TrainingSession

    present = count_bench()
    to_add = count - present
    if to_add <= 0:
        return 0
    refs = Refs()
    rng = random.Random(f"{seed}-{present}")
    now = timezone.now()
    started = time.perf_counter()
    rows = {model: [] for model in _models()}
    sessions, m2m = [], {model: {name: [] for name in M2M} for model in _models()}
    with transaction.atomic(), connection.cursor() as wrapper:
        cursor = wrapper.cursor  # the psycopg cursor: COPY
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('wagtailcore_page', 'id')) FROM generate_series(1, %s)", [to_add]
        )
        ids = [row[0] for row in cursor.fetchall()]
        next_step = {}
        for section in refs.sections:
            last = Page.objects.filter(path__startswith=section.path, depth=section.depth + 1).order_by("-path").first()
            next_step[section.pk] = (Page._str2int(last.path[-Page.steplen :]) if last else 0) + 1
        for n, page_id in enumerate(ids, start=present + 1):
            section = refs.sections[n % len(refs.sections)]
            path = Page._get_path(section.path, section.depth + 1, next_step[section.pk])
            next_step[section.pk] += 1
            page, page_sessions, classification = _build(rng, n, page_id, section, path, refs, now)
            rows[type(page)].append(page)
            for session in page_sessions:
                session.page_id = page_id
            sessions += page_sessions
            for name, values in classification.items():
                m2m[type(page)][name] += [(page_id, value) for value in values]
        base_fields = Page._meta.local_concrete_fields
        _copy(cursor, Page._meta.db_table, base_fields, [p for pages in rows.values() for p in pages])
        for model, pages in rows.items():
            _copy(cursor, model._meta.db_table, model._meta.local_concrete_fields, pages)
            for name, pairs in m2m[model].items():
                field = model._meta.get_field(name)
                through = field.remote_field.through
                left, right = field.m2m_field_name(), field.m2m_reverse_field_name()
                through.objects.bulk_create([through(**{f"{left}_id": p, f"{right}_id": v}) for p, v in pairs])
        TrainingSession.objects.bulk_create(sessions)
        _update_numchild(wrapper, [section.pk for section in refs.sections])
    with connection.cursor() as cursor:
        for model in (Page, *_models(), TrainingSession):
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    cycles = len(rows[_models()[1]])
    elapsed = time.perf_counter() - started
    log(f"seeded {to_add} bench events ({cycles} cycles, {len(sessions)} sessions) in {elapsed:.1f} s")
    return to_add


def _copy(cursor, table, fields, objects):
    from django.db import connection

    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:  # noqa: S608 (names from the models)
        for obj in objects:
            copy.write_row([f.get_db_prep_save(getattr(obj, f.attname), connection) for f in fields])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--clear", action="store_true", help="remove the bench events and stop")
    args = parser.parse_args(argv)
    import django

    django.setup()
    if args.clear:
        print(f"removed {clear()} bench events")
        return
    seed(args.count, args.seed)


if __name__ == "__main__":
    main()
