"""The library's filters, shared by the listing page, its feeds and the open API.

One parser turns a query string into validated filters (with French errors for bad
values) and one place applies them to each content type, so the page, the RSS/Atom
feeds and `/api/v1/experiences/` always agree on what a filter means.
"""

from dataclasses import dataclass, field

from django.db.models import DateField, Q
from django.db.models.functions import Coalesce, TruncDate

from portal.centres.models import Centre
from resources.taxonomy.models import Departement, Pillar, Public, Region, ResourceType, Theme, TransversalAxis

SHEET_TYPE = "fiche-experience"

# query parameter → (model holding the valid values, lookup field, French name for messages)
VOCABULARIES = {
    "centre": (Centre, "code", "centre"),
    "region": (Region, "code", "région"),
    "departement": (Departement, "code", "département"),
    "pillar": (Pillar, "slug", "pilier"),
    "axis": (TransversalAxis, "slug", "axe transversal"),
    "theme": (Theme, "slug", "thème"),
    "public": (Public, "slug", "public"),
    "type": (ResourceType, "slug", "type de ressource"),
}


@dataclass
class LibraryFilters:
    centre: list[str] = field(default_factory=list)
    region: list[str] = field(default_factory=list)
    departement: list[str] = field(default_factory=list)
    pillar: list[str] = field(default_factory=list)
    axis: list[str] = field(default_factory=list)
    theme: list[str] = field(default_factory=list)
    public: list[str] = field(default_factory=list)
    type: list[str] = field(default_factory=list)
    year: list[int] = field(default_factory=list)

    def is_empty(self):
        return not any(getattr(self, name) for name in self.__dataclass_fields__)

    def as_query_items(self):
        """(name, value) pairs, for building links and feed URLs that keep the current state."""
        return [(name, str(value)) for name in self.__dataclass_fields__ for value in getattr(self, name)]

    def wants(self, type_slug):
        return not self.type or type_slug in self.type


def parse_filters(querydict):
    """Validated filters and a list of French error messages (unknown values are dropped)."""
    filters, errors = LibraryFilters(), []
    for name, (model, lookup, label) in VOCABULARIES.items():
        values = [v.strip() for v in querydict.getlist(name) if v.strip()]
        if not values:
            continue
        known = set(model.objects.filter(**{f"{lookup}__in": values}).values_list(lookup, flat=True))
        for value in values:
            if value in known:
                getattr(filters, name).append(value)
            else:
                errors.append(f"Valeur inconnue pour le filtre {label} (« {name} ») : « {value} ».")
    for value in querydict.getlist("year"):
        value = value.strip()
        if not value:
            continue
        if value.isdigit() and 1900 <= int(value) <= 2100:
            filters.year.append(int(value))
        else:
            errors.append(f"Année invalide (« year ») : « {value} » ; attendu : une année sur quatre chiffres.")
    return filters, errors


def _terms_q(filters, prefix=""):
    q = Q()
    for name, relation in (("pillar", "pillars"), ("axis", "transversal_axes"), ("theme", "themes")):
        if getattr(filters, name):
            q &= Q(**{f"{prefix}{relation}__slug__in": getattr(filters, name)})
    if filters.public:
        q &= Q(**{f"{prefix}publics__slug__in": filters.public})
    return q


def sheet_date():
    """The date a sheet is listed under: when it was written, else when first published."""
    return Coalesce("written_on", TruncDate("first_published_at"), output_field=DateField())


def filter_sheets(queryset, filters):
    """Apply the filters to a queryset of ExperienceSheetPage (repeated values: OR; filters: AND)."""
    queryset = queryset.annotate(listing_date=sheet_date())
    if not filters.wants(SHEET_TYPE):
        return queryset.none()
    if filters.centre:
        queryset = queryset.filter(centre__code__in=filters.centre)
    if filters.region:
        queryset = queryset.filter(region__code__in=filters.region)
    if filters.departement:
        queryset = queryset.filter(departement__code__in=filters.departement)
    if filters.year:
        queryset = queryset.filter(listing_date__year__in=filters.year)
    term_q = _terms_q(filters)
    if term_q:
        # M2M joins can repeat rows: filter on ids to keep one row per sheet.
        queryset = queryset.filter(pk__in=queryset.model.objects.filter(term_q).values("pk"))
    return queryset


def _centres_in_regions(regions):
    q = Q()
    for code in regions:
        q |= Q(region_codes__regex=rf"(^|,){code}(,|$)")
    return Centre.objects.filter(q).values("pk")


def filter_publications(queryset, filters):
    """Apply the filters to PublicationPage; a publication's territory is its centre's."""
    queryset = queryset.annotate(listing_date=Coalesce("publication_date", TruncDate("first_published_at")))
    wanted_types = [slug for slug in filters.type if slug != SHEET_TYPE]
    if (filters.type and not wanted_types) or filters.departement:
        return queryset.none()  # only sheets wanted, or a département (publications have none)
    if wanted_types:
        queryset = queryset.filter(resource_type__slug__in=wanted_types)
    if filters.centre:
        queryset = queryset.filter(centre__code__in=filters.centre)
    if filters.region:
        queryset = queryset.filter(centre__in=_centres_in_regions(filters.region))
    if filters.year:
        queryset = queryset.filter(listing_date__year__in=filters.year)
    term_q = _terms_q(filters)
    if term_q:
        queryset = queryset.filter(pk__in=queryset.model.objects.filter(term_q).values("pk"))
    return queryset
