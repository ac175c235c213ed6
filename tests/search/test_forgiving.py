"""Search forgives, on the engine and on the database fallback (PostgreSQL here; SQLite in
test_sqlite_fallback.py): hyphens, plurals, accents, « Vouliez-vous dire » from the indexed words,
and an empty result page that offers a way out."""

import re

import pytest

from portal.centres.models import Centre
from search import spelling
from search.models import SearchWord
from search.normalise import index_text, query_concepts
from search.params import SearchParams
from tests.resources.sheets import make_sheet

pytestmark = pytest.mark.django_db

# Each title starts with a marker word found nowhere else; the words around it are the test.
FORGIVING = {
    "relais_hyphen": (
        "irev",
        "Vrombelle : deux adultes-relais au collège",
        "Les adultes-relais accueillent les familles.",
    ),
    "relais_space": ("oriv", "Vrombelle : un adulte relais à la gare", "Un adulte relais pour les voyageurs."),
    "asl_hyphen": ("irev", "Vrombelle : ateliers socio-linguistiques des parents", "Apprendre le français."),
    "asl_solid": ("oriv", "Vrombelle : les ateliers sociolinguistiques du centre social", "Des parents apprennent."),
    "mediation": ("irev", "Vrombelle : médiation sociale de nuit", "La médiation apaise les conflits du quartier."),
    "jardins": ("oriv", "Vrombelle : jardins partagés et compost", "Un jardin partagé au pied des tours."),
}


@pytest.fixture
def corpus(portal_tree):
    """Overrides the shared corpus: the `service` fixture (database, engine) indexes these sheets."""
    return {
        key: make_sheet(Centre.objects.get(code=centre), title, summary=summary, themes=["education"])
        for key, (centre, title, summary) in FORGIVING.items()
    }


def found(service, q, **filters):
    params = SearchParams(q=q, filters={k: [v] for k, v in filters.items()}, page_size=200)
    return {result["title"] for result in service.search(params)["results"]}


def ours(service, corpus, q):
    return found(service, q) & {sheet.title for sheet in corpus.values()}


def titles(corpus, *keys):
    return {corpus[key].title for key in keys}


def test_normalisation_is_the_same_on_both_sides():
    assert index_text("Les adultes-relais d'Aubervilliers") == " les adultesrelai adulte relai aubervillier"
    assert query_concepts("adultes-relais") == query_concepts("adulte relais") == [["adulte relai"]]
    # A compound is its split and its joined form; the joined form finds a synonym too.
    assert query_concepts("socio-linguistique Vrombelle") == [
        ["socio linguistique", "sociolinguistique"],
        ["vrombelle"],
    ]
    assert ["asl", "atelier sociolinguistique"] in query_concepts("ateliers socio-linguistiques")
    assert query_concepts("travaux sociaux nouveaux") == [["traval"], ["social"], ["nouveau"]]


@pytest.mark.parametrize("query", ["adulte relais", "adultes-relais", "adultes relais", "Adulte-Relais"])
def test_hyphenated_and_spaced_compounds_find_the_same(service, corpus, query):
    assert ours(service, corpus, query) == titles(corpus, "relais_hyphen", "relais_space")


@pytest.mark.parametrize(
    "query", ["ateliers socio-linguistiques", "ateliers sociolinguistiques", "atelier socio-linguistique"]
)
def test_joined_and_split_compounds_find_the_same(service, corpus, query):
    assert ours(service, corpus, query) == titles(corpus, "asl_hyphen", "asl_solid")


@pytest.mark.parametrize(
    "singular, plural", [("jardin partagé", "jardins partagés"), ("atelier", "ateliers"), ("parent", "parents")]
)
def test_plural_and_singular_find_the_same(service, corpus, singular, plural):
    assert ours(service, corpus, singular) == ours(service, corpus, plural) != set()


def test_accents_left_out(service, corpus):
    assert (
        ours(service, corpus, "mediation sociale")
        == ours(service, corpus, "Médiation Sociale")
        == titles(corpus, "mediation")
    )


