"""Sending an issue to a real SMTP server on loopback: audience, per-recipient headers, retries, pause, cancel."""

import json
import re
import uuid
from io import StringIO
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from wagtail.models import Page

from network.newsletters import sending
from network.newsletters.delivery import Delivery, DeliveryState, IssueSend, SendState
from network.newsletters.links import list_unsubscribe_headers, preferences_url, unsubscribe_url
from network.newsletters.models import MailingList, Subscriber, SubscriberStatus, SubscriptionStatus
from resources.experiences.models import ExperienceSheetPage
from tests.committed import committed

from .newsletter_helpers import make_issue, make_list, subscribe
from .smtp_loopback import Inbox, html_of, start_smtp, text_of, use_smtp


@pytest.fixture
def smtp(settings):
    inbox = Inbox()
    controller, port = start_smtp(inbox)
    use_smtp(settings, port)
    settings.NEWSLETTER_RETRY_SECONDS = 0
    settings.NEWSLETTER_STATE_CHECK_SECONDS = 0
    yield inbox
    controller.stop()


def sheet_of(centre_code):
    return ExperienceSheetPage.objects.live().filter(centre__code=centre_code).order_by("pk").first()


def test_every_confirmed_deliverable_address_gets_exactly_one_mail_with_its_own_links(demo_content, smtp, client):
    first, second = make_list("labo-cites"), make_list("labo-cites")
    confirmed = [subscribe(f"personne{n}@example.org", first) for n in range(3)]
    both = subscribe("deux-listes@example.org", first)
    subscribe("deux-listes@example.org", second)
    subscribe("pas-confirme@example.org", first, status=SubscriptionStatus.PENDING)
    subscribe("parti@example.org", first, status=SubscriptionStatus.UNSUBSCRIBED)
    subscribe("rejete@example.org", first, subscriber_status=SubscriberStatus.BOUNCED)
    subscribe("plainte@example.org", second, subscriber_status=SubscriberStatus.COMPLAINED)
    sheet = sheet_of("labo-cites")
    issue = make_issue("labo-cites", [first, second], items=[sheet])
    # A correction made after composing reaches the mail: blocks are rendered from the page at send time.
    sheet.title = "Titre corrigé après la composition"
    sheet.save_revision().publish()
    archive_url = issue.get_url()
    assert client.get(archive_url).status_code == 404  # a draft is not public

    call_command("newsletter", "send", str(issue.pk), stdout=StringIO())

    expected = {s.email for s in confirmed} | {both.email}
    assert sorted(smtp.recipients()) == sorted(expected)  # one mail each, none to the others
    deliveries = {d.subscriber.email: d for d in Delivery.objects.filter(issue=issue).select_related("subscriber")}
    for message in smtp.messages:
        delivery = deliveries[message["To"]]
        headers = list_unsubscribe_headers(delivery.subscriber_id, delivery.mailing_list_id)
        assert message["List-Unsubscribe"] == headers["List-Unsubscribe"]
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert preferences_url(delivery.subscriber_id) in text_of(message)
        assert unsubscribe_url(delivery.subscriber_id, delivery.mailing_list_id) in html_of(message)
        assert "Titre corrigé après la composition" in html_of(message)
        assert 'style="' in html_of(message)  # the CSS is inlined
        assert delivery.state == DeliveryState.SENT and delivery.message_id == message["Message-ID"]
        assert message["Subject"] == issue.subject
    assert IssueSend.objects.get(issue=issue).state == SendState.SENT
    issue.refresh_from_db()
    assert issue.live  # the archive page is published by the send
    assert client.get(archive_url).status_code == 200


