"""`GET /api/v1/indicators/?year=N`: the year's computed indicators per centre, once its dashboard is published.

Aggregates only (counts by centre and public category; never a person). Before publication the
answer is 404 with a French message: figures still move while the reports are being written.
"""

from django.http import JsonResponse
from ninja import Router

from portal.centres.models import Centre

from .models import DashboardPublication
from .reports import indicators_with_reports

router = Router(tags=["Indicateurs"])


@router.get(
    "/",
    summary="Indicateurs annuels des centres (tableau de bord publié)",
    openapi_extra={
        "parameters": [
            {"name": "year", "in": "query", "required": True, "schema": {"type": "integer"}, "description": "Année"}
        ],
        "responses": {"200": {"description": "{year, published_at, centres: [indicateurs par centre]}"}},
    },
)
def indicators(request):
    raw = request.GET.get("year", "")
    if not raw.isascii() or not raw.isdigit() or not 2000 <= int(raw) <= 2200:
        return JsonResponse({"detail": "Paramètre « year » attendu : une année, par exemple 2025."}, status=400)
    year = int(raw)
    publication = DashboardPublication.objects.filter(year=year).first()
    if publication is None:
        message = f"Le tableau de bord {year} n'est pas encore publié : ses indicateurs ne sont pas ouverts."
        return JsonResponse({"detail": message}, status=404)
    centres = list(Centre.objects.filter(state_funded=True).order_by("code"))
    body = {
        "year": year,
        "published_at": publication.published_at.isoformat(),
        "centres": indicators_with_reports(year, centres),
    }
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
