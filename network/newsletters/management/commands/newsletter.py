"""`python manage.py newsletter …`: a thin dispatcher; each subcommand's logic lives in a module of its own."""

from django.core.management.base import BaseCommand

from network.newsletters import commands_send


class Command(BaseCommand):
    help = "Lettres d'information : envoi, état des envois, liste des lettres."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True)
        commands_send.add_arguments(subcommands)

    def handle(self, *args, **options):
        return options["run"](options, self.stdout)
