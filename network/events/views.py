"""The agenda (`/agenda/`): list and month views, its RSS/Atom feeds and its iCalendar feed.

Every view reads the same query string (`agenda.parse_query`): a bad value answers 400 with
the French message, the page still showing what the valid filters select.
"""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from resources.taxonomy import facets

from . import agenda, calendar

FILTER_FORM = ["centre", "region", "departement", "theme", "public", "pillar"]


def _bad_request(errors):
    return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")


WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def filter_options(selected):
    """(name, title, [(value, label, is selected)]) of the filter form, in display order."""
    options = [(name, facets.TITLES[name], facets.labels(name)) for name in FILTER_FORM]
    options.insert(3, ("type", "Type", agenda.TYPE_LABELS))
    return [
        (name, title, [(value, label, value in selected.get(name, [])) for value, label in labels.items()])
        for name, title, labels in options
    ]


def agenda_page(request):
    query, errors = agenda.parse_query(request.GET)
    month_view = request.GET.get("view") == "month"
    options = filter_options(dict(query.filters, type=query.types))
    context = {"query": query, "filter_errors": errors, "options": options, "month_view": month_view}
    if month_view:
        query.month = query.month or timezone.localdate().replace(day=1)
        pages = agenda.load(agenda.selection(query)[: agenda.MAX_ITEMS])
        context.update(
            weeks=agenda.month_grid(query.month, pages),
            weekdays=WEEKDAYS,
            previous_month=agenda.shift_month(query.month, -1).strftime("%Y-%m"),
            next_month=agenda.shift_month(query.month, 1).strftime("%Y-%m"),
        )
    else:
        rows = agenda.selection(query)
        start = (query.page - 1) * agenda.PAGE_SIZE
        pages = agenda.load(rows[start : start + agenda.PAGE_SIZE])
        context.update(
            total=len(rows),
            items=[{"page": page, "type": agenda.type_label(page)} for page in pages],
            previous_page=query.page - 1 if query.page > 1 else None,
            next_page=query.page + 1 if start + agenda.PAGE_SIZE < len(rows) else None,
        )
    context["query_items"] = query.as_query_items()
    return render(request, "events/agenda.html", context, status=400 if errors else 200)


def agenda_ics(request):
    query, errors = agenda.parse_query(request.GET)
    if errors:
        return _bad_request(errors)
    pages = agenda.load(
        agenda.selection(query)[: agenda.MAX_ITEMS], sessions=True, annotate=calendar.with_revision_count
    )
    body = calendar.calendar(pages, lambda page: page.get_full_url(request), "Agenda des centres de ressources")
    return HttpResponse(body, content_type=calendar.CONTENT_TYPE)


class AgendaFeed(Feed):
    """What's coming in the agenda, for a selection; each item dated by when it was published."""

    description_template = None
    description = "Rencontres, journées et formations des centres de ressources politique de la ville."

    def __call__(self, request, *args, **kwargs):
        errors = agenda.parse_query(request.GET)[1]
        if errors:
            return _bad_request(errors)
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        query = agenda.parse_query(request.GET)[0]
        query.request = request  # page URLs through the request: its site root paths are read once
        return query

    def title(self, query):
        return "Portail CRPV — agenda" + (" (sélection filtrée)" if query.filters or query.types else "")

    def link(self, query):
        items = query.as_query_items()
        return "/agenda/" + (f"?{urlencode(items)}" if items else "")

    def items(self, query):
        pages = agenda.load(agenda.selection(query)[:50])
        for page in pages:
            page.link = page.get_url(query.request)
        return pages

    def item_title(self, item):
        return f"{item.title} — {item.period}"

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.link

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return item.centre.name if item.centre_id else None

    def item_guid(self, item):
        return str(item.uid)

    item_guid_is_permalink = False


class AgendaAtomFeed(AgendaFeed):
    feed_type = Atom1Feed
    subtitle = AgendaFeed.description
