"""The national programme: ≤ 3 chantiers a year, joining, contributing, review, audit log, bundle, walls."""

import datetime
import io
import json
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from wagtail.models import ModelLogEntry

from network.programme import services
from network.programme.models import ChantierCall, Contribution, ContributionStatus, Participation
from portal.accounts.roles import NATIONAL_ADMINS
from portal.centres.models import Centre
from resources.experiences.models import ExperienceSheetPage
from resources.taxonomy.models import Chantier
from tests.users import make_user


@pytest.fixture
def world(demo_content):
    a, b = Centre.objects.get(code="labo-cites"), Centre.objects.get(code="irev")
    chantier = Chantier.objects.create(code="test-2031", title="Chantier d'essai", year=2031)
    ChantierCall.objects.create(
        chantier=chantier, description="Un appel.", expected_format="Des fiches.", deadline=datetime.date(2031, 10, 1)
    )
    return {
        "a": a,
        "b": b,
        "chantier": chantier,
        "staff_a": make_user("mod-a", a.moderators_group),
        "staff_b": make_user("mod-b", b.moderators_group),
        "national": make_user("nat", Group.objects.get(name=NATIONAL_ADMINS)),
        "sheets_a": list(ExperienceSheetPage.objects.live().filter(centre=a).order_by("slug")[:2]),
        "sheet_b": ExperienceSheetPage.objects.live().filter(centre=b).first(),
    }


def actions(instance):
    return list(ModelLogEntry.objects.for_instance(instance).order_by("timestamp").values_list("action", flat=True))


def test_a_fourth_chantier_in_a_year_is_refused_in_french(demo_content):
    for number in range(3):
        Chantier.objects.create(code=f"quota-{number}", title=f"Chantier {number}", year=2040)
    fourth = Chantier(code="quota-3", title="Un de trop", year=2040)
    with pytest.raises(ValidationError) as error:
        fourth.full_clean()
    assert "compte déjà 3 chantiers" in str(error.value)
    Chantier(code="quota-4", title="Autre année", year=2041).full_clean()
    # An existing chantier of a full year can still be edited.
    Chantier.objects.get(code="quota-0").full_clean()


def test_the_admin_form_shows_the_rule(client, demo_content):
    national = make_user("nat-quota", Group.objects.get(name=NATIONAL_ADMINS))
    for number in range(3):
        Chantier.objects.create(code=f"plein-{number}", title=f"Chantier {number}", year=2042)
    client.force_login(national)
    response = client.post(
        "/admin/snippets/taxonomy/chantier/add/", {"code": "plein-3", "title": "Un de trop", "year": 2042}
    )
    assert response.status_code == 200
    assert "compte déjà 3 chantiers" in response.content.decode()
    assert not Chantier.objects.filter(code="plein-3").exists()


def test_review_cycle_with_audit_log(world):
    chantier, sheet = world["chantier"], world["sheets_a"][0]
    with pytest.raises(services.ProgrammeError, match="n'a pas rejoint"):
        services.submit(sheet, chantier, world["staff_a"])
    services.join(world["a"], chantier, world["staff_a"])
    contribution = services.submit(sheet, chantier, world["staff_a"], "Notre action phare.")
    with pytest.raises(services.ProgrammeError, match="déjà proposée"):
        services.submit(sheet, chantier, world["staff_a"])
    with pytest.raises(services.ProgrammeError, match="Seule l'équipe nationale"):
        services.accept(contribution, world["staff_a"])
    with pytest.raises(services.ProgrammeError, match="commentaire est obligatoire"):
        services.request_changes(contribution, world["national"], "  ")
    services.request_changes(contribution, world["national"], "Précisez les résultats.")
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.CHANGES_REQUESTED
    services.submit(sheet, chantier, world["staff_a"], "Résultats ajoutés.")
    services.accept(contribution, world["national"], "Retenue.")
    contribution.refresh_from_db()
    assert contribution.status == ContributionStatus.ACCEPTED
    assert [c.text for c in contribution.comments.all()] == [
        "Notre action phare.",
        "Précisez les résultats.",
        "Résultats ajoutés.",
        "Retenue.",
    ]
    assert actions(contribution) == [
        "programme.submit",
        "programme.request_changes",
        "programme.submit",
        "programme.accept",
    ]
    with pytest.raises(services.ProgrammeError, match="pas en attente"):
        services.accept(contribution, world["national"])
    with pytest.raises(services.ProgrammeError, match="ne peut plus le quitter"):
        services.leave(world["a"], chantier, world["staff_a"])


