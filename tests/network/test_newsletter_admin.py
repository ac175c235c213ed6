"""The centres' walls in the admin: a centre's staff see, create, edit and export only their centre's
lists and the subscriptions to them; national lists belong to the national team."""

import pytest
from django.urls import reverse

from network.newsletters.models import MailingList, Subscriber, Subscription
from portal.centres.models import Centre

from .newsletter_helpers import make_list, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def walls(demo_content):
    irev, oriv = make_list("irev", slug="mur-irev"), make_list("oriv", slug="mur-oriv")
    national = make_list(slug="mur-national")
    person = Subscriber.objects.create(email="camille@example.org")
    subscriptions = {
        item.slug: Subscription.objects.create(subscriber=person, mailing_list=item, source="form", status="confirmed")
        for item in (irev, oriv, national)
    }
    return {"lists": {"irev": irev, "oriv": oriv, "national": national}, "subscriptions": subscriptions}


def as_user(client, user):
    client.force_login(user)
    return client


def test_centre_staff_see_only_their_lists_and_subscriptions(client, walls):
    as_user(client, staff("edit-irev", "irev"))
    index = client.get(reverse("listes:index") + "?q=mur").content.decode()
    assert "Lettre mur-irev" in index
    assert "Lettre mur-oriv" not in index and "Lettre mur-national" not in index
    subscriptions = client.get(reverse("abonnes:index") + "?q=camille@example.org").content.decode()
    assert "Lettre mur-irev" in subscriptions
    assert "Lettre mur-oriv" not in subscriptions and "Lettre mur-national" not in subscriptions
    assert all(
        row.mailing_list.centre.code == "irev" for row in client.get(reverse("abonnes:index")).context["object_list"]
    )


@pytest.mark.parametrize("other", ["oriv", "national"])
def test_forged_urls_to_another_centres_list_answer_404(client, walls, other):
    as_user(client, staff("edit-irev", "irev"))
    target = walls["lists"][other]
    subscription = walls["subscriptions"][target.slug]
    for url in (
        reverse("listes:edit", args=[target.pk]),
        reverse("listes:delete", args=[target.pk]),
        reverse("listes:inspect", args=[target.pk]),
        reverse("listes:history", args=[target.pk]),
        reverse("listes:export", args=[target.pk]),
        reverse("abonnes:edit", args=[subscription.pk]),
        reverse("abonnes:inspect", args=[subscription.pk]),
        reverse("abonnes:delete", args=[subscription.pk]),
    ):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("listes:edit", args=[target.pk]), {"title": "Pris", "slug": "pris"})
    assert response.status_code == 404
    assert client.post(reverse("abonnes:delete", args=[subscription.pk])).status_code == 404
    assert MailingList.objects.get(pk=target.pk).title == f"Lettre {target.slug}"
    assert Subscription.objects.filter(pk=subscription.pk).exists()


def test_centre_staff_create_lists_of_their_centre_only(client, walls):
    as_user(client, staff("edit-irev", "irev"))
    form = {"slug": "nouvelle", "title": "Nouvelle lettre", "description": "", "is_active": "on"}
    oriv = Centre.objects.get(code="oriv")
    response = client.post(reverse("listes:add"), {**form, "centre": oriv.pk})
    assert response.status_code == 200  # the form again, with an error on the centre
    response = client.post(reverse("listes:add"), {**form, "centre": ""})
    assert response.status_code == 200
    assert not MailingList.objects.filter(slug="nouvelle").exists()
    client.post(reverse("listes:add"), {**form, "centre": Centre.objects.get(code="irev").pk})
    assert MailingList.objects.get(slug="nouvelle").centre.code == "irev"


def test_own_export_and_the_national_team_sees_all(client, walls):
    as_user(client, staff("edit-irev", "irev"))
    response = client.get(reverse("listes:export", args=[walls["lists"]["irev"].pk]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "camille@example.org;confirmed" in body

    as_user(client, staff("anct-test"))
    index = client.get(reverse("listes:index") + "?q=mur").content.decode()
    assert all(f"Lettre mur-{code}" in index for code in ("irev", "oriv", "national"))
    assert client.get(reverse("listes:export", args=[walls["lists"]["oriv"].pk])).status_code == 200
    response = client.post(reverse("listes:add"), {"slug": "nationale-2", "title": "Nationale 2", "centre": ""})
    assert MailingList.objects.get(slug="nationale-2").is_national


def test_staff_cannot_confirm_someone_by_hand(client, walls):
    pending = walls["subscriptions"]["mur-irev"]
    Subscription.objects.filter(pk=pending.pk).update(status="pending")
    as_user(client, staff("edit-irev", "irev"))
    response = client.post(reverse("abonnes:edit", args=[pending.pk]), {"status": "confirmed"})
    assert "Seule la personne peut confirmer" in response.content.decode()
    client.post(reverse("abonnes:edit", args=[pending.pk]), {"status": "unsubscribed"})
    assert Subscription.objects.get(pk=pending.pk).status == "unsubscribed"


def test_the_public_and_staff_without_a_centre_see_nothing(client, walls):
    assert client.get(reverse("listes:index")).status_code == 302  # to the login page
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission

    nobody = get_user_model().objects.create_user("sans-centre", password="pw")
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    as_user(client, nobody)
    assert client.get(reverse("listes:index")).status_code in (302, 403)
    assert client.get(reverse("listes:export", args=[walls["lists"]["irev"].pk])).status_code == 404
