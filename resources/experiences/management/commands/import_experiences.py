"""Import experience sheets from a `crpv-experience/1` file (.json or .csv): create or update, all or nothing."""

import sys

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from resources.experiences.codec import SheetImportError, import_sheets, load_file

MAX_ERRORS_SHOWN = 200
PROGRESS_FROM = 50  # below this many sheets a progress bar is noise


class Command(BaseCommand):
    help = (
        "Importe des fiches d'expériences (format crpv-experience/1, .json ou .csv) : crée ou met à jour "
        "chaque fiche selon son id, sous la rubrique de son centre. Un fichier avec une erreur n'importe rien, "
        "sauf avec --skip-invalid."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="fichier .json ou .csv")
        parser.add_argument("--publish", action="store_true", help="publier les fiches créées ou modifiées")
        parser.add_argument(
            "--skip-invalid", action="store_true", help="importer les fiches valides, ignorer et signaler les autres"
        )
        parser.add_argument("--dry-run", action="store_true", help="tout vérifier sans rien enregistrer")
        parser.add_argument("--user", metavar="IDENTIFIANT", help="compte auquel attribuer les révisions")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
            help="adresse du portail, pour reconnaître ses propres documents dans le fichier",
        )

    def handle(self, *args, **options):
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Compte inconnu « {options['user']} ».", returncode=2)
        try:
            items = load_file(options["path"])
        except SheetImportError as error:
            self._print_errors(error.errors)
            raise CommandError("Fichier refusé : rien n'a été importé.", returncode=2) from None

        bar = tqdm(
            total=len(items),
            file=sys.stderr,
            unit="fiche",
            desc="Import",
            disable=len(items) < PROGRESS_FROM or options["verbosity"] == 0,
        )
        try:
            report = import_sheets(
                items,
                publish=options["publish"],
                user=user,
                source=str(options["path"]).rsplit("/", 1)[-1],
                skip_invalid=options["skip_invalid"],
                dry_run=options["dry_run"],
                base_url=options["base_url"],
                progress=bar.update,
            )
        except SheetImportError as error:
            bar.close()
            self._print_errors(error.errors)
            raise CommandError(
                f"Fichier refusé : {len(error.errors)} erreur(s), rien n'a été importé "
                "(--skip-invalid importe les fiches valides).",
                returncode=2,
            ) from None
        bar.close()

        if report.errors:
            self._print_errors(report.errors)
            self.stderr.write(f"Fiches ignorées : {', '.join(report.skipped)}.")
        summary = report.summary()
        if report.dry_run:
            summary += " (simulation : rien n'a été enregistré)"
        self.stdout.write(summary)

    def _print_errors(self, errors):
        for error in errors[:MAX_ERRORS_SHOWN]:
            self.stderr.write(str(error))
        if len(errors) > MAX_ERRORS_SHOWN:
            self.stderr.write(f"… et {len(errors) - MAX_ERRORS_SHOWN} autres erreurs.")
