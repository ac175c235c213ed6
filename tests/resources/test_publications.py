"""Publications, document text extraction, thematic dossiers and who may publish them."""

import datetime
import io
import json
import uuid

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils.html import escape
from django_tasks import default_task_backend
from pypdf import PdfWriter
from wagtail.documents import get_document_model
from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield
from weasyprint import HTML

from portal.centres.models import CentrePage
from portal.core.models import HomePage, StandardPage
from resources.experiences.models import ExperienceSheetPage
from resources.publications import demo
from resources.publications.models import (
    DocumentText,
    DossierItem,
    DossierPage,
    PublicationDocument,
    PublicationPage,
    human_size,
)
from resources.publications.pdf import text_pdf
from resources.publications.services import extract_document_text
from resources.publications.tasks import extract_document_text_task
from resources.taxonomy.models import ResourceType, Theme

pytestmark = pytest.mark.django_db

Document = get_document_model()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files made by these tests go to a throwaway directory."""
    settings.MEDIA_ROOT = str(tmp_path / "media")


def extraction_tasks(backend):
    """The extraction tasks queued (Wagtail queues its own index updates on the same backend)."""
    return [result for result in backend.results if result.task.func is extract_document_text_task.func]


@pytest.fixture
def dummy_tasks(settings):
    """A queue that records instead of running (django-tasks resets its backends on this setting)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def weasyprint_pdf(sentence):
    html = f"<h1>Rapport d'activité</h1><p>{sentence}</p><p>Deuxième paragraphe, sans importance.</p>"
    return HTML(string=html).write_pdf()


def make_document(collection, data, name="fichier.pdf", title="Document de test"):
    document = Document(title=title, collection=collection)
    document.file.save(name, ContentFile(data), save=False)
    document.save()
    return document


@pytest.fixture
def theme():
    """A theme of its own, so the demo content never shows up among a dossier's items."""
    return Theme.objects.create(slug=f"theme-{uuid.uuid4().hex[:8]}", label="Thème de test")


def make_publication(centre, title, *, live=True, themes=(), documents=(), type_slug="etude", **fields):
    section = CentrePage.objects.get(centre=centre)
    page = PublicationPage(
        title=title,
        slug=f"test-{uuid.uuid4().hex[:10]}",
        resource_type=ResourceType.objects.get(slug=type_slug),
        summary=f"Résumé de {title}.",
        **fields,
    )
    section.add_child(instance=page)
    page.themes.set(Theme.objects.filter(slug__in=themes))
    for document in documents:
        page.documents.add(PublicationDocument(document=document))
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.save()  # children and M2M saved; the page stays a draft
        PublicationPage.objects.filter(pk=page.pk).update(live=False)
    page.refresh_from_db()
    return page


def make_sheet(centre, title, *, themes=(), **fields):
    section = CentrePage.objects.get(centre=centre)
    sheet = ExperienceSheetPage(title=title, slug=f"test-{uuid.uuid4().hex[:10]}", summary="Résumé.", **fields)
    section.add_child(instance=sheet)
    sheet.themes.set(Theme.objects.filter(slug__in=themes))
    sheet.save_revision().publish()
    return sheet


def make_user(username, *groups):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    user.groups.add(*groups)
    return user


# --- Text extraction ---------------------------------------------------------------------------------------


def test_extracts_the_text_of_a_real_pdf(portal_tree, django_capture_on_commit_callbacks):
    sentence = "Les ateliers sociolinguistiques de Vaulx-en-Velin favorisent l’autonomie des habitantes."
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(portal_tree["labo-cites"].collection, weasyprint_pdf(sentence))
    record = DocumentText.objects.get(document=document)
    assert "ateliers sociolinguistiques de Vaulx-en-Velin" in " ".join(record.text.split())
    assert "l’autonomie des habitantes" in " ".join(record.text.split())
    assert record.error == ""
    document.refresh_from_db()
    assert record.file_hash == document.file_hash != ""
    assert record.extracted_at is not None


