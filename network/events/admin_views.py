"""The centre's side of registration, in the Wagtail admin: who registered, who came.

Every view is scoped to one activity (`EventPage` or `TrainingCyclePage`) that the user works for
(`may_manage`: the activity's centre is one of theirs, or they hold the national team's permission
on registrations). The views only read and route: every change goes through `services`.
"""

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.models import Page

from portal.centres.models import Centre
from portal.core.ratelimit import rate_limited

from . import services
from .attendance_sheet import render_attendance_sheet
from .dates import period_label
from .forms import PRIVACY_NOTICE, RegistrationForm
from .models import (
    ActivityPage,
    Attendance,
    EventPage,
    PublicCategory,
    Registration,
    RegistrationStatus,
    TrainingCyclePage,
)

NATIONAL_PERMISSION = "events.change_registration"  # held by the national team (content app)


def is_national(user):
    return user.is_superuser or user.has_perm(NATIONAL_PERMISSION)


def works_on_registrations(user):
    """Whether the « Inscriptions » menu is for `user`: the national team, or a centre's staff."""
    return is_national(user) or Centre.objects.for_user(user).exists()


def may_manage(user, activity):
    """Whether `user` may see and change the registrants of `activity`."""
    return is_national(user) or Centre.objects.for_user(user).filter(pk=activity.centre_id).exists()


def managed_activity(request, activity_id):
    """The activity, or 404: not an activity, or another centre's (whose existence is not revealed)."""
    page = get_object_or_404(Page, pk=activity_id).specific
    if not isinstance(page, ActivityPage) or not may_manage(request.user, page):
        raise Http404
    return page


def registrants_url(activity, query=""):
    url = reverse("events_registrants", args=[activity.pk])
    return f"{url}?{query}" if query else url


# --- The activities of the user's centres, with their counts -------------------------------------


class ActivityIndexView(IndexView):
    """« Inscriptions » in the menu: the user's activities, latest first, with their counts."""

    model = Page
    permission_policy = None  # scoped by centre below, not by model permissions
    any_permission_required = None
    index_url_name = "events_activities"
    page_title = gettext_lazy("Inscriptions aux événements et formations")
    header_icon = "group"
    paginate_by = 50
    default_ordering = "-starts"
    is_searchable = False

    def dispatch(self, request, *args, **kwargs):
        if not works_on_registrations(request.user):
            raise PermissionDenied  # Wagtail sends them back to the dashboard with a message
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        ids, national = [], is_national(self.request.user)
        for model in (EventPage, TrainingCyclePage):
            pages = model.objects.all() if national else model.objects.filter(centre__in=self.centres)
            ids += pages.values_list("pk", flat=True)
        starts = [
            Subquery(m.objects.filter(pk=OuterRef("pk")).values("starts_at")[:1])
            for m in (EventPage, TrainingCyclePage)
        ]
        status = Q(registrations__email__gt="")
        return (
            Page.objects.filter(pk__in=ids)
            .annotate(
                starts=Coalesce(*starts),
                confirmed=Count("registrations", filter=status & Q(registrations__status=RegistrationStatus.CONFIRMED)),
                waiting=Count("registrations", filter=status & Q(registrations__status=RegistrationStatus.WAITING)),
                present=Count("registrations", filter=Q(registrations__attendance=Attendance.PRESENT)),
            )
            .specific()
        )

    @cached_property
    def centres(self):
        return Centre.objects.for_user(self.request.user)

    @cached_property
    def centre_names(self):
        return dict(Centre.objects.values_list("pk", "name"))

    @cached_property
    def columns(self):
        return [
            TitleColumn("title", label=_("Activité"), get_url=registrants_url, sort_key="title"),
            Column("centre", label=_("Centre"), accessor=lambda page: self.centre_names.get(page.centre_id)),
            Column("starts", label=_("Date"), accessor=when, sort_key="starts"),
            Column("capacity", label=_("Places"), accessor=lambda page: page.capacity or "—"),
            Column("confirmed", label=_("Confirmés"), sort_key="confirmed"),
            Column("waiting", label=_("Liste d'attente"), sort_key="waiting"),
            Column("present", label=_("Présents"), sort_key="present"),
        ]


def when(activity):
    return period_label(activity.starts_at, activity.ends_at, activity.zone, getattr(activity, "all_day", False))


# --- One activity's registrants --------------------------------------------------------------------

UNKNOWN_ATTENDANCE = "non-renseignee"


class RegistrantFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=gettext_lazy("Statut"), choices=RegistrationStatus.choices)
    public_category = django_filters.ChoiceFilter(
        label=gettext_lazy("Catégorie de public"), choices=PublicCategory.choices
    )
    attendance = django_filters.ChoiceFilter(
        label=gettext_lazy("Présence"),
        choices=[(UNKNOWN_ATTENDANCE, gettext_lazy("Non renseignée")), *Attendance.choices[1:]],
        method="filter_attendance",
    )

    class Meta:
        model = Registration
        fields = ["status", "public_category", "attendance"]

    def filter_attendance(self, queryset, name, value):
        return queryset.filter(attendance="" if value == UNKNOWN_ATTENDANCE else value)


class CancelColumn(Column):
    """A link to the cancellation's confirmation page (a GET: no form inside the list's form)."""

    cell_template_name = "events/admin/cancel_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        if instance.status != RegistrationStatus.CANCELLED:
            context["url"] = reverse("events_registrant_cancel", args=[instance.activity_id, instance.pk])
        context["registration"] = instance
        return context


class AttendanceColumn(Column):
    """A presence drop-down per registrant, inside the list's one form (no JavaScript needed)."""

    cell_template_name = "events/admin/attendance_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["registration"] = instance
        context["choices"] = Attendance.choices
        context["editable"] = instance.status != RegistrationStatus.CANCELLED
        return context


EXPORT_HEADINGS = {
    "position": "Rang d'arrivée",
    "name": "Nom",
    "email": "Adresse électronique",
    "organisation": "Structure",
    "get_public_category_display": "Catégorie de public",
    "territory": "Territoire",
    "accessibility_needs": "Besoins d'accessibilité",
    "get_status_display": "Statut",
    "get_attendance_display": "Présence",
    "source": "Origine",
    "created_at": "Inscrit le",
    "consent_at": "Consentement le",
}
SOURCES = {"form": "Formulaire", "staff": "Équipe du centre", "import": "Import"}


class RegistrantIndexView(IndexView):
    """The registrants of one activity: filters, CSV and XLSX export (Wagtail's), presence marking."""

    model = Registration
    permission_policy = None  # the activity's centre decides, in `setup`
    any_permission_required = None
    template_name = "events/admin/registrants.html"
    results_template_name = "events/admin/registrants_results.html"
    filterset_class = RegistrantFilterSet
    header_icon = "group"
    paginate_by = 100
    default_ordering = "position"
    list_export = list(EXPORT_HEADINGS)
    export_headings = EXPORT_HEADINGS
    custom_field_preprocess = {"source": dict.fromkeys(("csv", "xlsx"), lambda value: SOURCES.get(value, value))}

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.activity = managed_activity(request, kwargs["activity_id"])

    @method_decorator(rate_limited("export"))
    def export(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        if self.is_export:
            return self.export(request, *args, **kwargs)
        return super().get(request, *args, **kwargs)

    def get_base_queryset(self):
        # Erased people (emptied rows waiting for deletion) are never shown nor exported.
        return Registration.objects.filter(activity_id=self.activity.pk).exclude(email="")

    def get_page_title(self):
        return self.activity.title

    def get_page_subtitle(self):
        return _("Inscriptions")

    def get_index_url(self):
        return registrants_url(self.activity)

    def get_index_results_url(self):
        return reverse("events_registrants_results", args=[self.activity.pk])

    def get_filename(self):
        return f"inscrits-{self.activity.slug}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": _("Tableau de bord")},
            {"url": reverse("events_activities"), "label": _("Inscriptions")},
            {"url": "", "label": self.activity.title, "sublabel": _("Inscriptions")},
        ]

    @cached_property
    def columns(self):
        return [
            Column("position", label=_("Rang"), sort_key="position"),
            Column("name", label=_("Nom"), sort_key="name"),
            Column("email", label=_("Adresse électronique")),
            Column("organisation", label=_("Structure"), sort_key="organisation"),
            Column(
                "public_category",
                label=_("Catégorie"),
                accessor="get_public_category_display",
                sort_key="public_category",
            ),  # fmt: skip
            Column("status", label=_("Statut"), accessor="get_status_display", sort_key="status"),
            AttendanceColumn("attendance", label=_("Présence")),
            CancelColumn("cancel", label=_("Action")),
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        activity = self.activity
        counts = Registration.objects.filter(activity_id=activity.pk).aggregate(
            confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
            waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
            present=Count("pk", filter=Q(attendance=Attendance.PRESENT)),
        )
        context.update(
            activity=activity,
            counts=counts,
            when=when(activity),
            capacity_form=CapacityForm(initial={"capacity": activity.capacity}),
            attendance_url=reverse("events_attendance", args=[activity.pk]),
            capacity_url=reverse("events_capacity", args=[activity.pk]),
            query=self.request.GET.urlencode(),
            status_links=[(value, label) for value, label in RegistrationStatus.choices],
        )
        return context


class RegistrantResultsView(RegistrantIndexView):
    results_only = True


# --- Changes: presence, capacity, manual registration, cancellation --------------------------------


def back_to_list(activity, request):
    """The list with the filters it was posted from (re-encoded: only our own query parameters)."""
    query = QueryDict(request.POST.get("query", ""), mutable=True)
    for internal in ("export", "_w_filter_fragment", "p"):
        query.pop(internal, None)
    return redirect(registrants_url(activity, query.urlencode()))


def mark_attendance(request, activity_id):
    activity = managed_activity(request, activity_id)
    if request.method != "POST":
        return redirect(registrants_url(activity))
    marks = {}
    for key, value in request.POST.items():
        prefix, _sep, raw_id = key.partition("-")
        if prefix != "presence" or not raw_id.isdigit():
            continue
        if value not in Attendance.values:
            messages.error(request, _("Valeur de présence inconnue : rien n'a été enregistré."))
            return back_to_list(activity, request)
        marks[int(raw_id)] = value
    changed = services.mark_attendance(activity, marks, user=request.user)
    messages.success(request, _("Présences enregistrées : %(count)s modification(s).") % {"count": changed})
    return back_to_list(activity, request)


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=gettext_lazy("Nombre de places"),
        min_value=0,
        max_value=100000,
        required=False,
        help_text=gettext_lazy("Vide : sans limite. Les places libérées vont à la liste d'attente, dans l'ordre."),
    )


