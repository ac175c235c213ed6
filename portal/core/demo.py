"""Demo content for the site shell: home page, institutional pages, site settings."""

from urllib.parse import urlsplit

from django.conf import settings as django_settings
from wagtail.models import Site

from . import legal_pages
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
        "Déclaration d'accessibilité",
        "Accessibilité : partiellement conforme au RGAA 4.1.",
        legal_pages.ACCESSIBILITY,
    ),
    (
        "mentions-legales",
        "Mentions légales et données personnelles",
        "Éditeur, hébergement, données personnelles et vos droits.",
        legal_pages.LEGAL_NOTICE,
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


# Intros of the institutional pages as earlier demos wrote them (a one-line stub before the real text).
FORMER_INTROS = {"Déclaration d'accessibilité du portail.", "Éditeur, hébergement, données personnelles."}


def load(command):
    home = ensure_home_page()
    for slug, title, intro, text in PAGES:
        body = legal_pages.body(text) if isinstance(text, list) else [("paragraph", f"<p>{text}</p>")]
        page = StandardPage.objects.child_of(home).filter(slug=slug).first()
        if page is None:
            home.add_child(
                instance=StandardPage(title=title, slug=slug, intro=intro, show_in_menus=slug == "a-propos", body=body)
            )
        elif page.intro in FORMER_INTROS:  # an earlier demo text, never edited: bring it up to date
            page.title, page.intro, page.body = title, intro, body
            page.save_revision().publish()
    site = Site.objects.get(is_default_site=True)
    answer_at_demo_address(site)
    settings = SiteSettings.for_site(site)
    if not settings.footer_text:
        settings.tagline = "Ce qui marche dans les quartiers, partagé par les centres de ressources"
        settings.footer_text = "Réseau national des centres de ressources politique de la ville."
        settings.contact_email = "contact@crpv.localhost"
        settings.save()
        # The accessibility statement and the legal notice are linked by every page's footer itself.
        about = StandardPage.objects.child_of(home).get(slug="a-propos")
        settings.footer_links.create(label=about.title, page=about, sort_order=0)
    command.say("Accueil et pages institutionnelles prêts.")
