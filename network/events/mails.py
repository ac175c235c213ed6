"""Registration mails: French, HTML and text, sent in the centre's name, each with a cancellation link.

The sender is the centre's name with the address of DEFAULT_FROM_EMAIL (« Labo Cités
<ne-pas-repondre@…> »). Confirmation and promotion carry the activity as an .ics attachment.
"""

import email.utils

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from . import calendar
from .models import DocumentMoment, Registration, RegistrationStatus
from .services import outcome_message
from .tokens import registration_link

SUBJECTS = {
    "confirmation": "Inscription confirmée : {title}",
    "waiting": "Liste d'attente : {title}",
    "promotion": "Une place s'est libérée : votre inscription est confirmée ({title})",
    "reminder": "Rappel : {title}",
    "activity_cancelled": "Annulation : {title}",
    "documents": "Les documents de « {title} »",
}
WITH_CALENDAR = {"confirmation", "promotion", "reminder"}
ACTIVE = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
FOR_STATUS = {
    "confirmation": (RegistrationStatus.CONFIRMED,),
    "waiting": (RegistrationStatus.WAITING,),
    "promotion": (RegistrationStatus.CONFIRMED,),
    "reminder": (RegistrationStatus.CONFIRMED,),
    "activity_cancelled": ACTIVE,
    "documents": (RegistrationStatus.CONFIRMED,),
}


def sender(centre):
    """« Centre name <address of DEFAULT_FROM_EMAIL> »."""
    _name, address = email.utils.parseaddr(settings.DEFAULT_FROM_EMAIL)
    return email.utils.formataddr((centre.name, address))


def activity_ics(activity):
    """The activity's calendar, the same VEVENTs (same UIDs) as its `ical/` route and the agenda feed:
    a person who also subscribes to the agenda sees one entry, not two."""
    return calendar.calendar([activity], lambda page: page.get_full_url(), activity.title)


def documents_after(activity):
    """[(title, absolute url)] of the documents published after the activity (slides, actes)."""
    root = activity.get_site().root_url
    return [
        (item.title or item.document.title, root + item.document.url)
        for item in activity.documents.filter(moment=DocumentMoment.AFTER).select_related("document")
    ]


def build_registration_mail(registration, kind):
    activity = registration.activity.specific
    context = {
        "registration": registration,
        "activity": activity,
        "centre": activity.centre,
        "outcome": outcome_message(registration),
        "cancel_url": registration_link(registration, "cancel", activity),
        "data_url": registration_link(registration, "personal_data", activity),
        "page_url": activity.get_full_url(),
        "sessions": activity.sessions_for_calendar(),
        "zone": activity.zone,
        "kind": kind,
        "documents": documents_after(activity) if kind == "documents" else [],
    }
    message = EmailMultiAlternatives(
        subject=SUBJECTS[kind].format(title=activity.title),
        body=render_to_string(f"events/mail/{kind}.txt", context),
        from_email=sender(activity.centre),
        to=[registration.email],
    )
    message.attach_alternative(render_to_string(f"events/mail/{kind}.html", context), "text/html")
    if kind in WITH_CALENDAR and registration.status == RegistrationStatus.CONFIRMED:
        message.attach(f"{activity.slug}.ics", activity_ics(activity), "text/calendar")
    return message


def send_registration_mail_now(registration_id, kind):
    """Send one mail; nothing when the registration is gone (erased) or no longer fits the mail."""
    registration = Registration.objects.select_related("activity").filter(pk=registration_id).first()
    if registration is None or not registration.email or registration.status not in FOR_STATUS[kind]:
        return None  # erased, or its status changed since the mail was queued (e.g. promoted meanwhile)
    build_registration_mail(registration, kind).send()
    return {"registration": registration_id, "kind": kind}
