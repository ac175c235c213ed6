"""Registration and cancellation pages, served by the activity pages' routes (`inscription/`, `annulation/<token>/`)."""

from django.conf import settings
from django.core import signing
from django.shortcuts import render
from django.utils.translation import gettext as _

from portal.core.ratelimit import rate_limited

from .forms import PRIVACY_NOTICE, RegistrationForm
from .models import Registration, RegistrationStatus
from .services import RegistrationClosed, cancel, closing_reason, outcome_message, register
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


def cancellation_page(request, page, token):
    try:
        registration_id = read_cancel_token(token)
    except signing.SignatureExpired:
        return link_problem(request, page, _("Ce lien d'annulation a expiré. Écrivez au centre organisateur."), 400)
    except signing.BadSignature:
        return link_problem(
            request, page, _("Ce lien d'annulation n'est pas valide : vérifiez qu'il est complet."), 400
        )
    registration = Registration.objects.filter(pk=registration_id, activity_id=page.pk).first()
    if registration is None:
        return link_problem(request, page, _("Cette inscription n'existe plus."), 404)
    already = registration.status == RegistrationStatus.CANCELLED
    if request.method == "POST" and not already:
        cancel(registration)
        registration.refresh_from_db()
    context = {"page": page, "registration": registration, "already": already, "outcome": outcome_message(registration)}
    return render(request, "events/cancellation.html", context)


def link_problem(request, page, message, status):
    return render(request, "events/cancellation_link_problem.html", {"page": page, "message": message}, status=status)
