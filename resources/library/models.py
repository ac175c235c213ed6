from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from portal.centres.models import Centre
from resources.taxonomy.models import Pillar, Public, Region, ResourceType, Theme, TransversalAxis

from .filters import SHEET_TYPE, parse_filters
from .listing import paginate


class LibraryPage(Page):
    """The browsable library (/bibliotheque/): sheets and publications with filters, no search engine needed."""

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
        page, items = paginate(filters, request.GET.get("page"))
        query_items = filters.as_query_items()
        context.update(
            filters=filters,
            filter_errors=errors,
            results_page=page,
            items=items,
            query_items=query_items,
            options=filter_options(),
            sheet_type=SHEET_TYPE,
        )
        return context


def filter_options():
    """The choices of the filter form, in display order."""
    types = list(ResourceType.objects.values_list("slug", "label"))
    if SHEET_TYPE not in dict(types):
        types.insert(0, (SHEET_TYPE, "Fiche d'expérience"))
    return [
        ("type", _("Type"), types),
        ("centre", _("Centre"), list(Centre.objects.values_list("code", "name"))),
        ("region", _("Région"), list(Region.objects.values_list("code", "name"))),
        ("pillar", _("Pilier"), list(Pillar.objects.values_list("slug", "label"))),
        ("axis", _("Axe transversal"), list(TransversalAxis.objects.values_list("slug", "label"))),
        ("theme", _("Thème"), list(Theme.objects.values_list("slug", "label"))),
        ("public", _("Public"), list(Public.objects.values_list("slug", "label"))),
    ]
