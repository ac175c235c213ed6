from django.urls import path, reverse
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core.admin_menu import UserMenuItem

from . import admin_views, dashboard_views, report_views
from .models import Correspondent, FundingScale, TerritoryFigures


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
    return [
        path("financement/simulation/", admin_views.simulation_view, name="funding_simulation"),
        path("rapports/", report_views.report_index, name="reporting_reports"),
        path("tableau-de-bord/", dashboard_views.dashboard_view, name="reporting_dashboard"),
        path("rapports/<int:report_id>/", report_views.report_detail, name="reporting_report"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return UserMenuItem(
        "Simulation du financement",
        reverse("funding_simulation"),
        icon_name="table",
        order=262,
        shown_to=admin_views.can_simulate,
    )


@hooks.register("register_admin_menu_item")
def register_reports_menu_item():
    return UserMenuItem(
        "Rapports d'activité",
        reverse("reporting_reports"),
        icon_name="doc-full",
        order=256,
        shown_to=report_views.can_see_reports,
    )


class CorrespondentViewSet(SnippetViewSet):
    model = Correspondent
    icon = "user"
    menu_label = "Correspondants régionaux"
    menu_order = 263
    add_to_admin_menu = True
    list_display = ["user", "region"]


register_snippet(CorrespondentViewSet)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    for action, label in {
        "reporting.submit": "Rapport d'activité transmis",
        "reporting.review": "Avis régional rendu",
        "reporting.validate": "Rapport d'activité validé",
        "reporting.send_back": "Rapport d'activité renvoyé au centre",
    }.items():
        actions.register_action(action, label, label)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return UserMenuItem(
        "Tableau de bord",
        reverse("reporting_dashboard"),
        icon_name="table",
        order=257,
        shown_to=dashboard_views.can_see_dashboard,
    )
