"""Registration rules (network/events/services.py) and the public form and cancellation pages."""

import datetime
import html

import pytest
from django.utils import timezone

from network.events.models import (
    AttendanceCount,
    EventPage,
    Registration,
    RegistrationStatus,
    Status,
    TrainingCyclePage,
    TrainingSession,
)
from network.events.services import RegistrationClosed, cancel, erase_person, register
from network.events.tokens import make_cancel_token
from portal.centres.models import CentrePage

from .conftest import make_event

FORM = {
    "name": "Louis Martin",
    "email": "louis.martin@exemple.fr",
    "organisation": "Association Quartiers Solidaires",
    "public_category": "association",
    "territory": "Roubaix, quartier de l'Épeule",
    "accessibility_needs": "Accès en fauteuil",
    "consent": "on",
}


def person(email, category="association"):
    return {"name": "Une personne", "email": email, "organisation": "", "public_category": category}


def text(response):
    return html.unescape(response.content.decode())


def test_form_has_named_fields_csrf_honeypot_and_the_privacy_notice(client, event):
    response = client.get(event.url + "inscription/")
    assert response.status_code == 200
    body = text(response)
    for name in ("name", "email", "organisation", "public_category", "territory", "accessibility_needs", "consent"):
        assert f'name="{name}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    assert 'name="website"' in body and 'tabindex="-1"' in body
    assert "effacés au plus tard 12 mois après l'événement" in body
    assert body.count('value="') >= 8  # the eight public categories


def test_capacity_then_waiting_list_with_its_rank(client, event):
    for number in range(3):
        response = client.post(event.url + "inscription/", {**FORM, "email": f"p{number}@exemple.fr"})
        assert "Inscription confirmée" in text(response)
    response = client.post(event.url + "inscription/", {**FORM, "email": "p3@exemple.fr"})
    assert "Vous êtes sur liste d'attente (position 1)" in text(response)
    response = client.post(event.url + "inscription/", {**FORM, "email": "p4@exemple.fr"})
    assert "Vous êtes sur liste d'attente (position 2)" in text(response)
    stored = Registration.objects.get(activity_id=event.pk, email_key="p0@exemple.fr")
    assert (stored.territory, stored.accessibility_needs) == ("Roubaix, quartier de l'Épeule", "Accès en fauteuil")


def test_same_address_in_another_case_is_the_same_registration(client, event):
    client.post(event.url + "inscription/", FORM)
    response = client.post(event.url + "inscription/", {**FORM, "email": "LOUIS.Martin@Exemple.fr"})
    assert response.status_code == 200
    assert "était déjà inscrite" in text(response)
    assert Registration.objects.filter(activity_id=event.pk).count() == 1


def test_registering_again_after_cancelling_joins_the_end_of_the_queue(event):
    first, _ = register(event, **person("a@exemple.fr"))
    for letter in "bcd":
        register(event, **person(f"{letter}@exemple.fr"))
    cancel(first)  # d is promoted
    again, created = register(event, **person("A@exemple.fr"))
    assert created and again.pk == first.pk
    assert (again.status, again.position) == (RegistrationStatus.WAITING, 5)
    assert again.cancelled_at is None


def test_cancellation_promotes_in_order_and_counts_follow(event):
    registrations = [register(event, **person(f"p{n}@exemple.fr", "elu" if n else "habitant"))[0] for n in range(6)]
    assert [r.status for r in registrations] == ["confirmed"] * 3 + ["waiting"] * 3
    promoted = cancel(registrations[0])
    assert [r.pk for r in promoted] == [registrations[3].pk]
    assert cancel(registrations[0]) == []  # twice is once
    assert cancel(registrations[4]) == []  # a waiting person leaving frees no seat
    counts = dict(AttendanceCount.objects.filter(activity_id=event.pk).values_list("public_category", "registered"))
    assert counts == {"habitant": 0, "elu": 3}


def test_no_capacity_means_no_waiting_list(demo_content):
    event = make_event(capacity=None)
    statuses = {register(event, **person(f"p{n}@exemple.fr"))[0].status for n in range(10)}
    assert statuses == {RegistrationStatus.CONFIRMED}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"registration_open": False}, "Les inscriptions à cet événement sont fermées."),
        ({"registration_deadline": timezone.now() - datetime.timedelta(hours=1)}, "La date limite"),
        ({"status": Status.CANCELLED}, "Cet événement est annulé"),
        ({"status": Status.POSTPONED}, "Cet événement est reporté"),
        ({"starts_in": -datetime.timedelta(minutes=5)}, "L'événement a commencé"),
    ],
)
def test_registration_closes(client, demo_content, change, message):
    event = make_event(capacity=10, **change)
    with pytest.raises(RegistrationClosed, match=message):
        register(event, **person("a@exemple.fr"))
    assert message in text(client.get(event.url + "inscription/"))
    response = client.post(event.url + "inscription/", FORM)
    assert response.status_code == 400
    assert message in text(response)
    assert not Registration.objects.filter(activity_id=event.pk).exists()
    # The page, the API and the form read the same rule: no « S'inscrire » link on a closed event.
    assert not event.registration_is_open()
    assert "inscription/" not in client.get(event.url).content.decode()


