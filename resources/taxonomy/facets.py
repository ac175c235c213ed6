"""The one filter vocabulary: the query parameters that narrow a list of resources.

The library and its feeds, the experiences API and search all read this table, so they accept
the same parameter names, answer the same French messages and apply the same year rule.
Numbers from query strings are parsed here too: only ASCII digits, and only a few of them
(`int()` accepts « ² » and « ٢٠٢٤ » and raises on 5 000 digits — a 500 otherwise).
"""

import re
from dataclasses import dataclass

from django.apps import apps

from portal.core.kinds import declared_models


@dataclass(frozen=True)
class Vocabulary:
    name: str  # query parameter
    model: str  # "app_label.Model", read through the app registry
    key: str  # field holding the value the parameter carries
    label_field: str  # field holding what people read
    title: str  # French heading of the filter: « Thème »
    noun: str  # French name inside messages: « thème »


VOCABULARIES = {
    vocabulary.name: vocabulary
    for vocabulary in (
        Vocabulary("type", "taxonomy.ResourceType", "slug", "label", "Type", "type de ressource"),
        Vocabulary("centre", "centres.Centre", "code", "name", "Centre", "centre"),
        Vocabulary("region", "taxonomy.Region", "code", "name", "Région", "région"),
        Vocabulary("departement", "taxonomy.Departement", "code", "name", "Département", "département"),
        Vocabulary("pillar", "taxonomy.Pillar", "slug", "label", "Pilier", "pilier"),
        Vocabulary("axis", "taxonomy.TransversalAxis", "slug", "label", "Axe transversal", "axe transversal"),
        Vocabulary("theme", "taxonomy.Theme", "slug", "label", "Thème", "thème"),
        Vocabulary("public", "taxonomy.Public", "slug", "label", "Public", "public"),
    )
}
YEAR = "year"
YEAR_TITLE = "Année"
YEAR_RANGE = (1900, 2100)
# Every filter parameter, in display order.
FILTER_NAMES = [*VOCABULARIES, YEAR]
TITLES = {**{name: vocabulary.title for name, vocabulary in VOCABULARIES.items()}, YEAR: YEAR_TITLE}

# Enough digits for any page, size or year we accept; more is an error, not a huge int().
_NUMBER = re.compile(r"[0-9]{1,9}")


def labels(name):
    """{value: label} of a filter; the `type` filter also knows each declared content kind's slug."""
    vocabulary = VOCABULARIES[name]
    values = dict(apps.get_model(vocabulary.model).objects.values_list(vocabulary.key, vocabulary.label_field))
    if name == "type":
        for kind in declared_models().values():
            values.setdefault(kind.slug, kind.label)
    return values


def unknown_value_message(name, value):
    return f"Valeur inconnue pour le filtre {VOCABULARIES[name].noun} (« {name} ») : « {value} »."


def year_message(value):
    return f"Année invalide (« year ») : « {value} » ; attendu : une année sur quatre chiffres."


def parse_number(raw, name, minimum=1, maximum=None):
    """(int, None) or (None, French message) for a query-string number; blank gives (None, None)."""
    raw = (raw or "").strip()
    if not raw:
        return None, None
    if not _NUMBER.fullmatch(raw) or int(raw) < minimum:
        expected = f"un entier de {minimum} à {maximum}" if maximum else f"un entier à partir de {minimum}"
        return None, f"Paramètre « {name} » invalide : « {_shown(raw)} » ; attendu : {expected}."
    if maximum is not None and int(raw) > maximum:
        return None, f"Paramètre « {name} » trop grand : {int(raw)} ; maximum {maximum}."
    return int(raw), None


def parse_year(raw):
    """(year, None) or (None, French message)."""
    value = (raw or "").strip()
    if _NUMBER.fullmatch(value) and len(value) == 4 and YEAR_RANGE[0] <= int(value) <= YEAR_RANGE[1]:
        return int(value), None
    return None, year_message(_shown(value))


def parse_filters(querydict, names=FILTER_NAMES):
    """({name: [values]}, [French messages]) for the filters in `names`; unknown values are dropped.

    Repeated values of one filter are alternatives (OR); different filters combine (AND).
    """
    filters, errors = {}, []
    for name in names:
        values = list(dict.fromkeys(v.strip() for v in querydict.getlist(name) if v.strip()))
        if not values:
            continue
        if name == YEAR:
            parsed = [parse_year(value) for value in values]
            errors += [error for _year, error in parsed if error]
            values = [year for year, _error in parsed if year is not None]
        else:
            known = labels(name)
            errors += [unknown_value_message(name, _shown(value)) for value in values if value not in known]
            values = [value for value in values if value in known]
        if values:
            filters[name] = values
    return filters, errors


def _shown(value, limit=40):
    """A bad value as quoted back in a message: long input is cut, not echoed whole."""
    return value if len(value) <= limit else value[:limit] + "…"
