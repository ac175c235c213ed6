"""Background tasks (django-tasks): sending an issue, run by the `worker` service (db_worker) in production."""

from django_tasks import task

from .sending import run_worker


@task()
def send_issue(issue_id):
    """One sending worker for an issue. Takes the primary key: the worker reads the current send record."""
    return {"issue": issue_id, "sent": run_worker(issue_id)}
