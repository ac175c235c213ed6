"""`newsletter send`, `newsletter status` and `newsletter list`: the engine of sending.py from the command line.

`send` runs N worker processes (each its own database and SMTP connections) while the parent
shows a tqdm progress bar; it resumes a send already started (after a crash, run it again).
"""

import json
import multiprocessing
import time

from django.core.management.base import CommandError
from django.db import connections
from tqdm import tqdm

from . import sending
from .delivery import Delivery, DeliveryState, IssueSend, SendState
from .issues import NewsletterIssuePage
from .models import MailingList


def add_arguments(subcommands):
    send_parser = subcommands.add_parser("send", help="Envoyer (ou reprendre l'envoi d')une lettre.")
    send_parser.add_argument("issue_id", type=int)
    send_parser.add_argument(
        "--list", dest="lists", action="append", default=[], metavar="SLUG", help="Liste destinataire (répétable)."
    )
    send_parser.add_argument("--workers", type=int, default=1, help="Processus d'envoi en parallèle.")
    send_parser.add_argument(
        "--resend-uncertain", action="store_true", help="Renvoyer les messages incertains (décision humaine)."
    )
    send_parser.set_defaults(run=send)
    status_parser = subcommands.add_parser("status", help="État de l'envoi d'une lettre.")
    status_parser.add_argument("issue_id", type=int)
    status_parser.set_defaults(run=status)
    list_parser = subcommands.add_parser("list", help="Toutes les lettres, avec leur état.")
    list_parser.add_argument("--json", action="store_true")
    list_parser.set_defaults(run=list_issues)


def _issue(issue_id):
    issue = NewsletterIssuePage.objects.filter(pk=issue_id).first()
    if issue is None:
        raise CommandError(f"Aucune lettre d'information n'a l'identifiant {issue_id}.")
    return issue


def _record_lists(issue, slugs):
    """The lists to send to: --list when given, else the issue's own."""
    if slugs:
        lists = list(MailingList.objects.filter(slug__in=slugs))
        unknown = set(slugs) - {item.slug for item in lists}
        if unknown:
            raise CommandError(f"Liste inconnue : {', '.join(sorted(unknown))}.")
        return lists
    revision = issue.get_latest_revision()
    draft = revision.as_object() if revision else issue
    return list(draft.lists.all())


def send(options, stdout):
    issue = _issue(options["issue_id"])
    record = IssueSend.objects.filter(issue=issue).first()
    if record is None or record.state == SendState.DRAFT:
        lists = _record_lists(issue, options["lists"])
        if not lists:
            raise CommandError("Cette lettre n'a aucune liste destinataire : indiquez --list SLUG.")
        try:
            sending.schedule(issue.pk, [item.pk for item in lists], enqueue=False)
        except sending.SendError as error:
            raise CommandError(" ".join(error.messages)) from error
    elif options["lists"]:
        stdout.write("L'envoi a déjà commencé : --list est ignoré, l'audience est celle enregistrée.")
    if options["resend_uncertain"]:
        stdout.write(f"{sending.resend_uncertain(issue.pk)} message(s) incertain(s) remis à envoyer.")
    record = sending.start(issue.pk, force=True)
    if record.state == SendState.SENT:
        status({"issue_id": issue.pk}, stdout)
        return
    if record.state != SendState.SENDING:
        raise CommandError(f"Rien à envoyer : la lettre est « {record.get_state_display()} ».")
    released, uncertain = sending.recover(issue.pk)
    if released or uncertain:
        stdout.write(f"Reprise : {released} message(s) remis à envoyer, {uncertain} incertain(s).")
    dead = _run_workers(issue.pk, max(options["workers"], 1))
    sending.recover(issue.pk)
    sending.finish_if_done(issue.pk)
    status({"issue_id": issue.pk}, stdout)
    if dead:
        raise CommandError(
            f"{dead} processus d'envoi se sont arrêtés anormalement : relancez « newsletter send {issue.pk} »."
        )


def _worker_process(issue_id):
    connections.close_all()  # never share the parent's database connection
    sending.Worker(issue_id).run()


def _run_workers(issue_id, workers):
    """Runs the workers; returns how many died abnormally."""
    total = Delivery.objects.filter(issue_id=issue_id).count()
    done = lambda: Delivery.objects.filter(issue_id=issue_id).exclude(state__in=sending.UNFINISHED).count()  # noqa: E731
    with tqdm(total=total, initial=done(), unit="msg", desc="Envoi") as bar:
        if workers == 1:
            sending.Worker(issue_id, on_progress=bar.update).run()
            return 0
        connections.close_all()  # the children open their own
        context = multiprocessing.get_context("fork")
        processes = [context.Process(target=_worker_process, args=(issue_id,)) for _n in range(workers)]
        for process in processes:
            process.start()
        while any(process.is_alive() for process in processes):
            time.sleep(0.5)
            bar.n = done()
            bar.refresh()
        bar.n = done()
        bar.refresh()
    return sum(1 for process in processes if process.exitcode != 0)


def status(options, stdout):
    issue = _issue(options["issue_id"])
    record = IssueSend.objects.filter(issue=issue).first()
    state = record.get_state_display() if record else SendState.DRAFT.label
    counts = sending.progress(issue.pk)
    stdout.write(f"Lettre {issue.pk} « {issue.title} » ({issue.centre}) : {state}")
    stdout.write(
        f"envoyés {counts['sent']} · échecs {counts['failed']} · incertains {counts['uncertain']} · "
        f"restants {counts['remaining']} · ignorés {counts['skipped']} · total {counts['total']} · "
        f"{counts['rate_per_minute']} msg/min"
    )
    uncertain = Delivery.objects.filter(issue=issue, state=DeliveryState.UNCERTAIN).select_related("subscriber")
    for delivery in uncertain[:50]:
        address = delivery.subscriber.email if delivery.subscriber else "(adresse effacée)"
        stdout.write(f"  incertain : {address} — {delivery.last_error}")


def list_issues(options, stdout):
    records = {record.issue_id: record for record in IssueSend.objects.prefetch_related("lists")}
    rows = []
    for issue in NewsletterIssuePage.objects.select_related("centre").order_by("centre__name", "pk"):
        record = records.get(issue.pk)
        lists = record.lists.all() if record else issue.lists.all()
        rows.append(
            {
                "id": issue.pk,
                "centre": issue.centre.code,
                "title": issue.title,
                "state": record.state if record else SendState.DRAFT.value,
                "lists": [item.slug for item in lists],
            }
        )
    if options["json"]:
        stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        stdout.write(
            f"{row['id']:>6}  {row['centre']:<20} {row['state']:<10} {row['title']}  [{', '.join(row['lists'])}]"
        )
