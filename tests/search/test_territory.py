"""Territory understanding: a query naming a commune, a département or a region boosts its items.

Both implementations (the engine on the test node, the PostgreSQL fallback) over the sheets
created here; the demo content is there too and competes.
"""

import pytest

from portal.centres.models import Centre
from resources.experiences.models import ExperienceSheetPage, SheetCommune
from resources.taxonomy.models import Departement
from search import territory
from search.indexing import as_list, documents_for, sync_pages
from search.models import SearchEntry
from search.params import SearchParams
from tests.resources.sheets import make_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_gazetteer():
    """The gazetteer is cached per process: each test reads the communes of its own sheets."""
    territory.forget()
    yield
    territory.forget()


def sheet_in(centre_code, title, summary, departement, communes=()):
    departement = Departement.objects.get(code=departement)
    sheet = make_sheet(
        Centre.objects.get(code=centre_code),
        title,
        summary=summary,
        departement=departement,
        region=departement.region,
    )
    for insee, name in communes:
        SheetCommune.objects.create(page=sheet, insee=insee, name=name)
    return sheet


@pytest.fixture
def corpus(portal_tree):
    """Sheets in Marseille, elsewhere in the Bouches-du-Rhône, in Seine-Saint-Denis and in the Nord;
    their texts never name their own commune (as real sheets often do not)."""
    return {
        "belle_de_mai": sheet_in(
            "crpv-paca",
            "Vralomir : un verger partagé à la Belle de Mai",
            "Les habitants plantent et entretiennent des arbres fruitiers au pied des immeubles.",
            "13",
            [("13203", "Marseille 3e Arrondissement")],
        ),
        "flamants": sheet_in(
            "crpv-paca",
            "Ploustine : médiation santé aux Flamants",
            "Une médiatrice accompagne les familles vers le droit commun de la santé.",
            "13",
            [("13214", "Marseille 14e Arrondissement")],
        ),
        "aix": sheet_in(
            "crpv-paca",
            "Trubelin : une épicerie solidaire à Jas-de-Bouffan",
            "Une épicerie solidaire tenue par des bénévoles du quartier.",
            "13",
            [("13001", "Aix-en-Provence")],
        ),
        "lyon_names_marseille": sheet_in(
            "labo-cites",
            "Flarbo : une régie de quartier à la Duchère",
            "Une régie de quartier inspirée de celle de Marseille, qui emploie des habitants.",
            "69",
            [("69389", "Lyon 9e Arrondissement")],
        ),
        "jardin_93": sheet_in(
            "profession-banlieue",
            "Kramouille : jardins partagés dans une cité",
            "Des jardins partagés cultivés par les habitants et l'école voisine.",
            "93",
            [("93066", "Saint-Denis")],
        ),
        # A better text match elsewhere (the words twice in the title): only the boost puts it second.
        "jardin_59": sheet_in(
            "irev",
            "Zoubrane : jardins partagés, jardins partagés partout",
            "Des jardins partagés cultivés par les habitants et les associations du quartier.",
            "59",
            [("59350", "Lille")],
        ),
        "quantity": sheet_in(
            "irev",
            "Glomptu : 93 logements réhabilités avec 100 jeunes",
            "Un chantier éducatif où 100 jeunes réhabilitent 93 logements.",
            "59",
            [("59599", "Roubaix")],
        ),
    }


