"""The sheet's chantier becomes a managed vocabulary (taxonomy.Chantier) instead of free text.

Each distinct non-empty value becomes a chantier (code = slugify(value), year read from the value when it
holds one, e.g. "emploi-jeunes-2024"); the sheets' revisions are converted too, so that restoring
an older revision keeps working.
"""

import re

from django.db import migrations, models
from django.utils.text import slugify

YEAR = re.compile(r"(?<!\d)(20\d{2})(?!\d)")


def _revisions(apps):
    content_type = apps.get_model("contenttypes", "ContentType").objects.filter(
        app_label="experiences", model="experiencesheetpage"
    )
    return apps.get_model("wagtailcore", "Revision").objects.filter(content_type__in=content_type)


def text_to_chantier(apps, schema_editor):
    Sheet = apps.get_model("experiences", "ExperienceSheetPage")
    Chantier = apps.get_model("taxonomy", "Chantier")
    by_value = {}

    def chantier_for(value):
        value = (value or "").strip()
        if not value:
            return None
        if value not in by_value:
            code = slugify(value)[:60].strip("-") or "chantier"
            year = YEAR.search(value)
            by_value[value], _created = Chantier.objects.get_or_create(
                code=code, defaults={"title": value[:200], "year": int(year.group(1)) if year else None}
            )
        return by_value[value]

    for sheet in Sheet.objects.exclude(chantier="").only("pk", "chantier"):
        Sheet.objects.filter(pk=sheet.pk).update(chantier_ref=chantier_for(sheet.chantier))
    for revision in _revisions(apps).iterator():
        if isinstance(revision.content.get("chantier"), str):
            chantier = chantier_for(revision.content["chantier"])
            revision.content["chantier"] = chantier.pk if chantier else None
            revision.save(update_fields=["content"])


def chantier_to_text(apps, schema_editor):
    Sheet = apps.get_model("experiences", "ExperienceSheetPage")
    Chantier = apps.get_model("taxonomy", "Chantier")
    codes = dict(Chantier.objects.values_list("pk", "code"))
    for pk, chantier_id in Sheet.objects.exclude(chantier_ref=None).values_list("pk", "chantier_ref"):
        Sheet.objects.filter(pk=pk).update(chantier=codes[chantier_id])
    for revision in _revisions(apps).iterator():
        if "chantier" in revision.content and not isinstance(revision.content["chantier"], str):
            revision.content["chantier"] = codes.get(revision.content["chantier"], "")
            revision.save(update_fields=["content"])


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0001_initial"),
        ("taxonomy", "0003_chantier"),
        ("wagtailcore", "0098_apitoken"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="experiencesheetpage",
            name="chantier_ref",
            field=models.ForeignKey(
                null=True, blank=True, on_delete=models.PROTECT, related_name="+", to="taxonomy.chantier"
            ),
        ),
        migrations.RunPython(text_to_chantier, chantier_to_text),
        migrations.RemoveField(model_name="experiencesheetpage", name="chantier"),
        migrations.RenameField(model_name="experiencesheetpage", old_name="chantier_ref", new_name="chantier"),
        migrations.AlterField(
            model_name="experiencesheetpage",
            name="chantier",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.PROTECT,
                related_name="sheets",
                to="taxonomy.chantier",
                verbose_name="chantier du programme national",
            ),
        ),
    ]
