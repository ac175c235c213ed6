"""`python manage.py indicators export --year N [--centre CODE] --format json|csv [--output FILE]`.

One object per centre with the computed figures of network/reporting/indicators.py (keys in
docs/indicators.md). CSV flattens nested figures with dotted column names
(`registrations.elu`, `commitments.formalised_production.state`).
"""

import csv
import io
import json

from django.core.management.base import BaseCommand, CommandError

from network.reporting.indicators import flatten
from network.reporting.reports import indicators_with_reports
from portal.centres.models import Centre


def to_csv(rows):
    flat = [flatten(row) for row in rows]
    header = list(dict.fromkeys(key for row in flat for key in row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, delimiter=";", lineterminator="\n")
    writer.writeheader()
    writer.writerows(flat)
    return "\ufeff" + out.getvalue()


class Command(BaseCommand):
    help = "Exporte les indicateurs annuels calculés des centres (JSON ou CSV)."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        export = subcommands.add_parser("export", help="indicateurs d'une année")
        export.add_argument("--year", type=int, required=True)
        export.add_argument("--centre", help="code d'un centre (par défaut : tous)")
        export.add_argument("--format", choices=["json", "csv"], default="json")
        export.add_argument("--output", help="fichier de sortie (par défaut : sortie standard)")

    def handle(self, *args, **options):
        year = options["year"]
        if not 2000 <= year <= 2200:
            raise CommandError(f"Année invalide : {year}.", returncode=2)
        centres = Centre.objects.order_by("code")
        if options["centre"]:
            centres = centres.filter(code=options["centre"])
            if not centres:
                raise CommandError(f"Centre inconnu : « {options['centre']} ».", returncode=2)
        rows = indicators_with_reports(year, list(centres))
        text = to_csv(rows) if options["format"] == "csv" else json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            with open(options["output"], "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
            self.stderr.write(f"{len(rows)} centres exportés dans {options['output']}.")
        else:
            self.stdout.write(text, ending="")
