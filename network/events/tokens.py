"""Signed, no-login cancellation links: the token carries the registration's id, signed with a salt.

A token is valid REGISTRATION_LINK_MAX_AGE_DAYS after it was made (each mail makes a fresh one).
"""

from django.conf import settings
from django.core import signing

SALT = "network.events.registration.cancel"


def make_cancel_token(registration):
    return signing.dumps(registration.pk, salt=SALT, compress=False)


def read_cancel_token(token):
    """The registration id the token carries; raises signing.BadSignature (or its SignatureExpired)."""
    registration_id = signing.loads(token, salt=SALT, max_age=settings.REGISTRATION_LINK_MAX_AGE_DAYS * 86400)
    if not isinstance(registration_id, int):
        raise signing.BadSignature("not a registration id")
    return registration_id


def cancel_url(registration, activity=None):
    """Absolute `<event url>annulation/<token>/` of a registration."""
    activity = activity or registration.activity.specific
    return activity.get_full_url() + activity.reverse_subpage("cancel", args=[make_cancel_token(registration)])
