"""Network events and training (SPEC §2, missions 1 and 2): what a centre organises, and who comes.

Two page types share one abstract base, `ActivityPage` (what, where, for whom, which mission,
socle or not, capacity): `EventPage` (one dated event: a rencontre de réseau, a webinaire, a
séance élus, a session de formation…) and `TrainingCyclePage` (a *cycle de qualification*: dated
`TrainingSession`s that one registration covers). Both sit in a centre's section
(`CentreSectionMixin`) and are classified by the common vocabularies (`ClassifiedPage`).

The socle flag is never typed: `is_socle` is computed on save by the SPEC §2 rule (targets the
QPV, and is in the centre's annual programme, and is not ordered by a single institution) and
stored, so that indicators can count it in SQL. What is recorded here feeds the indicators.
"""

import uuid
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from portal.centres.models import Centre, CentreSectionMixin
from portal.core.kinds import ContentKind
from resources.taxonomy.models import ClassifiedPage

from .choices import Status
from .pages import ActivityPublicMixin
from .search_document import ActivitySearchMixin

TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link"]


class EventType(models.TextChoices):
    NETWORK_MEETING = "rencontre-reseau", _("Rencontre de réseau")
    NEWS_UPDATE = "point-actualite", _("Point d'actualité")
    THEMATIC_DAY = "journee-thematique", _("Journée thématique")
    FIELD_VISIT = "visite-terrain", _("Visite de terrain")
    ELECTED_OFFICIALS = "seance-elus", _("Séance élus")
    WORKING_GROUP = "groupe-travail", _("Groupe de travail")
    WEBINAR = "webinaire", _("Webinaire")
    SEMINAR = "seminaire", _("Séminaire")
    AWARENESS_DAY = "journee-sensibilisation", _("Journée de sensibilisation")
    TRAINING_SESSION = "session-formation", _("Session de formation")


class Mission(models.TextChoices):
    NETWORK = "animation", _("Animer les réseaux d'acteurs")
    SKILLS = "competences", _("Accompagner la montée en compétences")
    CAPITALISATION = "capitalisation", _("Capitaliser et diffuser")


class PublicCategory(models.TextChoices):
    """Who registers: the categories the indicators count (SPEC §5)."""

    ELECTED = "elu", _("Élu·e")
    STATE = "etat", _("Services de l'État")
    LOCAL_AUTHORITY = "collectivite", _("Collectivité territoriale")
    ASSOCIATION = "association", _("Association")
    SOCIAL_LANDLORD = "bailleur", _("Bailleur social")
    ECONOMIC = "acteur_economique", _("Acteur économique")
    RESIDENT = "habitant", _("Habitant·e")
    OTHER = "autre", _("Autre")


# Time zones of the centres' territories: mainland France and the overseas départements.
TIME_ZONES = [
    ("Europe/Paris", _("Métropole (Europe/Paris)")),
    ("America/Guadeloupe", _("Guadeloupe, Saint-Martin (America/Guadeloupe)")),
    ("America/Martinique", _("Martinique (America/Martinique)")),
    ("America/Cayenne", _("Guyane (America/Cayenne)")),
    ("Indian/Reunion", _("La Réunion (Indian/Reunion)")),
    ("Indian/Mayotte", _("Mayotte (Indian/Mayotte)")),
]


def socle_rule(targets_qpv, in_annual_programme, single_institution_order):
    """SPEC §2: socle only if it targets the QPV, is in the annual programme and is no single institution's order."""
    return bool(targets_qpv and in_annual_programme and not single_institution_order)


SOCLE_EXPLANATION = _(
    "Le caractère « socle » est calculé, jamais saisi : une action compte dans le socle si et "
    "seulement si elle cible explicitement les quartiers prioritaires (QPV), fait partie du "
    "programme annuel du centre et n'est pas une commande spécifique d'une seule institution. "
    "Sinon, elle est « hors socle » (financée à part)."
)


