"""An SMTP server on loopback (aiosmtpd) for the mail tests, and readers of the messages it keeps."""

import asyncio
import email
import email.policy
import socket

from aiosmtpd.controller import Controller


class Inbox:
    """aiosmtpd handler: keeps each message; `answers` maps an address to SMTP replies to give first (451, 550…)."""

    def __init__(self, answers=None, on_message=None):
        self.messages = []
        self.answers = {key.lower(): list(value) for key, value in (answers or {}).items()}
        self.on_message = on_message

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 — aiosmtpd's hook
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


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_smtp(inbox):
    """Starts a server for `inbox`; returns (controller, port). Stop it with controller.stop()."""
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


def use_smtp(settings, port):
    """Points Django's SMTP backend at the loopback server (`settings`: pytest-django's fixture)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.DEFAULT_FROM_EMAIL = "Portail CRPV <ne-pas-repondre@crpv.example>"


def text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()
