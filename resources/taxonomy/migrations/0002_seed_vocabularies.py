from django.db import migrations


def seed(apps, schema_editor):
    from resources.taxonomy.seed import seed_terms

    seed_terms(apps)


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
