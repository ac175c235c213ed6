"""Demo publications (2–3 per centre, each with a generated PDF) and two national dossiers.

Every publication is written for one centre (its `centre` code) about that centre's territories:
no entry is shared or filled in per centre. Idempotent: a publication or dossier whose slug
already exists is left alone. PDFs are written in code (see pdf.py) into the centre's collection;
their text is extracted by the usual task.
"""

import datetime
import io
import json
from pathlib import Path

from django.core.files.base import ContentFile
from django.utils.formats import date_format
from django.utils.text import slugify
from wagtail.documents import get_document_model
from wagtail.utils.file import hash_filelike

from portal.centres.models import Centre, CentrePage
from portal.core.services import ensure_home_page
from resources.experiences.models import ExperienceSheetPage
from resources.taxonomy.models import Pillar, Public, ResourceType, Theme, TransversalAxis

from .models import DossierItem, DossierPage, PublicationDocument, PublicationPage
from .pdf import text_pdf

DATA = Path(__file__).parent / "data" / "demo"

# publications.json — one entry per publication, each with the code of the centre that publishes it.
# dossiers.json — the national dossiers, each with the publications an editor chose and why.
PUBLICATIONS = json.loads((DATA / "publications.json").read_text(encoding="utf-8"))
DOSSIERS = json.loads((DATA / "dossiers.json").read_text(encoding="utf-8"))["dossiers"]

FIRST_DATE = datetime.date(2024, 1, 15)


def _terms(model, slugs):
    return model.objects.filter(slug__in=slugs)


def _pdf(entry, centre, resource_type, published):
    title = entry["title"]
    blocks = [
        ("title", title),
        ("subtitle", f"{centre.name} — {resource_type.label} — {date_format(published, 'F Y')}"),
        ("heading", "Résumé"),
        ("paragraph", entry["summary"]),
    ]
    for heading, text in entry["sections"]:
        blocks += [("heading", heading), ("paragraph", text)]
    blocks.append(("heading", "À retenir"))
    blocks += [("item", point) for point in entry["points"]]
    blocks.append(("subtitle", f"{centre.name}, centre de ressources politique de la ville — {centre.territory}"))
    return text_pdf(blocks, title=title, author=centre.name)


def _document(title, data, collection):
    document_model = get_document_model()
    document = document_model(title=title, collection=collection)
    document.file.save(f"{slugify(title)[:80]}.pdf", ContentFile(data), save=False)
    # What Wagtail's upload form records; set here so nothing re-reads the file later.
    document.file_size = len(data)
    document.file_hash = hash_filelike(io.BytesIO(data))
    document.save()
    return document


def _publication(section, centre, entry, published):
    resource_type = ResourceType.objects.get(slug=entry["type"])
    title = entry["title"]
    first, *rest = entry["sections"]
    page = PublicationPage(
        title=title,
        slug=entry["slug"],
        resource_type=resource_type,
        publication_date=published,
        summary=entry["summary"],
        authors=entry["authors"],
        body=[("heading", {"text": first[0], "level": "h2"}), ("paragraph", f"<p>{first[1]}</p>")]
        + [("paragraph", f"<p>{text}</p>") for _heading, text in rest[:1]],
    )
    section.add_child(instance=page)
    page.themes.set(_terms(Theme, entry["themes"]))
    page.pillars.set(_terms(Pillar, entry["pillars"]))
    page.transversal_axes.set(_terms(TransversalAxis, entry["axes"]))
    page.publics.set(_terms(Public, entry["publics"]))
    page.tags.add(*entry["tags"])
    document = _document(title, _pdf(entry, centre, resource_type, published), centre.collection)
    page.documents.add(PublicationDocument(document=document))
    page.save_revision().publish()
    return page


def _dossier(home, spec):
    dossier = DossierPage(title=spec["title"], slug=spec["slug"], intro=spec["intro"])
    dossier.body = [("paragraph", f"<p>{spec['body']}</p>")]
    themes = list(_terms(Theme, spec["themes"]))
    dossier.themes.set(themes)
    # The publications the editor chose, in their order, with what the editor says of each.
    chosen = []
    for item in spec["publications"]:
        publication = PublicationPage.objects.live().filter(slug=item["slug"]).first()
        if publication is not None:
            chosen.append((publication, item["comment"]))
    # Sheets may not exist yet (their demo comes from another app): take what is there.
    sheets = ExperienceSheetPage.objects.live().filter(themes__in=themes).distinct().order_by("-first_published_at")
    chosen += [(sheet, "Une expérience de terrain, racontée par ses acteurs.") for sheet in sheets[:2]]
    for order, (page, comment) in enumerate(chosen):
        dossier.related_items.add(DossierItem(item=page, comment=comment, sort_order=order))
    home.add_child(instance=dossier)
    dossier.save_revision().publish()
    return dossier


def load(command):
    by_centre = {}
    for entry in PUBLICATIONS:
        by_centre.setdefault(entry["centre"], []).append(entry)
    created = 0
    for index, centre in enumerate(Centre.objects.order_by("code")):
        section = CentrePage.objects.filter(centre=centre).first()
        if section is None or centre.collection_id is None:
            continue
        for k, entry in enumerate(by_centre.get(centre.code, [])):
            if PublicationPage.objects.child_of(section).filter(slug=entry["slug"]).exists():
                continue
            # Spread over about 21 months, each centre on its own rhythm.
            published = FIRST_DATE + datetime.timedelta(days=(index * 37 + k * 113) % 640)
            _publication(section, centre, entry, published)
            created += 1
    home = ensure_home_page()
    dossiers = 0
    for spec in DOSSIERS:
        if not DossierPage.objects.child_of(home).filter(slug=spec["slug"]).exists():
            _dossier(home, spec)
            dossiers += 1
    command.say(f"Publications : {created} créées ; dossiers nationaux : {dossiers} créés.")
