"""The search page, its feed, the JSON API and similar items on sheet pages (database implementation)."""

import pytest
from defusedxml import ElementTree

from search.indexing import sync_pages

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(corpus):
    sync_pages([sheet.pk for sheet in corpus.values()])
    return corpus


def test_search_page_without_javascript(client, indexed):
    response = client.get("/recherche/", {"q": "Quimbrelle"})
    html = response.content.decode()
    assert response.status_code == 200
    assert indexed["asl"].title in html
    assert 'role="search"' in html and '<label for="q">' in html
    assert 'type="checkbox" name="theme" value="insertion"' in html  # facets are plain form controls
    assert 'href="/recherche/flux.rss?q=Quimbrelle"' in html


def test_search_page_state_lives_in_the_url(client, indexed):
    html = client.get("/recherche/", {"q": "jardins", "centre": "oriv"}).content.decode()
    assert indexed["compost"].title in html and indexed["jardins"].title not in html
    assert 'name="centre" value="oriv" checked' in html


def test_search_page_bad_parameters(client, indexed):
    response = client.get("/recherche/", {"q": "x", "theme": "astrologie", "sort": "hasard"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Valeur inconnue pour le filtre thème (« theme ») : « astrologie »." in html
    assert "Tri inconnu : « hasard »" in html


def test_api_search_shape(client, indexed):
    body = client.get("/api/v1/search/", {"q": "Zorblax"}).json()
    assert body["count"] == 1 and body["suggestion"] is None
    assert body["results"][0]["id"] == str(indexed["egalite"].uuid)
    assert set(body["results"][0]) == {"id", "type", "title", "url", "centre", "date", "highlight", "also_published_by"}
    assert all({"value", "label", "count"} <= set(item) for item in body["facets"]["theme"])


@pytest.mark.parametrize(
    "params, message",
    [
        ({"page": "0"}, "Paramètre « page » invalide : « 0 »"),
        ({"year": "deux"}, "Année invalide"),
        ({"centre": "atlantide"}, "Valeur inconnue pour le filtre centre"),
        ({"q": "x" * 201}, "Recherche trop longue"),
    ],
)
def test_api_search_bad_parameters_are_400_in_french(client, params, message):
    response = client.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_api_suggest(client, indexed):
    body = client.get("/api/v1/search/suggest/", {"q": "quimbr"}).json()
    assert [s["title"] for s in body["suggestions"]] == [indexed["asl"].title]
    assert len(client.get("/api/v1/search/suggest/", {"q": "de"}).json()["suggestions"]) <= 10
    assert client.get("/api/v1/search/suggest/", {"q": "y" * 101}).status_code == 400


def test_search_feed(client, indexed):
    response = client.get("/recherche/flux.rss", {"q": "jardins partagés"})
    titles = [item.findtext("title") for item in ElementTree.fromstring(response.content).iter("item")]
    assert indexed["jardins"].title in titles and indexed["compost"].title in titles


def test_similar_experiences_on_the_sheet_page(client, indexed):
    html = client.get(indexed["jardins"].url).content.decode()
    assert "Expériences similaires" in html
    similar = html.split("Expériences similaires", 1)[1]
    assert indexed["compost"].title in similar


def test_header_search_box_on_every_page(client, indexed):
    html = client.get("/").content.decode()
    assert 'action="/recherche/"' in html and 'for="recherche-entete"' in html


def test_admin_status_page(client, indexed, django_user_model, django_capture_on_commit_callbacks):
    admin = django_user_model.objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    response = client.get("/admin/recherche/etat/")
    assert response.status_code == 200
    assert "Entrées de recherche en base" in response.content.decode()
    # The check runs as a task (inline here, after commit); the page then shows its outcome.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/recherche/etat/", {"action": "check"})
    assert response.status_code == 302
    html = client.get("/admin/recherche/etat/").content.decode()
    assert "Terminée" in html and "database : 0 manquant(s), 0 périmé(s), 0 en trop" in html


def test_admin_status_page_is_not_for_centre_staff(client, indexed, django_user_model):
    from portal.centres.models import Centre

    editor = django_user_model.objects.create_user("ed", password="pw")
    editor.groups.add(Centre.objects.get(code="irev").editors_group)
    client.force_login(editor)
    assert client.get("/admin/recherche/etat/").status_code in (302, 403)
