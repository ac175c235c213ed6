"""A search request, parsed from a query string with French messages for bad input.

Shared by the search page, the JSON API and both implementations (engine and database),
so that they all accept exactly the same parameters. The filters are the portal's one filter
vocabulary (`resources.taxonomy.facets`): same names, messages and year rule as the library;
the `type` filter accepts the resource types and every declared content kind.
"""

from dataclasses import dataclass, field

from resources.taxonomy.facets import VOCABULARIES, labels, parse_filters, parse_number

from .indexing import FACETS

PAGE_SIZE = 20
MAX_PAGE = 500  # deep pagination is what the filters are for
MAX_QUERY_LENGTH = 200
SORTS = ("relevance", "date")
NO_FACETS = "none"  # `facets=none`: results and count only


def facet_labels(facet):
    """{value: label} for a facet (years label themselves)."""
    return labels(facet) if facet in VOCABULARIES else {}


def suggestion_items(rows):
    """[{title, url, centre}] from (title, url, centre code) rows: the centre's name tells apart
    the same title published by several centres."""
    centres = facet_labels("centre")
    return [{"title": title, "url": url, "centre": centres.get(code) if code else None} for title, url, code in rows]


@dataclass
class SearchParams:
    q: str = ""
    filters: dict = field(default_factory=dict)  # facet → list of values (OR), facets AND-ed
    sort: str = "relevance"
    page: int = 1
    page_size: int = PAGE_SIZE
    # The facets to count (each one is an aggregation over every match): all by default; the
    # RSS feed and alerts ask for none, an API client for the ones it shows (`facets=`).
    facets: tuple = tuple(FACETS)
    # Programmatic only (never read from a query string): keep results among these pages
    # (saved-search alerts ask for the matches among the pages published since their last run).
    page_ids: tuple | None = None

    def filters_except(self, facet):
        return {name: values for name, values in self.filters.items() if name != facet}

    def query_items(self, **overrides):
        items = [("q", self.q)] if self.q else []
        items += [(name, str(v)) for name, values in self.filters.items() for v in values]
        if self.sort != "relevance":
            items.append(("sort", self.sort))
        items = [(k, v) for k, v in items if k not in overrides]
        return items + [(k, str(v)) for k, v in overrides.items() if v not in (None, "")]


class InvalidSearch(ValueError):
    def __init__(self, errors):
        super().__init__(" ".join(errors))
        self.errors = errors


def parse_facets(querydict):
    """(facet names in display order, [French messages]) from `facets=theme,centre` (or repeated);
    absent or blank: every facet; `none`: no facet."""
    names = [name.strip() for raw in querydict.getlist("facets") for name in raw.split(",") if name.strip()]
    if not names:
        return tuple(FACETS), []
    if set(names) == {NO_FACETS}:
        return (), []
    if NO_FACETS in names:
        return (), [f"« {NO_FACETS} » (aucune facette) ne se combine pas avec une facette (« facets »)."]
    choices = ", ".join(FACETS)
    errors = [
        f"Facette inconnue (« facets ») : « {name[:40]} » ; valeurs possibles : {choices}, ou {NO_FACETS}."
        for name in dict.fromkeys(names)
        if name not in FACETS
    ]
    return tuple(facet for facet in FACETS if facet in names), errors


def parse(querydict):
    """SearchParams from a QueryDict; raises InvalidSearch with French messages."""
    errors = []
    q = " ".join(querydict.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        errors.append(f"Recherche trop longue : {len(q)} caractères, {MAX_QUERY_LENGTH} au plus.")
    filters, filter_errors = parse_filters(querydict, FACETS)
    errors += filter_errors
    sort = querydict.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        errors.append(f"Tri inconnu : « {sort} » ; valeurs possibles : relevance, date.")
    page, page_error = parse_number(querydict.get("page"), "page", minimum=1, maximum=MAX_PAGE)
    if page_error:
        errors.append(page_error)
    facets, facet_errors = parse_facets(querydict)
    errors += facet_errors
    if errors:
        raise InvalidSearch(errors)
    return SearchParams(q=q, filters=filters, sort=sort, page=page or 1, facets=facets)
