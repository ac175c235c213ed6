"""Public pages, without an account: the lists and their form, the alert form, and the pages reached
from a mail (confirm, preferences with the data copy and erasure, unsubscribe, one-click).

The forms' answer never tells whether an address was already known: the same page follows.
"""

from itertools import groupby

from django.core import signing
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from portal.core.ratelimit import rate_limited

from . import alerts, services
from .forms import PREFERENCES_WORDING, PRIVACY_NOTICE, AlertForm, PreferencesForm, SubscribeForm, consent_wording
from .models import AlertSource, MailingList, SavedSearchAlert, Subscriber, SubscriptionStatus
from .tokens import read_token


def _subscriber_from(request, token, purpose):
    """(subscriber, extra, None) for a valid token, else (None, None, the French error page)."""
    try:
        subscriber_id, extra = read_token(token, purpose)
    except signing.SignatureExpired:
        message = _("Ce lien a expiré : inscrivez-vous de nouveau depuis la page des lettres d'information.")
        return None, None, link_problem(request, message, 400)
    except signing.BadSignature:
        return None, None, link_problem(request, _("Ce lien n'est pas valide : vérifiez qu'il est complet."), 400)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return None, None, link_problem(request, _("Cette adresse n'est plus enregistrée chez nous."), 404)
    return subscriber, extra, None


def link_problem(request, message, status):
    return render(request, "newsletters/link_problem.html", {"message": message}, status=status)


def grouped_lists():
    """[(heading, [lists])]: the national lists first, then each centre's, by centre name."""
    lists = sorted(
        MailingList.objects.public().select_related("centre"),
        key=lambda item: (item.centre_id is not None, item.centre.name if item.centre else "", item.title),
    )
    return [
        (centre.name if centre else _("Lettres nationales"), list(items))
        for centre, items in groupby(lists, key=lambda item: item.centre)
    ]


def lists_page(request):
    if request.method == "POST":
        return submit_subscription(request)
    return show_lists(request, SubscribeForm())


def show_lists(request, form, status=200):
    context = {"form": form, "groups": grouped_lists(), "privacy_notice": PRIVACY_NOTICE, "chosen": chosen(form)}
    return render(request, "newsletters/lists.html", context, status=status)


def chosen(form, field="lists"):
    """The ids ticked (as strings), to keep the boxes ticked when the form comes back with errors."""
    return set(form.data.getlist(field)) if form.is_bound else set()


@rate_limited("newsletter")
def submit_subscription(request):
    form = SubscribeForm(request.POST)
    if not form.is_valid():
        return show_lists(request, form, status=400)
    data = form.cleaned_data
    services.subscribe(data["email"], data["lists"], themes=data["themes"], wording=consent_wording())
    return render(request, "newsletters/check_your_mail.html", {"email": data["email"]})


def alert_page(request):
    """GET: the form for the search in the query string; POST: the alert asked for."""
    params = request.POST if request.method == "POST" else request.GET
    source = params.get("source", "")
    if source not in AlertSource.values:
        source = AlertSource.SEARCH
    query_source = QueryDict(params.get("query", "")) if request.method == "POST" else request.GET
    query, errors = alerts.normalize_query(query_source, source)
    if request.method == "POST" and not errors:
        return submit_alert(request, source, query)
    form = AlertForm(request.POST if request.method == "POST" else None)
    return show_alert_form(request, form, source, query, errors)


def show_alert_form(request, form, source, query, errors=(), status=None):
    description = alerts.describe(SavedSearchAlert(source=source, query=query))
    context = {
        "form": form,
        "source": source,
        "query": query,
        "description": description,
        "errors": errors,
        "privacy_notice": PRIVACY_NOTICE,
    }
    return render(request, "newsletters/alert_form.html", context, status=status or (400 if errors else 200))


@rate_limited("newsletter")
def submit_alert(request, source, query):
    form = AlertForm(request.POST)
    if not form.is_valid():
        return show_alert_form(request, form, source, query, status=400)
    data = form.cleaned_data
    services.create_alert(
        data["email"], source=source, query=query, frequency=data["frequency"], wording=consent_wording()
    )
    return render(request, "newsletters/check_your_mail.html", {"email": data["email"], "alert": True})


