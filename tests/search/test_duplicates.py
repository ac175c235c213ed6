"""The same title published by several centres is one result, « Également publié par » the others.

On the engine (field collapsing), the PostgreSQL fallback and the fallback's ORM path (SQLite's,
run here on PostgreSQL by making the fallback believe it is not). Documents made by the tests.
"""

from datetime import date
from types import SimpleNamespace

import pytest
from defusedxml import ElementTree
from wagtail.models import PageViewRestriction

from portal.centres.models import Centre
from search.indexing import sync_pages, title_key
from search.params import SearchParams
from search.queue import drain
from tests.resources.sheets import make_sheet

from .conftest import rebuild, refresh

pytestmark = pytest.mark.django_db

CENTRES = ("irev", "oriv", "crpv-guyane")
# Three centres publish the same guide, typed three ways (case, accents, punctuation, spaces).
GUIDE_TITLES = (
    "Vexariel : guide des ateliers sociolinguistiques",
    "VEXARIEL – Guide des ateliers sociolinguistiques",
    "Vexariel  guide des Ateliers Sociolinguistiques !",
)
# Five more titles, each published by two centres, and one published once: seven groups, 14 sheets.
CYCLES = [f"Vexariel : cycle de qualification n° {n}" for n in range(1, 6)]


@pytest.fixture
def corpus(portal_tree):
    centres = [Centre.objects.get(code=code) for code in CENTRES]
    sheets = {"guide": []}
    written = (date(2024, 3, 1), date(2025, 6, 1), date(2023, 1, 9))
    for centre, title, written_on in zip(centres, GUIDE_TITLES, written, strict=True):
        sheets["guide"].append(
            make_sheet(centre, title, summary=f"Guide de {centre.name}.", themes=["insertion"], written_on=written_on)
        )
    for n, title in enumerate(CYCLES):
        sheets[title] = [
            make_sheet(centres[(n + i) % 3], title, summary="Un cycle de qualification.", themes=["education"])
            for i in range(2)
        ]
    sheets["alone"] = [make_sheet(centres[0], "Vexariel : une fiche sans copie", themes=["education"])]
    return sheets


def all_sheets(corpus):
    return [sheet for copies in corpus.values() for sheet in copies]


@pytest.fixture(params=["engine", "database", "orm"])
def service(request, db, settings, monkeypatch, corpus):
    from search import fallback
    from search.backends import implementation

    if request.param == "engine":
        request.getfixturevalue("search_engine")
        rebuild()
    else:
        settings.OPENSEARCH_URL = ""
        sync_pages([sheet.pk for sheet in all_sheets(corpus)])
        if request.param == "orm":
            monkeypatch.setattr(fallback, "connection", SimpleNamespace(vendor="sqlite"))
    return implementation()


def copy_urls(result):
    return [result["url"], *(other["url"] for other in result["also_published_by"])]


def search(service, q="Vexariel", page=1, page_size=20, sort="relevance", **filters):
    filters = {name: [value] for name, value in filters.items()}
    return service.search(SearchParams(q=q, filters=filters, sort=sort, page=page, page_size=page_size))


def test_three_copies_are_one_result_published_by_the_two_others(service, corpus):
    answer = search(service, "Vexariel guide ateliers")
    assert answer["count"] == 1
    [result] = answer["results"]
    guide = {sheet.url: sheet for sheet in corpus["guide"]}
    shown = guide.pop(result["url"])
    assert result["title"] == shown.title
    assert result["also_published_by"] == sorted(
        ({"centre": sheet.centre.code, "url": sheet.url} for sheet in guide.values()), key=lambda c: c["centre"]
    )


