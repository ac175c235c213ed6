from django.core.management.base import BaseCommand
from tqdm import tqdm

from network.newsletters.alerts import send_alerts
from network.newsletters.models import AlertFrequency


class Command(BaseCommand):
    help = (
        "Envoie les alertes de recherche dues (quotidiennes, hebdomadaires ou les deux) : seulement les nouveautés, "
        "rien quand il n'y a rien de nouveau ; sans risque si relancée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=AlertFrequency.values, help="Défaut : les deux.")

    def handle(self, *args, frequency=None, **options):
        progress = lambda ids: tqdm(ids, desc="Alertes", unit="alerte", disable=options["verbosity"] < 1)  # noqa: E731
        checked, sent = send_alerts([frequency] if frequency else None, progress=progress)
        self.stdout.write(f"{checked} alerte(s) vérifiée(s), {sent} courriel(s) envoyé(s).")
