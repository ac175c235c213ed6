"""The `crpv-experience/1` exchange format (SPEC §3): export, validation and import of experience sheets.

- `export_sheet(page)` gives the JSON of one sheet, keys in SPEC order; `export_sheets()` many.
- `validate_items()` checks items against the JSON Schema, then against the database (centres,
  vocabularies, territories), and reports every problem in French with its file, position and key path.
- `import_sheets()` upserts sheets on their `id`: all or nothing per file (or per sheet with
  `skip_invalid`), a new revision only when something changed, published only when asked.

The canonical form is the export: an incoming sheet is first normalised into exactly what its
export would be, so "did anything change?" is a plain dict comparison, and export → import →
export gives the same JSON. CSV lives in `csv_codec.py`, HTML sanitising in `sanitize.py`.
"""

import datetime as dt
import functools
import json
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from jsonschema import Draft202012Validator, FormatChecker
from wagtail.log_actions import log
from wagtail.models import Page
from wagtail.signals import page_published, published

from portal.centres.models import Centre, CentrePage
from resources.taxonomy.models import Departement, Pillar, Public, Region, Theme, TransversalAxis

from .models import (
    SECTIONS,
    ExperienceSheetPage,
    SheetCommune,
    SheetDocument,
    SheetFunder,
    SheetLink,
    SheetPartner,
    SheetQpv,
)
from .sanitize import export_html, sanitize_html
from .validators import DEPARTEMENT_PATTERN, INSEE_COMMUNE_PATTERN, QPV_PATTERN, REGION_PATTERN, SIREN_PATTERN

FORMAT = "crpv-experience/1"
SCHEMA_PATH = Path(__file__).parent / "schema" / "crpv-experience-1.schema.json"
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


def _is_date(value):
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
    return bool(_DATETIME_RE.match(value)) and _parse_datetime(value) is not None


def _is_uuid(value):
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
FORMAT_CHECKER.checks("date")(_is_date)
FORMAT_CHECKER.checks("date-time")(_is_datetime)
FORMAT_CHECKER.checks("uuid")(_is_uuid)
FORMAT_CHECKER.checks("uri")(_is_url)


@functools.cache
def _validator():
    return Draft202012Validator(schema(), format_checker=FORMAT_CHECKER)


# --------------------------------------------------------------------------- export


def _date(value):
    return value.isoformat() if value else None


def format_datetime(value):
    """ISO 8601 in UTC with a 'Z', to the second: the one spelling of the format."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _parse_datetime(value):
    try:
        parsed = dt.datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None


def export_amount(value):
    """Amounts are numbers: an int when whole, else a float (two decimals at most, so exact both ways)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _ordered(manager):
    # Works on the database and on a revision in memory; sorted() is stable for equal sort_order.
    return sorted(manager.all(), key=lambda obj: obj.sort_order or 0)


def _term_key(term):
    return (term.sort_order, term.label, term.slug)


def _slugs(manager):
    return [term.slug for term in sorted(manager.all(), key=_term_key)]


def _tag_key(name):
    return (name.casefold(), name)


def _document_url(document, base_url):
    href = document.document.url if document.document_id and document.document else document.url
    if href and href.startswith("/"):
        href = base_url + href
    return href


