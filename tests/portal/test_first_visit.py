"""What a first visit shows (issue 13, item 2): the demo as visitors see it."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings as django_settings
from django.db import connection

pytestmark = pytest.mark.django_db

DEMO_REQUESTS = """
import json, pathlib, sys
from django.conf import settings
from django.test import Client
media = pathlib.Path(settings.MEDIA_ROOT); media.mkdir(parents=True, exist_ok=True)
(media / "essai.txt").write_text("média servi")
client = Client(HTTP_HOST="127.0.0.1")
out = {"debug": settings.DEBUG}
for url in ("/cette-page-n-existe-pas/", "/static/css/portal.css", "/media/essai.txt"):
    response = client.get(url)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    out[url] = [response.status_code, body.decode()[:4000]]
print(json.dumps(out))
"""


def run_under_demo_settings(tmp_path, **env):
    """The demo settings (portal.settings.dev, what `make run` uses) in a process of their own."""
    db = connection.settings_dict
    env = {
        **{k: v for k, v in os.environ.items() if k != "DEBUG"},
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "MEDIA_ROOT": str(tmp_path),
        "OPENSEARCH_URL": "",
        **env,
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", DEMO_REQUESTS],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_demo_serves_french_404_and_static_files_without_debug(demo_content, tmp_path):
    out = run_under_demo_settings(tmp_path)
    assert out["debug"] is False
    status, html = out["/cette-page-n-existe-pas/"]
    assert status == 404
    assert "Page introuvable" in html and '<html lang="fr">' in html
    assert "URLconf" not in html and "Using the URLconf" not in html  # not Django's debug page
    assert out["/static/css/portal.css"][0] == 200  # WhiteNoise, from the finders
    assert out["/media/essai.txt"] == [200, "média servi"]


def test_debug_switch_brings_the_debug_page_back(demo_content, tmp_path):
    out = run_under_demo_settings(tmp_path, DEBUG="1")
    assert out["debug"] is True
    status, html = out["/cette-page-n-existe-pas/"]
    assert status == 404 and "URLconf" in html


def test_500_page_is_in_the_site_shell(settings):
    from portal.core.views import server_error

    html = server_error(None).content.decode()
    for part in ('<html lang="fr">', 'role="banner"', 'id="contenu"', 'role="contentinfo"', "css/portal.css"):
        assert part in html
    assert 'href="/accessibilite/"' in html and 'href="/mentions-legales/"' in html


# --- Absolute addresses carry the host and port the visitor used ---------------------------------

HOST = "localhost:8123"  # not the Site record's (127.0.0.1:8000): proves the request's host is used


def test_demo_site_record_has_the_make_run_port(demo_content):
    from wagtail.models import Site

    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8000"


def test_sitemap_addresses_use_the_request_host(demo_content, client):
    import re

    xml = client.get("/sitemap.xml", HTTP_HOST=HOST).content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", xml)
    assert len(locations) > 50
    assert all(location.startswith(f"http://{HOST}/") for location in locations), locations[:3]


def test_api_v2_html_url_uses_the_request_host(demo_content, client):
    from resources.experiences.models import ExperienceSheetPage

    sheet = ExperienceSheetPage.objects.live().first()
    data = client.get(f"/api/v2/pages/{sheet.pk}/", HTTP_HOST=HOST).json()
    assert data["meta"]["html_url"] == f"http://{HOST}{sheet.url}"
    listing = client.get("/api/v2/pages/?type=experiences.ExperienceSheetPage", HTTP_HOST=HOST).json()
    assert all(item["meta"]["html_url"].startswith(f"http://{HOST}/") for item in listing["items"])


def test_sheet_source_and_pdf_link_use_the_request_host(demo_content, client):
    import io

    from pypdf import PdfReader

    from resources.experiences.models import ExperienceSheetPage

    sheet = ExperienceSheetPage.objects.live().first()
    address = f"http://{HOST}{sheet.url}"
    html = client.get(sheet.url, HTTP_HOST=HOST).content.decode()
    assert f"Source : {address}" in html
    assert f'<link rel="canonical" href="{address}">' in html
    pdf = client.get(f"{sheet.url}pdf/", HTTP_HOST=HOST)
    assert pdf.status_code == 200
    links = [
        annotation.get_object().get("/A", {}).get("/URI")
        for page in PdfReader(io.BytesIO(pdf.content)).pages
        for annotation in page.get("/Annots", [])
    ]
    assert address in links


def test_library_feed_dates_items_by_their_own_date(demo_content, client):
    from email.utils import parsedate_to_datetime

    from defusedxml import ElementTree as ET
    from django.utils import timezone

    from resources.publications.models import PublicationPage

    by_link = {
        item.findtext("link"): parsedate_to_datetime(item.findtext("pubDate"))
        for item in ET.fromstring(client.get("/bibliotheque/flux.rss").content).iter("item")
    }
    checked = 0
    for publication in PublicationPage.objects.live():
        link = f"http://testserver{publication.url}"
        if link in by_link:
            assert timezone.localdate(by_link[link]) == publication.publication_date, publication.title
            checked += 1
    assert checked >= 2
    # Loaded in one go, the demo content would otherwise all carry the same few seconds.
    assert len({moment.date() for moment in by_link.values()}) > 3


def test_robots_lets_documents_be_indexed_but_not_admin_or_personal_links(client):
    robots = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /documents/" not in robots
    for path in ("/admin/", "/_util/", "/lettres/preferences/", "/lettres/desinscription/", "/*/annulation/"):
        assert f"Disallow: {path}" in robots


# --- French generated sentences ------------------------------------------------------------------


def test_centre_introductions_use_the_territory_article(demo_content, client):
    from django.utils.html import escape

    from portal.centres.models import CentrePage

    intros = {page.centre.code: page.intro for page in CentrePage.objects.select_related("centre")}
    assert intros["crpv-guyane"] == "Le CRPV Guyane est le centre de ressources politique de la ville pour la Guyane."
    assert intros["cr-csur"].startswith("Le CR-CSUR est") and intros["cr-csur"].endswith("pour La Réunion.")
    assert intros["crpv-paris"].startswith("Le Centre de ressources de Paris est")
    assert intros["irev"] == ("L'IREV est le centre de ressources politique de la ville pour les Hauts-de-France.")
    html = client.get(CentrePage.objects.get(centre__code="cr-csur").url).content.decode()
    assert (
        "en La Réunion" not in html
        and escape("à La Réunion")
        in client.get(CentrePage.objects.get(centre__code="cr-csur").url + "capitaliser-et-diffuser/").content.decode()
    )


def test_demo_sheets_contract_prepositions_before_place_names(demo_content):
    import re

    from resources.experiences.models import ExperienceSheetPage

    bare = re.compile(r"\b(?:à|[dD]e) (?:Le|Les) [A-ZÀ-Ý]|\b[dD]e [AEIOUYÉÈÎ][a-zé]")
    checked = 0
    for sheet in ExperienceSheetPage.objects.all():
        for value in (sheet.title, sheet.summary, sheet.porteur_name, sheet.description, sheet.results):
            assert not bare.search(value or ""), (sheet.title, bare.search(value).group(0))
        checked += 1
    assert checked >= 50
    assert ExperienceSheetPage.objects.filter(summary__contains="au Port").exists() or (
        ExperienceSheetPage.objects.filter(communes__name="Le Port").exists()
    )


def test_empty_listings_say_aucun_and_regions_toutes(demo_content, client):
    library = client.get("/bibliotheque/?year=1901").content.decode()
    assert "Aucune ressource</h2>" in library and "0 ressource" not in library
    assert '<select id="filtre-region" name="region">\n          <option value="">Toutes</option>' in library
    assert '<select id="filtre-centre" name="centre">\n          <option value="">Tous</option>' in library
    search = client.get("/recherche/?q=zzzqqqxxyy").content.decode()
    assert "Aucun résultat</h2>" in search and "0 résultat" not in search
    agenda = client.get("/agenda/?month=1901-01&view=month").content.decode()
    assert "0 événement" not in agenda


# --- Admin: French log-in, no outside services ----------------------------------------------------


def test_admin_login_form_is_french(client):
    import re

    html = client.get("/admin/login/").content.decode()
    labels = re.findall(r'<label[^>]*for="id_password"[^>]*>\s*([^<]+?)\s*<', html)
    assert labels == ["Mot de passe"], labels
    assert ">Password<" not in html


def test_admin_calls_no_gravatar_nor_release_check(demo_content, client):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    for url in ("/admin/", "/admin/account/", "/admin/users/"):
        html = client.get(url).content.decode()
        assert "gravatar.com" not in html, url
    dashboard = client.get("/admin/").content.decode()
    assert 'data-controller="w-upgrade' not in dashboard


# --- Footer: accessibility statement and legal notice on every page -------------------------------


def test_every_page_links_the_accessibility_statement_and_legal_notice(demo_content, client):
    from wagtail.models import Page

    urls = ["/", "/bibliotheque/", "/recherche/?q=emploi", "/agenda/", "/lettres/", "/centres/", "/nulle-part/"]
    urls += [page.url for page in Page.objects.live().public().filter(depth__gte=3).specific()[:60]]
    for url in urls:
        html = client.get(url).content.decode()
        footer = html[html.index('role="contentinfo"') :]
        assert '<a href="/accessibilite/">Accessibilité : partiellement conforme</a>' in footer, url
        assert '<a href="/mentions-legales/">Mentions légales et données personnelles</a>' in footer, url
        assert footer.count('href="/accessibilite/"') == 1, url  # not twice with the editable links


def test_accessibility_statement_and_legal_notice_say_what_they_must(demo_content, client):
    statement = client.get("/accessibilite/")
    assert statement.status_code == 200
    html = statement.content.decode()
    for part in (
        "partiellement conforme",
        "RGAA",
        "État de conformité",
        "Contenus non accessibles",
        "Retour d'information et contact",
        "Voies de recours",
        "Défenseur des droits",
    ):
        assert part.replace("'", "&#x27;") in html or part in html, part
    notice = client.get("/mentions-legales/").content.decode()
    for part in (
        "Inscription à un événement",
        "supprimées 12 mois après",
        "Lettres d",
        "consentement",
        "désinscrire en un clic",
        "CNIL",
    ):
        assert part in notice, part


# --- Search API pagination links -----------------------------------------------------------------


def test_search_api_links_next_and_previous_like_the_experiences_api(demo_content, client):
    first = client.get("/api/v1/search/", {"sort": "date"}).json()
    assert first["count"] > 40 and first["page"] == 1 and first["page_size"] == 20
    assert first["previous"] is None
    assert first["next"] == "http://testserver/api/v1/search/?sort=date&page=2"
    second = client.get(first["next"]).json()
    assert second["previous"] == "http://testserver/api/v1/search/?sort=date&page=1"
    seen, url = [], first["next"]
    seen += [result["url"] for result in first["results"]]
    while url:  # a client following `next` gets every result once
        body = client.get(url).json()
        seen += [result["url"] for result in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == first["count"]
    assert body["previous"] and body["next"] is None
    # Beyond the last page: no next, and previous leads back to the last page.
    beyond = client.get("/api/v1/search/", {"sort": "date", "page": 99}).json()
    assert beyond["next"] is None and beyond["previous"].endswith(f"page={body['page']}")
