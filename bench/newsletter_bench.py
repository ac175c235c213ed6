"""Messages per second of `newsletter send` against a bare smtplib loop, same SMTP sink, same run.

    export DATABASE_URL=postgres://…/crpv_bench   # a scratch database: the bench migrates it
    .venv/bin/python bench/newsletter_bench.py -n 10000 -n 100000 [--workers 2] [--profile]

For each N: creates N confirmed subscribers on one list (bulk_create), an issue, then
  1. baseline: one smtplib connection sending N pre-built messages (the issue's own bytes);
  2. `newsletter send ISSUE --workers W` through the real command (a subprocess).
The sink is aiosmtpd in a separate process that only counts messages. Prints messages/s of
each, the ratio (target ≥ 0.7) and the send's wall time. `--profile` profiles one worker
(in-process, W=1) and prints where the time goes.
"""

import argparse
import cProfile
import io
import multiprocessing
import os
import pstats
import smtplib
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")


def sink(port, counter):
    """An SMTP server that accepts and counts (a separate process: it must not share our GIL)."""
    import logging

    from aiosmtpd.controller import Controller

    logging.getLogger("mail.log").setLevel(logging.WARNING)  # a log line per SMTP command would cost the sink CPU

    class Count:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    while True:
        time.sleep(3600)


def prepare(count):
    from django.utils import timezone

    from network.newsletters.models import MailingList, Subscriber, Subscription
    from portal.centres.models import Centre
    from tests.network.newsletter_helpers import make_issue

    tag = uuid.uuid4().hex[:6]
    centre = Centre.objects.get(code="irev")
    mailing_list = MailingList.objects.create(centre=centre, slug=f"bench-{tag}", title=f"Banc {tag}")
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [Subscriber(email=f"b{tag}-{n}@example.org", email_key=f"b{tag}-{n}@example.org") for n in range(count)],
        batch_size=5000,
    )
    Subscription.objects.bulk_create(
        [
            Subscription(subscriber=s, mailing_list=mailing_list, status="confirmed", source="import", consent_at=now)
            for s in subscribers
        ],
        batch_size=5000,
    )
    return make_issue("irev", [mailing_list], title=f"Lettre de banc {tag}")


def baseline(issue, port, count):
    """smtplib alone: the same message bytes, pre-built, over one connection."""
    from network.newsletters.rendering import MailTemplate, render_issue, sender

    template = MailTemplate(render_issue(issue.get_latest_revision_as_object()), sender(issue.centre))
    raw = template.build("someone@example.org", 1, 1, template.new_message_id())
    messages = [(f"r{n}@example.org", raw) for n in range(count)]
    start = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for address, body in messages:
            smtp.sendmail(template.envelope_from, [address], body)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, action="append", dest="sizes")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    options = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from portal.accounts.roles import sync_roles
    from portal.centres.services import sync_centres

    sync_centres()
    sync_roles()
    from network.newsletters import sending

    port = 20000 + os.getpid() % 20000
    counter = multiprocessing.Value("l", 0)
    server = multiprocessing.Process(target=sink, args=(port, counter), daemon=True)
    server.start()
    time.sleep(1)
    env = {**os.environ, "EMAIL_URL": f"smtp://127.0.0.1:{port}", "LOG_LEVEL": "WARNING"}
    for count in options.sizes or [10_000]:
        issue = prepare(count)
        bare = baseline(issue, port, count)
        before = counter.value
        if options.profile:
            from django.conf import settings

            settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
            settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
            sending.schedule(issue.pk, list(issue.lists.values_list("pk", flat=True)), enqueue=False)
            sending.start(issue.pk, force=True)
            profiler = cProfile.Profile()
            start = time.perf_counter()
            profiler.runcall(sending.Worker(issue.pk).run)
            took = time.perf_counter() - start
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
            print(out.getvalue())
        else:
            start = time.perf_counter()
            subprocess.run(
                [sys.executable, "manage.py", "newsletter", "send", str(issue.pk), "--workers", str(options.workers)],
                cwd=ROOT,
                env=env,
                check=True,
                stderr=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
            )
            took = time.perf_counter() - start
        received = counter.value - before
        from network.newsletters.delivery import IssueSend

        record = IssueSend.objects.get(issue_id=issue.pk)
        loop = (record.finished_at - record.snapshot_at).total_seconds()
        print(
            f"N={count}: bare smtplib {count / bare:,.0f} msg/s ({bare:.1f} s); newsletter send "
            f"(workers={1 if options.profile else options.workers}) {received / took:,.0f} msg/s ({took:.1f} s, "
            f"{received} received); ratio {bare / took:.2f}; sending loop alone {loop:.1f} s, "
            f"{count / loop:,.0f} msg/s, ratio {bare / loop:.2f}"
        )
    server.terminate()


if __name__ == "__main__":
    main()
