"""Demo agenda: for every centre, a few events (past and upcoming) and one training cycle.

Content lives in data/demo.json, written per centre (its own subjects, places in its territory;
speakers are functions, never names). Dates are days from today, so the agenda always has
something coming. Each page has a fixed uid (from the centre and the slug): loading twice
changes nothing, and its iCalendar UID stays the same. Registrations: demo_registrations.py.
"""

import datetime
import json
import uuid
import zoneinfo
from decimal import Decimal
from pathlib import Path

from django.utils import timezone

from portal.centres.models import CentrePage
from resources.taxonomy.models import Pillar, Public, Theme

from .models import EventPage, TrainingCyclePage, TrainingSession

NAMESPACE = uuid.UUID("3c5e8a0e-54b7-4f4e-8f43-2f0f7d7c9a61")
DATA = json.loads((Path(__file__).parent / "data" / "demo.json").read_text(encoding="utf-8"))
ZONES = {
    "ville-caraibe": "America/Martinique",
    "guadeloupe-saint-martin": "America/Guadeloupe",
    "crpv-guyane": "America/Cayenne",
    "cdr-mayotte": "Indian/Mayotte",
    "cr-csur": "Indian/Reunion",
}


def activity_uid(centre_code, slug):
    return uuid.uuid5(NAMESPACE, f"{centre_code}/{slug}")


def _moment(today, days, clock, zone):
    hour, minute = (int(part) for part in clock.split(":"))
    day = today + datetime.timedelta(days=days)
    # Centres meet on working days: a weekend date moves to the Friday before (past items stay
    # past) or the Monday after (upcoming ones stay upcoming).
    if day.weekday() >= 5:
        day += datetime.timedelta(days=4 - day.weekday() if days < 0 else 7 - day.weekday())
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _common(item, centre_code, zone_name):
    return {
        "title": item["title"],
        "slug": item["slug"],
        "uid": activity_uid(centre_code, item["slug"]),
        "summary": item["summary"],
        "programme": item.get("programme", ""),
        "speakers": item.get("speakers", ""),
        "time_zone": zone_name,
        "place_name": item.get("place", ""),
        "address": item.get("address", ""),
        "commune_insee": item.get("insee", ""),
        "online_url": item.get("online", ""),
        "capacity": item.get("capacity"),
        "mission": item.get("mission", "animation"),
    }


def build(item, centre_code, today):
    zone_name = ZONES.get(centre_code, "Europe/Paris")
    zone = zoneinfo.ZoneInfo(zone_name)
    fields = _common(item, centre_code, zone_name)
    if item["type"] == "cycle":
        page = TrainingCyclePage(**fields, objectives=item.get("objectives", ""), half_days=2 * len(item["sessions"]))
        page.sessions = [
            TrainingSession(
                title=title, starts_at=_moment(today, days, start, zone), ends_at=_moment(today, days, end, zone)
            )
            for title, days, start, end in item["sessions"]
        ]
        return page
    starts_at = _moment(today, item["days"], item["start"], zone)
    ends_at = _moment(today, item["days"], item["end"], zone)
    hours = (ends_at - starts_at).total_seconds() / 3600
    half_days = Decimal(str(item.get("half_days", 1 if hours <= 4 else 2)))
    return EventPage(**fields, event_type=item["type"], starts_at=starts_at, ends_at=ends_at, half_days=half_days)


def load(command):
    existing = set(EventPage.objects.values_list("uid", flat=True)) | set(
        TrainingCyclePage.objects.values_list("uid", flat=True)
    )
    vocab = {
        "theme": {t.slug: t for t in Theme.objects.all()},
        "public": {t.slug: t for t in Public.objects.all()},
        "pillar": {t.slug: t for t in Pillar.objects.all()},
    }
    today = timezone.localdate()
    created = 0
    for section in CentrePage.objects.filter(centre__code__in=DATA).select_related("centre"):
        for item in DATA[section.centre.code]:
            if activity_uid(section.centre.code, item["slug"]) in existing:
                continue
            page = build(item, section.centre.code, today)
            page.themes = [vocab["theme"][slug] for slug in item.get("theme", [])]
            page.publics = [vocab["public"][slug] for slug in item.get("public", [])]
            page.pillars = [vocab["pillar"][slug] for slug in item.get("pillar", [])]
            section.add_child(instance=page)
            page.save_revision().publish()
            created += 1
    command.say(f"Agenda de démonstration : {created} événements et cycles créés.")
    from .demo_registrations import load as load_registrations  # the people, once the pages exist

    load_registrations(command)
    from .demo_history import load as load_history  # past editions, for the dashboard's trends

    load_history(command)
