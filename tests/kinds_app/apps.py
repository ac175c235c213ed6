from django.apps import AppConfig


class KindsAppConfig(AppConfig):
    """A test-only content kind: it plugs into search, the library and dossiers by declaring itself."""

    name = "tests.kinds_app"
    label = "kinds_app"
    default_auto_field = "django.db.models.BigAutoField"
