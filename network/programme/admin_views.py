"""Admin pages of the national programme: the chantiers, joining them, contributing, reviewing.

Centre staff see every chantier and call, but only their own centre's contributions and comments;
the national team sees and reviews all, and downloads a chantier's accepted contributions.
The rules are in `services`; these views only route forms to them and show the French refusal.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from wagtail.models import Page

from portal.accounts.roles import is_national
from portal.centres.models import Centre
from resources.taxonomy.models import Chantier

from . import services
from .bundle import bundle_response
from .models import Contribution, ContributionStatus, Participation


def user_centres(user):
    return Centre.objects.all() if is_national(user) else Centre.objects.for_user(user)


def can_use_programme(user):
    return is_national(user) or Centre.objects.for_user(user).exists()


def _require_access(request):
    if not can_use_programme(request.user):
        raise PermissionDenied


def programme_index(request):
    _require_access(request)
    national = is_national(request.user)
    centres = list(Centre.objects.for_user(request.user))
    joined = set(Participation.objects.filter(centre__in=centres).values_list("centre_id", "chantier_id"))
    chantiers = Chantier.objects.exclude(year=None).select_related("call").order_by("-year", "code")
    years = {}
    for chantier in chantiers:
        chantier.participant_count = chantier.participations.count()
        chantier.joined_by_mine = [centre for centre in centres if (centre.pk, chantier.pk) in joined]
        years.setdefault(chantier.year, []).append(chantier)
    context = {"years": years, "centres": centres, "national": national}
    return render(request, "programme/admin_index.html", context)


class SubmitForm(forms.Form):
    page = forms.ModelChoiceField(label="Fiche ou publication publiée", queryset=Page.objects.none())
    text = forms.CharField(label="Message à l'équipe nationale (facultatif)", widget=forms.Textarea, required=False)

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        from resources.experiences.models import ExperienceSheetPage
        from resources.publications.models import PublicationPage

        ids = [
            *ExperienceSheetPage.objects.live().filter(centre__in=centres).values_list("pk", flat=True),
            *PublicationPage.objects.live().filter(centre__in=centres).values_list("pk", flat=True),
        ]
        self.fields["page"].queryset = Page.objects.filter(pk__in=ids).order_by("title")


def chantier_detail(request, chantier_id):
    _require_access(request)
    chantier = get_object_or_404(Chantier.objects.select_related("call"), pk=chantier_id)
    national = is_national(request.user)
    mine = list(Centre.objects.for_user(request.user))
    contributions = Contribution.objects.filter(chantier=chantier).select_related("centre", "page")
    if not national:
        contributions = contributions.filter(centre__in=mine)
    contributions = contributions.prefetch_related("comments__author")
    if request.method == "POST":
        return _act(request, chantier, mine)
    context = {
        "chantier": chantier,
        "call": getattr(chantier, "call", None),
        "national": national,
        "participants": Participation.objects.filter(chantier=chantier).select_related("centre"),
        "my_centres": mine,
        "joined": set(
            Participation.objects.filter(chantier=chantier, centre__in=mine).values_list("centre_id", flat=True)
        ),
        "contributions": contributions,
        "submit_form": SubmitForm(centres=mine) if mine else None,
        "accepted_count": Contribution.objects.filter(chantier=chantier, status=ContributionStatus.ACCEPTED).count(),
    }
    return render(request, "programme/admin_chantier.html", context)


def _act(request, chantier, mine):
    action = request.POST.get("action")
    try:
        if action in ("join", "leave"):
            centre = get_object_or_404(user_centres(request.user), pk=request.POST.get("centre"))
            if action == "join":
                services.join(centre, chantier, request.user)
                messages.success(request, f"{centre.name} participe au chantier.")
            else:
                services.leave(centre, chantier, request.user)
                messages.success(request, f"{centre.name} ne participe plus au chantier.")
        elif action == "submit":
            form = SubmitForm(request.POST, centres=mine)
            if not form.is_valid():
                raise services.ProgrammeError("Choisissez une fiche ou une publication publiée de votre centre.")
            services.submit(form.cleaned_data["page"], chantier, request.user, form.cleaned_data["text"])
            messages.success(request, "Contribution soumise à l'équipe nationale.")
        elif action in ("comment", "request_changes", "accept", "resubmit"):
            contribution = get_object_or_404(
                Contribution.objects.filter(chantier=chantier), pk=request.POST.get("contribution")
            )
            text = request.POST.get("text", "")
            if action == "comment":
                services.comment(contribution, request.user, text)
            elif action == "request_changes":
                services.request_changes(contribution, request.user, text)
            elif action == "accept":
                services.accept(contribution, request.user, text)
            else:
                services.submit(contribution.page, chantier, request.user, text)
            messages.success(request, "C'est enregistré.")
        else:
            messages.error(request, "Action inconnue.")
    except services.ProgrammeError as error:
        messages.error(request, str(error))
    return redirect(reverse("programme_chantier", args=[chantier.pk]))


def chantier_bundle(request, chantier_id):
    if not is_national(request.user):
        raise PermissionDenied
    chantier = get_object_or_404(Chantier, pk=chantier_id)
    return bundle_response(request, chantier)
