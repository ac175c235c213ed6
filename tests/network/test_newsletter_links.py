"""The no-login links every newsletter mail carries: confirm, unsubscribe page, RFC 8058 one-click."""

import re

import pytest
from django.core import signing
from django.test import override_settings

from network.newsletters import links, services
from network.newsletters.models import MailingList, Subscriber, Subscription, SubscriptionStatus
from network.newsletters.tokens import make_token, read_token


@pytest.fixture
def subscriptions(portal_tree):
    subscriber = Subscriber.objects.create(email="Camille.Martin@Example.org")
    lists = [MailingList.objects.create(slug=slug, title=f"Lettre {slug.upper()}") for slug in ("a", "b")]
    for mailing_list in lists:
        Subscription.objects.create(
            subscriber=subscriber, mailing_list=mailing_list, source="form", status=SubscriptionStatus.CONFIRMED
        )
    return subscriber, lists


def statuses(subscriber):
    return dict(subscriber.subscriptions.values_list("mailing_list__slug", "status"))


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_tokens_are_bound_to_their_purpose():
    token = make_token(42, "preferences")
    assert read_token(token, "preferences") == (42, None)
    with pytest.raises(signing.BadSignature):
        read_token(token, "unsubscribe")
    with pytest.raises(signing.BadSignature):
        read_token(token[:-3] + "AAA", "preferences")


def test_email_key_is_case_insensitive(subscriptions):
    subscriber, _ = subscriptions
    assert subscriber.email_key == "camille.martin@example.org"


def test_unsubscribe_page_changes_nothing_on_get_and_one_list_on_post(client, subscriptions):
    subscriber, (list_a, _list_b) = subscriptions
    url = path_of(links.unsubscribe_url(subscriber.pk, list_a.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert "Me désinscrire" in response.text
    assert statuses(subscriber) == {"a": "confirmed", "b": "confirmed"}
    response = client.post(url)
    assert "Vous ne recevrez plus « Lettre A »" in response.text
    assert statuses(subscriber) == {"a": "unsubscribed", "b": "confirmed"}


def test_one_click_post_without_csrf_unsubscribes(subscriptions):
    from django.test import Client

    subscriber, (list_a, _) = subscriptions
    headers = links.list_unsubscribe_headers(subscriber.pk, list_a.pk)
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    https_url, mailto = re.findall(r"<([^>]+)>", headers["List-Unsubscribe"])
    assert mailto.startswith("mailto:")
    client = Client(enforce_csrf_checks=True)
    assert client.get(path_of(https_url)).status_code == 405
    response = client.post(path_of(https_url), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert statuses(subscriber)["a"] == "unsubscribed"
    assert client.post(path_of(https_url)).status_code == 200  # idempotent


def test_confirmation_link_expires(client, subscriptions):
    subscriber, _ = subscriptions
    Subscription.objects.update(status=SubscriptionStatus.PENDING)
    url = path_of(links.confirm_url(subscriber.pk))
    with override_settings(NEWSLETTER_CONFIRM_MAX_AGE_DAYS=-1):
        response = client.get(url)
    assert response.status_code == 400
    assert "expiré" in response.text
    assert statuses(subscriber) == {"a": "pending", "b": "pending"}
    assert client.get(url).status_code == 200
    assert statuses(subscriber) == {"a": "confirmed", "b": "confirmed"}
    assert services.confirm(subscriber.pk) == 0


def test_forged_link_gets_a_french_page(client, portal_tree):
    response = client.get("/lettres/desinscription/pas-un-jeton/")
    assert response.status_code == 400
    assert "pas valide" in response.text
