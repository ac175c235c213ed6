"""Wagtail admin for lists and subscriptions, behind the centres' walls.

A centre's staff (its editors and moderators) see, create and export only their centre's lists
and the subscriptions to them; national lists belong to the national team, which sees all.
The wall is one permission policy (`CentreWallPolicy`) and one mixin on every view that reads an
object by its id: a forged URL to another centre's list or subscription answers 404.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import history, usage
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies.base import BasePermissionPolicy

from portal.accounts.roles import NATIONAL_ADMINS, is_national
from portal.centres.models import Centre

from .csvfiles import write_export
from .models import MailingList, Subscription, SubscriptionStatus


def lists_for(user):
    return MailingList.objects.for_user(user)


class CentreWallPolicy(BasePermissionPolicy):
    """Staff of a centre and the national team may act; on the instances of their lists only."""

    def __init__(self, model, list_path, actions=("add", "change", "delete", "view")):
        super().__init__(model)
        self.list_path = list_path  # how an instance reaches its MailingList ("" for the list itself)
        self.actions = actions

    def user_has_permission(self, user, action):
        if action not in self.actions or not (user.is_authenticated and user.is_active):
            return False
        return is_national(user) or Centre.objects.for_user(user).exists()

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return self.model.objects.none()
        field = f"{self.list_path}__in" if self.list_path else "pk__in"
        return self.model.objects.filter(**{field: lists_for(user)})

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.instances_user_has_any_permission_for(user, actions).filter(pk=instance.pk).exists()

    def users_with_any_permission(self, actions):
        centre_groups = [*Centre.objects.values_list("editors_group", flat=True)]
        centre_groups += Centre.objects.values_list("moderators_group", flat=True)
        staff = Q(is_superuser=True) | Q(groups__name=NATIONAL_ADMINS) | Q(groups__in=centre_groups)
        return get_user_model().objects.filter(staff, is_active=True).distinct()

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


class WalledObject:
    """For views reading one object by id: outside the user's lists, it does not exist (404)."""

    def get_object(self, *args, **kwargs):
        instance = super().get_object(*args, **kwargs)
        if not self.permission_policy.user_has_permission_for_instance(self.request.user, "view", instance):
            raise Http404
        return instance


class WalledIndex:
    def get_base_queryset(self):
        return self.permission_policy.instances_user_has_permission_for(self.request.user, "view")


class MailingListForm(WagtailAdminModelForm):
    """The centre field offers the user's own centres (required); the national team may leave it empty."""

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and not is_national(for_user):
            self.fields["centre"].queryset = Centre.objects.for_user(for_user)
            self.fields["centre"].required = True
            self.fields["centre"].empty_label = None

    def clean_slug(self):
        return slugify(self.cleaned_data["slug"])


class WalledViewSetMixin:
    """The views of a ModelViewSet, each behind the wall."""

    copy_view_enabled = False

    index_view_class = type("WalledIndexView", (WalledIndex, generic.IndexView), {})
    edit_view_class = type("WalledEditView", (WalledObject, generic.EditView), {})
    delete_view_class = type("WalledDeleteView", (WalledObject, generic.DeleteView), {})
    history_view_class = type("WalledHistoryView", (WalledObject, history.HistoryView), {})
    usage_view_class = type("WalledUsageView", (WalledObject, usage.UsageView), {})
    inspect_view_class = type("WalledInspectView", (WalledObject, generic.InspectView), {})


class MailingListViewSet(WalledViewSetMixin, ModelViewSet):
    model = MailingList
    icon = "mail"
    menu_label = _("Listes")
    name = "listes"
    form_fields = ["centre", "slug", "title", "description", "is_active"]
    list_display = [
        "title",
        "slug",
        "centre",
        "is_active",
        TitleColumn(
            "export",
            label=_("Abonnés (CSV)"),
            accessor=lambda mailing_list: _("Exporter"),
            get_url=lambda mailing_list: reverse("listes:export", args=[mailing_list.pk]),
        ),
    ]
    list_filter = ["is_active"]
    search_fields = ["title", "slug"]
    list_export = []
    inspect_view_enabled = True

    def get_form_class(self, for_update=False):
        return forms.modelform_factory(MailingList, form=MailingListForm, fields=self.form_fields)

    def get_urlpatterns(self):
        return [*super().get_urlpatterns(), path("export/<int:pk>/", self.export_view, name="export")]

    def export_view(self, request, pk):
        """The list's subscriptions as CSV (UTF-8 with BOM, `;`): the same file as `newsletter export`."""
        mailing_list = get_object_or_404(lists_for(request.user), pk=pk)
        response = StreamingHttpResponse(csv_lines(mailing_list), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="abonnes-{mailing_list.slug}.csv"'
        return response


def csv_lines(mailing_list):
    import io

    buffer = io.StringIO()
    buffer.write("\ufeff")
    write_export(mailing_list, buffer)
    yield buffer.getvalue()


class SubscriptionForm(WagtailAdminModelForm):
    """Staff may end a subscription; only the person confirms one (double opt-in, by the mailed link)."""

    def clean_status(self):
        status = self.cleaned_data["status"]
        if status == SubscriptionStatus.CONFIRMED and self.instance.status != SubscriptionStatus.CONFIRMED:
            raise forms.ValidationError(
                _("Seule la personne peut confirmer son inscription, par le lien reçu par courriel.")
            )
        return status


class SubscriptionViewSet(WalledViewSetMixin, ModelViewSet):
    """Subscriptions to the user's lists: read, and removed (unsubscribing is the person's link)."""

    model = Subscription
    icon = "user"
    menu_label = _("Abonnés")
    name = "abonnes"
    list_display = ["subscriber", "mailing_list", "status", "source", "consent_at", "confirmed_at"]
    list_filter = ["status", "source"]
    search_fields = ["subscriber__email_key"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "subscriber",
        "mailing_list",
        "status",
        "source",
        "consent_at",
        "consent_wording",
        "confirmation_sent_at",
        "confirmed_at",
        "unsubscribed_at",
    ]
    form_fields = ["status"]

    def get_form_class(self, for_update=False):
        return forms.modelform_factory(Subscription, form=SubscriptionForm, fields=self.form_fields)


class NewslettersGroup(ModelViewSetGroup):
    menu_label = _("Lettres d'information")
    menu_icon = "mail"
    menu_order = 260
    items = (MailingListViewSet, SubscriptionViewSet)
