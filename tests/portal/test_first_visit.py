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
