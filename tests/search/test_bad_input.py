"""Bad numbers in the query string: a French message and a 400, never a 500 (HTML page and JSON API)."""

import pytest

pytestmark = pytest.mark.django_db

BAD_NUMBERS = [
    ({"page": "²"}, "Paramètre « page » invalide : « ² »"),
    ({"page": "9" * 5000}, "Paramètre « page » invalide"),
    ({"page": "٣"}, "Paramètre « page » invalide"),
    ({"year": "٢٠٢٤"}, "Année invalide (« year ») : « ٢٠٢٤ »"),
    ({"year": "9" * 5000}, "Année invalide (« year »)"),
    ({"q": "x", "year": "²⁰²⁴"}, "Année invalide (« year »)"),
]


@pytest.mark.parametrize("params, message", BAD_NUMBERS)
def test_search_page_bad_numbers_are_400_in_french(client, params, message):
    response = client.get("/recherche/", {"q": "jardins", **params})
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize("params, message", BAD_NUMBERS)
def test_api_search_bad_numbers_are_400_json_in_french(client, params, message):
    response = client.get("/api/v1/search/", {"q": "jardins", **params})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert message in response.json()["detail"]


def test_unknown_type_names_the_resource_type_filter(client):
    response = client.get("/api/v1/search/", {"type": "licorne"})
    assert response.status_code == 400
    assert response.json()["detail"] == "Valeur inconnue pour le filtre type de ressource (« type ») : « licorne »."


def test_every_declared_kind_is_an_accepted_type(client):
    from portal.core.kinds import declared_models

    for kind in declared_models().values():
        assert client.get("/api/v1/search/", {"type": kind.slug}).status_code == 200, kind.slug
