"""Demo content for centres: every reference centre, its section and a few pages."""

from portal.core.models import StandardPage
from portal.core.places import at, for_, of, subject

from .models import CentrePage
from .services import sync_centres

MISSIONS = [
    (
        "animer-les-reseaux",
        "Animer les réseaux d'acteurs",
        "Rencontres, points d'actualité et séances pour les élus : le centre réunit les professionnels {of}.",
    ),
    (
        "qualifier-les-acteurs",
        "Qualifier les acteurs",
        "Cycles de qualification et sessions de formation pour les équipes des contrats de ville {of}.",
    ),
    (
        "capitaliser-et-diffuser",
        "Capitaliser et diffuser",
        "Fiches d'expériences, publications et lettres d'information issues du terrain, {at}.",
    ),
]


def load(command):
    centres = sync_centres()
    for centre in centres:
        page = CentrePage.objects.get(centre=centre)
        if not page.intro:
            role = "est le centre de ressources politique de la ville"
            page.intro = f"{subject(centre.name)} {role} {for_(centre.territory)}."
            page.save_revision().publish()
        places = {"of": of(centre.territory), "at": at(centre.territory)}
        for slug, title, text in MISSIONS:
            if not StandardPage.objects.child_of(page).filter(slug=slug).exists():
                page.add_child(
                    instance=StandardPage(
                        title=title,
                        slug=slug,
                        intro=text.format(**places),
                        body=[("paragraph", f"<p>{text.format(**places)}</p>")],
                    )
                )
    command.say(f"{len(centres)} centres et leurs rubriques prêts.")
