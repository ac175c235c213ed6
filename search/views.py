"""`/recherche/` (HTML, works without JavaScript), its RSS feed, and the JSON API routes."""

import logging

from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.shortcuts import render
from ninja import Router

from portal.core.ratelimit import rate_limited

from .engine import ENGINE_UNAVAILABLE
from .indexing import FACETS
from .params import InvalidSearch, SearchParams, facet_labels, parse
from .service import get_service

logger = logging.getLogger(__name__)

FACET_TITLES = {
    "type": "Type",
    "centre": "Centre",
    "region": "Région",
    "departement": "Département",
    "pillar": "Pilier",
    "axis": "Axe transversal",
    "theme": "Thème",
    "public": "Public",
    "year": "Année",
}


def run(method, *args):
    """Ask the engine; if it is unreachable, answer from the database rather than fail."""
    service = get_service()
    try:
        return getattr(service, method)(*args)
    except ENGINE_UNAVAILABLE:
        if service.name == "database":
            raise
        logger.warning("Search engine unreachable: answering %s from the database", method)
        from .fallback import DatabaseSearch

        return getattr(DatabaseSearch(), method)(*args)


KIND_LABELS = {"fiche-experience": "Fiche d'expérience", "dossier": "Dossier thématique", "publication": "Publication"}


def for_display(results):
    """Results with French labels and real dates, for templates (the API keeps codes)."""
    from datetime import date

    types = {**facet_labels("type"), **KIND_LABELS}
    centres = facet_labels("centre")
    return [
        dict(
            item,
            type_label=types.get(item["type"], item["type"]),
            centre_label=centres.get(item["centre"], item["centre"]),
            date_value=date.fromisoformat(item["date"]) if item.get("date") else None,
        )
        for item in results
    ]


def search_page(request):
    errors, params, answer = [], SearchParams(), None
    try:
        params = parse(request.GET)
    except InvalidSearch as exc:
        errors = exc.errors
    if not errors and (params.q or params.filters):
        answer = run("search", params)
        answer["results"] = for_display(answer["results"])
    facets = []
    if answer:
        for name in FACETS:
            selected = {str(v) for v in params.filters.get(name, [])}
            values = [dict(item, selected=item["value"] in selected) for item in answer["facets"][name]]
            if values:
                facets.append((name, FACET_TITLES[name], values))
    pages = (answer["count"] + params.page_size - 1) // params.page_size if answer else 0
    return render(
        request,
        "search/search_page.html",
        {
            "params": params,
            "answer": answer,
            "facets": facets,
            "errors": errors,
            "pages": pages,
            "query_items": params.query_items(page=None),
        },
        status=400 if errors else 200,
    )


class SearchFeed(Feed):
    def get_object(self, request):
        try:
            params = parse(request.GET)
        except InvalidSearch as exc:
            raise Http404(" ".join(exc.errors)) from exc
        params.sort = "date"
        params.page = 1
        return params

    def title(self, params):
        return f"Portail CRPV — recherche « {params.q} »" if params.q else "Portail CRPV — recherche"

    def link(self, params):
        from urllib.parse import urlencode

        return "/recherche/?" + urlencode(params.query_items())

    def description(self, params):
        return "Les derniers résultats de cette recherche."

    def items(self, params):
        return run("search", params)["results"]

    def item_title(self, item):
        return item["title"]

    def item_link(self, item):
        return item["url"]

    def item_description(self, item):
        return item["highlight"] or ""

    def item_guid(self, item):
        return item["id"]

    item_guid_is_permalink = False


# ---- JSON API (mounted at /api/v1/search/ by portal.api) ----------------------------------

router = Router(tags=["Recherche"])

PARAMETERS = [
    {"name": "q", "in": "query", "required": False, "schema": {"type": "string", "maxLength": 200}},
    *[
        {
            "name": name,
            "in": "query",
            "required": False,
            "style": "form",
            "explode": True,
            "schema": {"type": "array", "items": {"type": "integer" if name == "year" else "string"}},
            "description": f"Filtre {FACET_TITLES[name].lower()} ; répétable (OU entre valeurs, ET entre filtres).",
        }
        for name in FACETS
    ],
    {"name": "sort", "in": "query", "required": False, "schema": {"enum": ["relevance", "date"]}},
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}},
]


def _bad_request(errors):
    return JsonResponse({"detail": errors[0], "errors": errors}, status=400)


@router.get(
    "/",
    summary="Recherche plein texte avec filtres et facettes",
    openapi_extra={
        "parameters": PARAMETERS,
        "responses": {"400": {"description": "Paramètre invalide (message en français)"}},
    },
)
@rate_limited("search", json=True)
def api_search(request):
    try:
        params = parse(request.GET)
    except InvalidSearch as exc:
        return _bad_request(exc.errors)
    return JsonResponse(run("search", params), json_dumps_params={"ensure_ascii": False})


@router.get(
    "/suggest/",
    summary="Suggestions pendant la saisie (10 au plus)",
    openapi_extra={"parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}]},
)
@rate_limited("suggest", json=True)
def api_suggest(request):
    q = " ".join(request.GET.get("q", "").split())
    if len(q) > 100:
        return _bad_request(["Saisie trop longue pour des suggestions : 100 caractères au plus."])
    suggestions = run("suggest", q, 10) if len(q) >= 2 else []
    return JsonResponse({"q": q, "suggestions": suggestions[:10]}, json_dumps_params={"ensure_ascii": False})
