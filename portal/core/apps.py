from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "portal.core"
    label = "core"
    verbose_name = "Socle du site"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)
