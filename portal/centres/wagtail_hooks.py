from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Centre


class CentreViewSet(SnippetViewSet):
    model = Centre
    icon = "group"
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["name", "code", "territory", "overseas", "state_funded"]
    list_filter = ["overseas", "state_funded"]
    search_fields = ["name", "code", "territory"]


register_snippet(CentreViewSet)
