"""`GET /api/v1/events/`: the agenda as open data, with anonymous counts and never a registrant."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from network.events.models import Registration

from .factories import at, make_cycle, make_event

pytestmark = pytest.mark.django_db


def register(page, n, status, start=0):
    for i in range(start, start + n):
        Registration.objects.create(
            activity=page, name=f"Personne {i}", email=f"personne{i}@example.org", public_category="elu",
            status=status, position=i + 1,
        )  # fmt: skip


def test_events_with_counts_and_links_and_no_personal_data(client):
    event = make_event("oriv", "Rencontre strasbourgeoise", start=at(2031, 3, 14, 9, 30), capacity=2)
    register(event, 2, "confirmed")
    register(event, 1, "waiting", start=2)
    response = client.get("/api/v1/events/?centre=oriv&from=2031-03-01&to=2031-03-31")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] == 1
    (item,) = data["results"]
    assert item["id"] == str(event.uid) and item["kind"] == "evenement"
    assert item["start"] == "2031-03-14T09:30:00+01:00" and item["timezone"] == "Europe/Paris"
    assert (item["capacity"], item["confirmed"], item["waiting"]) == (2, 2, 1)
    assert item["registration_url"] == f"{item['url']}inscription/" and item["registration_open"] is True
    assert item["ical_url"] == f"{item['url']}ical/"
    assert "personne0" not in response.content.decode() and "Personne 0" not in response.content.decode()


def test_cycles_and_the_upcoming_and_date_filters(client):
    past = make_event("oriv", "Rencontre passée", start=at(2020, 1, 10, 9))
    cycle = make_cycle("oriv", "Cycle alsacien")
    everything = {r["title"] for r in client.get("/api/v1/events/?centre=oriv").json()["results"]}
    assert {past.title, cycle.title} <= everything
    upcoming = {r["title"] for r in client.get("/api/v1/events/?centre=oriv&upcoming=1").json()["results"]}
    assert cycle.title in upcoming and past.title not in upcoming
    cycles = client.get("/api/v1/events/?centre=oriv&type=cycle-qualification").json()["results"]
    assert [r["title"] for r in cycles if r["title"] == cycle.title] == [cycle.title]
    assert client.get("/api/v1/events/?centre=oriv&to=2020-12-31").json()["results"][-1]["title"] == past.title


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-02-30", "Date invalide (« from ») : « 2026-02-30 »"),
        ("to=demain", "Date invalide (« to »)"),
        ("upcoming=oui", "Paramètre « upcoming » invalide"),
        ("type=concert", "Valeur inconnue pour le filtre type d'événement"),
        ("page=-1", "Paramètre « page » invalide"),
    ],
)
def test_bad_parameters_answer_400_in_french(client, query, message):
    response = client.get(f"/api/v1/events/?{query}")
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_the_endpoint_is_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/events/"]["get"]
    assert {"centre", "from", "to", "upcoming", "page"} <= {p["name"] for p in operation["parameters"]}


def test_queries_do_not_grow_with_the_number_of_events(client):
    start = datetime.datetime(2032, 1, 5, 9, tzinfo=datetime.UTC)
    for n in range(3):
        make_event("oriv", f"Atelier {n}", start=start + datetime.timedelta(days=n))
    with CaptureQueriesContext(connection) as few:
        client.get("/api/v1/events/?centre=oriv&from=2032-01-01")
    for n in range(3, 10):
        make_event("oriv", f"Atelier {n}", start=start + datetime.timedelta(days=n))
    with CaptureQueriesContext(connection) as more:
        assert client.get("/api/v1/events/?centre=oriv&from=2032-01-01").json()["count"] == 10
    assert len(more) == len(few)
