"""`/recherche/` (HTML, works without JavaScript), its RSS feed, and the JSON API routes."""

from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.http import Http404, JsonResponse
from django.shortcuts import render
from ninja import Router

from portal.core.ratelimit import rate_limited
from resources.taxonomy.facets import TITLES

from . import no_results
from .indexing import FACETS
from .params import MAX_PAGE, InvalidSearch, SearchParams, parse
from .service import get_service


def search_page(request):
    errors, params, answer = [], SearchParams(), None
    try:
        params = parse(request.GET)
    except InvalidSearch as exc:
        errors = exc.errors
    if not errors and (params.q or params.filters):
        service = get_service()
        answer = service.search(params)
        answer["results"] = service.for_display(answer["results"])
    empty = no_results.offers(params, answer, service) if answer and not answer["count"] else None
    facets = []
    if answer:
        for name in FACETS:
            selected = {str(v) for v in params.filters.get(name, [])}
            values = [dict(item, selected=item["value"] in selected) for item in answer["facets"][name]]
            if values:
                facets.append((name, TITLES[name], values))
    pages = (answer["count"] + params.page_size - 1) // params.page_size if answer else 0
    territory = territory_offer(params, answer)
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
            "territory": territory,
            "empty": empty,
        },
        status=400 if errors else 200,
    )


def territory_offer(params, answer):
    """{label, url} of the filter on the place the query names, unless that filter is already on."""
    place = (answer or {}).get("territory")
    if not place or not place["facet"] or place["value"] in params.filters.get(place["facet"], []):
        return None
    items = [(name, value) for name, value in params.query_items() if name != place["facet"]]
    return {"label": place["label"], "url": "/recherche/?" + urlencode([*items, (place["facet"], place["value"])])}


class SearchFeed(Feed):
    def get_object(self, request):
        try:
            params = parse(request.GET)
        except InvalidSearch as exc:
            raise Http404(" ".join(exc.errors)) from exc
        params.sort = "date"
        params.page = 1
        params.facets = ()  # a feed lists items: nothing to count
        return params

    def title(self, params):
        return f"Portail CRPV — recherche « {params.q} »" if params.q else "Portail CRPV — recherche"

    def link(self, params):
        return "/recherche/?" + urlencode(params.query_items())

    def description(self, params):
        return "Les derniers résultats de cette recherche."

    def items(self, params):
        return get_service().search(params)["results"]

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
            "description": f"Filtre {TITLES[name].lower()} ; répétable (OU entre valeurs, ET entre filtres).",
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
    answer = get_service().search(params)
    answer |= page_links(request, params, answer["count"])
    return JsonResponse(answer, json_dumps_params={"ensure_ascii": False})


def page_links(request, params, count):
    """`page`, `page_size` and absolute `next` / `previous` links, as `/api/v1/experiences/` gives them."""
    last = min(max(1, -(-count // params.page_size)), MAX_PAGE)

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    return {
        "page": params.page,
        "page_size": params.page_size,
        "next": link(params.page + 1) if params.page < last else None,
        "previous": link(min(params.page, last + 1) - 1) if params.page > 1 else None,
    }


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
    suggestions = get_service().suggest(q, 10) if len(q) >= 2 else []
    return JsonResponse({"q": q, "suggestions": suggestions[:10]}, json_dumps_params={"ensure_ascii": False})
