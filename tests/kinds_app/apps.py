from django.apps import AppConfig


class KindsAppConfig(AppConfig):
    name = "tests.kinds_app"
    label = "kinds_app"
    verbose_name = "Test content kinds"
