from django.apps import AppConfig


class CentresConfig(AppConfig):
    name = "portal.centres"
    label = "centres"
    verbose_name = "Centres de ressources"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)

    def ready(self):
        from . import signals  # noqa: F401
