"""Saved-search alerts: keep a search's parameters, mail what was newly published that matches it.

The parameters are the public search's (`q` plus the one filter vocabulary of
`resources.taxonomy.facets`), kept as a query string. A run looks at the pages first published
in the alert's window — from its last check to now minus `ALERT_INDEX_DELAY_MINUTES`, so that
the search index has caught up with them — and asks the public search service (engine, or the
database when the engine is down) which of them match. Nothing new, no mail. The alert row is
locked for the run and its `last_checked_at` moves to the window's end in the same transaction
as the mail is sent: a second run (or a second scheduler) finds it not due and sends nothing.
"""

import datetime
import logging
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from wagtail.models import Page

from network.events.models import EventPage, TrainingCyclePage
from portal.core.kinds import declared_models
from portal.core.search_seam import search_service
from resources.taxonomy import facets

from .models import AlertFrequency, AlertSource, SavedSearchAlert

logger = logging.getLogger(__name__)
MAX_QUERY_LENGTH = 200
MAX_ITEMS = 100  # listed in one mail; the mail links to the whole search
PERIODS = {AlertFrequency.DAILY: datetime.timedelta(days=1), AlertFrequency.WEEKLY: datetime.timedelta(days=7)}
# An hourly scheduler must not skip a day because last run's check ended a few minutes later.
SLACK = datetime.timedelta(hours=1)
AGENDA_KINDS = (EventPage.content_kind.slug, TrainingCyclePage.content_kind.slug)


def default_types(source):
    """What a page lists when no `type` is chosen: the library its kinds, the agenda events and cycles."""
    if source == AlertSource.LIBRARY:
        return [kind.slug for kind in declared_models().values() if kind.in_library]
    if source == AlertSource.AGENDA:
        return list(AGENDA_KINDS)
    return []


def normalize_query(querydict, source):
    """(query string, [French messages]) of the search parameters an alert keeps.

    Only `q` and the vocabulary filters are kept (not `page`, `sort`, the agenda's `month`…);
    the agenda's event types (« rencontre-reseau ») are not search types: they widen to events.
    """
    errors = []
    q = " ".join(querydict.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        errors.append(f"Recherche trop longue : {len(q)} caractères, {MAX_QUERY_LENGTH} au plus.")
    if source == AlertSource.AGENDA:
        querydict = querydict.copy()
        known = facets.labels("type")
        types = [value for value in querydict.getlist("type") if value in known]
        querydict.setlist("type", types or default_types(source))
    filters, filter_errors = facets.parse_filters(querydict)
    errors += filter_errors
    if "type" not in filters and default_types(source):
        filters["type"] = default_types(source)
    items = [("q", q)] if q else []
    items += [(name, str(value)) for name in facets.FILTER_NAMES for value in filters.get(name, [])]
    return urlencode(items), errors


def describe(alert):
    """The search in words: « jardins partagés — Thème : Alimentation ; Centre : IREV »."""
    params = QueryDict(alert.query)
    parts = []
    for name in facets.FILTER_NAMES:
        values = params.getlist(name)
        if not values or (name == "type" and values == default_types(alert.source)):
            continue
        shown = facets.labels(name) if name in facets.VOCABULARIES else {}
        parts.append(f"{facets.TITLES[name]} : {', '.join(shown.get(value, value) for value in values)}")
    q = params.get("q", "")
    scope = {AlertSource.LIBRARY: "bibliothèque", AlertSource.AGENDA: "agenda"}.get(alert.source)
    head = q or (f"tout le contenu ({scope})" if scope else "tous les contenus")
    return " — ".join([head, " ; ".join(parts)]) if parts else head


def due(frequency, now=None):
    """Ids of the confirmed alerts of this frequency whose last check is a period old."""
    now = now or timezone.now()
    limit = now - PERIODS[frequency] + SLACK
    return list(
        SavedSearchAlert.objects.active()
        .filter(frequency=frequency, last_checked_at__lte=limit)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def window_end(now):
    return now - datetime.timedelta(minutes=settings.ALERT_INDEX_DELAY_MINUTES)


def new_items(alert, start, end):
    """Display items matching the alert among the pages first published in (start, end]."""
    page_ids = list(
        Page.objects.live()
        .public()
        .filter(first_published_at__gt=start, first_published_at__lte=end)
        .values_list("pk", flat=True)
    )
    if not page_ids:
        return []
    items = search_service().search_among(QueryDict(alert.query), page_ids, size=MAX_ITEMS)
    from . import links

    return [
        dict(item, url=links.absolute(item["url"]) if item["url"].startswith("/") else item["url"]) for item in items
    ]


def run_alert(alert_id, now=None):
    """Check one alert and mail its new items; returns the number of items mailed (0: nothing sent).

    Skips an alert another run holds (SKIP LOCKED) or that is no longer due.
    """
    from .mails import build_alert_mail

    now = now or timezone.now()
    with transaction.atomic():
        alert = (
            SavedSearchAlert.objects.active()
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("subscriber")
            .filter(pk=alert_id)
            .first()
        )
        if alert is None or alert.last_checked_at > now - PERIODS[alert.frequency] + SLACK:
            return 0
        end = window_end(now)
        try:
            items = new_items(alert, alert.last_checked_at, end)
        except ValueError as error:  # parameters no longer valid (a theme was deleted): skip, say why
            logger.warning("Alert %s skipped: %s", alert.pk, error)
            items = []
        if items:
            build_alert_mail(alert, items).send()  # raises on SMTP failure: rolled back, retried next run
            alert.last_sent_at = now
        alert.last_checked_at = max(end, alert.last_checked_at)
        alert.save(update_fields=["last_checked_at", "last_sent_at"])
    return len(items)


def send_alerts(frequencies=None, now=None, progress=None):
    """Run every due alert of these frequencies; returns (alerts checked, mails sent)."""
    checked = sent = 0
    for frequency in frequencies or list(AlertFrequency):
        ids = due(frequency, now)
        for alert_id in progress(ids) if progress else ids:
            checked += 1
            sent += bool(run_alert(alert_id, now))
    return checked, sent
