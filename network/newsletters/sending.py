"""The sending engine: schedule, snapshot the audience, send in batches, survive crashes, pause, resume, cancel.

The same functions run from the admin (through a django-tasks task), from `newsletter send` and
from the tests. How a delivery row moves, and why at most one message per worker is uncertain:

1. `start` snapshots the audience as one `Delivery` row per address (bulk_create) and renders the
   issue once (`IssueSend.subject/html/text`), then publishes the issue's archive page.
2. A `Worker` claims a batch of pending rows (`SELECT … FOR UPDATE SKIP LOCKED`) and marks them
   `claimed` under its id, committed: no other worker will take them.
3. Just before handing one message to SMTP it marks that row `sending`; as soon as the server
   accepts it, the row becomes `sent` (with its Message-ID) in the same UPDATE that marks the next
   one `sending`. So a worker that dies holds at most one `sending` row (maybe sent, maybe not:
   `uncertain`, never resent automatically) and some `claimed` ones (never handed over: pending again).
4. Whether a worker is alive is a PostgreSQL session advisory lock it holds while it runs: the
   server releases it when the process dies, so `recover` never takes rows from a live worker.
"""

import contextlib
import logging
import os
import smtplib
import socket
import time
import uuid
import zlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .delivery import ACTIVE_STATES, Delivery, DeliveryState, IssueSend, SendState
from .issues import NewsletterIssuePage
from .marks import Marks
from .models import MailingList, Subscription
from .rendering import MailTemplate, RenderedIssue, render_issue, sender

logger = logging.getLogger(__name__)
LOCK_NAMESPACE = 4_210_010  # first key of the workers' advisory locks
UNFINISHED = (DeliveryState.PENDING, DeliveryState.CLAIMED, DeliveryState.SENDING)


def setting(name, default):
    return getattr(settings, name, default)


class SendError(ValidationError):
    """A send that cannot be scheduled or changed; its message is French, for the admin and the command."""


# --- Scheduling and operator actions -------------------------------------------------------------


def allowed_lists(issue, user=None):
    """The lists an issue may go to: its centre's; national lists for the national team (or the command line)."""
    from portal.accounts.roles import is_national

    query = Q(centre_id=issue.centre_id)
    if user is None or is_national(user):
        query |= Q(centre__isnull=True)
    lists = MailingList.objects.filter(query)
    return lists.filter(pk__in=MailingList.objects.for_user(user)) if user is not None else lists


def schedule(issue_id, list_ids, when=None, user=None, enqueue=True):
    """Choose the audience and the time, and queue the send task. Returns the send record."""
    issue = NewsletterIssuePage.objects.get(pk=issue_id)
    lists = list(allowed_lists(issue, user).filter(pk__in=list_ids))
    if not list_ids or len(lists) != len(set(list_ids)):
        raise SendError(_("Choisissez au moins une liste de diffusion parmi celles du centre."))
    with transaction.atomic():
        record, _created = IssueSend.objects.select_for_update().get_or_create(issue=issue)
        if record.state not in (SendState.DRAFT, SendState.SCHEDULED):
            raise SendError(
                _("Cette lettre est déjà partie (état : %(state)s).") % {"state": record.get_state_display()}
            )
        record.lists.set(lists)
        record.state = SendState.SCHEDULED
        record.scheduled_at = when
        record.requested_by = user
        record.save()
        if enqueue:
            transaction.on_commit(lambda: queue_workers(issue.pk, when))
    logger.info("Newsletter issue %s scheduled for %s by %s", issue.pk, when or "now", user)
    return record


def queue_workers(issue_id, when=None):
    """Queue NEWSLETTER_TASK_WORKERS send tasks (each a worker; several db_worker processes share the batches)."""
    from .tasks import send_issue

    task = send_issue
    if when and when > timezone.now() and task.get_backend().supports_defer:
        task = task.using(run_after=when)
    for _n in range(setting("NEWSLETTER_TASK_WORKERS", 1)):
        task.enqueue(issue_id)


