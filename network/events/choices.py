"""An activity's status, apart from the models: pages.py and calendar.py, which models.py builds
on, key their tables by it without importing the models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    SCHEDULED = "scheduled", _("Programmé")
    CANCELLED = "cancelled", _("Annulé")
    POSTPONED = "postponed", _("Reporté")
