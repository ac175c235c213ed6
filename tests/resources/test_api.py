"""The open API: SPEC §3 items, filters, open-data exports, schema, OpenAPI; never drafts or hidden contacts."""

import csv
import io
import json

import pytest
from django.test import Client

from portal.centres.models import CentrePage
from resources.experiences.models import ExperienceSheetPage

from .sheets import make_sheet

pytestmark = pytest.mark.django_db


def test_list_returns_every_live_sheet_in_the_common_format(client, portal_tree):
    draft = make_sheet(portal_tree["irev"], "Brouillon de l'API", publish=False)
    response = client.get("/api/v1/experiences/", {"page_size": 100})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == ExperienceSheetPage.objects.live().public().count()
    ids = {item["id"] for item in body["results"]}
    assert str(draft.uuid) not in ids
    for item in body["results"]:
        assert item["format"] == "crpv-experience/1"
        assert set(item) >= {"id", "title", "summary", "centre", "territory", "sections", "contact"}


def test_list_filters_and_pagination(client, portal_tree):
    for n in range(3):
        make_sheet(portal_tree["oriv"], f"Santé mentale {n}", themes=["sante"])
    expected = ExperienceSheetPage.objects.live().filter(centre__code="oriv", themes__slug="sante").distinct().count()
    first = client.get("/api/v1/experiences/", {"centre": "oriv", "theme": "sante", "page_size": 2}).json()
    assert first["count"] == expected >= 3
    assert len(first["results"]) == 2 and first["next"] and first["previous"] is None
    assert all(item["centre"] == "oriv" and "sante" in item["themes"] for item in first["results"])
    second = client.get(first["next"]).json()
    assert {i["id"] for i in second["results"]}.isdisjoint({i["id"] for i in first["results"]})


@pytest.mark.parametrize(
    "params, message",
    [
        ({"theme": "astrologie"}, "Valeur inconnue pour le filtre thème (« theme ») : « astrologie »."),
        ({"page": "zéro"}, "Paramètre « page » invalide : « zéro » ; attendu : un entier à partir de 1."),
        ({"page": "²"}, "Paramètre « page » invalide : « ² »"),
        ({"page": "9" * 5000}, "Paramètre « page » invalide : « 9999999999"),
        ({"page_size": "٢٠"}, "Paramètre « page_size » invalide : « ٢٠ »"),
        ({"page_size": "9" * 5000}, "Paramètre « page_size » invalide"),
        ({"year": "٢٠٢٤"}, "Année invalide (« year ») : « ٢٠٢٤ »"),
        ({"year": "2" * 5000}, "Année invalide (« year ») : « 2222"),
        ({"page_size": "1000"}, "Paramètre « page_size » trop grand : 1000 ; maximum 100."),
        ({"page": "999"}, "Page 999 inexistante"),
        ({"year": "20x4"}, "Année invalide"),
    ],
)
def test_bad_parameters_are_400_in_french(client, portal_tree, params, message):
    response = client.get("/api/v1/experiences/", params)
    assert response.status_code == 400
    assert message in response.json()["detail"]


def test_detail_by_uuid_and_hidden_contact(client, portal_tree):
    hidden = make_sheet(portal_tree["irev"], "Contact caché", contact_public=False)
    shown = make_sheet(portal_tree["irev"], "Contact affiché", contact_public=True)
    body = client.get(f"/api/v1/experiences/{hidden.uuid}/").json()
    assert body["id"] == str(hidden.uuid) and body["contact"] is None
    assert "camille.martin@example.org" not in client.get(f"/api/v1/experiences/{hidden.uuid}/").content.decode()
    assert client.get(f"/api/v1/experiences/{shown.uuid}/").json()["contact"]["email"] == "camille.martin@example.org"


def test_detail_never_serves_drafts(client, portal_tree):
    draft = make_sheet(portal_tree["irev"], "Brouillon", publish=False)
    response = client.get(f"/api/v1/experiences/{draft.uuid}/")
    assert response.status_code == 404
    assert "Aucune fiche publiée" in response.json()["detail"]
    assert client.get("/api/v1/experiences/pas-un-uuid/").status_code == 400


def streamed(response):
    """The body of a streamed download; fails if the response was built in memory in one piece."""
    assert response.streaming, "the export must be streamed"
    return b"".join(response.streaming_content).decode("utf-8")


def test_open_data_exports(client, portal_tree):
    hidden = make_sheet(portal_tree["irev"], "Export open data", contact_public=False)
    draft = make_sheet(portal_tree["irev"], "Export brouillon", publish=False)
    response = client.get("/api/v1/experiences/export.json")
    assert response.status_code == 200
    assert "licence-ouverte" in response["Link"]
    body = streamed(response)
    sheets = json.loads(body)
    assert len(sheets) == ExperienceSheetPage.objects.live().public().count()
    ids = {s["id"] for s in sheets}
    assert str(hidden.uuid) in ids and str(draft.uuid) not in ids
    assert "camille.martin@example.org" not in body
    by_id = {s["id"]: s for s in sheets}
    assert by_id[str(hidden.uuid)] == client.get(f"/api/v1/experiences/{hidden.uuid}/").json()

    response = client.get("/api/v1/experiences/export.csv")
    text = streamed(response)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))
    assert len(rows) == len(sheets)
    assert "territory.region" in rows[0]


def test_csv_export_is_sent_in_pieces_of_rows(portal_tree):
    from resources.experiences.codec.csv_format import csv_chunks, sheets_to_csv

    sheets = json.loads(b"".join(Client().get("/api/v1/experiences/export.json").streaming_content))
    chunks = list(csv_chunks(sheets, rows_per_chunk=2))
    assert len(chunks) == len(sheets) // 2 + 1
    assert "".join(chunks) == sheets_to_csv(sheets)


def test_schema_and_openapi_are_served(client):
    schema = client.get("/api/v1/schemas/experience-sheet.json").json()
    assert "format" in schema["properties"] and schema.get("additionalProperties") is False
    openapi = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/experiences/" in openapi["paths"]
    assert "/api/v1/experiences/{sheet_id}/" in openapi["paths"]
    parameters = {p["name"] for p in openapi["paths"]["/api/v1/experiences/"]["get"]["parameters"]}
    assert {"theme", "centre", "region", "page", "page_size"} <= parameters


def test_wagtail_pages_api_hides_drafts(client, portal_tree):
    draft = make_sheet(portal_tree["irev"], "Brouillon v2", publish=False)
    live = make_sheet(portal_tree["irev"], "Publiée v2")
    section = CentrePage.objects.get(centre=portal_tree["irev"])
    params = {"type": "experiences.ExperienceSheetPage", "child_of": section.pk, "limit": 100}
    body = client.get("/api/v2/pages/", params).json()
    ids = {item["id"] for item in body["items"]}
    assert live.id in ids and draft.id not in ids
    assert client.get(f"/api/v2/pages/{draft.id}/").status_code == 404
