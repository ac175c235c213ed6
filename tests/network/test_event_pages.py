"""Event and cycle pages: what they show, their schema.org Event, and their place in search."""

import json
import zoneinfo

import pytest
from bs4 import BeautifulSoup

from .factories import at, make_cycle, make_event

pytestmark = pytest.mark.django_db
REUNION = zoneinfo.ZoneInfo("Indian/Reunion")


def json_ld(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return json.loads(soup.find("script", type="application/ld+json").string)


def test_an_event_page_shows_its_dates_in_french_place_programme_and_registration_link(client):
    event = make_event(
        programme="<p>9 h 30 : accueil café</p>",
        speakers="Responsable de la cohésion sociale, Ville de Lyon\nChargée de mission, IREV",
        capacity=30,
    )
    response = client.get(event.url)
    assert response.status_code == 200
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "vendredi 14 mars 2031, 9 h 30 – 12 h 30" in text
    assert "heure de" not in text  # a mainland event needs no zone name
    assert "Maison des associations" in text and "accueil café" in text
    assert "Chargée de mission, IREV" in text
    assert "30 / 30" in text  # places left
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find("a", string="S'inscrire")["href"] == f"{event.url}inscription/"


def test_an_overseas_event_is_shown_at_its_own_time_with_the_zone_named(client):
    event = make_event(
        "cr-csur", "Atelier à Saint-Denis", start=at(2031, 3, 14, 9, zone=REUNION), time_zone="Indian/Reunion"
    )
    text = BeautifulSoup(client.get(event.url).content, "html.parser").get_text(" ", strip=True)
    assert "vendredi 14 mars 2031, 9 h – 12 h (heure de La Réunion)" in text


def test_a_cancelled_event_says_so_and_takes_no_registration(client):
    event = make_event(status="cancelled")
    response = client.get(event.url)
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.find(class_="event-status-cancelled").get_text(strip=True) == "Annulé"
    assert soup.find("a", string="S'inscrire") is None
    assert json_ld(response)["eventStatus"] == "https://schema.org/EventCancelled"


def test_the_event_json_ld_has_offsets_location_and_the_centre_as_organizer(client):
    event = make_event(
        "cr-csur", "Webinaire hybride", start=at(2031, 3, 14, 9, zone=REUNION), time_zone="Indian/Reunion",
        online_url="https://visio.example.org/salle", address="12 rue de Paris, 97400 Saint-Denis",
    )  # fmt: skip
    data = json_ld(client.get(event.url))
    assert data["@type"] == "Event"
    assert data["startDate"] == "2031-03-14T09:00:00+04:00"
    assert data["endDate"] == "2031-03-14T12:00:00+04:00"
    assert data["eventAttendanceMode"] == "https://schema.org/MixedEventAttendanceMode"
    assert {place["@type"] for place in data["location"]} == {"Place", "VirtualLocation"}
    assert data["organizer"]["name"] == event.centre.name


def test_an_all_day_event_has_dates_without_times(client):
    event = make_event(start=at(2031, 6, 3, 0), end=at(2031, 6, 4, 23), all_day=True)
    response = client.get(event.url)
    text = BeautifulSoup(response.content, "html.parser").get_text(" ", strip=True)
    assert "du mardi 3 juin 2031 au mercredi 4 juin 2031" in text
    assert json_ld(response)["startDate"] == "2031-06-03"


def test_a_cycle_page_lists_its_sessions_and_dates_from_the_first_to_the_last(client):
    cycle = make_cycle()
    assert cycle.starts_at == at(2031, 4, 2) and cycle.ends_at == at(2031, 5, 7, 17)
    response = client.get(cycle.url)
    soup = BeautifulSoup(response.content, "html.parser")
    sessions = [li.get_text(" ", strip=True) for li in soup.select(".session-list li")]
    assert sessions == ["Séance 1 — mercredi 2 avril 2031, 9 h – 17 h", "Séance 2 — mercredi 7 mai 2031, 9 h – 17 h"]
    assert [sub["name"] for sub in json_ld(response)["subEvent"]] == ["Séance 1", "Séance 2"]


def test_search_documents_hold_public_fields_only_and_the_centre_territory():
    cycle = make_cycle("profession-banlieue", commune_insee="93066")
    document = cycle.search_document()
    assert document["centre"] == "profession-banlieue"
    assert document["region"] == ["11"] and document["departement"] == "93"
    assert "Séance 2" in document["sections"]
    assert not {"email", "registrations", "name"} & set(document)
