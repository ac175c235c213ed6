"""The public search service: what pages, template tags and (later) saved-search alerts call.

    service = get_service()
    answer = service.search(params)           # {count, results, facets, suggestion}, codes only
    shown = service.for_display(answer["results"])   # + French type and centre labels, dates
    service.suggest("jard")                   # [{title, url, centre}]
    service.similar(page)                     # [display items] of the same kind; [] when unsure

The engine answers when configured and healthy, the database otherwise (`backends.ask`:
timeouts, circuit breaker). No module imports `search.views`: they call this.
"""

from datetime import date

from portal.core.kinds import kind_of
from resources.taxonomy.facets import labels

from .backends import ask


class SearchService:
    def search(self, params):
        return ask("search", params)

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
            )
            for item in results
        ]


def get_service():
    return SearchService()