def export_sheet(page, base_url=""):
    """The `crpv-experience/1` dict of a sheet (a database page or a revision in memory), in SPEC key order."""
    base_url = (base_url or "").rstrip("/")
    contact = None
    if page.contact_public:
        contact = {
            "name": page.contact_name,
            "organisation": page.contact_organisation,
            "email": page.contact_email,
            "phone": page.contact_phone,
        }
        if not any(contact.values()):
            contact = None  # a public but empty contact carries nothing: one spelling, null
    documents = [
        {"title": document.title, "url": url}
        for document in _ordered(page.documents)
        # A document deleted from the library leaves a row with nowhere to point: not exportable.
        if (url := _document_url(document, base_url))
    ]
    return {
        "format": FORMAT,
        "id": str(page.uuid),
        "title": page.title,
        "summary": page.summary,
        "centre": page.centre.code,
        "author": page.author,
        "written_on": _date(page.written_on),
        "period": {"start": _date(page.period_start), "end": _date(page.period_end), "ongoing": page.period_ongoing},
        "status": page.status or None,
        "territory": {
            "region": page.region.code if page.region_id else None,
            "departement": page.departement.code if page.departement_id else None,
            "epci": page.epci or None,
            "communes": [{"insee": c.insee, "name": c.name} for c in _ordered(page.communes)],
            "qpv": [{"code": q.code, "name": q.name} for q in _ordered(page.qpvs)],
            "hors_qpv": page.hors_qpv,
        },
        "porteur": {"name": page.porteur_name, "type": page.porteur_type or None},
        "partners": [p.name for p in _ordered(page.partners)],
        "funders": [
            {"name": f.name, "type": f.type, "amount_eur": export_amount(f.amount_eur)} for f in _ordered(page.funders)
        ],
        "budget_eur": export_amount(page.budget_eur),
        "pillars": _slugs(page.pillars),
        "transversal_axes": _slugs(page.transversal_axes),
        "themes": _slugs(page.themes),
        "publics": _slugs(page.publics),
        "tags": sorted((item.tag.name for item in page.tagged_items.all()), key=_tag_key),
        "sections": {key: export_html(getattr(page, key), base_url) for key in SECTION_KEYS},
        "contact": contact,
        "documents": documents,
        "links": [{"title": link.title, "url": link.url} for link in _ordered(page.links)],
        "chantier": page.chantier or None,
        "published_at": format_datetime(page.first_published_at),
        "updated_at": format_datetime(page.last_published_at),
    }


def export_queryset(centre=None, include_drafts=False):
    """The sheets to export, in a stable order (centre, then position in the centre's section)."""
    pages = ExperienceSheetPage.objects.all() if include_drafts else ExperienceSheetPage.objects.live()
    if centre:
        pages = pages.filter(centre__code=centre)
    return (
        pages.select_related("centre", "region", "departement")
        .prefetch_related(
            "communes",
            "qpvs",
            "partners",
            "funders",
            Prefetch("documents", queryset=SheetDocument.objects.select_related("document")),
            "links",
            "pillars",
            "transversal_axes",
            "themes",
            "publics",
            "tagged_items__tag",
        )
        .order_by("centre__code", "path")
    )


def export_sheets(centre=None, include_drafts=False, base_url="", chunk_size=500):
    """Yield the export of every sheet; with `include_drafts`, each sheet's latest version, draft or not."""
    for page in export_queryset(centre, include_drafts).iterator(chunk_size=chunk_size):
        if include_drafts and page.has_unpublished_changes:
            page = page.get_latest_revision_as_object()
        yield export_sheet(page, base_url)


def dump_json(sheets):
    """The JSON file of a list of sheets: UTF-8 text, indent 2, accents kept, keys in SPEC order."""
    return json.dumps(list(sheets), ensure_ascii=False, indent=2) + "\n"


# --------------------------------------------------------------------------- errors and reports


@dataclass
class Issue:
    """One problem in an input file: where (file, sheet or row, key path) and what, in French."""

    source: str
    position: str
    path: str
    message: str

    def __str__(self):
        where = ", ".join(part for part in (self.source, self.position, self.path) if part)
        return f"{where} : {self.message}" if where else self.message


@dataclass
class SourceItem:
    """One sheet read from a file, with its position ('fiche 3', 'ligne 4') and any reading errors."""

    data: object
    position: str
    errors: list = field(default_factory=list)  # (path, message) found while reading (CSV)


@dataclass
class ImportReport:
    source: str = ""
    dry_run: bool = False
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # positions of the sheets left out
    errors: list = field(default_factory=list)  # Issue

    def summary(self):
        return _("%(created)d créées, %(updated)d mises à jour, %(unchanged)d inchangées, %(skipped)d ignorées") % {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
        }


class SheetImportError(Exception):
    """The file is rejected: nothing was imported. `errors` lists every Issue."""

    def __init__(self, errors, report=None):
        self.errors = list(errors)
        self.report = report
        super().__init__("\n".join(str(error) for error in self.errors))


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


def _show(value, limit=60):
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


