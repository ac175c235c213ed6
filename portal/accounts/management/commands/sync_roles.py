from django.core.management.base import BaseCommand
from tqdm import tqdm

from portal.accounts.roles import sync_roles
from portal.centres.models import Centre
from portal.centres.services import reference_centres, sync_centres


class Command(BaseCommand):
    help = "Crée les centres de référence, leurs rubriques, leurs collections et les groupes de droits (idempotent)."

    def handle(self, *args, **options):
        with tqdm(total=len(reference_centres()), desc="Centres", disable=options["verbosity"] < 1) as bar:
            sync_centres(progress=bar.update)
        with tqdm(total=Centre.objects.count(), desc="Rôles", disable=options["verbosity"] < 1) as bar:
            sync_roles(progress=bar.update)
        self.stdout.write(self.style.SUCCESS(f"{Centre.objects.count()} centres et leurs groupes sont à jour."))
