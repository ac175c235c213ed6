"""Writing to the real node: no index is ever created implicitly, `ensure` creates the real one,
and `drain` keeps and retries what the engine refuses without one document blocking the others."""

import logging
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from resources.experiences.models import ExperienceSheetPage
from search.models import IndexQueue, SearchEntry
from search.queue import MAX_ATTEMPTS, drain
from tests.resources.sheets import make_sheet

pytestmark = pytest.mark.django_db


def alias_exists(engine):
    return engine.get_client().indices.exists(index=engine.alias_name())


def make_due():
    IndexQueue.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def indexed(engine, page):
    client = engine.get_client()
    client.indices.refresh(index=engine.alias_name())
    return client.exists(index=engine.alias_name(), id=f"page-{page.pk}")


def test_without_an_index_publishing_keeps_the_outbox_and_search_answers_from_the_database(
    search_engine, portal_tree, client
):
    sheet = make_sheet(portal_tree["irev"], "Vorpalude sans index")
    drain()
    assert not alias_exists(search_engine), "no index may be created implicitly (with a generic mapping)"
    row = IndexQueue.objects.get(page_id=sheet.pk)
    assert row.attempts == 1 and row.next_attempt_at > timezone.now() and "ensure" in row.last_error
    assert SearchEntry.objects.filter(page_id=sheet.pk).exists()
    body = client.get("/api/v1/search/", {"q": "Vorpalude"}).json()
    assert [item["title"] for item in body["results"]] == [sheet.title]


def test_ensure_creates_the_real_index_once(search_engine, portal_tree):
    sheet = make_sheet(portal_tree["irev"], "Vorpalude indexée par ensure")
    client, alias = search_engine.get_client(), search_engine.alias_name()
    call_command("search_index", "ensure", verbosity=0)
    indices = list(client.indices.get_alias(name=alias))
    assert len(indices) == 1 and indices[0] != alias  # a versioned index behind the alias
    mapping = client.indices.get_mapping(index=alias)[indices[0]]["mappings"]["properties"]
    assert mapping["title"]["fields"]["suggest"]["type"] == "search_as_you_type"
    assert mapping["centre"]["type"] == "keyword"
    assert indexed(search_engine, sheet)
    call_command("search_index", "ensure", verbosity=0)  # idempotent: the same index stays
    assert list(client.indices.get_alias(name=alias)) == indices
    make_due()
    drain()
    assert not IndexQueue.objects.filter(page_id=sheet.pk).exists()


@pytest.fixture
def ensured(search_engine, portal_tree):
    call_command("search_index", "ensure", verbosity=0)
    return search_engine


def test_a_refused_document_does_not_block_the_others_and_is_given_up_after_n_attempts(
    ensured, portal_tree, monkeypatch, caplog, client, django_user_model
):
    poisoned = make_sheet(portal_tree["irev"], "Fiche empoisonnée")
    healthy = make_sheet(portal_tree["irev"], "Fiche saine")
    # The mapping refuses fields it does not know; the poisoned page's document carries one.
    ensured.get_client().indices.put_mapping(index=ensured.alias_name(), body={"dynamic": "strict"})
    original = ExperienceSheetPage.search_document

    def search_document(page):
        doc = original(page)
        return {**doc, "inconnu": "x"} if page.pk == poisoned.pk else doc

    monkeypatch.setattr(ExperienceSheetPage, "search_document", search_document)

    synced, failed = drain()
    assert (synced, failed) == (1, 1)
    assert indexed(ensured, healthy) and not indexed(ensured, poisoned)
    row = IndexQueue.objects.get(page_id=poisoned.pk)
    assert not IndexQueue.objects.filter(page_id=healthy.pk).exists()
    assert row.attempts == 1 and row.next_attempt_at > timezone.now() and "strict_dynamic_mapping" in row.last_error
    assert drain() == (0, 0)  # not due yet: backed off

    with caplog.at_level(logging.ERROR, logger="search.queue"):
        for _attempt in range(MAX_ATTEMPTS - 1):
            make_due()
            drain()
    row.refresh_from_db()
    assert row.attempts == MAX_ATTEMPTS and row.given_up_at is not None
    assert any("given up" in record.getMessage() for record in caplog.records)
    make_due()
    assert drain() == (0, 0)  # given up: no longer retried

    admin = django_user_model.objects.create_superuser("admin-outbox", "a@example.org", "x")
    client.force_login(admin)
    assert "abandonnée" in client.get("/admin/recherche/etat/").content.decode()

    make_sheet(portal_tree["irev"], "Autre fiche")  # a new change of the page gives it another chance
    poisoned.save_revision().publish()
    row.refresh_from_db()
    assert row.attempts == 0 and row.given_up_at is None


def test_a_read_only_index_keeps_the_batch_until_it_accepts_writes_again(ensured, portal_tree):
    client, alias = ensured.get_client(), ensured.alias_name()
    sheet = make_sheet(portal_tree["irev"], "Fiche en attente d'écriture")
    client.indices.put_settings(index=alias, body={"index": {"blocks": {"write": True}}})
    try:
        for _attempt in range(MAX_ATTEMPTS + 1):
            make_due()
            assert drain() == (0, 1)
        row = IndexQueue.objects.get(page_id=sheet.pk)
        assert row.given_up_at is None, "the index refuses every write: an outage, never given up"
        assert "cluster_block_exception" in row.last_error
    finally:
        client.indices.put_settings(index=alias, body={"index": {"blocks": {"write": False}}})
    make_due()
    assert drain() == (1, 0)
    assert indexed(ensured, sheet)
