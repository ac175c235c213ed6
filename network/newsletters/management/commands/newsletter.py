"""`python manage.py newsletter <subcommand>`: one command for the newsletters' operations.

Each subcommand is a pair in SUBCOMMANDS: a function adding its arguments to its subparser and a
handler `(command, options)`. Adding one is adding a pair (docs/newsletters.md lists them). The
sending engine's `send`, `status` and `list` are declared by `network.newsletters.commands_send`.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from network.newsletters import commands_send
from network.newsletters.csvfiles import ImportRejected, import_file, write_export
from network.newsletters.models import MailingList


def mailing_list_for(slug, username=None):
    """The list named by its slug; with a user, only one of the lists they may manage."""
    mailing_list = MailingList.objects.select_related("centre").filter(slug=slug).first()
    if mailing_list is None:
        raise CommandError(f"Liste « {slug} » introuvable.")
    if username is not None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Utilisateur « {username} » introuvable.")
        if not MailingList.objects.for_user(user).filter(pk=mailing_list.pk).exists():
            owner = mailing_list.centre.name if mailing_list.centre else "l'équipe nationale"
            raise CommandError(
                f"« {username} » ne peut pas gérer la liste « {slug} » : elle appartient à {owner}, pas à son centre."
            )
    return mailing_list


def add_user_argument(parser):
    parser.add_argument(
        "--user", help="Agir au nom de cet utilisateur : seules les listes de son centre sont permises."
    )


def import_arguments(parser):
    parser.add_argument("list_slug", metavar="LIST_SLUG")
    parser.add_argument("file", metavar="FILE.csv", type=Path)
    parser.add_argument(
        "--confirmed-column",
        metavar="NAME",
        help="Colonne attestant le consentement (oui/non) : « oui » inscrit directement, sans confirmation.",
    )
    add_user_argument(parser)


def handle_import(command, options):
    mailing_list = mailing_list_for(options["list_slug"], options["user"])
    path = options["file"]
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CommandError(f"Fichier illisible : {path} ({error.strerror}).") from error
    try:
        report = import_file(
            mailing_list,
            raw,
            path.name,
            options["confirmed_column"],
            progress=lambda rows: tqdm(rows, desc="Import", unit="adresse", disable=options["verbosity"] < 1),
        )
    except ImportRejected as rejected:
        for error in rejected.errors:
            command.stderr.write(error)
        raise CommandError(
            f"Rien n'a été importé : {len(rejected.errors)} erreur(s) à corriger dans {path.name}."
        ) from None
    command.stdout.write(
        f"« {mailing_list.title} » : {report.created} en attente de confirmation (demande envoyée), "
        f"{report.confirmed} inscrite(s) avec consentement, {report.unchanged} déjà présente(s) inchangée(s)."
    )


def export_arguments(parser):
    parser.add_argument("list_slug", metavar="LIST_SLUG")
    parser.add_argument("--output", required=True, type=Path, metavar="FILE.csv")
    add_user_argument(parser)


def handle_export(command, options):
    mailing_list = mailing_list_for(options["list_slug"], options["user"])
    try:
        with options["output"].open("w", encoding="utf-8-sig", newline="") as stream:
            count = write_export(mailing_list, stream)
    except OSError as error:
        raise CommandError(f"Impossible d'écrire {options['output']} ({error.strerror}).") from error
    command.stdout.write(f"{count} abonnement(s) de « {mailing_list.title} » écrit(s) dans {options['output']}.")


# subcommand → (help, add its arguments, handler)
SUBCOMMANDS = {
    "import": ("Importer des abonnés d'un fichier CSV dans une liste.", import_arguments, handle_import),
    "export": ("Exporter les abonnés d'une liste en CSV.", export_arguments, handle_export),
}


class Command(BaseCommand):
    help = (
        "Lettres d'information : import et export des abonnés (docs/newsletters.md), envoi, état des envois "
        "et liste des lettres (docs/newsletter-sending.md)."
    )

    def add_arguments(self, parser):
        subparsers = parser.add_subparsers(dest="subcommand", required=True, metavar="SOUS-COMMANDE")
        for name, (help_text, add_arguments, _handler) in SUBCOMMANDS.items():
            add_arguments(subparsers.add_parser(name, help=help_text, description=help_text))
        commands_send.add_arguments(subparsers)  # send, status, list: the sending engine's own module

    def handle(self, *args, **options):
        if "run" in options:
            return options["run"](options, self.stdout)
        SUBCOMMANDS[options["subcommand"]][2](self, options)
