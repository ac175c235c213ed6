"""Background tasks (django-tasks): registration mails, sent by the worker in production."""

from django_tasks import task

from .mails import send_registration_mail_now


@task()
def send_registration_mail(registration_id, kind):
    """Send one registration mail. Takes the primary key: the worker reads the current registration."""
    return send_registration_mail_now(registration_id, kind)
