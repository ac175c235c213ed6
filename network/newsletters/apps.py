from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "network.newsletters"
    label = "newsletters"
    verbose_name = "Lettres d'information et alertes"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)

    def ready(self):
        from . import webhooks  # noqa: F401 — connects the provider tracking receiver
