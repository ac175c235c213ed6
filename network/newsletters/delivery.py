"""The send record of an issue and one delivery row per recipient (the engine is in sending.py).

`IssueSend` holds the state an operator acts on (scheduled, sending, paused, sent, cancelled),
the lists chosen and the body as rendered when the send started. `Delivery` is the audience
snapshot: one row per address (unique per issue, so an address on two lists gets one mail), and
what happened to it. A row goes pending → claimed (by a worker) → sending (handed to SMTP, one
per worker at a time) → sent; a worker that dies leaves at most its one `sending` row, which
becomes `uncertain` and is never resent automatically.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .issues import NewsletterIssuePage
from .models import MailingList, Subscriber


class SendState(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    SCHEDULED = "scheduled", _("Programmée")
    SENDING = "sending", _("Envoi en cours")
    PAUSED = "paused", _("En pause")
    SENT = "sent", _("Envoyée")
    CANCELLED = "cancelled", _("Annulée")


# States in which the issue's web archive page is public.
ARCHIVED_STATES = (SendState.SENDING, SendState.PAUSED, SendState.SENT)
ACTIVE_STATES = (SendState.SCHEDULED, SendState.SENDING, SendState.PAUSED)


class IssueSend(models.Model):
    issue = models.OneToOneField(NewsletterIssuePage, on_delete=models.CASCADE, related_name="send_record")
    state = models.CharField(_("état"), max_length=10, choices=SendState.choices, default=SendState.DRAFT)
    lists = models.ManyToManyField(MailingList, verbose_name=_("listes"), related_name="+")
    scheduled_at = models.DateTimeField(_("envoi prévu le"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The mail as rendered when the send started: every worker, and a resumed send, sends the same.
    subject = models.CharField(max_length=255, blank=True)
    html = models.TextField(blank=True)
    text = models.TextField(blank=True)
    snapshot_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Final counts, kept when the send ends (demo issues have these without delivery rows).
    recipients_count = models.PositiveIntegerField(default=0)
    sent_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("envoi de lettre")
        verbose_name_plural = _("envois de lettres")

    def __str__(self):
        return f"{self.issue} ({self.get_state_display()})"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("À envoyer")
    CLAIMED = "claimed", _("Réservé par un processus")
    SENDING = "sending", _("En cours d'envoi")
    SENT = "sent", _("Envoyé")
    FAILED = "failed", _("Échec")
    UNCERTAIN = "uncertain", _("Incertain")
    SKIPPED = "skipped", _("Ignoré")


class Delivery(models.Model):
    issue = models.ForeignKey(NewsletterIssuePage, on_delete=models.CASCADE, related_name="deliveries")
    # SET_NULL: erasing a subscriber keeps the issue's counts; the row is then skipped if not sent yet.
    subscriber = models.ForeignKey(Subscriber, null=True, on_delete=models.SET_NULL, related_name="deliveries")
    mailing_list = models.ForeignKey(MailingList, null=True, on_delete=models.SET_NULL, related_name="+")
    state = models.CharField(max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING)
    worker = models.CharField(max_length=100, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    retry_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="one_delivery_per_address")]
        indexes = [models.Index(fields=["issue", "state"])]
        verbose_name = _("envoi à un abonné")
        verbose_name_plural = _("envois aux abonnés")

    def __str__(self):
        return f"{self.issue_id} → {self.subscriber_id} ({self.state})"
