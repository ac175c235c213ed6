"""Admin status page for search: engine, index behind the alias, pending outbox rows."""

from django.contrib.auth.decorators import user_passes_test
from django.shortcuts import render
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import engine, lifecycle
from .models import IndexQueue, SearchEntry


def _is_national(user):
    return user.is_superuser or user.has_perm("search.view_searchentry")


@user_passes_test(_is_national)
def status_view(request):
    context = {
        "engine": engine.ENGINE if engine.enabled() else None,
        "entries": SearchEntry.objects.count(),
        "pending": IndexQueue.objects.count(),
        "failing": IndexQueue.objects.filter(attempts__gt=0).order_by("-attempts")[:20],
        "indices": [],
        "error": None,
        "reports": None,
    }
    if engine.enabled():
        try:
            client = engine.get_client()
            for name in lifecycle.current_indices(client, engine.alias_name()):
                context["indices"].append((name, client.count(index=name)["count"]))
        except engine.ENGINE_UNAVAILABLE as exc:
            context["error"] = f"Moteur injoignable : {exc}"
    if request.method == "POST" and not context["error"]:
        context["reports"] = lifecycle.check(fix=request.POST.get("fix") == "1")
    return render(request, "search/admin_status.html", context)


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
