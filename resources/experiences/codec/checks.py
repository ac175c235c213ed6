"""What the schema cannot know: reference data, coherence, database limits, duplicate ids."""

import re
import uuid
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from ..validators import DEPARTEMENT_PATTERN, REGION_PATTERN
from .catalogue import Catalogue
from .errors import Issue
from .schema import CENT, EMAIL_PATTERN, format_path, is_date, is_uuid, schema_issues, show_value


def value_at(data, *keys):
    """data[k1][k2]… when every level has the expected shape, else None (the schema reports shapes)."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


# A sheet written by hand may come without `id`: its identity is then derived from its centre
# and title, so importing the same file twice updates the sheets instead of duplicating them.
DERIVED_ID_NAMESPACE = uuid.UUID("6c1f0d7e-3b7a-5c55-9a51-2f0e5b8d4c11")


def sheet_id(data):
    """The sheet's UUID string: its `id`, or one derived from centre and title; None if neither is usable."""
    value = value_at(data, "id")
    if isinstance(value, str) and is_uuid(value):
        return str(uuid.UUID(value))
    centre, title = value_at(data, "centre"), value_at(data, "title")
    if value in (None, "") and isinstance(centre, str) and isinstance(title, str) and title.strip():
        return str(uuid.uuid5(DERIVED_ID_NAMESPACE, f"{centre}\n{' '.join(title.split()).casefold()}"))
    return None


def _strings_with_nul(value, path=()):
    if isinstance(value, str):
        if "\x00" in value:
            yield path
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _strings_with_nul(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings_with_nul(item, (*path, index))


# Names inside lists are stripped on import (as CSV cells are): one made only of spaces would be empty.
_NAMED_ITEMS = [
    (("partners",), None),
    (("tags",), None),
    (("territory", "communes"), "name"),
    (("territory", "qpv"), "name"),
    (("funders",), "name"),
    (("documents",), "title"),
    (("links",), "title"),
]


def _blank_names(data):
    for keys, sub_key in _NAMED_ITEMS:
        items = value_at(data, *keys)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            value = value_at(item, sub_key) if sub_key else item
            if isinstance(value, str) and value and not value.strip():
                yield format_path([*keys, index, *([sub_key] if sub_key else [])])


def _decimal(value):
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _semantic_issues(data, catalogue):
    """(path, message) for what the schema cannot know: reference data, coherence, database limits."""
    if not isinstance(data, dict):
        return
    for path in _strings_with_nul(data):
        yield format_path(path), _("caractère nul interdit dans le texte")
    code = data.get("centre")
    if isinstance(code, str):
        centre = catalogue.centres.get(code)
        if centre is None:
            yield "centre", _("centre inconnu « %(code)s »") % {"code": show_value(code)}
        elif centre.pk not in catalogue.sections:
            yield "centre", _("le centre « %(code)s » n'a pas de rubrique dans le portail") % {"code": code}
    for key, (_model, message) in Catalogue.TERMS.items():
        slugs = data.get(key)
        if isinstance(slugs, list):
            for index, slug in enumerate(slugs):
                if isinstance(slug, str) and slug not in catalogue.terms[key]:
                    yield f"{key}[{index}]", _(message) % {"value": show_value(slug)}
    chantier = data.get("chantier")
    if isinstance(chantier, str) and chantier and chantier not in catalogue.chantiers:
        yield "chantier", _("chantier inconnu « %(value)s »") % {"value": show_value(chantier)}
    region_code, departement_code = value_at(data, "territory", "region"), value_at(data, "territory", "departement")
    region = catalogue.regions.get(region_code) if isinstance(region_code, str) else None
    departement = catalogue.departements.get(departement_code) if isinstance(departement_code, str) else None
    if isinstance(region_code, str) and region is None and re.match(REGION_PATTERN, region_code):
        yield "territory.region", _("région inconnue « %(code)s »") % {"code": region_code}
    if isinstance(departement_code, str) and departement is None and re.match(DEPARTEMENT_PATTERN, departement_code):
        yield "territory.departement", _("département inconnu « %(code)s »") % {"code": departement_code}
    if region and departement and departement.region_id != region.pk:
        yield (
            "territory.departement",
            _("le département « %(dep)s » (%(dep_name)s) n'est pas dans la région « %(reg)s » (%(reg_name)s)")
            % {"dep": departement.code, "dep_name": departement.name, "reg": region.code, "reg_name": region.name},
        )
    start, end = value_at(data, "period", "start"), value_at(data, "period", "end")
    if isinstance(start, str) and isinstance(end, str) and is_date(start) and is_date(end) and end < start:
        message = _("la fin de l'action (%(end)s) précède son début (%(start)s)")
        yield "period.end", message % {"end": end, "start": start}
    amounts = [("budget_eur", data.get("budget_eur"))]
    funders = data.get("funders")
    if isinstance(funders, list):
        amounts += [(f"funders[{i}].amount_eur", value_at(f, "amount_eur")) for i, f in enumerate(funders)]
    for path, amount in amounts:
        if isinstance(amount, int | float) and not isinstance(amount, bool):
            number = _decimal(amount)
            if number is not None and number.is_finite() and number != number.quantize(CENT):
                yield path, _("montant avec plus de deux décimales : %(value)s") % {"value": amount}
    for path in _blank_names(data):
        yield path, _("valeur vide")
    email = value_at(data, "contact", "email")
    if isinstance(email, str) and re.match(EMAIL_PATTERN, email) and email:  # else the schema has said it
        try:
            validate_email(email)
        except ValidationError:
            yield "contact.email", _("courriel invalide « %(value)s »") % {"value": show_value(email)}


def validate_items(items, catalogue, source=""):
    """Check every item; returns [(item, errors as Issue list)] in file order. Nothing is written."""
    checked = []
    seen_ids = {}
    catalogue.load_existing([sheet_id(item.data) for item in items if item.data is not None])
    for item in items:
        found = list(item.errors)
        if item.data is None:  # unreadable row: its reading error says it all
            checked.append((item, [Issue(source, item.position, path, message) for path, message in found]))
            continue
        found += list(schema_issues(item.data))
        found += list(_semantic_issues(item.data, catalogue))
        identity = sheet_id(item.data)
        if identity:
            if identity in seen_ids and value_at(item.data, "id"):
                found.append(
                    ("id", _("identifiant en double : déjà utilisé par %(other)s") % {"other": seen_ids[identity]})
                )
            elif identity in seen_ids:
                message = _("fiche sans identifiant en double : même centre et même titre que %(other)s")
                found.append(("title", message % {"other": seen_ids[identity]}))
            else:
                seen_ids[identity] = item.position
            existing = catalogue.existing.get(identity)
            centre = value_at(item.data, "centre")
            if existing and isinstance(centre, str) and centre in catalogue.centres and existing[1] != centre:
                found.append(
                    (
                        "centre",
                        _(
                            "la fiche %(id)s appartient déjà au centre « %(owner)s » : "
                            "un import ne change pas une fiche de centre"
                        )
                        % {"id": identity, "owner": existing[1]},
                    )
                )
        checked.append((item, [Issue(source, item.position, path, message) for path, message in found]))
    return checked
