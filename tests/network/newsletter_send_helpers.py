"""Lists, subscribers, issues and a loopback SMTP server for the newsletter sending tests."""

import asyncio
import email
import email.policy
import socket
import uuid

from aiosmtpd.controller import Controller
from django.utils import timezone

from network.newsletters.issues import NewsletterIssuePage
from network.newsletters.models import (
    MailingList,
    Subscriber,
    SubscriberStatus,
    Subscription,
    SubscriptionSource,
    SubscriptionStatus,
)
from portal.centres.models import Centre, CentrePage


def make_list(centre_code=None, slug=None):
    centre = Centre.objects.get(code=centre_code) if centre_code else None
    slug = slug or f"lettre-{centre_code or 'nationale'}-{uuid.uuid4().hex[:6]}"
    return MailingList.objects.create(centre=centre, slug=slug, title=f"Lettre {slug}")


def subscribe(address, mailing_list, status=SubscriptionStatus.CONFIRMED, subscriber_status=SubscriberStatus.ACTIVE):
    subscriber, _created = Subscriber.objects.get_or_create(
        email_key=address.lower(), defaults={"email": address, "status": subscriber_status}
    )
    Subscription.objects.create(
        subscriber=subscriber,
        mailing_list=mailing_list,
        status=status,
        source=SubscriptionSource.FORM,
        consent_at=timezone.now(),
        consent_wording="J'accepte de recevoir la lettre.",
    )
    return subscriber


def make_issue(centre_code, lists=(), items=(), title="Lettre de printemps"):
    section = CentrePage.objects.get(centre__code=centre_code)
    body = [("text", "<p>Le mot de l'équipe : trois nouveautés ce mois-ci.</p>")]
    body += [("item", {"page": page, "note": ""}) for page in items]
    page = NewsletterIssuePage(
        title=title,
        slug=f"lettre-{uuid.uuid4().hex[:8]}",
        subject=f"{title} — les nouvelles du centre",
        intro="Bonjour, voici les nouvelles du réseau.",
        body=body,
        live=False,
    )
    section.add_child(instance=page)
    page.lists.set(list(lists))
    page.save()
    page.save_revision()
    return NewsletterIssuePage.objects.get(pk=page.pk)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler: keeps each message; `answers` maps an address to SMTP replies to give first (451, 550…)."""

    def __init__(self, answers=None, on_message=None):
        self.messages = []
        self.answers = {key.lower(): list(value) for key, value in (answers or {}).items()}
        self.on_message = on_message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        replies = self.answers.get(address.lower())
        if replies:
            return replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(message)
        if self.on_message:  # in a thread: it may query the database (not allowed in the event loop)
            await asyncio.get_running_loop().run_in_executor(None, self.on_message, self, message)
        return "250 Message accepted for delivery"

    def recipients(self):
        return [message["To"] for message in self.messages]


def start_smtp(inbox):
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def use_smtp(settings, port):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Portail CRPV <ne-pas-repondre@crpv.example>"


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()
