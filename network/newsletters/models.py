"""Newsletter lists and their subscribers (SPEC §5: active diffusion, newsletters sent, subscribers).

Three records, so that consent is kept per list and an address is stored once:

- `MailingList`: a centre's list (or a national one when `centre` is empty), with a public slug;
- `Subscriber`: one e-mail address (unique, case-insensitive through `email_key`) and its
  deliverability (a hard bounce or a complaint stops every mail to it);
- `Subscription`: an address on a list, with the consent as given (date, source, the wording
  shown) and its double opt-in state. Only a *confirmed* subscription of a *deliverable*
  subscriber is in an audience: an unconfirmed address receives nothing but its confirmation
  request.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.accounts.roles import is_national
from portal.centres.models import Centre


class MailingListQuerySet(models.QuerySet):
    def for_user(self, user):
        """The lists this user may see, export and mail: the national team all, a centre's staff its own."""
        if not user.is_authenticated:
            return self.none()
        if is_national(user):
            return self
        return self.filter(centre__in=Centre.objects.for_user(user))

    def public(self):
        return self.filter(is_active=True)


class MailingList(models.Model):
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mailing_lists",
        help_text=_("Vide pour une liste nationale, gérée par l'équipe nationale."),
    )
    slug = models.SlugField(_("identifiant"), max_length=80, unique=True)
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("ouverte aux inscriptions"), default=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = MailingListQuerySet.as_manager()

    class Meta:
        ordering = ["centre__name", "title"]
        verbose_name = _("liste de diffusion")
        verbose_name_plural = _("listes de diffusion")

    def __str__(self):
        return self.title

    @property
    def is_national(self):
        return self.centre_id is None


class SubscriberStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    BOUNCED = "bounced", _("Rejetée (erreur permanente)")
    COMPLAINED = "complained", _("Signalée comme indésirable")


class Subscriber(models.Model):
    email = models.EmailField(_("adresse électronique"))
    # The lower-cased address: one Subscriber per mailbox, whatever the case typed.
    email_key = models.CharField(max_length=254, unique=True, editable=False)
    status = models.CharField(
        _("état de l'adresse"), max_length=12, choices=SubscriberStatus.choices, default=SubscriberStatus.ACTIVE
    )
    status_changed_at = models.DateTimeField(_("état changé le"), null=True, blank=True)
    themes = models.ManyToManyField(
        "taxonomy.Theme", verbose_name=_("thèmes qui l'intéressent"), blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)

    class Meta:
        verbose_name = _("abonné")
        verbose_name_plural = _("abonnés")

    def __str__(self):
        return self.email

    def save(self, *args, **kwargs):
        self.email_key = email_key(self.email)
        super().save(*args, **kwargs)

    @property
    def is_deliverable(self):
        return self.status == SubscriberStatus.ACTIVE


def email_key(address):
    return (address or "").strip().lower()


class SubscriptionStatus(models.TextChoices):
    PENDING = "pending", _("En attente de confirmation")
    CONFIRMED = "confirmed", _("Confirmée")
    UNSUBSCRIBED = "unsubscribed", _("Désinscrit")


class SubscriptionSource(models.TextChoices):
    FORM = "form", _("Formulaire du portail")
    IMPORT = "import", _("Import de fichier")
    STAFF = "staff", _("Saisie par l'équipe")
    PREFERENCES = "preferences", _("Page de préférences")


class SubscriptionQuerySet(models.QuerySet):
    def audience(self):
        """Who may be mailed: confirmed on the list, and the address still deliverable."""
        return self.filter(status=SubscriptionStatus.CONFIRMED, subscriber__status=SubscriberStatus.ACTIVE)


class Subscription(models.Model):
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="subscriptions")
    mailing_list = models.ForeignKey(MailingList, on_delete=models.CASCADE, related_name="subscriptions")
    status = models.CharField(
        _("état"), max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    source = models.CharField(_("origine"), max_length=12, choices=SubscriptionSource.choices)
    # Consent as it was given: when, through what, and the exact wording the person saw.
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    consent_wording = models.TextField(_("texte du consentement"), blank=True)
    confirmation_sent_at = models.DateTimeField(_("demande de confirmation envoyée le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désinscrit le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "mailing_list"], name="one_subscription_per_list"),
        ]
        indexes = [models.Index(fields=["mailing_list", "status"])]
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")

    def __str__(self):
        return f"{self.subscriber} → {self.mailing_list}"


class AlertSource(models.TextChoices):
    SEARCH = "recherche", _("Recherche")
    LIBRARY = "bibliotheque", _("Bibliothèque")
    AGENDA = "agenda", _("Agenda")


class AlertFrequency(models.TextChoices):
    DAILY = "daily", _("Chaque jour")
    WEEKLY = "weekly", _("Chaque semaine")


class SavedSearchAlertQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=SubscriptionStatus.CONFIRMED, subscriber__status=SubscriberStatus.ACTIVE)


class SavedSearchAlert(models.Model):
    """A search kept for one address: mailed, daily or weekly, with only what was published since the last run.

    Same double opt-in and consent rules as a subscription (its status reuses their states).
    `query` holds the search's parameters as a query string, in the one filter vocabulary.
    """

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="alerts")
    source = models.CharField(_("page d'origine"), max_length=12, choices=AlertSource.choices)
    query = models.CharField(_("paramètres de la recherche"), max_length=2000, blank=True)
    frequency = models.CharField(_("fréquence"), max_length=6, choices=AlertFrequency.choices)
    status = models.CharField(
        _("état"), max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.PENDING
    )
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    consent_wording = models.TextField(_("texte du consentement"), blank=True)
    confirmation_sent_at = models.DateTimeField(_("demande de confirmation envoyée le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmée le"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désinscrit le"), null=True, blank=True)
    # The window already looked at ends here (items first published after it are new); the
    # last mail actually sent, when something was new.
    last_checked_at = models.DateTimeField(_("dernière vérification"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("dernier envoi"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), default=timezone.now)

    objects = SavedSearchAlertQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "source", "query"], name="one_alert_per_search"),
        ]
        indexes = [models.Index(fields=["status", "frequency"])]
        verbose_name = _("alerte de recherche")
        verbose_name_plural = _("alertes de recherche")

    def __str__(self):
        return f"{self.subscriber} : {self.get_source_display()} ?{self.query}"


# Issues and their sending live in their own modules; imported here so that Django registers their models.
from .delivery import Delivery, IssueSend  # noqa: E402, F401, I001
from .issues import NewsletterIssuePage  # noqa: E402, F401
