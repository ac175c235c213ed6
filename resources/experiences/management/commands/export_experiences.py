"""Export experience sheets in the `crpv-experience/1` format, as JSON or CSV."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.centres.models import Centre
from resources.experiences.codec import dump_json, export_sheets, sheets_to_csv


class Command(BaseCommand):
    help = "Exporte les fiches d'expériences au format crpv-experience/1 (JSON ou CSV)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--format", choices=["json", "csv"], help="json ou csv (par défaut : l'extension du fichier)"
        )
        parser.add_argument("--centre", metavar="CODE", help="seulement les fiches de ce centre")
        parser.add_argument(
            "--include-drafts",
            action="store_true",
            help="aussi les brouillons : la dernière version de chaque fiche, publiée ou non",
        )
        parser.add_argument(
            "--output", metavar="PATH", default="-", help="fichier à écrire (« - » : la sortie standard)"
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "WAGTAILADMIN_BASE_URL", ""),
            help="adresse du portail, pour rendre absolues les adresses des documents et des liens internes",
        )

    def handle(self, *args, **options):
        output = options["output"]
        file_format = options["format"] or ("csv" if output.lower().endswith(".csv") else "json")
        centre = options["centre"]
        if centre and not Centre.objects.filter(code=centre).exists():
            raise CommandError(f"Centre inconnu « {centre} ».", returncode=2)
        sheets = list(
            export_sheets(centre=centre, include_drafts=options["include_drafts"], base_url=options["base_url"])
        )
        text = sheets_to_csv(sheets) if file_format == "csv" else dump_json(sheets)
        if output == "-":
            self.stdout.write(text, ending="")
        else:
            try:
                # newline="" keeps the CSV's CRLF as written; the BOM is in the text.
                Path(output).write_text(text, encoding="utf-8", newline="")
            except OSError as error:
                raise CommandError(f"Écriture impossible dans « {output} » : {error.strerror}.", returncode=2) from None
        self.stderr.write(f"{len(sheets)} fiche(s) exportée(s) en {file_format.upper()}.")