def _schema_issues(instance):
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
                    "value": _show(value),
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
                    "value": _show(value),
                    "allowed": allowed,
                },
            )
        elif kind == "const":
            yield (
                format_path(path),
                _("valeur attendue « %(expected)s », reçu « %(value)s »")
                % {
                    "expected": error.validator_value,
                    "value": _show(value),
                },
            )
        elif kind == "pattern":
            template = _PATTERN_MESSAGES.get(error.validator_value, "valeur invalide « %(value)s »")
            yield format_path(path), _(template) % {"value": _show(value)}
        elif kind == "format":
            template = _FORMAT_MESSAGES.get(error.validator_value, "valeur invalide « %(value)s »")
            yield format_path(path), _(template) % {"value": _show(value)}
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
            yield format_path(path), _("le montant doit être positif ou nul (%(value)s)") % {"value": _show(value)}
        elif kind == "maximum":
            yield format_path(path), _("montant trop élevé (%(value)s)") % {"value": _show(value)}
        elif kind == "uniqueItems":
            yield format_path(path), _("valeurs en double dans la liste")
        else:  # a keyword added to the schema later: still say where
            yield format_path(path), _("valeur invalide « %(value)s »") % {"value": _show(value)}


# --------------------------------------------------------------------------- reference data


class Catalogue:
    """Everything a batch of sheets is checked against, loaded once per import (small tables)."""

    TERMS = {
        "pillars": (Pillar, gettext_noop("pilier inconnu « %(value)s »")),
        "transversal_axes": (TransversalAxis, gettext_noop("axe transversal inconnu « %(value)s »")),
        "themes": (Theme, gettext_noop("thème inconnu « %(value)s »")),
        "publics": (Public, gettext_noop("public inconnu « %(value)s »")),
    }

    def __init__(self):
        self.centres = {centre.code: centre for centre in Centre.objects.all()}
        self.sections = {page.centre_id: page for page in CentrePage.objects.all()}
        self.terms = {key: {t.slug: t for t in model.objects.all()} for key, (model, _msg) in self.TERMS.items()}
        self.regions = {region.code: region for region in Region.objects.all()}
        self.departements = {d.code: d for d in Departement.objects.select_related("region")}
        self.existing = {}  # uuid string → (page id, centre code)

    def load_existing(self, ids):
        ids = [i for i in ids if i]
        for start in range(0, len(ids), 1000):
            rows = ExperienceSheetPage.objects.filter(uuid__in=ids[start : start + 1000]).values_list(
                "uuid", "pk", "centre__code"
            )
            self.existing.update({str(u): (pk, code) for u, pk, code in rows})


# --------------------------------------------------------------------------- semantic checks


def _get(data, *keys):
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
    value = _get(data, "id")
    if isinstance(value, str) and _is_uuid(value):
        return str(uuid.UUID(value))
    centre, title = _get(data, "centre"), _get(data, "title")
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
        items = _get(data, *keys)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            value = _get(item, sub_key) if sub_key else item
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
            yield "centre", _("centre inconnu « %(code)s »") % {"code": _show(code)}
        elif centre.pk not in catalogue.sections:
            yield "centre", _("le centre « %(code)s » n'a pas de rubrique dans le portail") % {"code": code}
    for key, (_model, message) in Catalogue.TERMS.items():
        slugs = data.get(key)
        if isinstance(slugs, list):
            for index, slug in enumerate(slugs):
                if isinstance(slug, str) and slug not in catalogue.terms[key]:
                    yield f"{key}[{index}]", _(message) % {"value": _show(slug)}
    region_code, departement_code = _get(data, "territory", "region"), _get(data, "territory", "departement")
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
    start, end = _get(data, "period", "start"), _get(data, "period", "end")
    if isinstance(start, str) and isinstance(end, str) and _is_date(start) and _is_date(end) and end < start:
        message = _("la fin de l'action (%(end)s) précède son début (%(start)s)")
        yield "period.end", message % {"end": end, "start": start}
    amounts = [("budget_eur", data.get("budget_eur"))]
    funders = data.get("funders")
    if isinstance(funders, list):
        amounts += [(f"funders[{i}].amount_eur", _get(f, "amount_eur")) for i, f in enumerate(funders)]
    for path, amount in amounts:
        if isinstance(amount, int | float) and not isinstance(amount, bool):
            number = _decimal(amount)
            if number is not None and number.is_finite() and number != number.quantize(CENT):
                yield path, _("montant avec plus de deux décimales : %(value)s") % {"value": amount}
    for path in _blank_names(data):
        yield path, _("valeur vide")
    email = _get(data, "contact", "email")
    if isinstance(email, str) and re.match(EMAIL_PATTERN, email) and email:  # else the schema has said it
        try:
            validate_email(email)
        except ValidationError:
            yield "contact.email", _("courriel invalide « %(value)s »") % {"value": _show(email)}


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
        found += list(_schema_issues(item.data))
        found += list(_semantic_issues(item.data, catalogue))
        identity = sheet_id(item.data)
        if identity:
            if identity in seen_ids and _get(item.data, "id"):
                found.append(
                    ("id", _("identifiant en double : déjà utilisé par %(other)s") % {"other": seen_ids[identity]})
                )
            elif identity in seen_ids:
                message = _("fiche sans identifiant en double : même centre et même titre que %(other)s")
                found.append(("title", message % {"other": seen_ids[identity]}))
            else:
                seen_ids[identity] = item.position
            existing = catalogue.existing.get(identity)
            centre = _get(item.data, "centre")
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


