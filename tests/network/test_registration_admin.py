"""The centre's side of registration in the admin: lists, exports, attendance sheet, presence,
manual registration, cancellation and capacity — and who may do each (the permission matrix)."""

import csv
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from pypdf import PdfReader
from wagtail.models import PageLogEntry

from network.events.models import AttendanceCount, Registration, RegistrationStatus
from network.events.services import erase_person, register
from portal.accounts.roles import NATIONAL_ADMINS, REGIONAL_CORRESPONDENTS
from portal.centres.models import Centre

from .conftest import make_event
from .factories import make_cycle

PEOPLE = [
    ("Amélie Fontaine", "amelie.fontaine@example.org", "elu", "Mairie de Roubaix"),
    ("Bastien Morel", "bastien.morel@example.org", "association", "Centre social Les Géraniums"),
    ("Chloé Garnier", "chloe.garnier@example.org", "etat", "Préfecture du Nord"),
    ("Damien Roussel", "damien.roussel@example.org", "association", "Régie de quartier"),
    ("Élise Marchand", "elise.marchand@example.org", "bailleur", "Habitat du Nord"),
]


def make_user(username, *groups):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    user.groups.add(*groups)
    return user


def enrol(activity, people):
    return [
        register(activity, name=name, email=email, organisation=org, public_category=category)[0]
        for name, email, category, org in people
    ]


@pytest.fixture
def world(demo_content):
    a, b = Centre.objects.get(code="labo-cites"), Centre.objects.get(code="irev")
    event = make_event("labo-cites", capacity=3, title="Rencontre « Réussite éducative »")
    other = make_event("irev", capacity=10, title="Rencontre des adultes-relais")
    registrations = enrol(event, PEOPLE)  # three confirmed, two waiting
    enrol(other, [("Fanny Leroy", "fanny.leroy@example.org", "habitant", "")])
    return {
        "event": event,
        "other": other,
        "registrations": registrations,
        "editor_a": make_user("editor_a", a.editors_group),
        "moderator_b": make_user("moderator_b", b.moderators_group),
        "national": make_user("national", Group.objects.get(name=NATIONAL_ADMINS)),
        "correspondent": make_user("correspondent", Group.objects.get(name=REGIONAL_CORRESPONDENTS)),
    }


def url(name, activity, *args):
    return reverse(name, args=[activity.pk, *args])


