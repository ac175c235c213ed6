"""iCalendar (RFC 5545) of events and cycles, built with the `icalendar` library.

Each dated occurrence is one VEVENT: an event gives one, a cycle one per session. UIDs are
stable and globally unique (the page's uid, the session's id, the portal's domain), so a
subscribed calendar updates its entries instead of duplicating them; SEQUENCE follows the
page's revisions, so a change is picked up. Times carry their zone (TZID, with the VTIMEZONE
generated from zoneinfo); all-day events are VALUE=DATE with an exclusive end.
"""

import datetime
import functools

import icalendar
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from wagtail.models import Page, Revision

from .choices import Status

PRODID = "-//Portail CRPV//Agenda des centres de ressources//FR"
ICAL_STATUS = {Status.SCHEDULED: "CONFIRMED", Status.CANCELLED: "CANCELLED", Status.POSTPONED: "TENTATIVE"}
CONTENT_TYPE = "text/calendar; charset=utf-8"


def with_revision_count(queryset):
    """Annotate `revision_count` (the SEQUENCE of the page's entries) in one query."""
    revisions = (
        Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page), object_id=Cast(OuterRef("pk"), CharField())
        )
        .order_by()
        .values("object_id")
        .annotate(n=Count("*"))
        .values("n")
    )
    # Coalesce: a page without any revision (created outside the editor) counts 0, not NULL, which
    # `_sequence` would take for "not annotated" and count again, one query per page.
    return queryset.annotate(revision_count=Coalesce(Subquery(revisions), 0))


def _sequence(page):
    count = getattr(page, "revision_count", None)
    if count is None:
        count = Revision.objects.filter(
            base_content_type=ContentType.objects.get_for_model(Page), object_id=str(page.pk)
        ).count()
    return max((count or 0) - 1, 0)


def _uid(page, session=None):
    local = f"{page.uid}-{session.pk}" if session is not None else str(page.uid)
    return f"{local}@{settings.CALENDAR_UID_DOMAIN}"


def _occurrences(page):
    """(session or None, title, start, end, all_day, place) of each dated occurrence of the page."""
    if hasattr(page, "sessions"):
        return [
            (s, f"{page.title} — {s.title}", s.starts_at, s.ends_at, False, s.place_name or page.place_name)
            for s in page.sessions.all()
        ]
    return [(None, page.title, page.starts_at, page.ends_at, page.all_day, page.place_name)]


def vevents(page, url):
    """The VEVENTs of a page (`url`: its absolute address)."""
    zone = page.zone
    stamp = page.last_published_at or timezone.now()
    events = []
    for session, title, start, end, all_day, place in _occurrences(page):
        event = icalendar.Event()
        event.add("uid", _uid(page, session))
        event.add("dtstamp", stamp)
        event.add("summary", title)
        if all_day:
            first = start.astimezone(zone).date()
            last = (end or start).astimezone(zone).date()
            event.add("dtstart", first)
            event.add("dtend", last + datetime.timedelta(days=1))  # exclusive end (RFC 5545 §3.6.1)
        else:
            event.add("dtstart", start.astimezone(zone))
            event.add("dtend", (end or start).astimezone(zone))
        event.add("sequence", _sequence(page))
        event.add("status", ICAL_STATUS.get(page.status, "CONFIRMED"))
        event.add("url", url)
        event.add("description", page.summary)
        location = ", ".join(part for part in (place, page.address) if part) or page.online_url
        if location:
            event.add("location", location)
        if page.centre_id:
            event.add("organizer", f"urn:crpv:centre:{page.centre.code}", parameters={"CN": page.centre.name})
        events.append(event)
    return events


def calendar(pages, url_of, name):
    """The VCALENDAR of `pages` (url_of(page) → absolute address) as bytes, with the VTIMEZONEs it uses."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    zones = set()
    for page in pages:
        for event in vevents(page, url_of(page)):
            cal.add_component(event)
            zones.add(event["DTSTART"].params.get("TZID"))
    # What `add_missing_timezones` does, without walking every property of every event again and
    # building each VTIMEZONE anew (both cost more than the events themselves in a long feed).
    cal.subcomponents[0:0] = [vtimezone(zone) for zone in sorted(zones - {None, "UTC"})]
    return cal.to_ical()


@functools.cache
def vtimezone(tzid):
    """The VTIMEZONE of a zone, built once per process from zoneinfo (read-only once built)."""
    return icalendar.Timezone.from_tzid(tzid)
