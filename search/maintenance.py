"""Checks, repairs and rebuilds asked for from the admin: one at a time, in a task, with progress.

The request only writes a `MaintenanceRun` row (refused while another is queued or running:
a unique constraint, not a read-then-write) and enqueues `run_maintenance(pk)` after commit.
The task claims the row (queued → running, once), reports progress on it in batches, and
records the outcome; the admin status page reads the rows.
"""

import time
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from . import engine, lifecycle
from .models import MaintenanceRun as Run

# A run still queued after this had no worker to take it; one still running, a worker that died.
# Either would block every later run: it is marked abandoned when the next one is asked for.
ABANDONED_AFTER = {
    Run.Status.QUEUED: (timedelta(hours=1), "Abandonnée : aucun worker ne l'a prise en charge en 1 heure."),
    Run.Status.RUNNING: (timedelta(hours=6), "Abandonnée : toujours en cours après 6 heures (worker arrêté ?)."),
}


class AlreadyRunning(Exception):
    """Another maintenance run is queued or running."""


def abandon_stale_runs(now=None):
    now = now or timezone.now()
    for status, (delay, report) in ABANDONED_AFTER.items():
        since = "requested_at" if status == Run.Status.QUEUED else "started_at"
        Run.objects.filter(active=True, status=status, **{f"{since}__lt": now - delay}).update(
            status=Run.Status.FAILED, active=None, finished_at=now, report=report
        )


def request_run(action, user=None):
    """Record and enqueue a run; raises AlreadyRunning when one is under way."""
    if action == Run.Action.REBUILD and not engine.enabled():
        raise ValueError("Aucun moteur configuré : pas d'index à reconstruire.")
    abandon_stale_runs()
    try:
        with transaction.atomic():
            run = Run.objects.create(action=action, requested_by=user if user and user.pk else None)
    except IntegrityError as exc:
        raise AlreadyRunning from exc
    run_id = run.pk
    transaction.on_commit(lambda: run_maintenance.enqueue(run_id))
    return run


class _Progress:
    """Adds to `done` on the row every `every` items or `seconds`, not on every item."""

    def __init__(self, run_id, every=500, seconds=1.0):
        self.run_id, self.every, self.seconds = run_id, every, seconds
        self.pending, self.last = 0, time.monotonic()

    def __call__(self, n=1):
        self.pending += n
        if self.pending >= self.every or time.monotonic() - self.last >= self.seconds:
            self.flush()

    def flush(self):
        if self.pending:
            Run.objects.filter(pk=self.run_id).update(done=F("done") + self.pending)
            self.pending, self.last = 0, time.monotonic()

    def total(self, total):
        Run.objects.filter(pk=self.run_id).update(total=total)


def execute(run_id):
    """Run a queued maintenance run to its end (what the task does); a run not queued is left alone."""
    claimed = Run.objects.filter(pk=run_id, status=Run.Status.QUEUED).update(
        status=Run.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return None  # already taken by another worker, or finished: exactly once
    run = Run.objects.get(pk=run_id)
    progress = _Progress(run_id)
    try:
        if run.action == Run.Action.REBUILD:
            progress.total(lifecycle.count_indexable())
            name = lifecycle.rebuild(progress=progress)
            report = f"Index {name} construit, alias basculé."
        else:
            fix = run.action == Run.Action.FIX
            reports = lifecycle.check(fix=fix, progress=progress, total=progress.total)
            drift = sum(sink.total for sink in reports)
            lines = [sink.summary() for sink in reports]
            if fix and drift:
                lines.append(f"{drift} écart(s) réparé(s).")
            report = "\n".join(lines)
        status = Run.Status.DONE
    except engine.ENGINE_UNAVAILABLE as exc:
        report, status = f"Moteur de recherche injoignable ({type(exc).__name__}).", Run.Status.FAILED
    except Exception as exc:  # noqa: BLE001 — recorded for the admin, and re-raised for the task's result
        progress.flush()
        _finish(run_id, Run.Status.FAILED, f"Erreur : {type(exc).__name__}: {exc}"[:4000])
        raise
    progress.flush()
    _finish(run_id, status, report.strip())
    return status


def _finish(run_id, status, report):
    Run.objects.filter(pk=run_id).update(status=status, report=report, active=None, finished_at=timezone.now())


@task()
def run_maintenance(run_id):
    return execute(run_id)
