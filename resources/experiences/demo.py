"""Demo experience sheets: three per centre, from a pool of stories set in each centre's own territory.

Every sheet has a fixed uuid (derived from the centre code and the story), so loading twice
changes nothing and an edited demo sheet is never overwritten.
"""

import json
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

from portal.centres.models import Centre, CentrePage
from portal.core.places import contract
from resources.taxonomy.models import Departement, Pillar, Public, Theme, TransversalAxis

from .models import (
    ExperienceSheetPage,
    SheetCommune,
    SheetDocument,
    SheetFunder,
    SheetLink,
    SheetPartner,
    SheetQpv,
)

NAMESPACE = uuid.UUID("6f1c2b7e-2a53-4f0e-9d0b-6c0b1d6a3e21")

SIG_VILLE_URL = "https://sig.ville.gouv.fr/"
DATA = Path(__file__).parent / "data" / "demo"

# centres.json — sites: for each centre, three sites [INSEE code, commune, département, QPV code
# (2015 list pattern), QPV name, social landlord]; plan: which stories each centre tells, in the
# order of its sites; contacts: fictitious people; fiction_phone: prefixes reserved by ARCEP for
# fiction, by area; phone_area: region code → area.
# stories.json — the pool of stories; {placeholders} are filled from the site (see build_sheet).
_CENTRES = json.loads((DATA / "centres.json").read_text(encoding="utf-8"))
SITES = _CENTRES["sites"]
PLAN = _CENTRES["plan"]
CONTACTS = _CENTRES["contacts"]
FICTION_PHONE = _CENTRES["fiction_phone"]
PHONE_AREA = _CENTRES["phone_area"]
STORIES = {story["key"]: story for story in json.loads((DATA / "stories.json").read_text(encoding="utf-8"))}


def sheet_uuid(centre_code, story_key):
    return uuid.uuid5(NAMESPACE, f"{centre_code}/{story_key}")


def _amount(base, factor):
    if base is None:
        return None
    return Decimal(max(500, round(base * factor / 500) * 500))


def _phone(region_code, n):
    prefix = FICTION_PHONE.get(PHONE_AREA.get(region_code, ""), "06 39 98")
    return f"{prefix} {10 + n % 90:02d} {(n * 37) % 100:02d}"


def _email(name, organisation):
    first, _, last = name.partition(" ")
    return f"{slugify(first)}.{slugify(last)}@{slugify(organisation)[:30].strip('-')}.example.org"


