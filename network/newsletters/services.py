"""The rules of subscription, in one place for the public pages, the admin, the commands and the tests.

Double opt-in: whatever asks for a list or an alert (the form, an import without consent, the
alert form) leaves it *pending* and queues one confirmation request to the address; the link in
it confirms everything pending for that address. The public answer is the same whether the
address was known or not, and a confirmed address is never changed by the public forms.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from .models import (
    SavedSearchAlert,
    Subscriber,
    Subscription,
    SubscriptionSource,
    SubscriptionStatus,
    email_key,
)

logger = logging.getLogger(__name__)
PENDING, CONFIRMED, UNSUBSCRIBED = (
    SubscriptionStatus.PENDING,
    SubscriptionStatus.CONFIRMED,
    SubscriptionStatus.UNSUBSCRIBED,
)
# A second request for the same address within this delay sends no second mail (mail bombing).
CONFIRMATION_RESEND_DELAY = datetime.timedelta(minutes=10)


def subscriber_for(address):
    """The locked Subscriber of this address, created when new: (subscriber, created)."""
    subscriber, created = Subscriber.objects.get_or_create(
        email_key=email_key(address), defaults={"email": address.strip()}
    )
    return Subscriber.objects.select_for_update().get(pk=subscriber.pk), created


def has_confirmed(subscriber):
    return (
        subscriber.subscriptions.filter(status=CONFIRMED).exists()
        or subscriber.alerts.filter(status=CONFIRMED).exists()
    )


def _ask_again(item, wording, now):
    """A new request for an item: pending again with the consent just given (a confirmed one stays as is)."""
    if item.status == CONFIRMED:
        return False
    item.status, item.consent_at, item.consent_wording = PENDING, now, wording
    item.unsubscribed_at = None
    item.save()
    return True


@transaction.atomic
def subscribe(address, mailing_lists, *, wording, themes=(), source=SubscriptionSource.FORM, now=None):
    """Ask for `mailing_lists` for `address`; queues a confirmation for what became pending.

    Themes are taken only from an address with nothing confirmed yet (whoever confirms owns
    them); a confirmed person changes theirs on the preferences page.
    """
    now = now or timezone.now()
    subscriber, _created = subscriber_for(address)
    pending = False
    for mailing_list in mailing_lists:
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            defaults={"status": PENDING, "source": source, "consent_at": now, "consent_wording": wording},
        )
        pending |= created or _ask_again(subscription, wording, now)
    if themes and not has_confirmed(subscriber):
        subscriber.themes.set(themes)
    if pending:
        queue_confirmation(subscriber.pk, now)
    return subscriber


@transaction.atomic
def create_alert(address, *, source, query, frequency, wording, now=None):
    """Ask for a saved-search alert; pending until the address confirms (same mail as the lists)."""
    now = now or timezone.now()
    subscriber, _created = subscriber_for(address)
    alert, created = SavedSearchAlert.objects.get_or_create(
        subscriber=subscriber,
        source=source,
        query=query,
        defaults={"frequency": frequency, "status": PENDING, "consent_at": now, "consent_wording": wording},
    )
    if not created and alert.status != CONFIRMED:
        alert.frequency = frequency
    if created or _ask_again(alert, wording, now):
        queue_confirmation(subscriber.pk, now)
    return alert


def queue_confirmation(subscriber_id, now=None):
    """Queue the confirmation request (after commit), unless one left less than 10 minutes ago."""
    from .tasks import send_confirmation  # tasks import mails, which render templates

    now = now or timezone.now()
    recent = now - CONFIRMATION_RESEND_DELAY
    for items in (Subscription.objects, SavedSearchAlert.objects):
        if items.filter(subscriber_id=subscriber_id, status=PENDING, confirmation_sent_at__gt=recent).exists():
            return False
    for items in (Subscription.objects, SavedSearchAlert.objects):
        items.filter(subscriber_id=subscriber_id, status=PENDING).update(confirmation_sent_at=now)
    transaction.on_commit(lambda: send_confirmation.enqueue(subscriber_id))
    return True


@transaction.atomic
def confirm(subscriber_id):
    """Double opt-in: the confirmation link confirms every pending subscription and alert of the address.

    Returns the number of items confirmed by this call (0 when already confirmed). An alert's
    first window opens at its confirmation: it never mails what was published before.
    """
    now = timezone.now()
    confirmed = Subscription.objects.filter(subscriber_id=subscriber_id, status=PENDING).update(
        status=CONFIRMED, confirmed_at=now
    )
    return confirmed + SavedSearchAlert.objects.filter(subscriber_id=subscriber_id, status=PENDING).update(
        status=CONFIRMED, confirmed_at=now, last_checked_at=now
    )


@transaction.atomic
def unsubscribe(subscriber_id, list_id=None, alert_id=None):
    """Leave one list (list_id), stop one alert (alert_id), or everything; idempotent.

    Returns the number of subscriptions and alerts ended.
    """
    now = timezone.now()
    ended = 0
    if alert_id is None:
        subscriptions = Subscription.objects.filter(subscriber_id=subscriber_id).exclude(status=UNSUBSCRIBED)
        if list_id is not None:
            subscriptions = subscriptions.filter(mailing_list_id=list_id)
        ended += subscriptions.update(status=UNSUBSCRIBED, unsubscribed_at=now)
    if list_id is None:
        alerts = SavedSearchAlert.objects.filter(subscriber_id=subscriber_id).exclude(status=UNSUBSCRIBED)
        if alert_id is not None:
            alerts = alerts.filter(pk=alert_id)
        ended += alerts.update(status=UNSUBSCRIBED, unsubscribed_at=now)
    return ended


def link_target(extra):
    """(list_id, alert_id) from the extra value an unsubscribe token carries."""
    if isinstance(extra, list) and len(extra) == 2 and extra[0] == "alert" and isinstance(extra[1], int):
        return None, extra[1]
    return (extra if isinstance(extra, int) else None), None


@transaction.atomic
def update_preferences(subscriber, mailing_lists, themes, *, wording, alert_frequencies=None):
    """The preferences page: the lists ticked are confirmed (the link came to this mailbox), the
    others left; themes replaced; alerts' frequencies changed. Returns nothing."""
    now = timezone.now()
    chosen = {mailing_list.pk for mailing_list in mailing_lists}
    offered = subscriber.subscriptions.filter(mailing_list__is_active=True)  # closed lists are not on the page
    for subscription in offered.exclude(mailing_list_id__in=chosen).exclude(status=UNSUBSCRIBED):
        subscription.status, subscription.unsubscribed_at = UNSUBSCRIBED, now
        subscription.save()
    for mailing_list in mailing_lists:
        subscription, created = Subscription.objects.get_or_create(
            subscriber=subscriber,
            mailing_list=mailing_list,
            defaults={"source": SubscriptionSource.PREFERENCES, "status": CONFIRMED},
        )
        if created or subscription.status != CONFIRMED:
            subscription.status, subscription.confirmed_at, subscription.unsubscribed_at = CONFIRMED, now, None
            subscription.consent_at, subscription.consent_wording = now, wording
            subscription.save()
    subscriber.themes.set(themes)
    for alert_id, frequency in (alert_frequencies or {}).items():
        subscriber.alerts.filter(pk=alert_id).update(frequency=frequency)


