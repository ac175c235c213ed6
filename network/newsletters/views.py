"""Public pages reached from a mail, without an account: confirm, preferences, unsubscribe, one-click."""

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from . import services
from .models import MailingList, Subscriber
from .tokens import read_token


def _subscriber_from(request, token, purpose):
    """(subscriber, list_id, None) for a valid token, else (None, None, the French error page)."""
    try:
        subscriber_id, list_id = read_token(token, purpose)
    except signing.SignatureExpired:
        message = _("Ce lien a expiré : inscrivez-vous de nouveau depuis la page des lettres d'information.")
        return None, None, link_problem(request, message, 400)
    except signing.BadSignature:
        return None, None, link_problem(request, _("Ce lien n'est pas valide : vérifiez qu'il est complet."), 400)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return None, None, link_problem(request, _("Cette adresse n'est plus enregistrée chez nous."), 404)
    return subscriber, list_id, None


def link_problem(request, message, status):
    return render(request, "newsletters/link_problem.html", {"message": message}, status=status)


def confirm(request, token):
    subscriber, _list_id, problem = _subscriber_from(request, token, "confirm")
    if problem:
        return problem
    confirmed = services.confirm(subscriber.pk)
    return render(request, "newsletters/confirmed.html", {"subscriber": subscriber, "confirmed": confirmed})


def preferences(request, token):
    subscriber, _list_id, problem = _subscriber_from(request, token, "preferences")
    if problem:
        return problem
    subscriptions = subscriber.subscriptions.select_related("mailing_list__centre").order_by("mailing_list__title")
    return render(request, "newsletters/preferences.html", {"subscriber": subscriber, "subscriptions": subscriptions})


def unsubscribe(request, token):
    """GET shows a button (mail scanners follow links: a GET must change nothing); POST unsubscribes."""
    subscriber, list_id, problem = _subscriber_from(request, token, "unsubscribe")
    if problem:
        return problem
    mailing_list = MailingList.objects.filter(pk=list_id).first() if list_id is not None else None
    done = request.method == "POST"
    if done:
        services.unsubscribe(subscriber.pk, list_id)
    context = {"subscriber": subscriber, "mailing_list": mailing_list, "done": done}
    return render(request, "newsletters/unsubscribe.html", context)


@csrf_exempt  # RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` with no cookie or CSRF token.
@require_POST
def one_click(request, token):
    try:
        subscriber_id, list_id = read_token(token, "unsubscribe")
    except signing.BadSignature:
        return HttpResponse(_("Lien de désinscription non valide."), status=400, content_type="text/plain")
    services.unsubscribe(subscriber_id, list_id)
    return HttpResponse(_("Vous êtes désinscrit."), content_type="text/plain; charset=utf-8")
