from django.conf import settings
from django.core.management.base import BaseCommand

from network.events.jobs import erase_registrations


class Command(BaseCommand):
    help = "Efface les inscrits des activités terminées depuis plus de N mois ; garde les effectifs anonymes."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=None, help="Défaut : REGISTRATION_ERASURE_MONTHS.")

    def handle(self, *args, months=None, **options):
        months = settings.REGISTRATION_ERASURE_MONTHS if months is None else months
        erased = erase_registrations(months)
        self.stdout.write(f"{erased} inscription(s) effacée(s).")
