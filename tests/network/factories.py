"""Events and cycles made and published under a centre's section, for the network tests."""

import datetime
import zoneinfo

from network.events.models import EventPage, TrainingCyclePage, TrainingSession
from portal.centres.models import CentrePage
from resources.taxonomy.models import Theme

PARIS = zoneinfo.ZoneInfo("Europe/Paris")


def at(year, month, day, hour=9, minute=0, zone=PARIS):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=zone)


def section(centre_code):
    return CentrePage.objects.get(centre__code=centre_code)


def make_event(centre_code="irev", title="Rencontre du réseau", start=None, end=None, theme=None, **fields):
    start = start or at(2031, 3, 14, 9, 30)
    page = EventPage(
        title=title,
        slug=fields.pop("slug", None) or title.lower().replace(" ", "-").replace("'", "-"),
        event_type=fields.pop("event_type", "rencontre-reseau"),
        starts_at=start,
        ends_at=end or start + datetime.timedelta(hours=3),
        summary=fields.pop("summary", f"Résumé de {title}."),
        mission=fields.pop("mission", "animation"),
        place_name=fields.pop("place_name", "Maison des associations"),
        **fields,
    )
    section(centre_code).add_child(instance=page)
    if theme:
        page.themes.add(Theme.objects.get(slug=theme))
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


def make_cycle(centre_code="irev", title="Cycle de qualification", sessions=None, **fields):
    sessions = sessions or [(at(2031, 4, 2), at(2031, 4, 2, 17)), (at(2031, 5, 7), at(2031, 5, 7, 17))]
    page = TrainingCyclePage(
        title=title,
        slug=title.lower().replace(" ", "-"),
        summary=f"Résumé de {title}.",
        mission="competences",
        place_name=fields.pop("place_name", "Centre social"),
        **fields,
    )
    page.sessions = [
        TrainingSession(title=f"Séance {n}", starts_at=start, ends_at=end)
        for n, (start, end) in enumerate(sessions, start=1)
    ]
    section(centre_code).add_child(instance=page)
    page.save_revision().publish()
    return TrainingCyclePage.objects.get(pk=page.pk)
