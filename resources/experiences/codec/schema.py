"""The format's constants, its JSON Schema, and the schema's errors told in French."""

import datetime as dt
import functools
import json
import re
import uuid
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from jsonschema import Draft202012Validator, FormatChecker

from ..models import SECTIONS
from ..validators import DEPARTEMENT_PATTERN, INSEE_COMMUNE_PATTERN, QPV_PATTERN, REGION_PATTERN, SIREN_PATTERN

FORMAT = "crpv-experience/1"
SCHEMA_PATH = Path(__file__).parent.parent / "schema" / "crpv-experience-1.schema.json"
SCHEMA_URL = "/api/v1/schemas/experience-sheet.json"
SECTION_KEYS = [name for name, _label in SECTIONS]
TIMESTAMP_KEYS = ("published_at", "updated_at")
CENT = Decimal("0.01")  # amounts are stored with two decimals


# --------------------------------------------------------------------------- schema


@functools.cache
def _schema_text():
    return SCHEMA_PATH.read_text(encoding="utf-8")


def schema():
    """The JSON Schema of one sheet (draft 2020-12), as a fresh dict: callers may modify it."""
    return json.loads(_schema_text())


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_url_validator = URLValidator()


def is_date(value):
    if not isinstance(value, str):
        return True  # formats only judge strings; "type" judges the rest
    if not _DATE_RE.match(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_datetime(value):
    if not isinstance(value, str):
        return True
    return bool(_DATETIME_RE.match(value)) and parse_datetime(value) is not None


def is_uuid(value):
    if not isinstance(value, str):
        return True
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def _is_url(value):
    if not isinstance(value, str):
        return True
    try:
        _url_validator(value)
    except ValidationError:
        return False
    return True


# Our own checkers: jsonschema's date-time and uri need optional packages, and "uri" must match the model.
FORMAT_CHECKER = FormatChecker(formats=())
FORMAT_CHECKER.checks("date")(is_date)
FORMAT_CHECKER.checks("date-time")(_is_datetime)
FORMAT_CHECKER.checks("uuid")(is_uuid)
FORMAT_CHECKER.checks("uri")(_is_url)


@functools.cache
def _validator():
    return Draft202012Validator(schema(), format_checker=FORMAT_CHECKER)


def parse_datetime(value):
    try:
        parsed = dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


# --------------------------------------------------------------------------- schema errors in French

_TYPE_NAMES = {
    "string": gettext_noop("une chaîne de caractères"),
    "number": gettext_noop("un nombre"),
    "integer": gettext_noop("un entier"),
    "boolean": gettext_noop("un booléen (true ou false)"),
    "array": gettext_noop("une liste"),
    "object": gettext_noop("un objet"),
    "null": gettext_noop("null"),
}
EMAIL_PATTERN = r"^$|^[^@\s]+@[^@\s]+\.[^@\s]+$"  # the schema's: a rough shape, Django's validator does the rest
_PATTERN_MESSAGES = {
    QPV_PATTERN: gettext_noop(
        "code QPV invalide « %(value)s » : « QP » suivi de 6 chiffres (liste 2015) "
        "ou « QN » suivi de 6 caractères (liste 2024, ex. QN07501M)"
    ),
    INSEE_COMMUNE_PATTERN: gettext_noop("code INSEE de commune invalide « %(value)s » : 5 caractères (ex. 69123)"),
    SIREN_PATTERN: gettext_noop("SIREN invalide « %(value)s » : 9 chiffres"),
    REGION_PATTERN: gettext_noop("code de région invalide « %(value)s » : code INSEE à 2 chiffres (ex. 84)"),
    DEPARTEMENT_PATTERN: gettext_noop("code de département invalide « %(value)s » : 2 chiffres, 2A, 2B ou 97x"),
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$": gettext_noop("code de centre invalide « %(value)s » : minuscules, chiffres, tirets"),
    r"^[-a-zA-Z0-9_]+$": gettext_noop(
        "identifiant invalide « %(value)s » : lettres sans accents, chiffres, tirets, soulignés"
    ),
    EMAIL_PATTERN: gettext_noop("courriel invalide « %(value)s »"),
}
_FORMAT_MESSAGES = {
    "date": gettext_noop("date invalide « %(value)s » : format AAAA-MM-JJ attendu"),
    "date-time": gettext_noop(
        "date et heure invalides « %(value)s » : ISO 8601 avec fuseau attendu (ex. 2024-05-31T08:00:00Z)"
    ),
    "uuid": gettext_noop(
        "identifiant invalide « %(value)s » : UUID attendu (ex. 3f2b8c1e-0d4a-4c55-9b1e-2a7f6c9d8e01)"
    ),
    "uri": gettext_noop("adresse invalide « %(value)s » : URL complète attendue (https://…)"),
}


def show_value(value, limit=60):
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _type_of(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def format_path(parts):
    """('territory', 'qpv', 0, 'code') → 'territory.qpv[0].code'."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def schema_issues(instance):
    """(path, French message) for every JSON Schema error of one sheet."""
    reported_required = set()
    for error in _validator().iter_errors(instance):
        path = list(error.absolute_path)
        value = error.instance
        kind = error.validator
        if kind == "required":
            # One error per missing key, but which key is only in the English message: list them all once.
            if tuple(path) not in reported_required:
                reported_required.add(tuple(path))
                for key in error.validator_value:
                    if key not in value:
                        yield format_path([*path, key]), _("clé obligatoire manquante")
        elif kind == "additionalProperties":
            known = error.schema.get("properties", {})
            for key in value:
                if key not in known:
                    yield format_path([*path, key]), _("clé inconnue « %(key)s »") % {"key": key}
        elif kind == "type":
            expected = error.validator_value if isinstance(error.validator_value, list) else [error.validator_value]
            yield (
                format_path(path),
                _("type invalide : attendu %(expected)s, reçu %(got)s « %(value)s »")
                % {
                    "expected": " ou ".join(_TYPE_NAMES[t] for t in expected),
                    "got": _TYPE_NAMES[_type_of(value)],
                    "value": show_value(value),
                },
            )
        elif kind == "enum":
            allowed = ", ".join(v for v in error.validator_value if v is not None)
            if None in error.validator_value:
                allowed += " ou null"
            yield (
                format_path(path),
                _("valeur non autorisée « %(value)s » ; valeurs possibles : %(allowed)s")
                % {
                    "value": show_value(value),
                    "allowed": allowed,
                },
            )
        elif kind == "const":
            yield (
                format_path(path),
                _("valeur attendue « %(expected)s », reçu « %(value)s »")
                % {
                    "expected": error.validator_value,
                    "value": show_value(value),
                },
            )
        elif kind == "pattern":
            template = _PATTERN_MESSAGES.get(error.validator_value, "valeur invalide « %(value)s »")
            yield format_path(path), _(template) % {"value": show_value(value)}
        elif kind == "format":
            template = _FORMAT_MESSAGES.get(error.validator_value, "valeur invalide « %(value)s »")
            yield format_path(path), _(template) % {"value": show_value(value)}
        elif kind == "maxLength":
            yield (
                format_path(path),
                _("texte trop long : %(length)d caractères, %(max)d au plus")
                % {
                    "length": len(value),
                    "max": error.validator_value,
                },
            )
        elif kind == "minLength":
            yield format_path(path), _("valeur vide")
        elif kind == "minimum":
            yield format_path(path), _("le montant doit être positif ou nul (%(value)s)") % {"value": show_value(value)}
        elif kind == "maximum":
            yield format_path(path), _("montant trop élevé (%(value)s)") % {"value": show_value(value)}
        elif kind == "uniqueItems":
            yield format_path(path), _("valeurs en double dans la liste")
        else:  # a keyword added to the schema later: still say where
            yield format_path(path), _("valeur invalide « %(value)s »") % {"value": show_value(value)}
