"""A worker process killed with SIGKILL mid-send: `newsletter send` again resumes without skipping or
repeating anyone, and the one message in flight is reported as uncertain.

The command runs as a subprocess on the test database, with two worker processes; what it reads is
written (and deleted afterwards) through `tests.committed`, so this stays an ordinary rolled-back
test and the session's demo content survives it. The SMTP handler kills the worker that is sending
the 12th message while that worker waits for the server's answer: the server has the message, the
worker never learns it.
"""

import os
import signal
import subprocess
import sys
import threading
import uuid
from collections import Counter

import pytest
from django.conf import settings as django_settings
from django.db import connection
from wagtail.models import Page

from network.newsletters.delivery import Delivery, DeliveryState
from network.newsletters.models import MailingList, Subscriber
from tests.committed import committed

from .newsletter_helpers import make_issue, make_list, subscribe
from .smtp_loopback import Inbox, start_smtp

KILL_AT = 12


def database_url():
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture
def committed_issue(demo_content):
    """A list of 40 confirmed subscribers and an issue to it, committed; removed afterwards."""
    tag = uuid.uuid4().hex[:8]
    addresses = [f"crash-{tag}-{n:02d}@example.org" for n in range(40)]

    def create():
        mailing_list = make_list("irev")
        for address in addresses:
            subscribe(address, mailing_list)
        return mailing_list, make_issue("irev", [mailing_list])

    mailing_list, issue = committed(create)
    yield issue, addresses

    def remove():
        Page.objects.get(pk=issue.pk).delete()  # its send record and deliveries go with it
        Subscriber.objects.filter(email__in=addresses).delete()
        MailingList.objects.filter(pk=mailing_list.pk).delete()

    committed(remove)


def test_a_killed_worker_leaves_one_uncertain_message_and_a_second_run_finishes(committed_issue):
    issue, addresses = committed_issue
    killed = []

    once = threading.Lock()

    def kill_the_sender(inbox, message):
        # Two workers deliver side by side: the 13th message can land before the 12th's callback
        # reads the count, so « at least KILL_AT », once (the callbacks run in threads).
        with once:
            if len(inbox.messages) < KILL_AT or killed:
                return
            row = Delivery.objects.get(subscriber__email=message["To"], state=DeliveryState.SENDING)
            pid = int(row.worker.split(":")[1])
            os.kill(pid, signal.SIGKILL)
            killed.append((pid, message["To"]))

    inbox = Inbox(on_message=kill_the_sender)
    controller, port = start_smtp(inbox)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.test",
        "DATABASE_URL": database_url(),
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "NEWSLETTER_BATCH_SIZE": "5",
    }
    command = [sys.executable, "manage.py", "newsletter", "send", str(issue.pk), "--workers", "2"]
    try:
        first = subprocess.run(command, cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True)
        assert killed, first.stderr
        assert "arrêtés anormalement" in first.stderr
        second = subprocess.run(command, cwd=django_settings.BASE_DIR, env=env, capture_output=True, text=True)
        assert second.returncode == 0, second.stderr
        status = subprocess.run(
            [sys.executable, "manage.py", "newsletter", "status", str(issue.pk)],
            cwd=django_settings.BASE_DIR,
            env=env,
            capture_output=True,
            text=True,
        )
    finally:
        controller.stop()

    received = Counter(inbox.recipients())
    uncertain = set(
        Delivery.objects.filter(issue=issue, state=DeliveryState.UNCERTAIN).values_list("subscriber__email", flat=True)
    )
    assert uncertain == {killed[0][1]}  # the message in flight, and only it
    assert set(received) == set(addresses)  # nobody skipped
    assert sum(received.values()) - len(addresses) <= len(killed)  # at most one duplicate per killed worker
    assert Delivery.objects.filter(issue=issue, state=DeliveryState.SENT).count() == len(addresses) - 1
    assert "incertains 1" in status.stdout and killed[0][1] in status.stdout
