"""Admin report « Extraction des documents »: each centre sees its own documents and can queue a failed one again."""

import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from resources.publications.models import DocumentText
from resources.publications.services import extract_document_text

from .test_publications import make_document, make_user, weasyprint_pdf

pytestmark = pytest.mark.django_db
URL = reverse("publications_extraction")


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def documents(portal_tree):
    a, b = portal_tree["irev"], portal_tree["oriv"]
    good = make_document(a.collection, weasyprint_pdf("Un rapport lisible."), name="bon.pdf", title="Rapport lisible")
    broken = make_document(a.collection, b"%PDF-1.7\nabime\n", name="abime.pdf", title="Rapport abîmé")
    pending = make_document(a.collection, weasyprint_pdf("Pas encore lu."), name="attente.pdf", title="Pas encore lu")
    other = make_document(b.collection, b"%PDF-1.7\nautre\n", name="autre.pdf", title="Document du centre voisin")
    for document in (good, broken, other):
        extract_document_text(document)
    return {"a": a, "b": b, "good": good, "broken": broken, "pending": pending, "other": other}


def state_counts(page):
    return {label: int(n) for label, n in re.findall(r"(En erreur|En attente|Texte extrait) \((\d+)\)", page)}


def test_editors_see_their_centre_documents_with_their_state(client, portal_tree, request):
    client.force_login(make_user("editrice-irev", portal_tree["irev"].editors_group))
    before = state_counts(client.get(URL).content.decode())  # the demo's documents of the centre
    request.getfixturevalue("documents")
    page = client.get(URL).content.decode()
    assert "Rapport lisible" in page and "Rapport abîmé" in page and "Pas encore lu" in page
    assert "Document du centre voisin" not in page
    after = state_counts(page)
    assert {label: after[label] - before[label] for label in after} == {
        "En erreur": 1,
        "En attente": 1,
        "Texte extrait": 1,
    }
    errors = client.get(URL, {"etat": "erreur"}).content.decode()
    assert "Rapport abîmé" in errors and "PDF illisible" in errors and "Rapport lisible" not in errors


def test_the_national_team_sees_every_centre(client, documents):
    client.force_login(make_user("national", Group.objects.get(name="Équipe nationale (ANCT)")))
    page = client.get(URL, {"etat": "erreur"}).content.decode()
    assert "Rapport abîmé" in page and "Document du centre voisin" in page


def test_retry_rereads_the_file(client, documents, django_capture_on_commit_callbacks):
    client.force_login(make_user("editrice-irev", documents["a"].editors_group))
    pending = documents["pending"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"document": pending.pk, "etat": "attente"})
    assert response.status_code == 302 and response["Location"].endswith("?etat=attente")
    record = DocumentText.objects.get(document=pending)
    assert "Pas encore lu" in record.text and record.error == ""
    # A failed file that was fixed in storage is read again although its record exists.
    broken = documents["broken"]
    with broken.file.open("wb") as handle:
        handle.write(weasyprint_pdf("Réparé depuis."))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"document": broken.pk})
    assert "Réparé depuis" in DocumentText.objects.get(document=broken).text


def test_no_retry_on_another_centre_document_nor_access_without_rights(
    client, documents, django_capture_on_commit_callbacks
):
    client.force_login(make_user("editrice-irev", documents["a"].editors_group))
    other = documents["other"]
    # Wagtail's admin answers a PermissionDenied with a redirect to the dashboard and a message.
    with django_capture_on_commit_callbacks() as queued:
        denied = client.post(URL, {"document": other.pk})
    assert denied.status_code == 302 and denied["Location"] == "/admin/"
    assert not queued  # no extraction task
    assert client.post(URL, {"document": 999999}).status_code == 404
    assert client.post(URL, {"document": "abc"}).status_code == 404
    client.force_login(make_user("sans-droits"))
    assert client.get(URL).status_code == 302
