"""Demo issues: per centre, three sent issues (public archive pages) and one in preparation.

Each issue is composed from the centre's own demo content, picked by query in its section (its
experience sheets, publications, events and training cycles), so subjects and introductions
name that centre's items. Sent issues get a send record in state `sent` with the counts of a
plausible send and dates in the past, but no delivery rows (the status page reads the counts
from the record). Deterministic (a generator seeded by the centre's code) and idempotent: an
issue whose slug already exists in the section is left alone.
"""

import datetime
import random
import zlib

from django.utils import timezone
from django.utils.formats import date_format

from network.events.models import EventPage, TrainingCyclePage
from portal.centres.models import CentrePage
from resources.experiences.models import ExperienceSheetPage
from resources.publications.models import PublicationPage

from .delivery import IssueSend, SendState
from .issues import NewsletterIssuePage
from .models import MailingList, Subscription

SENT_ISSUES = 3
SUBJECTS = (
    "{centre} — lettre de {month} : « {sheet} »",
    "Les nouvelles de {centre} ({month}) : {publication}",
    "{month} au {centre} : une expérience, une publication, un rendez-vous",
    "Lettre d'information de {month} — à la une : « {sheet} »",
    "{centre} : ce que nous avons appris en {month}",
)
INTROS = (
    "Bonjour, ce mois-ci nous revenons sur « {sheet} », une expérience qui a retenu l'attention de "
    "nombreux partenaires, et nous vous présentons « {publication} ».",
    "Bonjour, au sommaire de cette lettre : la fiche « {sheet} », notre dernière publication, "
    "« {publication} », et le prochain temps d'échange du centre.",
    "Chères et chers partenaires, l'équipe vous propose de découvrir « {sheet} » et de relire "
    "« {publication} » avant nos prochains rendez-vous.",
    "Bonjour, une lettre consacrée à ce qui se fait sur nos territoires : « {sheet} », puis "
    "« {publication} », la publication qui prolonge nos travaux de l'année.",
)
EDITORIALS = (
    "<p>Les contrats de ville « Engagements quartiers 2030 » entrent dans leur phase de mise en œuvre : "
    "nous accompagnons les équipes projet dans la construction de leurs programmations annuelles.</p>",
    "<p>Merci aux professionnels et aux habitants qui ont participé à nos dernières rencontres : leurs "
    "retours nourrissent le programme des mois à venir.</p>",
    "<p>La participation des habitants reste au cœur de nos travaux : conseils citoyens, budgets "
    "participatifs, maisons du projet… partagez-nous vos expériences.</p>",
    "<p>Nouveaux arrivants dans le réseau, délégués du préfet, chefs de projet : notre cycle de "
    "qualification vous est ouvert, n'hésitez pas à nous contacter.</p>",
    "<p>L'emploi des jeunes des quartiers prioritaires sera le fil rouge de nos prochains échanges : "
    "insertion, apprentissage, lien avec les entreprises du territoire.</p>",
    "<p>Nous avons mis à jour notre centre de ressources : les fiches d'expériences sont désormais "
    "classées par thème et par territoire, pour une recherche plus rapide.</p>",
)
NOTES = (
    "À lire pour préparer vos prochaines programmations.",
    "Une démarche transposable, retenue par le comité de rédaction.",
    "Les inscriptions sont ouvertes.",
    "",
)


def _titles(pages):
    return [page for page in pages if page.title]


def content_of(centre):
    """The centre's live items, newest first, picked in its section."""
    live = {"centre": centre, "live": True}
    return {
        "sheets": _titles(ExperienceSheetPage.objects.filter(**live).order_by("-first_published_at", "pk")[:6]),
        "publications": _titles(PublicationPage.objects.filter(**live).order_by("-first_published_at", "pk")[:6]),
        "events": _titles(EventPage.objects.filter(**live).order_by("-starts_at", "pk")[:6]),
        "cycles": _titles(TrainingCyclePage.objects.filter(**live).order_by("pk")[:2]),
    }


def _pick(items, index, fallback=""):
    return items[index % len(items)] if items else fallback


def compose(centre, content, number, when, rng):
    """Title, subject, intro and blocks of a centre's issue number `number`, dated `when`."""
    sheet = _pick(content["sheets"], number)
    publication = _pick(content["publications"], number)
    event = _pick(content["events"], number) or _pick(content["cycles"], number)
    names = {
        "centre": centre.name,
        "month": date_format(when, "F Y"),
        "sheet": getattr(sheet, "title", "nos fiches d'expériences"),
        "publication": getattr(publication, "title", "nos publications"),
    }
    offset = zlib.crc32(centre.code.encode())  # per centre: its four issues get four different wordings
    body = [("text", EDITORIALS[(number + offset) % len(EDITORIALS)])]
    body += [("item", {"page": page, "note": rng.choice(NOTES)}) for page in (sheet, publication, event) if page]
    return {
        # The centre's name first: every centre has a « Lettre n° 3 », and one title for several
        # centres' issues would read (and be grouped by search) as the same text published twice.
        "title": f"{centre.name} — lettre n° {number}, {names['month']}",
        "subject": SUBJECTS[(number + offset) % len(SUBJECTS)].format(**names),
        "intro": INTROS[(number + offset) % len(INTROS)].format(**names),
        "body": body,
    }


def _create(section, slug, fields, lists):
    page = NewsletterIssuePage(slug=slug, live=False, **fields)
    section.add_child(instance=page)
    page.lists.set(lists)
    return page, page.save_revision()


def _mark_sent(page, revision, lists, when, audience):
    failed = audience // 40
    record = IssueSend.objects.create(
        issue=page,
        state=SendState.SENT,
        subject=page.subject,
        scheduled_at=when,
        snapshot_at=when,
        started_at=when,
        finished_at=when + datetime.timedelta(minutes=2),
        recipients_count=audience,
        sent_count=audience - failed,
        failed_count=failed,
    )
    record.lists.set(lists)
    revision.publish()  # the archive page: public once sent
    NewsletterIssuePage.objects.filter(pk=page.pk).update(
        first_published_at=when, last_published_at=when, latest_revision_created_at=when
    )


def load(command):
    now = timezone.now().replace(second=0, microsecond=0)
    created = 0
    for section in CentrePage.objects.select_related("centre").order_by("centre__code"):
        centre = section.centre
        rng = random.Random(centre.code)  # noqa: S311 — demo data, deterministic per centre
        lists = list(MailingList.objects.filter(centre=centre).order_by("slug"))
        if not lists:
            continue
        existing = set(NewsletterIssuePage.objects.child_of(section).values_list("slug", flat=True))
        audience = (
            Subscription.objects.audience().filter(mailing_list__in=lists).values("subscriber_id").distinct().count()
        )
        content = content_of(centre)
        for number in range(1, SENT_ISSUES + 1):
            slug = f"lettre-{number}"
            if slug in existing:
                continue
            when = now - datetime.timedelta(days=35 * (SENT_ISSUES + 1 - number) + rng.randint(0, 6), hours=3)
            page, revision = _create(section, slug, compose(centre, content, number, when, rng), lists)
            _mark_sent(page, revision, lists, when, audience)
            created += 1
        if "lettre-en-preparation" not in existing:
            fields = compose(centre, content, SENT_ISSUES + 1, now + datetime.timedelta(days=20), rng)
            _create(section, "lettre-en-preparation", fields, lists)
            created += 1
    command.say(f"Lettres : {created} numéros créés (envoyés avec leur archive, et un brouillon par centre).")
