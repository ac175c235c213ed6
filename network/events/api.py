"""Open API of the agenda: `GET /api/v1/events/`, events and cycles with anonymous registration counts.

Never any personal data: `confirmed` and `waiting` are numbers. Parameters are the agenda's
(`centre`, `region`, `departement`, `type`, `theme`, `public`, `pillar`) plus `from`, `to`
(YYYY-MM-DD), `upcoming=1` and `page`; a bad value answers 400 with a French message.
"""

import datetime
import re

from django.http import JsonResponse
from ninja import Router

from . import agenda
from .models import EventPage, Status

PAGE_SIZE = 50
router = Router(tags=["Agenda"])
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _string_parameter(name, description, array=False):
    schema = {"type": "array", "items": {"type": "string"}} if array else {"type": "string"}
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": description}


PARAMETERS = [
    *(
        _string_parameter(name, f"Filtre {name} (mêmes valeurs que la bibliothèque) ; répétable.", True)
        for name in ("centre", "region", "departement", "theme", "public", "pillar")
    ),  # fmt: skip
    _string_parameter("type", "Type d'événement (" + ", ".join(agenda.TYPE_LABELS) + ") ; répétable.", True),
    _string_parameter("from", "Se termine le ou après ce jour (AAAA-MM-JJ)."),
    _string_parameter("to", "Commence le ou avant ce jour (AAAA-MM-JJ)."),
    _string_parameter("upcoming", "1 : seulement ce qui n'est pas terminé."),
    {"name": "page", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1, "default": 1}},
]
RESULT = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "format": "uuid"},
        "kind": {"type": "string", "enum": ["evenement", "cycle-qualification"]},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "centre": {"type": "string"},
        "start": {"type": "string", "description": "ISO 8601, avec le décalage du fuseau de l'événement"},
        "end": {"type": "string"},
        "all_day": {"type": "boolean"},
        "timezone": {"type": "string"},
        "place": {"type": ["object", "null"]},
        "online": {"type": ["string", "null"]},
        "status": {"type": "string", "enum": Status.values},
        "capacity": {"type": ["integer", "null"]},
        "confirmed": {"type": "integer", "description": "Inscriptions confirmées (nombre, aucune donnée personnelle)"},
        "waiting": {"type": "integer", "description": "Inscriptions en liste d'attente (nombre)"},
        "registration_open": {"type": "boolean"},
        "registration_url": {"type": ["string", "null"]},
        "ical_url": {"type": "string"},
    },
}


def parse_day(raw, name):
    """(date, None), (None, French message), or (None, None) when blank."""
    raw = (raw or "").strip()
    if not raw:
        return None, None
    try:
        if _DAY.fullmatch(raw):
            return datetime.date.fromisoformat(raw), None
    except ValueError:
        pass
    return None, f"Date invalide (« {name} ») : « {raw[:40]} » ; attendu : AAAA-MM-JJ, par exemple 2026-03-14."


def describe(page, request):
    url = page.get_full_url(request)
    zone = page.zone
    all_day = getattr(page, "all_day", False)

    def moment(value):
        local = value.astimezone(zone) if value else None
        return (local.date() if all_day else local).isoformat() if local else None

    counts = page.counts()
    place = (
        {"name": page.place_name, "address": page.address, "commune_insee": page.commune_insee or None}
        if page.place_name or page.address
        else None
    )
    is_open = page.registration_is_open()
    return {
        "id": str(page.uid),
        "kind": page.content_kind.slug,
        "title": page.title,
        "url": url,
        "centre": page.centre.code,
        "type": page.event_type if isinstance(page, EventPage) else agenda.CYCLE,
        "start": moment(page.starts_at),
        "end": moment(page.ends_at),
        "all_day": all_day,
        "timezone": page.time_zone,
        "place": place,
        "online": page.online_url or None,
        "status": page.status,
        "capacity": page.capacity,
        "confirmed": counts["confirmed"],
        "waiting": counts["waiting"],
        "registration_open": is_open,
        "registration_url": f"{url}inscription/" if is_open else None,
        "ical_url": f"{url}ical/",
    }


@router.get(
    "/",
    summary="Agenda : événements et cycles de qualification publiés",
    openapi_extra={
        "parameters": PARAMETERS,
        "responses": {
            "200": {
                "description": "Une page d'événements (50 au plus), dans l'ordre chronologique",
                "content": {
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "properties": {
                                "count": {"type": "integer"},
                                "page": {"type": "integer"},
                                "results": {"type": "array", "items": RESULT},
                            },
                        }
                    }
                },
            },
            "400": {"description": "Paramètre invalide (message en français)"},
        },
    },
)
def list_events(request):
    query, errors = agenda.parse_query(request.GET)
    since, since_error = parse_day(request.GET.get("from"), "from")
    until, until_error = parse_day(request.GET.get("to"), "to")
    upcoming = request.GET.get("upcoming", "").strip()
    upcoming_error = (
        None if upcoming in ("", "0", "1") else f"Paramètre « upcoming » invalide : « {upcoming[:40]} » ; attendu : 1."
    )
    errors += [e for e in (since_error, until_error, upcoming_error) if e]
    if errors:
        return JsonResponse({"detail": errors[0], "errors": errors}, status=400)
    query.any_time, query.since, query.until = upcoming != "1", since, until
    rows = agenda.selection(query)
    start = (query.page - 1) * PAGE_SIZE
    pages = agenda.load(rows[start : start + PAGE_SIZE], counts=True)
    return JsonResponse(
        {"count": len(rows), "page": query.page, "results": [describe(page, request) for page in pages]},
        json_dumps_params={"ensure_ascii": False},
    )
