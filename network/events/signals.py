"""Publishing an activity with the status « Annulé » tells its registrants (once each)."""

from django.dispatch import receiver
from wagtail.signals import page_published

from .models import ActivityPage, Status
from .services import notify_activity_cancelled


@receiver(page_published)
def tell_registrants_of_a_cancellation(sender, instance, **kwargs):
    if isinstance(instance, ActivityPage) and instance.status == Status.CANCELLED:
        notify_activity_cancelled(instance)
