"""A page type that declares a content kind is searched, filtered and labelled with no edit under search/.

The dummy kind lives in tests/kinds_app (installed by the test settings only); its model declares
`content_kind` and a `search_document()` giving only a title and a summary.
"""

from datetime import date

import pytest
from wagtail.models import Site

from search.params import SearchParams
from tests.kinds_app.models import TestNoticePage

from .conftest import rebuild

pytestmark = pytest.mark.django_db

MARKER = "Quastrophile"


@pytest.fixture
def notice(portal_tree):
    home = Site.objects.get(is_default_site=True).root_page
    page = TestNoticePage(
        title=f"{MARKER} : note de démonstration",
        slug="note-quastrophile",
        notice_date=date(2023, 5, 4),
        summary="Une note sur la médiation sociale.",
    )
    home.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


@pytest.fixture(params=["database", "engine"])
def kind_service(request, settings, notice):
    """The implementation in use, with the notice indexed in it."""
    from search.backends import implementation
    from search.indexing import sync_pages

    if request.param == "engine":
        request.getfixturevalue("search_engine")
        rebuild()
    else:
        settings.OPENSEARCH_URL = ""
        sync_pages([notice.pk])
    return implementation()


def test_declared_kind_is_in_results_with_its_date(kind_service, notice):
    answer = kind_service.search(SearchParams(q=MARKER))
    assert answer["count"] == 1
    result = answer["results"][0]
    assert (result["type"], result["date"], result["url"]) == ("note-test", "2023-05-04", notice.url)


def test_declared_kind_is_a_type_facet_value_with_its_label(kind_service):
    facet = {item["value"]: item for item in kind_service.search(SearchParams(q=MARKER))["facets"]["type"]}
    assert facet["note-test"]["label"] == "Note de test" and facet["note-test"]["count"] == 1
    years = [item["value"] for item in kind_service.search(SearchParams(q=MARKER))["facets"]["year"]]
    assert years == ["2023"]


def test_declared_kind_filters_the_results(kind_service):
    answer = kind_service.search(SearchParams(filters={"type": ["note-test"]}))
    assert [result["type"] for result in answer["results"]] == ["note-test"]


def test_search_page_shows_the_kind_label_and_accepts_its_type(client, kind_service, notice):
    response = client.get("/recherche/", {"q": MARKER, "type": "note-test"})
    html = response.content.decode()
    assert response.status_code == 200
    assert notice.title in html
    assert "Note de test" in html  # the result's kind and the facet value
    assert 'name="type" value="note-test" checked' in html
