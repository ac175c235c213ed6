"""`python manage.py funding simulate --input centres.json [--output out.json] [--scale YEAR]` (SPEC §6).

The contract is the SPEC's, used by the national team and by automated checks: bad input is one
French message per problem on stderr and exit status 2; nothing is written then.
"""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from network.reporting.funding import ANNEX_SCALE, simulate
from network.reporting.funding_input import FundingInputError, parse_simulation_input
from network.reporting.models import FundingScale


class Command(BaseCommand):
    help = "Calcule le financement de l'État des centres selon l'annexe financière (SPEC §6)."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        simulate_parser = subcommands.add_parser("simulate", help="simulation à partir d'un fichier JSON")
        simulate_parser.add_argument("--input", required=True, help="fichier JSON des centres (ou - : entrée standard)")
        simulate_parser.add_argument("--output", help="fichier JSON du résultat (par défaut : sortie standard)")
        simulate_parser.add_argument("--scale", type=int, help="année du barème (défaut : celui de l'année du fichier)")

    def handle(self, *args, **options):
        data = self.read_input(options["input"])
        try:
            year, centres = parse_simulation_input(data)
        except FundingInputError as error:
            raise CommandError(str(error), returncode=2) from error
        scale = self.scale_for(options["scale"] or year, explicit=options["scale"] is not None)
        output = json.dumps(simulate(centres, scale).as_dict(year), ensure_ascii=False, indent=2) + "\n"
        if options["output"]:
            try:
                with open(options["output"], "w", encoding="utf-8") as handle:
                    handle.write(output)
            except OSError as error:
                message = f"Impossible d'écrire « {options['output']} » : {error.strerror}."
                raise CommandError(message, returncode=2) from None
        else:
            self.stdout.write(output, ending="")

    def read_input(self, path):
        try:
            if path == "-":
                return json.load(sys.stdin)
            with open(path, encoding="utf-8-sig") as handle:
                return json.load(handle)
        except FileNotFoundError:
            raise CommandError(f"Fichier introuvable : « {path} ».", returncode=2) from None
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Impossible de lire « {path} » : {error}.", returncode=2) from None
        except json.JSONDecodeError as error:
            message = f"« {path} » n'est pas un JSON valide (ligne {error.lineno}, colonne {error.colno})."
            raise CommandError(message, returncode=2) from None

    def scale_for(self, year, explicit):
        if explicit:
            row = FundingScale.objects.filter(year=year).first()
            if row is None:
                known = ", ".join(str(y) for y in FundingScale.objects.values_list("year", flat=True)) or "aucun"
                raise CommandError(f"Pas de barème pour l'année {year} (barèmes connus : {known}).", returncode=2)
            return row.to_scale()
        row = FundingScale.objects.for_year(year)
        # Before the first recorded scale, the annex is the only rule there is.
        return row.to_scale() if row else ANNEX_SCALE
