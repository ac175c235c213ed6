from django.urls import path, reverse
from wagtail import hooks

from portal.core.admin_menu import UserMenuItem

from .admin_views import can_see, extraction_report


@hooks.register("register_admin_urls")
def register_urls():
    return [path("documents-extraction/", extraction_report, name="publications_extraction")]


@hooks.register("register_reports_menu_item")
def register_menu_item():
    return UserMenuItem(
        "Extraction des documents", reverse("publications_extraction"), icon_name="doc-full", shown_to=can_see
    )
