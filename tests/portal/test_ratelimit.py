"""Per-IP rate limits on search, suggest, the open-data exports and sheet PDFs (a 429 with Retry-After)."""

import pytest

from resources.experiences import demo
from resources.experiences.models import ExperienceSheetPage

pytestmark = pytest.mark.django_db


@pytest.fixture
def sheet_pdf_url(portal_tree):
    return ExperienceSheetPage.objects.get(uuid=demo.sheet_uuid("labo-cites", "coding")).url + "pdf/"


def limited_urls(sheet_pdf_url):
    return [
        ("search", "/recherche/?q=jardins", False),
        ("search", "/recherche/flux.rss?q=jardins", False),
        ("search", "/api/v1/search/?q=jardins", True),
        ("suggest", "/api/v1/search/suggest/?q=ja", True),
        ("export", "/api/v1/experiences/export.json", True),
        ("export", "/api/v1/experiences/export.csv", True),
        ("pdf", sheet_pdf_url, False),
    ]


def test_every_expensive_endpoint_answers_429_over_its_limit(client, settings, sheet_pdf_url):
    for n, (scope, url, is_api) in enumerate(limited_urls(sheet_pdf_url)):
        settings.RATELIMITS = {**settings.RATELIMITS, scope: "2/m"}
        address = f"192.0.2.{n + 1}"
        statuses = [client.get(url, REMOTE_ADDR=address).status_code for _ in range(2)]
        assert statuses == [200, 200], url
        response = client.get(url, REMOTE_ADDR=address)
        assert response.status_code == 429, url
        assert 1 <= int(response["Retry-After"]) <= 60
        if is_api:
            assert response.json()["detail"].startswith("Trop de requêtes depuis votre adresse")
        else:  # an HTML page, for the RSS feed too: a feed reader shows it as an error
            assert "text/html" in response["Content-Type"]
            assert "Trop de requêtes depuis votre adresse" in response.content.decode()
        # Another client is counted apart; raise the limit back for the next scope.
        assert client.get(url, REMOTE_ADDR=f"198.51.100.{n + 1}").status_code == 200, url
        settings.RATELIMITS = {**settings.RATELIMITS, scope: "10000/m"}


def test_forwarded_for_counts_only_behind_a_trusted_proxy(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "suggest": "1/m"}
    url = "/api/v1/search/suggest/?q=ja"
    # No trusted proxy: a forged X-Forwarded-For does not give a new allowance.
    assert client.get(url, REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.1").status_code == 200
    assert client.get(url, REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR="203.0.113.2").status_code == 429
    # One trusted proxy: the address it appended is the client.
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    assert client.get(url, HTTP_X_FORWARDED_FOR="forged, 203.0.113.3", **proxy).status_code == 200
    assert client.get(url, HTTP_X_FORWARDED_FOR="other, 203.0.113.3", **proxy).status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="203.0.113.4", **proxy).status_code == 200


def test_only_ratelimit_enabled_false_switches_limits_off(client, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "suggest": "1/m"}
    settings.DEBUG = True  # not a switch
    url = "/api/v1/search/suggest/?q=ja"
    assert [client.get(url, REMOTE_ADDR="192.0.2.60").status_code for _ in range(2)] == [200, 429]
    settings.RATELIMIT_ENABLED = False
    assert client.get(url, REMOTE_ADDR="192.0.2.60").status_code == 200


def test_ratelimit_enabled_comes_from_the_environment(monkeypatch):
    import importlib

    import portal.settings.base as base

    monkeypatch.setenv("RATELIMIT_ENABLED", "false")
    assert importlib.reload(base).RATELIMIT_ENABLED is False
    monkeypatch.delenv("RATELIMIT_ENABLED")
    assert importlib.reload(base).RATELIMIT_ENABLED is True
