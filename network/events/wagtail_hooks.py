"""The registration admin: its URLs, the « Inscriptions » menu item, a button on each activity page,
and the labels of its audit-log actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from portal.core.admin_menu import UserMenuItem

from . import admin_views
from .models import ActivityPage


@hooks.register("register_admin_urls")
def register_urls():
    prefix = "inscriptions/<int:activity_id>/"
    return [
        path("inscriptions/", admin_views.ActivityIndexView.as_view(), name="events_activities"),
        path(prefix, admin_views.RegistrantIndexView.as_view(), name="events_registrants"),
        path(prefix + "resultats/", admin_views.RegistrantResultsView.as_view(), name="events_registrants_results"),
        path(prefix + "presences/", admin_views.mark_attendance, name="events_attendance"),
        path(prefix + "places/", admin_views.change_capacity, name="events_capacity"),
        path(prefix + "ajouter/", admin_views.add_registrant, name="events_registrant_add"),
        path(prefix + "annuler/<int:registration_id>/", admin_views.cancel_registrant, name="events_registrant_cancel"),
        path(prefix + "emargement.pdf", admin_views.attendance_sheet, name="events_attendance_sheet"),
    ]


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return UserMenuItem(
        _("Inscriptions"),
        reverse("events_activities"),
        icon_name="group",
        order=260,
        shown_to=admin_views.works_on_registrations,
    )


class RegistrantsButton(PageMenuItem):
    label = _("Inscriptions")
    icon_name = "group"
    priority = 12
    url_name = "events_registrants"

    def is_shown(self, user):
        return admin_views.may_manage(user, self.page)


def registrants_button(page, user):
    if isinstance(page.specific_deferred, ActivityPage):
        yield RegistrantsButton(page=page.specific_deferred)


@hooks.register("register_page_header_buttons")
def header_button(page, user, view_name, next_url=None):
    yield from registrants_button(page, user)


@hooks.register("register_page_listing_more_buttons")
def listing_button(page, user, next_url=None):
    yield from registrants_button(page, user)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("events.attendance", _("Présences"), _("Présences enregistrées"))
    actions.register_action("events.capacity", _("Nombre de places"), _("Nombre de places modifié"))
    actions.register_action(
        "events.registration.staff", _("Inscription par l'équipe"), _("Personne inscrite par l'équipe")
    )
    actions.register_action(
        "events.registration.cancel", _("Annulation par l'équipe"), _("Inscription annulée par l'équipe")
    )
