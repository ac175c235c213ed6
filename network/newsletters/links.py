"""Absolute URLs a newsletter mail carries, in one place for the sender and the alerts.

`list_unsubscribe_headers` gives the RFC 2369 / RFC 8058 headers every mail must carry: an
HTTPS one-click URL (POST `List-Unsubscribe=One-Click`) and a mailto: fallback.
"""

from urllib.parse import quote

from django.conf import settings
from django.urls import reverse
from wagtail.models import Site

from .tokens import make_token


def absolute(path):
    """The default site's root URL + path: mails are read outside any request."""
    site = Site.objects.filter(is_default_site=True).first()
    root = site.root_url if site else settings.WAGTAILADMIN_BASE_URL
    return root.rstrip("/") + path


def confirm_url(subscriber_id):
    return absolute(reverse("newsletters:confirm", args=[make_token(subscriber_id, "confirm")]))


def preferences_url(subscriber_id):
    return absolute(reverse("newsletters:preferences", args=[make_token(subscriber_id, "preferences")]))


def unsubscribe_url(subscriber_id, list_id=None):
    """The page with the unsubscribe button (one list when list_id is given, else every list)."""
    token = make_token(subscriber_id, "unsubscribe", list_id)
    return absolute(reverse("newsletters:unsubscribe", args=[token]))


def one_click_url(subscriber_id, list_id=None):
    return _one_click(make_token(subscriber_id, "unsubscribe", list_id))


def list_unsubscribe_headers(subscriber_id, list_id=None):
    return _headers(make_token(subscriber_id, "unsubscribe", list_id))


def alert_unsubscribe_url(subscriber_id, alert_id):
    """The page with the button that stops one saved-search alert."""
    token = make_token(subscriber_id, "unsubscribe", ["alert", alert_id])
    return absolute(reverse("newsletters:unsubscribe", args=[token]))


def alert_unsubscribe_headers(subscriber_id, alert_id):
    """List-Unsubscribe headers of an alert mail: the one-click POST stops this alert only."""
    return _headers(make_token(subscriber_id, "unsubscribe", ["alert", alert_id]))


def _one_click(token):
    return absolute(reverse("newsletters:one_click", args=[token]))


def _headers(token):
    mailto = f"mailto:{settings.NEWSLETTER_UNSUBSCRIBE_MAILBOX}?subject={quote('désinscription')}"
    return {
        "List-Unsubscribe": f"<{_one_click(token)}>, <{mailto}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