def _set_state(issue_id, allowed_from, new_state):
    with transaction.atomic():
        record = IssueSend.objects.select_for_update().filter(issue_id=issue_id).first()
        if record is None or record.state not in allowed_from:
            current = record.get_state_display() if record else SendState.DRAFT.label
            raise SendError(_("Action impossible dans l'état « %(state)s ».") % {"state": current})
        record.state = new_state
        record.save(update_fields=["state", "updated_at"])
    logger.info("Newsletter issue %s: %s", issue_id, new_state)
    return record


def pause(issue_id):
    """Workers stop after their current message; their claimed rows go back to pending."""
    return _set_state(issue_id, (SendState.SCHEDULED, SendState.SENDING), SendState.PAUSED)


def resume(issue_id, enqueue=True):
    record = _set_state(issue_id, (SendState.PAUSED,), SendState.SENDING if _started(issue_id) else SendState.SCHEDULED)
    if enqueue:
        transaction.on_commit(lambda: queue_workers(issue_id))
    return record


def cancel(issue_id):
    """Nothing more is sent; what was not sent is recorded as skipped."""
    with transaction.atomic():
        record = _set_state(issue_id, ACTIVE_STATES, SendState.CANCELLED)
        Delivery.objects.filter(issue_id=issue_id, state=DeliveryState.PENDING).update(state=DeliveryState.SKIPPED)
        record.finished_at = timezone.now()
        record.save(update_fields=["finished_at"])
    return record


def resend_uncertain(issue_id):
    """An operator's decision (never automatic): the uncertain rows go out again. Returns how many."""
    with transaction.atomic():
        count = Delivery.objects.filter(issue_id=issue_id, state=DeliveryState.UNCERTAIN).update(
            state=DeliveryState.PENDING, worker=""
        )
        if count:
            IssueSend.objects.filter(issue_id=issue_id, state=SendState.SENT).update(state=SendState.SENDING)
    return count


def _started(issue_id):
    return IssueSend.objects.filter(issue_id=issue_id, snapshot_at__isnull=False).exists()


# --- Start: snapshot and render once ----------------------------------------------------------------


def start(issue_id, force=False):
    """Snapshot the audience and render the mail once, then state `sending`. Idempotent; returns the record.

    A scheduled send whose time has not come stays scheduled unless `force` (the command line).
    """
    with transaction.atomic():
        record = IssueSend.objects.select_for_update().get(issue_id=issue_id)
        if record.state not in (SendState.SCHEDULED, SendState.SENDING):
            return record
        not_yet = record.scheduled_at and record.scheduled_at > timezone.now()
        if record.state == SendState.SCHEDULED and not_yet and not force:
            return record
        if record.snapshot_at is None:
            page = NewsletterIssuePage.objects.get(pk=issue_id)
            revision = page.get_latest_revision() or page.save_revision()
            issue = revision.as_object()
            rendered = render_issue(issue)
            record.subject, record.html, record.text = rendered.subject, rendered.html, rendered.text
            record.recipients_count = snapshot_audience(issue_id, record.lists.all())
            record.snapshot_at = record.started_at = timezone.now()
            revision.publish()  # the web archive page, public and searchable from now on
        record.state = SendState.SENDING
        record.save()
    return record


def snapshot_audience(issue_id, lists):
    """One pending Delivery per deliverable, confirmed address of the lists (one per address). Returns the count."""
    rows = (
        Subscription.objects.audience()
        .filter(mailing_list__in=lists)
        .order_by("subscriber_id", "mailing_list_id")
        .values_list("subscriber_id", "mailing_list_id")
    )
    seen, deliveries = set(), []
    for subscriber_id, list_id in rows.iterator(chunk_size=10_000):
        if subscriber_id not in seen:
            seen.add(subscriber_id)
            deliveries.append(Delivery(issue_id=issue_id, subscriber_id=subscriber_id, mailing_list_id=list_id))
    Delivery.objects.bulk_create(deliveries, batch_size=5_000, ignore_conflicts=True)
    return len(deliveries)


# --- Liveness and recovery ---------------------------------------------------------------------------


def _lock_key(worker_id):
    return zlib.crc32(worker_id.encode()) - 2**31  # a signed int4, as pg_advisory_lock(int, int) wants


