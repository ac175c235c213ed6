"""Saved-search alerts: double opt-in through the same mail, then only the newly published items that
match the search, through the public search service — on the real OpenSearch node and on the
database fallback — and nothing when nothing is new, once per period."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import Page

from network.newsletters import alerts
from network.newsletters.models import SavedSearchAlert, Subscriber
from portal.centres.models import Centre
from tests.resources.sheets import make_sheet
from tests.search.conftest import closed_breaker, rebuild, search_engine  # noqa: F401 — fixtures

from .newsletter_helpers import link_in, path_of
from .smtp_loopback import text_of

pytestmark = pytest.mark.django_db


def test_alert_link_on_search_library_and_agenda_keeps_the_search(client, demo_content):
    for url, source in (
        ("/recherche/?q=jardins&theme=alimentation&page=2", "recherche"),
        ("/bibliotheque/?theme=sante", "bibliotheque"),
        ("/agenda/?centre=irev", "agenda"),
    ):
        page = client.get(url).content.decode()
        link = re.search(r'href="(/lettres/alerte/[^"]+)">Recevoir les nouveautés par e-mail', page).group(1)
        assert f"source={source}" in link and "page=" not in link


def test_alert_form_stores_the_search_and_confirms_by_the_mailed_link(
    client,
    demo_content,
    smtp_inbox,
    django_capture_on_commit_callbacks,
):
    form = client.get("/lettres/alerte/?source=recherche&q=jardins+partag%C3%A9s&theme=alimentation&sort=date")
    assert "jardins partagés — Thème : Alimentation" in form.content.decode()
    bad = client.get("/lettres/alerte/?source=recherche&theme=nimporte")
    assert bad.status_code == 400 and "Valeur inconnue pour le filtre thème" in bad.content.decode()

    data = {"source": "recherche", "query": "q=jardins+partag%C3%A9s&theme=alimentation", "frequency": "daily"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/lettres/alerte/", {**data, "email": "ines@example.org", "consent": "on"})
    assert "Vérifiez votre messagerie" in response.content.decode()
    alert = SavedSearchAlert.objects.get(subscriber__email_key="ines@example.org")
    assert (alert.status, alert.frequency, alert.query) == (
        "pending",
        "daily",
        "q=jardins+partag%C3%A9s&theme=alimentation",
    )
    [message] = smtp_inbox.messages
    assert "les nouveautés de la recherche « jardins partagés — Thème : Alimentation » (chaque jour)" in text_of(
        message
    )
    client.get(link_in(message, "/lettres/confirmation/"))
    alert.refresh_from_db()
    assert alert.status == "confirmed" and alert.last_checked_at is not None


def test_agenda_alert_widens_event_types_to_events():
    from django.http import QueryDict

    query, errors = alerts.normalize_query(QueryDict("type=rencontre-reseau&centre=irev&month=2026-03"), "agenda")
    assert errors == [] and "month" not in query
    assert query == "type=evenement&type=cycle-qualification&centre=irev"


@pytest.fixture(params=["database", "engine"])
def backend(request, settings, demo_content):
    settings.ALERT_INDEX_DELAY_MINUTES = 0
    if request.param == "engine":
        request.getfixturevalue("search_engine")
    else:
        settings.OPENSEARCH_URL = ""
    return request.param


def index(backend, sheets):
    if backend == "engine":
        rebuild()
    else:
        from search.indexing import sync_pages

        sync_pages([sheet.pk for sheet in sheets])


def test_only_new_matching_items_are_mailed_once(backend, smtp_inbox):
    irev, oriv = Centre.objects.get(code="irev"), Centre.objects.get(code="oriv")
    person = Subscriber.objects.create(email="veille@example.org")
    start = timezone.now()
    alert = SavedSearchAlert.objects.create(
        subscriber=person,
        source="recherche",
        query="q=jardins&theme=alimentation",
        frequency="daily",
        status="confirmed",
        last_checked_at=start,
    )
    old = make_sheet(irev, "Ancienne fiche : jardins familiaux", themes=["alimentation"])
    Page.objects.filter(pk=old.pk).update(first_published_at=start - datetime.timedelta(days=3))
    new = make_sheet(oriv, "Zorbaline : jardins partagés en pied d'immeuble", themes=["alimentation"])
    off_theme = make_sheet(irev, "Quastrelle : jardins et santé mentale", themes=["sante"])
    off_words = make_sheet(irev, "Brivonde : cuisine collective du quartier", themes=["alimentation"])
    index(backend, [old, new, off_theme, off_words])

    later = start + datetime.timedelta(days=1, minutes=5)
    assert alerts.send_alerts(["daily"], now=later) == (1, 1)
    [message] = smtp_inbox.messages
    text = text_of(message)
    assert "Zorbaline" in text
    assert "Ancienne fiche" not in text and "Quastrelle" not in text and "Brivonde" not in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    one_click = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
    alert.refresh_from_db()
    assert alert.last_sent_at == later and alert.last_checked_at == later

    assert alerts.send_alerts(["daily"], now=later) == (0, 0)  # re-run: not due, nothing sent
    assert alerts.send_alerts(["daily"], now=later + datetime.timedelta(days=1)) == (1, 0)  # nothing new
    assert len(smtp_inbox.messages) == 1

    from django.test import Client

    assert Client(enforce_csrf_checks=True).post(path_of(one_click)).status_code == 200
    alert.refresh_from_db()
    assert alert.status == "unsubscribed"


def test_command_and_fallback_when_the_engine_is_down(settings, demo_content, smtp_inbox):
    settings.ALERT_INDEX_DELAY_MINUTES = 0
    settings.OPENSEARCH_URL = ""
    person = Subscriber.objects.create(email="repli@example.org")
    start = timezone.now() - datetime.timedelta(days=2)
    SavedSearchAlert.objects.create(
        subscriber=person,
        source="bibliotheque",
        query="q=plumetine",
        frequency="weekly",
        status="confirmed",
        last_checked_at=start,
    )
    Subscriber.objects.create(email="pas-confirme@example.org").alerts.create(
        source="bibliotheque", query="q=plumetine", frequency="weekly", status="pending", last_checked_at=start
    )
    sheet = make_sheet(Centre.objects.get(code="labo-cites"), "Plumetine : un tiers-lieu au cœur du quartier")
    from search.indexing import sync_pages

    sync_pages([sheet.pk])
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"  # nothing listens: the service answers from the database
    call_command("send_alerts", "--frequency", "daily", verbosity=0)
    assert smtp_inbox.messages == []
    SavedSearchAlert.objects.filter(subscriber=person).update(last_checked_at=start - datetime.timedelta(days=6))
    call_command("send_alerts", "--frequency", "weekly", verbosity=0)
    [message] = smtp_inbox.messages
    assert message["To"] == "repli@example.org"
    assert "Plumetine" in text_of(message)
