from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "resources.publications"
    label = "publications"
    verbose_name = "Publications et dossiers thématiques"

    def ready(self):
        from . import signals  # noqa: F401