def _is_postgres():
    return connection.vendor == "postgresql"


def worker_is_alive(worker_id):
    if _is_postgres():
        with connection.cursor() as cursor:  # taken (and released at commit) only if nobody holds it
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, _lock_key(worker_id)])
            return not cursor.fetchone()[0]
    host, _sep, rest = worker_id.partition(":")
    if host != socket.gethostname():
        return True  # another machine's worker: assume alive (SQLite is single-machine anyway)
    try:
        os.kill(int(rest.split(":")[0]), 0)
    except ProcessLookupError:
        return False
    except (ValueError, PermissionError):
        return True
    return True


def recover(issue_id, exclude_worker=None):
    """Rows of dead workers: `claimed` back to pending, `sending` to uncertain. Returns (released, uncertain)."""
    with transaction.atomic():
        held = (
            Delivery.objects.filter(issue_id=issue_id, state__in=(DeliveryState.CLAIMED, DeliveryState.SENDING))
            .exclude(worker=exclude_worker or "")
            .values_list("worker", flat=True)
            .distinct()
        )
        dead = [worker for worker in set(held) if not worker_is_alive(worker)]
        if not dead:
            return 0, 0
        rows = Delivery.objects.filter(issue_id=issue_id, worker__in=dead)
        released = rows.filter(state=DeliveryState.CLAIMED).update(state=DeliveryState.PENDING, worker="")
        uncertain = rows.filter(state=DeliveryState.SENDING).update(
            state=DeliveryState.UNCERTAIN,
            last_error=_("Processus d'envoi interrompu pendant la remise : message peut-être reçu."),
        )
    if uncertain:
        logger.warning("Newsletter issue %s: %s message(s) uncertain after a worker died", issue_id, uncertain)
    return released, uncertain


def finish_if_done(issue_id):
    with transaction.atomic():
        record = IssueSend.objects.select_for_update().get(issue_id=issue_id)
        if record.state != SendState.SENDING:
            return False
        if Delivery.objects.filter(issue_id=issue_id, state__in=UNFINISHED).exists():
            return False
        counts = progress(issue_id)
        record.state = SendState.SENT
        record.finished_at = timezone.now()
        record.sent_count, record.failed_count = counts["sent"], counts["failed"]
        record.save()
    logger.info("Newsletter issue %s sent", issue_id)
    return True


# --- The worker -----------------------------------------------------------------------------------------


