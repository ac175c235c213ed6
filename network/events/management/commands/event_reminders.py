from django.conf import settings
from django.core.management.base import BaseCommand

from network.events.jobs import send_reminders


class Command(BaseCommand):
    help = "Envoie le rappel aux inscrits confirmés des activités qui commencent dans N jours (une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="Défaut : EVENT_REMINDER_DAYS.")

    def handle(self, *args, days=None, **options):
        days = settings.EVENT_REMINDER_DAYS if days is None else days
        sent = send_reminders(days)
        self.stdout.write(f"{sent} rappel(s) mis en file d'envoi.")
