"""Files of drafts and private pages are not published: Wagtail's API v2 lists, and the document
serve view delivers, only images and documents used by live, public pages."""

import pytest
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import PageViewRestriction

from tests.resources.test_publications import make_document, make_publication

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(portal_tree, settings, tmp_path, django_capture_on_commit_callbacks):
    """A live publication's document and cover, a draft's, and a private page's."""
    settings.MEDIA_ROOT = str(tmp_path)
    centre = portal_tree["labo-cites"]

    def image(title):
        return get_image_model().objects.create(title=title, file=get_test_image_file(), collection=centre.collection)

    made = {}
    # The reference index is updated by a task after commit: run it as a worker would.
    with django_capture_on_commit_callbacks(execute=True):
        for name, live in (("public", True), ("draft", False), ("private", True)):
            made[f"{name}_document"] = make_document(centre.collection, b"%PDF-1.4", f"{name}.pdf", f"Document {name}")
            made[f"{name}_image"] = image(f"Image {name}")
            made[f"{name}_page"] = make_publication(
                centre,
                f"Publication {name}",
                live=live,
                documents=[made[f"{name}_document"]],
                cover_image=made[f"{name}_image"],
            )
        PageViewRestriction.objects.create(page=made["private_page"], restriction_type=PageViewRestriction.LOGIN)
    return made


def listed_ids(client, endpoint):
    body = client.get(f"/api/v2/{endpoint}/", {"limit": 100}).json()
    ids = {item["id"] for item in body["items"]}
    while len(ids) < body["meta"]["total_count"]:
        more = client.get(f"/api/v2/{endpoint}/", {"limit": 100, "offset": len(ids)}).json()["items"]
        if not more:
            break
        ids |= {item["id"] for item in more}
    return ids


@pytest.mark.parametrize("kind, endpoint", [("document", "documents"), ("image", "images")])
def test_api_lists_only_files_of_live_public_pages(client, files, kind, endpoint):
    ids = listed_ids(client, endpoint)
    assert files[f"public_{kind}"].pk in ids
    assert files[f"draft_{kind}"].pk not in ids
    assert files[f"private_{kind}"].pk not in ids
    assert client.get(f"/api/v2/{endpoint}/{files[f'public_{kind}'].pk}/").status_code == 200
    assert client.get(f"/api/v2/{endpoint}/{files[f'draft_{kind}'].pk}/").status_code == 404
    assert client.get(f"/api/v2/{endpoint}/{files[f'private_{kind}'].pk}/").status_code == 404


def test_document_files_of_drafts_are_not_served(client, files, django_user_model):
    def serve(document):
        return client.get(f"/documents/{document.pk}/{document.filename}")

    assert serve(files["public_document"]).status_code == 200
    assert serve(files["draft_document"]).status_code == 404
    assert serve(files["private_document"]).status_code == 404
    editor = django_user_model.objects.create_superuser("editeur-fichiers", "e@example.org", "x")
    client.force_login(editor)  # editors preview drafts with their files
    assert serve(files["draft_document"]).status_code == 200