class Worker:
    """Sends one issue's pending deliveries over one SMTP connection until none is left or the state changes."""

    def __init__(self, issue_id, on_progress=None):
        self.issue_id = issue_id
        self.id = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.on_progress = on_progress
        self.batch_size = setting("NEWSLETTER_BATCH_SIZE", 100)
        self.max_attempts = setting("NEWSLETTER_MAX_ATTEMPTS", 5)
        self.retry_delay = timedelta(seconds=setting("NEWSLETTER_RETRY_SECONDS", 300))
        self.state_checked_at = 0.0
        self.state_check_seconds = setting("NEWSLETTER_STATE_CHECK_SECONDS", 1.0)
        self.backend = None
        self.template = None
        self.accepted = None  # (pk, message_id, sent_at) accepted by the server, not yet recorded
        self.marks = Marks()

    # Liveness: a session lock held while the worker runs.
    def _lock(self, acquire):
        if _is_postgres():
            if acquire:
                self._fast_commits()
            function = "pg_advisory_lock" if acquire else "pg_advisory_unlock"
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {function}(%s, %s)", [LOCK_NAMESPACE, _lock_key(self.id)])  # noqa: S608

    @staticmethod
    def _fast_commits():
        """A commit per message must not wait for the disk. Only a crash of the PostgreSQL server itself
        could lose the last fraction of a second of marks (those rows would be sent again); a worker's
        crash loses nothing: the server has the commit."""
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")

    def run(self):
        """Returns the number of messages this worker had accepted by the server."""
        record = IssueSend.objects.get(issue_id=self.issue_id)
        if record.state != SendState.SENDING:
            return 0
        self.template = MailTemplate(
            RenderedIssue(record.subject, record.html, record.text), sender(record.issue.centre)
        )
        self._lock(True)
        self.sent = 0
        try:
            self._loop()
        finally:
            self._flush()
            self._release_claimed()
            self._close()
            self._lock(False)
        return self.sent

    def _loop(self):
        while self._still_sending(force=True):
            batch = self._claim()
            if not batch:
                self._flush()
                recover(self.issue_id, exclude_worker=self.id)
                if self._claimable().exists():
                    continue
                wait = self._next_retry_in()
                if wait is None:
                    finish_if_done(self.issue_id)
                    return
                time.sleep(min(wait, 5.0))
                continue
            for row in batch:
                if not self._still_sending():
                    return
                self._deliver(row)

    def _still_sending(self, force=False):
        now = time.monotonic()
        if not force and now - self.state_checked_at < self.state_check_seconds:
            return True
        self.state_checked_at = now
        state = IssueSend.objects.filter(issue_id=self.issue_id).values_list("state", flat=True).first()
        return state == SendState.SENDING

    def _claimable(self):
        now = timezone.now()
        return Delivery.objects.filter(issue_id=self.issue_id, state=DeliveryState.PENDING).filter(
            Q(retry_at__isnull=True) | Q(retry_at__lte=now)
        )

    def _next_retry_in(self):
        retry_at = (
            Delivery.objects.filter(issue_id=self.issue_id, state=DeliveryState.PENDING)
            .order_by("retry_at")
            .values_list("retry_at", flat=True)
            .first()
        )
        if retry_at is None:
            return None
        return max((retry_at - timezone.now()).total_seconds(), 0.05)

    def _claim(self):
        with transaction.atomic():
            ids = list(
                self._claimable()
                .select_for_update(skip_locked=True)
                .order_by("pk")
                .values_list("pk", flat=True)[: self.batch_size]
            )
            if not ids:
                return []
            Delivery.objects.filter(pk__in=ids).update(state=DeliveryState.CLAIMED, worker=self.id)
        record_lists = IssueSend.objects.get(issue_id=self.issue_id).lists.all()
        rows = list(
            Delivery.objects.filter(pk__in=ids)
            .order_by("pk")
            .values_list("pk", "subscriber_id", "subscriber__email", "mailing_list_id", "attempts")
        )
        # Unsubscribed or bounced since the snapshot: skipped, in one UPDATE per batch.
        audience = set(
            Subscription.objects.audience()
            .filter(subscriber_id__in=[row[1] for row in rows], mailing_list__in=record_lists)
            .values_list("subscriber_id", flat=True)
        )
        gone = [row[0] for row in rows if row[1] not in audience]
        if gone:
            Delivery.objects.filter(pk__in=gone).update(state=DeliveryState.SKIPPED)
        return [row for row in rows if row[1] in audience]

    def _deliver(self, row):
        pk, subscriber_id, address, list_id, attempts = row
        self._connect()  # a connection refused sends nothing: the row stays claimed, then released
        message_id = self.template.new_message_id()
        # The previous message becomes `sent`, this one `sending` (one UPDATE, see marks.py).
        self.marks.start(pk, self.accepted)
        self.accepted = None
        try:
            try:
                self._send(address, subscriber_id, list_id, message_id)
            finally:
                self.marks.wait()
        except smtplib.SMTPRecipientsRefused as error:
            code, text = next(iter(error.recipients.values()))
            self._failed(pk, attempts, code, text)
        except smtplib.SMTPResponseException as error:
            self._failed(pk, attempts, error.smtp_code, error.smtp_error)
        except (smtplib.SMTPServerDisconnected, OSError) as error:
            # The connection broke during the exchange: the server may have the message. Uncertain, reconnect.
            Delivery.objects.filter(pk=pk).update(state=DeliveryState.UNCERTAIN, last_error=str(error)[:500])
            self._close()
        else:
            self.accepted = (pk, message_id, timezone.now())
            self.sent += 1
            if self.on_progress:
                self.on_progress(1)

    def _flush(self):
        if self.accepted is not None:
            done, message_id, sent_at = self.accepted
            Delivery.objects.filter(pk=done).update(
                state=DeliveryState.SENT, sent_at=sent_at, message_id=message_id, attempts=F("attempts") + 1
            )
            self.accepted = None

    def _failed(self, pk, attempts, code, text):
        self._flush()
        error = f"{code} {text.decode(errors='replace') if isinstance(text, bytes) else text}"[:500]
        temporary = 400 <= int(code or 0) < 500
        if temporary and attempts + 1 < self.max_attempts:
            Delivery.objects.filter(pk=pk).update(
                state=DeliveryState.PENDING,
                worker="",
                attempts=attempts + 1,
                retry_at=timezone.now() + self.retry_delay,
                last_error=error,
            )
        else:
            Delivery.objects.filter(pk=pk).update(state=DeliveryState.FAILED, attempts=attempts + 1, last_error=error)

    def _connect(self):
        if self.backend is None:
            self.backend = get_connection(fail_silently=False)
            self.backend.open()
            if isinstance(self.backend, SMTPBackend):
                self.backend.connection.ehlo_or_helo_if_needed()

    def _send(self, address, subscriber_id, list_id, message_id):
        if not isinstance(self.backend, SMTPBackend):
            self.marks.wait()
            self.backend.send_messages([self.template.email_message(address, subscriber_id, list_id, message_id)])
            return
        # smtplib's sendmail in three steps, so that the database commits the `sending` mark while
        # MAIL FROM and RCPT TO travel; nothing can be accepted before DATA.
        raw = self.template.build(address, subscriber_id, list_id, message_id)
        smtp = self.backend.connection
        code, reply = smtp.mail(self.template.envelope_from)
        if code != 250:
            self._reset(smtp)
            raise smtplib.SMTPSenderRefused(code, reply, self.template.envelope_from)
        code, reply = smtp.rcpt(address)
        if code not in (250, 251):
            self._reset(smtp)
            raise smtplib.SMTPRecipientsRefused({address: (code, reply)})
        self.marks.wait()
        code, reply = smtp.data(raw)
        if code != 250:
            self._reset(smtp)
            raise smtplib.SMTPDataError(code, reply)

    @staticmethod
    def _reset(smtp):
        with contextlib.suppress(smtplib.SMTPServerDisconnected):
            smtp.rset()

    def _close(self):
        if self.backend is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.backend.close()
            self.backend = None

    def _release_claimed(self):
        cancelled = IssueSend.objects.filter(issue_id=self.issue_id, state=SendState.CANCELLED).exists()
        Delivery.objects.filter(issue_id=self.issue_id, worker=self.id, state=DeliveryState.CLAIMED).update(
            state=DeliveryState.SKIPPED if cancelled else DeliveryState.PENDING, worker=""
        )


