"""Small builders for experience sheets in tests (through the model, as an editor's save would)."""

import uuid

from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from portal.centres.models import CentrePage
from resources.experiences.models import SECTIONS, ExperienceSheetPage
from resources.taxonomy.models import Theme


def make_sheet(centre, title, *, publish=True, themes=(), contact_public=False, **fields):
    section = CentrePage.objects.get(centre=centre)
    sheet = ExperienceSheetPage(
        title=title,
        slug=f"test-{uuid.uuid4().hex[:10]}",
        summary=fields.pop("summary", f"Résumé de {title}."),
        contact_name="Camille Martin",
        contact_email="camille.martin@example.org",
        contact_public=contact_public,
        **fields,
    )
    section.add_child(instance=sheet)
    if themes:
        sheet.themes.set(Theme.objects.filter(slug__in=themes))
    revision = sheet.save_revision()
    if publish:
        revision.publish()
    else:
        ExperienceSheetPage.objects.filter(pk=sheet.pk).update(live=False)
    sheet.refresh_from_db()
    return sheet


def sheet_form(title, slug, **fields):
    """What the admin's sheet form posts (every tab), for a new sheet."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "summary": f"Résumé de {title}.",
            "author": "Équipe du centre",
            "status": "en_cours",
            "period_start": "2025-09-01",
            "period_ongoing": "on",
            "porteur_name": "Centre social",
            "porteur_type": "association",
            **{name: rich_text(f"<p>{label} de la fiche.</p>") for name, label in SECTIONS},
            "contact_name": "Camille Martin",
            **{rel: inline_formset([]) for rel in ("comments", "qpvs", "partners", "funders", "documents", "links")},
            "communes": inline_formset([{"insee": "38185", "name": "Grenoble"}]),
            **fields,
        }
    )
    data["themes"] = [Theme.objects.get(slug="education").pk]
    return data