# --------------------------------------------------------------------------- canonical form


def canonical_amount(value):
    return None if value is None else export_amount(Decimal(str(value)).quantize(CENT))


def _canonical_datetime(value):
    return format_datetime(_parse_datetime(value)) if value else None


def _text(value):
    return value if isinstance(value, str) else ""


def _sorted_terms(slugs, terms):
    return [term.slug for term in sorted((terms[s] for s in dict.fromkeys(slugs)), key=_term_key)]


def canonical(data, catalogue):
    """A valid incoming sheet, spelt exactly as its export would be (ids, amounts, HTML, list orders)."""
    period = data.get("period") or {}
    territory = data.get("territory") or {}
    porteur = data.get("porteur") or {}
    sections = data.get("sections") or {}
    contact = data.get("contact")
    if contact is not None:
        contact = {key: _text(contact.get(key)) for key in ("name", "organisation", "email", "phone")}
        if not any(contact.values()):
            contact = None
    return {
        "format": FORMAT,
        "id": sheet_id(data),
        "title": data["title"],
        "summary": data["summary"],
        "centre": data["centre"],
        "author": _text(data.get("author")),
        "written_on": data.get("written_on"),
        "period": {"start": period.get("start"), "end": period.get("end"), "ongoing": period.get("ongoing", False)},
        "status": data.get("status"),
        "territory": {
            "region": territory.get("region"),
            "departement": territory.get("departement"),
            "epci": territory.get("epci"),
            "communes": [{"insee": c["insee"], "name": c["name"].strip()} for c in territory.get("communes", [])],
            "qpv": [{"code": q["code"], "name": q["name"].strip()} for q in territory.get("qpv", [])],
            "hors_qpv": territory.get("hors_qpv", False),
        },
        "porteur": {"name": _text(porteur.get("name")), "type": porteur.get("type")},
        "partners": [name.strip() for name in data.get("partners", [])],
        "funders": [
            {"name": f["name"].strip(), "type": f["type"], "amount_eur": canonical_amount(f.get("amount_eur"))}
            for f in data.get("funders", [])
        ],
        "budget_eur": canonical_amount(data.get("budget_eur")),
        # Catalogue.TERMS is in SPEC order: pillars, transversal_axes, themes, publics.
        **{key: _sorted_terms(data.get(key, []), catalogue.terms[key]) for key in Catalogue.TERMS},
        "tags": sorted({tag.strip() for tag in data.get("tags", [])}, key=_tag_key),
        "sections": {key: sanitize_html(sections.get(key)) for key in SECTION_KEYS},
        "contact": contact,
        "documents": [{"title": d["title"].strip(), "url": d["url"]} for d in data.get("documents", [])],
        "links": [{"title": link["title"].strip(), "url": link["url"]} for link in data.get("links", [])],
        "chantier": data.get("chantier"),
        "published_at": _canonical_datetime(data.get("published_at")),
        "updated_at": _canonical_datetime(data.get("updated_at")),
    }


def _content(sheet):
    """A sheet without what the portal sets itself: what "unchanged" compares."""
    return {key: value for key, value in sheet.items() if key not in TIMESTAMP_KEYS}