def test_invalid_input_gets_french_errors_and_400(client, event):
    response = client.post(event.url + "inscription/", {**FORM, "email": "pas-une-adresse", "consent": ""})
    assert response.status_code == 400
    body = text(response)
    assert "Saisissez une adresse e-mail valide." in body
    assert "Cochez la case pour accepter" in body
    response = client.post(event.url + "inscription/", {**FORM, "public_category": "inconnu"})
    assert response.status_code == 400
    assert not Registration.objects.filter(activity_id=event.pk).exists()


def test_honeypot_filled_registers_nobody(client, event):
    response = client.post(event.url + "inscription/", {**FORM, "website": "http://spam.example"})
    assert response.status_code == 400
    assert not Registration.objects.filter(activity_id=event.pk).exists()


def test_per_ip_rate_limit(client, event, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "registration": "2/m"}
    for number in range(2):
        assert client.post(event.url + "inscription/", {**FORM, "email": f"p{number}@exemple.fr"}).status_code == 200
    response = client.post(event.url + "inscription/", {**FORM, "email": "p9@exemple.fr"})
    assert response.status_code == 429
    assert client.get(event.url + "inscription/").status_code == 200  # reading the form is not limited
    settings.RATELIMIT_ENABLED = False
    assert client.post(event.url + "inscription/", {**FORM, "email": "p9@exemple.fr"}).status_code == 200


def test_forged_expired_and_foreign_tokens_get_a_french_page(client, event, settings):
    registration, _ = register(event, **person("a@exemple.fr"))
    token = make_cancel_token(registration)
    forged = client.get(event.url + f"annulation/{token[:-3]}xyz/")
    assert forged.status_code == 400
    assert "Ce lien n'est pas valide" in text(forged)
    assert client.get(event.url + "annulation/pas-un-jeton/").status_code == 400
    other = make_event(capacity=3)
    foreign = client.get(other.url + f"annulation/{token}/")
    assert foreign.status_code == 404
    assert "Cette inscription n'existe plus." in text(foreign)
    settings.REGISTRATION_LINK_MAX_AGE_DAYS = -1
    expired = client.post(event.url + f"annulation/{token}/")
    assert expired.status_code == 400
    assert "Ce lien a expiré" in text(expired)
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED


def test_one_registration_covers_a_whole_training_cycle(client, demo_content):
    start = timezone.now() + datetime.timedelta(days=20)
    cycle = TrainingCyclePage(
        title="Cycle de qualification : la participation des habitants",
        slug="cycle-participation-test",
        summary="Trois séances.",
        mission="competences",
        place_name="IREV",
        capacity=12,
    )
    cycle.sessions = [
        TrainingSession(title=f"Séance {n}", starts_at=start + datetime.timedelta(days=7 * n),
                        ends_at=start + datetime.timedelta(days=7 * n, hours=3))
        for n in range(3)
    ]  # fmt: skip
    CentrePage.objects.get(centre__code="irev").add_child(instance=cycle)
    cycle.save_revision().publish()
    cycle = TrainingCyclePage.objects.get(pk=cycle.pk)
    response = client.post(cycle.url + "inscription/", FORM)
    assert "Inscription confirmée" in text(response)
    assert Registration.objects.filter(activity_id=cycle.pk).count() == 1


def test_a_person_gets_a_copy_of_their_data_and_erases_it(client, event):
    first, _ = register(event, **{**person("a@exemple.fr", "elu"), "territory": "Tourcoing"})
    register(event, **person("b@exemple.fr"))
    register(event, **person("c@exemple.fr"))
    waiting, _ = register(event, **person("d@exemple.fr"))
    link = event.url + f"donnees/{make_cancel_token(first)}/"

    page = text(client.get(link))
    assert "a@exemple.fr" in page and "Tourcoing" in page and "Effacer mes données" in page
    copy = client.get(link, {"format": "json"})
    assert copy["Content-Disposition"].startswith("attachment")
    assert copy.json()["email"] == "a@exemple.fr" and copy.json()["public_category"] == "elu"

    assert "Vos données ont été effacées" in text(client.post(link))
    erased = Registration.objects.get(pk=first.pk)
    assert (erased.name, erased.email, erased.territory, erased.status) == ("", "", "", "cancelled")
    assert Registration.objects.get(pk=waiting.pk).status == RegistrationStatus.CONFIRMED  # seat passed on
    assert client.get(link).status_code == 404
    assert not Registration.objects.filter(email_key="a@exemple.fr").exists()


def test_erasing_after_the_event_keeps_the_person_in_the_counts(event):
    registration, _ = register(event, **person("a@exemple.fr", "bailleur"))
    EventPage.objects.filter(pk=event.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    erase_person(registration)
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CONFIRMED
    assert AttendanceCount.objects.get(activity_id=event.pk, public_category="bailleur").registered == 1
