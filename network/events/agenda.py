"""The agenda's query: which events and cycles, read from the query string, shared by the agenda
page, its RSS/Atom feeds, its iCalendar feed and the open API.

Parameter names are the library's (`centre`, `region`, `departement`, `type`, `theme`, `public`,
`pillar`, `axis`), parsed by the one filter vocabulary (`resources.taxonomy.facets`), plus
`past=1`, `month=YYYY-MM` and `page`. `type` takes the event types' slugs and the cycle's kind.
Events and cycles are two tables: the selection is read as (start, model, id) rows from both,
merged and cut in Python, then only the rows shown are loaded, with their relations prefetched.
"""

import calendar as month_calendar
import datetime
import re
from dataclasses import dataclass, field

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.utils import timezone

from resources.library.filters import LibraryFilters, filter_pages
from resources.taxonomy import facets

from .models import EventPage, EventType, Registration, RegistrationStatus, TrainingCyclePage

VOCABULARY_FILTERS = ["centre", "region", "departement", "theme", "public", "pillar", "axis"]
CYCLE = TrainingCyclePage.content_kind.slug
EVENT = EventPage.content_kind.slug  # every event, whatever its type (the kind's value in search and the library)
TYPE_LABELS = {EVENT: "Tous les événements", **dict(EventType.choices), CYCLE: TrainingCyclePage.content_kind.label}
PAGE_SIZE = 30
MAX_ITEMS = 1000  # the most a feed (iCalendar, API page) reads at once
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


@dataclass
class AgendaQuery:
    filters: dict = field(default_factory=dict)  # vocabulary filter → [values]
    types: list = field(default_factory=list)
    past: bool = False
    month: datetime.date | None = None  # first day of the month asked for
    page: int = 1
    any_time: bool = False  # the API: no upcoming/past cut unless asked
    since: datetime.date | None = None  # ends on or after this day
    until: datetime.date | None = None  # starts on or before this day

    def as_query_items(self, **changes):
        """(name, value) pairs for links that keep the current selection; `changes` override or drop (None)."""
        items = [(name, value) for name in VOCABULARY_FILTERS for value in self.filters.get(name, [])]
        items += [("type", value) for value in self.types]
        state = {"past": "1" if self.past else None, "month": self.month.strftime("%Y-%m") if self.month else None}
        state.update(changes)
        return items + [(name, value) for name, value in state.items() if value is not None]


def month_message(value):
    return f"Mois invalide (« month ») : « {value[:40]} » ; attendu : AAAA-MM, par exemple 2026-03."


def parse_month(raw):
    """(first day of the month, None) or (None, French message); blank gives (None, None)."""
    raw = (raw or "").strip()
    if not raw:
        return None, None
    match = _MONTH.fullmatch(raw)
    if not match or not 1 <= int(match[2]) <= 12 or not facets.YEAR_RANGE[0] <= int(match[1]) <= facets.YEAR_RANGE[1]:
        return None, month_message(raw)
    return datetime.date(int(match[1]), int(match[2]), 1), None


def parse_types(querydict):
    values = list(dict.fromkeys(v.strip() for v in querydict.getlist("type") if v.strip()))
    errors = [
        f"Valeur inconnue pour le filtre type d'événement (« type ») : « {v[:40]} »."
        for v in values
        if v not in TYPE_LABELS
    ]
    return [v for v in values if v in TYPE_LABELS], errors


def parse_query(querydict):
    """(AgendaQuery, [French messages])."""
    filters, errors = facets.parse_filters(querydict, VOCABULARY_FILTERS)
    types, type_errors = parse_types(querydict)
    month, month_error = parse_month(querydict.get("month"))
    page, page_error = facets.parse_number(querydict.get("page"), "page", maximum=10_000)
    past = querydict.get("past", "").strip()
    past_error = None if past in ("", "0", "1") else f"Paramètre « past » invalide : « {past[:40]} » ; attendu : 1."
    errors += type_errors + [e for e in (month_error, page_error, past_error) if e]
    return AgendaQuery(filters, types, past == "1", month, page or 1), errors


