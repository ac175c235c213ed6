"""The canonical form: an incoming sheet spelt exactly as its export would be.

"Did anything change?" is then a plain dict comparison, and export → import → export gives the same JSON.
"""

from decimal import Decimal

from ..sanitize import sanitize_html
from .catalogue import Catalogue
from .checks import sheet_id
from .export import export_amount, format_datetime, tag_key, term_key
from .schema import CENT, FORMAT, SECTION_KEYS, TIMESTAMP_KEYS, parse_datetime


def canonical_amount(value):
    return None if value is None else export_amount(Decimal(str(value)).quantize(CENT))


def _canonical_datetime(value):
    return format_datetime(parse_datetime(value)) if value else None


def _text(value):
    return value if isinstance(value, str) else ""


def _sorted_terms(slugs, terms):
    return [term.slug for term in sorted((terms[s] for s in dict.fromkeys(slugs)), key=term_key)]


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
        "tags": sorted({tag.strip() for tag in data.get("tags", [])}, key=tag_key),
        "sections": {key: sanitize_html(sections.get(key)) for key in SECTION_KEYS},
        "contact": contact,
        "documents": [{"title": d["title"].strip(), "url": d["url"]} for d in data.get("documents", [])],
        "links": [{"title": link["title"].strip(), "url": link["url"]} for link in data.get("links", [])],
        "chantier": data.get("chantier"),
        "published_at": _canonical_datetime(data.get("published_at")),
        "updated_at": _canonical_datetime(data.get("updated_at")),
    }


def sheet_content(sheet):
    """A sheet without what the portal sets itself: what "unchanged" compares."""
    return {key: value for key, value in sheet.items() if key not in TIMESTAMP_KEYS}