# ---- parsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q, level, codes, rest",
    [
        ("Marseille", "commune", ["13203", "13214"], ""),
        ("marseille", "commune", ["13203", "13214"], ""),
        ("jardins partagés Roubaix", "commune", ["59599"], "jardins partagés"),
        ("quartiers nord de Marseille", "commune", ["13203", "13214"], "quartiers nord"),
        ("médiation santé Marseille 13", "commune", ["13203", "13214"], "médiation santé"),
        ("Seine-Saint-Denis", "departement", ["93"], ""),
        ("seine saint denis", "departement", ["93"], ""),
        ("SEINE-SAINT-DENIS (93)", "departement", ["93"], ""),
        ("jardins partagés Seine-Saint-Denis", "departement", ["93"], "jardins partagés"),
        ("jardins partagés en Seine-Saint-Denis", "departement", ["93"], "jardins partagés"),
        ("93", "departement", ["93"], ""),
        ("2A", "departement", ["2A"], ""),
        ("jardins partagés dans le 93", "departement", ["93"], "jardins partagés"),
        ("médiation (13)", "departement", ["13"], "médiation"),
        ("Hauts-de-France", "region", ["32"], ""),
        ("hauts de france emploi", "region", ["32"], "emploi"),
        ("PACA", "region", ["93"], ""),
        ("La Réunion", "departement", ["974"], ""),
        ("Saint-Denis", "commune", ["93066"], ""),  # not « Seine-Saint-Denis »
    ],
)
def test_a_place_is_understood(corpus, q, level, codes, rest):
    parsed = territory.parse(q)
    assert parsed.place is not None, q
    # The demo content names communes too (Marseille as a whole, 13055): its codes join ours.
    assert (parsed.place.level, parsed.rest) == (level, rest)
    assert set(codes) <= set(parsed.place.codes)


@pytest.mark.parametrize(
    "q", ["100 jeunes", "93 logements", "13 quartiers prioritaires", "réunion publique", "quartiers nord", "2024"]
)
def test_numbers_and_everyday_words_are_not_places(corpus, q):
    assert territory.parse(q).place is None


# ---- ranking, on both implementations -------------------------------------------------------


def positions(answer, corpus):
    ids = [result["id"] for result in answer["results"]]
    return {key: ids.index(str(sheet.uuid)) for key, sheet in corpus.items() if str(sheet.uuid) in ids}


def in_territory(result, key, codes):
    """Whether a result is an item of the place: its search document holds one of the codes."""
    page_id = SearchEntry.objects.filter(url=result["url"]).values_list("page_id", flat=True).first()
    if page_id is None:  # a sheet of this test, never written to the database entries (engine)
        page_id = ExperienceSheetPage.objects.get(uuid=result["id"]).pk
    document = documents_for([page_id])[page_id]
    return bool(set(as_list(document.get(key))) & set(codes))


def test_a_commune_alone_ranks_its_items_first(service, corpus):
    answer = service.search(SearchParams(q="Marseille", page_size=200))
    found = positions(answer, corpus)
    # Marseille's items (which never say « Marseille ») come first, then a text naming it;
    # the other items of the département are not Marseille's.
    assert {"belle_de_mai", "flamants", "lyon_names_marseille"} <= set(found)
    assert max(found["belle_de_mai"], found["flamants"]) < found["lyon_names_marseille"]
    assert "aix" not in found and "jardin_93" not in found
    marseille = territory.parse("Marseille").place.codes
    flags = [in_territory(result, "commune", marseille) for result in answer["results"]]
    assert flags == sorted(flags, reverse=True), "an item outside Marseille before one of Marseille"


def test_other_words_required_and_the_place_boosts(service, corpus):
    answer = service.search(SearchParams(q="jardins partagés Seine-Saint-Denis", page_size=200))
    found = positions(answer, corpus)
    # Both jardins are found (the place is not required as text), the one of the 93 first;
    # the words stay required: nothing without « jardins partagés ».
    assert {"jardin_93", "jardin_59"} <= set(found)
    assert found["jardin_93"] < found["jardin_59"]
    assert "belle_de_mai" not in found and "quantity" not in found
    # Without the place, the better text match elsewhere comes first: the boost made the difference.
    plain = positions(service.search(SearchParams(q="jardins partagés", page_size=200)), corpus)
    assert plain["jardin_59"] < plain["jardin_93"]


