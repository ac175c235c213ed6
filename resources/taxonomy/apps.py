from django.apps import AppConfig


class TaxonomyConfig(AppConfig):
    name = "resources.taxonomy"
    label = "taxonomy"
    verbose_name = "Taxonomie"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)
