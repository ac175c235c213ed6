"""Page lifecycle → outbox → index: every change reaches search, and the web never waits on the engine."""

import pytest

from portal.centres.models import CentrePage
from resources.taxonomy.models import Theme
from search.models import IndexQueue, SearchEntry, SearchFacetValue
from search.queue import drain
from tests.resources.sheets import make_sheet

pytestmark = pytest.mark.django_db


def facet_values(page, facet):
    return set(SearchFacetValue.objects.filter(entry_id=page.pk, facet=facet).values_list("value", flat=True))


def test_publish_enqueues_then_the_task_indexes(portal_tree, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        sheet = make_sheet(portal_tree["irev"], "Publication indexée", themes=["sante"])
    assert IndexQueue.objects.filter(page_id=sheet.pk).exists()  # recorded with the change
    assert callbacks, "the drain task is scheduled after commit"
    for callback in callbacks:
        callback()  # what happens at commit: the (immediate) task runs
    entry = SearchEntry.objects.get(page_id=sheet.pk)
    assert entry.centre == "irev" and facet_values(sheet, "theme") == {"sante"}
    assert not IndexQueue.objects.exists()


def test_move_to_another_centre_updates_the_entry(portal_tree):
    sheet = make_sheet(portal_tree["irev"], "Fiche déplacée")
    drain()
    sheet.move(CentrePage.objects.get(centre=portal_tree["oriv"]), pos="last-child")
    drain()
    entry = SearchEntry.objects.get(page_id=sheet.pk)
    assert entry.centre == "oriv" and "/centres/oriv/" in entry.url


def test_delete_removes_the_entry(portal_tree):
    sheet = make_sheet(portal_tree["irev"], "Fiche supprimée")
    drain()
    assert SearchEntry.objects.filter(page_id=sheet.pk).exists()
    page_id = sheet.pk
    sheet.delete()
    drain()
    assert not SearchEntry.objects.filter(page_id=page_id).exists()


def test_taxonomy_slug_rename_reindexes_the_pages_using_it(portal_tree):
    sheet = make_sheet(portal_tree["irev"], "Fiche au thème renommé", themes=["numerique"])
    drain()
    theme = Theme.objects.get(slug="numerique")
    theme.slug = "inclusion-numerique"
    theme.save()
    drain()
    assert facet_values(sheet, "theme") == {"inclusion-numerique"}


def test_publishing_while_the_engine_is_down_never_fails_the_request(
    portal_tree, settings, django_capture_on_commit_callbacks
):
    settings.OPENSEARCH_URL = "http://127.0.0.1:9"  # nothing listens there: connection refused
    with django_capture_on_commit_callbacks(execute=True):
        sheet = make_sheet(portal_tree["irev"], "Publiée moteur arrêté")
    row = IndexQueue.objects.get(page_id=sheet.pk)
    assert row.attempts == 1 and row.next_attempt_at is not None and "Connection" in row.last_error
    # The database side was written anyway: the fallback can answer.
    assert SearchEntry.objects.filter(page_id=sheet.pk).exists()


def test_database_rebuild_rewrites_every_entry_and_drops_orphans(portal_tree, settings):
    from django.core.management import call_command

    from search import lifecycle

    settings.OPENSEARCH_URL = ""
    sheet = make_sheet(portal_tree["irev"], "Fiche sans entrée", themes=["sante"])
    SearchEntry.objects.filter(page_id=sheet.pk).delete()
    SearchEntry.objects.create(page_id=987654321, kind="sheet", type="x", title="Orpheline", url="/x/")
    assert lifecycle.check()[0].total >= 2
    call_command("search_index", "rebuild", verbosity=0)  # no engine: the database entries
    assert lifecycle.check()[0].total == 0
    assert facet_values(sheet, "theme") == {"sante"}
    assert not SearchEntry.objects.filter(page_id=987654321).exists()


@pytest.mark.parametrize(
    "markup, text",
    [
        ("<p>Accès</p><p>aux droits</p>", "Accès aux droits"),
        ("<p>l&#x27;école &amp; le quartier</p>", "l'école & le quartier"),
        ("Effectif : 3 < 5 et 7 > 2", "Effectif : 3 < 5 et 7 > 2"),
        ('<a href="/x" title="a>b">lien</a><!-- note --><br/>fin', "lien fin"),
        ("<script>alert(1)</script>texte", "texte"),
        ("", ""),
        (None, ""),
    ],
)
def test_plain_text_of_rich_text(markup, text):
    from search.indexing import plain_text

    assert " ".join(plain_text(markup).split()) == text


def test_text_extracted_after_publication_reaches_search(portal_tree, settings, tmp_path):
    from resources.publications.services import extract_document_text
    from tests.resources.test_publications import make_document, make_publication, weasyprint_pdf

    settings.MEDIA_ROOT = str(tmp_path)
    centre = portal_tree["labo-cites"]
    # The upload's extraction task has not run yet (no commit in a test): the page is published first.
    document = make_document(centre.collection, weasyprint_pdf("Le Vrombuldor des habitantes de Vaulx-en-Velin."))
    publication = make_publication(centre, "Rapport publié avant l'extraction", documents=[document])
    drain()
    assert "Vrombuldor" not in SearchEntry.objects.get(page_id=publication.pk).body
    extract_document_text(document)  # what the worker does later
    assert IndexQueue.objects.filter(page_id=publication.pk).exists()
    drain()
    assert "Vrombuldor" in SearchEntry.objects.get(page_id=publication.pk).body