class ActivityPage(ActivityPublicMixin, ActivitySearchMixin, CentreSectionMixin, ClassifiedPage, Page):
    """What EventPage and TrainingCyclePage share: the activity, its place, its public, its socle flag."""

    uid = models.UUIDField(_("identifiant stable"), default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    summary = models.TextField(_("résumé"), max_length=600, help_text=_("Apparaît dans l'agenda et les résultats."))
    description = RichTextField(_("description"), features=TEXT_FEATURES, blank=True)
    programme = RichTextField(_("programme"), features=TEXT_FEATURES, blank=True)
    speakers = models.TextField(_("intervenants"), blank=True, help_text=_("Une personne par ligne : nom, fonction."))
    mission = models.CharField(_("mission"), max_length=20, choices=Mission.choices)
    half_days = models.DecimalField(
        _("nombre de demi-journées"), max_digits=4, decimal_places=1, default=1,
        help_text=_("Durée en demi-journées (0,5 pour un webinaire de deux heures)."),
    )  # fmt: skip
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    time_zone = models.CharField(_("fuseau horaire"), max_length=40, choices=TIME_ZONES, default="Europe/Paris")
    # Where: a place and/or an online link.
    place_name = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    commune_insee = models.CharField(_("code INSEE de la commune"), max_length=5, blank=True)
    online_url = models.URLField(_("lien de connexion"), blank=True)
    qpv_focus = models.CharField(
        _("quartiers concernés"), max_length=300, blank=True, help_text=_("QPV visés, le cas échéant.")
    )
    # The three facts of the socle rule (SPEC §2), and the flag computed from them.
    targets_qpv = models.BooleanField(_("cible explicitement les quartiers prioritaires"), default=True)
    in_annual_programme = models.BooleanField(_("fait partie du programme annuel du centre"), default=True)
    single_institution_order = models.BooleanField(_("commande spécifique d'une seule institution"), default=False)
    is_socle = models.BooleanField(_("socle"), default=True, editable=False)
    # Registration (rules in services.py).
    capacity = models.PositiveIntegerField(
        _("nombre de places"), null=True, blank=True, help_text=_("Vide : sans limite de places.")
    )
    registration_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    registration_deadline = models.DateTimeField(_("clôture des inscriptions"), null=True, blank=True)

    activity_panels = [
        FieldPanel("summary"),
        FieldRowPanel([FieldPanel("mission"), FieldPanel("half_days"), FieldPanel("status")]),
        FieldPanel("description"),
        FieldPanel("programme"),
        FieldPanel("speakers"),
    ]
    place_panels = [
        FieldPanel("time_zone"),
        FieldPanel("place_name"),
        FieldPanel("address"),
        FieldPanel("commune_insee"),
        FieldPanel("online_url"),
        FieldPanel("qpv_focus"),
    ]
    socle_panels = [
        HelpPanel(content=SOCLE_EXPLANATION),
        FieldPanel("targets_qpv"),
        FieldPanel("in_annual_programme"),
        FieldPanel("single_institution_order"),
    ]
    registration_panels = [
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("registration_deadline")]),
        FieldPanel("registration_open"),
    ]

    class Meta:
        abstract = True

    @property
    def zone(self):
        return zoneinfo.ZoneInfo(self.time_zone)

    @path("inscription/", name="register")
    def registration_view(self, request):
        from .registration_views import (
            registration_page,  # they import the forms and services, which import this module
        )

        return registration_page(request, self)

    @path("annulation/<str:token>/", name="cancel")
    def cancellation_view(self, request, token):
        from .registration_views import cancellation_page

        return cancellation_page(request, self, token)

    @path("donnees/<str:token>/", name="personal_data")
    def personal_data_view(self, request, token):
        from .registration_views import personal_data_page

        return personal_data_page(request, self, token)

    def compute_socle(self):
        self.is_socle = socle_rule(self.targets_qpv, self.in_annual_programme, self.single_institution_order)

    def save(self, *args, **kwargs):
        self.compute_socle()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.time_zone and self.time_zone not in dict(TIME_ZONES):
            raise ValidationError({"time_zone": _("Fuseau horaire inconnu.")})
        if not (self.place_name or self.address or self.online_url):
            raise ValidationError(_("Indiquez un lieu, une adresse ou un lien de connexion."))


