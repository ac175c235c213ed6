"""Registration rules, in one place: the public form, the admin and the tests all go through here.

Every change to an activity's registrations runs in one transaction holding a row lock on the
activity's `wagtailcore_page` row (`select_for_update`), so registrations to one activity are
serialised: seats are counted, positions are given (max + 1) and duplicates are found under the
lock, which is why there is never overbooking nor two rows for one address. Mails are queued once
the transaction commits (`on_commit`), as background tasks that take primary keys.

The anonymous counts (`AttendanceCount`) are recomputed in the same transaction from the
registrations: `registered` counts confirmed seats, `present` those marked present.

What the centre's staff do from the admin (register someone, cancel, mark presence, change the
capacity) is written to the activity page's audit log, with registration ids and counts but never
a name or an address: the log outlives the erasure of the people.
"""

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import Page

from .models import Attendance, AttendanceCount, Registration, RegistrationStatus, Status


class RegistrationClosed(Exception):
    """Registration is not possible (closed, past the deadline, started, cancelled); the message is French."""


def closing_reason(activity, now=None):
    """Why nobody can register to `activity` now, in French, or None when registration is open."""
    now = now or timezone.now()
    if activity.status == Status.CANCELLED:
        return _("Cet événement est annulé : les inscriptions sont fermées.")
    if activity.status == Status.POSTPONED:
        return _("Cet événement est reporté : les inscriptions rouvriront avec sa nouvelle date.")
    if not activity.registration_open:
        return _("Les inscriptions à cet événement sont fermées.")
    if activity.registration_deadline and now >= activity.registration_deadline:
        return _("La date limite d'inscription est passée.")
    if activity.starts_at and now >= activity.starts_at:
        return _("L'événement a commencé : les inscriptions sont closes.")
    return None


def lock_activity(activity):
    """Take the activity's row lock for the current transaction and return a fresh copy of it."""
    Page.objects.select_for_update().get(pk=activity.pk)
    return activity.specific_class.objects.get(pk=activity.pk)  # a plain Page given by the admin works too


def _confirmed_count(activity_id):
    return Registration.objects.filter(activity_id=activity_id, status=RegistrationStatus.CONFIRMED).count()


def _promote_waiting(activity):
    """Give the free seats to the waiting list, in order. Call under the lock. Returns the promoted."""
    if activity.starts_at and timezone.now() >= activity.starts_at:
        return []  # too late to offer a seat
    waiting = Registration.objects.filter(activity_id=activity.pk, status=RegistrationStatus.WAITING)
    waiting = waiting.order_by("position")
    if activity.capacity is not None:
        waiting = waiting[: max(0, activity.capacity - _confirmed_count(activity.pk))]
    promoted = list(waiting)
    for registration in promoted:
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status"])
    return promoted


ZERO = {"registered": 0, "present": 0}


def refresh_counts(activity_id):
    """Recompute the anonymous counts per public category from the registrations (under the lock)."""
    rows = (
        Registration.objects.filter(activity_id=activity_id)
        .values("public_category")
        .annotate(
            registered=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            present=Count("pk", filter=Q(attendance="present") & ~Q(status=RegistrationStatus.CANCELLED)),
        )
    )
    counts = {row.pop("public_category"): row for row in rows}
    if not counts:
        return  # nobody registered, or the people were erased: the counts kept are the record
    kept = AttendanceCount.objects.filter(activity_id=activity_id).values_list("public_category", flat=True)
    rows = [
        AttendanceCount(activity_id=activity_id, public_category=category, **counts.get(category, ZERO))
        for category in sorted(set(counts) | set(kept))
    ]
    # One INSERT … ON CONFLICT DO UPDATE for every category, not a savepoint, a read and a write
    # each: this runs under the activity's lock, which every other registration waits for.
    AttendanceCount.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["activity", "public_category"],
        update_fields=["registered", "present"],
    )


