"""RSS and Atom feeds of new library content, for any filtered listing.

`/bibliotheque/flux.rss?theme=sante&centre=irev` follows exactly what the listing
`/bibliotheque/?theme=sante&centre=irev` shows: global, per centre, per theme, or any mix.
"""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import capfirst

from portal.core.addresses import publication_moment

from .filters import parse_filters
from .listing import latest, library_models


class LibraryFeed(Feed):
    description_template = None

    def __call__(self, request, *args, **kwargs):
        _filters, errors = parse_filters(request.GET)
        if errors:  # an unknown value or a malformed year: say so, as the API does, rather than an empty feed
            return HttpResponseBadRequest("\n".join(errors), content_type="text/plain; charset=utf-8")
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request):
        return parse_filters(request.GET)[0]

    def title(self, filters):
        return "Portail CRPV — nouveautés de la bibliothèque" + (
            " (sélection filtrée)" if not filters.is_empty() else ""
        )

    def link(self, filters):
        query = urlencode(filters.as_query_items())
        return "/bibliotheque/" + (f"?{query}" if query else "")

    def description(self, filters):
        kinds = ", ".join(model.content_kind.plural.lower() for model in library_models())
        return f"{capfirst(kinds)} des centres de ressources politique de la ville."

    def items(self, filters):
        return latest(filters)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return getattr(item, "summary", "")

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return publication_moment(item)

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        centre = getattr(item, "centre", None)
        return centre.name if centre else None

    def item_guid(self, item):
        return str(getattr(item, "uuid", item.pk))

    item_guid_is_permalink = False


class LibraryAtomFeed(LibraryFeed):
    feed_type = Atom1Feed
    subtitle = LibraryFeed.description