def test_centre_staff_list_their_registrants_with_filters(client, world):
    client.force_login(world["editor_a"])
    response = client.get(url("events_registrants", world["event"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert all(name in page for name, *_ in PEOPLE)
    assert "Fanny Leroy" not in page  # another activity's registrant

    waiting = client.get(url("events_registrants", world["event"]), {"status": "waiting"}).content.decode()
    assert "Damien Roussel" in waiting and "Élise Marchand" in waiting and "Amélie Fontaine" not in waiting

    associations = client.get(url("events_registrants", world["event"]), {"public_category": "association"})
    assert "Bastien Morel" in associations.content.decode() and "Chloé Garnier" not in associations.content.decode()

    results = client.get(url("events_registrants_results", world["event"]), {"status": "confirmed"})
    assert results.status_code == 200 and "Élise Marchand" not in results.content.decode()


def test_menu_lists_the_users_activities_with_counts(client, world):
    client.force_login(world["editor_a"])
    page = client.get(reverse("events_activities")).content.decode()
    assert "Rencontre « Réussite éducative »" in page and "Rencontre des adultes-relais" not in page
    client.force_login(world["national"])
    page = client.get(reverse("events_activities")).content.decode()
    assert "Rencontre « Réussite éducative »" in page and "Rencontre des adultes-relais" in page


def test_page_edit_screen_links_to_the_registrants(client, world):
    client.force_login(world["editor_a"])
    page = client.get(reverse("wagtailadmin_pages:edit", args=[world["event"].pk])).content.decode()
    assert url("events_registrants", world["event"]) in page


def test_csv_export_has_french_headers_and_no_erased_person(client, world):
    erase_person(world["registrations"][1])  # Bastien Morel asked for erasure
    client.force_login(world["editor_a"])
    response = client.get(url("events_registrants", world["event"]), {"export": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:4] == ["Rang d'arrivée", "Nom", "Adresse électronique", "Structure"]
    assert "Catégorie de public" in rows[0] and "Présence" in rows[0]
    names = [row[1] for row in rows[1:]]
    assert names == ["Amélie Fontaine", "Chloé Garnier", "Damien Roussel", "Élise Marchand"]
    assert rows[1][rows[0].index("Catégorie de public")] == "Élu·e"


def test_xlsx_export_follows_the_filters(client, world):
    client.force_login(world["editor_a"])
    response = client.get(url("events_registrants", world["event"]), {"export": "xlsx", "status": "waiting"})
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Nom" and rows[0][7] == "Statut"
    assert [(row[1], row[7]) for row in rows[1:]] == [
        ("Damien Roussel", "Liste d'attente"),
        ("Élise Marchand", "Liste d'attente"),
    ]


def test_attendance_sheet_lists_the_confirmed_people(client, world):
    client.force_login(world["editor_a"])
    response = client.get(url("events_attendance_sheet", world["event"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Labo Cités" in text and "Feuille d'émargement" in text and "Signature" in text
    assert "Réussite éducative" in text and "Maison des associations" in text
    assert "Amélie Fontaine" in text and "Chloé Garnier" in text
    assert "Damien Roussel" not in text  # waiting: no seat, no line


def test_attendance_sheet_of_a_cycle_has_one_sheet_per_session(client, world):
    cycle = make_cycle("labo-cites", title="Cycle parentalité", capacity=20)
    enrol(cycle, PEOPLE[:2])
    client.force_login(world["editor_a"])
    pdf = PdfReader(io.BytesIO(client.get(url("events_attendance_sheet", cycle)).content))
    texts = [" ".join(page.extract_text().split()) for page in pdf.pages]
    assert len(texts) == 2
    assert "Séance 1" in texts[0] and "Séance 2" in texts[1]
    assert all("Amélie Fontaine" in text and "Bastien Morel" in text for text in texts)


def test_marking_presence_updates_the_anonymous_counts_and_the_log(client, world):
    amelie, bastien, chloe, *_ = world["registrations"]
    client.force_login(world["editor_a"])
    response = client.post(
        url("events_attendance", world["event"]),
        {f"presence-{amelie.pk}": "present", f"presence-{bastien.pk}": "present", f"presence-{chloe.pk}": "excused",
         "query": "status=confirmed"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("?status=confirmed")
    assert Registration.objects.get(pk=chloe.pk).attendance == "excused"
    rows = AttendanceCount.objects.filter(activity=world["event"])
    counts = {row.public_category: (row.registered, row.present) for row in rows}
    assert counts["elu"] == (1, 1) and counts["association"] == (1, 1) and counts["etat"] == (1, 0)
    entry = PageLogEntry.objects.get(page=world["event"], action="events.attendance")
    assert entry.user == world["editor_a"] and entry.data["changed"] == 3
    assert "Amélie" not in str(entry.data) and "example.org" not in str(entry.data)  # no personal data in the log


def test_an_unknown_presence_value_changes_nothing(client, world):
    amelie = world["registrations"][0]
    client.force_login(world["editor_a"])
    response = client.post(
        url("events_attendance", world["event"]), {f"presence-{amelie.pk}": "peut-etre"}, follow=True
    )
    assert "Valeur de présence inconnue" in response.content.decode()
    assert Registration.objects.get(pk=amelie.pk).attendance == ""


def test_raising_the_capacity_promotes_the_waiting_in_order_and_mails_them(
    client, world, smtp_inbox, django_capture_on_commit_callbacks
):
    event = world["event"]
    late = enrol(event, [("Gaspard Petit", "gaspard.petit@example.org", "habitant", "")])  # third waiting
    client.force_login(world["editor_a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("events_capacity", event), {"capacity": "5"}, follow=True)
    assert "aux inscrits : 2" in response.content.decode()
    statuses = dict(Registration.objects.filter(activity=event).values_list("email", "status"))
    assert statuses["damien.roussel@example.org"] == statuses["elise.marchand@example.org"] == "confirmed"
    assert statuses[late[0].email] == "waiting"
    assert sorted(m["To"] for m in smtp_inbox.messages) == ["damien.roussel@example.org", "elise.marchand@example.org"]
    assert all("Une place s'est libérée" in m["Subject"] for m in smtp_inbox.messages)
    event.refresh_from_db()
    assert event.capacity == 5 and event.get_latest_revision().content["capacity"] == 5
    assert AttendanceCount.objects.get(activity=event, public_category="bailleur").registered == 1
    assert PageLogEntry.objects.filter(page=event, action="events.capacity").exists()


def test_a_bad_capacity_is_refused_with_a_french_message(client, world):
    client.force_login(world["editor_a"])
    response = client.post(url("events_capacity", world["event"]), {"capacity": "-2"}, follow=True)
    assert "Nombre de places :" in response.content.decode()
    world["event"].refresh_from_db()
    assert world["event"].capacity == 3


def test_staff_register_someone_only_with_the_persons_consent(
    client, world, smtp_inbox, django_capture_on_commit_callbacks
):
    person = {"name": "Hugo Lemaire", "email": "hugo.lemaire@example.org", "organisation": "Ville de Tourcoing",
              "public_category": "collectivite"}  # fmt: skip
    client.force_login(world["editor_a"])
    refused = client.post(url("events_registrant_add", world["event"]), person)
    assert refused.status_code == 400 and "accord de la personne est obligatoire" in refused.content.decode()
    assert not Registration.objects.filter(email="hugo.lemaire@example.org").exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("events_registrant_add", world["event"]), {**person, "consent": "on"})
    assert response.status_code == 302
    registration = Registration.objects.get(email="hugo.lemaire@example.org")
    assert registration.source == "staff" and registration.status == RegistrationStatus.WAITING  # the event is full
    [mail] = smtp_inbox.messages
    assert mail["To"] == "hugo.lemaire@example.org" and "Liste d'attente" in mail["Subject"]
    assert PageLogEntry.objects.filter(page=world["event"], action="events.registration.staff").exists()


def test_cancelling_from_the_list_promotes_the_next_person(
    client, world, smtp_inbox, django_capture_on_commit_callbacks
):
    amelie = world["registrations"][0]
    client.force_login(world["editor_a"])
    confirm = client.get(url("events_registrant_cancel", world["event"], amelie.pk))
    assert "Amélie Fontaine" in confirm.content.decode()
    assert Registration.objects.get(pk=amelie.pk).status == RegistrationStatus.CONFIRMED  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("events_registrant_cancel", world["event"], amelie.pk))
    assert Registration.objects.get(pk=amelie.pk).status == RegistrationStatus.CANCELLED
    assert Registration.objects.get(email="damien.roussel@example.org").status == RegistrationStatus.CONFIRMED
    assert [m["To"] for m in smtp_inbox.messages] == ["damien.roussel@example.org"]


# --- The permission matrix: another centre's staff, forged requests ---------------------------------

READS = ["events_registrants", "events_registrants_results", "events_attendance_sheet", "events_registrant_add"]


@pytest.mark.parametrize("name", READS)
@pytest.mark.parametrize("query", [{}, {"export": "csv"}, {"export": "xlsx"}])
def test_other_centres_staff_cannot_read(client, world, name, query):
    for user in (world["moderator_b"], world["correspondent"]):
        client.force_login(user)
        assert client.get(url(name, world["event"]), query).status_code in (403, 404)


def test_other_centres_staff_cannot_change_anything(client, world, django_capture_on_commit_callbacks):
    event, (amelie, *_) = world["event"], world["registrations"]
    before = list(Registration.objects.filter(activity=event).values_list("pk", "status", "attendance"))
    client.force_login(world["moderator_b"])
    forged = [
        (url("events_attendance", event), {f"presence-{amelie.pk}": "absent"}),
        (url("events_capacity", event), {"capacity": "50"}),
        (
            url("events_registrant_add", event),
            {"name": "Intrus", "email": "intrus@example.org", "public_category": "autre", "consent": "on"},
        ),  # fmt: skip
        (url("events_registrant_cancel", event, amelie.pk), {}),
    ]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for target, data in forged:
            assert client.post(target, data).status_code in (403, 404), target
    assert not callbacks
    assert list(Registration.objects.filter(activity=event).values_list("pk", "status", "attendance")) == before
    event.refresh_from_db()
    assert event.capacity == 3
    # Nor through an id of their own activity: a registration of A's event is not B's to cancel.
    assert client.post(url("events_registrant_cancel", world["other"], amelie.pk)).status_code == 404


def test_the_national_team_sees_every_centre(client, world):
    client.force_login(world["national"])
    assert client.get(url("events_registrants", world["event"])).status_code == 200
    assert client.get(url("events_registrants", world["other"]), {"export": "csv"}).status_code == 200


@pytest.mark.parametrize("name", READS + ["events_attendance", "events_capacity"])
def test_anonymous_people_are_sent_to_the_login(client, world, name):
    response = client.get(url(name, world["event"]))
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    assert client.post(url(name, world["event"]), {"capacity": "9"}).status_code == 302
    world["event"].refresh_from_db()
    assert world["event"].capacity == 3


def test_exports_and_sheets_share_the_export_rate_limit(client, world, settings):
    settings.RATELIMIT_ENABLED = True
    settings.RATELIMITS = {**settings.RATELIMITS, "export": "2/h"}
    client.force_login(world["editor_a"])
    assert client.get(url("events_registrants", world["event"]), {"export": "csv"}).status_code == 200
    assert client.get(url("events_attendance_sheet", world["event"])).status_code == 200
    refused = client.get(url("events_registrants", world["event"]), {"export": "xlsx"})
    assert refused.status_code == 429 and "Trop de requêtes" in refused.content.decode()
    assert client.get(url("events_registrants", world["event"])).status_code == 200  # the list itself is not limited
