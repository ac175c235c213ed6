"""Shared builders for the newsletter tests: lists, subscribers, issues, staff users, mail links."""

import re
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from network.newsletters.issues import NewsletterIssuePage
from network.newsletters.models import (
    MailingList,
    Subscriber,
    SubscriberStatus,
    Subscription,
    SubscriptionSource,
    SubscriptionStatus,
)
from portal.accounts.roles import NATIONAL_ADMINS
from portal.centres.models import Centre, CentrePage

from .smtp_loopback import text_of


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def link_in(message, fragment):
    """The first link of the text part whose path contains `fragment`, as a path."""
    return path_of(re.search(rf"https?://\S*{fragment}\S*", text_of(message)).group(0))


def staff(username, centre_code=None):
    """An admin user: a centre's editor, or the national team when no centre is given."""
    user = get_user_model().objects.create_user(username, f"{username}@crpv.example", "pw")
    if centre_code:
        user.groups.add(Centre.objects.get(code=centre_code).editors_group)
    else:
        user.groups.add(Group.objects.get(name=NATIONAL_ADMINS))
    return user


def make_list(centre_code=None, slug=None, title=None):
    """A centre's list, or a national one when no centre is given."""
    centre = Centre.objects.get(code=centre_code) if centre_code else None
    slug = slug or f"lettre-{centre_code or 'nationale'}-{uuid.uuid4().hex[:6]}"
    return MailingList.objects.create(centre=centre, slug=slug, title=title or f"Lettre {slug}")


def subscribe(address, mailing_list, status=SubscriptionStatus.CONFIRMED, subscriber_status=SubscriberStatus.ACTIVE):
    subscriber, _created = Subscriber.objects.get_or_create(
        email_key=address.lower(), defaults={"email": address, "status": subscriber_status}
    )
    Subscription.objects.create(
        subscriber=subscriber,
        mailing_list=mailing_list,
        status=status,
        source=SubscriptionSource.FORM,
        consent_at=timezone.now(),
        consent_wording="J'accepte de recevoir la lettre.",
    )
    return subscriber


def make_issue(centre_code, lists=(), items=(), title="Lettre de printemps"):
    section = CentrePage.objects.get(centre__code=centre_code)
    body = [("text", "<p>Le mot de l'équipe : trois nouveautés ce mois-ci.</p>")]
    body += [("item", {"page": page, "note": ""}) for page in items]
    page = NewsletterIssuePage(
        title=title,
        slug=f"lettre-{uuid.uuid4().hex[:8]}",
        subject=f"{title} — les nouvelles du centre",
        intro="Bonjour, voici les nouvelles du réseau.",
        body=body,
        live=False,
    )
    section.add_child(instance=page)
    page.lists.set(list(lists))
    page.save()
    page.save_revision()
    return NewsletterIssuePage.objects.get(pk=page.pk)
