"""No overbooking under concurrency: 200 registrations in parallel threads for 50 seats (PostgreSQL).

Each thread has its own database connection, which sees only committed data. The event is made
(and deleted at the end) through `tests.committed`, so the test itself stays an ordinary,
rolled-back one.
"""

import threading

import pytest
from django.core import mail
from django.db import connection
from wagtail.models import Page

from network.events.models import Registration, RegistrationStatus
from network.events.services import cancel, register
from tests.committed import committed

from .conftest import make_event

PEOPLE = 200
SEATS = 50
SAME_PERSON = 20  # of the 200, this many are one address typed in different cases


def address(number):
    """The first SAME_PERSON numbers give one address, each in its own mix of cases."""
    if number < SAME_PERSON:
        base = "camille.durand@exemple.fr"
        return "".join(c.upper() if (i + number) % (number % 4 + 2) == 0 else c for i, c in enumerate(base))
    return f"personne{number}@exemple.fr"


@pytest.fixture
def committed_event(demo_content):
    event = committed(lambda: make_event(capacity=SEATS))
    yield event
    committed(lambda: Page.objects.get(pk=event.pk).delete())  # registrations and counts go with it


def test_parallel_registrations_fill_the_seats_then_the_waiting_list(committed_event):
    event = committed_event
    errors, start = [], threading.Barrier(16)

    def worker(numbers):
        try:
            start.wait()
            for number in numbers:
                register(
                    event,
                    name=f"Personne {number}",
                    email=address(number),
                    organisation="Centre social",
                    public_category="association" if number % 2 else "collectivite",
                )
        except Exception as error:  # noqa: BLE001 — every error is a failure of the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(range(i, PEOPLE, 16),)) for i in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    registrations = Registration.objects.filter(activity_id=event.pk)
    people = PEOPLE - SAME_PERSON + 1
    assert registrations.count() == people
    assert registrations.filter(email_key="camille.durand@exemple.fr").count() == 1
    assert registrations.filter(status=RegistrationStatus.CONFIRMED).count() == SEATS
    assert registrations.filter(status=RegistrationStatus.WAITING).count() == people - SEATS
    positions = list(registrations.values_list("position", flat=True))
    assert sorted(positions) == list(range(1, people + 1))  # no gap, no duplicate
    # Arrival order is kept: every confirmed seat came before every waiting one.
    last_confirmed = max(registrations.filter(status="confirmed").values_list("position", flat=True))
    assert last_confirmed == SEATS
    assert len(mail.outbox) == people

    mail.outbox.clear()
    next_five = list(registrations.filter(status="waiting").order_by("position")[:5])
    for registration in list(registrations.filter(status="confirmed").order_by("?")[:5]):
        committed(cancel, registration)

    assert registrations.filter(status=RegistrationStatus.CONFIRMED).count() == SEATS
    promoted = registrations.filter(pk__in=[r.pk for r in next_five], status=RegistrationStatus.CONFIRMED)
    assert promoted.count() == 5
    assert registrations.filter(status="waiting").count() == people - SEATS - 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(r.email for r in next_five)
    assert all("Une place s'est libérée" in m.subject for m in mail.outbox)
