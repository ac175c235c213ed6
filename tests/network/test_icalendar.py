"""iCalendar of the agenda and of each page, read back with the `icalendar` library."""

import datetime
import zoneinfo

import icalendar
import pytest

from .factories import at, make_cycle, make_event

pytestmark = pytest.mark.django_db
REUNION = zoneinfo.ZoneInfo("Indian/Reunion")


def parse(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def vevents(cal):
    return list(cal.walk("VEVENT"))


def test_an_event_page_serves_one_vevent_with_its_zone_and_a_url_back(client, settings):
    event = make_event(
        "cr-csur", "Atelier à Saint-Pierre", start=at(2031, 3, 14, 9, zone=REUNION), time_zone="Indian/Reunion"
    )
    cal = parse(client.get(f"{event.url}ical/"))
    (entry,) = vevents(cal)
    assert str(entry["uid"]) == f"{event.uid}@{settings.CALENDAR_UID_DOMAIN}"
    start = entry.decoded("dtstart")
    assert start.tzinfo.key == "Indian/Reunion" and (start.hour, start.minute) == (9, 0)
    assert entry["dtstart"].params["TZID"] == "Indian/Reunion"
    assert {str(tz["tzid"]) for tz in cal.walk("VTIMEZONE")} == {"Indian/Reunion"}
    assert str(entry["url"]) == event.full_url
    assert str(entry["status"]) == "CONFIRMED" and "dtstamp" in entry


def test_uids_are_stable_across_requests_and_cover_both_zones(client):
    make_event("cr-csur", "Forum réunionnais", start=at(2031, 3, 14, 9, zone=REUNION), time_zone="Indian/Reunion")
    make_event("irev", "Forum lillois", start=at(2031, 3, 15, 14))
    first = parse(client.get("/agenda/agenda.ics?month=2031-03"))
    second = parse(client.get("/agenda/agenda.ics?month=2031-03"))
    uids = [str(e["uid"]) for e in vevents(first)]
    assert len(uids) == len(set(uids)) >= 2
    assert uids == [str(e["uid"]) for e in vevents(second)]
    assert {"Indian/Reunion", "Europe/Paris"} <= {str(tz["tzid"]) for tz in first.walk("VTIMEZONE")}


def test_all_day_events_are_dates_with_an_exclusive_end(client):
    event = make_event(start=at(2031, 6, 3, 0), end=at(2031, 6, 4, 23), all_day=True)
    (entry,) = vevents(parse(client.get(f"{event.url}ical/")))
    assert entry["dtstart"].params.get("VALUE") == "DATE" or type(entry.decoded("dtstart")) is datetime.date
    assert entry.decoded("dtstart") == datetime.date(2031, 6, 3)
    assert entry.decoded("dtend") == datetime.date(2031, 6, 5)
    assert b"DTSTART;VALUE=DATE:20310603" in client.get(f"{event.url}ical/").content


def test_a_cancellation_is_published_with_a_higher_sequence(client):
    event = make_event(start=at(2031, 9, 1, 10))
    before = vevents(parse(client.get(f"{event.url}ical/")))[0]
    event.status = "cancelled"
    event.save_revision().publish()
    after = vevents(parse(client.get(f"{event.url}ical/")))[0]
    assert str(after["status"]) == "CANCELLED"
    assert after["uid"] == before["uid"]
    assert after.decoded("sequence") > before.decoded("sequence")
    feed = vevents(parse(client.get("/agenda/agenda.ics?month=2031-09&centre=irev")))
    assert [str(e["status"]) for e in feed if e["uid"] == before["uid"]] == ["CANCELLED"]


def test_a_cycle_gives_one_vevent_per_session_with_distinct_stable_uids(client):
    cycle = make_cycle()
    entries = vevents(parse(client.get(f"{cycle.url}ical/")))
    assert [str(e["summary"]) for e in entries] == [f"{cycle.title} — Séance 1", f"{cycle.title} — Séance 2"]
    uids = [str(e["uid"]) for e in entries]
    assert len(set(uids)) == 2 and all(uid.startswith(str(cycle.uid)) for uid in uids)
    again = [str(e["uid"]) for e in vevents(parse(client.get(f"{cycle.url}ical/")))]
    assert again == uids
