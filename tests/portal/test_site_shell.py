import re

import pytest
from django.test import Client
from django.utils.html import escape

from portal.centres.models import Centre, CentrePage

pytestmark = pytest.mark.django_db


def test_home_page_is_french_and_accessible(demo_content, client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in html
    assert 'class="skip-link" href="#contenu"' in html
    for landmark in ('role="banner"', 'id="contenu"', 'role="contentinfo"', 'aria-label="Menu principal"'):
        assert landmark in html
    # Every asset is served by the project itself: no external stylesheet or script.
    assert not re.search(r'<(link|script)[^>]+(href|src)="https?://', html)


def test_every_reference_centre_has_a_live_page(demo_content, client):
    assert Centre.objects.count() == 18
    for page in CentrePage.objects.live():
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.centre.name) in response.content.decode()
    assert CentrePage.objects.live().count() == 18


def test_centres_index_splits_overseas(demo_content, client):
    html = client.get("/centres/").content.decode()
    overseas = html.split("Outre-mer", 1)[1]
    assert "CR-CSUR" in overseas and "Labo Cités" not in overseas


def test_french_404(demo_content, client):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_french_500_page_renders_without_context(settings):
    from portal.core.views import server_error

    response = server_error(None)
    assert response.status_code == 500
    assert "Le service rencontre une erreur" in response.content.decode()


def test_robots_and_sitemap(demo_content, client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/centres/labo-cites/" in sitemap and "/centres/cr-csur/" in sitemap


def test_demo_loader_is_idempotent(demo_content):
    from django.core.management import call_command
    from wagtail.models import Collection, Page

    counts = (Page.objects.count(), Collection.objects.count(), Centre.objects.count())
    call_command("load_demo_data", verbosity=0)
    assert (Page.objects.count(), Collection.objects.count(), Centre.objects.count()) == counts


def test_admin_login_with_demo_credentials(demo_content):
    client = Client()
    response = client.post("/admin/login/", {"username": "admin", "password": "demo-crpv-2026"}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user.is_superuser
