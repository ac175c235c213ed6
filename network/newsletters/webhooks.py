"""Provider webhooks (django-anymail tracking): a hard bounce or a complaint stops mail to an address.

Anymail normalises each provider's payload (Postmark, Mailgun, SendGrid, Brevo…) into a tracking
event; its views check the basic-auth secret (`ANYMAIL["WEBHOOK_SECRET"]`). Here a `bounced`
event (permanent: Postmark's soft bounces excepted) or a `rejected` one for an invalid address
sets `Subscriber.status` to bounced, a `complained` one to complained: the address leaves every
audience, and a send under way skips it (the worker re-checks the audience per batch).
"""

import logging

from anymail.signals import EventType, RejectReason, tracking
from django.dispatch import receiver

from .models import Subscriber, SubscriberStatus, email_key

logger = logging.getLogger(__name__)


def new_status(event):
    if event.event_type == EventType.COMPLAINED:
        return SubscriberStatus.COMPLAINED
    if event.event_type == EventType.BOUNCED:
        soft = isinstance(event.esp_event, dict) and event.esp_event.get("Type") == "SoftBounce"
        return None if soft else SubscriberStatus.BOUNCED
    if event.event_type == EventType.REJECTED and event.reject_reason in (RejectReason.INVALID, RejectReason.BOUNCED):
        return SubscriberStatus.BOUNCED
    return None


@receiver(tracking, dispatch_uid="newsletters.provider_tracking")
def on_tracking(sender, event, esp_name, **kwargs):
    status = new_status(event)
    if status is None or not event.recipient:
        return
    # A complaint is never overwritten by a later bounce: both stop mail, the complaint says more.
    changed = (
        Subscriber.objects.filter(email_key=email_key(event.recipient))
        .exclude(status=SubscriberStatus.COMPLAINED)
        .update(status=status)
    )
    if changed:
        logger.info("Newsletter subscriber marked %s by a %s webhook (%s)", status, esp_name, event.event_type)
