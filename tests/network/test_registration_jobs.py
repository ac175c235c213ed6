"""Periodic jobs: the reminder N days before (once), the erasure of people N months after (counts kept)."""

import datetime
import io

from django.core import mail
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone
from wagtail.documents import get_document_model

from network.events.jobs import months_before
from network.events.models import AttendanceCount, EventDocument, EventPage, Registration
from network.events.services import cancel, register

from .conftest import make_event


def person(email, category="association"):
    return {"name": "Une personne", "email": email, "organisation": "", "public_category": category}


def test_reminder_goes_once_to_confirmed_people_of_activities_starting_soon(
    demo_content, django_capture_on_commit_callbacks
):
    soon = make_event(capacity=2, starts_in=datetime.timedelta(days=1, hours=12), title="Webinaire bientôt")
    later = make_event(capacity=2, starts_in=datetime.timedelta(days=5))
    a, _ = register(soon, **person("a@exemple.fr"))
    register(soon, **person("b@exemple.fr"))
    register(soon, **person("c@exemple.fr"))  # waiting
    register(later, **person("d@exemple.fr"))
    cancel(a)  # c is promoted
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("event_reminders", stdout=io.StringIO())
    ours = [m for m in mail.outbox if m.to[0].endswith("@exemple.fr")]  # demo people of demo events too
    assert sorted(m.to[0] for m in ours) == ["b@exemple.fr", "c@exemple.fr"]
    assert all(m.subject == "Rappel : Webinaire bientôt" for m in ours)
    assert all("/annulation/" in m.body for m in ours)
    sent = len(mail.outbox)

    with django_capture_on_commit_callbacks(execute=True):
        call_command("event_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == sent  # nothing sent twice


def test_erasure_deletes_people_after_n_months_and_keeps_the_counts(demo_content, settings):
    old = make_event(capacity=2)
    recent = make_event(capacity=2)
    for number, category in enumerate(["elu", "elu", "habitant"]):
        register(old, **person(f"p{number}@exemple.fr", category))
    register(recent, **person("r@exemple.fr"))
    Registration.objects.filter(activity_id=old.pk, email_key="p0@exemple.fr").update(attendance="present")
    now = timezone.now()
    EventPage.objects.filter(pk=old.pk).update(
        starts_at=now - datetime.timedelta(days=400), ends_at=now - datetime.timedelta(days=399, hours=20)
    )
    EventPage.objects.filter(pk=recent.pk).update(
        starts_at=now - datetime.timedelta(days=60), ends_at=now - datetime.timedelta(days=60)
    )

    settings.REGISTRATION_ERASURE_MONTHS = 12
    call_command("erase_registrations", stdout=io.StringIO())
    call_command("erase_registrations", stdout=io.StringIO())  # twice changes nothing

    assert not Registration.objects.filter(activity_id=old.pk).exists()
    assert Registration.objects.filter(activity_id=recent.pk).count() == 1
    counts = {c.public_category: (c.registered, c.present) for c in AttendanceCount.objects.filter(activity_id=old.pk)}
    assert counts == {"elu": (2, 1), "habitant": (0, 0)}  # the third person was on the waiting list


def test_months_before_clamps_the_day():
    moment = datetime.datetime(2026, 3, 31, 10, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 1) == datetime.datetime(2026, 2, 28, 10, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 12) == datetime.datetime(2025, 3, 31, 10, 0, tzinfo=datetime.UTC)
    assert months_before(moment, 15) == datetime.datetime(2024, 12, 31, 10, 0, tzinfo=datetime.UTC)


def test_publishing_a_cancellation_tells_each_registrant_once(demo_content, django_capture_on_commit_callbacks):
    event = make_event(capacity=1, title="Séance élus de printemps")
    gone, _ = register(event, **person("gone@exemple.fr"))
    register(event, **person("a@exemple.fr"))
    register(event, **person("b@exemple.fr"))
    cancel(gone)  # a promoted, b waiting
    mail.outbox.clear()

    event.status = "cancelled"
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert sorted(m.to[0] for m in mail.outbox) == ["a@exemple.fr", "b@exemple.fr"]
    assert all(m.subject == "Annulation : Séance élus de printemps" for m in mail.outbox)
    assert all("est annulée" in m.body and "/annulation/" in m.body for m in mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    assert len(mail.outbox) == 2


def test_documents_after_the_event_go_once_to_those_not_absent(demo_content, django_capture_on_commit_callbacks):
    event = make_event(capacity=2, title="Journée thématique emploi")
    document = get_document_model()(title="Actes de la journée")
    document.file.save("actes.pdf", ContentFile(b"%PDF-1.4 actes"), save=False)
    document.save()
    EventDocument.objects.create(page=event, document=document, moment="after")
    for address in ("present@exemple.fr", "absent@exemple.fr", "waiting@exemple.fr"):
        register(event, **person(address))
    Registration.objects.filter(email_key="absent@exemple.fr").update(attendance="absent")
    EventPage.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - datetime.timedelta(days=2), ends_at=timezone.now() - datetime.timedelta(days=1)
    )
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("event_documents", stdout=io.StringIO())
        call_command("event_documents", stdout=io.StringIO())
    [message] = mail.outbox
    assert message.to == ["present@exemple.fr"]
    # Mails have no request: the demo Site's address, port included (WAGTAILADMIN_BASE_URL).
    assert f"Actes de la journée : http://127.0.0.1:8000{document.url}" in message.body


def test_raising_the_capacity_promotes_from_the_waiting_list_in_order(demo_content, django_capture_on_commit_callbacks):
    event = make_event(capacity=1)
    for address in ("a@exemple.fr", "b@exemple.fr", "c@exemple.fr", "d@exemple.fr"):
        register(event, **person(address))
    mail.outbox.clear()
    event.capacity = 3
    with django_capture_on_commit_callbacks(execute=True):
        event.save_revision().publish()
    statuses = dict(Registration.objects.filter(activity_id=event.pk).values_list("email_key", "status"))
    assert statuses == {
        "a@exemple.fr": "confirmed", "b@exemple.fr": "confirmed", "c@exemple.fr": "confirmed", "d@exemple.fr": "waiting"
    }  # fmt: skip
    assert sorted(m.to[0] for m in mail.outbox) == ["b@exemple.fr", "c@exemple.fr"]
    assert AttendanceCount.objects.get(activity_id=event.pk, public_category="association").registered == 3
