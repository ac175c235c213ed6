"""One contract, two implementations: the engine (OpenSearch node) and the database fallback."""

import pytest

from resources.experiences.models import ExperienceSheetPage
from search.indexing import FACETS, title_key
from search.params import SearchParams
from search.queue import drain

from .conftest import refresh

pytestmark = pytest.mark.django_db


def search(service, q="", sort="relevance", **filters):
    filters = {k: v if isinstance(v, list) else [v] for k, v in filters.items()}
    # One page holds every match: the demo content competes with the corpus.
    params = SearchParams(q=q, sort=sort, filters=filters, page_size=200)
    return service.search(params)


def titles(answer):
    return [result["title"] for result in answer["results"]]


def test_result_shape(service, corpus):
    answer = search(service, "Zorblax")
    assert set(answer) == {"count", "results", "facets", "suggestion"}
    result = answer["results"][0]
    assert set(result) == {"id", "type", "title", "url", "centre", "date", "highlight", "also_published_by"}
    assert result["also_published_by"] == []
    assert result["id"] == str(corpus["egalite"].uuid)
    assert result["type"] == "fiche-experience" and result["centre"] == "irev"
    assert result["url"] == corpus["egalite"].url
    assert set(answer["facets"]) == set(FACETS)


@pytest.mark.parametrize("query", ["egalite des chances", "l'egalite", "ÉGALITÉ", "d'égalité"])
def test_accent_and_elision_insensitive(service, corpus, query):
    assert corpus["egalite"].title in titles(search(service, query))


@pytest.mark.parametrize(
    "query, key",
    [("jardin partage", "jardins"), ("atelier sociolinguistique", "asl"), ("collegien", "egalite")],
)
def test_singular_and_plural_match(service, corpus, query, key):
    assert corpus[key].title in titles(search(service, query))


@pytest.mark.parametrize(
    "query, key",
    [
        ("Drastelle QPV", "quartier"),  # acronym finds the expansion…
        ("Plivoune quartier prioritaire", "qpv"),  # …and the expansion finds the acronym
        ("Quimbrelle ASL", "asl"),
    ],
)
def test_synonyms_both_ways(service, corpus, query, key):
    # Every word must match: the marker word alone is not enough, the synonym must too.
    assert corpus[key].title in titles(search(service, query))
    assert corpus[key].title not in titles(search(service, query.split()[0] + " periscolaire"))


def test_filters_and_facet_counts_equal_database_counts(service, corpus):
    answer = search(service, type="fiche-experience", theme="alimentation")
    sheets = ExperienceSheetPage.objects.live().public().filter(themes__slug="alimentation").distinct()
    # The count counts results: the copies of one title (several centres) are one (test_duplicates.py).
    assert answer["count"] == len({title_key("fiche-experience", sheet.title, sheet.pk) for sheet in sheets}) >= 2
    centre_counts = {item["value"]: item["count"] for item in answer["facets"]["centre"]}
    for code in ("irev", "oriv"):
        assert centre_counts[code] == sheets.filter(centre__code=code).count()
    # Disjunctive facet: the theme facet ignores its own filter and counts every theme.
    theme_counts = {item["value"]: item["count"] for item in answer["facets"]["theme"]}
    all_sheets = ExperienceSheetPage.objects.live().public()
    assert theme_counts["insertion"] == all_sheets.filter(themes__slug="insertion").distinct().count()


def test_highlighted_excerpt(service, corpus):
    answer = search(service, "sociolinguistiques")
    result = next(r for r in answer["results"] if r["title"] == corpus["asl"].title)
    assert "<mark>" in result["highlight"]


def test_suggestions_as_you_type(service, corpus):
    suggestions = service.suggest("Quimbr")
    assert {"title": corpus["asl"].title, "url": corpus["asl"].url, "centre": "ORIV"} in suggestions
    assert len(service.suggest("a")) <= 10


@pytest.mark.parametrize(
    "typed, key", [("Zorblax égal", "egalite"), ("zorblax EGALITE", "egalite"), ("Plivoune diag", "qpv")]
)
def test_suggestions_take_every_word_and_the_last_as_a_prefix(service, corpus, typed, key):
    assert corpus[key].title in [s["title"] for s in service.suggest(typed)]


def test_suggestions_are_titles_not_summaries(service, corpus):
    # « Tutorat » is in the summary of the Zorblax sheet, not in its title.
    assert corpus["egalite"].title not in [s["title"] for s in service.suggest("Tutor")]
    assert service.suggest("Zorblax xylophon") == []


def test_similar_items(service, corpus):
    similar = service.similar(corpus["jardins"].pk, kind="fiche-experience")
    ids = [item["id"] for item in similar]
    assert str(corpus["compost"].uuid) in ids
    assert str(corpus["jardins"].uuid) not in ids
    assert {item["type"] for item in similar} == {"fiche-experience"}  # the kind asked for only


def test_sort_by_date(service, corpus):
    answer = search(service, sort="date", centre="irev")
    dates = [r["date"] for r in answer["results"] if r["date"]]
    assert dates == sorted(dates, reverse=True)


def test_unpublished_page_disappears_after_its_task_runs(service, corpus, django_capture_on_commit_callbacks):
    assert corpus["qpv"].title in titles(search(service, "Plivoune"))
    corpus["qpv"].unpublish()
    drain()  # what the worker does when the task runs
    refresh()
    assert corpus["qpv"].title not in titles(search(service, "Plivoune"))


def test_nothing_personal_is_searchable(service, corpus):
    # make_sheet gives every sheet a (hidden) contact: neither name nor e-mail may be found.
    assert search(service, "camille.martin@example.org")["count"] == 0
    assert corpus["egalite"].title not in titles(search(service, "Camille Martin"))
