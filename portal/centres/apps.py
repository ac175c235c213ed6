from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "portal.centres"
    label = "centres"
    verbose_name = "Centres de ressources"

    def ready(self):
        from . import signals  # noqa: F401
