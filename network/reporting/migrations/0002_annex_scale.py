"""Seeds the scale of the cadre de référence's financial annex (SPEC §6), the first year's scale."""

from django.db import migrations


def seed_annex(apps, schema_editor):
    from network.reporting.funding import ANNEX_SCALE
    from network.reporting.models import FundingScale as CurrentModel

    FundingScale = apps.get_model("reporting", "FundingScale")
    FundingScale.objects.get_or_create(year=ANNEX_SCALE.year, defaults=CurrentModel.fields_from_scale(ANNEX_SCALE))


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_initial")]
    operations = [migrations.RunPython(seed_annex, migrations.RunPython.noop)]
