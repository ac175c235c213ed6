"""Small builders for experience sheets in tests (through the model, as an editor's save would)."""

import uuid

from portal.centres.models import CentrePage
from resources.experiences.models import ExperienceSheetPage
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
