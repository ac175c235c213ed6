"""Admin wiring of the newsletters: the centres' walls on lists and subscriptions; issues' routes and buttons."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.permissions import register_permission_policy

from . import issue_admin_views
from .admin_views import CentreWallPolicy, NewslettersGroup
from .issues import NewsletterIssuePage
from .models import MailingList, Subscription

# The centres' walls, for the admin views and anything else asking Wagtail about these models.
# Subscriptions are never added by hand: the person asks (double opt-in) or an import does.
register_permission_policy(MailingList, CentreWallPolicy(MailingList, list_path=""), exact_class=True)
register_permission_policy(
    Subscription,
    CentreWallPolicy(Subscription, list_path="mailing_list", actions=("change", "delete", "view")),
    exact_class=True,
)


@hooks.register("register_admin_viewset")
def register_newsletters_admin():
    return NewslettersGroup()


class IssueButton(Button):
    allow_in_dropdown = True


urlpatterns = [
    path("<int:issue_id>/", issue_admin_views.status, name="status"),
    path("<int:issue_id>/envoyer/", issue_admin_views.schedule, name="schedule"),
    path("<int:issue_id>/apercu/", issue_admin_views.preview, name="preview"),
    path("<int:issue_id>/apercu/texte/", issue_admin_views.preview, {"part": "text"}, name="preview_text"),
    path("<int:issue_id>/test/", issue_admin_views.test_send, name="test_send"),
    path("<int:issue_id>/action/<str:name>/", issue_admin_views.action, name="action"),
    path("<int:issue_id>/quoi-de-neuf/", issue_admin_views.add_whats_new, name="whats_new"),
]


@hooks.register("register_admin_urls")
def register_urls():
    return [path("lettres/numeros/", include((urlpatterns, "newsletters_admin")))]


@hooks.register("register_page_header_buttons")
def issue_buttons(page, user, view_name=None, next_url=None):
    if not isinstance(page.specific_deferred, NewsletterIssuePage) or not page.permissions_for_user(user).can_edit():
        return []
    return [
        IssueButton(
            "Aperçu du courriel", reverse("newsletters_admin:preview", args=[page.pk]), icon_name="view", priority=5
        ),
        IssueButton(
            "Envoi et suivi", reverse("newsletters_admin:status", args=[page.pk]), icon_name="mail", priority=6
        ),
    ]


@hooks.register("before_publish_page")
def issues_are_published_by_sending(request, page):
    """The archive page goes live when the issue is sent, not through the Publish button."""
    if isinstance(page.specific_deferred, NewsletterIssuePage) and not page.specific_deferred.was_sent():
        messages.error(request, "Une lettre se publie en l'envoyant : utilisez « Envoi et suivi ».")
        return redirect("newsletters_admin:status", page.pk)
    return None
