"""Provider webhooks through django-anymail: a hard bounce or a complaint stops mail to the address."""

import base64
import json

import pytest
from django.test import Client

from network.newsletters import sending
from network.newsletters.delivery import Delivery, DeliveryState
from network.newsletters.models import SubscriberStatus

from .newsletter_helpers import make_issue, make_list, subscribe

pytestmark = pytest.mark.django_db
SECRET = "postmark:s3cret-du-webhook"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": SECRET}


def post(client, provider, payload, secret=SECRET):
    auth = "Basic " + base64.b64encode(secret.encode()).decode()
    return client.post(
        f"/lettres/webhooks/{provider}/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=auth,
    )


def postmark_bounce(address, kind="HardBounce"):
    """Postmark's bounce webhook, as in its documentation (and anymail's tests)."""
    return {
        "RecordType": "Bounce",
        "ID": 4323372036854775807,
        "Type": kind,
        "TypeCode": 1,
        "Name": "Hard bounce",
        "Tag": "lettre",
        "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        "ServerID": 23,
        "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
        "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
        "Email": address,
        "From": "ne-pas-repondre@crpv.example",
        "BouncedAt": "2025-04-27T16:28:50.3963933-04:00",
        "DumpAvailable": True,
        "Inactive": True,
        "CanActivate": True,
        "Subject": "Lettre de printemps",
    }


def test_a_postmark_hard_bounce_marks_the_subscriber_bounced_and_a_send_skips_it(client):
    mailing_list = make_list("irev")
    gone = subscribe("Adresse.Morte@example.org", mailing_list)
    subscribe("lecteur@example.org", mailing_list)
    issue = make_issue("irev", [mailing_list])
    sending.schedule(issue.pk, [mailing_list.pk], enqueue=False)
    sending.start(issue.pk, force=True)

    response = post(client, "postmark", postmark_bounce("adresse.morte@example.org"))

    assert response.status_code == 200
    gone.refresh_from_db()
    assert gone.status == SubscriberStatus.BOUNCED
    sending.Worker(issue.pk).run()
    assert Delivery.objects.get(issue=issue, subscriber=gone).state == DeliveryState.SKIPPED
    assert Delivery.objects.get(issue=issue, subscriber__email="lecteur@example.org").state == DeliveryState.SENT


def test_a_soft_bounce_changes_nothing(client):
    subscriber = subscribe("boite.pleine@example.org", make_list("irev"))
    assert post(client, "postmark", postmark_bounce(subscriber.email, kind="SoftBounce")).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE


def test_a_brevo_spam_complaint_marks_the_subscriber_complained(client):
    subscriber = subscribe("pas.content@example.org", make_list("irev"))
    event = {  # Brevo's transactional webhook, as in its documentation
        "event": "spam",
        "email": "pas.content@example.org",
        "id": 1234567,
        "date": "2025-04-28 10:20:04",
        "ts": 1745828404,
        "message-id": "<202504281020.12345678901@smtp-relay.mailin.fr>",
        "ts_event": 1745828404,
        "subject": "Lettre de printemps",
        "tag": "lettre",
        "sending_ip": "185.41.28.109",
        "ts_epoch": 1745828404123,
    }
    assert post(client, "brevo", event).status_code == 200
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.COMPLAINED


def test_without_the_secret_the_webhook_is_refused():
    client = Client(raise_request_exception=False)  # as in production: a 400, not an exception
    subscriber = subscribe("adresse@example.org", make_list("irev"))
    response = post(client, "postmark", postmark_bounce(subscriber.email), secret="postmark:mauvais")
    assert response.status_code == 400
    subscriber.refresh_from_db()
    assert subscriber.status == SubscriberStatus.ACTIVE
