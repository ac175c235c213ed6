"""The library page, reachable from the main menu."""

from portal.core.models import HomePage

from .models import LibraryPage


def load(command):
    if LibraryPage.objects.exists():
        return
    home = HomePage.objects.first()
    home.add_child(
        instance=LibraryPage(
            title="Bibliothèque",
            slug="bibliotheque",
            show_in_menus=True,
            intro="Fiches d'expériences et publications des centres de ressources, à filtrer par territoire, "
            "thème, public ou pilier du contrat de ville.",
        )
    )
    command.say("Bibliothèque prête.")
