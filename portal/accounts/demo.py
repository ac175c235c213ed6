"""Demo accounts: an administrator and one editor and one moderator for a sample centre."""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from portal.centres.models import Centre

from .roles import NATIONAL_ADMINS, sync_roles

DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "demo-crpv-2026")


def _user(username, email, **flags):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults={"email": email, **flags})
    for key, value in flags.items():
        setattr(user, key, value)
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def load(command):
    sync_roles()
    _user("admin", "admin@crpv.localhost", is_staff=True, is_superuser=True)
    national = _user("anct", "anct@crpv.localhost", first_name="Équipe", last_name="nationale")
    national.groups.add(Group.objects.get(name=NATIONAL_ADMINS))
    centre = Centre.objects.get(code="labo-cites")
    _user("editeur-labo-cites", "editeur@labo-cites.localhost").groups.add(centre.editors_group)
    _user("moderateur-labo-cites", "moderateur@labo-cites.localhost").groups.add(centre.moderators_group)
    command.say(
        f"Comptes de démonstration (mot de passe « {DEMO_PASSWORD} ») : "
        "admin (superutilisateur), anct (équipe nationale), "
        "editeur-labo-cites, moderateur-labo-cites."
    )
