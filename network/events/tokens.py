"""Signed, no-login cancellation links: the token carries the registration's id, signed with a salt.

A token is valid REGISTRATION_LINK_MAX_AGE_DAYS after it was made (each mail makes a fresh one).
The signed value is base64-encoded once more: Wagtail's page URLs only accept [A-Za-z0-9_-] in a
path segment, and a signature holds colons.
"""

import binascii

from django.conf import settings
from django.core import signing

SALT = "network.events.registration.cancel"


def make_cancel_token(registration):
    return signing.b64_encode(signing.dumps(registration.pk, salt=SALT).encode()).decode()


def read_cancel_token(token):
    """The registration id the token carries; raises signing.BadSignature (or its SignatureExpired)."""
    try:
        signed = signing.b64_decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise signing.BadSignature("not a token") from error
    registration_id = signing.loads(signed, salt=SALT, max_age=settings.REGISTRATION_LINK_MAX_AGE_DAYS * 86400)
    if not isinstance(registration_id, int):
        raise signing.BadSignature("not a registration id")
    return registration_id


def registration_link(registration, route, activity=None):
    """Absolute `<event url>annulation/<token>/` (route "cancel") or `…donnees/<token>/` ("personal_data")."""
    activity = activity or registration.activity.specific
    return activity.get_full_url() + activity.reverse_subpage(route, args=[make_cancel_token(registration)])
