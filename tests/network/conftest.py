import datetime
import email
import email.policy
import socket
import uuid

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from network.events.models import EventPage, Mission
from portal.centres.models import CentrePage


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


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's hook name
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings):
    with socket.socket() as probe:  # a free port on loopback
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Portail CRPV <ne-pas-repondre@crpv.example>"
    yield inbox
    controller.stop()
