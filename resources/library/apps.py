from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "resources.library"
    label = "library"
    verbose_name = "Bibliothèque"