def test_one_click_link_of_the_mail_unsubscribes(demo_content, smtp, client):
    mailing_list = make_list("irev")
    subscriber = subscribe("lecteur@example.org", mailing_list)
    issue = make_issue("irev", [mailing_list])
    call_command("newsletter", "send", str(issue.pk), stdout=StringIO())
    [message] = smtp.messages
    one_click = re.search(r"<(https?://[^>]+)>", message["List-Unsubscribe"]).group(1)
    response = client.post(urlparse(one_click).path, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert subscriber.subscriptions.get().status == SubscriptionStatus.UNSUBSCRIBED


def test_temporary_errors_are_retried_and_permanent_ones_recorded(demo_content, smtp, settings):
    settings.NEWSLETTER_MAX_ATTEMPTS = 3
    mailing_list = make_list("irev")
    for name in ("ok", "plus-tard", "inconnu", "toujours-plus-tard"):
        subscribe(f"{name}@example.org", mailing_list)
    smtp.answers = {
        "plus-tard@example.org": ["451 4.7.1 Greylisted, try again"],
        "inconnu@example.org": ["550 5.1.1 No such user"],
        "toujours-plus-tard@example.org": ["451 4.3.0 Busy"] * 5,
    }
    issue = make_issue("irev", [mailing_list])
    call_command("newsletter", "send", str(issue.pk), stdout=StringIO())

    rows = {d.subscriber.email: d for d in Delivery.objects.filter(issue=issue).select_related("subscriber")}
    assert rows["ok@example.org"].state == DeliveryState.SENT and rows["ok@example.org"].attempts == 1
    assert rows["plus-tard@example.org"].state == DeliveryState.SENT and rows["plus-tard@example.org"].attempts == 2
    assert rows["inconnu@example.org"].state == DeliveryState.FAILED
    assert rows["inconnu@example.org"].last_error.startswith("550")
    assert rows["toujours-plus-tard@example.org"].state == DeliveryState.FAILED
    assert rows["toujours-plus-tard@example.org"].attempts == 3
    assert sorted(smtp.recipients()) == ["ok@example.org", "plus-tard@example.org"]
    assert IssueSend.objects.get(issue=issue).state == SendState.SENT


def test_pause_stops_between_messages_and_resume_sends_the_rest_once(demo_content, smtp, settings):
    settings.NEWSLETTER_BATCH_SIZE = 4
    mailing_list = make_list("irev")
    for n in range(10):
        subscribe(f"abonne{n}@example.org", mailing_list)
    issue = make_issue("irev", [mailing_list])
    sending.schedule(issue.pk, [mailing_list.pk], enqueue=False)

    def pause_after_three(_count):
        if len(smtp.messages) == 3:
            sending.pause(issue.pk)

    sending.start(issue.pk)
    sending.Worker(issue.pk, on_progress=pause_after_three).run()
    assert len(smtp.messages) == 3
    assert IssueSend.objects.get(issue=issue).state == SendState.PAUSED
    assert Delivery.objects.filter(issue=issue, state=DeliveryState.PENDING).count() == 7
    assert not Delivery.objects.filter(issue=issue, state__in=["claimed", "sending"]).exists()

    sending.resume(issue.pk, enqueue=False)
    sending.run_worker(issue.pk)
    assert sorted(smtp.recipients()) == sorted(f"abonne{n}@example.org" for n in range(10))
    assert IssueSend.objects.get(issue=issue).state == SendState.SENT


def test_cancel_skips_what_was_not_sent(demo_content, smtp):
    mailing_list = make_list("irev")
    for n in range(5):
        subscribe(f"abonne{n}@example.org", mailing_list)
    issue = make_issue("irev", [mailing_list])
    sending.schedule(issue.pk, [mailing_list.pk], enqueue=False)
    sending.start(issue.pk)
    sending.Worker(issue.pk, on_progress=lambda _n: len(smtp.messages) == 2 and sending.cancel(issue.pk)).run()
    assert len(smtp.messages) == 2
    assert Delivery.objects.filter(issue=issue, state=DeliveryState.SKIPPED).count() == 3
    assert sending.run_worker(issue.pk) == 0 and len(smtp.messages) == 2


def test_the_task_sends_when_scheduled_through_the_service(demo_content, smtp, django_capture_on_commit_callbacks):
    mailing_list = make_list("labo-cites")
    subscribe("tache@example.org", mailing_list)
    issue = make_issue("labo-cites", [mailing_list])
    with django_capture_on_commit_callbacks(execute=True):
        sending.schedule(issue.pk, [mailing_list.pk])
    assert smtp.recipients() == ["tache@example.org"]


def test_status_and_list_commands(demo_content, smtp):
    mailing_list = make_list("labo-cites", slug="lettre-labo-test")
    subscribe("a@example.org", mailing_list)
    sent = make_issue("labo-cites", title="Lettre envoyée")
    draft = make_issue("labo-cites", [mailing_list], title="Lettre en préparation")
    call_command("newsletter", "send", str(sent.pk), "--list", "lettre-labo-test", stdout=StringIO())
    out = StringIO()
    call_command("newsletter", "status", str(sent.pk), stdout=out)
    assert "Envoyée" in out.getvalue() and "envoyés 1" in out.getvalue()
    out = StringIO()
    call_command("newsletter", "list", "--json", stdout=out)
    rows = {row["id"]: row for row in json.loads(out.getvalue())}
    assert rows[sent.pk] == {
        "id": sent.pk,
        "centre": "labo-cites",
        "title": "Lettre envoyée",
        "state": "sent",
        "lists": ["lettre-labo-test"],
    }
    assert rows[draft.pk]["state"] == "draft" and rows[draft.pk]["lists"] == ["lettre-labo-test"]


def test_send_without_any_list_is_refused_in_french(demo_content):
    issue = make_issue("irev")
    with pytest.raises(Exception, match="aucune liste destinataire"):
        call_command("newsletter", "send", str(issue.pk), stdout=StringIO())


def test_each_message_reaches_the_server_only_once_its_row_is_sending_and_the_previous_sent(demo_content, settings):
    """The invariant behind « at most one uncertain message per worker », checked from the server's side
    (another database connection, committed rows only) at every DATA, with the overlapped marks.

    The worker runs on a connection of its own (`tests.committed`), so its commits are real ones;
    the test stays an ordinary rolled-back one and the rows it commits are removed at the end."""
    seen = []
    addresses = [f"ordre-{uuid.uuid4().hex[:6]}-{n:02d}@example.org" for n in range(15)]

    def check(inbox, message):
        states = dict(Delivery.objects.filter(issue=issue).values_list("subscriber__email", "state"))
        seen.append((states[message["To"]], [states[address] for address in inbox.recipients()[:-1]]))

    def create():
        mailing_list = make_list("irev")
        for address in addresses:
            subscribe(address, mailing_list)
        return mailing_list, make_issue("irev", [mailing_list])

    def remove():
        Page.objects.get(pk=issue.pk).delete()
        Subscriber.objects.filter(email__in=addresses).delete()
        MailingList.objects.filter(pk=mailing_list.pk).delete()

    inbox = Inbox(on_message=check)
    controller, port = start_smtp(inbox)
    use_smtp(settings, port)
    mailing_list, issue = committed(create)
    try:
        committed(lambda: sending.schedule(issue.pk, [mailing_list.pk], enqueue=False))
        committed(sending.run_worker, issue.pk)
    finally:
        controller.stop()
        committed(remove)
    assert len(seen) == 15
    assert all(state == DeliveryState.SENDING and set(before) <= {DeliveryState.SENT} for state, before in seen)
