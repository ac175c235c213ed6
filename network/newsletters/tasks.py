"""Background tasks (django-tasks), run by the `worker` service (db_worker) in production.

Each takes primary keys: the worker reads the current state when it runs.
"""

from django_tasks import task

from . import alerts
from .mails import send_confirmation_now
from .sending import run_worker


@task()
def send_confirmation(subscriber_id):
    """Send the confirmation request for what is still pending."""
    return send_confirmation_now(subscriber_id)


@task()
def send_alerts(frequency=None):
    """Run the due saved-search alerts (one frequency, or both); same code as `manage.py send_alerts`."""
    checked, sent = alerts.send_alerts([frequency] if frequency else None)
    return {"checked": checked, "sent": sent}


@task()
def send_issue(issue_id):
    """One sending worker for an issue."""
    return {"issue": issue_id, "sent": run_worker(issue_id)}