def _filtered(model, query, now):
    queryset = model.objects.live().public()
    if query.types:
        if model is TrainingCyclePage:
            if CYCLE not in query.types:
                return model.objects.none()
        elif EVENT not in query.types:
            queryset = queryset.filter(event_type__in=query.types)
    departements = query.filters.get("departement")
    vocabularies = {name: values for name, values in query.filters.items() if name != "departement"}
    queryset = filter_pages(queryset, LibraryFilters(vocabularies))
    if departements:
        q = Q()
        for code in departements:
            q |= Q(commune_insee__startswith=code)
        queryset = queryset.filter(q)
    if query.month:
        first = _midnight(query.month)
        last = first + datetime.timedelta(days=month_calendar.monthrange(first.year, first.month)[1])
        queryset = queryset.filter(starts_at__lt=last, ends_at__gte=first)
    elif query.past:
        queryset = queryset.filter(ends_at__lt=now)
    elif not query.any_time:
        queryset = queryset.filter(ends_at__gte=now)
    if query.since:
        queryset = queryset.filter(ends_at__gte=_midnight(query.since))
    if query.until:
        queryset = queryset.filter(starts_at__lt=_midnight(query.until + datetime.timedelta(days=1)))
    return queryset.filter(starts_at__isnull=False)


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone())


def selection(query, now=None):
    """[(starts_at, model, pk)] of everything the query selects, in agenda order (past: newest first)."""
    now = now or timezone.now()
    rows = [
        (start, model, pk)
        for model in (EventPage, TrainingCyclePage)
        for start, pk in _filtered(model, query, now).values_list("starts_at", "pk")
    ]
    rows.sort(key=lambda row: (row[0], row[2]), reverse=query.past and not query.month)
    return rows


def load(rows, *, sessions=False, counts=False, annotate=None):
    """The pages of `rows`, in their order, with the relations the caller shows (a few queries, not one per page)."""
    by_model = {}
    for _start, model, pk in rows:
        by_model.setdefault(model, []).append(pk)
    pages = {}
    for model, pks in by_model.items():
        queryset = model.objects.filter(pk__in=pks).select_related("centre")
        if sessions and model is TrainingCyclePage:
            queryset = queryset.prefetch_related("sessions")
        if counts:
            queryset = with_counts(queryset)
        if annotate:
            queryset = annotate(queryset)
        pages.update({(model, page.pk): page for page in queryset})
    return [pages[(model, pk)] for _start, model, pk in rows if (model, pk) in pages]


def with_counts(queryset):
    """Annotate `confirmed_count` and `waiting_count` (anonymous numbers) in the same query."""

    def count(status):
        rows = (
            Registration.objects.filter(activity_id=OuterRef("pk"), status=status)
            .order_by()
            .values("activity_id")
            .annotate(n=Count("*"))
            .values("n")
        )
        return Subquery(rows, output_field=IntegerField())

    return queryset.annotate(
        confirmed_count=count(RegistrationStatus.CONFIRMED), waiting_count=count(RegistrationStatus.WAITING)
    )


def type_label(page):
    return page.get_event_type_display() if isinstance(page, EventPage) else TrainingCyclePage.content_kind.label


def month_grid(month, pages):
    """Weeks (Monday first) of `month`: [[(date or None, [pages that day]), …], …]; a page spans its days."""
    by_day = {}
    for page in pages:
        first = page.starts_at.astimezone(page.zone).date()
        last = (page.ends_at or page.starts_at).astimezone(page.zone).date()
        day = max(first, month)
        while day <= last and day.month == month.month:
            by_day.setdefault(day, []).append(page)
            day += datetime.timedelta(days=1)
    weeks = month_calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    return [[(day if day.month == month.month else None, by_day.get(day, [])) for day in week] for week in weeks]


def shift_month(month, delta):
    index = month.year * 12 + month.month - 1 + delta
    return datetime.date(index // 12, index % 12 + 1, 1)
