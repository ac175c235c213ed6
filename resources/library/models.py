from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from portal.core.kinds import declared_models
from resources.taxonomy import facets

from .filters import parse_filters
from .listing import library_models, paginate

# Filters the form offers (the département list is too long for a select; the parameter still works).
FORM_FILTERS = ["type", "centre", "region", "pillar", "axis", "theme", "public"]


class LibraryPage(Page):
    """The browsable library (/bibliotheque/): every declared content kind with filters, no search engine needed."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("bibliothèque")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        filters, errors = parse_filters(request.GET)
        page_number, page_error = facets.parse_number(request.GET.get("page"), "page")
        errors += [page_error] if page_error else []
        page, items = paginate(filters, page_number or 1)
        context.update(
            filters=filters,
            filter_errors=errors,
            results_page=page,
            items=items,
            query_items=filters.as_query_items(),
            options=filter_options(),
        )
        return context

    def serve(self, request, *args, **kwargs):
        response = super().serve(request, *args, **kwargs)
        if response.context_data["filter_errors"]:
            response.status_code = 400  # the page still shows, with its error list, for the valid filters
        return response


def filter_options():
    """(name, title, choices) of the filter form, in display order."""
    return [(name, facets.TITLES[name], list(_choices(name).items())) for name in FORM_FILTERS]


def _choices(name):
    labels = facets.labels(name)
    if name != "type":
        return labels
    # The listed kinds first (« Fiche d'expérience », « Publication »…), then the types of their pages
    # (guide, étude…); a slug of a kind that is not listed (« dossier ») is not offered.
    listed = [model.content_kind for model in library_models()]
    choices = {kind.slug: kind.label for kind in listed}
    if any(kind.type_field for kind in listed):
        kind_slugs = {kind.slug for kind in declared_models().values()}
        choices |= {slug: label for slug, label in labels.items() if slug not in kind_slugs}
    return choices