def confirm(request, token):
    subscriber, _extra, problem = _subscriber_from(request, token, "confirm")
    if problem:
        return problem
    confirmed = services.confirm(subscriber.pk)
    return render(request, "newsletters/confirmed.html", {"subscriber": subscriber, "confirmed": confirmed})


def preferences(request, token):
    """Lists, themes and alerts of the address; « unsubscribe from everything »; links to the data."""
    subscriber, _extra, problem = _subscriber_from(request, token, "preferences")
    if problem:
        return problem
    message = None
    if request.method == "POST" and request.POST.get("action") == "unsubscribe_all":
        services.unsubscribe(subscriber.pk)
        message = _("Vous ne recevrez plus aucune de nos lettres ni alertes.")
    elif request.method == "POST":
        form = PreferencesForm(request.POST)
        if not form.is_valid():
            return show_preferences(request, subscriber, token, form, status=400)
        data = form.cleaned_data
        services.update_preferences(subscriber, data["lists"], data["themes"], wording=str(PREFERENCES_WORDING))
        keep = {int(value) for value in request.POST.getlist("alerts") if value.isdigit()}
        for alert in subscriber.alerts.exclude(status=SubscriptionStatus.UNSUBSCRIBED).exclude(pk__in=keep):
            services.unsubscribe(subscriber.pk, alert_id=alert.pk)
        message = _("Vos choix sont enregistrés.")
    return show_preferences(request, subscriber, token, message=message)


def show_preferences(request, subscriber, token, form=None, message=None, status=200):
    subscribed = subscriber.subscriptions.filter(status=SubscriptionStatus.CONFIRMED).values_list(
        "mailing_list_id", flat=True
    )
    context = {
        "subscriber": subscriber,
        "token": token,
        "form": form,
        "groups": grouped_lists(),
        "chosen": chosen(form) if form else {str(pk) for pk in subscribed},
        "themes": PreferencesForm().fields["themes"].queryset,
        "chosen_themes": {theme.pk for theme in subscriber.themes.all()},
        "alerts": [
            (alert, alerts.describe(alert))
            for alert in subscriber.alerts.exclude(status=SubscriptionStatus.UNSUBSCRIBED).order_by("created_at")
        ],
        "message": message,
    }
    return render(request, "newsletters/preferences.html", context, status=status)


def personal_data(request, token):
    """A copy of everything kept about the address: HTML, or JSON with ?format=json."""
    subscriber, _extra, problem = _subscriber_from(request, token, "preferences")
    if problem:
        return problem
    data = services.personal_data(subscriber)
    if request.GET.get("format") == "json":
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="mes-donnees-lettres.json"'
        return response
    return render(request, "newsletters/personal_data.html", {"data": data, "token": token})


@require_POST
def erase(request, token):
    subscriber, _extra, problem = _subscriber_from(request, token, "preferences")
    if problem:
        return problem
    services.erase(subscriber.pk)
    return redirect("newsletters:erased")


def erased(request):
    return render(request, "newsletters/erased.html")


def unsubscribe(request, token):
    """GET shows a button (mail scanners follow links: a GET must change nothing); POST unsubscribes."""
    subscriber, extra, problem = _subscriber_from(request, token, "unsubscribe")
    if problem:
        return problem
    list_id, alert_id = services.link_target(extra)
    mailing_list = MailingList.objects.filter(pk=list_id).first() if list_id is not None else None
    alert = subscriber.alerts.filter(pk=alert_id).first() if alert_id is not None else None
    done = request.method == "POST"
    if done:
        services.unsubscribe(subscriber.pk, list_id, alert_id)
    context = {
        "subscriber": subscriber,
        "mailing_list": mailing_list,
        "alert_description": alerts.describe(alert) if alert else None,
        "done": done,
    }
    return render(request, "newsletters/unsubscribe.html", context)


@csrf_exempt  # RFC 8058: the mail client POSTs `List-Unsubscribe=One-Click` with no cookie or CSRF token.
@require_POST
def one_click(request, token):
    try:
        subscriber_id, extra = read_token(token, "unsubscribe")
    except signing.BadSignature:
        return HttpResponse(_("Lien de désinscription non valide."), status=400, content_type="text/plain")
    services.unsubscribe(subscriber_id, *services.link_target(extra))
    return HttpResponse(_("Vous êtes désinscrit."), content_type="text/plain; charset=utf-8")