def test_text_files_are_read_and_other_types_have_no_text(portal_tree):
    collection = portal_tree["irev"].collection
    text_doc = make_document(collection, "Compte rendu : réunion du réseau.".encode(), name="cr.txt")
    sheet_doc = make_document(collection, b"PK\x03\x04 not really a spreadsheet", name="budget.xlsx")
    assert extract_document_text(text_doc).text == "Compte rendu : réunion du réseau."
    other = extract_document_text(sheet_doc)
    assert (other.text, other.error) == ("", "")


def test_extraction_is_skipped_while_the_file_is_unchanged(portal_tree):
    collection = portal_tree["labo-cites"].collection
    document = make_document(collection, text_pdf([("paragraph", "Première version du guide.")]))
    first = extract_document_text(document)
    assert "Première version" in first.text
    DocumentText.objects.filter(pk=first.pk).update(text="texte déjà indexé")

    again = extract_document_text(document)  # same file hash: nothing is read
    assert again.text == "texte déjà indexé"
    assert again.extracted_at == first.extracted_at

    # A new file (new hash) is read again.
    document.file.save("v2.pdf", ContentFile(text_pdf([("paragraph", "Seconde version du guide.")])), save=False)
    document.file_hash = ""
    document.save()
    assert "Seconde version" in extract_document_text(document).text

    # --all in the backfill command forces a re-read.
    DocumentText.objects.filter(document=document).update(text="périmé")
    call_command("extract_document_texts", "--all", verbosity=0)
    assert "Seconde version" in DocumentText.objects.get(document=document).text


def test_corrupt_or_encrypted_pdf_records_an_error_without_raising(portal_tree, django_capture_on_commit_callbacks):
    collection = portal_tree["irev"].collection
    with django_capture_on_commit_callbacks(execute=True):
        corrupt = make_document(collection, b"%PDF-1.7\nceci n'est pas un PDF\n", name="abime.pdf")
    record = DocumentText.objects.get(document=corrupt)
    assert record.text == ""
    assert record.error.startswith("PDF illisible")

    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    encrypted = make_document(collection, buffer.getvalue(), name="protege.pdf")
    result = extract_document_text_task.call(encrypted.pk)  # what a worker runs
    assert "mot de passe" in result["error"]
    assert "mot de passe" in DocumentText.objects.get(document=encrypted).error


def pages_pdf(texts):
    """One page per text (pages from `text_pdf`, put together)."""
    from pypdf import PdfReader

    writer = PdfWriter()
    for text in texts:
        writer.add_page(PdfReader(io.BytesIO(text_pdf([("paragraph", text)]))).pages[0])
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_extraction_keeps_the_first_pages_and_characters_only(portal_tree, settings):
    settings.DOCUMENT_TEXT_MAX_PAGES = 2
    document = make_document(portal_tree["irev"].collection, pages_pdf([f"Feuillet numéro {n}." for n in range(1, 6)]))
    record = extract_document_text(document, force=True)
    assert "Feuillet numéro 2." in record.text and "Feuillet numéro 3." not in record.text
    assert record.error == ""

    settings.DOCUMENT_TEXT_MAX_PAGES, settings.DOCUMENT_TEXT_MAX_CHARS = 500, 12
    assert extract_document_text(document, force=True).text == "Feuillet num"


def test_too_large_file_is_not_read_and_says_why(portal_tree, settings):
    data = pages_pdf(["Un rapport de plusieurs feuillets."] * 3)
    settings.DOCUMENT_TEXT_MAX_FILE_SIZE = len(data) - 1
    document = make_document(portal_tree["irev"].collection, data, name="gros.pdf")
    record = extract_document_text(document, force=True)
    assert record.text == ""
    assert record.error.startswith("Fichier trop volumineux pour en extraire le texte :")


