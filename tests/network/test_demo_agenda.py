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


def test_demo_registrations_fill_lists_waiting_lists_and_attendance(demo_content, settings):
    from django.db.models import Count, Q

    from network.events.jobs import erase_registrations
    from network.events.models import AttendanceCount, PublicCategory, Registration

    now = timezone.now()
    assert not Registration.objects.exclude(email__endswith="@example.org").exists()
    assert set(Registration.objects.values_list("public_category", flat=True)) == set(PublicCategory.values)
    for centre in Centre.objects.all():
        events = EventPage.objects.filter(centre=centre)
        full = [e for e in events if e.registrations.filter(status="waiting").exists()]
        assert full and all(e.registrations.filter(status="confirmed").count() == e.capacity for e in full), centre.code
        past = events.filter(ends_at__lt=now)
        assert Registration.objects.filter(activity__in=past, attendance="present").exists(), centre.code
    # The anonymous counts are those the service computes from the people.
    expected = (
        Registration.objects.values("activity_id", "public_category")
        .annotate(
            registered=Count("pk", filter=Q(status="confirmed")),
            present=Count("pk", filter=Q(attendance="present") & ~Q(status="cancelled")),
        )
        .order_by()
    )
    # (The past editions of demo_history hold counts only: their people are long erased.)
    with_people = Registration.objects.values("activity_id")
    kept = {
        (c.activity_id, c.public_category): (c.registered, c.present)
        for c in AttendanceCount.objects.filter(activity_id__in=with_people)
    }
    assert {(r["activity_id"], r["public_category"]): (r["registered"], r["present"]) for r in expected} == kept
    # Demo past activities are within the retention window: the erasure job leaves them alone.
    assert erase_registrations(settings.REGISTRATION_ERASURE_MONTHS) == 0


def test_past_editions_hold_anonymous_counts_for_three_years(demo_content):
    from network.events.models import AttendanceCount, Registration

    this_year = timezone.localdate().year
    editions = EventPage.objects.filter(title__contains="— édition")
    assert {page.starts_at.year for page in editions} == {this_year - 1, this_year - 2, this_year - 3}
    for centre in Centre.objects.filter(code__in=editions.values("centre__code")):
        assert editions.filter(centre=centre).count() % 3 == 0  # every event of the centre, each year
    assert not Registration.objects.filter(activity__in=editions).exists()
    counts = AttendanceCount.objects.filter(activity__in=editions)
    assert counts.values("activity").distinct().count() == editions.count()
    assert all(count.present <= count.registered for count in counts)
    assert not any(page.registration_open for page in editions)
