import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, create_backup
from portal.core.management.progress import Bars


class Command(BaseCommand):
    help = (
        "Sauvegarde la base PostgreSQL (pg_dump) et les médias dans un dossier daté, avec un manifeste et des "
        "sommes de contrôle (docs/backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=os.environ.get("BACKUP_DIR") or str(Path(settings.BASE_DIR) / "backups"),
            help="dossier où créer la sauvegarde (défaut : $BACKUP_DIR, sinon backups/)",
        )

    def handle(self, *args, output, **options):
        with Bars(disable=options["verbosity"] < 1) as bars:
            try:
                directory = create_backup(output, progress=bars.progress)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Sauvegarde terminée : {directory}"))
