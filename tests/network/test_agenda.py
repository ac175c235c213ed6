"""The agenda: upcoming and past, filters with the library's names, month view, feeds, bounded queries."""

import datetime

import pytest
from bs4 import BeautifulSoup
from defusedxml import ElementTree
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .factories import make_cycle, make_event

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(strip=True) for a in soup.select(".result-list h3 a")]


@pytest.fixture
def dated():
    now = timezone.now().replace(microsecond=0)
    day = datetime.timedelta(days=1)
    return {
        "past": make_event("irev", "Rencontre passée", start=now - 40 * day, theme=None),
        "older": make_event("irev", "Rencontre plus ancienne", start=now - 80 * day),
        "soon": make_event("oriv", "Webinaire prochain", start=now + 3 * day, event_type="webinaire"),
        "later": make_event(
            "profession-banlieue",
            "Visite en Seine-Saint-Denis",
            start=now + 9 * day,
            event_type="visite-terrain",
            commune_insee="93066",
        ),  # fmt: skip
        "cycle": make_cycle(
            "irev", "Cycle emploi", sessions=[(now + 5 * day, now + 5 * day + datetime.timedelta(hours=6))]
        ),
    }


def test_upcoming_by_default_soonest_first_and_past_on_demand_newest_first(client, dated):
    shown = titles(client.get("/agenda/"))
    mine = [t for t in shown if t in {p.title for p in dated.values()}]
    assert mine == ["Webinaire prochain", "Cycle emploi", "Visite en Seine-Saint-Denis"]
    past = [t for t in titles(client.get("/agenda/?past=1&centre=irev")) if t in {p.title for p in dated.values()}]
    assert past == ["Rencontre passée", "Rencontre plus ancienne"]


def test_filters_use_the_library_names_and_the_agenda_types(client, dated):
    assert "Webinaire prochain" in titles(client.get("/agenda/?type=webinaire&centre=oriv"))
    assert "Webinaire prochain" not in titles(client.get("/agenda/?type=seminaire&centre=oriv"))
    every_event = titles(client.get("/agenda/?type=evenement&centre=irev&centre=oriv"))
    assert "Webinaire prochain" in every_event and "Cycle emploi" not in every_event
    assert "Cycle emploi" in titles(client.get("/agenda/?type=cycle-qualification&centre=irev"))
    in_93 = titles(client.get("/agenda/?departement=93&centre=profession-banlieue"))
    assert "Visite en Seine-Saint-Denis" in in_93
    assert "Visite en Seine-Saint-Denis" not in titles(client.get("/agenda/?departement=91"))
    assert "Webinaire prochain" in titles(client.get("/agenda/?region=44"))  # ORIV: Grand Est


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("type=concert", "Valeur inconnue pour le filtre type d'événement (« type ») : « concert »."),
        ("month=2026-13", "Mois invalide (« month ») : « 2026-13 »"),
        ("month=mars", "Mois invalide"),
        ("centre=nulle-part", "Valeur inconnue pour le filtre centre"),
        ("page=0", "Paramètre « page » invalide"),
    ],
)
def test_bad_parameters_answer_400_in_french(client, query, message):
    for url in ("/agenda/", "/agenda/flux.rss", "/agenda/agenda.ics"):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 400, url
        assert message in BeautifulSoup(response.content, "html.parser").get_text()


def test_the_month_view_is_a_table_with_each_event_on_its_day(client, dated):
    start = dated["soon"].starts_at.astimezone(dated["soon"].zone)
    response = client.get(f"/agenda/?view=month&month={start:%Y-%m}&centre=oriv")
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    cell = soup.find("a", string="Webinaire prochain").find_parent("td")
    assert cell.find(class_="day-number").get_text() == str(start.day)
    assert soup.find("table", class_="agenda-month").find("th").get_text() == "lundi"


def test_the_agenda_is_in_the_main_menu(client):
    soup = BeautifulSoup(client.get("/agenda/").content, "html.parser")
    link = soup.select_one(".main-nav a[href='/agenda/']")
    assert link.get_text() == "Agenda" and link["aria-current"] == "page"


def test_queries_do_not_grow_with_the_number_of_events(client, dated):
    with CaptureQueriesContext(connection) as few:
        client.get("/agenda/?past=1&centre=irev")
    now = timezone.now()
    for n in range(8):
        make_event("irev", f"Rencontre ancienne {n}", start=now - datetime.timedelta(days=100 + n))
    with CaptureQueriesContext(connection) as more:
        response = client.get("/agenda/?past=1&centre=irev")
    assert "Rencontre ancienne 7" in titles(response)
    assert len(more) == len(few)


def test_rss_and_atom_follow_the_selection_dated_by_publication(client, dated):
    rss = ElementTree.fromstring(client.get("/agenda/flux.rss?centre=oriv").content)
    items = rss.findall("./channel/item")
    assert "Webinaire prochain" in [i.findtext("title").split(" — ")[0] for i in items]
    assert items[0].findtext("pubDate")
    atom = client.get("/agenda/flux.atom?centre=oriv")
    assert atom.status_code == 200 and b"Webinaire prochain" in atom.content


def test_an_event_at_the_centre_itself_names_the_centre_once(client):
    start = timezone.now() + datetime.timedelta(days=12)
    make_event("labo-cites", "Atelier au centre", start=start, place_name="Labo Cités")
    make_event("ville-caraibe", "Atelier chez le centre", start=start, place_name="Centre de ressources Ville Caraïbe")
    make_event("labo-cites", "Atelier en quartier", start=start, place_name="Maison de quartier de Montreynaud")
    soup = BeautifulSoup(client.get("/agenda/?centre=labo-cites&centre=ville-caraibe").content, "html.parser")

    def meta(title):
        return soup.find("a", string=title).find_parent("li").select_one(".meta").get_text(" ", strip=True)

    assert meta("Atelier au centre").count("Labo Cités") == 1
    assert meta("Atelier au centre").endswith("— Labo Cités, dans ses locaux")
    assert meta("Atelier chez le centre").count("Ville Caraïbe") == 1
    assert meta("Atelier en quartier").endswith("— Labo Cités — Maison de quartier de Montreynaud")
