"""The attendance sheet (*feuille d'émargement*) as a PDF, rendered by WeasyPrint.

One page (or more, when the list is long) per session: an event has one, a training cycle one
per dated session, each with the same confirmed people and an empty signature column. A few
blank lines at the end take the people who come without having registered.
"""

import logging

from django.template.loader import render_to_string
from weasyprint import HTML

from resources.experiences.pdf import LocalFetcher

from .dates import period_label
from .models import Registration, RegistrationStatus, TrainingCyclePage

SHEET_TEMPLATE = "events/admin/attendance_sheet_pdf.html"
BLANK_LINES = 5

logger = logging.getLogger(__name__)


def sheet_sessions(activity):
    """[(session heading or "", period label, place)] — one per sheet."""
    if isinstance(activity, TrainingCyclePage):
        return [
            (session.title, period_label(session.starts_at, session.ends_at, activity.zone),
             session.place_name or activity.place_name)
            for session in activity.sessions.all()
        ]  # fmt: skip
    label = period_label(activity.starts_at, activity.ends_at, activity.zone, activity.all_day)
    return [("", label, activity.place_name)]


def render_attendance_sheet(activity, base_url):
    """The PDF bytes of the sheets: the confirmed, not erased, people in alphabetical order."""
    people = (
        Registration.objects.filter(activity_id=activity.pk, status=RegistrationStatus.CONFIRMED)
        .exclude(email="")
        .order_by("name", "position")
    )
    context = {
        "activity": activity,
        "centre": activity.centre,
        "sessions": sheet_sessions(activity),
        "people": list(people),
        "blank_lines": range(BLANK_LINES),
        "address": ", ".join(part for part in (activity.place_name, activity.address) if part),
    }
    html = render_to_string(SHEET_TEMPLATE, context)
    pdf = HTML(string=html, base_url=base_url, url_fetcher=LocalFetcher(base_url)).write_pdf()
    logger.info("Rendered the attendance sheet of activity %s (%d bytes)", activity.pk, len(pdf))
    return pdf