def _period(story, shift):
    year, month = story["start"]
    start = date(year + shift, month, 1)
    if story["status"] != "terminee":
        return start, None, True
    months = start.month - 1 + story["months"]
    return start, date(start.year + months // 12, months % 12 + 1, 1), False


def build_sheet(centre, index, position, story, site, neighbour, vocab):
    """An unsaved sheet for this centre, story and site, with its child objects."""
    insee, commune, dep_code, qpv_code, qpv_name, bailleur = site
    departement = vocab["departements"][dep_code]
    factor = 0.8 + ((index * 7 + position * 3) % 9) * 0.075
    shift = (index + position) % 3 - 1
    words = {
        "commune": commune,
        "commune2": neighbour[1],
        "quartier": qpv_name,
        "bailleur": bailleur,
        "centre": centre.name,
        "departement": departement.name,
    }
    # Counts scale with the centre; small numbers (often percentages) only move a little.
    for key, value in story["numbers"].items():
        words[key] = round(value * factor) if value > 100 else round(value * (0.9 + factor / 10))
    start, end, ongoing = _period(story, shift)
    porteur = story["porteur"][0].format(**words)
    contact_name = CONTACTS[(index * 3 + position) % len(CONTACTS)]
    funders = [
        SheetFunder(name=contract(name.format(**words)), type=kind, amount_eur=_amount(base, factor))
        for name, kind, base in story["funders"]
    ]
    known = sum((f.amount_eur for f in funders if f.amount_eur is not None), Decimal(0))
    sheet = ExperienceSheetPage(
        uuid=sheet_uuid(centre.code, story["key"]),
        title=story["title"].format(**words),
        summary=story["summary"].format(**words),
        centre=centre,
        # The author is centre staff, never the contact: a hidden contact must not surface through another field.
        author=f"{CONTACTS[(index * 3 + position + 11) % len(CONTACTS)]} ({centre.name})",
        written_on=end.replace(day=15) if end else min(date(start.year + 1, 6, 15), date(2026, 6, 15)),
        period_start=start,
        period_end=end,
        period_ongoing=ongoing,
        status=story["status"],
        region=departement.region,
        departement=departement,
        hors_qpv=story.get("hors_qpv", False),
        porteur_name=porteur,
        porteur_type=story["porteur"][1],
        budget_eur=(known * Decimal("1.12") / 100).quantize(Decimal(1)) * 100,
        contact_name=contact_name,
        contact_organisation=porteur,
        contact_email=_email(contact_name, porteur),
        contact_phone=_phone(departement.region.code, index * 3 + position),
        # Every other sheet: each centre shows both a public and a hidden contact.
        contact_public=(index + position) % 2 == 0,
        **{key: html.format(**words) for key, html in story["sections"].items()},
    )
    # The stories put names after a bare « à » / « de »: « à Le Port » → « au Port », « de Ozanam » → « d'Ozanam ».
    for field in ("title", "summary", "porteur_name", "contact_organisation", *story["sections"]):
        setattr(sheet, field, contract(getattr(sheet, field)))
    slug = slugify(sheet.title)
    sheet.slug = slug if len(slug) <= 80 else slug[:80].rsplit("-", 1)[0]
    sheet.communes = [SheetCommune(insee=insee, name=commune)]
    if story.get("multi") and neighbour[0] != insee:
        sheet.communes.add(SheetCommune(insee=neighbour[0], name=neighbour[1]))
    if not story.get("hors_qpv"):
        sheet.qpvs = [SheetQpv(code=qpv_code, name=qpv_name)]
    sheet.partners = [SheetPartner(name=contract(name.format(**words))) for name in story["partners"]]
    sheet.funders = funders
    sheet.links = [SheetLink(title=title, url=url) for title, url in story["links"]]
    if not story.get("hors_qpv"):
        sheet.documents = [SheetDocument(title=f"Fiche du quartier {qpv_name} (SIG Ville)", url=SIG_VILLE_URL)]
    for field, model in (("pillars", "pillars"), ("transversal_axes", "axes"), ("themes", "themes")):
        setattr(sheet, field, [vocab[model][slug] for slug in story[model]])
    sheet.publics = [vocab["publics"][slug] for slug in story["publics"]]
    sheet.tags.add(*story["tags"])
    return sheet


def load(command):
    existing = set(ExperienceSheetPage.objects.values_list("uuid", flat=True))
    vocab = {
        "departements": {d.code: d for d in Departement.objects.select_related("region")},
        "pillars": {t.slug: t for t in Pillar.objects.all()},
        "axes": {t.slug: t for t in TransversalAxis.objects.all()},
        "themes": {t.slug: t for t in Theme.objects.all()},
        "publics": {t.slug: t for t in Public.objects.all()},
    }
    created = 0
    for index, centre in enumerate(Centre.objects.filter(code__in=PLAN).order_by("code")):
        section = CentrePage.objects.filter(centre=centre).first()
        if section is None:
            continue
        sites = SITES[centre.code]
        for position, key in enumerate(PLAN[centre.code]):
            if sheet_uuid(centre.code, key) in existing:
                continue
            neighbour = sites[(position + 1) % len(sites)]
            sheet = build_sheet(centre, index, position, STORIES[key], sites[position], neighbour, vocab)
            section.add_child(instance=sheet)
            sheet.save_revision().publish()
            created += 1
    command.say(f"Fiches d'expériences de démonstration : {created} créées.")
