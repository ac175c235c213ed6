from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "portal.accounts"
    label = "accounts"
    verbose_name = "Comptes et rôles"
    content_app = True  # the national team holds every permission on its models (portal.accounts.roles)
