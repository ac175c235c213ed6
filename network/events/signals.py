"""On publish: a cancelled activity tells its registrants (once each); a raised capacity promotes the waiting."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import ActivityPage, Status
from .services import fill_seats, notify_activity_cancelled


@receiver(page_published)
def apply_published_activity(sender, instance, **kwargs):
    if not isinstance(instance, ActivityPage):
        return
    if instance.status == Status.CANCELLED:
        notify_activity_cancelled(instance)
    else:
        fill_seats(instance)
