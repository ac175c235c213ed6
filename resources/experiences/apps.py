from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "resources.experiences"
    label = "experiences"
    verbose_name = "Fiches d'expériences"
