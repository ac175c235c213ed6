"""Users for the permission tests: a user in the given groups (centre editors, moderators, national team)."""

from django.contrib.auth import get_user_model


def make_user(username, *groups):
    user = get_user_model().objects.create_user(username=username, password="pw-" + username)
    user.groups.add(*groups)
    return user