def test_a_departement_code_alone(service, corpus):
    answer = service.search(SearchParams(q="93", page_size=200))
    found = positions(answer, corpus)
    assert "jardin_93" in found
    flags = [in_territory(result, "departement", ["93"]) for result in answer["results"]]
    assert flags[0] and flags == sorted(flags, reverse=True)


def test_a_quantity_is_not_a_departement(service, corpus):
    answer = service.search(SearchParams(q="93 logements", page_size=200))
    assert positions(answer, corpus) == {"quantity": 0}
    assert "jardin_93" not in positions(service.search(SearchParams(q="100 jeunes", page_size=200)), corpus)


def test_a_region(service, corpus):
    answer = service.search(SearchParams(q="jardins partagés hauts de france", page_size=200))
    found = positions(answer, corpus)
    assert found["jardin_59"] < found["jardin_93"]


# ---- the page and the API (database implementation) ------------------------------------------


@pytest.fixture
def indexed(corpus, settings):
    settings.OPENSEARCH_URL = ""
    sync_pages([sheet.pk for sheet in corpus.values()])
    return corpus


def test_the_page_offers_the_territory_filter(client, indexed):
    html = client.get("/recherche/", {"q": "jardins partagés seine saint denis"}).content.decode()
    assert "Filtrer sur Seine-Saint-Denis (93)" in html
    link = "/recherche/?q=jardins+partag%C3%A9s+seine+saint+denis&amp;departement=93"
    assert f'href="{link}"' in html
    # Following it (a plain link: no JavaScript) keeps the 93's items only, and the offer is gone.
    filtered = client.get("/recherche/", {"q": "jardins partagés seine saint denis", "departement": "93"})
    html = filtered.content.decode()
    assert indexed["jardin_93"].title in html and indexed["jardin_59"].title not in html
    assert "Filtrer sur" not in html
    assert 'name="departement" value="93" checked' in html


def test_a_commune_offers_its_departement(client, indexed):
    html = client.get("/recherche/", {"q": "Marseille"}).content.decode()
    assert "Filtrer sur Bouches-du-Rhône (13)" in html


def test_no_offer_without_a_place(client, indexed):
    assert "Filtrer sur" not in client.get("/recherche/", {"q": "100 jeunes"}).content.decode()


def test_api_carries_the_territory(client, indexed):
    body = client.get("/api/v1/search/", {"q": "jardins 93"}).json()
    assert body["territory"] is None  # « jardins 93 »: a number after a word is not clearly a code
    body = client.get("/api/v1/search/", {"q": "jardins partagés dans le 93"}).json()
    assert body["territory"] == {
        "level": "departement",
        "name": "Seine-Saint-Denis",
        "codes": ["93"],
        "facet": "departement",
        "value": "93",
        "label": "Seine-Saint-Denis (93)",
    }
    assert body["results"][0]["id"] == str(indexed["jardin_93"].uuid)
    marseille = client.get("/api/v1/search/", {"q": "marseille"}).json()["territory"]
    assert marseille["level"] == "commune" and marseille["name"] == "Marseille"
    assert (marseille["facet"], marseille["value"]) == ("departement", "13")


def test_the_orm_path_of_the_demo_puts_the_place_first(indexed, monkeypatch):
    """SQLite (`make run`) takes the ORM path of the fallback: run it here on the same entries."""
    from types import SimpleNamespace

    from search import fallback

    monkeypatch.setattr(fallback, "connection", SimpleNamespace(vendor="sqlite"))
    database = fallback.DatabaseSearch()
    found = positions(database.search(SearchParams(q="jardins partagés Seine-Saint-Denis", page_size=200)), indexed)
    assert found["jardin_93"] < found["jardin_59"]
    answer = database.search(SearchParams(q="Marseille", page_size=200))
    found = positions(answer, indexed)
    assert max(found["belle_de_mai"], found["flamants"]) < found["lyon_names_marseille"]
    assert "aix" not in found
