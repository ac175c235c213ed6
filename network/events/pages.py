"""What the public sees of an event or a cycle: its page context, its schema.org Event, its `ical/`."""

import re

from django.http import HttpResponse
from wagtail.contrib.routable_page.models import RoutablePageMixin, path

from portal.core import jsonld

from . import calendar
from .choices import Status
from .dates import period_label

AGENDA_URL = "/agenda/"
SCHEMA_STATUS = {
    Status.SCHEDULED: "https://schema.org/EventScheduled",
    Status.CANCELLED: "https://schema.org/EventCancelled",
    Status.POSTPONED: "https://schema.org/EventPostponed",
}


def attendance_mode(page):
    on_site = bool(page.place_name or page.address)
    if on_site and page.online_url:
        return "https://schema.org/MixedEventAttendanceMode"
    return (
        "https://schema.org/OnlineEventAttendanceMode"
        if page.online_url
        else "https://schema.org/OfflineEventAttendanceMode"
    )


def _schema_date(moment, page, all_day=False):
    if moment is None:
        return None
    local = moment.astimezone(page.zone)
    return local.date() if all_day else local  # ISO 8601 with the zone's offset


class ActivityPublicMixin(RoutablePageMixin):
    @property
    def held_at_centre(self):
        """The place is the organising centre's own premises (its name is in the place's name)."""
        if not (self.place_name and self.centre_id):
            return False
        return re.search(rf"\b{re.escape(self.centre.name.casefold())}\b", self.place_name.casefold()) is not None

    @property
    def period(self):
        return period_label(self.starts_at, self.ends_at, self.zone, getattr(self, "all_day", False))

    def counts(self):
        """{"confirmed": n, "waiting": n}: anonymous counts, annotated by the agenda's queries when it lists pages."""
        if hasattr(self, "confirmed_count"):
            return {"confirmed": self.confirmed_count or 0, "waiting": self.waiting_count or 0}
        from .models import Registration

        rows = Registration.objects.filter(activity_id=self.pk).values_list("status", flat=True)
        rows = list(rows)
        return {
            "confirmed": rows.count("confirmed"),
            "waiting": rows.count("waiting"),
        }

    def places_left(self):
        if self.capacity is None:
            return None
        return max(self.capacity - self.counts()["confirmed"], 0)

    def registration_is_open(self, now=None):
        """Open to new registrations: the registration service's rules (one place), nothing against it."""
        from .services import closing_reason  # services import the models, which import this module

        return closing_reason(self, now) is None

    def json_ld(self, request=None):
        all_day = getattr(self, "all_day", False)
        locations = []
        if self.place_name or self.address:
            locations.append(
                {"@type": "Place", "name": self.place_name or self.address, "address": self.address or self.place_name}
            )
        if self.online_url:
            locations.append({"@type": "VirtualLocation", "url": self.online_url})
        sub_events = [
            {
                "@type": "Event",
                "name": session.title,
                "startDate": _schema_date(session.starts_at, self),
                "endDate": _schema_date(session.ends_at, self),
            }
            for session in (self.sessions.all() if hasattr(self, "sessions") else [])
        ]
        return jsonld.describe(
            "Event",
            page=self,
            centre=self.centre,
            request=request,
            description=self.summary,
            startDate=_schema_date(self.starts_at, self, all_day),
            endDate=_schema_date(self.ends_at, self, all_day),
            eventStatus=SCHEMA_STATUS.get(self.status),
            eventAttendanceMode=attendance_mode(self),
            location=locations[0] if len(locations) == 1 else locations,
            organizer=jsonld.organization(self.centre, request),
            subEvent=sub_events,
            **self.json_ld_classification(),
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        documents = list(self.documents.select_related("document"))
        context.update(
            json_ld=jsonld.script(self.json_ld(request)),
            agenda_url=AGENDA_URL,
            documents_before=[d for d in documents if d.moment == "before"],
            documents_after=[d for d in documents if d.moment == "after"],
            speaker_lines=[line.strip() for line in self.speakers.splitlines() if line.strip()],
            places_left=self.places_left(),
            registration_is_open=self.registration_is_open(),
        )
        if hasattr(self, "sessions"):
            context["sessions"] = [
                {"session": s, "period": period_label(s.starts_at, s.ends_at, self.zone)} for s in self.sessions.all()
            ]
        return context

    @path("")
    def show(self, request):
        return self.render(request)

    @path("ical/")
    def ical(self, request):
        body = calendar.calendar([self], lambda page: page.get_full_url(request), self.title)
        response = HttpResponse(body, content_type=calendar.CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{self.slug}.ics"'
        return response
