from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import admin_views
from .models import FundingScale, TerritoryFigures


class FundingScaleViewSet(SnippetViewSet):
    """The national team edits the scale of a year (model permissions: only it holds them)."""

    model = FundingScale
    icon = "table"
    menu_label = "Barèmes de financement"
    menu_order = 260
    add_to_admin_menu = True
    list_display = ["year", "state_share", "qpv_weight", "distance_weight"]


register_snippet(FundingScaleViewSet)


class TerritoryFiguresViewSet(SnippetViewSet):
    model = TerritoryFigures
    icon = "site"
    menu_label = "Données territoriales"
    menu_order = 261
    add_to_admin_menu = True
    list_display = ["centre", "year", "qpv_count", "median_distance_km"]
    list_filter = ["year"]


register_snippet(TerritoryFiguresViewSet)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("financement/simulation/", admin_views.simulation_view, name="funding_simulation")]


class SimulationMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.can_simulate(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return SimulationMenuItem(
        "Simulation du financement",
        reverse("funding_simulation"),
        icon_name="table",
        order=262,
    )
