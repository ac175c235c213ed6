"""Signed, no-login links for a subscriber: confirm, preferences, unsubscribe.

A token carries the subscriber's id and the purpose, signed with a salt per purpose, so that a
preferences link cannot be replayed as a confirmation. Confirmation links expire
(NEWSLETTER_CONFIRM_MAX_AGE_DAYS); preferences and unsubscribe links do not, because they sit in
mails that people open months later, and RFC 8058 one-click must keep working. As in the events'
tokens, the signed value is base64-encoded once more to fit a URL path segment.
"""

import binascii

from django.conf import settings
from django.core import signing

PURPOSES = ("confirm", "preferences", "unsubscribe")


def _salt(purpose):
    if purpose not in PURPOSES:
        raise ValueError(purpose)
    return f"network.newsletters.{purpose}"


def make_token(subscriber_id, purpose, extra=None):
    """`extra` (e.g. a list id for a one-list unsubscribe) travels signed with the id."""
    value = [subscriber_id, extra] if extra is not None else subscriber_id
    return signing.b64_encode(signing.dumps(value, salt=_salt(purpose)).encode()).decode()


def read_token(token, purpose):
    """(subscriber_id, extra); raises signing.BadSignature (or its SignatureExpired)."""
    try:
        signed = signing.b64_decode(token.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise signing.BadSignature("not a token") from error
    max_age = settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS * 86400 if purpose == "confirm" else None
    value = signing.loads(signed, salt=_salt(purpose), max_age=max_age)
    if isinstance(value, int):
        return value, None
    if isinstance(value, list) and len(value) == 2 and isinstance(value[0], int):
        return value[0], value[1]
    raise signing.BadSignature("not a subscriber id")