class EventPage(ActivityPage):
    content_kind = ContentKind(
        slug="evenement",
        label="Événement",
        plural="Événements",
        date_fields=("starts_at",),
        in_library=False,
        in_dossiers=True,
        ages=True,
    )

    event_type = models.CharField(_("type d'événement"), max_length=30, choices=EventType.choices)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    all_day = models.BooleanField(_("toute la journée"), default=False, help_text=_("Seules les dates comptent."))

    content_panels = [
        *Page.content_panels,
        FieldPanel("event_type"),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]), FieldPanel("all_day")],
            heading=_("Dates"),
        ),
        *ActivityPage.activity_panels,
        MultiFieldPanel(ActivityPage.place_panels, heading=_("Lieu")),
        MultiFieldPanel(ClassifiedPage.vocabulary_panels, heading=_("Classement")),
        MultiFieldPanel(ActivityPage.socle_panels, heading=_("Socle ou hors socle")),
        MultiFieldPanel(ActivityPage.registration_panels, heading=_("Inscriptions")),
        InlinePanel("documents", heading=_("Documents (avant et après)"), label=_("document")),
    ]

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")

    def clean(self):
        super().clean()
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("La fin précède le début.")})

    def sessions_for_calendar(self):
        """[(start, end)] of the event: one."""
        return [(self.starts_at, self.ends_at)]


class TrainingCyclePage(ActivityPage):
    """A *cycle de qualification*: several dated sessions on one theme; one registration covers them all."""

    content_kind = ContentKind(
        slug="cycle-qualification",
        label="Cycle de qualification",
        plural="Cycles de qualification",
        date_fields=("starts_at",),
        in_library=False,
        in_dossiers=True,
        ages=True,
    )

    objectives = RichTextField(_("objectifs pédagogiques"), features=TEXT_FEATURES, blank=True)
    expected_output = models.CharField(
        _("production attendue"),
        max_length=300,
        blank=True,
        help_text=_("Outil, guide ou note co-produit, le cas échéant."),
    )
    # The first session's start and the last one's end, kept on save: the agenda and search date by them.
    starts_at = models.DateTimeField(_("début"), null=True, editable=False)
    ends_at = models.DateTimeField(_("fin"), null=True, editable=False)

    content_panels = [
        *Page.content_panels,
        *ActivityPage.activity_panels,
        FieldPanel("objectives"),
        FieldPanel("expected_output"),
        InlinePanel("sessions", heading=_("Séances"), label=_("séance"), min_num=1),
        MultiFieldPanel(ActivityPage.place_panels, heading=_("Lieu")),
        MultiFieldPanel(ClassifiedPage.vocabulary_panels, heading=_("Classement")),
        MultiFieldPanel(ActivityPage.socle_panels, heading=_("Socle ou hors socle")),
        MultiFieldPanel(ActivityPage.registration_panels, heading=_("Inscriptions")),
        InlinePanel("documents", heading=_("Documents (avant et après)"), label=_("document")),
    ]

    class Meta:
        verbose_name = _("cycle de qualification")
        verbose_name_plural = _("cycles de qualification")

    def save(self, *args, **kwargs):
        sessions = [s for s in self.sessions.all() if s.starts_at]
        if sessions:
            self.starts_at = min(s.starts_at for s in sessions)
            self.ends_at = max(s.ends_at or s.starts_at for s in sessions)
        super().save(*args, **kwargs)

    def sessions_for_calendar(self):
        return [(s.starts_at, s.ends_at) for s in self.sessions.all()]


