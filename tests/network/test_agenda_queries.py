"""Every view of the agenda runs a fixed number of queries, whatever the number of events (3 or 30).

Not a timed test: bench/agenda_bench.py measures time at 5 000 events. Half the events here are
published without any revision, as pages written by an import or a script are: the iCalendar
feed used to count their revisions (its SEQUENCE) with one query per page.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.events.models import EventPage

from .factories import at, make_cycle, make_event, section

URLS = [
    "/agenda/?centre=irev",
    "/agenda/?centre=irev&view=month&month=2031-03",
    "/agenda/agenda.ics?centre=irev",
    "/agenda/flux.rss?centre=irev",
    "/agenda/flux.atom?centre=irev",
    "/api/v1/events/?centre=irev",
]


def add_activities(first, last):
    """Events (every other one without a revision) and, one in five, a cycle of two sessions, in March 2031."""
    for n in range(first, last):
        start = at(2031, 3, 1 + n % 28, 9)
        if n % 5 == 2:
            make_cycle("irev", f"Cycle {n}", sessions=[(start, start + datetime.timedelta(hours=7))] * 2)
        elif n % 2:
            make_event("irev", f"Rencontre {n}", start=start)
        else:
            page = EventPage(
                title=f"Atelier {n}", slug=f"atelier-{n}", event_type="webinaire", starts_at=start,
                ends_at=start + datetime.timedelta(hours=2), summary="Un atelier en ligne.", mission="competences",
                online_url="https://visio.example.org/atelier",
            )  # fmt: skip
            section("irev").add_child(instance=page)  # live, no revision


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)  # read now: the next request clears the log it slices


@pytest.mark.usefixtures("demo_content")
def test_no_query_per_event(client):
    add_activities(0, 3)
    for url in URLS:
        client.get(url)  # warm the caches (site root paths, content types)
    few = {url: queries(client, url) for url in URLS}
    add_activities(3, 30)
    more = {url: queries(client, url) for url in URLS}
    assert more == few
    feed = client.get("/agenda/agenda.ics?centre=irev").content
    assert feed.count(b"BEGIN:VEVENT") >= 30 and b"SEQUENCE:0" in feed
