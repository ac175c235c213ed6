"""The admin pages of an issue and the centres' walls: preview, test send, schedule, status, pause."""

import pytest
from django.contrib.auth import get_user_model

from network.newsletters import sending
from network.newsletters.delivery import IssueSend, SendState
from network.newsletters.issues import NewsletterIssuePage
from portal.core.kinds import declared_models

from .newsletter_helpers import make_issue, make_list, subscribe


@pytest.fixture
def labo_issue(demo_content):
    own, national = make_list("labo-cites"), make_list(None)
    subscribe("lectrice@example.org", own)
    issue = make_issue("labo-cites", [own], title="Lettre de Labo Cités")
    return issue, own, national


def refused(response):
    """Wagtail's admin turns PermissionDenied into a redirect to the dashboard with a message."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == "/admin/")


def login(client, username):
    client.force_login(get_user_model().objects.get(username=username))


def test_staff_of_another_centre_cannot_see_schedule_or_act_on_an_issue(client, labo_issue):
    issue, own, _national = labo_issue
    other = make_issue("irev", title="Lettre de l'IREV")
    login(client, "moderateur-labo-cites")
    base = f"/admin/lettres/numeros/{other.pk}/"
    for url in (base, base + "apercu/", base + "apercu/texte/", base + "envoyer/", base + "quoi-de-neuf/"):
        assert refused(client.get(url)), url
    assert refused(client.post(base + "envoyer/", {"lists": [own.pk]}))
    assert refused(client.post(base + "action/cancel/"))
    assert refused(client.post(base + "test/", {"email": "x@example.org"}))
    assert not IssueSend.objects.filter(issue=other).exists()


def test_an_editor_previews_but_only_a_moderator_sends(client, labo_issue, mailoutbox):
    issue, own, _national = labo_issue
    base = f"/admin/lettres/numeros/{issue.pk}/"
    login(client, "editeur-labo-cites")
    html = client.get(base + "apercu/")
    assert html.status_code == 200 and 'style="' in html.content.decode()
    text = client.get(base + "apercu/texte/")
    assert "Gérer vos préférences" in text.content.decode()
    assert client.post(base + "test/", {"email": "relecture@example.org"}).status_code == 302
    assert mailoutbox[-1].to == ["relecture@example.org"] and mailoutbox[-1].subject.startswith("[Test]")
    assert refused(client.post(base + "envoyer/", {"lists": [own.pk]}))
    assert not IssueSend.objects.filter(issue=issue).exists()

    login(client, "moderateur-labo-cites")
    assert client.get(base).status_code == 200
    assert client.get(base + "envoyer/").status_code == 200


def test_a_forged_list_of_another_centre_or_national_is_refused(client, labo_issue):
    issue, own, national = labo_issue
    foreign = make_list("irev")
    login(client, "moderateur-labo-cites")
    for forged in (foreign, national):
        response = client.post(f"/admin/lettres/numeros/{issue.pk}/envoyer/", {"lists": [forged.pk]})
        assert response.status_code == 200  # the form again, with its error
        assert not IssueSend.objects.filter(issue=issue, state=SendState.SCHEDULED).exists()


def test_a_moderator_schedules_then_pauses_and_cancels(client, labo_issue, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    issue, own, _national = labo_issue
    base = f"/admin/lettres/numeros/{issue.pk}/"
    login(client, "moderateur-labo-cites")
    assert client.post(base + "envoyer/", {"lists": [own.pk]}).status_code == 302
    record = IssueSend.objects.get(issue=issue)
    assert record.state == SendState.SCHEDULED and list(record.lists.all()) == [own]
    page = client.get(base).content.decode()
    assert "Programmée" in page and 'http-equiv="refresh"' in page
    client.post(base + "action/pause/")
    assert IssueSend.objects.get(issue=issue).state == SendState.PAUSED
    client.post(base + "action/cancel/")
    assert IssueSend.objects.get(issue=issue).state == SendState.CANCELLED


def test_issues_are_a_declared_kind_and_their_archive_is_searchable_text(labo_issue):
    issue, _own, _national = labo_issue
    assert declared_models()[NewsletterIssuePage].slug == "lettre"
    document = issue.get_latest_revision_as_object().search_document()
    assert document["title"] == "Lettre de Labo Cités" and "trois nouveautés" in document["sections"]
    assert document["centre"] == "labo-cites"


def test_the_national_team_sends_to_a_national_list_that_centre_staff_are_not_offered(
    client, labo_issue, settings, mailoutbox
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    issue, _own, national = labo_issue
    subscribe("elu.national@example.org", national)
    base = f"/admin/lettres/numeros/{issue.pk}/"
    checkbox = f'value="{national.pk}"'

    login(client, "moderateur-labo-cites")
    assert checkbox not in client.get(base + "envoyer/").content.decode()

    login(client, "anct")
    assert checkbox in client.get(base + "envoyer/").content.decode()
    assert client.post(base + "envoyer/", {"lists": [national.pk]}).status_code == 302
    record = IssueSend.objects.get(issue=issue)
    assert record.state == SendState.SCHEDULED and list(record.lists.all()) == [national]
    sending.run_worker(issue.pk)
    assert [message.to for message in mailoutbox] == [["elu.national@example.org"]]
    assert IssueSend.objects.get(issue=issue).state == SendState.SENT
