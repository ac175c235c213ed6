from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "network.reporting"
    label = "reporting"
    verbose_name = "Activité, indicateurs et financement"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)
