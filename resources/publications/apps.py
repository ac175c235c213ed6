from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "resources.publications"
    label = "publications"
    verbose_name = "Publications et dossiers thématiques"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)

    def ready(self):
        from . import signals  # noqa: F401
