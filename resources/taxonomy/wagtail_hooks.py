from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Chantier, Departement, Pillar, Public, Region, ResourceType, Theme, TransversalAxis


def _viewset(model_class, icon="tag", columns=("label", "slug")):
    return type(
        f"{model_class.__name__}ViewSet",
        (SnippetViewSet,),
        {"model": model_class, "icon": icon, "list_display": list(columns), "search_fields": list(columns)},
    )


class TaxonomyGroup(SnippetViewSetGroup):
    menu_label = _("Taxonomie")
    menu_icon = "tag"
    menu_order = 300
    items = [
        _viewset(Theme),
        _viewset(Public),
        _viewset(Pillar),
        _viewset(TransversalAxis),
        _viewset(ResourceType),
        _viewset(Chantier, icon="list-ul", columns=("title", "code", "year")),
        _viewset(Region, icon="site", columns=("name", "code")),
        _viewset(Departement, icon="site", columns=("name", "code")),
    ]


register_snippet(TaxonomyGroup)