# --------------------------------------------------------------------------- applying a sheet to a page


def _parse_date(value):
    return dt.date.fromisoformat(value) if value else None


def _apply(page, sheet, catalogue, base_url):
    """Write a canonical sheet onto an existing page in memory (children and relations included); saves nothing."""
    # Library documents of the current version keep their link when their address comes back unchanged.
    library_documents = {
        _document_url(d, base_url): d.document_id for d in page.documents.all() if d.document_id and d.document
    }
    _apply_fields(page, sheet, catalogue)
    _apply_relations(page, sheet, catalogue, library_documents)


def _apply_fields(page, sheet, catalogue):
    territory, porteur, contact = sheet["territory"], sheet["porteur"], sheet["contact"]
    page.title = sheet["title"]
    page.summary = sheet["summary"]
    page.author = sheet["author"]
    page.written_on = _parse_date(sheet["written_on"])
    page.period_start = _parse_date(sheet["period"]["start"])
    page.period_end = _parse_date(sheet["period"]["end"])
    page.period_ongoing = sheet["period"]["ongoing"]
    page.status = sheet["status"] or ""
    page.region = catalogue.regions.get(territory["region"])
    page.departement = catalogue.departements.get(territory["departement"])
    page.epci = territory["epci"] or ""
    page.hors_qpv = territory["hors_qpv"]
    page.porteur_name = porteur["name"]
    page.porteur_type = porteur["type"] or ""
    page.budget_eur = None if sheet["budget_eur"] is None else Decimal(str(sheet["budget_eur"]))
    for key in SECTION_KEYS:
        setattr(page, key, sheet["sections"][key])
    if contact is None:
        # A hidden contact is never exported: keep what staff entered, only stop showing it.
        page.contact_public = False
    else:
        page.contact_name = contact["name"]
        page.contact_organisation = contact["organisation"]
        page.contact_email = contact["email"]
        page.contact_phone = contact["phone"]
        page.contact_public = True
    page.chantier = sheet["chantier"] or ""


def _apply_relations(page, sheet, catalogue, library_documents=None):
    territory = sheet["territory"]
    library_documents = library_documents or {}
    page.communes = [SheetCommune(sort_order=i, **c) for i, c in enumerate(territory["communes"])]
    page.qpvs = [SheetQpv(sort_order=i, **q) for i, q in enumerate(territory["qpv"])]
    page.partners = [SheetPartner(sort_order=i, name=name) for i, name in enumerate(sheet["partners"])]
    page.funders = [
        SheetFunder(
            sort_order=i,
            name=f["name"],
            type=f["type"],
            amount_eur=None if f["amount_eur"] is None else Decimal(str(f["amount_eur"])),
        )
        for i, f in enumerate(sheet["funders"])
    ]
    page.documents = [
        SheetDocument(sort_order=i, title=d["title"], document_id=library_documents[d["url"]])
        if d["url"] in library_documents
        else SheetDocument(sort_order=i, title=d["title"], url=d["url"])
        for i, d in enumerate(sheet["documents"])
    ]
    page.links = [SheetLink(sort_order=i, **link) for i, link in enumerate(sheet["links"])]
    for key in Catalogue.TERMS:
        getattr(page, key).set([catalogue.terms[key][slug] for slug in sheet[key]])
    page.tags.set(sheet["tags"])


CHILD_RELATIONS = ["communes", "qpvs", "partners", "funders", "documents", "links", "tagged_items"]


def _insert_relations(page):
    """Write the in-memory children and relations of a page just created: one INSERT per relation.

    modelcluster would first read each relation back (empty, the page being new) and insert
    row by row; the objects get their ids here, so the revision saved next records them.
    """
    for name in CHILD_RELATIONS:
        children = list(getattr(page, name).all())
        if children:
            parent_key = ExperienceSheetPage._meta.get_field(name).field.attname
            for child in children:
                setattr(child, parent_key, page.pk)
            type(children[0]).objects.bulk_create(children)
    for name in Catalogue.TERMS:
        terms = list(getattr(page, name).all())
        if terms:
            field = ExperienceSheetPage._meta.get_field(name)
            through = field.remote_field.through
            source, target = f"{field.m2m_field_name()}_id", f"{field.m2m_reverse_field_name()}_id"
            through.objects.bulk_create([through(**{source: page.pk, target: term.pk}) for term in terms])


