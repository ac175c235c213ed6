import os
import re
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
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

    settings.ADMINS, settings.ERROR_REPORTING = [], False
    response = server_error(None)
    assert response.status_code == 500
    html = response.content.decode()
    assert "Le service rencontre une erreur" in html
    assert "prévenue" not in html  # nobody is told: no promise
    assert "signalez-la à l'équipe du portail" in html


@pytest.mark.parametrize(
    "admins, reporting", [([("Équipe technique", "tech@example.org")], False), ([], True)], ids=["admins", "reporting"]
)
def test_500_page_says_the_team_was_told_only_when_it_is(settings, admins, reporting):
    from portal.core.views import server_error

    settings.ADMINS, settings.ERROR_REPORTING = admins, reporting
    html = server_error(None).content.decode()
    assert "L'équipe technique a été prévenue" in html


def test_500_handler_never_raises(settings, tmp_path):
    from portal.core.views import server_error

    (tmp_path / "500.html").write_text("{% load tag_library_that_does_not_exist %}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    response = server_error(None)
    assert response.status_code == 500
    assert "Erreur du serveur" in response.content.decode()


def test_robots_and_sitemap(demo_content, client):
    robots = client.get("/robots.txt").content.decode()
    assert "Disallow: /admin/" in robots and "Sitemap: http://testserver/sitemap.xml" in robots
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "/centres/labo-cites/" in sitemap and "/centres/cr-csur/" in sitemap


def test_demo_loader_refuses_when_demo_data_is_not_allowed(db, settings):
    from django.contrib.auth import get_user_model
    from django.core.management.base import CommandError

    admin = get_user_model().objects.get(username="admin")
    admin.set_password("mot-de-passe-de-production")
    admin.save()
    settings.DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="Contenu de démonstration refusé avec ces réglages"):
        call_command("load_demo_data", verbosity=0)
    admin.refresh_from_db()
    assert admin.check_password("mot-de-passe-de-production")


def test_demo_loader_refuses_under_production_settings():
    """The real production settings module, in a process of its own (it needs its environment)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "test-only-secret",
        "ALLOWED_HOSTS": "portail.example.org",
        "DEMO_DATA_ALLOWED": "true",  # the environment cannot switch it on in production
        "DATABASE_URL": "postgres://nobody@127.0.0.1:9/unreachable",  # were it not refused, it writes nowhere
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "load_demo_data"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "Demo content refused under these settings (production)" in result.stderr


def test_demo_loader_is_idempotent(demo_content):
    from wagtail.models import Collection, Page

    counts = (Page.objects.count(), Collection.objects.count(), Centre.objects.count())
    call_command("load_demo_data", verbosity=0)
    assert (Page.objects.count(), Collection.objects.count(), Centre.objects.count()) == counts


def test_admin_login_with_demo_credentials(demo_content):
    client = Client()
    response = client.post("/admin/login/", {"username": "admin", "password": "demo-crpv-2026"}, follow=True)
    assert response.status_code == 200
    assert response.wsgi_request.user.is_superuser