def test_a_typo_finds_or_is_corrected(service, corpus):
    """The engine matches « mediaton » itself (fuzzy); the database proposes « médiation », which finds."""
    from search.indexing import documents_for, write_entries

    write_entries(documents_for([sheet.pk for sheet in corpus.values()]))  # the vocabulary (outbox)
    answer = service.search(SearchParams(q="mediaton"))
    if service.name == "database":
        assert answer["count"] == 0 and answer["suggestion"] == "médiation"
        assert corpus["mediation"].title in found(service, answer["suggestion"])
    else:
        assert corpus["mediation"].title in {result["title"] for result in answer["results"]}


def test_did_you_mean_is_accented_and_keeps_the_known_words(service, corpus):
    from search.indexing import documents_for, write_entries

    write_entries(documents_for([sheet.pk for sheet in corpus.values()]))  # the vocabulary (outbox)
    # A word no typo tolerance finds makes the engine's count 0 too.
    answer = service.search(SearchParams(q="Vrombelle mediaton zqxwv"))
    assert answer["count"] == 0
    assert answer["suggestion"].lower() == "vrombelle médiation zqxwv"  # the engine's words are lower case


def test_vocabulary_follows_the_entries(corpus, settings):
    from search.indexing import sync_pages

    settings.OPENSEARCH_URL = ""
    sync_pages([sheet.pk for sheet in corpus.values()])
    assert SearchWord.objects.get(word="mediation").display == "médiation"
    assert SearchWord.objects.get(word="vrombelle").entries == len(FORGIVING)
    sheet = corpus["mediation"]
    sheet.title = "Vrombelle : veille de nuit"
    sheet.summary = "Des veilleurs."
    sheet.save_revision().publish()
    sync_pages([sheet.pk])
    assert not SearchWord.objects.filter(word="apaise").exists()  # no entry holds it any more
    assert SearchWord.objects.get(word="veilleurs").entries == 1
    counted = dict(SearchWord.objects.values_list("word", "entries"))
    spelling.rebuild()  # a recount from the entries agrees with the kept counts
    assert dict(SearchWord.objects.values_list("word", "entries")) == counted


@pytest.mark.parametrize("implementation", ["database", "engine"])
def test_empty_page_offers_a_way_out(client, request, corpus, settings, implementation):
    from search.indexing import documents_for, sync_pages, write_entries

    from .conftest import rebuild

    if implementation == "engine":
        request.getfixturevalue("search_engine")
        rebuild()
        write_entries(documents_for([sheet.pk for sheet in corpus.values()]))  # the vocabulary (outbox)
    else:
        settings.OPENSEARCH_URL = ""
        sync_pages([sheet.pk for sheet in corpus.values()])
    response = client.get("/recherche/", {"q": "Vrombelle mediaton zqxwv"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Aucun résultat" in html and "0 résultat" not in html
    suggestion = re.search(r'Vouliez-vous dire : <a href="/recherche/\?q=([^"]+)">([^<]+)</a>', html)
    assert suggestion and suggestion.group(2).lower() == "vrombelle médiation zqxwv"
    assert suggestion.group(1).lower() == "vrombelle+m%c3%a9diation+zqxwv"
    assert '<a href="/bibliotheque/">Parcourir la bibliothèque de ressources</a>' in html
    assert '<a href="/recherche/?type=dossier">Consulter les dossiers thématiques</a>' in html
    assert corpus["mediation"].title in client.get("/recherche/", {"q": "médiation"}).content.decode()
    # The médiation sheet is irev's: dropping the centre finds it, dropping the theme does not.
    html = client.get(
        "/recherche/", {"q": "Vrombelle médiation", "centre": "oriv", "theme": "education"}
    ).content.decode()
    assert "Aucun résultat" in html and "Vouliez-vous dire" not in html
    centre, theme = html.index("Retirer le filtre « Centre : ORIV »"), html.index("Retirer le filtre « Thème : ")
    assert centre < theme  # the filter whose removal gives results first
    assert '<a href="/recherche/?q=Vrombelle+m%C3%A9diation&amp;theme=education">' in html
    assert "(1 résultat)" in html[centre:theme] and "(aucun résultat)" in html[theme:]