class TrainingSession(Orderable):
    """One dated session of a cycle."""

    page = ParentalKey(TrainingCyclePage, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("intitulé de la séance"), max_length=200)
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    place_name = models.CharField(_("lieu (si différent)"), max_length=200, blank=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
        FieldPanel("place_name"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("séance")
        verbose_name_plural = _("séances")

    def clean(self):
        if self.starts_at and self.ends_at and self.ends_at < self.starts_at:
            raise ValidationError({"ends_at": _("La fin précède le début.")})


class DocumentMoment(models.TextChoices):
    BEFORE = "before", _("Avant (programme, supports)")
    AFTER = "after", _("Après (diaporamas, actes)")


class ActivityDocumentBase(Orderable):
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(_("titre"), max_length=255, blank=True)
    moment = models.CharField(_("moment"), max_length=6, choices=DocumentMoment.choices, default=DocumentMoment.BEFORE)

    panels = [FieldPanel("document"), FieldPanel("title"), FieldPanel("moment")]

    class Meta(Orderable.Meta):
        abstract = True


class EventDocument(ActivityDocumentBase):
    page = ParentalKey(EventPage, on_delete=models.CASCADE, related_name="documents")


class CycleDocument(ActivityDocumentBase):
    page = ParentalKey(TrainingCyclePage, on_delete=models.CASCADE, related_name="documents")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmée")
    WAITING = "waiting", _("Liste d'attente")
    CANCELLED = "cancelled", _("Annulée")


class Attendance(models.TextChoices):
    UNKNOWN = "", _("Non renseignée")
    PRESENT = "present", _("Présent·e")
    ABSENT = "absent", _("Absent·e")
    EXCUSED = "excused", _("Excusé·e")


class Registration(models.Model):
    """A person registered to an event or a cycle (for a cycle, to all its sessions). Personal data:
    never indexed, never in the API; erased some months after the event (counts are kept apart)."""

    activity = models.ForeignKey(
        Page, verbose_name=_("activité"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("nom"), max_length=200)
    email = models.EmailField(_("adresse électronique"))
    # Lower-cased e-mail: one registration per address and activity, whatever the case typed.
    email_key = models.CharField(max_length=254, editable=False)
    organisation = models.CharField(_("structure"), max_length=200, blank=True)
    public_category = models.CharField(_("catégorie de public"), max_length=20, choices=PublicCategory.choices)
    territory = models.CharField(_("territoire"), max_length=200, blank=True)
    accessibility_needs = models.TextField(_("besoins d'accessibilité"), blank=True)
    consent_at = models.DateTimeField(_("consentement donné le"), default=timezone.now)
    status = models.CharField(_("statut"), max_length=10, choices=RegistrationStatus.choices)
    # Order on the waiting list (and of arrival): promotions follow it.
    position = models.PositiveIntegerField(_("rang d'arrivée"))
    attendance = models.CharField(_("présence"), max_length=8, choices=Attendance.choices, blank=True, default="")
    source = models.CharField(_("origine"), max_length=20, default="form")  # form, staff, import
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("annulée le"), null=True, blank=True)
    # Set when the reminder mail is queued: `event_reminders` sends it once.
    reminder_sent_at = models.DateTimeField(_("rappel envoyé le"), null=True, blank=True, editable=False)
    # Likewise for the mail telling of the activity's cancellation, and the one with the documents after it.
    cancellation_notice_sent_at = models.DateTimeField(
        _("annulation de l'activité annoncée le"), null=True, blank=True, editable=False
    )
    documents_sent_at = models.DateTimeField(_("documents envoyés le"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["activity_id", "position"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "email_key"], name="one_registration_per_email"),
            models.UniqueConstraint(fields=["activity", "position"], name="one_registration_per_position"),
        ]

    def __str__(self):
        return f"{self.name} — {self.get_status_display()}"

    def save(self, *args, **kwargs):
        self.email_key = self.email.strip().lower()
        super().save(*args, **kwargs)


class AttendanceCount(models.Model):
    """Anonymous counts per activity and public category, kept after personal data is erased (indicators)."""

    activity = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="attendance_counts")
    public_category = models.CharField(max_length=20, choices=PublicCategory.choices)
    registered = models.PositiveIntegerField(default=0)
    present = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("effectif anonyme")
        verbose_name_plural = _("effectifs anonymes")
        constraints = [
            models.UniqueConstraint(fields=["activity", "public_category"], name="one_count_per_category"),
        ]

    def __str__(self):
        return f"{self.get_public_category_display()} : {self.registered} inscrits, {self.present} présents"