def test_a_centre_cannot_act_for_another(world):
    chantier = world["chantier"]
    with pytest.raises(services.ProgrammeError, match="Vous n'agissez pas"):
        services.join(world["b"], chantier, world["staff_a"])
    services.join(world["b"], chantier, world["staff_b"])
    with pytest.raises(services.ProgrammeError, match="Vous n'agissez pas"):
        services.submit(world["sheet_b"], chantier, world["staff_a"])


def test_closed_call_and_unpublished_pages_are_refused(world):
    chantier, sheet = world["chantier"], world["sheets_a"][0]
    services.join(world["a"], chantier, world["staff_a"])
    ChantierCall.objects.filter(chantier=chantier).update(deadline=datetime.date(2020, 1, 1))
    chantier.refresh_from_db()
    with pytest.raises(services.ProgrammeError, match="clos depuis le 01/01/2020"):
        services.submit(sheet, chantier, world["staff_a"])
    ChantierCall.objects.filter(chantier=chantier).update(deadline=datetime.date(2031, 1, 1))
    chantier.refresh_from_db()
    sheet.unpublish()
    with pytest.raises(services.ProgrammeError, match="n'est pas publiée"):
        services.submit(sheet, chantier, world["staff_a"])


def test_admin_walls_between_centres(client, world):
    chantier = world["chantier"]
    services.join(world["a"], chantier, world["staff_a"])
    services.join(world["b"], chantier, world["staff_b"])
    mine = services.submit(world["sheets_a"][0], chantier, world["staff_a"])
    theirs = services.submit(world["sheet_b"], chantier, world["staff_b"])
    url = f"/admin/programme/chantier/{chantier.pk}/"
    client.force_login(world["staff_a"])
    page = client.get(url)
    assert page.status_code == 200
    shown = list(page.context["contributions"])
    assert shown == [mine]
    # Forged POSTs on the other centre's contribution: accepted by nobody, commented by nobody.
    client.post(url, {"action": "accept", "contribution": theirs.pk})
    client.post(url, {"action": "comment", "contribution": theirs.pk, "text": "Intrusion"})
    client.post(url, {"action": "join", "centre": world["b"].pk})  # another centre: 404
    theirs.refresh_from_db()
    assert theirs.status == ContributionStatus.SUBMITTED and not theirs.comments.exists()
    assert client.get(f"/admin/programme/chantier/{chantier.pk}/contributions.zip").status_code == 302
    client.force_login(world["national"])
    assert set(client.get(url).context["contributions"]) == {mine, theirs}
    response = client.post(url, {"action": "accept", "contribution": theirs.pk, "text": "Retenue"}, follow=True)
    assert "enregistré" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.status == ContributionStatus.ACCEPTED


def test_bundle_of_accepted_contributions(client, world):
    chantier = world["chantier"]
    services.join(world["a"], chantier, world["staff_a"])
    first, second = (services.submit(sheet, chantier, world["staff_a"]) for sheet in world["sheets_a"])
    services.accept(first, world["national"])  # the second stays submitted: not in the bundle
    client.force_login(world["national"])
    response = client.get(f"/admin/programme/chantier/{chantier.pk}/contributions.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert sorted(archive.namelist()) == ["compilation.pdf", "fiches.csv", "fiches.json", "publications.json"]
    sheets = json.loads(archive.read("fiches.json"))
    assert [sheet["title"] for sheet in sheets] == [world["sheets_a"][0].title]
    assert sheets[0]["format"] == "crpv-experience/1"
    assert archive.read("fiches.csv").decode("utf-8-sig").count("\n") == 2  # header + one sheet
    pdf = PdfReader(io.BytesIO(archive.read("compilation.pdf")))
    text = "".join(page.extract_text() for page in pdf.pages)
    assert "Chantier d'essai" in text and world["sheets_a"][0].title.split()[0] in text
    assert len(pdf.pages) >= 2
    assert Contribution.objects.filter(chantier=chantier).count() == 2
    assert Participation.objects.filter(chantier=chantier).count() == 1


def test_demo_programme_spans_three_years_in_every_state(demo_content):
    years = set(Chantier.objects.filter(contributions__isnull=False).values_list("year", flat=True))
    assert len(years) >= 3
    assert set(Contribution.objects.values_list("status", flat=True)) == set(ContributionStatus.values)
    for year in years:
        assert Chantier.objects.filter(year=year).count() <= 3
