"""Subscribing on /lettres/ with double opt-in, through a real SMTP server on loopback; preferences,
the data copy and erasure, all reached from the mailed links."""

import html
import json

import pytest

from network.newsletters.forms import consent_wording
from network.newsletters.models import MailingList, SavedSearchAlert, Subscriber, Subscription, SubscriptionStatus
from resources.taxonomy.models import Theme

from .newsletter_helpers import link_in, make_list
from .smtp_loopback import text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(demo_content):
    irev = make_list("irev", slug="essai-irev", title="Essai IREV")
    return irev, make_list("oriv", slug="essai-oriv", title="Essai ORIV")


def post(client, capture, email, lists, **extra):
    data = {"email": email, "lists": [item.pk for item in lists], "consent": "on", **extra}
    with capture(execute=True):
        return client.post("/lettres/", data)


def statuses(email):
    return dict(
        Subscription.objects.filter(subscriber__email_key=email.lower()).values_list("mailing_list__slug", "status")
    )


def test_lists_page_groups_national_lists_first_then_centres(client, demo_content):
    page = html.unescape(client.get("/lettres/").content.decode())
    assert page.index("Lettres nationales") < page.index("La Lettre du réseau des CRPV") < page.index("IREV")
    assert "Les Actus de Labo Cités" in page and "L'IREV en bref" in page
    assert 'name="website"' in page and "Votre adresse électronique sert uniquement" in page


def test_double_opt_in_end_to_end(client, lists, smtp_inbox, django_capture_on_commit_callbacks):
    theme = Theme.objects.get(slug="sante")
    response = post(client, django_capture_on_commit_callbacks, "Nadia.Benali@Example.org", lists, themes=[theme.pk])
    assert response.status_code == 200
    assert "Vérifiez votre messagerie" in response.content.decode()

    assert statuses("nadia.benali@example.org") == {"essai-irev": "pending", "essai-oriv": "pending"}
    subscription = Subscription.objects.get(subscriber__email_key="nadia.benali@example.org", mailing_list=lists[0])
    assert (
        subscription.consent_wording == consent_wording() and subscription.consent_at and subscription.source == "form"
    )
    assert not Subscription.objects.audience().filter(pk=subscription.pk).exists()  # nothing else before confirming

    [message] = smtp_inbox.messages
    assert message["To"] == "Nadia.Benali@Example.org"
    assert "Confirmez" in message["Subject"]
    assert "« Essai IREV »" in text_of(message) and "« Essai ORIV »" in text_of(message)
    assert "Confirmer mon inscription" in message.get_body(preferencelist=("html",)).get_content()

    page = client.get(link_in(message, "/lettres/confirmation/"))
    assert "recevra désormais" in page.content.decode()
    assert statuses("nadia.benali@example.org") == {"essai-irev": "confirmed", "essai-oriv": "confirmed"}
    assert list(Subscriber.objects.get(email_key="nadia.benali@example.org").themes.all()) == [theme]
    assert len(smtp_inbox.messages) == 1


def test_asking_again_never_duplicates_nor_reveals(client, lists, smtp_inbox, django_capture_on_commit_callbacks):
    first = post(client, django_capture_on_commit_callbacks, "karim@example.org", lists[:1])
    again = post(client, django_capture_on_commit_callbacks, "karim@example.org", lists[:1])
    assert first.content == again.content  # same answer, whether the address was known or not
    post(client, django_capture_on_commit_callbacks, "KARIM@example.org", lists[:1])
    assert Subscriber.objects.filter(email_key="karim@example.org").count() == 1
    assert Subscription.objects.filter(subscriber__email_key="karim@example.org").count() == 1
    assert len(smtp_inbox.messages) == 1  # a second request within minutes sends no second mail

    client.get(link_in(smtp_inbox.messages[0], "/lettres/confirmation/"))
    post(client, django_capture_on_commit_callbacks, "karim@example.org", lists)  # confirmed, adds one list
    assert statuses("karim@example.org") == {"essai-irev": "confirmed", "essai-oriv": "pending"}
    second = smtp_inbox.messages[-1]
    assert len(smtp_inbox.messages) == 2
    assert "Essai ORIV" in text_of(second) and "Essai IREV" not in text_of(second)


