"""Mails of the subscription side: the confirmation request (double opt-in) and saved-search alerts.

French, HTML and text. The confirmation request is the only mail an unconfirmed address ever
gets; it names what is pending, at the moment it is sent. Alert mails carry the RFC 8058
List-Unsubscribe headers (links.py) that stop that alert with one click.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from . import links
from .models import SavedSearchAlert, Subscriber, SubscriptionStatus


def build_mail(template, subject, to, context, headers=None):
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"newsletters/mail/{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(render_to_string(f"newsletters/mail/{template}.html", context), "text/html")
    return message


def send_confirmation_now(subscriber_id):
    """Send the confirmation request; nothing when the address is gone or nothing is pending any more."""
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None or not subscriber.is_deliverable:
        return None
    pending = SubscriptionStatus.PENDING
    lists = [s.mailing_list for s in subscriber.subscriptions.filter(status=pending).select_related("mailing_list")]
    alerts = list(subscriber.alerts.filter(status=pending))
    if not lists and not alerts:
        return None
    context = {
        "lists": lists,
        "alerts": [(alert, describe_query(alert)) for alert in alerts],
        "confirm_url": links.confirm_url(subscriber.pk),
        "max_age_days": settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS,
    }
    build_mail("confirmation", "Confirmez votre inscription", subscriber.email, context).send()
    return {"subscriber": subscriber_id, "lists": len(lists), "alerts": len(alerts)}


def describe_query(alert):
    """« jardins partagés — Thème : Alimentation » from the stored parameters (plain, for people)."""
    from .alerts import describe  # alerts read the search vocabulary; imported on use

    return describe(alert)


def build_alert_mail(alert: SavedSearchAlert, items):
    subscriber = alert.subscriber
    description = describe_query(alert)
    context = {
        "alert": alert,
        "items": items,
        "description": description,
        "search_url": links.absolute(alert_page_path(alert)),
        "preferences_url": links.preferences_url(subscriber.pk),
        "unsubscribe_url": links.alert_unsubscribe_url(subscriber.pk, alert.pk),
    }
    subject = f"Nouveautés ({len(items)}) : {description}"
    headers = links.alert_unsubscribe_headers(subscriber.pk, alert.pk)
    return build_mail("alert", subject[:180], subscriber.email, context, headers)


def alert_page_path(alert):
    """The page the alert was made on, with its parameters: where to see everything."""
    paths = {"recherche": "/recherche/", "bibliotheque": "/bibliotheque/", "agenda": "/agenda/"}
    return paths[alert.source] + (f"?{alert.query}" if alert.query else "")