def test_a_pdf_too_long_to_read_is_stopped_at_the_time_limit(portal_tree, settings):
    import time

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(text_pdf([("paragraph", "Texte répété. " * 60)] * 30))).pages[0]
    writer = PdfWriter()
    for _ in range(4000):
        writer.add_page(page)
    buffer = io.BytesIO()
    writer.write(buffer)
    settings.DOCUMENT_TEXT_MAX_PAGES, settings.DOCUMENT_TEXT_TIMEOUT = 10_000, 1
    document = make_document(portal_tree["irev"].collection, buffer.getvalue(), name="interminable.pdf")
    started = time.monotonic()
    record = extract_document_text(document, force=True)
    assert time.monotonic() - started < 10
    assert record.text == ""
    assert record.error == "Lecture du PDF interrompue après 1 secondes : texte non extrait."


def test_backfill_command_reads_only_what_is_missing_or_changed(portal_tree):
    collection = portal_tree["oriv"].collection
    done = make_document(collection, text_pdf([("paragraph", "Déjà extrait.")]), name="fait.pdf")
    extract_document_text(done)
    DocumentText.objects.filter(document=done).update(text="conservé")
    missing = make_document(collection, text_pdf([("paragraph", "Jamais extrait.")]), name="nouveau.pdf")
    DocumentText.objects.filter(document=missing).delete()

    call_command("extract_document_texts", verbosity=0)
    assert DocumentText.objects.get(document=done).text == "conservé"
    assert "Jamais extrait." in DocumentText.objects.get(document=missing).text