_FIELD_PATHS = {
    "epci": "territory.epci",
    "region": "territory.region",
    "departement": "territory.departement",
    "period_start": "period.start",
    "period_end": "period.end",
    "porteur_name": "porteur.name",
    "porteur_type": "porteur.type",
    "contact_name": "contact.name",
    "contact_organisation": "contact.organisation",
    "contact_email": "contact.email",
    "contact_phone": "contact.phone",
    "slug": "title",
}


def _validation_messages(error):
    """(path, message) from a model ValidationError, with format paths instead of field names."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                yield ("" if name == "__all__" else _FIELD_PATHS.get(name, name)), message
    else:
        for message in error.messages:
            yield "", message


# --------------------------------------------------------------------------- import


class _Importer:
    def __init__(self, catalogue, *, publish, user, base_url):
        self.catalogue = catalogue
        self.publish = publish
        self.user = user
        self.base_url = (base_url or "").rstrip("/")
        self.slugs = {}  # section page id → slugs taken among its children
        self.pages = {}  # page id → existing sheet, prefetched for the comparison

    def prefetch(self, sheets, chunk_size=200):
        """Load the sheets that already exist with their children, a few queries per chunk."""
        page_ids = [self.catalogue.existing[s["id"]][0] for s in sheets if s["id"] in self.catalogue.existing]
        for start in range(0, len(page_ids), chunk_size):
            chunk = export_queryset(include_drafts=True).filter(pk__in=page_ids[start : start + chunk_size])
            self.pages.update({page.pk: page for page in chunk})

    def free_slug(self, section, title):
        taken = self.slugs.get(section.pk)
        if taken is None:
            taken = self.slugs[section.pk] = set(section.get_children().values_list("slug", flat=True))
        base = slugify(title)[:80].strip("-") or "fiche"
        slug, number = base, 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        return slug

    def upsert(self, sheet):
        """Create or update one sheet; returns 'created', 'updated' or 'unchanged'."""
        centre = self.catalogue.centres[sheet["centre"]]
        existing = self.catalogue.existing.get(sheet["id"])
        if existing is None:
            page = self.create(sheet, centre)
            self.catalogue.existing[sheet["id"]] = (page.pk, centre.code)
            return "created"
        page = self.pages.get(existing[0]) or ExperienceSheetPage.objects.get(pk=existing[0])
        latest = page.get_latest_revision_as_object()
        if _content(export_sheet(latest, self.base_url)) == _content(sheet):
            if not self.publish or (page.live and not page.has_unpublished_changes):
                return "unchanged"
            revision = page.get_latest_revision() or page.save_revision(user=self.user, log_action=True)
        else:
            _apply(latest, sheet, self.catalogue, self.base_url)
            # Publishing validates the page in full (Page.save of a live page): no need to do it twice.
            revision = latest.save_revision(user=self.user, log_action=True, clean=not self.publish)
        if self.publish:
            first_publication = page.first_published_at is None
            # Permissions are the caller's business (the command is run by an administrator).
            revision.publish(user=self.user, log_action=True, skip_permission_checks=True)
            if first_publication:
                self._keep_timestamps(page.pk, sheet)
        return "updated"

    def create(self, sheet, centre):
        section = self.catalogue.sections[centre.pk]
        page = ExperienceSheetPage(
            uuid=sheet["id"],
            centre=centre,
            owner=self.user,
            slug=self.free_slug(section, sheet["title"]),
            locale_id=section.locale_id,  # else Wagtail looks the default locale up for every page
        )
        _apply_fields(page, sheet, self.catalogue)
        # Saved as a draft first, as the admin does: Wagtail then only checks title and slug, the
        # checks above having covered every field. Page.save() logs the creation itself.
        page.live = False
        section.add_child(instance=page)
        _apply_relations(page, sheet, self.catalogue)
        _insert_relations(page)
        revision = page.save_revision(user=self.user, log_action=True, clean=False, changed=not self.publish)
        if self.publish:
            self.publish_new(page, revision, sheet)
        return page

    def publish_new(self, page, revision, sheet):
        """What revision.publish() leaves for a page that did not exist, without its cost.

        publish() rebuilds the page from its revision and saves it again with every child row,
        the longest step of an import. Nothing else it handles applies to a page just created (no
        schedule, workflow, comments or aliases); the audit log and the signals are the same.
        """
        now = timezone.now()
        fields = {
            "live": True,
            "live_revision": revision,
            "has_unpublished_changes": False,
            # An exported sheet keeps its publication dates in its new home (export → import → export).
            "first_published_at": _parse_datetime(sheet["published_at"] or "") or now,
            "last_published_at": _parse_datetime(sheet["updated_at"] or "") or now,
        }
        Page.objects.filter(pk=page.pk).update(**fields)
        for name, value in fields.items():
            setattr(page, name, value)
        log(instance=page, action="wagtail.publish", user=self.user, revision=revision, content_changed=True)
        published.send(sender=ExperienceSheetPage, instance=page, revision=revision)
        page_published.send(sender=ExperienceSheetPage, instance=page, revision=revision)

    @staticmethod
    def _keep_timestamps(page_id, sheet):
        # An exported sheet keeps its publication dates in its new home (export → import → export is stable).
        dates = {
            name: _parse_datetime(sheet[key])
            for name, key in (("first_published_at", "published_at"), ("last_published_at", "updated_at"))
            if sheet[key]
        }
        if dates:
            Page.objects.filter(pk=page_id).update(**dates)


@contextmanager
def _deferred_indexing():
    """Within: no reference-index or search-index work on each save; `_reindex` does it once per sheet.

    A sheet is saved several times on import (creation, revision, publication), and its child
    rows too: Wagtail's per-save indexing made up a third of the import time.
    The reference index switch is Wagtail's own (thread-local); the search handler is a global
    signal, so a sheet saved by another thread of the same process during an import is indexed
    by the next `update_index` only.
    """
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    with disable_reference_index_auto_update():
        disconnected = post_save.disconnect(post_save_signal_handler, sender=ExperienceSheetPage)
        try:
            yield
        finally:
            if disconnected:
                post_save.connect(post_save_signal_handler, sender=ExperienceSheetPage)


def _reindex(page_ids, chunk_size=200):
    """The reference index and Wagtail's search index of these sheets, in bulk (inside the transaction)."""
    from modelsearch.backends import get_search_backends
    from wagtail.models import ReferenceIndex

    page_ids = sorted(set(page_ids))
    backends = list(get_search_backends(with_auto_update=True))
    for start in range(0, len(page_ids), chunk_size):
        pages = list(export_queryset(include_drafts=True).filter(pk__in=page_ids[start : start + chunk_size]))
        for page in pages:
            ReferenceIndex.create_or_update_for_object(page)
        for backend in backends:
            backend.add_bulk(ExperienceSheetPage, pages)


