"""Admin pages of the annual activity reports: the list a user may see, one report with its figures.

The rules (who sees, edits, submits, reviews, validates) are in `reports`; these views route forms.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from portal.accounts.roles import is_national
from portal.centres.models import Centre

from . import reports
from .commitments import LABELS
from .models import FUNDERS, ActivityReport, Correspondent

ENTERED_FIELDS = [
    "fte_total",
    "fte_socle",
    "team_training_hours",
    "team_training_people",
    "national_meetings",
    *[f"{key}_{part}" for key, _label in FUNDERS for part in ("socle", "complementary")],
    "competitive_revenue",
    "comments",
]


class EnteredForm(forms.ModelForm):
    class Meta:
        model = ActivityReport
        fields = ENTERED_FIELDS


def can_see_reports(user):
    return (
        is_national(user) or Centre.objects.for_user(user).exists() or Correspondent.objects.filter(user=user).exists()
    )


def report_index(request):
    if not can_see_reports(request.user):
        raise PermissionDenied
    if request.method == "POST":  # a centre opens its report for a year
        centre = get_object_or_404(Centre.objects.for_user(request.user), pk=request.POST.get("centre"))
        year = int(request.POST.get("year") or timezone.now().year - 1)
        report, _created = ActivityReport.objects.get_or_create(centre=centre, year=year)
        return redirect("reporting_report", report.pk)
    context = {
        "reports": reports.visible_reports(request.user).order_by("-year", "centre__name"),
        "my_centres": Centre.objects.for_user(request.user),
        "default_year": timezone.now().year - 1,
    }
    return render(request, "reporting/report_index.html", context)


def report_detail(request, report_id):
    report = get_object_or_404(reports.visible_reports(request.user), pk=report_id)
    editable = reports.can_edit(request.user, report)
    form = EnteredForm(instance=report) if editable else None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save" and editable:
                form = EnteredForm(request.POST, instance=report)
                if form.is_valid():
                    form.save()
                    messages.success(request, "Saisie enregistrée.")
                    return redirect("reporting_report", report.pk)
                messages.error(request, "La saisie contient des erreurs : voyez les champs signalés.")
            elif action == "submit":
                reports.submit(report, request.user)
                messages.success(request, "Rapport transmis : les chiffres calculés sont figés.")
                return redirect("reporting_report", report.pk)
            elif action == "opinion":
                reports.give_opinion(report, request.user, request.POST.get("opinion", ""))
                messages.success(request, "Avis régional enregistré.")
                return redirect("reporting_report", report.pk)
            elif action == "validate":
                reports.validate(report, request.user)
                messages.success(request, "Rapport validé.")
                return redirect("reporting_report", report.pk)
            elif action == "send_back":
                reports.send_back(report, request.user, request.POST.get("reason", ""))
                messages.success(request, "Rapport renvoyé au centre.")
                return redirect("reporting_report", report.pk)
            else:
                messages.error(request, "Action non permise.")
        except reports.ReportError as error:
            messages.error(request, str(error))
    figures = reports.figures(report)
    context = {
        "report": report,
        "form": form,
        "figures": figures,
        "commitments": [(LABELS[name], result) for name, result in figures["commitments"].items()],
        "can_submit": editable,
        "can_review": reports.is_correspondent_for(request.user, report),
        "national": is_national(request.user),
        "index_url": reverse("reporting_reports"),
    }
    return render(request, "reporting/report_detail.html", context)
