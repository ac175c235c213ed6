"""Demo content for the site shell: home page, institutional pages, site settings."""

from urllib.parse import urlsplit

from django.conf import settings as django_settings
from wagtail.models import Site

from .models import SiteSettings, StandardPage
from .services import ensure_home_page

PAGES = [
    (
        "a-propos",
        "À propos du portail",
        "Le portail commun des centres de ressources politique de la ville.",
        "Les centres de ressources politique de la ville (CRPV) accompagnent les professionnels des quartiers "
        "prioritaires : ils animent des réseaux d'acteurs, qualifient les professionnels et capitalisent les "
        "expériences qui marchent. Ce portail rassemble leur production et la rend accessible à tous.",
    ),
    (
        "accessibilite",
        "Accessibilité",
        "Déclaration d'accessibilité du portail.",
        "Ce portail vise la conformité au référentiel général d'amélioration de l'accessibilité (RGAA 4.1). "
        "Signalez-nous toute difficulté d'accès : nous vous répondrons et proposerons une alternative.",
    ),
    (
        "mentions-legales",
        "Mentions légales et données personnelles",
        "Éditeur, hébergement, données personnelles.",
        "Les données personnelles (inscriptions, abonnements) sont limitées au nécessaire, recueillies avec "
        "votre consentement, exportables et effacées à votre demande.",
    ),
]


def answer_at_demo_address(site):
    """The demo site's record says where the demo answers (WAGTAILADMIN_BASE_URL, http://127.0.0.1:8000
    under `make run`): addresses built without a request (mails, feeds of commands) carry the port."""
    address = urlsplit(django_settings.WAGTAILADMIN_BASE_URL)
    hostname, port = address.hostname, address.port or (443 if address.scheme == "https" else 80)
    if (site.hostname, site.port) != (hostname, port):
        site.hostname, site.port = hostname, port
        site.save(update_fields=["hostname", "port"])


def load(command):
    home = ensure_home_page()
    for slug, title, intro, text in PAGES:
        if not StandardPage.objects.child_of(home).filter(slug=slug).exists():
            home.add_child(
                instance=StandardPage(
                    title=title,
                    slug=slug,
                    intro=intro,
                    show_in_menus=slug == "a-propos",
                    body=[("paragraph", f"<p>{text}</p>")],
                )
            )
    site = Site.objects.get(is_default_site=True)
    answer_at_demo_address(site)
    settings = SiteSettings.for_site(site)
    if not settings.footer_text:
        settings.tagline = "Ce qui marche dans les quartiers, partagé par les centres de ressources"
        settings.footer_text = "Réseau national des centres de ressources politique de la ville."
        settings.contact_email = "contact@crpv.localhost"
        settings.save()
        for order, slug in enumerate(["a-propos", "accessibilite", "mentions-legales"]):
            page = StandardPage.objects.child_of(home).get(slug=slug)
            settings.footer_links.create(label=page.title, page=page, sort_order=order)
    command.say("Accueil et pages institutionnelles prêts.")