def _as_items(items):
    return [
        item if isinstance(item, SourceItem) else SourceItem(item, _("fiche %(n)d") % {"n": index})
        for index, item in enumerate(items, start=1)
    ]


def import_sheets(
    items,
    *,
    publish=False,
    user=None,
    source="",
    skip_invalid=False,
    dry_run=False,
    base_url=None,
    progress=None,
):
    """Upsert sheets (dicts of the format, or `SourceItem`s) and return an `ImportReport`.

    All or nothing: any invalid sheet raises `SheetImportError` and nothing is written, unless
    `skip_invalid`, where invalid sheets are reported in `report.skipped`/`report.errors` and the
    others imported. `dry_run` does everything, then rolls back. `base_url` is the portal's address,
    used to recognise the addresses of its own documents and links in incoming sheets.
    """
    from django.conf import settings

    if base_url is None:
        base_url = getattr(settings, "WAGTAILADMIN_BASE_URL", "")
    items = _as_items(items)
    report = ImportReport(source=source, dry_run=dry_run)
    catalogue = Catalogue()
    importer = _Importer(catalogue, publish=publish, user=user, base_url=base_url)
    valid = []
    for item, errors in validate_items(items, catalogue, source):
        if errors:
            report.errors += errors
            report.skipped.append(item.position)
        else:
            valid.append((item, canonical(item.data, catalogue)))
    if report.errors and not skip_invalid:
        raise SheetImportError(report.errors, report)

    touched = []
    with transaction.atomic(), _deferred_indexing():
        importer.prefetch([sheet for _item, sheet in valid])
        for item, sheet in valid:
            try:
                if skip_invalid:
                    with transaction.atomic():  # a savepoint: one failing sheet leaves the others
                        outcome = importer.upsert(sheet)
                else:
                    outcome = importer.upsert(sheet)
            except (ValidationError, DatabaseError) as error:
                if isinstance(error, ValidationError):
                    issues = [Issue(source, item.position, p, m) for p, m in _validation_messages(error)]
                else:  # a limit the checks above missed: still a French message, never a traceback
                    message = _("refusée par la base de données : %(reason)s") % {"reason": str(error).strip()}
                    issues = [Issue(source, item.position, "", message)]
                report.errors += issues
                report.skipped.append(item.position)
                if not skip_invalid:
                    raise SheetImportError(report.errors, report) from None
            else:
                getattr(report, outcome).append(sheet["id"])
                if outcome != "unchanged":
                    touched.append(catalogue.existing[sheet["id"]][0])
            if progress:
                progress(1)
        if dry_run:
            transaction.set_rollback(True)
        else:
            _reindex(touched)
    return report