def run_worker(issue_id, on_progress=None):
    """Start the send if due, then send as one worker. What the task and the command's workers call."""
    record = start(issue_id)
    if record.state != SendState.SENDING:
        return 0
    return Worker(issue_id, on_progress).run()


# --- Progress -------------------------------------------------------------------------------------------


def progress(issue_id):
    """{state: count} of the deliveries, plus remaining, total and the rate over the last minute."""
    counts = dict.fromkeys(DeliveryState.values, 0)
    rows = Delivery.objects.filter(issue_id=issue_id).values("state").annotate(n=Count("pk")).order_by()
    counts.update({row["state"]: row["n"] for row in rows})
    counts["remaining"] = sum(counts[state] for state in UNFINISHED)
    counts["total"] = sum(counts[state] for state in DeliveryState.values)
    since = timezone.now() - timedelta(minutes=1)
    counts["rate_per_minute"] = Delivery.objects.filter(
        issue_id=issue_id, state=DeliveryState.SENT, sent_at__gte=since
    ).count()
    if not counts["total"]:  # a summarised send (demo data): the counts kept on the record
        record = IssueSend.objects.filter(issue_id=issue_id).first()
        if record and record.recipients_count:
            counts.update(total=record.recipients_count, sent=record.sent_count, failed=record.failed_count)
    return counts
