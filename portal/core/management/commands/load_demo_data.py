"""Fill the portal with demo content. Idempotent: run it as often as you like.

Each installed app may provide a `demo` module with a `load(command)` function;
they run in INSTALLED_APPS order, so content packages build on the foundation
without the foundation importing them.
"""

from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction


class Command(BaseCommand):
    help = "Charge le contenu de démonstration (centres, pages, comptes) ; peut être relancée sans risque."

    def handle(self, *args, **options):
        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "Contenu de démonstration refusé avec ces réglages (production) : il remet le compte « admin » "
                "à un mot de passe publié. / Demo content refused under these settings (production): it resets "
                "the 'admin' account to a published password. DEMO_DATA_ALLOWED=true only on a throwaway site."
            )
        self.verbosity = options["verbosity"]
        for app in apps.get_app_configs():
            module_name = f"{app.name}.demo"
            if find_spec(module_name) is None:
                continue
            with transaction.atomic():
                import_module(module_name).load(self)
        self.stdout.write(self.style.SUCCESS("Contenu de démonstration chargé."))

    def say(self, message):
        if self.verbosity >= 1:
            self.stdout.write(message)