def test_no_title_twice_on_a_first_page_and_facets_count_documents(service, corpus):
    answer = search(service)
    titles = [title_key("fiche-experience", result["title"], 0) for result in answer["results"]]
    assert len(answer["results"]) == 7 == answer["count"]  # groups, not the 14 sheets
    assert len(set(titles)) == len(titles)
    assert all(result["also_published_by"] == [] for result in answer["results"] if "sans copie" in result["title"])
    centres = {item["value"]: item["count"] for item in answer["facets"]["centre"]}
    for code in CENTRES:
        assert centres[code] == sum(sheet.centre.code == code for sheet in all_sheets(corpus))
    themes = {item["value"]: item["count"] for item in answer["facets"]["theme"]}
    assert themes["education"] == 11 and themes["insertion"] == 3
    # A filter counts the groups it keeps: the guide and three of the cycles have a copy in Guyane.
    filtered = search(service, centre="crpv-guyane")
    assert filtered["count"] == len(filtered["results"]) == 4
    assert {item["value"]: item["count"] for item in filtered["facets"]["centre"]} == centres


@pytest.mark.parametrize("sort", ["relevance", "date"])
def test_pages_do_not_repeat_groups(service, corpus, sort):
    pages = [search(service, page=n, page_size=3, sort=sort) for n in (1, 2, 3)]
    urls = [[result["url"] for result in page["results"]] for page in pages]
    assert [len(page) for page in urls] == [3, 3, 1]
    assert all(page["count"] == 7 for page in pages)
    every_copy = [url for page in pages for result in page["results"] for url in copy_urls(result)]
    assert sorted(every_copy) == sorted(sheet.url for sheet in all_sheets(corpus))  # each sheet once


def test_newest_copy_stands_for_its_group_under_date_sort(service, corpus):
    [result] = search(service, "Vexariel guide ateliers", sort="date")["results"]
    assert result["url"] == corpus["guide"][1].url  # written in 2025


def test_a_copy_no_longer_public_disappears(service, corpus):
    first, second, third = corpus["guide"]
    second.unpublish()
    drain()  # what the worker does when the task runs
    refresh()
    [result] = search(service, "Vexariel guide ateliers")["results"]
    assert set(copy_urls(result)) == {first.url, third.url}
    assert len(result["also_published_by"]) == 1


def test_a_copy_restricted_before_the_index_knows_is_not_shown(service, corpus):
    # The outbox has not run: the index still holds every copy; the query side drops the private one,
    # and another copy stands in when it was the one to show.
    shown = search(service, "Vexariel guide ateliers")["results"][0]["url"]
    hidden = next(sheet for sheet in corpus["guide"] if sheet.url == shown)
    PageViewRestriction.objects.create(page=hidden, restriction_type=PageViewRestriction.LOGIN)
    answer = search(service, "Vexariel guide ateliers")
    [result] = answer["results"]
    urls = set(copy_urls(result))
    assert hidden.url not in urls and len(urls) == 2 and answer["count"] == 1


# ---- page, feed and API (database implementation) ------------------------------------------


@pytest.fixture
def indexed(corpus, settings):
    settings.OPENSEARCH_URL = ""
    sync_pages([sheet.pk for sheet in all_sheets(corpus)])
    return corpus


def test_search_page_shows_also_published_by_with_links(client, indexed):
    html = client.get("/recherche/", {"q": "Vexariel guide ateliers"}).content.decode()
    assert html.count('class="result"') == 1
    assert "Également publié par :" in html
    linked = [sheet for sheet in indexed["guide"] if f'<a href="{sheet.url}">{sheet.centre.name}</a>' in html]
    assert len(linked) == 2


def test_feed_has_one_item_per_group(client, indexed):
    feed = ElementTree.fromstring(client.get("/recherche/flux.rss", {"q": "Vexariel"}).content)
    titles = [item.findtext("title") for item in feed.iter("item")]
    assert len(titles) == 7 and sum("guide" in title.lower() for title in titles) == 1


def test_api_gives_also_published_by(client, indexed):
    results = client.get("/api/v1/search/", {"q": "Vexariel"}).json()["results"]
    alone = next(r for r in results if "sans copie" in r["title"])
    assert alone["also_published_by"] == []
    guide = next(r for r in results if "guide" in r["title"].lower())
    assert {other["centre"] for other in guide["also_published_by"]} | {guide["centre"]} == set(CENTRES)
