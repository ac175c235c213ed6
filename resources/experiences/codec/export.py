"""Export: a sheet (database page or revision in memory) as the `crpv-experience/1` dict, keys in SPEC order."""

import datetime as dt
import json
from decimal import Decimal

from django.db.models import Prefetch

from ..models import ExperienceSheetPage, SheetDocument
from ..sanitize import export_html
from .schema import FORMAT, SECTION_KEYS


def _date(value):
    return value.isoformat() if value else None


def format_datetime(value):
    """ISO 8601 in UTC with a 'Z', to the second: the one spelling of the format."""
    if value is None:
        return None
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def export_amount(value):
    """Amounts are numbers: an int when whole, else a float (two decimals at most, so exact both ways)."""
    if value is None:
        return None
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def _ordered(manager):
    # Works on the database and on a revision in memory; sorted() is stable for equal sort_order.
    return sorted(manager.all(), key=lambda obj: obj.sort_order or 0)


def term_key(term):
    return (term.sort_order, term.label, term.slug)


def _slugs(manager):
    return [term.slug for term in sorted(manager.all(), key=term_key)]


def tag_key(name):
    return (name.casefold(), name)


def document_url(document, base_url):
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
        if (url := document_url(document, base_url))
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
        "tags": sorted((item.tag.name for item in page.tagged_items.all()), key=tag_key),
        "sections": {key: export_html(getattr(page, key), base_url) for key in SECTION_KEYS},
        "contact": contact,
        "documents": documents,
        "links": [{"title": link.title, "url": link.url} for link in _ordered(page.links)],
        "chantier": page.chantier.code if page.chantier_id else None,
        "published_at": format_datetime(page.first_published_at),
        "updated_at": format_datetime(page.last_published_at),
    }


def export_queryset(centre=None, include_drafts=False):
    """The sheets to export, in a stable order (centre, then position in the centre's section)."""
    pages = ExperienceSheetPage.objects.all() if include_drafts else ExperienceSheetPage.objects.live()
    if centre:
        pages = pages.filter(centre__code=centre)
    return (
        pages.select_related("centre", "region", "departement", "chantier")
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
