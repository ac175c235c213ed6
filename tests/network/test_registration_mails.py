"""Registration mails reach a real SMTP server on loopback (aiosmtpd), and their cancellation link works."""

import email
import email.policy
import html
import re
from urllib.parse import urlparse

from icalendar import Calendar

from network.events.models import Registration, RegistrationStatus
from network.events.services import cancel, register

from .conftest import make_event
from .smtp_loopback import text_of

PERSON = {
    "name": "Nadia Benali",
    "email": "Nadia.Benali@exemple.fr",
    "organisation": "Ville de Villeurbanne",
    "public_category": "collectivite",
    "consent": "on",
}


def cancel_link(message):
    return re.search(r"https?://\S+/annulation/[^/\s]+/", text_of(message)).group(0)


def test_confirmation_arrives_with_the_ics_and_its_cancellation_link_works(
    client, demo_content, smtp_inbox, django_capture_on_commit_callbacks
):
    event = make_event("labo-cites", capacity=10, title="Journée « Réussite éducative »")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(event.url + "inscription/", PERSON)
    assert response.status_code == 200
    assert "Inscription confirmée" in response.content.decode()

    [message] = smtp_inbox.messages
    assert message["To"] == "Nadia.Benali@exemple.fr"
    assert email.utils.parseaddr(message["From"]) == ("Labo Cités", "ne-pas-repondre@crpv.example")
    assert "Inscription confirmée" in message["Subject"]
    assert "Réussite éducative" in message.get_body(preferencelist=("html",)).get_content()
    [attachment] = list(message.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Journée « Réussite éducative »"
    assert vevent.decoded("DTSTART") == event.starts_at.replace(microsecond=0)
    assert str(vevent["DTSTART"].params["TZID"]) == "Europe/Paris"
    assert calendar.walk("VTIMEZONE")
    # The same entry as the page's iCal and the agenda feed: one UID, no duplicate in the person's calendar.
    [page_vevent] = Calendar.from_ical(client.get(event.url + "ical/").content).walk("VEVENT")
    assert str(vevent["UID"]) == str(page_vevent["UID"])

    path = urlparse(cancel_link(message)).path
    assert path.startswith(event.url + "annulation/")
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirmer l'annulation" in html.unescape(page.content.decode())
    assert Registration.objects.get(activity_id=event.pk).status == RegistrationStatus.CONFIRMED
    done = client.post(path)
    assert done.status_code == 200
    assert "Votre inscription est annulée" in done.content.decode()
    assert Registration.objects.get(activity_id=event.pk).status == RegistrationStatus.CANCELLED


def test_waiting_list_and_promotion_mails_arrive(demo_content, smtp_inbox, django_capture_on_commit_callbacks):
    event = make_event("labo-cites", capacity=1)
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = register(event, name="A", email="a@exemple.fr", organisation="", public_category="elu")
        register(event, name="B", email="b@exemple.fr", organisation="", public_category="habitant")
    with django_capture_on_commit_callbacks(execute=True):
        cancel(first)

    confirmation, waiting, promotion = smtp_inbox.messages
    assert confirmation["To"] == "a@exemple.fr"
    assert waiting["To"] == promotion["To"] == "b@exemple.fr"
    assert "Vous êtes sur liste d'attente (position 1)" in text_of(waiting)
    assert not list(waiting.iter_attachments())  # no seat yet: nothing for the calendar
    assert "Une place s'est libérée" in promotion["Subject"]
    assert [a.get_content_type() for a in promotion.iter_attachments()] == ["text/calendar"]
    assert "/annulation/" in cancel_link(promotion)
    assert all("/donnees/" in text_of(m) for m in smtp_inbox.messages)
