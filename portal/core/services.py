"""Site-shell helpers shared by commands, the demo loader and tests."""

from django.db import transaction
from wagtail.models import Page, Site

from .models import HomePage


@transaction.atomic
def ensure_home_page():
    """The site's home page, replacing Wagtail's placeholder root child on a fresh install."""
    home = HomePage.objects.first()
    if home:
        return home
    root = Page.get_first_root_node()
    home = root.add_child(
        instance=HomePage(
            title="Accueil",
            slug="accueil",
            intro="Les centres de ressources politique de la ville partagent ici ce qui marche dans les quartiers.",
        )
    )
    site = Site.objects.filter(is_default_site=True).first()
    placeholder = site.root_page if site else None
    if site:
        site.root_page = home
        site.site_name = "Portail CRPV"
        site.save()
    else:
        Site.objects.create(
            hostname="localhost", port=80, root_page=home, is_default_site=True, site_name="Portail CRPV"
        )
    # Wagtail's migration creates a bare "Welcome" page; drop it once nothing points to it.
    if placeholder and placeholder.specific_class is Page and placeholder.depth == 2:
        placeholder.delete()
    return home
