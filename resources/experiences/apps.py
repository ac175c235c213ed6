from django.apps import AppConfig


class ExperiencesConfig(AppConfig):
    name = "resources.experiences"
    label = "experiences"
    verbose_name = "Fiches d'expériences"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)
