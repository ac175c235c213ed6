from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .admin_views import can_see, extraction_report


class ExtractionMenuItem(MenuItem):
    def is_shown(self, request):
        return can_see(request.user)


@hooks.register("register_admin_urls")
def register_urls():
    return [path("documents-extraction/", extraction_report, name="publications_extraction")]


@hooks.register("register_reports_menu_item")
def register_menu_item():
    return ExtractionMenuItem("Extraction des documents", reverse("publications_extraction"), icon_name="doc-full")
