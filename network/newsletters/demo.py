"""Demo lists and subscribers: one or two lists per centre (data/demo_lists.json, written per centre),
two national lists, and a few hundred fictitious subscribers on example.org with mixed states.

Deterministic (a seeded generator) and idempotent: lists are created when missing (an admin's edit
stays), subscribers and subscriptions with `ignore_conflicts`. Bulk inserts keep SQLite fast.
"""

import datetime
import json
import random
import unicodedata
from pathlib import Path

from django.utils import timezone

from portal.centres.models import Centre

from . import demo_issues
from .models import (
    MailingList,
    Subscriber,
    SubscriberStatus,
    Subscription,
    SubscriptionSource,
    SubscriptionStatus,
    email_key,
)

DATA = json.loads((Path(__file__).parent / "data" / "demo_lists.json").read_text(encoding="utf-8"))
SUBSCRIBERS = 320
FIRST_NAMES = (
    "Amina",
    "Bastien",
    "Camille",
    "Chloé",
    "Damien",
    "Djibril",
    "Élodie",
    "Fatou",
    "Gaël",
    "Hélène",
    "Inès",
    "Jamel",
    "Karima",
    "Léa",
    "Lucas",
    "Malik",
    "Manon",
    "Mehdi",
    "Nadia",
    "Noémie",
    "Olivier",
    "Pauline",
    "Rachid",
    "Sandrine",
    "Sofiane",
    "Thierry",
    "Yasmine",
    "Zoé",
    "Aurélien",
    "Nathalie",
)
LAST_NAMES = (
    "Martin",
    "Benali",
    "Durand",
    "Traoré",
    "Lefebvre",
    "Nguyen",
    "Moreau",
    "Haddad",
    "Girard",
    "Diallo",
    "Fontaine",
    "Rousseau",
    "Mercier",
    "Cissé",
    "Lambert",
    "Bonnet",
    "Faure",
    "Chevalier",
    "Boyer",
    "Garnier",
    "Ferhat",
    "Leroy",
    "Perrin",
    "Barbier",
    "Marchand",
    "Da-Silva",
)
DEMO_WORDING = "Démonstration : inscription fictive, aucune personne réelle."


def ascii_slug(text):
    return (
        unicodedata.normalize("NFKD", text)
        .encode("ascii", "ignore")
        .decode()
        .lower()
        .replace(" ", "-")
        .replace("--", "-")
    )


def load_lists():
    centres = {centre.code: centre for centre in Centre.objects.all()}
    entries = [(None, item) for item in DATA["national"]]
    entries += [(centres.get(code), item) for code, items in DATA["centres"].items() for item in items]
    for centre, item in entries:
        if centre is None and item not in DATA["national"]:
            continue  # a centre missing from this install
        MailingList.objects.get_or_create(
            slug=item["slug"], defaults={"centre": centre, "title": item["title"], "description": item["description"]}
        )
    slugs = [item["slug"] for _centre, item in entries]
    return list(MailingList.objects.filter(slug__in=slugs).order_by("slug"))


def addresses(rng):
    seen = set()
    while len(seen) < SUBSCRIBERS:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        address = f"{ascii_slug(first)}.{ascii_slug(last)}{rng.randint(1, 99)}@example.org"
        seen.add(address)
    return sorted(seen)


def load(command):
    rng = random.Random(1989)  # noqa: S311 — the year of the first contrat de ville experiments: any fixed seed
    lists = load_lists()
    now = timezone.now().replace(microsecond=0)
    emails = addresses(rng)
    Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=address,
                email_key=email_key(address),
                status=SubscriberStatus.BOUNCED if index % 53 == 7 else SubscriberStatus.ACTIVE,
                created_at=now - datetime.timedelta(days=400 - index),
            )
            for index, address in enumerate(emails)
        ],
        ignore_conflicts=True,
    )
    ids = dict(Subscriber.objects.filter(email_key__in=emails).values_list("email_key", "pk"))
    subscriptions = []
    for address in emails:
        for mailing_list in rng.sample(lists, rng.choice((1, 1, 2, 2, 3))):
            roll = rng.random()
            status = (
                SubscriptionStatus.CONFIRMED
                if roll < 0.8
                else SubscriptionStatus.PENDING
                if roll < 0.9
                else SubscriptionStatus.UNSUBSCRIBED
            )
            asked = now - datetime.timedelta(days=rng.randint(2, 380), minutes=rng.randint(0, 1439))
            subscriptions.append(
                Subscription(
                    subscriber_id=ids[email_key(address)],
                    mailing_list=mailing_list,
                    status=status,
                    source=SubscriptionSource.FORM if rng.random() < 0.85 else SubscriptionSource.IMPORT,
                    consent_at=asked,
                    consent_wording=DEMO_WORDING,
                    confirmation_sent_at=asked,
                    confirmed_at=asked + datetime.timedelta(hours=2) if status != SubscriptionStatus.PENDING else None,
                    unsubscribed_at=now - datetime.timedelta(days=1)
                    if status == SubscriptionStatus.UNSUBSCRIBED
                    else None,
                    created_at=asked,
                )
            )
    Subscription.objects.bulk_create(subscriptions, ignore_conflicts=True)
    command.say(f"Lettres : {len(lists)} listes, {len(emails)} abonnés fictifs (example.org).")
    demo_issues.load(command)
