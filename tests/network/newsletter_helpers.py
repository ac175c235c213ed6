"""Shared builders for the newsletter tests: lists of two centres, staff users, mail links."""

import re

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from network.newsletters.models import MailingList
from portal.accounts.roles import NATIONAL_ADMINS
from portal.centres.models import Centre

from .test_registration_mails import text_of


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


def make_list(slug, centre_code=None, title=None):
    centre = Centre.objects.get(code=centre_code) if centre_code else None
    return MailingList.objects.create(slug=slug, centre=centre, title=title or f"Lettre {slug}")
