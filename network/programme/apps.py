from django.apps import AppConfig


class ProgrammeConfig(AppConfig):
    name = "network.programme"
    label = "programme"
    verbose_name = "Programme national"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)
