from django.core.management.base import BaseCommand

from network.events.jobs import send_documents


class Command(BaseCommand):
    help = (
        "Envoie, une seule fois, les documents « après » (diaporamas, actes) aux participants des activités terminées."
    )

    def handle(self, *args, **options):
        sent = send_documents()
        self.stdout.write(f"{sent} envoi(s) de documents mis en file d'envoi.")
