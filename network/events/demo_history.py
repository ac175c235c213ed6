"""Demo history: the past three years' editions of each centre's demo events, with anonymous counts.

The dashboard's trends and the annual reports need activity in past years; the demo agenda is
dated around today. Each centre's own events (data/demo.json, never another centre's) had
earlier editions: same subject, « édition 2024 », dated on the same day of those years (moved to
a working day). They hold only the anonymous counts per public category: the registrants' data
would have been erased by then (REGISTRATION_ERASURE_MONTHS), which is what the portal keeps.
Deterministic and idempotent (fixed uids).
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from portal.centres.models import CentrePage

from .demo import DATA, activity_uid, build
from .models import AttendanceCount, EventPage, PublicCategory, Status

YEARS_BACK = 3
CATEGORY_WEIGHTS = [5, 3, 9, 8, 3, 2, 6, 2]  # élus … autres: collectivités and associations come most


def _edition(item, centre_code, year, today):
    """The edition of `year` of an event: the same day and month as its demo date, in that year."""
    day = today + datetime.timedelta(days=item["days"])
    try:
        same_day = day.replace(year=year)
    except ValueError:  # 29 February
        same_day = day.replace(year=year, day=28)
    # Away from the year's edges, so that moving a weekend to a working day keeps it in `year`.
    same_day = min(max(same_day, datetime.date(year, 1, 6)), datetime.date(year, 12, 20))
    page = build({**item, "days": (same_day - today).days}, centre_code, today)
    page.title = f"{item['title']} — édition {year}"
    page.summary = f"Édition {year}. {item['summary']}"
    page.slug = f"{item['slug']}-{year}"
    page.uid = activity_uid(centre_code, page.slug)
    page.status = Status.SCHEDULED
    page.registration_open = False
    return page


def load(command):
    today = timezone.localdate()
    existing = set(EventPage.objects.values_list("uid", flat=True))
    created = 0
    for rank, section in enumerate(CentrePage.objects.filter(centre__code__in=DATA).select_related("centre")):
        events = [item for item in DATA[section.centre.code] if item["type"] != "cycle"]
        for back in range(1, YEARS_BACK + 1):
            year = today.year - back
            for number, item in enumerate(events):
                if activity_uid(section.centre.code, f"{item['slug']}-{year}") in existing:
                    continue
                page = _edition(item, section.centre.code, year, today)
                section.add_child(instance=page)
                page.save_revision().publish()
                _counts(page, seed=rank * 7 + back * 3 + number)
                created += 1
    command.say(f"Historique de l'agenda : {created} éditions passées ({YEARS_BACK} ans), effectifs anonymes.")


def _counts(page, seed):
    """Registered and present per category, as the erasure job leaves them."""
    size = 18 + (seed * 5) % 40
    rows = []
    for index, (category, weight) in enumerate(zip(PublicCategory.values, CATEGORY_WEIGHTS, strict=True)):
        registered = (size * weight) // 38 + (seed + index) % 2
        if registered:
            present = int(Decimal(registered) * Decimal("0.8")) if (seed + index) % 3 else registered - 1
            rows.append(
                AttendanceCount(activity=page, public_category=category, registered=registered, present=present)
            )
    AttendanceCount.objects.bulk_create(rows)
