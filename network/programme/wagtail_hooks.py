from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from portal.core.admin_menu import UserMenuItem

from . import admin_views
from .models import ChantierCall


class ChantierCallViewSet(SnippetViewSet):
    model = ChantierCall
    icon = "doc-full"
    menu_label = "Appels à contributions"
    menu_order = 255
    add_to_admin_menu = True
    list_display = ["chantier", "deadline"]


register_snippet(ChantierCallViewSet)


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("programme/", admin_views.programme_index, name="programme_index"),
        path("programme/chantier/<int:chantier_id>/", admin_views.chantier_detail, name="programme_chantier"),
        path(
            "programme/chantier/<int:chantier_id>/contributions.zip",
            admin_views.chantier_bundle,
            name="programme_bundle",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return UserMenuItem(
        "Programme national",
        reverse("programme_index"),
        icon_name="list-ul",
        order=254,
        shown_to=admin_views.can_use_programme,
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    labels = {
        "programme.join": _("Programme : chantier rejoint"),
        "programme.leave": _("Programme : chantier quitté"),
        "programme.submit": _("Programme : contribution soumise"),
        "programme.request_changes": _("Programme : modifications demandées"),
        "programme.accept": _("Programme : contribution retenue"),
    }
    for action, label in labels.items():
        actions.register_action(action, label, label)
