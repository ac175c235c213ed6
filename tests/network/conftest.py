import datetime
import uuid

import pytest
from django.utils import timezone

from network.events.models import EventPage, Mission
from portal.centres.models import CentrePage

from .smtp_loopback import Inbox, start_smtp, use_smtp


def make_event(centre_code="irev", *, capacity=None, starts_in=datetime.timedelta(days=30), **fields):
    """A published event in a centre's section, starting `starts_in` from now."""
    starts_at = timezone.now() + starts_in
    page = EventPage(
        title=fields.pop("title", "Rencontre du réseau des adultes-relais"),
        slug=f"rencontre-{uuid.uuid4().hex[:8]}",
        event_type="rencontre-reseau",
        starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(hours=3),
        summary="Une matinée d'échanges entre adultes-relais.",
        mission=Mission.NETWORK,
        place_name="Maison des associations",
        address="12 rue des Lilas, Lille",
        capacity=capacity,
        **fields,
    )
    CentrePage.objects.get(centre__code=centre_code).add_child(instance=page)
    page.save_revision().publish()
    return EventPage.objects.get(pk=page.pk)


@pytest.fixture
def event(demo_content):
    return make_event(capacity=3)


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller, port = start_smtp(inbox)
    use_smtp(settings, port)
    yield inbox
    controller.stop()
