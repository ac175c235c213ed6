"""The indexing outbox: changes are recorded with the page change, then drained by tasks.

A publish writes an `IndexQueue` row in its own transaction, so nothing is lost when the
engine is down or the worker is stopped. `drain()` syncs due rows in batches; when the
engine is unavailable, rows get exponential back-off (30 s, 1 min, 2 min … capped at 1 h)
and a deferred task is scheduled when the task backend supports it. `search_index check
--fix` and `search_index drain` recover anything left over.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from .engine import ENGINE_UNAVAILABLE
from .indexing import sync_pages
from .models import IndexQueue

BATCH = 500
MAX_DELAY = timedelta(hours=1)


def backoff(attempts):
    return min(timedelta(seconds=30 * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def enqueue(page_ids):
    """Record that these pages must be (re)indexed or removed; the task runs after commit."""
    page_ids = sorted(set(page_ids))
    if not page_ids:
        return
    now = timezone.now()
    for page_id in page_ids:
        IndexQueue.objects.update_or_create(
            page_id=page_id, defaults={"enqueued_at": now, "next_attempt_at": None, "attempts": 0}
        )
    connection = transaction.get_connection()
    # One drain per transaction is enough, however many pages it touched.
    if not any(callback is _schedule_drain for _sids, callback, *_rest in connection.run_on_commit):
        transaction.on_commit(_schedule_drain)


def _schedule_drain():
    drain_index_queue.enqueue()


def due_rows(limit=BATCH):
    now = timezone.now()
    return list(
        IndexQueue.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)).order_by(
            "enqueued_at"
        )[:limit]
    )


def drain(limit=None):
    """Sync every due row; returns (synced, failed). Stops at the first engine outage."""
    synced = failed = 0
    while limit is None or synced < limit:
        rows = due_rows()
        if not rows:
            break
        try:
            sync_pages([row.page_id for row in rows])
        except ENGINE_UNAVAILABLE as exc:
            _postpone(rows, exc)
            failed += len(rows)
            break
        for row in rows:
            # A row re-enqueued while we synced keeps its newer timestamp and stays queued.
            IndexQueue.objects.filter(pk=row.pk, enqueued_at=row.enqueued_at).delete()
        synced += len(rows)
    return synced, failed


def _postpone(rows, exc):
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + backoff(row.attempts)
        row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        row.save(update_fields=["attempts", "next_attempt_at", "last_error"])
    retry_at = min(row.next_attempt_at for row in rows)
    if drain_index_queue.get_backend().supports_defer:
        drain_index_queue.using(run_after=retry_at).enqueue()


@task()
def drain_index_queue():
    synced, failed = drain()
    return {"synced": synced, "failed": failed}
