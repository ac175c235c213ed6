"""Reporting data: the funding scale of each year (SPEC §6: data with a year, not constants)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .funding import Scale

RATE = {"max_digits": 4, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(1)]}
EUROS = {"max_digits": 9, "decimal_places": 2, "validators": [MinValueValidator(0)]}
INDEX = {"max_digits": 3, "decimal_places": 1, "validators": [MinValueValidator(0), MaxValueValidator(10)]}


class FundingScaleQuerySet(models.QuerySet):
    def for_year(self, year):
        """The scale in force in `year`: the latest one whose year is not after it."""
        return self.filter(year__lte=year).order_by("-year").first()


class FundingScale(models.Model):
    """The financial annex's amounts for a year; the first row is the annex of the cadre de référence."""

    year = models.PositiveSmallIntegerField(_("année d'entrée en vigueur"), unique=True)
    salary_direction = models.DecimalField(_("salaire chargé — direction (€)"), **EUROS)
    salary_assistant = models.DecimalField(_("salaire chargé — assistance (€)"), **EUROS)
    salary_senior = models.DecimalField(_("salaire chargé — chargé de mission sénior (€)"), **EUROS)
    salary_junior = models.DecimalField(_("salaire chargé — chargé de mission junior (€)"), **EUROS)
    extra_fte_salary = models.DecimalField(_("salaire chargé d'un ETP supplémentaire (€)"), **EUROS)
    metro_running_rate = models.DecimalField(_("frais de fonctionnement — métropole (part)"), **RATE)
    overseas_running_rate = models.DecimalField(_("frais de fonctionnement — outre-mer (part)"), **RATE)
    state_share = models.DecimalField(_("part de l'État (part)"), **RATE)
    qpv_weight = models.DecimalField(_("poids du nombre de QPV"), **RATE)
    distance_weight = models.DecimalField(_("poids de la distance médiane"), **RATE)
    bracket_1_upper = models.DecimalField(_("indice maximal pour 0 ETP supplémentaire"), **INDEX)
    bracket_2_upper = models.DecimalField(_("indice maximal pour +1 ETP"), **INDEX)
    bracket_3_upper = models.DecimalField(_("indice maximal pour +2 ETP (au-delà : +3)"), **INDEX)

    objects = FundingScaleQuerySet.as_manager()

    class Meta:
        ordering = ["-year"]
        verbose_name = _("barème de financement")
        verbose_name_plural = _("barèmes de financement")

    def __str__(self):
        return _("Barème %(year)s") % {"year": self.year}

    def clean(self):
        errors = {}
        weights = (self.qpv_weight, self.distance_weight)
        if None not in weights and sum(weights) != 1:
            errors["distance_weight"] = _("Les deux poids doivent faire 1 ensemble (par exemple 0,70 et 0,30).")
        bounds = [self.bracket_1_upper, self.bracket_2_upper, self.bracket_3_upper]
        if None not in bounds and not bounds[0] < bounds[1] < bounds[2]:
            errors["bracket_3_upper"] = _("Les bornes des tranches doivent être croissantes.")
        if errors:
            raise ValidationError(errors)

    def to_scale(self):
        return Scale(
            year=self.year,
            salary_direction=self.salary_direction,
            salary_assistant=self.salary_assistant,
            salary_senior=self.salary_senior,
            salary_junior=self.salary_junior,
            extra_fte_salary=self.extra_fte_salary,
            metro_running_rate=self.metro_running_rate,
            overseas_running_rate=self.overseas_running_rate,
            state_share=self.state_share,
            qpv_weight=self.qpv_weight,
            distance_weight=self.distance_weight,
            brackets=(self.bracket_1_upper, self.bracket_2_upper, self.bracket_3_upper),
        )

    @classmethod
    def fields_from_scale(cls, scale):
        bracket_1, bracket_2, bracket_3 = scale.brackets
        fields = {name: getattr(scale, name) for name in SCALE_AMOUNTS}
        return {**fields, "bracket_1_upper": bracket_1, "bracket_2_upper": bracket_2, "bracket_3_upper": bracket_3}


SCALE_AMOUNTS = (
    "salary_direction",
    "salary_assistant",
    "salary_senior",
    "salary_junior",
    "extra_fte_salary",
    "metro_running_rate",
    "overseas_running_rate",
    "state_share",
    "qpv_weight",
    "distance_weight",
)


class TerritoryFigures(models.Model):
    """A centre's territory for a year, as the funding counts it: QPV covered and median distance."""

    centre = models.ForeignKey(
        "centres.Centre", verbose_name=_("centre"), on_delete=models.CASCADE, related_name="territory_figures"
    )
    year = models.PositiveSmallIntegerField(_("année"))
    qpv_count = models.PositiveIntegerField(_("nombre de QPV couverts"))
    median_distance_km = models.DecimalField(
        _("distance médiane aux communes en politique de la ville (km)"),
        max_digits=6,
        decimal_places=1,
        validators=[MinValueValidator(0)],
        help_text=_("Itinéraire routier le plus court ; à vol d'oiseau pour les territoires insulaires."),
    )
    source = models.CharField(_("source"), max_length=255, blank=True)

    class Meta:
        ordering = ["-year", "centre__name"]
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="one_territory_figure_per_year")]
        verbose_name = _("données territoriales")
        verbose_name_plural = _("données territoriales")

    def __str__(self):
        return f"{self.centre} — {self.year}"


