from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "resources.taxonomy"
    label = "taxonomy"
    verbose_name = "Taxonomie"
