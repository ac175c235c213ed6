"""Reading the funding simulation's input (SPEC §6 command-line contract), with French errors.

`{"year": 2016, "centres": [{"code", "name", "overseas", "qpv_count", "median_distance_km"}]}`.
Every problem is reported at once, each naming the centre (by position and code) it is about, so
that a national officer can fix the file in one go.
"""

from decimal import Decimal, InvalidOperation

from .funding import CentreFigures

CENTRE_KEYS = ("code", "name", "overseas", "qpv_count", "median_distance_km")


class FundingInputError(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


def parse_simulation_input(data):
    """(year, [CentreFigures]) from the decoded JSON; raises FundingInputError listing every problem."""
    if not isinstance(data, dict):
        raise FundingInputError(["Le fichier doit contenir un objet JSON avec les clés « year » et « centres »."])
    problems = []
    year = data.get("year")
    if "year" not in data:
        problems.append("Clé manquante : « year ».")
    elif not _is_int(year) or not 1900 <= year <= 2200:
        problems.append(f"« year » doit être une année (par exemple 2016), pas {year!r}.")
    centres = data.get("centres")
    if "centres" not in data:
        problems.append("Clé manquante : « centres ».")
        raise FundingInputError(problems)
    if not isinstance(centres, list):
        raise FundingInputError([*problems, "« centres » doit être une liste de centres."])
    parsed, seen = [], {}
    for position, raw in enumerate(centres, start=1):
        centre, centre_problems = _parse_centre(position, raw)
        problems.extend(centre_problems)
        if centre is None:
            continue
        if centre.code in seen:
            problems.append(f"Code en double : « {centre.code} » (centres n° {seen[centre.code]} et {position}).")
        seen.setdefault(centre.code, position)
        parsed.append(centre)
    if len(centres) < 2:
        problems.append(
            f"Il faut au moins deux centres pour calculer des indices relatifs ({len(centres)} dans le fichier)."
        )
    if problems:
        raise FundingInputError(problems)
    return year, parsed


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _parse_centre(position, raw):
    label = f"Centre n° {position}"
    if not isinstance(raw, dict):
        return None, [f"{label} : un objet JSON est attendu."]
    if isinstance(raw.get("code"), str) and raw["code"].strip():
        label += f" (« {raw['code']} »)"
    problems = [f"{label} : clé manquante « {key} »." for key in CENTRE_KEYS if key not in raw]
    if problems:
        return None, problems
    code, name, overseas, count, distance = (raw[key] for key in CENTRE_KEYS)
    if not isinstance(code, str) or not code.strip():
        problems.append(f"{label} : « code » doit être un texte non vide.")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{label} : « name » doit être un texte non vide.")
    if not isinstance(overseas, bool):
        problems.append(f"{label} : « overseas » doit valoir true ou false.")
    if not _is_int(count):
        problems.append(f"{label} : « qpv_count » doit être un nombre entier, pas {count!r}.")
    elif count < 0:
        problems.append(f"{label} : « qpv_count » ne peut pas être négatif ({count}).")
    km = _decimal(distance)
    if km is None:
        problems.append(f"{label} : « median_distance_km » doit être un nombre, pas {distance!r}.")
    elif km < 0:
        problems.append(f"{label} : « median_distance_km » ne peut pas être négative ({distance}).")
    if problems:
        return None, problems
    figures = CentreFigures(
        code=code.strip(), name=name.strip(), overseas=overseas, qpv_count=count, median_distance_km=km
    )
    return figures, []


def _decimal(value):
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None
