from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "network.events"
    label = "events"
    verbose_name = "Événements et formations"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)

    def ready(self):
        from . import signals  # noqa: F401 — registers the receivers
