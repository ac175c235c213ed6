"""The indexing outbox: changes are recorded with the page change, then drained by tasks.

A publish writes an `IndexQueue` row in its own transaction, so nothing is lost when the
engine is down or the worker is stopped. `drain()` syncs due rows in batches; when the
engine is unavailable, rows get exponential back-off (30 s, 1 min, 2 min … capped at 1 h)
and a deferred task is scheduled when the task backend supports it. `search_index check
--fix` and `search_index drain` recover anything left over.

Documents the engine refuses are kept too, the others of the batch are acknowledged. A
refusal due to the engine's state (429, read-only index, 5xx) is retried like an outage; a
document refused for itself (its mapping) is given up after `MAX_ATTEMPTS`: logged as an
error, its row kept with `given_up_at` for the admin status page, until the page changes again.
"""

import logging
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
MAX_ATTEMPTS = 5

logger = logging.getLogger(__name__)


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
            page_id=page_id, defaults={"enqueued_at": now, "next_attempt_at": None, "attempts": 0, "given_up_at": None}
        )
    connection = transaction.get_connection()
    # One drain per transaction is enough, however many pages it touched.
    if not any(callback is _schedule_drain for _sids, callback, *_rest in connection.run_on_commit):
        transaction.on_commit(_schedule_drain)


def _schedule_drain():
    drain_index_queue.enqueue()


def due_rows(limit=BATCH):
    now = timezone.now()
    due = Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    return list(IndexQueue.objects.filter(due, given_up_at__isnull=True).order_by("enqueued_at")[:limit])


def drain(limit=None):
    """Sync every due row; returns (synced, failed). Stops at an engine outage or refusal of its state."""
    synced = failed = 0
    while limit is None or synced < limit:
        rows = due_rows()
        if not rows:
            break
        try:
            refused = sync_pages([row.page_id for row in rows])
        except ENGINE_UNAVAILABLE as exc:
            _postpone(rows, f"{type(exc).__name__}: {exc}")
            failed += len(rows)
            break
        for row in rows:
            if row.page_id not in refused:
                # A row re-enqueued while we synced keeps its newer timestamp and stays queued.
                IndexQueue.objects.filter(pk=row.pk, enqueued_at=row.enqueued_at).delete()
                synced += 1
        kept = [row for row in rows if row.page_id in refused]
        for row in kept:
            transient, reason = refused[row.page_id]
            _postpone([row], reason, may_give_up=not transient)
        failed += len(kept)
        if any(transient for transient, _reason in refused.values()):
            break  # the engine refuses writes for now: the deferred task retries later
    return synced, failed


def _postpone(rows, error, may_give_up=False):
    now = timezone.now()
    for row in rows:
        row.attempts += 1
        row.next_attempt_at = now + backoff(row.attempts)
        row.last_error = error[:2000]
        if may_give_up and row.attempts >= MAX_ATTEMPTS:
            row.given_up_at = now
            logger.error("Search indexing of page %s given up after %s refusals: %s", row.page_id, row.attempts, error)
        row.save(update_fields=["attempts", "next_attempt_at", "last_error", "given_up_at"])
    retrying = [row.next_attempt_at for row in rows if row.given_up_at is None]
    if retrying and drain_index_queue.get_backend().supports_defer:
        drain_index_queue.using(run_after=min(retrying)).enqueue()


@task()
def drain_index_queue():
    synced, failed = drain()
    return {"synced": synced, "failed": failed}
