from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import FundingScale


class FundingScaleViewSet(SnippetViewSet):
    """The national team edits the scale of a year (model permissions: only it holds them)."""

    model = FundingScale
    icon = "table"
    menu_label = "Barèmes de financement"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["year", "state_share", "qpv_weight", "distance_weight"]


register_snippet(FundingScaleViewSet)
