"""What the library lists and dossiers gather: the page types that declare a content kind.

A page model declares `content_kind = ContentKind(..., in_library=True, in_dossiers=True)`
(see `portal.core.kinds`); nothing here names a content type. Every listed model is filtered
and dated the same way, then merged in the database (a UNION of ids and listing dates), so
pagination stays one query deep whatever the volume; only the shown pages are then loaded.
"""

from django.core.paginator import Paginator
from django.utils.text import capfirst
from wagtail.models import Page

from portal.core.kinds import declared_models, kind_of

from .filters import filter_pages

LIBRARY_URL = "/bibliotheque/"
PAGE_SIZE = 20


def library_models():
    """The page models listed by the library and its feeds."""
    return [model for model, kind in declared_models().items() if kind.in_library]


def dossier_item_models():
    """The page models a dossier may gather (the chooser offers them, DossierItem.clean enforces them)."""
    return [model for model, kind in declared_models().items() if kind.in_dossiers]


def is_dossier_item(page):
    specific_class = page.specific_class
    return specific_class is not None and issubclass(specific_class, tuple(dossier_item_models()))


def type_label(page):
    """What a page is, in French: its type vocabulary's label (« Guide ») if its kind has one, else the kind's."""
    kind = kind_of(type(page))
    if kind is None:
        return capfirst(page._meta.verbose_name)
    resource_type = getattr(page, kind.type_field) if kind.type_field else None
    return resource_type.label if resource_type else kind.label


def listing_queryset(filters, models=None, exclude=()):
    """(pk, listing_date) rows of the live public pages of `models` (default: the library's), newest first."""
    querysets = [
        # Page querysets are ordered by path; SQLite refuses ORDER BY inside a UNION, so clear it.
        filter_pages(model.objects.live().public().exclude(pk__in=list(exclude)), filters)
        .order_by()
        .values_list("pk", "listing_date")
        for model in (library_models() if models is None else models)
    ]
    if not querysets:
        return []
    first, *others = querysets
    merged = first.union(*others, all=True) if others else first
    return merged.order_by("-listing_date", "-pk")


def load_pages(rows):
    """The specific pages for (pk, date) rows, in the rows' order, each with its listing date and type label."""
    rows = list(rows)
    pages = Page.objects.filter(pk__in=[pk for pk, _date in rows]).specific().in_bulk()
    items = []
    for pk, listing_date in rows:
        page = pages.get(pk)
        if page is not None:
            page.listing_date = listing_date
            page.type_label = type_label(page)
            items.append(page)
    return items


def paginate(filters, page_number, per_page=PAGE_SIZE):
    paginator = Paginator(listing_queryset(filters), per_page)
    page = paginator.get_page(page_number)
    return page, load_pages(page.object_list)


def latest(filters, limit=30):
    return load_pages(listing_queryset(filters)[:limit])
