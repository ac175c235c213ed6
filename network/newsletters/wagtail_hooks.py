from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import CentreWallPolicy, NewslettersGroup
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
