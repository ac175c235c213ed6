"""Managed vocabularies: the slug is the identifier used by the exchange format, the label is what people read.

Slugs are stable (imports, the API and saved searches use them); labels can be edited freely.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel


class TermQuerySet(models.QuerySet):
    def by_slugs(self, slugs):
        """The terms for these slugs, and the slugs that match nothing (to report them)."""
        found = {term.slug: term for term in self.filter(slug__in=slugs)}
        return [found[s] for s in slugs if s in found], [s for s in slugs if s not in found]


class Term(models.Model):
    slug = models.SlugField(_("identifiant"), max_length=60, unique=True)
    label = models.CharField(_("libellé"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    sort_order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    objects = TermQuerySet.as_manager()

    panels = [FieldPanel("slug"), FieldPanel("label"), FieldPanel("description"), FieldPanel("sort_order")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "label"]

    def __str__(self):
        return self.label


class Pillar(Term):
    class Meta(Term.Meta):
        verbose_name = _("pilier du contrat de ville")
        verbose_name_plural = _("piliers du contrat de ville")


class TransversalAxis(Term):
    class Meta(Term.Meta):
        verbose_name = _("axe transversal")
        verbose_name_plural = _("axes transversaux")


class Theme(Term):
    class Meta(Term.Meta):
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")


class Public(Term):
    class Meta(Term.Meta):
        verbose_name = _("public")
        verbose_name_plural = _("publics")


class ResourceType(Term):
    class Meta(Term.Meta):
        verbose_name = _("type de ressource")
        verbose_name_plural = _("types de ressource")


class Region(models.Model):
    code = models.CharField(
        _("code INSEE"), max_length=2, unique=True, validators=[RegexValidator(r"^\d{2}$", _("Deux chiffres."))]
    )
    name = models.CharField(_("nom"), max_length=80)

    panels = [FieldPanel("code"), FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("région")
        verbose_name_plural = _("régions")

    def __str__(self):
        return self.name


class Departement(models.Model):
    code = models.CharField(
        _("code INSEE"),
        max_length=3,
        unique=True,
        validators=[RegexValidator(r"^(\d{2}|2[AB]|97\d)$", _("Deux chiffres, 2A, 2B ou 97x."))],
    )
    name = models.CharField(_("nom"), max_length=80)
    region = models.ForeignKey(Region, verbose_name=_("région"), on_delete=models.PROTECT, related_name="departements")

    panels = [FieldPanel("code"), FieldPanel("name"), FieldPanel("region")]

    class Meta:
        ordering = ["code"]
        verbose_name = _("département")
        verbose_name_plural = _("départements")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Chantier(models.Model):
    """A chantier of the national programme (SPEC §4: at most three a year, opened by a call for contributions).

    Sheets name the chantier they contribute to; the exchange format carries its `code`.
    """

    code = models.SlugField(
        _("code"), max_length=60, unique=True, help_text=_("Identifiant stable, utilisé par le format d'échange.")
    )
    title = models.CharField(_("intitulé"), max_length=200)
    year = models.PositiveSmallIntegerField(_("année du programme"), null=True, blank=True)

    panels = [FieldPanel("code"), FieldPanel("title"), FieldPanel("year")]

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = _("chantier du programme national")
        verbose_name_plural = _("chantiers du programme national")

    def __str__(self):
        return f"{self.title} ({self.year})" if self.year else self.title

    def clean(self):
        """SPEC §4: at most MAX_CHANTIERS_PER_YEAR chantiers in a year's programme."""
        if self.year is None:
            return
        others = Chantier.objects.filter(year=self.year).exclude(pk=self.pk)
        if others.count() >= MAX_CHANTIERS_PER_YEAR:
            titles = ", ".join(f"« {title} »" for title in others.values_list("title", flat=True))
            raise ValidationError(
                {
                    "year": _(
                        "Le programme %(year)s compte déjà %(max)s chantiers (%(titles)s) : c'est le maximum. "
                        "Choisissez une autre année ou retirez d'abord un chantier."
                    )
                    % {"year": self.year, "max": MAX_CHANTIERS_PER_YEAR, "titles": titles}
                }
            )


MAX_CHANTIERS_PER_YEAR = 3


class ClassifiedPage(models.Model):
    """Pages classified by the common vocabularies (SPEC §3): sheets and publications.

    The four fields and their admin panels; `resources.taxonomy.search` reads them for search.
    """

    pillars = ParentalManyToManyField("taxonomy.Pillar", verbose_name=_("piliers"), blank=True, related_name="+")
    transversal_axes = ParentalManyToManyField(
        "taxonomy.TransversalAxis", verbose_name=_("axes transversaux"), blank=True, related_name="+"
    )
    themes = ParentalManyToManyField("taxonomy.Theme", verbose_name=_("thèmes"), blank=True, related_name="+")
    publics = ParentalManyToManyField("taxonomy.Public", verbose_name=_("publics"), blank=True, related_name="+")

    vocabulary_panels = [
        FieldPanel(name, widget=forms.CheckboxSelectMultiple)
        for name in ("pillars", "transversal_axes", "themes", "publics")
    ]

    class Meta:
        abstract = True

    def json_ld_classification(self):
        """schema.org `keywords` (themes, then the page's tags) and `about` (pillars and transversal axes)."""
        tags = getattr(self, "tags", None)
        return {
            "keywords": [t.label for t in self.themes.all()] + ([t.name for t in tags.all()] if tags else []),
            "about": [t.label for t in [*self.pillars.all(), *self.transversal_axes.all()]],
        }
