"""Admin status page for search: engine, index behind the alias, pending outbox rows, maintenance runs."""

from django.contrib import messages
from django.contrib.auth.decorators import user_passes_test
from django.shortcuts import redirect, render
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import engine, lifecycle
from .maintenance import AlreadyRunning, request_run
from .models import IndexQueue, MaintenanceRun, SearchEntry


def _is_national(user):
    return user.is_superuser or user.has_perm("search.view_searchentry")


@user_passes_test(_is_national)
def status_view(request):
    if request.method == "POST":
        return _request_run(request)
    runs = list(MaintenanceRun.objects.select_related("requested_by")[:10])
    runs_context = {"runs": runs, "active_run": next((run for run in runs if run.active), None)}
    if request.GET.get("fragment") == "runs":  # what the page's script refreshes while a run is under way
        return render(request, "search/admin_runs.html", runs_context)
    actions = MaintenanceRun.Action.choices
    context = {
        **runs_context,
        "actions": actions if engine.enabled() else [a for a in actions if a[0] != MaintenanceRun.Action.REBUILD],
        "engine": engine.ENGINE if engine.enabled() else None,
        "entries": SearchEntry.objects.count(),
        "pending": IndexQueue.objects.count(),
        "failing": IndexQueue.objects.filter(attempts__gt=0).order_by("-attempts")[:20],
        "indices": [],
        "error": None,
    }
    if engine.enabled():
        try:
            client = engine.get_client()
            for name in lifecycle.current_indices(client, engine.alias_name()):
                context["indices"].append((name, client.count(index=name)["count"]))
        except engine.ENGINE_UNAVAILABLE as exc:
            context["error"] = f"Moteur injoignable : {exc}"
    return render(request, "search/admin_status.html", context)


def _request_run(request):
    action = request.POST.get("action")
    if action not in MaintenanceRun.Action.values:
        messages.error(request, "Opération inconnue.")
    else:
        try:
            request_run(action, request.user)
            messages.success(request, f"{MaintenanceRun.Action(action).label} : demandée, suivez-la ci-dessous.")
        except AlreadyRunning:
            messages.error(request, "Une opération est déjà en file ou en cours : attendez sa fin.")
        except ValueError as exc:
            messages.error(request, str(exc))
    return redirect("search_status")


@hooks.register("register_admin_urls")
def register_urls():
    return [path("recherche/etat/", status_view, name="search_status")]


@hooks.register("register_settings_menu_item")
def register_menu_item():
    return MenuItem(
        "État de la recherche",
        reverse("search_status"),
        icon_name="search",
        order=900,
    )
