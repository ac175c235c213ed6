"""What an empty result page offers (engine or database alike): the spelling suggestion as a
search, each active filter to drop with the count it would give (closest first), and the other
ways in — the library and the thematic dossiers."""

from dataclasses import replace
from urllib.parse import urlencode

from resources.taxonomy.facets import TITLES

from .params import facet_labels

LIBRARY_URL = "/bibliotheque/"  # the library's listing (`resources.library`, which search does not import)
DOSSIERS_URL = "/recherche/?" + urlencode([("type", "dossier")])  # every thematic dossier
MAX_DROPS = 8  # one count query each


def search_url(items):
    return "/recherche/?" + urlencode(items)


def drops(params, service):
    """[{url, label, count}] of the search without each active filter value, most results first."""
    offers = []
    for name, values in params.filters.items():
        labels = facet_labels(name)
        for value in values:
            others = [other for other in values if other != value]
            filters = {**params.filters_except(name), **({name: others} if others else {})}
            without = replace(params, filters=filters, page=1, page_size=1)
            offers.append(
                {
                    "url": search_url(without.query_items()),
                    "label": f"{TITLES[name]} : {labels.get(str(value), value)}",
                    "count": service.search(without)["count"],
                }
            )
            if len(offers) == MAX_DROPS:
                return sorted(offers, key=lambda offer: -offer["count"])
    return sorted(offers, key=lambda offer: -offer["count"])


def offers(params, answer, service):
    """The context of the « Aucun résultat » block."""
    suggestion = answer.get("suggestion")
    return {
        "suggestion": suggestion,
        "suggestion_url": search_url(params.query_items(q=suggestion, page=None)) if suggestion else None,
        "drops": drops(params, service),
        "library_url": LIBRARY_URL,
        "dossiers_url": DOSSIERS_URL,
    }