class Correspondent(models.Model):
    """A regional correspondent (the `Correspondants régionaux` group) and the region they follow."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("utilisateur"), on_delete=models.CASCADE)
    region = models.ForeignKey("taxonomy.Region", verbose_name=_("région"), on_delete=models.CASCADE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="one_correspondent_per_region")]
        verbose_name = _("correspondant régional")
        verbose_name_plural = _("correspondants régionaux")

    def __str__(self):
        return f"{self.user} — {self.region}"


class ReportState(models.TextChoices):
    DRAFT = "draft", _("En cours de saisie")
    SUBMITTED = "submitted", _("Transmis")
    REVIEWED = "reviewed", _("Avis régional rendu")
    VALIDATED = "validated", _("Validé par l'équipe nationale")


MONEY = {"max_digits": 11, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}
FTE = {"max_digits": 5, "decimal_places": 2, "null": True, "blank": True, "validators": [MinValueValidator(0)]}
COUNT = {"null": True, "blank": True}
FUNDERS = [
    ("state", _("État (BOP 147)")),
    ("regions", _("Régions")),
    ("departements", _("Départements")),
    ("communal", _("Bloc communal")),
    ("other", _("Autres")),
]


class ActivityReport(models.Model):
    """A centre's annual activity report: computed figures (snapshot on submission) + what it enters.

    draft → submitted (locked; `snapshot` keeps the computed figures as they were) → reviewed (the
    region's correspondent writes the *avis évaluatif synthétique*) → validated (national team).
    """

    centre = models.ForeignKey("centres.Centre", verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("année"))
    state = models.CharField(_("état"), max_length=10, choices=ReportState.choices, default=ReportState.DRAFT)
    fte_total = models.DecimalField(_("ETP de l'équipe"), **FTE)
    fte_socle = models.DecimalField(_("dont ETP sur le socle"), **FTE)
    team_training_hours = models.PositiveIntegerField(_("formation de l'équipe : heures"), **COUNT)
    team_training_people = models.PositiveIntegerField(_("formation de l'équipe : personnes formées"), **COUNT)
    national_meetings = models.PositiveIntegerField(_("rencontres du réseau national suivies"), **COUNT)
    competitive_revenue = models.DecimalField(_("recettes de prestations concurrentielles (€)"), **MONEY)
    # Budget by funder, socle and complementary apart (analytical accounting, SPEC §6).
    state_socle = models.DecimalField(_("État (BOP 147) — socle (€)"), **MONEY)
    regions_socle = models.DecimalField(_("Régions — socle (€)"), **MONEY)
    departements_socle = models.DecimalField(_("Départements — socle (€)"), **MONEY)
    communal_socle = models.DecimalField(_("Bloc communal — socle (€)"), **MONEY)
    other_socle = models.DecimalField(_("Autres — socle (€)"), **MONEY)
    state_complementary = models.DecimalField(_("État (BOP 147) — complémentaire (€)"), **MONEY)
    regions_complementary = models.DecimalField(_("Régions — complémentaire (€)"), **MONEY)
    departements_complementary = models.DecimalField(_("Départements — complémentaire (€)"), **MONEY)
    communal_complementary = models.DecimalField(_("Bloc communal — complémentaire (€)"), **MONEY)
    other_complementary = models.DecimalField(_("Autres — complémentaire (€)"), **MONEY)
    comments = models.TextField(_("commentaires qualitatifs"), blank=True)
    snapshot = models.JSONField(_("chiffres calculés à la transmission"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    regional_opinion = models.TextField(_("avis évaluatif synthétique"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    validated_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-year", "centre__name"]
        constraints = [models.UniqueConstraint(fields=["centre", "year"], name="one_report_per_centre_and_year")]
        verbose_name = _("rapport d'activité")
        verbose_name_plural = _("rapports d'activité")

    def __str__(self):
        return f"{self.centre} — {self.year}"

    def budget(self):
        """{funder: {"socle": €, "complementary": €}} as entered (None where not entered)."""
        return {
            key: {"socle": getattr(self, f"{key}_socle"), "complementary": getattr(self, f"{key}_complementary")}
            for key, _label in FUNDERS
        }

    def entered_for_commitments(self):
        """The entered figures the commitments need, or None for each one that is incomplete."""
        socle = [getattr(self, f"{key}_socle") for key, _label in FUNDERS]
        complementary = [getattr(self, f"{key}_complementary") for key, _label in FUNDERS]
        socle_total = sum(socle) if None not in socle else None
        annual = socle_total + sum(complementary) if socle_total is not None and None not in complementary else None
        return {
            "state_socle": self.state_socle,
            "socle_total": socle_total,
            "competitive_revenue": self.competitive_revenue,
            "annual_budget": annual,
        }


class DashboardPublication(models.Model):
    """A year's dashboard made public (by June of N+1, SPEC §4): its summary page and the indicators API."""

    year = models.PositiveSmallIntegerField(_("année"), unique=True)
    published_at = models.DateTimeField(_("publié le"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("tableau de bord publié")
        verbose_name_plural = _("tableaux de bord publiés")

    def __str__(self):
        return str(self.year)