def queue_mail(registration, kind):
    from .tasks import send_registration_mail  # tasks import mails, which import the page models

    registration_id = registration.pk
    transaction.on_commit(lambda: send_registration_mail.enqueue(registration_id, kind))


def register(
    activity,
    *,
    name,
    email,
    organisation,
    public_category,
    territory="",
    accessibility_needs="",
    source="form",
):
    """Register a person; returns (registration, created).

    The same address (whatever its case) on the same activity is one registration: an active one is
    returned as it is (created False, no mail); a cancelled one is taken up again at the end of the
    queue (created True), as a new arrival would be. Raises RegistrationClosed with a French message.
    """
    email = email.strip()
    with transaction.atomic():
        activity = lock_activity(activity)
        reason = closing_reason(activity)
        if reason:
            raise RegistrationClosed(reason)
        registration = Registration.objects.filter(activity_id=activity.pk, email_key=email.lower()).first()
        if registration and registration.status != RegistrationStatus.CANCELLED:
            return registration, False
        _promote_waiting(activity)  # a seat freed earlier goes to those already waiting, never to a newcomer
        last = Registration.objects.filter(activity_id=activity.pk).aggregate(last=Max("position"))["last"] or 0
        full = activity.capacity is not None and _confirmed_count(activity.pk) >= activity.capacity
        registration = registration or Registration(activity_id=activity.pk)
        registration.name = name.strip()
        registration.email = email
        registration.organisation = organisation.strip()
        registration.public_category = public_category
        registration.territory = territory.strip()
        registration.accessibility_needs = accessibility_needs.strip()
        registration.source = source
        registration.status = RegistrationStatus.WAITING if full else RegistrationStatus.CONFIRMED
        registration.position = last + 1
        registration.consent_at = registration.created_at = timezone.now()
        registration.cancelled_at = None
        registration.save()
        refresh_counts(activity.pk)
        queue_mail(registration, "waiting" if full else "confirmation")
    return registration, True


def cancel(registration):
    """Cancel a registration; a freed seat goes to the next people waiting, who are told by mail.

    Returns the promoted registrations (empty when nothing was freed, or if already cancelled).
    """
    with transaction.atomic():
        activity = lock_activity(registration.activity.specific)
        registration = Registration.objects.get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return []
        was_confirmed = registration.status == RegistrationStatus.CONFIRMED
        registration.status = RegistrationStatus.CANCELLED
        registration.cancelled_at = timezone.now()
        registration.save(update_fields=["status", "cancelled_at"])
        promoted = _promote_waiting(activity) if was_confirmed else []
        for person in promoted:
            queue_mail(person, "promotion")
        refresh_counts(activity.pk)
    return promoted


def erase_person(registration):
    """A person's own request (link in every mail): their data goes, the anonymous counts stay.

    Before the activity starts the registration is cancelled first (its seat goes to the waiting
    list). The row is then anonymised, not deleted, so that counts recomputed later still hold it;
    `erase_registrations` deletes it with the others. Returns the people promoted.
    """
    with transaction.atomic():
        activity = lock_activity(registration.activity.specific)
        started = activity.starts_at and timezone.now() >= activity.starts_at
        promoted = [] if started else cancel(registration)
        Registration.objects.filter(pk=registration.pk).update(
            name="", email="", email_key=f"efface-{registration.pk}", organisation="", territory="",
            accessibility_needs="",
        )  # fmt: skip
    return promoted


def fill_seats(activity):
    """Give seats freed outside a cancellation (a capacity raised by the centre) to the waiting list,
    in order, and tell each person promoted. Returns them."""
    with transaction.atomic():
        activity = lock_activity(activity)
        if activity.status == Status.CANCELLED:
            return []
        promoted = _promote_waiting(activity)
        for person in promoted:
            queue_mail(person, "promotion")
        if promoted:
            refresh_counts(activity.pk)
    return promoted


