"""A page that is not public (view restriction on it or an ancestor) is never found by search,
on both implementations: results, suggestions, the RSS feed, similar items on sheet pages."""

import pytest
from defusedxml import ElementTree
from wagtail.models import PageViewRestriction

from portal.centres.models import CentrePage
from search.models import IndexQueue, SearchEntry
from search.queue import drain

from .conftest import refresh

pytestmark = pytest.mark.django_db


def restrict(page):
    return PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)


def found(service, q):
    from urllib.parse import urlencode

    from django.http import QueryDict

    from search.params import parse

    return [item["title"] for item in service.search(parse(QueryDict(urlencode({"q": q}))))["results"]]


def suggested(service, q):
    return [item["title"] for item in service.suggest(q)]


def similar(service, page):
    return [item["title"] for item in service.similar(page.pk)]


def sync():
    drain()
    refresh()


@pytest.fixture(autouse=True)
def drained(service):
    """The corpus's own publications are synced first: what is queued after comes from the test."""
    sync()
    assert not IndexQueue.objects.exists()


def test_a_restricted_page_leaves_search_and_comes_back_when_the_restriction_goes(service, corpus):
    sheet = corpus["jardins"]
    assert found(service, "Frumidor") == [sheet.title]
    restriction = restrict(sheet)
    assert IndexQueue.objects.filter(page_id=sheet.pk).exists(), "a restriction goes through the outbox"
    sync()
    assert found(service, "Frumidor") == []
    assert suggested(service, "Frumid") == []
    assert sheet.title not in similar(service, corpus["compost"])
    assert not SearchEntry.objects.filter(page_id=sheet.pk).exists()

    restriction.delete()
    sync()
    assert found(service, "Frumidor") == [sheet.title]
    assert suggested(service, "Frumid") == [sheet.title]


def test_a_restriction_on_an_ancestor_hides_every_descendant(service, corpus):
    section = CentrePage.objects.get(centre__code="irev")
    restrict(section)
    sync()
    irev_titles = {corpus[key].title for key in ("egalite", "qpv", "jardins")}
    assert not irev_titles & set(found(service, "Zorblax Plivoune Frumidor jardins QPV égalité"))
    assert found(service, "Zorblax") == [] and found(service, "Plivoune") == []
    assert not SearchEntry.objects.filter(page_id__in=[corpus[key].pk for key in ("egalite", "qpv", "jardins")])
    assert found(service, "Grelinotte") == [corpus["compost"].title]  # oriv is untouched


def test_a_stale_index_never_returns_a_private_page(service, corpus, client):
    """Even if the outbox has not run (or was lost), queries check that pages are public."""
    sheet = corpus["jardins"]
    restrict(sheet)
    IndexQueue.objects.all().delete()  # the index still holds the page
    assert SearchEntry.objects.filter(page_id=sheet.pk).exists()

    assert found(service, "Frumidor") == []
    assert suggested(service, "Frumid") == []
    assert sheet.title not in similar(service, corpus["compost"])
    assert corpus["compost"].title in found(service, "jardins partagés")

    feed = client.get("/recherche/flux.rss", {"q": "jardins partagés"})
    titles = [item.findtext("title") for item in ElementTree.fromstring(feed.content).iter("item")]
    assert sheet.title not in titles and corpus["compost"].title in titles
    api = client.get("/api/v1/search/", {"q": "Frumidor"}).json()
    assert api["results"] == []
    assert client.get("/api/v1/search/suggest/", {"q": "Frumid"}).json()["suggestions"] == []
    page = client.get(corpus["compost"].url).content.decode()
    assert "Expériences similaires" not in page or sheet.title not in page.split("Expériences similaires", 1)[1]
    assert sheet.title not in client.get("/recherche/", {"q": "Frumidor"}).content.decode()


def test_an_unpublished_page_missed_by_the_outbox_is_not_returned(service, corpus):
    sheet = corpus["qpv"]
    type(sheet).objects.filter(pk=sheet.pk).update(live=False)  # no signal: the index is stale
    assert found(service, "Plivoune") == []
    assert suggested(service, "Plivou") == []
