"""What the library lists: live sheets and publications, newest first, filtered through the ORM.

Both content types are merged in the database (a UNION of ids and dates), so pagination
stays one query deep whatever the volume; only the current page's pages are then loaded.
"""

from django.core.paginator import Paginator
from wagtail.models import Page

from resources.experiences.models import ExperienceSheetPage
from resources.publications.models import PublicationPage, type_label

from .filters import filter_publications, filter_sheets

PAGE_SIZE = 20


def listing_queryset(filters):
    # Page querysets are ordered by path; SQLite refuses ORDER BY inside a UNION, so clear it.
    sheets = filter_sheets(ExperienceSheetPage.objects.live().public(), filters).order_by()
    publications = filter_publications(PublicationPage.objects.live().public(), filters).order_by()
    sheets = sheets.values_list("pk", "listing_date")
    publications = publications.values_list("pk", "listing_date")
    return sheets.union(publications, all=True).order_by("-listing_date", "-pk")


def load_pages(rows):
    """The specific pages for (pk, date) rows, in the rows' order, each with its listing date."""
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
