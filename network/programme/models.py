"""The national programme (SPEC §4): each year's chantiers, their calls, who joins, what is contributed.

The chantiers themselves are the managed vocabulary `taxonomy.Chantier` (sheets name theirs in the
exchange format); this app adds what the national team runs around them:

- `ChantierCall`: the call for contributions of a chantier (description, expected format, deadline);
- `Participation`: a centre joining a chantier (the indicators count the chantiers joined);
- `Contribution`: an experience sheet or a publication of a centre, put forward for a chantier,
  reviewed by the national team (submitted → changes requested ⇄ resubmitted → accepted), with
  its `ReviewComment`s. Each state change is also written to the audit log.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from portal.centres.models import Centre


class ChantierCall(models.Model):
    chantier = models.OneToOneField(
        "taxonomy.Chantier", verbose_name=_("chantier"), on_delete=models.CASCADE, related_name="call"
    )
    description = models.TextField(_("présentation de l'appel"))
    expected_format = models.TextField(
        _("format attendu"), help_text=_("Fiches d'expérience, publications, durée, points à documenter…")
    )
    deadline = models.DateField(_("date limite des contributions"))

    class Meta:
        ordering = ["-chantier__year", "chantier__code"]
        verbose_name = _("appel à contributions")
        verbose_name_plural = _("appels à contributions")

    def __str__(self):
        return str(self.chantier)

    @property
    def is_open(self):
        return timezone.localdate() <= self.deadline


class Participation(models.Model):
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.CASCADE, related_name="+")
    chantier = models.ForeignKey(
        "taxonomy.Chantier", verbose_name=_("chantier"), on_delete=models.CASCADE, related_name="participations"
    )
    joined_at = models.DateTimeField(_("rejoint le"), default=timezone.now)
    joined_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["centre", "chantier"], name="one_participation_per_chantier")]
        verbose_name = _("participation à un chantier")
        verbose_name_plural = _("participations aux chantiers")

    def __str__(self):
        return f"{self.centre} — {self.chantier}"


class ContributionStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Soumise")
    CHANGES_REQUESTED = "changes", _("Modifications demandées")
    ACCEPTED = "accepted", _("Retenue")


class Contribution(models.Model):
    chantier = models.ForeignKey(
        "taxonomy.Chantier", verbose_name=_("chantier"), on_delete=models.PROTECT, related_name="contributions"
    )
    centre = models.ForeignKey(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    page = models.ForeignKey(Page, verbose_name=_("contribution"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("état"), max_length=10, choices=ContributionStatus.choices)
    submitted_at = models.DateTimeField(_("soumise le"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("examinée le"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [models.UniqueConstraint(fields=["chantier", "page"], name="one_contribution_per_page")]
        verbose_name = _("contribution au programme national")
        verbose_name_plural = _("contributions au programme national")

    def __str__(self):
        return f"{self.page.title} → {self.chantier}"


class ReviewComment(models.Model):
    contribution = models.ForeignKey(Contribution, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The state the contribution entered with this comment ("" for a plain comment).
    status = models.CharField(max_length=10, choices=ContributionStatus.choices, blank=True)
    text = models.TextField(_("commentaire"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.text[:60]
