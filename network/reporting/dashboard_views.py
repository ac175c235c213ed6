"""The dashboard in the admin: the national team sees every centre, a centre's staff their own.

`?annee=N` chooses the year (default: the last full year); `format=csv|xlsx` exports the
per-centre table, `format=pdf` gives the printable *tableau de bord* with the same SVG charts.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone

from portal.accounts.roles import is_national
from portal.centres.models import Centre
from portal.core.spreadsheet import spreadsheet_response

from . import charts
from .commitments import LABELS as COMMITMENT_LABELS
from .dashboard import COLUMNS, TREND_KEYS, build
from .indicators import flatten
from .models import FUNDERS, DashboardPublication


def dashboard_centres(user):
    if is_national(user):
        return None  # every State-funded centre
    centres = list(Centre.objects.for_user(user).order_by("name"))
    if not centres:
        raise PermissionDenied
    return centres


def can_see_dashboard(user):
    return is_national(user) or Centre.objects.for_user(user).exists()


def _year(request):
    try:
        year = int(request.GET.get("annee", ""))
    except ValueError:
        year = timezone.now().year - 1
    return min(max(year, 2000), 2200)


def context_for(dashboard):
    labels = dict(COLUMNS)
    names = [centre.name for centre in dashboard.centres]
    funders = [str(label) for _key, label in FUNDERS]
    return {
        "dashboard": dashboard,
        "columns": COLUMNS,
        "centre_rows": [(centre, dashboard.rows[centre.code]) for centre in dashboard.centres],
        "commitment_labels": list(COMMITMENT_LABELS.values()),
        "funders": funders,
        "trend_rows": [(labels[key], dashboard.trends[key]) for key in TREND_KEYS],
        "trend_chart": charts.trends(dashboard.years, [(labels[key], dashboard.trends[key]) for key in TREND_KEYS]),
        "events_chart": charts.per_centre(
            names, [dashboard.rows[c.code]["events"] for c in dashboard.centres], "Événements par centre"
        ),
        "budget_chart": charts.budgets(dashboard.budgets, funders) if dashboard.budgets else "",
        "generated_at": timezone.now(),
    }


def export_table(dashboard):
    """(columns, rows): the page's columns first, then every other indicator under its dotted key."""
    flat = {centre.code: flatten(dashboard.figures[centre.code]) for centre in dashboard.centres}
    shown = {key for key, _label in COLUMNS}
    others = [key for key in next(iter(flat.values()), {}) if key not in shown and key not in ("centre", "year")]
    columns = [("centre", "Centre"), *COLUMNS, *[(key, key) for key in others]]
    rows = [{"centre": centre.name, **flat[centre.code], **dashboard.rows[centre.code]} for centre in dashboard.centres]
    return columns, rows


def dashboard_view(request):
    if not can_see_dashboard(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _publish(request)
    year = _year(request)
    dashboard = build(year, dashboard_centres(request.user))
    export = request.GET.get("format")
    if export in ("csv", "xlsx"):
        return spreadsheet_response(*export_table(dashboard), f"tableau-de-bord-{year}", export)
    context = context_for(dashboard)
    context["publication"] = DashboardPublication.objects.filter(year=year).first()
    if export == "pdf":
        from weasyprint import HTML

        html = render_to_string("reporting/dashboard_pdf.html", context, request=request)
        response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="tableau-de-bord-{year}.pdf"'
        return response
    context["years_offered"] = list(range(timezone.now().year, timezone.now().year - 11, -1))
    context["national"] = is_national(request.user)
    return render(request, "reporting/dashboard.html", context)


def _publish(request):
    """The national team publishes a year: its public summary page and the indicators API open."""
    if not is_national(request.user):
        raise PermissionDenied
    year = _year(request)
    if year > timezone.now().year:
        messages.error(request, "Année invalide : on publie une année commencée.")
        return redirect("reporting_dashboard")
    _publication, created = DashboardPublication.objects.get_or_create(
        year=year, defaults={"published_by": request.user}
    )
    messages.success(
        request, f"Tableau de bord {year} publié." if created else f"Le tableau de bord {year} était déjà publié."
    )
    return redirect(f"{request.path}?annee={year}")


def public_dashboard(request, year):
    """The published year's summary, for everyone: the same figures, never a person."""
    publication = DashboardPublication.objects.filter(year=year).first()
    if publication is None:
        raise Http404("Tableau de bord non publié")
    context = context_for(build(year))
    context["publication"] = publication
    context["published_years"] = DashboardPublication.objects.values_list("year", flat=True)
    return render(request, "reporting/public_dashboard.html", context)
