"""Registration and cancellation pages, served by the activity pages' routes (`inscription/`, `annulation/<token>/`)."""

from django.conf import settings
from django.core import signing
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.core.ratelimit import rate_limited

from .forms import PRIVACY_NOTICE, RegistrationForm
from .models import Registration, RegistrationStatus
from .services import RegistrationClosed, cancel, closing_reason, erase_person, outcome_message, register
from .tokens import read_cancel_token


def registration_page(request, page):
    if request.method == "POST":
        return submit_registration(request, page)
    return show_form(request, page, RegistrationForm())


def show_form(request, page, form, status=200, closed=None):
    context = {
        "page": page,
        "form": form,
        "closed": closed if closed is not None else closing_reason(page),
        "privacy_notice": PRIVACY_NOTICE % {"months": settings.REGISTRATION_ERASURE_MONTHS},
    }
    return render(request, "events/registration_form.html", context, status=status)


@rate_limited("registration")
def submit_registration(request, page):
    form = RegistrationForm(request.POST)
    if not form.is_valid():
        return show_form(request, page, form, status=400)
    data = {key: value for key, value in form.cleaned_data.items() if key not in ("consent", "website")}
    try:
        registration, created = register(page, **data)
    except RegistrationClosed as closed:
        return show_form(request, page, form, status=400, closed=str(closed))
    context = {"page": page, "registration": registration, "created": created, "outcome": outcome_message(registration)}
    return render(request, "events/registration_done.html", context)


def registration_from_link(request, page, token):
    """(registration, None) for a valid link of this page, else (None, the French error page)."""
    try:
        registration_id = read_cancel_token(token)
    except signing.SignatureExpired:
        return None, link_problem(request, page, _("Ce lien a expiré. Écrivez au centre organisateur."), 400)
    except signing.BadSignature:
        return None, link_problem(request, page, _("Ce lien n'est pas valide : vérifiez qu'il est complet."), 400)
    registration = Registration.objects.filter(pk=registration_id, activity_id=page.pk).exclude(email="").first()
    if registration is None:
        return None, link_problem(request, page, _("Cette inscription n'existe plus."), 404)
    return registration, None


def cancellation_page(request, page, token):
    registration, problem = registration_from_link(request, page, token)
    if problem:
        return problem
    already = registration.status == RegistrationStatus.CANCELLED
    if request.method == "POST" and not already:
        cancel(registration)
        registration.refresh_from_db()
    context = {"page": page, "registration": registration, "already": already, "outcome": outcome_message(registration)}
    return render(request, "events/cancellation.html", context)


PERSONAL_FIELDS = ("name", "email", "organisation", "public_category", "territory", "accessibility_needs")


def personal_data_page(request, page, token):
    """A person's copy of their data (HTML, or JSON with ?format=json) and its erasure (POST)."""
    registration, problem = registration_from_link(request, page, token)
    if problem:
        return problem
    if request.method == "POST":
        erase_person(registration)
        return render(request, "events/personal_data.html", {"page": page, "erased": True})
    data = {field: getattr(registration, field) for field in PERSONAL_FIELDS}
    data |= {
        "activity": page.title,
        "status": registration.status,
        "registered_at": registration.created_at.isoformat(),
        "consent_at": registration.consent_at.isoformat(),
    }
    if request.GET.get("format") == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-inscription.json"'
        return response
    fields = [
        (Registration._meta.get_field(field).verbose_name, getattr(registration, field)) for field in PERSONAL_FIELDS
    ]
    context = {"page": page, "registration": registration, "fields": fields}
    return render(request, "events/personal_data.html", context)


def link_problem(request, page, message, status):
    return render(request, "events/link_problem.html", {"page": page, "message": message}, status=status)
