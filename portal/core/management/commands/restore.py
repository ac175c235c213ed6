from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from portal.core.backup import BackupError, restore_backup
from portal.core.management.progress import Bars


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde (dossier créé par `backup`) dans une base vide, recopie les médias puis "
        "reconstruit l'index de recherche (docs/backup.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("backup_dir", help="dossier de la sauvegarde (crpv-AAAAMMJJ-HHMMSS)")
        parser.add_argument("--force", action="store_true", help="remplace le contenu d'une base qui n'est pas vide")
        parser.add_argument(
            "--no-index", action="store_true", help="ne reconstruit pas l'index de recherche (à faire ensuite)"
        )

    def handle(self, *args, backup_dir, force, no_index, **options):
        with Bars(disable=options["verbosity"] < 1) as bars:
            try:
                manifest = restore_backup(backup_dir, force=force, progress=bars.progress)
            except BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde du {manifest['created_at']} restaurée ({manifest['media_files']} fichiers de médias)."
            )
        )
        if no_index:
            self.stdout.write("Index de recherche non reconstruit : lancez « search_index rebuild --target all ».")
            return
        # The engine's index is not in the backup: rebuild it, and the database fallback, from the rows.
        target = "all" if settings.OPENSEARCH_URL else "database"
        call_command("search_index", "rebuild", target=target, verbosity=options["verbosity"], stdout=self.stdout)