def change_capacity(request, activity_id):
    activity = managed_activity(request, activity_id)
    if request.method != "POST":
        return redirect(registrants_url(activity))
    form = CapacityForm(request.POST)
    if not form.is_valid():
        for error in form.errors.get("capacity", []):
            messages.error(request, _("Nombre de places : %(error)s") % {"error": error})
        return back_to_list(activity, request)
    promoted = services.change_capacity(activity, form.cleaned_data["capacity"], user=request.user)
    messages.success(
        request,
        _("Nombre de places enregistré. Personnes passées de la liste d'attente aux inscrits : %(count)s.")
        % {"count": len(promoted)},
    )
    return back_to_list(activity, request)


class StaffRegistrationForm(RegistrationForm):
    """The public form's fields; the consent box states that the person's consent was collected."""

    consent = forms.BooleanField(
        label=gettext_lazy(
            "La personne a pris connaissance de la notice ci-dessus et accepte l'utilisation de ses données "
            "pour cet événement (accord recueilli par l'équipe)."
        ),
        error_messages={"required": gettext_lazy("Cochez la case : l'accord de la personne est obligatoire.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["website"]  # no honeypot behind the admin login


def add_registrant(request, activity_id):
    activity = managed_activity(request, activity_id)
    form = StaffRegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            person = {key: value for key, value in form.cleaned_data.items() if key != "consent"}
            try:
                registration, created = services.register_by_staff(activity, request.user, **person)
            except services.RegistrationClosed as closed:
                form.add_error(None, str(closed))
            else:
                if created:
                    messages.success(request, f"{registration.name} : {services.outcome_message(registration)}.")
                else:
                    messages.warning(request, _("Cette adresse est déjà inscrite : rien n'a changé."))
                return redirect(registrants_url(activity))
        status = 400
    context = {
        "activity": activity,
        "form": form,
        "privacy_notice": PRIVACY_NOTICE % {"months": settings.REGISTRATION_ERASURE_MONTHS},
        "list_url": registrants_url(activity),
    }
    return TemplateResponse(request, "events/admin/registrant_add.html", context, status=status)


def cancel_registrant(request, activity_id, registration_id):
    activity = managed_activity(request, activity_id)
    registration = get_object_or_404(
        Registration.objects.exclude(email=""), pk=registration_id, activity_id=activity.pk
    )
    if request.method == "POST":
        promoted = services.cancel_by_staff(registration, request.user)
        messages.success(
            request,
            _("Inscription de %(name)s annulée. Personnes passées de la liste d'attente aux inscrits : %(count)s.")
            % {"name": registration.name, "count": len(promoted)},
        )
        return redirect(registrants_url(activity))
    context = {"activity": activity, "registration": registration, "list_url": registrants_url(activity)}
    return TemplateResponse(request, "events/admin/registrant_cancel.html", context)


@rate_limited("export")
def attendance_sheet(request, activity_id):
    activity = managed_activity(request, activity_id)
    pdf = render_attendance_sheet(activity, request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="emargement-{activity.slug}.pdf"'
    return response
