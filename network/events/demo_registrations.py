"""Demo registrations: fictitious people on every demo activity, so that lists, exports, the
attendance sheet and the indicators show something real.

Deterministic (a random generator seeded by the activity's uid) and idempotent (an activity that
already has registrations or counts is left alone). Rows are written in bulk, without the
service (past activities are closed to registration, and no mail must go), then the anonymous
counts are recomputed by the service's `refresh_counts`. Per activity:

- past (or started) ones: 60–90 % of the seats taken, presence marked (mostly present);
- upcoming ones: 30–70 % taken; each centre's smallest upcoming event is full, with a waiting list;
- a few cancellations everywhere; every public category appears across a centre's activities.
"""

import datetime
import json
import random
import re
import unicodedata
from pathlib import Path

from django.utils import timezone

from .models import AttendanceCount, EventPage, PublicCategory, Registration, RegistrationStatus, TrainingCyclePage
from .services import refresh_counts

PEOPLE = json.loads((Path(__file__).parent / "data" / "demo_people.json").read_text(encoding="utf-8"))
MAX_PEOPLE = 45  # per activity: enough for the lists, small enough for the SQLite demo
CATEGORY_WEIGHTS = {
    "elu": 2, "etat": 1, "collectivite": 4, "association": 5, "bailleur": 1, "acteur_economique": 1, "habitant": 2,
    "autre": 1,
}  # fmt: skip
ELECTED_MEETING_WEIGHTS = {**CATEGORY_WEIGHTS, "elu": 12, "habitant": 0}


def _ascii(text):
    return re.sub(r"[^a-z-]", "", unicodedata.normalize("NFKD", text.lower()).encode("ascii", "ignore").decode())


def _commune(activity):
    """The commune after the postcode of the activity's address, else the centre's territory."""
    match = re.search(r"\b\d{5}\s+(.+)$", activity.address)
    return match.group(1) if match else activity.centre.territory


def _people(activity, count, rng):
    weights = ELECTED_MEETING_WEIGHTS if getattr(activity, "event_type", "") == "seance-elus" else CATEGORY_WEIGHTS
    categories = list(PublicCategory.values)
    # Every category once first (a centre's activities then cover them all), the rest by weight.
    drawn = rng.sample(categories, k=min(count, len(categories)))
    drawn += rng.choices(categories, weights=[weights[c] for c in categories], k=max(0, count - len(categories)))
    people, emails = [], set()
    for category in drawn:
        first, last = rng.choice(PEOPLE["first_names"]), rng.choice(PEOPLE["last_names"])
        while (email := f"{_ascii(first)}.{_ascii(last)}@example.org") in emails:  # one address per activity
            first, last = rng.choice(PEOPLE["first_names"]), rng.choice(PEOPLE["last_names"])
        emails.add(email)
        organisation = rng.choice(PEOPLE["organisations"][category])
        organisation = f"{organisation}, {_commune(activity)}" if organisation else ""
        people.append((f"{first} {last}", email, category, organisation))
    return people


def registrations_for(activity, full, now):
    """The demo rows of one activity (not saved)."""
    rng = random.Random(str(activity.uid))  # noqa: S311 — reproducible demo data, nothing secret
    started = activity.starts_at <= now
    capacity = activity.capacity or MAX_PEOPLE
    if full:  # every seat taken (the smallest event of its centre: a few dozen rows at most)
        confirmed_target, waiting = capacity, rng.randint(3, 5)
    else:
        share = rng.uniform(0.6, 0.9) if started else rng.uniform(0.3, 0.7)
        confirmed_target, waiting = min(max(4, round(capacity * share)), MAX_PEOPLE, capacity), 0
    statuses = [RegistrationStatus.CONFIRMED] * confirmed_target + [RegistrationStatus.WAITING] * waiting
    for _ in range(rng.randint(1, 3)):  # a few people cancelled along the way
        statuses.insert(rng.randint(0, len(statuses)), RegistrationStatus.CANCELLED)
    people = _people(activity, len(statuses), rng)
    first_day = min(activity.starts_at, now) - datetime.timedelta(days=45)
    moments = sorted(first_day + datetime.timedelta(minutes=rng.randint(0, 40 * 24 * 60)) for _ in people)
    rows = []
    for position, (person, status, moment) in enumerate(zip(people, statuses, moments, strict=True), 1):
        name, email, category, organisation = person
        row = Registration(
            activity_id=activity.pk, name=name, email=email, email_key=email, organisation=organisation,
            public_category=category, position=position, status=status, created_at=moment, consent_at=moment,
            source="staff" if rng.random() < 0.1 else "form",
        )  # fmt: skip
        if status == RegistrationStatus.CANCELLED:
            row.cancelled_at = moment
        elif status == RegistrationStatus.CONFIRMED and started:
            row.attendance = rng.choices(["present", "absent", "excused"], weights=[80, 12, 8])[0]
        rows.append(row)
    return rows


def load(command):
    now = timezone.now()
    activities = [*EventPage.objects.select_related("centre"), *TrainingCyclePage.objects.select_related("centre")]
    done = set(Registration.objects.values_list("activity_id", flat=True).distinct())
    done |= set(AttendanceCount.objects.values_list("activity_id", flat=True).distinct())
    full = {}  # per centre, its smallest upcoming event (with a capacity): full, with a waiting list
    for activity in activities:
        if isinstance(activity, EventPage) and activity.starts_at > now and activity.capacity:
            current = full.get(activity.centre_id)
            if current is None or (activity.capacity, activity.pk) < (current.capacity, current.pk):
                full[activity.centre_id] = activity
    full_ids = {activity.pk for activity in full.values()}
    rows, filled = [], []
    for activity in activities:
        if activity.pk in done or activity.starts_at is None:
            continue
        rows += registrations_for(activity, activity.pk in full_ids, now)
        filled.append(activity.pk)
    Registration.objects.bulk_create(rows, batch_size=500)
    for activity_id in filled:
        refresh_counts(activity_id)
    command.say(f"Inscriptions de démonstration : {len(rows)} personnes sur {len(filled)} activités.")
