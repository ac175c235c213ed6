"""The demo agenda, loaded for the test session: every centre has its own events and one cycle."""

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from network.events.models import EventPage, TrainingCyclePage
from portal.centres.models import Centre

pytestmark = pytest.mark.django_db


def test_every_centre_has_past_and_upcoming_events_and_one_cycle_of_two_to_four_sessions(demo_content):
    now = timezone.now()
    for centre in Centre.objects.all():
        events = EventPage.objects.live().filter(centre=centre)
        assert (
            events.filter(ends_at__lt=now).exists()
            or TrainingCyclePage.objects.filter(centre=centre, starts_at__lt=now).exists()
        ), centre.code
        assert events.filter(starts_at__gt=now).exists(), centre.code
        (cycle,) = TrainingCyclePage.objects.live().filter(centre=centre)
        assert 2 <= cycle.sessions.count() <= 4


def test_demo_activities_fall_on_working_days(demo_content):
    from network.events.models import TrainingSession

    starts = [(e.title, e.starts_at.astimezone(e.zone)) for e in EventPage.objects.all()]
    starts += [(s.title, s.starts_at.astimezone(s.page.zone)) for s in TrainingSession.objects.select_related("page")]
    assert [title for title, start in starts if start.weekday() >= 5] == []


def test_no_item_is_cloned_across_centres(demo_content):
    pages = [*EventPage.objects.all(), *TrainingCyclePage.objects.all()]
    assert len({p.title for p in pages}) == len(pages)
    assert len({p.summary for p in pages}) == len(pages)
    assert len({p.slug for p in pages}) == len(pages)


def test_overseas_centres_date_their_events_in_their_own_zone(demo_content):
    assert set(EventPage.objects.filter(centre__code="cr-csur").values_list("time_zone", flat=True)) == {
        "Indian/Reunion"
    }


def test_the_agenda_shows_the_demo_events(client, demo_content):
    soup = BeautifulSoup(client.get("/agenda/").content, "html.parser")
    assert len(soup.select(".result-list .result")) >= 18
