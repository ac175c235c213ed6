"""The permission matrix: each centre changes only its own subtree and collection."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page
from wagtail.permissions import policy_registry

from portal.accounts.roles import NATIONAL_ADMINS, sync_roles
from portal.centres.models import Centre, CentrePage
from portal.core.models import StandardPage
from tests.users import make_user

pytestmark = pytest.mark.django_db

image_policy = policy_registry.get_by_type(get_image_model())
document_policy = policy_registry.get_by_type(get_document_model())


@pytest.fixture
def world(portal_tree):
    a, b = portal_tree["labo-cites"], portal_tree["irev"]
    pages = {}
    for centre in (a, b):
        section = CentrePage.objects.get(centre=centre)
        pages[centre.code] = section.add_child(instance=StandardPage(title=f"Page de {centre.code}", slug="page"))
    national = Group.objects.get(name=NATIONAL_ADMINS)
    return {
        "a": a,
        "b": b,
        "section_a": CentrePage.objects.get(centre=a),
        "section_b": CentrePage.objects.get(centre=b),
        "page_a": pages[a.code],
        "page_b": pages[b.code],
        "editor_a": make_user("editor_a", a.editors_group),
        "moderator_a": make_user("moderator_a", a.moderators_group),
        "national": make_user("national", national),
    }


def test_sync_roles_is_idempotent(world):
    from wagtail.models import GroupCollectionPermission, GroupPagePermission

    before = (Group.objects.count(), GroupPagePermission.objects.count(), GroupCollectionPermission.objects.count())
    sync_roles()
    after = (Group.objects.count(), GroupPagePermission.objects.count(), GroupCollectionPermission.objects.count())
    assert before == after
    assert Group.objects.filter(name__endswith="· éditeurs").count() == Centre.objects.count()


def test_editor_is_confined_to_own_subtree(world):
    editor = world["editor_a"]
    own, other = world["page_a"].permissions_for_user(editor), world["page_b"].permissions_for_user(editor)
    assert world["section_a"].permissions_for_user(editor).can_add_subpage()
    assert own.can_edit()
    assert not own.can_publish()  # editors submit, moderators publish
    assert not world["section_b"].permissions_for_user(editor).can_add_subpage()
    assert not other.can_edit()
    assert not other.can_publish()
    assert not other.can_delete()
    assert not other.can_move()
    assert not own.can_move_to(world["section_b"])  # no moving content into another centre either
    assert not other.can_unpublish()


def test_moderator_publishes_only_own_centre(world):
    moderator = world["moderator_a"]
    assert world["page_a"].permissions_for_user(moderator).can_publish()
    assert not world["page_b"].permissions_for_user(moderator).can_publish()
    assert not world["page_b"].permissions_for_user(moderator).can_edit()
    assert not world["section_b"].permissions_for_user(moderator).can_add_subpage()


def test_national_admin_can_do_everything_on_pages(world):
    national = world["national"]
    for key in ("page_a", "page_b"):
        perms = world[key].permissions_for_user(national)
        assert perms.can_edit() and perms.can_publish() and perms.can_delete()
    assert world["section_b"].permissions_for_user(national).can_add_subpage()


def test_national_team_holds_the_permissions_of_every_declared_content_app(world):
    national = Group.objects.get(name=NATIONAL_ADMINS)
    declared = [config.label for config in apps.get_app_configs() if getattr(config, "content_app", False)]
    assert {"centres", "taxonomy", "experiences", "publications", "library"} <= set(declared)
    held = set(national.permissions.all())
    for label in declared:
        assert set(Permission.objects.filter(content_type__app_label=label)) <= held, label


def test_an_app_declaring_itself_a_content_app_is_picked_up(world, monkeypatch):
    """A new content kind gets its national permissions by declaring `content_app = True`, not by editing roles.py."""
    national = Group.objects.get(name=NATIONAL_ADMINS)
    form_permissions = set(Permission.objects.filter(content_type__app_label="wagtailforms"))
    assert form_permissions and not form_permissions & set(national.permissions.all())
    monkeypatch.setattr(apps.get_app_config("wagtailforms"), "content_app", True, raising=False)
    sync_roles()
    assert form_permissions <= set(national.permissions.all())


def _image(collection):
    return get_image_model().objects.create(title="Photo", file=get_test_image_file(), collection=collection)


def _document(collection):
    doc = get_document_model()(title="Note", collection=collection)
    doc.file.save("note.txt", ContentFile(b"note"), save=False)
    doc.save()
    return doc


def test_editor_media_confined_to_own_collection(world):
    editor = world["editor_a"]
    image_b, doc_b = _image(world["b"].collection), _document(world["b"].collection)
    image_a = _image(world["a"].collection)
    assert image_policy.user_has_permission_for_instance(editor, "change", image_a)
    for action in ("change", "delete", "choose"):
        assert not image_policy.user_has_permission_for_instance(editor, action, image_b)
        assert not document_policy.user_has_permission_for_instance(editor, action, doc_b)
    add_collections = set(image_policy.collections_user_has_permission_for(editor, "add"))
    assert add_collections == {world["a"].collection}
    assert set(document_policy.collections_user_has_permission_for(editor, "add")) == {world["a"].collection}


def test_national_admin_manages_every_collection(world):
    image_b = _image(world["b"].collection)
    assert image_policy.user_has_permission_for_instance(world["national"], "delete", image_b)


class TestThroughTheAdmin:
    """The same rules enforced by the admin views, not only by the policy objects."""

    def login(self, client, user):
        client.force_login(user)

    def test_cannot_edit_other_centre_page(self, client, world):
        self.login(client, world["editor_a"])
        page_b = world["page_b"]
        response = client.post(
            f"/admin/pages/{page_b.id}/edit/", {"title": "Piraté", "slug": "page", "action-publish": "publish"}
        )
        assert response.status_code in (302, 403)
        page_b.refresh_from_db()
        assert page_b.title == "Page de irev"
        assert page_b.get_latest_revision().content["title"] != "Piraté" if page_b.get_latest_revision() else True

    def test_cannot_create_in_other_centre(self, client, world):
        self.login(client, world["editor_a"])
        section_b = world["section_b"]
        response = client.post(
            f"/admin/pages/add/core/standardpage/{section_b.id}/",
            {"title": "Intrus", "slug": "intrus", "body-count": "0"},
        )
        assert response.status_code in (302, 403)
        assert not Page.objects.filter(slug="intrus").exists()

    def test_cannot_delete_or_move_other_centre_page(self, client, world):
        self.login(client, world["editor_a"])
        page_b = world["page_b"]
        assert client.post(f"/admin/pages/{page_b.id}/delete/").status_code in (302, 403)
        assert Page.objects.filter(id=page_b.id).exists()
        response = client.post(f"/admin/pages/{page_b.id}/move/{world['section_a'].id}/confirm/")
        assert response.status_code in (302, 403)
        page_b.refresh_from_db()
        assert page_b.get_parent().id == world["section_b"].id

    def test_can_create_draft_in_own_centre(self, client, world):
        self.login(client, world["editor_a"])
        response = client.post(
            f"/admin/pages/add/core/standardpage/{world['section_a'].id}/",
            {"title": "Brouillon", "slug": "brouillon", "intro": "", "body-count": "0"},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        page = Page.objects.get(slug="brouillon")
        assert page.get_parent().id == world["section_a"].id
        assert not page.live


@pytest.mark.parametrize("role", ["editor_a", "moderator_a"])
def test_centre_staff_cannot_touch_another_centres_experience_sheet(world, role):
    from tests.resources.sheets import make_sheet

    own, other = make_sheet(world["a"], "Fiche de A"), make_sheet(world["b"], "Fiche de B")
    user = world[role]
    other_perms = other.permissions_for_user(user)
    assert not (other_perms.can_edit() or other_perms.can_publish() or other_perms.can_delete())
    assert not other_perms.can_unpublish() and not other_perms.can_move()
    own_perms = own.permissions_for_user(user)
    assert own_perms.can_edit()
    assert own_perms.can_publish() is (role == "moderator_a")
    national = other.permissions_for_user(world["national"])
    assert national.can_edit() and national.can_publish() and national.can_delete()