def test_upload_enqueues_the_task_with_the_document_pk(portal_tree, dummy_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        document = make_document(portal_tree["labo-cites"].collection, text_pdf([("paragraph", "Note.")]))
    queued = extraction_tasks(dummy_tasks)
    assert len(queued) == 1
    result = queued[0]
    assert result.args == [document.pk] and type(result.args[0]) is int
    assert not DocumentText.objects.filter(document=document).exists()  # queued, not run

    # Once extracted, renaming the document queues nothing: the file did not change.
    extract_document_text_task.call(document.pk)
    document.refresh_from_db()
    dummy_tasks.clear()
    with django_capture_on_commit_callbacks(execute=True):
        document.title = "Note renommée"
        document.save()
    assert extraction_tasks(dummy_tasks) == []


def test_upload_through_the_admin_extracts_the_text(portal_tree, client, django_capture_on_commit_callbacks):
    centre = portal_tree["labo-cites"]
    client.force_login(make_user("editrice", centre.editors_group))
    pdf = text_pdf([("title", "Synthèse"), ("paragraph", "Les jardins partagés de Villeurbanne.")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/documents/add/",
            {
                "title": "Synthèse jardins",
                "collection": centre.collection.pk,
                "file": SimpleUploadedFile("synthese.pdf", pdf, content_type="application/pdf"),
            },
        )
    assert response.status_code == 302, response.content.decode()[:1500]
    document = Document.objects.get(title="Synthèse jardins")
    assert "jardins partagés de Villeurbanne" in DocumentText.objects.get(document=document).text


def test_attachments_text_concatenates_documents_in_order(portal_tree):
    centre = portal_tree["labo-cites"]
    first = make_document(centre.collection, text_pdf([("paragraph", "Premier document.")]), name="a.pdf")
    second = make_document(centre.collection, b"Second document.", name="b.txt")
    for document in (first, second):
        extract_document_text(document)
    page = make_publication(centre, "Publication à deux documents", documents=[first, second])
    text = page.attachments_text
    assert "Premier document." in text and "Second document." in text
    assert text.index("Premier") < text.index("Second")


@pytest.mark.parametrize(
    ("size", "label"),
    [(800, "800\u00a0octets"), (35_200, "35\u00a0Ko"), (1_234_567, "1,2\u00a0Mo"), (999_800, "1,0\u00a0Mo")],
)
def test_sizes_read_the_french_way(size, label):
    assert human_size(size) == label


# --- Public pages ------------------------------------------------------------------------------------------


def test_publication_page_renders_with_json_ld_and_documents(demo_content, client):
    page = PublicationPage.objects.live().filter(resource_type__slug="etude").select_related("centre").first()
    assert page is not None, "the demo has studies"
    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert len(soup.find_all("h1")) == 1

    data = json.loads(soup.find("script", type="application/ld+json").string)
    assert data["@type"] == "Report"
    assert data["name"] == page.title
    assert data["abstract"] == page.summary
    assert data["datePublished"] == page.publication_date.isoformat()
    assert data["publisher"]["name"] == page.centre.name
    assert data["encoding"][0]["encodingFormat"] == "application/pdf"
    assert data["encoding"][0]["contentUrl"].startswith("http")
    assert {theme.label for theme in page.themes.all()} <= set(data["keywords"])
    assert {pillar.label for pillar in page.pillars.all()} <= set(data["about"])

    documents = soup.find("section", attrs={"aria-labelledby": "titre-documents"})
    item = documents.find("li")
    link = item.find("a")
    assert link["href"] == page.documents.first().document.url
    assert item.find(class_="doc-meta").get_text().startswith("(PDF – ")
    assert "Ko)" in item.find(class_="doc-meta").get_text()

    time = soup.find("time")
    assert time["datetime"] == page.publication_date.isoformat()
    theme = page.themes.first()
    assert soup.find("a", href=f"/bibliotheque/?theme={theme.slug}").get_text() == theme.label
    assert soup.find("a", href=page.get_parent().url).get_text() == page.centre.name


def test_demo_publications_are_distinct_and_each_written_for_its_centre(demo_content):
    pages = {page.slug: page for page in PublicationPage.objects.live().select_related("centre")}
    per_centre = {}
    for entry in demo.PUBLICATIONS:
        page = pages[entry["slug"]]
        assert page.centre.code == entry["centre"] and page.title == entry["title"]
        assert page.get_parent().specific.centre_id == page.centre_id
        assert page.documents.count() == 1
        per_centre[entry["centre"]] = per_centre.get(entry["centre"], 0) + 1
    assert len(demo.PUBLICATIONS) == 45
    assert set(per_centre) == set(CentrePage.objects.values_list("centre__code", flat=True))
    assert set(per_centre.values()) == {2, 3}
    # Nothing cloned with the city swapped: titles, summaries and section texts all differ.
    for field in ("title", "summary"):
        assert len({entry[field] for entry in demo.PUBLICATIONS}) == 45, field
    texts = [text for entry in demo.PUBLICATIONS for _heading, text in entry["sections"]]
    assert len(set(texts)) == len(texts)


def test_demo_dossiers_show_the_publications_their_editor_chose(demo_content, client):
    for spec in demo.DOSSIERS:
        dossier = DossierPage.objects.live().get(slug=spec["slug"])
        items = [(item.item.slug, item.comment) for item in dossier.related_items.order_by("sort_order")]
        chosen = [(item["slug"], item["comment"]) for item in spec["publications"]]
        assert items[: len(chosen)] == chosen
        html = client.get(dossier.url).content.decode()
        for item in spec["publications"]:
            assert escape(PublicationPage.objects.get(slug=item["slug"]).title) in html
            assert escape(item["comment"]) in html


def test_demo_publications_load_is_idempotent(demo_content):
    before = (PublicationPage.objects.count(), DossierPage.objects.count(), Document.objects.count())

    class Quiet:
        def say(self, message):
            pass

    demo.load(Quiet())
    assert (PublicationPage.objects.count(), DossierPage.objects.count(), Document.objects.count()) == before


def test_draft_publication_is_not_public(portal_tree, client):
    page = make_publication(portal_tree["irev"], "Note encore en préparation", live=False)
    assert page.url  # it has an address…
    assert client.get(page.url).status_code == 404  # …but anonymous visitors do not see it
    live = make_publication(portal_tree["irev"], "Note publiée")
    assert client.get(live.url).status_code == 200


def test_dossier_lists_curated_and_same_theme_items_without_drafts(portal_tree, client, theme):
    a, b = portal_tree["labo-cites"], portal_tree["irev"]
    curated = make_publication(a, "Inclusion numérique : le guide", themes=[theme.slug], type_slug="guide")
    curated_draft = make_publication(b, "Brouillon choisi", themes=[theme.slug], live=False)
    same_theme = make_publication(b, "Conseillers numériques en QPV", themes=[theme.slug])
    same_theme_draft = make_publication(a, "Brouillon sur le numérique", themes=[theme.slug], live=False)
    other_theme = make_publication(a, "Étude sur la culture", themes=["culture"])
    sheet = make_sheet(b, "Fiche : un fablab au pied des immeubles", themes=[theme.slug])

    home = HomePage.objects.first()
    dossier = DossierPage(title="Le numérique dans les quartiers", slug="dossier-numerique-test", intro="Intro.")
    dossier.themes.set([theme])
    for order, page in enumerate([curated, curated_draft]):
        dossier.related_items.add(
            DossierItem(item=page, comment="Pour commencer." if order == 0 else "", sort_order=order)
        )
    home.add_child(instance=dossier)
    dossier.save_revision().publish()
    assert dossier.centre is None  # national dossier

    response = client.get(dossier.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    selection = soup.find("section", attrs={"aria-labelledby": "titre-selection"}).get_text()
    also = soup.find("section", attrs={"aria-labelledby": "titre-aussi"}).get_text()
    assert curated.title in selection and "Pour commencer." in selection
    assert curated_draft.title not in selection
    assert same_theme.title in also and sheet.title in also
    assert curated.title not in also  # no repetition of the selection
    for hidden in (same_theme_draft, other_theme, curated_draft):
        assert hidden.title not in also
    assert soup.find("a", href=f"/bibliotheque/?theme={theme.slug}")


def test_dossier_theme_items_are_the_latest_by_date(portal_tree, theme):
    centre = portal_tree["oriv"]
    dates = [datetime.date(2023, 5, 1), datetime.date(2025, 2, 1), datetime.date(2024, 7, 1)]
    pages = [make_publication(centre, f"Culture {d.year}", themes=[theme.slug], publication_date=d) for d in dates]
    make_sheet(centre, "Fiche culture", themes=[theme.slug], written_on=datetime.date(2024, 12, 1))
    dossier = DossierPage(title="Culture", slug="dossier-culture", intro="Intro.")
    dossier.themes.set([theme])
    HomePage.objects.first().add_child(instance=dossier)

    items = dossier.theme_items(limit=3, exclude=[pages[1].pk])
    assert [page.title for page in items] == ["Fiche culture", "Culture 2024", "Culture 2023"]


def test_dossier_accepts_only_sheets_and_publications(portal_tree):
    section = CentrePage.objects.get(centre=portal_tree["oriv"])
    standard = section.add_child(instance=StandardPage(title="Page ordinaire", slug="ordinaire"))
    with pytest.raises(ValidationError) as error:
        DossierItem(item=standard).full_clean(exclude=["dossier"])
    assert "item" in error.value.message_dict
    publication = make_publication(portal_tree["oriv"], "Publication admise")
    DossierItem(item=Page.objects.get(pk=publication.pk)).full_clean(exclude=["dossier"])


def test_centre_follows_publication_and_dossier_moves(portal_tree):
    a, b = portal_tree["labo-cites"], portal_tree["irev"]
    publication = make_publication(a, "Publication déménagée")
    publication.move(CentrePage.objects.get(centre=b), pos="last-child")
    assert PublicationPage.objects.get(pk=publication.pk).centre == b

    dossier = DossierPage(title="Dossier régional", slug="dossier-regional", intro="Intro.")
    CentrePage.objects.get(centre=a).add_child(instance=dossier)
    assert DossierPage.objects.get(pk=dossier.pk).centre == a
    dossier.move(HomePage.objects.first(), pos="last-child")
    assert DossierPage.objects.get(pk=dossier.pk).centre is None


@pytest.mark.parametrize("model", [PublicationPage, ExperienceSheetPage, DossierPage])
def test_a_draft_takes_the_centre_of_its_section(portal_tree, model):
    # Drafts get only Wagtail's minimal_clean, never full_clean: the centre must still follow the tree.
    centre = portal_tree["irev"]
    fields = {"intro": "Intro."} if model is DossierPage else {"summary": "Résumé."}
    if model is PublicationPage:
        fields["resource_type"] = ResourceType.objects.get(slug="etude")
    page = model(title="Brouillon", slug=f"brouillon-{uuid.uuid4().hex[:8]}", live=False, **fields)
    CentrePage.objects.get(centre=centre).add_child(instance=page)
    assert model.objects.get(pk=page.pk).centre == centre


# --- Permissions -------------------------------------------------------------------------------------------


@pytest.fixture
def editors(portal_tree):
    a, b = portal_tree["labo-cites"], portal_tree["irev"]
    return {
        "a": a,
        "b": b,
        "section_a": CentrePage.objects.get(centre=a),
        "section_b": CentrePage.objects.get(centre=b),
        "editor_a": make_user("editor_a", a.editors_group),
        "doc_a": make_document(a.collection, text_pdf([("paragraph", "A")]), title="Étude du centre A"),
        "doc_b": make_document(b.collection, text_pdf([("paragraph", "B")]), title="Étude du centre B"),
    }


def publication_form(slug, document):
    return nested_form_data(
        {
            "title": "Publication par formulaire",
            "slug": slug,
            "resource_type": ResourceType.objects.get(slug="note").pk,
            "publication_date": "2025-05-12",
            "summary": "Un résumé.",
            "authors": "",
            "body": streamfield([("paragraph", rich_text("<p>Texte.</p>"))]),
            "tags": "",
            "documents": inline_formset([{"document": document.pk, "title": ""}]),
        }
    )


def test_editor_cannot_add_a_publication_under_another_centre(client, editors):
    editor = editors["editor_a"]
    assert editors["section_a"].permissions_for_user(editor).can_add_subpage()
    assert not editors["section_b"].permissions_for_user(editor).can_add_subpage()
    client.force_login(editor)
    response = client.post(
        f"/admin/pages/add/publications/publicationpage/{editors['section_b'].pk}/",
        publication_form("intrusion", editors["doc_b"]),
    )
    assert response.status_code in (302, 403)
    assert not Page.objects.filter(slug="intrusion").exists()


def test_editor_creates_a_draft_publication_in_own_section(client, editors):
    client.force_login(editors["editor_a"])
    response = client.post(
        f"/admin/pages/add/publications/publicationpage/{editors['section_a'].pk}/",
        publication_form("chez-soi", editors["doc_a"]),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = PublicationPage.objects.get(slug="chez-soi")
    assert page.centre == editors["a"]  # derived from the section, never from the form
    assert not page.live
    assert page.get_latest_revision_as_object().documents.first().document == editors["doc_a"]


def test_other_centre_documents_are_not_choosable(client, editors):
    editor = editors["editor_a"]
    client.force_login(editor)
    listing = client.get("/admin/documents/chooser/")
    assert listing.status_code == 200
    html = listing.json()["html"]
    assert "Étude du centre A" in html
    assert "Étude du centre B" not in html

    # A forged request naming the other centre's document is refused by the form.
    response = client.post(
        f"/admin/pages/add/publications/publicationpage/{editors['section_a'].pk}/",
        publication_form("document-emprunte", editors["doc_b"]),
    )
    assert response.status_code == 200  # the form comes back with an error
    assert not Page.objects.filter(slug="document-emprunte").exists()
