from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "resources.library"
    label = "library"
    verbose_name = "Bibliothèque"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)
