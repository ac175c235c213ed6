"""The library's filters, shared by the listing page, its feeds and the open API.

Values are parsed by the one filter vocabulary (`resources.taxonomy.facets`: parameter names,
French messages, the year rule). They are applied to any page model through a description
derived from its fields: a vocabulary filter follows the model's ForeignKey or many-to-many
to that vocabulary; `type` follows the model's content kind; `year` its listing date. A model
that carries none of a filter's fields cannot match it. No content model is imported here, so
content packages (the experiences API, dossiers) may import this module.
"""

from functools import cache

from django.apps import apps
from django.db.models import Q

from portal.centres.models import Centre
from portal.core.kinds import kind_of, listing_date_expression
from resources.taxonomy import facets


class LibraryFilters:
    """The selected values, {filter name: [values]}; `filters.theme` reads one (an empty list when unset)."""

    def __init__(self, selected=None):
        self.selected = {name: list(values) for name, values in (selected or {}).items() if values}

    def __getattr__(self, name):
        if name in facets.FILTER_NAMES:
            return self.__dict__.get("selected", {}).get(name, [])
        raise AttributeError(name)

    def is_empty(self):
        return not self.selected

    def as_query_items(self):
        """(name, value) pairs, for building links and feed URLs that keep the current state."""
        return [(name, str(value)) for name in facets.FILTER_NAMES for value in self.selected.get(name, [])]


def parse_filters(querydict):
    """Validated filters and a list of French error messages (unknown values are dropped)."""
    selected, errors = facets.parse_filters(querydict)
    return LibraryFilters(selected), errors


@cache
def vocabulary_fields(model):
    """{filter name: field of `model`} — its ForeignKey or many-to-many to each vocabulary it carries."""
    fields = {}
    for name, vocabulary in facets.VOCABULARIES.items():
        target = apps.get_model(vocabulary.model)
        for field in model._meta.get_fields():
            if (field.many_to_one or field.many_to_many) and not field.auto_created and field.related_model is target:
                fields[name] = field
                break
    return fields


def filter_pages(queryset, filters):
    """Apply the filters to a queryset of one page model, annotated with its `listing_date`.

    Repeated values of one filter: OR; different filters: AND.
    """
    model = queryset.model
    queryset = queryset.annotate(listing_date=listing_date_expression(model))
    conditions = [_condition(model, name, values) for name, values in filters.selected.items()]
    if None in conditions:
        return queryset.none()
    for condition in conditions:
        queryset = queryset.filter(condition)
    return queryset


def _condition(model, name, values):
    """The Q matching `values` of one filter on `model`, or None when the model cannot match it."""
    if name == facets.YEAR:
        return Q(listing_date__year__in=values)
    if name == "type":
        return _type_condition(model, values)
    fields = vocabulary_fields(model)
    if name in fields:
        field = fields[name]
        lookup = {f"{field.name}__{facets.VOCABULARIES[name].key}__in": values}
        # A many-to-many join repeats rows: match through ids to keep one row per page.
        return Q(pk__in=model.objects.filter(**lookup).values("pk")) if field.many_to_many else Q(**lookup)
    if name == "region" and "centre" in fields:  # a page without a territory of its own: its centre's regions
        return Q(**{f"{fields['centre'].name}__in": _centres_in_regions(values)})
    return None


def _type_condition(model, values):
    kind = kind_of(model)
    if kind is None:
        return None
    if kind.slug in values:
        return Q()
    if kind.type_field:
        return Q(**{f"{kind.type_field}__{facets.VOCABULARIES['type'].key}__in": values})
    return None


def _centres_in_regions(regions):
    q = Q()
    for code in regions:
        q |= Q(region_codes__regex=rf"(^|,){code}(,|$)")
    return Centre.objects.filter(q).values("pk")