# --------------------------------------------------------------------------- files

_JSON_MESSAGES = {
    "Expecting value": gettext_noop("valeur attendue"),
    "Expecting ',' delimiter": gettext_noop("virgule attendue"),
    "Expecting ':' delimiter": gettext_noop("deux-points attendus"),
    "Expecting property name enclosed in double quotes": gettext_noop("nom de clé entre guillemets doubles attendu"),
    "Unterminated string starting at": gettext_noop("chaîne de caractères non terminée"),
    "Invalid control character at": gettext_noop(
        "caractère de contrôle dans une chaîne (un retour à la ligne s'écrit \\n)"
    ),
    "Invalid \\escape": gettext_noop("séquence d'échappement invalide"),
    "Extra data": gettext_noop("données en trop après la fin du JSON"),
}


def decode_text(raw, source):
    """UTF-8 text of a file (a BOM is allowed); a French error otherwise."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SheetImportError(
            [
                Issue(
                    source,
                    "",
                    "",
                    _(
                        "le fichier n'est pas encodé en UTF-8 (octet %(byte)s à la position %(pos)d) : "
                        "enregistrez-le en UTF-8 (« CSV UTF-8 » dans un tableur)"
                    )
                    % {"byte": hex(raw[error.start]), "pos": error.start},
                )
            ]
        ) from None


def load_json(text, source=""):
    """The sheets of a JSON file (a list of sheets, or one sheet) as `SourceItem`s."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        reason = next((text for key, text in _JSON_MESSAGES.items() if error.msg.startswith(key)), "syntaxe invalide")
        message = _("JSON mal formé, ligne %(line)d, colonne %(col)d : %(reason)s") % {
            "line": error.lineno,
            "col": error.colno,
            "reason": _(reason),
        }
        raise SheetImportError([Issue(source, "", "", message)]) from None
    if isinstance(data, dict) and "format" in data:
        data = [data]
    if not isinstance(data, list):
        raise SheetImportError([Issue(source, "", "", _("le fichier JSON doit contenir une liste de fiches"))])
    return _as_items(data)


def load_file(path):
    """The sheets of a .json or .csv file, as `SourceItem`s; `SheetImportError` with a French message otherwise."""
    from .csv_codec import load_csv

    path = Path(path)
    source = path.name
    suffix = path.suffix.lower()
    if suffix not in (".json", ".csv"):
        message = _("format de fichier non reconnu « %(ext)s » : un fichier .json ou .csv est attendu")
        raise SheetImportError([Issue(source, "", "", message % {"ext": suffix or path.name})])
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SheetImportError([Issue(str(path), "", "", _("fichier introuvable"))]) from None
    except IsADirectoryError:
        raise SheetImportError([Issue(str(path), "", "", _("c'est un dossier, pas un fichier"))]) from None
    except OSError as error:
        message = _("lecture impossible (%(reason)s)") % {"reason": error.strerror}
        raise SheetImportError([Issue(str(path), "", "", message)]) from None
    text = decode_text(raw, source)
    return load_json(text, source) if suffix == ".json" else load_csv(text, source)
