"""Reporting data: the funding scale of each year (SPEC §6: data with a year, not constants)."""

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
