"""What search reads of the content kinds declared by page models (`portal.core.kinds`).

An indexable page model declares `content_kind` and defines `search_document()`; search fills
the fields every kind has in common — `kind`, `type`, `date`, `year` — from the declaration, so
a new page type is searched, filtered and labelled without an edit here.
"""

from wagtail.models import Page

from portal.core.kinds import declared_models, kind_of, listing_date


def indexable_models():
    return [
        model
        for model in declared_models()
        if issubclass(model, Page) and callable(getattr(model, "search_document", None))
    ]


def declared_fields(page):
    """{kind, type, date, year} of a page from its model's declaration ({} for an undeclared model)."""
    kind = kind_of(type(page))
    if kind is None:
        return {}
    typed_by = getattr(page, kind.type_field, None) if kind.type_field else None
    date = listing_date(page)
    return {
        "kind": kind.slug,
        # The kind's own slug unless a ResourceType types each page (publications: guide, étude…).
        "type": typed_by.slug if typed_by else kind.slug,
        "date": date,
        "year": date.year if date else None,
    }


def ranking_kinds():
    """({kind slug: weight} for the kinds weighted other than 1, [slugs of the kinds that age])."""
    kinds = [kind_of(model) for model in indexable_models()]
    weights = {kind.slug: kind.search_weight for kind in kinds if kind.search_weight != 1}
    return weights, sorted({kind.slug for kind in kinds if kind.ages})
