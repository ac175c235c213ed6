"""Which facets are counted (`facets=`), and how the engine counts them: exact, in a request it may cache."""

from collections import Counter

import pytest

from resources.experiences.models import ExperienceSheetPage
from search.indexing import FACETS
from search.params import SearchParams

pytestmark = pytest.mark.django_db


def counts(answer, facet):
    return {item["value"]: item["count"] for item in answer["facets"][facet]}


@pytest.mark.parametrize("filters", [{}, {"theme": ["alimentation"]}, {"theme": ["alimentation"], "centre": ["irev"]}])
def test_asking_for_some_facets_gives_the_same_counts_as_asking_for_all(service, corpus, filters):
    everything = service.search(SearchParams(filters=filters, page_size=50))
    some = service.search(SearchParams(filters=filters, page_size=50, facets=("centre", "theme", "year")))
    assert list(some["facets"]) == ["centre", "theme", "year"]
    for facet in some["facets"]:
        assert some["facets"][facet] == everything["facets"][facet]
    assert some["count"] == everything["count"] and some["results"] == everything["results"]


def test_no_facet_keeps_the_count_and_the_results(service, corpus):
    everything = service.search(SearchParams(q="jardins partagés"))
    none = service.search(SearchParams(q="jardins partagés", facets=()))
    assert none["facets"] == {}
    assert none["count"] == everything["count"] >= 2 and none["results"] == everything["results"]


def test_facet_counts_with_three_filters_equal_database_counts(service, corpus):
    """Facets without a filter of their own count within every filter (one shared aggregation on the
    engine); each filtered facet within the other filters only."""
    filters = {"type": ["fiche-experience"], "theme": ["alimentation"], "centre": ["irev"]}
    answer = service.search(SearchParams(filters=filters))
    live = ExperienceSheetPage.objects.live().public()
    chosen = live.filter(themes__slug="alimentation", centre__code="irev")  # one row per sheet
    assert answer["count"] == chosen.count() >= 1
    regions = Counter(chosen.values_list("region__code", flat=True))
    assert counts(answer, "region") == {code: n for code, n in regions.items() if code}
    in_irev = live.filter(centre__code="irev")
    themes = Counter(in_irev.values_list("themes__slug", flat=True))
    assert counts(answer, "theme") == {slug: n for slug, n in themes.items() if slug}
    alimentation = live.filter(themes__slug="alimentation")
    assert counts(answer, "centre") == dict(Counter(alimentation.values_list("centre__code", flat=True)))
    assert counts(answer, "centre")["oriv"] >= 1


@pytest.mark.opensearch
def test_the_engine_caches_the_count_and_facets_until_the_index_changes(search_engine, corpus):
    from .conftest import rebuild

    rebuild()
    from search.queries import EngineSearch

    engine_search = EngineSearch(search_engine.get_client())
    client, index = search_engine.get_client(), search_engine.alias_name()

    def cache_hits():
        stats = client.indices.stats(index=index, metric="request_cache")
        return stats["_all"]["total"]["request_cache"]["hit_count"]

    params = SearchParams(q="jardins", filters={"theme": ["alimentation"]})
    first = engine_search.search(params)
    before = cache_hits()
    second = engine_search.search(params)
    assert cache_hits() == before + 1  # the count and facets came from the cache…
    assert second == first  # …the same as computed


@pytest.mark.opensearch
def test_a_refused_request_of_the_pair_answers_from_the_database(search_engine, corpus):
    """`_msearch` answers 200 with an error in place of the refused request: it must not pass."""
    from search.breaker import breaker
    from search.indexing import sync_pages
    from search.service import get_service

    from .conftest import rebuild

    rebuild()
    sync_pages([corpus["jardins"].pk])
    # `summary` is a text field: the engine refuses to count its values (the page request succeeds).
    answer = get_service().search(SearchParams(q="Frumidor", facets=("summary",)))
    assert answer["count"] == 1 and answer["results"][0]["title"] == corpus["jardins"].title
    assert breaker.failures == 1  # answered by the database after the engine's refusal


BAD_FACETS = [
    ("licorne", "Facette inconnue (« facets ») : « licorne » ; valeurs possibles : type, centre, region"),
    ("theme,licorne", "Facette inconnue (« facets ») : « licorne »"),
    ("none,theme", "« none » (aucune facette) ne se combine pas avec une facette"),
]


@pytest.mark.parametrize("value, message", BAD_FACETS)
def test_api_bad_facets_are_400_json_in_french(client, value, message):
    response = client.get("/api/v1/search/", {"q": "jardins", "facets": value})
    assert response.status_code == 400
    assert message in response.json()["detail"]


@pytest.mark.parametrize("value, message", BAD_FACETS[:1])
def test_search_page_bad_facets_are_400_in_french(client, value, message):
    response = client.get("/recherche/", {"q": "jardins", "facets": value})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "value, expected",
    [
        (None, FACETS),
        ("", FACETS),
        ("none", []),
        ("year,theme", ["theme", "year"]),  # in display order
        ("theme&facets=centre", ["centre", "theme"]),  # repeated
        (" theme , theme ", ["theme"]),
    ],
)
def test_api_facets_parameter(client, portal_tree, value, expected):
    query = "q=jardins" + (f"&facets={value}" if value is not None else "")
    response = client.get(f"/api/v1/search/?{query}")
    assert response.status_code == 200
    assert list(response.json()["facets"]) == list(expected)
