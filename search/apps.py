from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Recherche"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)

    def ready(self):
        from . import signals

        signals.connect_page_deletions()
