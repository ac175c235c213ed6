from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Recherche"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)

    def ready(self):
        from portal.core.search_seam import provide_search_service

        from . import signals
        from .service import get_service

        signals.connect_page_deletions()
        provide_search_service(get_service)