def personal_data(subscriber):
    """Everything kept about an address, as plain data (the copy a person can download)."""

    def moments(item):
        fields = ("consent_at", "confirmed_at", "unsubscribed_at")
        return {field: getattr(item, field).isoformat() if getattr(item, field) else None for field in fields}

    return {
        "email": subscriber.email,
        "status": subscriber.status,
        "created_at": subscriber.created_at.isoformat(),
        "themes": sorted(subscriber.themes.values_list("label", flat=True)),
        "subscriptions": [
            {
                "list": subscription.mailing_list.title,
                "status": subscription.status,
                "source": subscription.source,
                "consent_wording": subscription.consent_wording,
                **moments(subscription),
            }
            for subscription in subscriber.subscriptions.select_related("mailing_list").order_by("mailing_list__title")
        ],
        "alerts": [
            {
                "source": alert.source,
                "query": alert.query,
                "frequency": alert.frequency,
                "status": alert.status,
                "consent_wording": alert.consent_wording,
                "last_sent_at": alert.last_sent_at.isoformat() if alert.last_sent_at else None,
                **moments(alert),
            }
            for alert in subscriber.alerts.order_by("created_at")
        ],
    }


@transaction.atomic
def erase(subscriber_id):
    """Delete the address and everything attached to it (subscriptions, alerts); nothing personal is kept."""
    deleted, _by_model = Subscriber.objects.filter(pk=subscriber_id).delete()
    logger.info("Newsletter subscriber %s erased at their request (%s rows)", subscriber_id, deleted)
    return deleted
