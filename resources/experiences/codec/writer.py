"""Writing a canonical sheet onto a page in memory, and a new page's children in bulk."""

import datetime as dt
from decimal import Decimal

from ..models import ExperienceSheetPage, SheetCommune, SheetDocument, SheetFunder, SheetLink, SheetPartner, SheetQpv
from .catalogue import Catalogue
from .export import document_url
from .schema import SECTION_KEYS


def _parse_date(value):
    return dt.date.fromisoformat(value) if value else None


def apply_sheet(page, sheet, catalogue, base_url):
    """Write a canonical sheet onto an existing page in memory (children and relations included); saves nothing."""
    # Library documents of the current version keep their link when their address comes back unchanged.
    library_documents = {
        document_url(d, base_url): d.document_id for d in page.documents.all() if d.document_id and d.document
    }
    apply_fields(page, sheet, catalogue)
    apply_relations(page, sheet, catalogue, library_documents)


def apply_fields(page, sheet, catalogue):
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
    page.chantier = catalogue.chantiers.get(sheet["chantier"])


def apply_relations(page, sheet, catalogue, library_documents=None):
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


def insert_relations(page):
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


def validation_messages(error):
    """(path, message) from a model ValidationError, with format paths instead of field names."""
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            for message in errors:
                yield ("" if name == "__all__" else _FIELD_PATHS.get(name, name)), message
    else:
        for message in error.messages:
            yield "", message
