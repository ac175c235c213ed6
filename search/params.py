"""A search request, parsed from a query string with French messages for bad input.

Shared by the search page, the JSON API and both implementations (engine and database),
so that they all accept exactly the same parameters.
"""

from dataclasses import dataclass, field

from django.apps import apps

from .indexing import FACETS

PAGE_SIZE = 20
MAX_PAGE = 500  # deep pagination is what the filters are for
MAX_QUERY_LENGTH = 200
SORTS = ("relevance", "date")

# Facet → (model, key field, label field, French name). Read through the app registry:
# search stays a reader of the other packages, never an importer of their modules.
FACET_SOURCES = {
    "type": ("taxonomy.ResourceType", "slug", "label", "type"),
    "centre": ("centres.Centre", "code", "name", "centre"),
    "region": ("taxonomy.Region", "code", "name", "région"),
    "departement": ("taxonomy.Departement", "code", "name", "département"),
    "pillar": ("taxonomy.Pillar", "slug", "label", "pilier"),
    "axis": ("taxonomy.TransversalAxis", "slug", "label", "axe transversal"),
    "theme": ("taxonomy.Theme", "slug", "label", "thème"),
    "public": ("taxonomy.Public", "slug", "label", "public"),
}


def facet_labels(facet):
    """{value: label} for a facet (years label themselves)."""
    if facet not in FACET_SOURCES:
        return {}
    model_label, key, label, _name = FACET_SOURCES[facet]
    return dict(apps.get_model(model_label).objects.values_list(key, label))


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


def parse(querydict):
    """SearchParams from a QueryDict; raises InvalidSearch with French messages."""
    errors = []
    q = " ".join(querydict.get("q", "").split())
    if len(q) > MAX_QUERY_LENGTH:
        errors.append(f"Recherche trop longue : {len(q)} caractères, {MAX_QUERY_LENGTH} au plus.")
    filters = {}
    for facet in FACETS:
        values = [v.strip() for v in querydict.getlist(facet) if v.strip()]
        if not values:
            continue
        if facet == "year":
            bad = [v for v in values if not (v.isdigit() and 1900 <= int(v) <= 2100)]
            errors += [f"Année invalide (« year ») : « {v} » ; attendu : une année sur quatre chiffres." for v in bad]
            values = [int(v) for v in values if v not in bad]
        else:
            known = facet_labels(facet)
            if facet == "type":
                known.setdefault("fiche-experience", "Fiche d'expérience")
            unknown = [v for v in values if v not in known]
            name = FACET_SOURCES[facet][3]
            errors += [f"Valeur inconnue pour le filtre {name} (« {facet} ») : « {v} »." for v in unknown]
            values = [v for v in values if v in known]
        if values:
            filters[facet] = list(dict.fromkeys(values))
    sort = querydict.get("sort", "relevance") or "relevance"
    if sort not in SORTS:
        errors.append(f"Tri inconnu : « {sort} » ; valeurs possibles : relevance, date.")
    page = querydict.get("page", "1") or "1"
    if not page.isdigit() or not 1 <= int(page) <= MAX_PAGE:
        errors.append(f"Page invalide : « {page} » ; attendu : un entier de 1 à {MAX_PAGE}.")
    if errors:
        raise InvalidSearch(errors)
    return SearchParams(q=q, filters=filters, sort=sort, page=int(page))