def test_bad_input_gets_french_messages_and_stores_nothing(
    client, lists, smtp_inbox, django_capture_on_commit_callbacks
):
    no_consent = {"email": "a@example.org", "lists": [lists[0].pk]}
    response = client.post("/lettres/", no_consent)
    assert response.status_code == 400
    assert "Cochez la case" in response.content.decode()
    response = post(client, django_capture_on_commit_callbacks, "robot@example.org", lists, website="http://spam")
    assert response.status_code == 400
    response = post(client, django_capture_on_commit_callbacks, "pas-une-adresse", lists)
    assert response.status_code == 400 and "valide" in response.content.decode()
    response = client.post("/lettres/", {"email": "b@example.org", "lists": ["999999", "x"], "consent": "on"})
    assert response.status_code == 400
    assert not Subscriber.objects.filter(email_key__in=["a@example.org", "robot@example.org", "b@example.org"]).exists()
    assert smtp_inbox.messages == []


def test_rate_limit(client, lists, settings, django_capture_on_commit_callbacks):
    settings.RATELIMITS = {**settings.RATELIMITS, "newsletter": "2/h"}
    codes = [post(client, django_capture_on_commit_callbacks, f"p{i}@example.org", lists).status_code for i in range(3)]
    assert codes == [200, 200, 429]


@pytest.fixture
def confirmed_person(client, lists, smtp_inbox, django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks, "lea@example.org", lists[:1])
    client.get(link_in(smtp_inbox.messages[0], "/lettres/confirmation/"))
    return Subscriber.objects.get(email_key="lea@example.org")


def preferences_path(subscriber):
    from network.newsletters import links

    from .newsletter_helpers import path_of

    return path_of(links.preferences_url(subscriber.pk))


def test_preferences_change_lists_and_themes_then_unsubscribe_from_all(client, lists, confirmed_person):
    url = preferences_path(confirmed_person)
    page = client.get(url).content.decode()
    assert "lea@example.org" in page and "Essai ORIV" in page
    theme = Theme.objects.get(slug="education")
    response = client.post(url, {"action": "save", "lists": [lists[1].pk], "themes": [theme.pk]})
    assert "Vos choix sont enregistrés" in response.content.decode()
    assert statuses("lea@example.org") == {"essai-irev": "unsubscribed", "essai-oriv": "confirmed"}
    oriv = Subscription.objects.get(subscriber=confirmed_person, mailing_list=lists[1])
    assert oriv.source == "preferences" and oriv.consent_wording
    assert list(confirmed_person.themes.all()) == [theme]
    client.post(url, {"action": "unsubscribe_all"})
    assert set(statuses("lea@example.org").values()) == {"unsubscribed"}


def test_data_copy_and_erasure(client, lists, confirmed_person):
    SavedSearchAlert.objects.create(
        subscriber=confirmed_person, source="recherche", query="q=jardins", frequency="daily"
    )
    url = preferences_path(confirmed_person)
    page = client.get(url + "donnees/").content.decode()
    assert "lea@example.org" in page and "Essai IREV" in page and "q=jardins" in page
    response = client.get(url + "donnees/?format=json")
    data = json.loads(response.content)
    assert data["email"] == "lea@example.org"
    assert data["subscriptions"][0]["consent_wording"] == consent_wording()
    assert data["alerts"][0]["query"] == "q=jardins"

    assert client.get(url + "effacer/").status_code == 405  # a GET (a mail scanner) erases nothing
    response = client.post(url + "effacer/", follow=True)
    assert "Données effacées" in response.content.decode()
    assert not Subscriber.objects.filter(email_key="lea@example.org").exists()
    assert not Subscription.objects.filter(subscriber_id=confirmed_person.pk).exists()
    assert not SavedSearchAlert.objects.filter(subscriber_id=confirmed_person.pk).exists()
    assert MailingList.objects.filter(pk=lists[0].pk).exists()
    assert client.get(url).status_code == 404  # the link now finds nobody


def test_expired_confirmation_does_nothing(client, lists, smtp_inbox, settings, django_capture_on_commit_callbacks):
    post(client, django_capture_on_commit_callbacks, "tard@example.org", lists[:1])
    settings.NEWSLETTER_CONFIRM_MAX_AGE_DAYS = -1
    response = client.get(link_in(smtp_inbox.messages[0], "/lettres/confirmation/"))
    assert response.status_code == 400 and "expiré" in response.content.decode()
    assert statuses("tard@example.org") == {"essai-irev": SubscriptionStatus.PENDING}
