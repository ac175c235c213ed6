"""Events and cycles in search (engine and fallback): their own type values, dated by their start."""

import pytest

from search.params import SearchParams
from tests.search.conftest import rebuild, search_engine  # noqa: F401 - the engine fixture

from .factories import at, make_cycle, make_event

pytestmark = pytest.mark.django_db
MARKER = "Zorglubienne"


@pytest.fixture(params=["database", "engine"])
def service(request, settings):
    from search.backends import implementation
    from search.indexing import sync_pages

    event = make_event("oriv", f"Rencontre {MARKER}", start=at(2019, 11, 5, 9))  # long past: still findable
    cycle = make_cycle("oriv", f"Cycle {MARKER}")
    if request.param == "engine":
        request.getfixturevalue("search_engine")
        rebuild()
    else:
        settings.OPENSEARCH_URL = ""
        sync_pages([event.pk, cycle.pk])
    return implementation()


def test_events_and_cycles_are_found_with_their_type_and_start_date(service):
    answer = service.search(SearchParams(q=MARKER))
    found = {result["type"]: result["date"] for result in answer["results"]}
    assert found == {"evenement": "2019-11-05", "cycle-qualification": "2031-04-02"}
    facet = {item["value"]: item["label"] for item in answer["facets"]["type"]}
    assert facet["evenement"] == "Événement" and facet["cycle-qualification"] == "Cycle de qualification"
    only_cycles = service.search(SearchParams(q=MARKER, filters={"type": ["cycle-qualification"]}))
    assert [result["type"] for result in only_cycles["results"]] == ["cycle-qualification"]
