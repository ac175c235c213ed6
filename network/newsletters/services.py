"""The rules of subscription, in one place for the public pages, the admin, the commands and the tests."""

from django.db import transaction
from django.utils import timezone

from .models import Subscription, SubscriptionStatus


@transaction.atomic
def confirm(subscriber_id):
    """Double opt-in: the confirmation link confirms every pending subscription of the address.

    Returns the number of subscriptions confirmed by this call (0 when already confirmed).
    """
    now = timezone.now()
    return Subscription.objects.filter(subscriber_id=subscriber_id, status=SubscriptionStatus.PENDING).update(
        status=SubscriptionStatus.CONFIRMED, confirmed_at=now
    )


@transaction.atomic
def unsubscribe(subscriber_id, list_id=None):
    """Leave one list (list_id) or every list; idempotent. Returns the number of subscriptions ended."""
    subscriptions = Subscription.objects.filter(subscriber_id=subscriber_id).exclude(
        status=SubscriptionStatus.UNSUBSCRIBED
    )
    if list_id is not None:
        subscriptions = subscriptions.filter(mailing_list_id=list_id)
    return subscriptions.update(status=SubscriptionStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())
