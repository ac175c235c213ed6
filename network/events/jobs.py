"""Periodic jobs on registrations: reminders before an activity, its documents and the erasure of people after it.

Both are idempotent and run by management commands (docs/registration.md): a reminder is sent once
(`reminder_sent_at`), erasure deletes registrations whose activity ended more than N months ago
after freezing the anonymous counts, which stay.
"""

import datetime
import logging

from django.db import transaction
from django.utils import timezone

from .models import DocumentMoment, EventPage, Registration, RegistrationStatus, Status, TrainingCyclePage
from .services import lock_activity, queue_mail, refresh_counts

logger = logging.getLogger(__name__)
ACTIVITY_MODELS = (EventPage, TrainingCyclePage)


def send_reminders(days, now=None):
    """Queue the reminder of every confirmed person whose activity starts within `days` days; returns how many."""
    now = now or timezone.now()
    activity_ids = [
        pk
        for model in ACTIVITY_MODELS
        for pk in model.objects.live()
        .filter(status=Status.SCHEDULED, starts_at__gt=now, starts_at__lte=now + datetime.timedelta(days=days))
        .values_list("pk", flat=True)
    ]
    sent = 0
    with transaction.atomic():
        due = Registration.objects.select_for_update(skip_locked=True).filter(
            activity_id__in=activity_ids, status=RegistrationStatus.CONFIRMED, reminder_sent_at__isnull=True
        )
        for registration in due:
            queue_mail(registration, "reminder")
            sent += 1
        Registration.objects.filter(pk__in=[r.pk for r in due]).update(reminder_sent_at=now)
    return sent


def send_documents(now=None):
    """Queue, once, the mail with the documents « after » (slides, actes) to the confirmed people who
    were not marked absent, for activities that have ended and have such documents; returns how many."""
    now = now or timezone.now()
    activity_ids = [
        pk
        for model in ACTIVITY_MODELS
        for pk in model.objects.live()
        .filter(status=Status.SCHEDULED, ends_at__lt=now, documents__moment=DocumentMoment.AFTER)
        .values_list("pk", flat=True)
        .distinct()
    ]
    with transaction.atomic():
        due = list(
            Registration.objects.select_for_update(skip_locked=True)
            .filter(activity_id__in=activity_ids, status=RegistrationStatus.CONFIRMED, documents_sent_at__isnull=True)
            .exclude(attendance="absent")
            .exclude(email="")
        )
        for registration in due:
            queue_mail(registration, "documents")
        Registration.objects.filter(pk__in=[r.pk for r in due]).update(documents_sent_at=now)
    return len(due)


def months_before(moment, months):
    """The same day and time `months` calendar months earlier (the day clamped to the month's length)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month + 1, day=28)


def erase_registrations(months, now=None):
    """Delete the people registered to activities that ended more than `months` ago; counts stay.

    Returns the number of registrations deleted.
    """
    limit = months_before(now or timezone.now(), months)
    erased = 0
    for model in ACTIVITY_MODELS:
        ended = model.objects.filter(ends_at__lt=limit, registrations__isnull=False).distinct()
        for activity in ended:
            with transaction.atomic():
                activity = lock_activity(activity)
                refresh_counts(activity.pk)  # the anonymous counts as they stand, before the people go
                deleted, _ = Registration.objects.filter(activity_id=activity.pk).delete()
                erased += deleted
                logger.info("Registrations of %s (page %s) erased: %s", activity.title, activity.pk, deleted)
    return erased
