"""Seed data for the vocabularies; used by the data migration and safe to re-run."""

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"
TERM_MODELS = ["pillar", "transversalaxis", "theme", "public", "resourcetype"]


def _registry(apps):
    from django.apps import apps as global_apps

    return apps or global_apps


def seed(apps=None):
    """Every vocabulary: terms, territories and the national chantiers."""
    seed_terms(apps)
    seed_chantiers(apps)


def seed_terms(apps=None):
    """Create missing terms and territories; never overwrite labels edited since."""
    registry = _registry(apps)
    terms = json.loads((DATA / "terms.json").read_text(encoding="utf-8"))
    for model_name in TERM_MODELS:
        model = registry.get_model("taxonomy", model_name)
        for order, (slug, label) in enumerate(terms[model_name]):
            model.objects.get_or_create(slug=slug, defaults={"label": label, "sort_order": order})
    territories = json.loads((DATA / "territories.json").read_text(encoding="utf-8"))
    region_model = registry.get_model("taxonomy", "Region")
    departement_model = registry.get_model("taxonomy", "Departement")
    regions = {}
    for code, name in territories["regions"]:
        regions[code], _ = region_model.objects.get_or_create(code=code, defaults={"name": name})
    for code, name, region_code in territories["departements"]:
        departement_model.objects.get_or_create(code=code, defaults={"name": name, "region": regions[region_code]})


def seed_chantiers(apps=None):
    """Create the national programme's missing chantiers; never overwrite titles edited since."""
    model = _registry(apps).get_model("taxonomy", "Chantier")
    for code, title, year in json.loads((DATA / "chantiers.json").read_text(encoding="utf-8")):
        model.objects.get_or_create(code=code, defaults={"title": title, "year": year})
