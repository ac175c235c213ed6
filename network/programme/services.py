"""The national programme's rules, for the admin views, the demo and the tests.

A centre's staff join chantiers and put forward their own centre's published sheets and
publications; the national team reviews. Every state change is checked here (who may, from which
state) and written to the audit log (Wagtail's log entries, actions `programme.*`).
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from portal.accounts.roles import is_national
from portal.centres.models import Centre

from .models import Contribution, ContributionStatus, Participation, ReviewComment


class ProgrammeError(ValueError):
    """A refused action, with the French message to show."""


CONTRIBUTION_TYPES = ("experiences.experiencesheetpage", "publications.publicationpage")


def _check_centre(user, centre):
    if not (is_national(user) or Centre.objects.for_user(user).filter(pk=centre.pk).exists()):
        raise ProgrammeError(f"Vous n'agissez pas pour le centre « {centre.name} ».")


def _check_national(user):
    if not is_national(user):
        raise ProgrammeError("Seule l'équipe nationale examine les contributions.")


@transaction.atomic
def join(centre, chantier, user):
    """Idempotent: returns (participation, created)."""
    _check_centre(user, centre)
    participation, created = Participation.objects.get_or_create(
        centre=centre, chantier=chantier, defaults={"joined_by": user}
    )
    if created:
        log(instance=participation, action="programme.join", user=user)
    return participation, created


@transaction.atomic
def leave(centre, chantier, user):
    _check_centre(user, centre)
    if Contribution.objects.filter(centre=centre, chantier=chantier).exists():
        raise ProgrammeError("Le centre a déjà contribué à ce chantier : il ne peut plus le quitter.")
    participation = Participation.objects.filter(centre=centre, chantier=chantier).first()
    if participation:
        log(instance=participation, action="programme.leave", user=user)
        participation.delete()


@transaction.atomic
def submit(page, chantier, user, text=""):
    """Put a centre's published sheet or publication forward for a chantier its centre has joined."""
    page = page.specific
    centre = getattr(page, "centre", None)
    if page.specific_class._meta.label_lower not in CONTRIBUTION_TYPES or centre is None:
        raise ProgrammeError("Seules les fiches d'expérience et les publications d'un centre peuvent contribuer.")
    _check_centre(user, centre)
    if not page.live:
        raise ProgrammeError(f"« {page.title} » n'est pas publiée : publiez-la avant de la proposer.")
    if not Participation.objects.filter(centre=centre, chantier=chantier).exists():
        raise ProgrammeError(f"Le centre n'a pas rejoint le chantier « {chantier.title} » : rejoignez-le d'abord.")
    call = getattr(chantier, "call", None)
    if call is not None and not call.is_open:
        raise ProgrammeError(f"L'appel à contributions de ce chantier est clos depuis le {call.deadline:%d/%m/%Y}.")
    contribution, created = Contribution.objects.select_for_update().get_or_create(
        chantier=chantier,
        page=page,
        defaults={"centre": centre, "status": ContributionStatus.SUBMITTED, "submitted_by": user},
    )
    if not created:
        if contribution.status != ContributionStatus.CHANGES_REQUESTED:
            raise ProgrammeError(
                f"« {page.title} » est déjà proposée à ce chantier ({contribution.get_status_display()})."
            )
        contribution.status = ContributionStatus.SUBMITTED
        contribution.submitted_at = timezone.now()
        contribution.submitted_by = user
        contribution.save(update_fields=["status", "submitted_at", "submitted_by"])
    _record(contribution, user, "programme.submit", ContributionStatus.SUBMITTED, text)
    return contribution


def comment(contribution, user, text):
    """A comment without a state change: either side may write one."""
    _check_centre(user, contribution.centre)
    if not text.strip():
        raise ProgrammeError("Le commentaire est vide.")
    return ReviewComment.objects.create(contribution=contribution, author=user, text=text.strip())


@transaction.atomic
def request_changes(contribution, user, text):
    _check_national(user)
    if not text.strip():
        raise ProgrammeError("Dites ce qu'il faut modifier : le commentaire est obligatoire.")
    return _decide(contribution, user, ContributionStatus.CHANGES_REQUESTED, "programme.request_changes", text)


@transaction.atomic
def accept(contribution, user, text=""):
    _check_national(user)
    return _decide(contribution, user, ContributionStatus.ACCEPTED, "programme.accept", text)


def _decide(contribution, user, status, action, text):
    contribution = Contribution.objects.select_for_update().get(pk=contribution.pk)
    if contribution.status != ContributionStatus.SUBMITTED:
        raise ProgrammeError(f"Cette contribution n'est pas en attente d'examen ({contribution.get_status_display()}).")
    contribution.status = status
    contribution.decided_at = timezone.now()
    contribution.save(update_fields=["status", "decided_at"])
    _record(contribution, user, action, status, text)
    return contribution


def _record(contribution, user, action, status, text):
    if text.strip():
        ReviewComment.objects.create(contribution=contribution, author=user, status=status, text=text.strip())
    log(instance=contribution, action=action, user=user, data={"status": status, "comment": text.strip()})
