"""The dashboard: bounded queries, who sees which centres, exports, PDF with the same charts."""

import io

import openpyxl
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from network.reporting.dashboard import build
from network.reporting.models import DashboardPublication
from portal.accounts.roles import NATIONAL_ADMINS
from portal.centres.models import Centre
from tests.users import make_user

URL = "/admin/tableau-de-bord/"


@pytest.fixture
def year():
    return timezone.now().year - 1  # the demo's last reported year


def test_queries_do_not_grow_with_centres_or_years(demo_content, year):
    centres = list(Centre.objects.order_by("code"))
    build(year, centres[:2], trend_years=2)  # warm the caches (content types, sites)
    with CaptureQueriesContext(connection) as few:
        build(year, centres[:2], trend_years=2)
    with CaptureQueriesContext(connection) as many:
        dashboard = build(year, centres, trend_years=10)
    assert len(many) == len(few) <= 20
    assert len(dashboard.years) == 10 and len(dashboard.rows) == len(centres)


def test_totals_are_the_sum_of_the_centres(demo_content, year):
    this_year = build(year + 1)  # the demo agenda is dated around today
    assert this_year.national["events"] == sum(row["events"] for row in this_year.rows.values()) > 0
    assert this_year.national["present"] == sum(row["present"] for row in this_year.rows.values()) > 0
    assert this_year.trends["events"][-1] == this_year.national["events"]
    last_year = build(year)  # the demo's reports and territory figures are for the years before
    assert {name for name, _results in last_year.grid} == {centre.name for centre in last_year.centres}
    assert last_year.budgets and last_year.coverage


def test_national_team_sees_every_centre_and_a_centre_its_own(client, demo_content, year):
    client.force_login(make_user("dash-nat", Group.objects.get(name=NATIONAL_ADMINS)))
    response = client.get(URL, {"annee": year})
    assert response.status_code == 200
    assert len(response.context["dashboard"].centres) == Centre.objects.filter(state_funded=True).count()
    assert response.content.decode().count("<svg") >= 3 and "<caption>" in response.content.decode()
    irev = Centre.objects.get(code="irev")
    client.force_login(make_user("dash-irev", irev.editors_group))
    response = client.get(URL, {"annee": year})
    assert [centre.code for centre in response.context["dashboard"].centres] == ["irev"]
    assert "Labo Cités" not in response.content.decode()
    client.force_login(make_user("dash-nobody"))
    assert client.get(URL).status_code == 302  # Wagtail sends those without admin access to the login


def test_exports_and_pdf(client, demo_content, year):
    client.force_login(make_user("dash-nat2", Group.objects.get(name=NATIONAL_ADMINS)))
    shown = client.get(URL, {"annee": year}).context["dashboard"]
    xlsx = client.get(URL, {"annee": year, "format": "xlsx"})
    sheet = list(openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.values)
    assert sheet[0][:2] == ("Centre", "Événements") and len(sheet) == len(shown.centres) + 1
    assert sum(line[1] for line in sheet[1:]) == shown.national["events"]
    assert {"registrations.elu", "events_by_type.seance-elus", "commitments.national_programme.state"} <= set(sheet[0])
    csv = client.get(URL, {"annee": year, "format": "csv"}).content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Centre;Événements")
    pdf = client.get(URL, {"annee": year, "format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Tableau de bord national" in text and "Engagements qualité" in text


def test_publication_opens_the_summary_page_and_the_api(client, demo_content, year):
    public_url, api_url = f"/tableau-de-bord/{year}/", f"/api/v1/indicators/?year={year}"
    assert client.get(public_url).status_code == 404
    response = client.get(api_url)
    assert response.status_code == 404 and "pas encore publié" in response.json()["detail"]
    assert client.get("/api/v1/indicators/?year=deux-mille").status_code == 400
    irev = Centre.objects.get(code="irev")
    client.force_login(make_user("pub-irev", irev.moderators_group))
    client.post(f"{URL}?annee={year}", {"action": "publish"})
    assert not DashboardPublication.objects.filter(year=year).exists()  # only the national team publishes
    client.force_login(make_user("pub-nat", Group.objects.get(name=NATIONAL_ADMINS)))
    client.post(f"{URL}?annee={year}", {"action": "publish"})
    assert DashboardPublication.objects.filter(year=year).exists()
    client.logout()
    page = client.get(public_url)
    assert page.status_code == 200 and "Engagements qualité" in page.content.decode()
    body = client.get(api_url).json()
    assert body["year"] == year and len(body["centres"]) == Centre.objects.filter(state_funded=True).count()
    labo = next(row for row in body["centres"] if row["centre"] == "labo-cites")
    assert set(labo["registrations"]) == {"elu", "etat", "collectivite", "association", "bailleur",
                                          "acteur_economique", "habitant", "autre"}  # fmt: skip
    assert "@" not in str(body)  # aggregates only: no address, no name
