"""Demo experience sheets: three per centre, each written for that centre's own territory.

The sheets live in `data/demo/stories.json`, a list of fully written sheets (never one story
cloned from centre to centre). Each entry has:
- `centre` (centre code) and `key` (unique within the centre): the sheet's fixed uuid is
  `sheet_uuid(centre, key)`, so loading twice changes nothing and an edited demo sheet is never
  overwritten;
- `site`: index of the centre's site in `centres.json` (INSEE code, commune, département, QPV code
  and name, social landlord), which gives the sheet its commune, département, region and QPV;
  `also` (optional): another site whose commune the sheet covers too; `hors_qpv` (optional): the
  action is not tied to a QPV;
- `title`, `summary` and `sections` (the nine narrative fields of `SECTIONS`, rich-text HTML);
- `status`, `start` ([year, month]) and, for a finished action, `months` (its duration);
- `porteur` ([name, type]), `partners`, `funders` ([name, type, amount or null]), `links`
  ([title, url]), `tags`, and the slugs of `themes`, `publics`, `pillars` and `axes`.
The text is literal: no placeholders. Contacts and authors are fictitious people from
`centres.json`, with e-mails on example.org and phone numbers reserved for fiction.
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

# centres.json — sites: for each centre, its sites [INSEE code, commune, département, QPV code
# (2015 list pattern), QPV name, social landlord]; contacts: fictitious people; fiction_phone:
# prefixes reserved by ARCEP for fiction, by area; phone_area: region code → area.
_CENTRES = json.loads((DATA / "centres.json").read_text(encoding="utf-8"))
SITES = _CENTRES["sites"]
CONTACTS = _CENTRES["contacts"]
FICTION_PHONE = _CENTRES["fiction_phone"]
PHONE_AREA = _CENTRES["phone_area"]
STORIES = json.loads((DATA / "stories.json").read_text(encoding="utf-8"))


def sheet_uuid(centre_code, key):
    return uuid.uuid5(NAMESPACE, f"{centre_code}/{key}")


def uuids(centre_code=None):
    """The fixed uuids of the demo sheets, of one centre or of all."""
    return [sheet_uuid(s["centre"], s["key"]) for s in STORIES if centre_code in (None, s["centre"])]


def _phone(region_code, n):
    prefix = FICTION_PHONE.get(PHONE_AREA.get(region_code, ""), "06 39 98")
    return f"{prefix} {10 + n % 90:02d} {(n * 37) % 100:02d}"


def _email(name, organisation):
    first, _, last = name.partition(" ")
    return f"{slugify(first)}.{slugify(last)}@{slugify(organisation)[:30].strip('-')}.example.org"


def _period(story):
    year, month = story["start"]
    start = date(year, month, 1)
    if story["status"] != "terminee":
        return start, None, True
    months = start.month - 1 + story["months"]
    return start, date(start.year + months // 12, months % 12 + 1, 1), False


def build_sheet(centre, index, position, story, vocab):
    """An unsaved sheet for this centre and story, with its child objects."""
    sites = SITES[centre.code]
    insee, commune, dep_code, qpv_code, qpv_name, _landlord = sites[story["site"]]
    departement = vocab["departements"][dep_code]
    start, end, ongoing = _period(story)
    porteur, porteur_type = story["porteur"]
    contact_name = CONTACTS[(index * 3 + position) % len(CONTACTS)]
    funders = [
        SheetFunder(name=contract(name), type=kind, amount_eur=None if amount is None else Decimal(amount))
        for name, kind, amount in story["funders"]
    ]
    known = sum((f.amount_eur for f in funders if f.amount_eur is not None), Decimal(0))
    sheet = ExperienceSheetPage(
        uuid=sheet_uuid(centre.code, story["key"]),
        title=story["title"],
        summary=story["summary"],
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
        porteur_type=porteur_type,
        budget_eur=(known * Decimal("1.12") / 100).quantize(Decimal(1)) * 100,
        contact_name=contact_name,
        contact_organisation=porteur,
        contact_email=_email(contact_name, porteur),
        contact_phone=_phone(departement.region.code, index * 3 + position),
        # Every other sheet: each centre shows both a public and a hidden contact.
        contact_public=(index + position) % 2 == 0,
        **story["sections"],
    )
    # The stories put names after a bare « à » / « de »: « à Le Port » → « au Port », « de Ozanam » → « d'Ozanam ».
    for field in ("title", "summary", "porteur_name", "contact_organisation", *story["sections"]):
        setattr(sheet, field, contract(getattr(sheet, field)))
    slug = slugify(sheet.title)
    sheet.slug = slug if len(slug) <= 80 else slug[:80].rsplit("-", 1)[0]
    sheet.communes = [SheetCommune(insee=insee, name=commune)]
    if "also" in story and sites[story["also"]][0] != insee:
        sheet.communes.add(SheetCommune(insee=sites[story["also"]][0], name=sites[story["also"]][1]))
    if not story.get("hors_qpv"):
        sheet.qpvs = [SheetQpv(code=qpv_code, name=qpv_name)]
        sheet.documents = [SheetDocument(title=f"Fiche du quartier {qpv_name} (SIG Ville)", url=SIG_VILLE_URL)]
    sheet.partners = [SheetPartner(name=contract(name)) for name in story["partners"]]
    sheet.funders = funders
    sheet.links = [SheetLink(title=title, url=url) for title, url in story["links"]]
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
    for index, centre in enumerate(Centre.objects.filter(code__in=SITES).order_by("code")):
        section = CentrePage.objects.filter(centre=centre).first()
        if section is None:
            continue
        stories = [story for story in STORIES if story["centre"] == centre.code]
        for position, story in enumerate(stories):
            if sheet_uuid(centre.code, story["key"]) in existing:
                continue
            sheet = build_sheet(centre, index, position, story, vocab)
            section.add_child(instance=sheet)
            sheet.save_revision().publish()
            created += 1
    command.say(f"Fiches d'expériences de démonstration : {created} créées.")
