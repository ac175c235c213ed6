"""Absolute addresses of pages: on the host and port the visitor used, when there is a request.

Wagtail's `full_url` is built from the Site record (hostname and port). A request knows better:
behind `make run` it is http://127.0.0.1:8000/, whatever the Site says. Without a request
(mails, commands), the Site's root URL is all there is.
"""

import datetime
from urllib.parse import urlsplit, urlunsplit

from django.utils import timezone

from .kinds import listing_date, local_date


def page_full_url(page, request=None):
    if request is None:
        return page.get_full_url()
    # Relative for a page of the request's own site; another site's page keeps its own host.
    return request.build_absolute_uri(page.get_url(request))


def on_request_host(url, request):
    """`url` (absolute, of the request's site) moved to the request's scheme, host and port."""
    _scheme, _host, path, query, fragment = urlsplit(url)
    return request.build_absolute_uri(urlunsplit(("", "", path, query, fragment)))


def publication_moment(page):
    """When a page's content was published, for feeds: its own date (a publication's date, a sheet's
    writing date) rather than when it was put online, which may be a bulk import or the demo load."""
    day = getattr(page, "listing_date", None) or listing_date(page)
    published = page.first_published_at
    if published and local_date(published) == day:
        return published  # put online that very day: keep the time
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))
