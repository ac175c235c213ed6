"""Content kinds: how a page type declares itself to search, the library and dossiers.

A page model that the portal lists sets a class attribute `content_kind = ContentKind(...)`.
Search, the library and dossiers find the declared models through the app registry
(`declared_models()`), so a new page type (events, training…) plugs in by declaring itself,
with no edit in those packages. This module sits in `portal.core`, below every content
package, so that all of them (and `search`) can read the declarations.
"""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import DateField
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone


@dataclass(frozen=True)
class ContentKind:
    slug: str  # value of the `type` filter and facet, e.g. "fiche-experience"
    label: str  # French, singular: « Fiche d'expérience »
    plural: str  # French, plural: « Fiches d'expérience »
    # Fields the page is dated by, in order of preference; then the (local) date of first publication.
    date_fields: tuple[str, ...] = ()
    in_library: bool = False  # listed by /bibliotheque/ and its feeds
    in_dossiers: bool = False  # may be gathered by a thematic dossier
    # A ForeignKey to taxonomy.ResourceType whose slug types each page (publications: guide,
    # étude…) instead of the kind's own slug.
    type_field: str | None = None
    # Search ranking (see docs/relevance.md). `search_weight` scales this kind's matches against the
    # others' (a newsletter issue repeats the titles of what it announced: below the items themselves);
    # `ages`: the page's value fades with its date (an event two years ago is an archive, a sheet is not).
    search_weight: float = 1.0
    ages: bool = False


def declared_models():
    """{model: ContentKind} for every installed page model that declares a kind, in registry order."""
    return {
        model: model.content_kind
        for model in apps.get_models()
        if isinstance(getattr(model, "content_kind", None), ContentKind)
    }


def kind_of(model):
    """The ContentKind declared by a model or one of its bases, or None."""
    kind = getattr(model, "content_kind", None)
    return kind if isinstance(kind, ContentKind) else None


def local_date(moment):
    return timezone.localdate(moment) if moment else None


def listing_date(page):
    """The date a page is listed under: its first dated field that is set, else its first publication."""
    kind = kind_of(type(page))
    for name in kind.date_fields if kind else ():
        value = getattr(page, name, None)
        if value:
            return local_date(value) if isinstance(value, datetime) else value
    return local_date(page.first_published_at)


def listing_date_expression(model):
    """`listing_date` as a database expression (dates in the current time zone), to filter and sort in SQL."""
    kind = kind_of(model)
    # TruncDate converts to the current time zone (Europe/Paris) before truncating.
    fields = [TruncDate(name) if _is_datetime(model, name) else name for name in (kind.date_fields if kind else ())]
    published = TruncDate("first_published_at")
    return Coalesce(*fields, published, output_field=DateField()) if fields else published


def _is_datetime(model, name):
    return model._meta.get_field(name).get_internal_type() == "DateTimeField"
