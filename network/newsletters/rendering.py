"""An issue as a mail: HTML with its CSS inlined (css-inline) and a text part, rendered once per send.

`render_issue` renders the body once, with placeholders where each recipient's links go.
`MailTemplate` then makes each recipient's message by substituting those links into the two
parts and prefixing the per-recipient headers: no template rendering, no MIME tree per
recipient, only two string replacements, two signatures and a quoted-printable encoding (C).
Every mail carries the RFC 8058 headers (`links.list_unsubscribe_headers`) and a preferences link.
"""

import binascii
import email.utils
import uuid
from dataclasses import dataclass
from email.header import Header
from urllib.parse import quote

import css_inline
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import sanitize_address
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import strip_tags
from wagtail.rich_text import expand_db_html

from portal.core.kinds import kind_of

from .links import absolute
from .tokens import make_token

PREFERENCES = "%%PREFERENCES_URL%%"
UNSUBSCRIBE = "%%UNSUBSCRIBE_URL%%"
TOKEN = "TOKEN-PLACEHOLDER"  # noqa: S105 — replaced by each recipient's signed token
_inliner = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def body_items(page):
    """The issue's blocks as plain dicts, read from the referenced pages now (a correction reaches the mail)."""
    items = []
    for block in page.body:
        if block.block_type == "item":
            target = block.value["page"]
            if target is None or not target.live:
                continue  # unpublished or deleted since the issue was composed
            target = target.specific
            kind = kind_of(type(target))
            items.append(
                {
                    "type": "item",
                    "label": kind.label if kind else "",
                    "title": target.title,
                    "summary": getattr(target, "summary", ""),
                    "period": getattr(target, "period", ""),
                    "url": target.get_full_url(),
                    "note": block.value.get("note", ""),
                }
            )
        elif block.block_type == "text":
            items.append({"type": "text", "html": expand_db_html(block.value.source)})
        elif block.block_type == "image":
            rendition = block.value["image"].get_rendition("width-600")
            items.append(
                {
                    "type": "image",
                    "src": absolute(rendition.url) if rendition.url.startswith("/") else rendition.url,
                    "alt": block.value.get("alt", ""),
                    "caption": block.value.get("caption", ""),
                }
            )
    return items


@dataclass
class RenderedIssue:
    subject: str
    html: str
    text: str


def render_issue(page):
    """Subject, HTML (CSS inlined) and text of an issue, with the per-recipient placeholders."""
    context = {
        "issue": page,
        "centre": page.centre,
        "items": body_items(page),
        "archive_url": page.get_full_url() if page.url_path else "",
        "preferences_url": PREFERENCES,
        "unsubscribe_url": UNSUBSCRIBE,
    }
    html = _inliner.inline(render_to_string("newsletters/mail/issue.html", context))
    text = render_to_string("newsletters/mail/issue.txt", context)
    return RenderedIssue(subject=page.subject or page.title, html=html, text=text)


def html_to_text(html):
    return strip_tags(html).strip()


def sender(centre):
    """« Centre name <address of DEFAULT_FROM_EMAIL> », as the events' mails."""
    _name, address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    return email.utils.formataddr((centre.name if centre else _name, address))


class Links:
    """The per-recipient URLs of links.py, with the site root and URL patterns looked up once per send."""

    def __init__(self):
        root = absolute("")
        self.preferences = root + reverse("newsletters:preferences", args=[TOKEN])
        self.unsubscribe = root + reverse("newsletters:unsubscribe", args=[TOKEN])
        self.one_click = root + reverse("newsletters:one_click", args=[TOKEN])
        mailbox = settings.NEWSLETTER_UNSUBSCRIBE_MAILBOX
        self.mailto = f"mailto:{mailbox}?subject={quote('désinscription')}"

    def for_subscriber(self, subscriber_id, list_id):
        preferences = make_token(subscriber_id, "preferences")
        unsubscribe = make_token(subscriber_id, "unsubscribe", list_id)
        return {
            PREFERENCES: self.preferences.replace(TOKEN, preferences),
            UNSUBSCRIBE: self.unsubscribe.replace(TOKEN, unsubscribe),
            "List-Unsubscribe": f"<{self.one_click.replace(TOKEN, unsubscribe)}>, <{self.mailto}>",
        }


def _qp(text):
    """Quoted-printable with CRLF line ends (SMTP wants them in bytes)."""
    return binascii.b2a_qp(text.replace("\r\n", "\n").encode(), istext=True).replace(b"\n", b"\r\n")


class MailTemplate:
    """One issue's message, prebuilt once; `build` makes a recipient's bytes and `email_message` a Django message."""

    def __init__(self, rendered, from_email, *, subject_prefix=""):
        self.rendered = rendered
        self.subject = subject_prefix + rendered.subject
        self.from_email = from_email
        self.envelope_from = email.utils.parseaddr(from_email)[1]
        self.domain = self.envelope_from.rpartition("@")[2] or "localhost"
        self.links = Links()
        self.boundary = f"==nl-{uuid.uuid4().hex}=="
        self.head = (
            f"From: {sanitize_address(from_email, 'utf-8')}\r\n"
            f"Subject: {Header(self.subject, 'utf-8', maxlinelen=76).encode()}\r\n"
            "MIME-Version: 1.0\r\n"
            "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"
            f'Content-Type: multipart/alternative; boundary="{self.boundary}"\r\n'
        ).encode()
        part = (
            '--{b}\r\nContent-Type: text/{sub}; charset="utf-8"\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n'
        )
        self.text_head = part.format(b=self.boundary, sub="plain").encode()
        self.html_head = ("\r\n" + part.format(b=self.boundary, sub="html")).encode()
        self.tail = f"\r\n--{self.boundary}--\r\n".encode()

    def new_message_id(self):
        return email.utils.make_msgid(domain=self.domain)

    def personal(self, subscriber_id, list_id):
        values = self.links.for_subscriber(subscriber_id, list_id)
        text, html = self.rendered.text, self.rendered.html
        for placeholder in (PREFERENCES, UNSUBSCRIBE):
            text = text.replace(placeholder, values[placeholder])
            html = html.replace(placeholder, values[placeholder])
        return text, html, values["List-Unsubscribe"]

    def build(self, address, subscriber_id, list_id, message_id):
        """The message as bytes for smtplib (headers, then the text and HTML parts in quoted-printable)."""
        text, html, list_unsubscribe = self.personal(subscriber_id, list_id)
        headers = (
            f"To: {address if address.isascii() else sanitize_address(address, 'utf-8')}\r\n"
            f"Date: {email.utils.formatdate(usegmt=True)}\r\n"
            f"Message-ID: {message_id}\r\n"
            f"List-Unsubscribe: {list_unsubscribe}\r\n"
        ).encode()
        return b"".join((self.head, headers, b"\r\n", self.text_head, _qp(text), self.html_head, _qp(html), self.tail))

    def email_message(self, address, subscriber_id, list_id, message_id):
        """The same message for a non-SMTP backend (provider APIs through anymail, locmem in tests)."""
        text, html, list_unsubscribe = self.personal(subscriber_id, list_id)
        headers = {
            "Message-ID": message_id,
            "List-Unsubscribe": list_unsubscribe,
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        message = EmailMultiAlternatives(self.subject, text, self.from_email, [address], headers=headers)
        message.attach_alternative(html, "text/html")
        return message
