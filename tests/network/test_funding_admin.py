"""The admin funding simulation: national team only, each step shown, exports, French errors on upload."""

import csv
import io
import json

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from network.reporting.models import TerritoryFigures
from portal.accounts.roles import NATIONAL_ADMINS
from tests.users import make_user

URL = "/admin/financement/simulation/"


@pytest.fixture
def national(demo_content):
    return make_user("national-fin", Group.objects.get(name=NATIONAL_ADMINS))


@pytest.fixture
def year():
    return timezone.now().year - 1  # the demo records the three years before this one


def test_centre_staff_cannot_simulate(client, demo_content, year):
    from portal.centres.models import Centre

    centre = Centre.objects.get(code="irev")
    client.force_login(make_user("moderator-irev", centre.moderators_group))
    # Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message.
    for params in ({"year": year}, {"year": year, "format": "csv"}):
        response = client.get(URL, params)
        assert (response.status_code, response["Location"]) == (302, "/admin/")
    assert client.get("/admin/snippets/reporting/fundingscale/").status_code in (302, 403)


def test_national_team_sees_every_step_from_the_recorded_figures(client, national, year):
    client.force_login(national)
    response = client.get(URL, {"year": year})
    assert response.status_code == 200
    recorded = TerritoryFigures.objects.filter(year=year, centre__state_funded=True).count()
    assert recorded >= 17
    rows = response.context["rows"]
    assert len(rows) == recorded
    reunion = next(row for row in rows if row["code"] == "cr-csur")
    assert (reunion["total_fte"], reunion["state_funding"]) == (3, 123_500)
    assert reunion["bracket"] == "sans effet (outre-mer)"
    assert "Barème 2016" in response.text  # the annex's scale, seeded by a migration
    # Every metropolitan centre gets 144 000 € plus 36 000 € per extra FTE.
    for row in rows:
        if row["overseas"] == "non":
            assert row["state_funding"] == 144_000 + 36_000 * row["extra_fte"]


def test_exports_carry_the_same_figures(client, national, year):
    client.force_login(national)
    shown = client.get(URL, {"year": year}).context["rows"]
    response = client.get(URL, {"year": year, "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][0:2] == ["Code", "Centre"] and len(lines) == len(shown) + 1
    response = client.get(URL, {"year": year, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    table = list(sheet.values)
    header = list(table[0])
    by_code = {line[0]: dict(zip(header, line, strict=True)) for line in table[1:]}
    assert by_code["cr-csur"]["Financement de l'État (€)"] == 123_500
    assert by_code["cr-csur"]["Indice QPV"] == float(next(r for r in shown if r["code"] == "cr-csur")["qpv_index"])


def test_an_uploaded_file_is_simulated_or_refused_in_french(client, national):
    client.force_login(national)
    data = {
        "year": 2016,
        "centres": [
            {"code": "a", "name": "A", "overseas": False, "qpv_count": 7, "median_distance_km": 18},
            {"code": "b", "name": "B", "overseas": False, "qpv_count": 198, "median_distance_km": 161.9},
        ],
    }
    upload = SimpleUploadedFile("centres.json", json.dumps(data).encode(), content_type="application/json")
    response = client.post(URL, {"year": 2030, "input_file": upload})
    assert response.status_code == 200
    assert [row["extra_fte"] for row in response.context["rows"]] == [0, 3]
    data["centres"][1]["qpv_count"] = -3
    upload = SimpleUploadedFile("centres.json", json.dumps(data).encode(), content_type="application/json")
    response = client.post(URL, {"year": 2030, "input_file": upload})
    assert response.status_code == 200 and not response.context["rows"]
    assert "ne peut pas être négatif" in response.content.decode()
    upload = SimpleUploadedFile("centres.json", b"\xff\xfe pas du json", content_type="application/json")
    response = client.post(URL, {"year": 2030, "input_file": upload})
    assert "pas un JSON valide" in response.content.decode()


def test_menu_items_follow_who_may_use_them(client, national):
    from portal.centres.models import Centre

    client.force_login(national)
    menu = client.get("/admin/").content.decode()
    for label in ("Simulation du financement", "Programme national", "Rapports d", "Tableau de bord"):
        assert label in menu, label
    client.force_login(make_user("menu-irev", Centre.objects.get(code="irev").editors_group))
    menu = client.get("/admin/").content.decode()
    assert "Simulation du financement" not in menu
    assert "Programme national" in menu and "Tableau de bord" in menu and "Inscriptions" in menu