def notify_activity_cancelled(activity):
    """The centre cancelled the activity: tell everyone still registered, once each. Returns how many."""
    with transaction.atomic():
        activity = lock_activity(activity)
        people = list(
            Registration.objects.filter(
                activity_id=activity.pk,
                status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING],
                cancellation_notice_sent_at__isnull=True,
            ).exclude(email="")
        )
        for person in people:
            queue_mail(person, "activity_cancelled")
        Registration.objects.filter(pk__in=[p.pk for p in people]).update(cancellation_notice_sent_at=timezone.now())
    return len(people)


def waiting_rank(registration):
    """Rank of a waiting registration on its list (1 = next to get a seat)."""
    return Registration.objects.filter(
        activity_id=registration.activity_id, status=RegistrationStatus.WAITING, position__lte=registration.position
    ).count()


def outcome_message(registration):
    """What the answer page (and the mail) says about a registration."""
    if registration.status == RegistrationStatus.CONFIRMED:
        return _("Inscription confirmée")
    if registration.status == RegistrationStatus.WAITING:
        return _("Vous êtes sur liste d'attente (position %(rank)s)") % {"rank": waiting_rank(registration)}
    return _("Inscription annulée")


def register_by_staff(activity, user, **person):
    """A registration recorded by the centre's staff: the same rules as the form (`register`), logged."""
    with transaction.atomic():
        registration, created = register(activity, source="staff", **person)
        if created:
            log(activity, "events.registration.staff", user=user,
                data={"registration": registration.pk, "status": registration.status})  # fmt: skip
    return registration, created


def cancel_by_staff(registration, user):
    """A cancellation by the centre's staff: as by the person (`cancel`: the waiting list moves up), logged."""
    with transaction.atomic():
        promoted = cancel(registration)
        log(registration.activity.specific, "events.registration.cancel", user=user,
            data={"registration": registration.pk, "promoted": [p.pk for p in promoted]})  # fmt: skip
    return promoted


def mark_attendance(activity, marks, user=None):
    """Record presence: `marks` maps registration ids of this activity to an `Attendance` value.

    Cancelled registrations and ids of other activities are left alone. Returns how many changed;
    the anonymous counts are recomputed and the change logged when any did.
    """
    if any(value not in Attendance.values for value in marks.values()):
        raise ValueError("unknown attendance value")
    with transaction.atomic():
        activity = lock_activity(activity)
        rows = Registration.objects.filter(activity_id=activity.pk, pk__in=list(marks)).exclude(
            status=RegistrationStatus.CANCELLED
        )
        changed = [row for row in rows if row.attendance != marks[row.pk]]
        for row in changed:
            row.attendance = marks[row.pk]
            row.save(update_fields=["attendance"])
        if changed:
            refresh_counts(activity.pk)
            tally = {value: sum(1 for row in changed if row.attendance == value) for value in Attendance.values}
            log(activity, "events.attendance", user=user, data={"changed": len(changed), "marked": tally})
    return len(changed)


def change_capacity(activity, capacity, user=None):
    """Set the number of seats (None: no limit) and give the seats it frees to the waiting list, in
    order, each person told by mail (as for a cancellation). Nobody confirmed loses a seat when the
    capacity goes down. Returns the people promoted.

    The live page and its latest revisions get the new figure, so that publishing a draft later
    does not bring the old one back.
    """
    with transaction.atomic():
        activity = lock_activity(activity)
        previous = activity.capacity
        type(activity).objects.filter(pk=activity.pk).update(capacity=capacity)
        for revision in {activity.latest_revision, activity.live_revision} - {None}:
            revision.content["capacity"] = capacity
            revision.save(update_fields=["content"])
        activity.capacity = capacity
        promoted = [] if activity.status == Status.CANCELLED else _promote_waiting(activity)
        for person in promoted:
            queue_mail(person, "promotion")
        refresh_counts(activity.pk)
        log(activity, "events.capacity", user=user,
            data={"from": previous, "to": capacity, "promoted": [p.pk for p in promoted]})  # fmt: skip
    return promoted
