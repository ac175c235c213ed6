"""The public search service: what pages, template tags and (later) saved-search alerts call.

    service = get_service()
    answer = service.search(params)           # {count, results, facets, suggestion}, codes only
    shown = service.for_display(answer["results"])   # + French type and centre labels, dates
    service.suggest("jard")                   # [{title, url, centre}]
    service.similar(page)                     # [display items] of the same kind; [] when unsure
    service.search_among(querydict, page_ids, size)  # saved-search alerts: the matches among these pages

The engine answers when configured and healthy, the database otherwise (`backends.ask`:
timeouts, circuit breaker). No module imports `search.views`: they call this.
"""

from datetime import date

from portal.core.kinds import kind_of
from resources.taxonomy.facets import labels

from . import territory
from .backends import ask
from .params import SearchParams, parse


class SearchService:
    def search(self, params):
        answer = ask("search", params)
        # The place the query names (boosted by both implementations) and the filter offered.
        answer["territory"] = territory.answer(territory.parse(params.q))
        return answer

    def search_among(self, querydict, page_ids, size=100):
        """The search of `querydict` (the /recherche/ parameters) restricted to `page_ids`, newest
        first, for display. Raises ValueError (InvalidSearch, French messages) on bad parameters."""
        parsed = parse(querydict)
        params = SearchParams(
            q=parsed.q, filters=parsed.filters, sort="date", page_size=size, page_ids=tuple(page_ids), facets=()
        )
        return self.for_display(self.search(params)["results"])

    def suggest(self, q, size=10):
        return ask("suggest", q, size)

    def similar(self, page, size=5):
        """Display items like `page`, of its kind. Not worth waiting for: left out (empty) when the
        engine fails or is skipped, rather than answered otherwise."""
        kind = kind_of(type(page))
        items = ask("similar", page.pk, size, kind=kind.slug if kind else None, fallback=False)
        return self.for_display(items or [])

    @staticmethod
    def for_display(results):
        """Results with French labels and real dates, for templates (the API keeps codes)."""
        types, centres = labels("type"), labels("centre")
        return [
            dict(
                item,
                type_label=types.get(item["type"], item["type"]),
                centre_label=centres.get(item["centre"], item["centre"]),
                date_value=date.fromisoformat(item["date"]) if item.get("date") else None,
                also_published_by=[
                    dict(other, centre_label=centres.get(other["centre"], other["centre"]))
                    for other in item.get("also_published_by", [])
                ],
            )
            for item in results
        ]


def get_service():
    return SearchService()
