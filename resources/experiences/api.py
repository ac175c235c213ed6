"""Open API for experience sheets: `/api/v1/experiences/` in exactly the SPEC §3 format.

Only live, public sheets are exposed; `contact` is null unless the centre made it public.
Bad parameters get a 400 with a French message, never a 500.
"""

import json
import uuid

from django.core.paginator import EmptyPage, Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse, StreamingHttpResponse
from ninja import Router

from portal.core.ratelimit import rate_limited
from resources.library.filters import filter_pages, parse_filters
from resources.taxonomy.facets import VOCABULARIES, YEAR, parse_number

from .codec import export_sheet, schema
from .models import ExperienceSheetPage

LICENCE = "Licence Ouverte / Open Licence 2.0 (Etalab)"
LICENCE_URL = "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20

router = Router(tags=["Fiches d'expériences"])
schemas_router = Router(tags=["Schémas"])

REPEATABLE = "répétable (OU entre valeurs, ET entre filtres)"
FILTER_PARAMETERS = [
    {
        "name": name,
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "string"}},
        "style": "form",
        "explode": True,
        "description": f"Filtre par {vocabulary.noun} ({vocabulary.key}) ; {REPEATABLE}.",
    }
    for name, vocabulary in VOCABULARIES.items()
    if name != "type"
] + [
    {
        "name": YEAR,
        "in": "query",
        "required": False,
        "schema": {"type": "array", "items": {"type": "integer"}},
        "description": "Année de rédaction (à défaut, de première publication) ; répétable.",
    }
]
PAGE_PARAMETERS = [
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {
        "name": "page_size",
        "in": "query",
        "required": False,
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
    },
]
SHEET_REF = {"$ref": "/api/v1/schemas/experience-sheet.json"}


def error(status, message, errors=None):
    return JsonResponse({"detail": message, "errors": errors or [message]}, status=status)


def live_sheets():
    return (
        ExperienceSheetPage.objects.live()
        .public()
        .select_related("centre", "region", "departement")
        .prefetch_related(
            "communes",
            "qpvs",
            "partners",
            "funders",
            "documents__document",
            "links",
            "pillars",
            "transversal_axes",
            "themes",
            "publics",
            "tags",
        )
    )


def _base_url(request):
    return request.build_absolute_uri("/").rstrip("/")


@router.get(
    "/",
    summary="Liste des fiches d'expériences publiées",
    openapi_extra={
        "parameters": FILTER_PARAMETERS + PAGE_PARAMETERS,
        "responses": {
            "200": {
                "description": "Une page de fiches au format crpv-experience/1",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "count": {"type": "integer"},
                                "page": {"type": "integer"},
                                "page_size": {"type": "integer"},
                                "next": {"type": ["string", "null"]},
                                "previous": {"type": ["string", "null"]},
                                "results": {"type": "array", "items": SHEET_REF},
                            },
                        }
                    }
                },
            },
            "400": {"description": "Paramètre invalide (message en français)"},
        },
    },
)
def list_experiences(request):
    filters, errors = parse_filters(request.GET)
    page_number, page_error = parse_number(request.GET.get("page"), "page")
    page_size, size_error = parse_number(request.GET.get("page_size"), "page_size", maximum=MAX_PAGE_SIZE)
    errors += [e for e in (page_error, size_error) if e]
    if errors:
        return error(400, errors[0], errors)
    page_number, page_size = page_number or 1, page_size or DEFAULT_PAGE_SIZE
    queryset = filter_pages(live_sheets(), filters).order_by("-listing_date", "-pk")
    paginator = Paginator(queryset, page_size)
    try:
        page = paginator.page(page_number)
    except EmptyPage:
        return error(400, f"Page {page_number} inexistante : il y a {paginator.num_pages} page(s).")
    base = _base_url(request)

    def page_link(number):
        query = request.GET.copy()
        query["page"] = number
        return f"{base}{request.path}?{query.urlencode()}"

    return JsonResponse(
        {
            "count": paginator.count,
            "page": page.number,
            "page_size": page_size,
            "next": page_link(page.next_page_number()) if page.has_next() else None,
            "previous": page_link(page.previous_page_number()) if page.has_previous() else None,
            "results": [export_sheet(sheet, base_url=base) for sheet in page.object_list],
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _open_data_headers(response):
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["X-Licence"] = LICENCE
    response["Access-Control-Allow-Origin"] = "*"
    return response


@router.get(
    "/export.json",
    summary="Export open data complet (JSON)",
    description=f"Toutes les fiches publiées, une liste au format crpv-experience/1. {LICENCE}.",
    openapi_extra={
        "responses": {
            "200": {
                "description": "Liste de fiches",
                "content": {"application/json": {"schema": {"type": "array", "items": SHEET_REF}}},
            }
        }
    },
)
@rate_limited("export", json=True)
def export_json(request):
    response = StreamingHttpResponse(_json_chunks(_exported_sheets(request)), content_type="application/json")
    response["Content-Disposition"] = 'inline; filename="fiches-experiences.json"'
    return _open_data_headers(response)


@router.get(
    "/export.csv",
    summary="Export open data complet (CSV)",
    description=f"Toutes les fiches publiées, CSV UTF-8 avec BOM, séparateur « ; ». {LICENCE}.",
    openapi_extra={"responses": {"200": {"description": "CSV", "content": {"text/csv": {}}}}},
)
@rate_limited("export", json=True)
def export_csv(request):
    from .codec.csv_format import csv_chunks

    response = StreamingHttpResponse(csv_chunks(_exported_sheets(request)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="fiches-experiences.csv"'
    return _open_data_headers(response)


def _exported_sheets(request, chunk_size=200):
    """Every live sheet in the common format, read from the database a chunk at a time.

    The exports are streamed: memory holds one chunk of sheets, not the whole catalogue.
    """
    base = _base_url(request)
    queryset = live_sheets().order_by("first_published_at", "pk")
    return (export_sheet(sheet, base_url=base) for sheet in queryset.iterator(chunk_size=chunk_size))


def _json_chunks(sheets):
    """A JSON array written one sheet at a time."""
    separator = "[\n"
    for sheet in sheets:
        yield separator + json.dumps(sheet, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
        separator = ",\n"
    yield "[]\n" if separator == "[\n" else "\n]\n"


@router.get(
    "/{sheet_id}/",
    summary="Une fiche d'expérience",
    openapi_extra={
        "responses": {
            "200": {"description": "La fiche", "content": {"application/json": {"schema": SHEET_REF}}},
            "404": {"description": "Fiche inconnue ou non publiée"},
        }
    },
)
def get_experience(request, sheet_id: str):
    try:
        key = uuid.UUID(sheet_id)
    except ValueError:
        return error(400, f"Identifiant invalide : « {sheet_id} » ; attendu : un UUID.")
    sheet = live_sheets().filter(uuid=key).first()
    if sheet is None:
        return error(404, f"Aucune fiche publiée avec l'identifiant {key}.")
    return JsonResponse(export_sheet(sheet, base_url=_base_url(request)), json_dumps_params={"ensure_ascii": False})


@schemas_router.get("/experience-sheet.json", summary="Schéma JSON du format crpv-experience/1")
def experience_schema(request):
    response = JsonResponse(schema(), json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Access-Control-Allow-Origin"] = "*"
    return response
