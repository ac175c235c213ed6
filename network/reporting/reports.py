"""The annual activity report's life: who sees it, who edits it, and its states (SPEC §4).

- a centre's staff see and fill in their own centre's reports, and submit them: the computed
  figures are then frozen in `snapshot`, so later edits of events or sheets do not change a
  submitted report;
- a regional correspondent sees the reports of the centres of their region(s), once submitted,
  and writes the *avis évaluatif synthétique*;
- the national team sees everything, validates a reviewed report, or sends one back to the centre.
Every state change goes to the audit log (`reporting.*` actions).
"""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from portal.accounts.roles import is_national
from portal.centres.models import Centre

from .commitments import evaluate
from .indicators import compute
from .models import ActivityReport, Correspondent, ReportState


class ReportError(ValueError):
    """A refused action, with the French message to show."""


def visible_reports(user):
    reports = ActivityReport.objects.select_related("centre")
    if is_national(user):
        return reports
    regions = list(Correspondent.objects.filter(user=user).values_list("region__code", flat=True))
    mine = reports.filter(centre__in=Centre.objects.for_user(user))
    if not regions:
        return mine
    in_region = [
        centre.pk for centre in Centre.objects.all() if set(filter(None, centre.region_codes.split(","))) & set(regions)
    ]
    return mine | reports.filter(centre_id__in=in_region).exclude(state=ReportState.DRAFT)


def can_edit(user, report):
    return report.state == ReportState.DRAFT and Centre.objects.for_user(user).filter(pk=report.centre_id).exists()


def is_correspondent_for(user, report):
    regions = set(Correspondent.objects.filter(user=user).values_list("region__code", flat=True))
    return bool(regions & set(filter(None, report.centre.region_codes.split(","))))


def figures(report):
    """The report's figures: frozen at submission, computed live while it is a draft."""
    if report.snapshot is not None:
        return report.snapshot
    (live,) = compute(report.year, [report.centre])
    live["commitments"] = evaluate(live, report.entered_for_commitments())
    return live


def indicators_with_reports(year, centres):
    """compute() for the year, each centre's commitments evaluated with what its report entered.

    A submitted report's frozen figures are used as they were submitted (the snapshot)."""
    reports = {report.centre_id: report for report in ActivityReport.objects.filter(year=year, centre__in=centres)}
    rows = compute(year, centres)
    for centre, row in zip(centres, rows, strict=True):
        report = reports.get(centre.pk)
        if report is None:
            continue
        if report.snapshot is not None:
            row.update(report.snapshot)
        else:
            row["commitments"] = evaluate(row, report.entered_for_commitments())
    return rows


def _locked(report):
    return ActivityReport.objects.select_for_update().get(pk=report.pk)


@transaction.atomic
def submit(report, user):
    report = _locked(report)
    if not Centre.objects.for_user(user).filter(pk=report.centre_id).exists():
        raise ReportError("Seule l'équipe du centre transmet son rapport.")
    if report.state != ReportState.DRAFT:
        raise ReportError("Ce rapport a déjà été transmis.")
    missing = [label for field, label in REQUIRED_ON_SUBMIT if getattr(report, field) is None]
    if missing:
        raise ReportError("Avant de transmettre, complétez : " + ", ".join(missing) + ".")
    report.snapshot = figures(report)
    report.state, report.submitted_at = ReportState.SUBMITTED, timezone.now()
    report.save(update_fields=["snapshot", "state", "submitted_at"])
    log(instance=report, action="reporting.submit", user=user)
    return report


@transaction.atomic
def give_opinion(report, user, text):
    report = _locked(report)
    if not is_correspondent_for(user, report):
        raise ReportError("Seul le correspondant régional du centre rend l'avis.")
    if report.state != ReportState.SUBMITTED:
        raise ReportError("L'avis se rend sur un rapport transmis, pas encore examiné.")
    if not text.strip():
        raise ReportError("L'avis est vide.")
    report.regional_opinion, report.state, report.reviewed_at = text.strip(), ReportState.REVIEWED, timezone.now()
    report.save(update_fields=["regional_opinion", "state", "reviewed_at"])
    log(instance=report, action="reporting.review", user=user)
    return report


@transaction.atomic
def validate(report, user):
    report = _locked(report)
    if not is_national(user):
        raise ReportError("Seule l'équipe nationale valide un rapport.")
    if report.state != ReportState.REVIEWED:
        raise ReportError("Un rapport se valide après l'avis régional.")
    report.state, report.validated_at = ReportState.VALIDATED, timezone.now()
    report.save(update_fields=["state", "validated_at"])
    log(instance=report, action="reporting.validate", user=user)
    return report


@transaction.atomic
def send_back(report, user, reason):
    """The national team returns a report to the centre (unfrozen: figures are computed again)."""
    report = _locked(report)
    if not is_national(user):
        raise ReportError("Seule l'équipe nationale renvoie un rapport au centre.")
    if report.state == ReportState.DRAFT:
        raise ReportError("Ce rapport est déjà en cours de saisie.")
    report.state, report.snapshot = ReportState.DRAFT, None
    report.save(update_fields=["state", "snapshot"])
    log(instance=report, action="reporting.send_back", user=user, data={"comment": reason})
    return report


REQUIRED_ON_SUBMIT = [
    ("fte_total", "les ETP de l'équipe"),
    ("fte_socle", "les ETP sur le socle"),
    ("state_socle", "le financement de l'État sur le socle"),
]
