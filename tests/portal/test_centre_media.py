"""A centre's pages attach only that centre's images and documents, even from a forged admin request."""

import html

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from portal.accounts.roles import NATIONAL_ADMINS
from portal.centres.forms import CentrePageForm  # noqa
from portal.centres.models import CentrePage, CentreSectionMixin
from resources.publications.models import PublicationPage
from resources.taxonomy.models import ResourceType
from tests.resources.sheets import make_sheet, sheet_form

pytestmark = pytest.mark.django_db

REFUSED = "n'appartient pas à la collection du centre"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def make_user(username, *groups):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    user.groups.add(*groups)
    return user


def make_image(collection, title):
    return get_image_model().objects.create(title=title, file=get_test_image_file(), collection=collection)


def make_document(collection, title):
    document = get_document_model()(title=title, collection=collection)
    document.file.save("note.txt", ContentFile(b"note"), save=False)
    document.save()
    return document


@pytest.fixture
def world(portal_tree):
    a, b = portal_tree["labo-cites"], portal_tree["irev"]
    return {
        "a": a,
        "b": b,
        "sheet_a": make_sheet(a, "Fiche du centre A", publish=False),
        "editor_a": make_user("editor_a", a.editors_group),
        "editor_ab": make_user("editor_ab", a.editors_group, b.editors_group),
        "national": make_user("national", Group.objects.get(name=NATIONAL_ADMINS)),
        "image_a": make_image(a.collection, "Photo de A"),
        "image_b": make_image(b.collection, "Photo de B"),
        "doc_a": make_document(a.collection, "Note de A"),
        "doc_b": make_document(b.collection, "Note de B"),
    }


def edit_sheet(client, user, sheet, image=None, document=None):
    """Save the sheet as a draft from the admin's edit view, naming the given image and document."""
    client.force_login(user)
    documents = [{"title": "Annexe", "document": document.pk, "url": ""}] if document else []
    data = sheet_form(sheet.title, sheet.slug, image=image.pk if image else "", documents=inline_formset(documents))
    return client.post(f"/admin/pages/{sheet.pk}/edit/", data)


def form_errors(response):
    """Every error message of the admin form and of its inline panels' forms."""
    forms, messages = [response.context["form"]], []
    while forms:
        form = forms.pop()
        messages += [message for errors in form.errors.values() for message in errors]
        forms += [child for formset in getattr(form, "formsets", {}).values() for child in formset.forms]
    return messages


def draft(sheet):
    return type(sheet).objects.get(pk=sheet.pk).get_latest_revision_as_object()


@pytest.mark.parametrize("field", ["image", "document"])
def test_editor_cannot_attach_another_centres_file_to_a_sheet(client, world, field):
    other = world["image_b"] if field == "image" else world["doc_b"]
    response = edit_sheet(client, world["editor_a"], world["sheet_a"], **{field: other})
    assert response.status_code == 200  # the form comes back with its error
    saved = draft(world["sheet_a"])
    assert saved.image_id != world["image_b"].pk
    assert world["doc_b"].pk not in [item.document_id for item in saved.documents.all()]


def test_editor_of_two_centres_cannot_mix_their_files(client, world):
    """Allowed to choose both collections, but a sheet of A takes only A's files."""
    response = edit_sheet(client, world["editor_ab"], world["sheet_a"], image=world["image_b"], document=world["doc_b"])
    assert response.status_code == 200
    errors = " ".join(form_errors(response))
    assert "« Photo de B » n'appartient pas à la collection du centre Labo Cités" in errors
    assert "« Note de B » n'appartient pas à la collection du centre Labo Cités" in errors
    assert "« Note de B » n'appartient pas" in html.unescape(response.content.decode())  # shown to the editor
    assert draft(world["sheet_a"]).image_id is None


def test_own_centre_files_are_accepted(client, world):
    response = edit_sheet(client, world["editor_a"], world["sheet_a"], image=world["image_a"], document=world["doc_a"])
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = draft(world["sheet_a"])
    assert saved.image_id == world["image_a"].pk
    assert [item.document_id for item in saved.documents.all()] == [world["doc_a"].pk]


def test_national_team_may_use_any_collection(client, world):
    response = edit_sheet(client, world["national"], world["sheet_a"], image=world["image_b"], document=world["doc_b"])
    assert response.status_code == 302, response.content.decode()[:3000]
    assert draft(world["sheet_a"]).image_id == world["image_b"].pk


def test_files_already_attached_stay_valid_for_the_centre_editor(client, world):
    """The national team attached B's photo; A's editor may still save the sheet without removing it."""
    edit_sheet(client, world["national"], world["sheet_a"], image=world["image_b"])
    response = edit_sheet(client, world["editor_a"], world["sheet_a"], image=world["image_b"])
    assert response.status_code == 302, response.content.decode()[:3000]


def publication_form(slug, image):
    return nested_form_data(
        {
            "title": "Publication illustrée",
            "slug": slug,
            "resource_type": ResourceType.objects.get(slug="note").pk,
            "publication_date": "2025-05-12",
            "summary": "Un résumé.",
            "authors": "",
            "body": streamfield(
                [("paragraph", rich_text("<p>Texte.</p>")), ("image", {"image": image.pk, "caption": "", "alt": ""})]
            ),
            "tags": "",
            "documents": inline_formset([]),
            "comments": inline_formset([]),
        }
    )


def test_images_inside_a_streamfield_are_checked_too(client, world):
    client.force_login(world["editor_ab"])
    section_a = CentrePage.objects.get(centre=world["a"])
    url = f"/admin/pages/add/publications/publicationpage/{section_a.pk}/"
    response = client.post(url, publication_form("image-empruntee", world["image_b"]))
    assert response.status_code == 200
    assert "« Photo de B » n'appartient pas à la collection du centre Labo Cités" in " ".join(form_errors(response))
    assert not PublicationPage.objects.filter(slug="image-empruntee").exists()

    response = client.post(url, publication_form("image-du-centre", world["image_a"]))
    assert response.status_code == 302, response.content.decode()[:3000]


def test_every_centre_page_type_uses_the_centre_form():
    centre_models = [model for model in apps.get_models() if issubclass(model, CentreSectionMixin)]
    assert len(centre_models) >= 3  # sheets, publications, dossiers
    for model in centre_models:
        assert issubclass(model.get_edit_handler().get_form_class(), CentrePageForm), model
