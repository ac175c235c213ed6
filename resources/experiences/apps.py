from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "resources.experiences"
    label = "experiences"
    verbose_name = "Fiches d'expériences"

    def ready(self):
        from . import signals  # noqa: F401
