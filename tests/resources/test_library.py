"""The library listing, its filters and its feeds, all through the ORM (no search engine)."""

import datetime

import pytest
from defusedxml import ElementTree

from resources.experiences.models import ExperienceSheetPage
from resources.library.filters import parse_filters
from resources.publications.models import PublicationPage

from .sheets import make_sheet

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def live_count(model, **lookups):
    return model.objects.live().public().filter(**lookups).distinct().count()


def test_library_lists_live_sheets_and_publications(client, portal_tree):
    draft = make_sheet(portal_tree["irev"], "Brouillon confidentiel de l'IREV", publish=False)
    response = client.get("/bibliotheque/")
    html = response.content.decode()
    assert response.status_code == 200
    expected = live_count(ExperienceSheetPage) + live_count(PublicationPage)
    assert expected > 0
    assert response.context["results_page"].paginator.count == expected
    assert draft.title not in html
    assert 'href="/bibliotheque/flux.rss"' in html


def test_theme_and_centre_filters_match_database_counts(client, portal_tree):
    make_sheet(portal_tree["oriv"], "Médiation santé à Mulhouse", themes=["sante"])
    response = client.get("/bibliotheque/", {"theme": "sante", "centre": "oriv"})
    expected = live_count(ExperienceSheetPage, themes__slug="sante", centre__code="oriv") + live_count(
        PublicationPage, themes__slug="sante", centre__code="oriv"
    )
    assert response.context["results_page"].paginator.count == expected >= 1
    for item in response.context["items"]:
        assert item.centre.code == "oriv"


def test_type_filter_keeps_only_sheets(client, portal_tree):
    response = client.get("/bibliotheque/", {"type": "fiche-experience"})
    assert response.context["results_page"].paginator.count == live_count(ExperienceSheetPage)
    assert all(isinstance(item, ExperienceSheetPage) for item in response.context["items"])


def test_repeated_values_are_ored(client, portal_tree):
    response = client.get("/bibliotheque/?type=fiche-experience&centre=irev&centre=oriv")
    expected = live_count(ExperienceSheetPage, centre__code__in=["irev", "oriv"])
    assert response.context["results_page"].paginator.count == expected


def test_unknown_filter_values_are_reported_in_french_not_500(client, portal_tree):
    response = client.get("/bibliotheque/", {"theme": "astrologie", "year": "deux-mille"})
    html = response.content.decode()
    assert response.status_code == 400  # the page, with its error list
    assert response.context["items"]  # the valid filters still apply
    assert "Valeur inconnue pour le filtre thème (« theme ») : « astrologie »." in html
    assert "Année invalide" in html


def test_parse_filters_validates_against_vocabularies(portal_tree):
    from django.http import QueryDict

    filters, errors = parse_filters(QueryDict("theme=sante&theme=inconnu&region=84&year=2024"))
    assert filters.theme == ["sante"] and filters.region == ["84"] and filters.year == [2024]
    assert len(errors) == 1 and "inconnu" in errors[0]


def test_pagination_walks_every_item_once(client, portal_tree):
    seen = []
    page, total = 1, None
    while True:
        response = client.get("/bibliotheque/", {"page": page})
        total = response.context["results_page"].paginator.count
        seen += [item.pk for item in response.context["items"]]
        if not response.context["results_page"].has_next():
            break
        page += 1
    assert len(seen) == len(set(seen)) == total


def test_global_rss_feed(client, portal_tree):
    sheet = make_sheet(portal_tree["irev"], "Chantiers éducatifs à Roubaix")
    response = client.get("/bibliotheque/flux.rss")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    titles = [item.findtext("title") for item in root.iter("item")]
    assert sheet.title in titles


def test_filtered_atom_feed_follows_the_listing(client, portal_tree):
    make_sheet(portal_tree["irev"], "Jardins partagés à Lille", themes=["alimentation"])
    make_sheet(portal_tree["oriv"], "Jardins partagés à Strasbourg", themes=["alimentation"])
    response = client.get("/bibliotheque/flux.atom?centre=irev&theme=alimentation")
    assert response.status_code == 200
    root = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in root.iter(f"{ATOM}entry")]
    assert "Jardins partagés à Lille" in titles
    assert "Jardins partagés à Strasbourg" not in titles


def test_feed_with_unknown_filter_is_400_in_french(client, portal_tree):
    response = client.get("/bibliotheque/flux.rss?centre=nulle-part")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "Valeur inconnue pour le filtre centre (« centre ») : « nulle-part »." in response.content.decode()


BAD_NUMBERS = [
    ({"page": "²"}, "Paramètre « page » invalide : « ² »"),
    ({"page": "0"}, "Paramètre « page » invalide : « 0 »"),
    ({"page": "9" * 5000}, "Paramètre « page » invalide : « 9999999999"),
    ({"year": "٢٠٢٤"}, "Année invalide (« year ») : « ٢٠٢٤ »"),
    ({"year": "2" * 5000}, "Année invalide (« year ») : « 2222"),
]


@pytest.mark.parametrize("params, message", BAD_NUMBERS)
def test_bad_numbers_on_the_library_are_400_with_the_error_list(client, portal_tree, params, message):
    response = client.get("/bibliotheque/", params)
    assert response.status_code == 400
    assert message in " ".join(response.context["filter_errors"])
    assert message in response.content.decode()


@pytest.mark.parametrize("feed", ["flux.rss", "flux.atom"])
@pytest.mark.parametrize("params, message", [case for case in BAD_NUMBERS if "year" in case[0]])
def test_bad_numbers_on_the_feeds_are_400_in_french(client, portal_tree, feed, params, message):
    response = client.get(f"/bibliotheque/{feed}", params)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_dates_are_local_in_the_listing_and_the_search_document(client, portal_tree):
    # First published at 23:30 UTC on 31 December 2024: 1 January 2025 in Paris.
    sheet = make_sheet(portal_tree["irev"], "Publiée à la Saint-Sylvestre")
    new_year_eve = datetime.datetime(2024, 12, 31, 23, 30, tzinfo=datetime.UTC)
    ExperienceSheetPage.objects.filter(pk=sheet.pk).update(first_published_at=new_year_eve)
    sheet.refresh_from_db()
    listed = client.get("/bibliotheque/", {"type": "fiche-experience", "year": "2025"}).context["items"]
    assert sheet.pk in [item.pk for item in listed]
    from search.indexing import document_for  # search fills the date from the kind's declaration

    assert document_for(sheet)["date"] == datetime.date(2025, 1, 1)
