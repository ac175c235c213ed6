"""Background tasks (django-tasks): the confirmation request and the saved-search alerts' run."""

from django_tasks import task

from . import alerts
from .mails import send_confirmation_now


@task()
def send_confirmation(subscriber_id):
    """Send the confirmation request. Takes the primary key: the worker reads what is pending now."""
    return send_confirmation_now(subscriber_id)


@task()
def send_alerts(frequency=None):
    """Run the due saved-search alerts (one frequency, or both); same code as `manage.py send_alerts`."""
    checked, sent = alerts.send_alerts([frequency] if frequency else None)
    return {"checked": checked, "sent": sent}
