"""Dates of events as people read them: in French, in the event's own time zone.

An event in Saint-Denis de La Réunion is shown at La Réunion's time, with the zone named, so
that nobody in Paris mistakes 9 h there for 9 h here; mainland events need no zone name.
"""

from django.utils import dateformat, translation

HOME_ZONE = "Europe/Paris"
ZONE_NAMES = {
    "America/Guadeloupe": "heure de la Guadeloupe",
    "America/Martinique": "heure de la Martinique",
    "America/Cayenne": "heure de la Guyane",
    "Indian/Reunion": "heure de La Réunion",
    "Indian/Mayotte": "heure de Mayotte",
}


def _day(moment):
    return dateformat.format(moment, "l j F Y")


def _time(moment):
    return dateformat.format(moment, "G \\h i").replace(" h 00", " h")


def period_label(start, end, zone, all_day=False):
    """« mardi 12 janvier 2027, 9 h 30 – 12 h » (or « du … au … »), in `zone`, French month and day names."""
    if start is None:
        return ""
    with translation.override("fr"):
        start = start.astimezone(zone)
        end = (end or start).astimezone(zone)
        same_day = start.date() == end.date()
        if all_day:
            text = _day(start) if same_day else f"du {_day(start)} au {_day(end)}"
        elif same_day:
            text = f"{_day(start)}, {_time(start)} – {_time(end)}"
        else:
            text = f"du {_day(start)}, {_time(start)}, au {_day(end)}, {_time(end)}"
    zone_key = getattr(zone, "key", str(zone))
    if zone_key != HOME_ZONE:
        text += f" ({ZONE_NAMES.get(zone_key, zone_key)})"
    return text
