"""The experience sheet (fiche d'expérience), in the common CGET format of SPEC §3.

Every key of the exchange format is a real field here, so sheets compare, filter and
aggregate nationally. The codec (`codec/`) maps this model to and from `crpv-experience/1`.
"""

import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from portal.centres.models import Centre, CentreSectionMixin
from portal.core import jsonld
from portal.core.addresses import page_full_url
from portal.core.kinds import ContentKind
from portal.core.ratelimit import rate_limited
from resources.taxonomy.models import ClassifiedPage

from .search_document import SheetSearchMixin
from .validators import validate_insee_commune, validate_qpv, validate_siren

# The nine narrative sections, in reading order: (field name = format key, French heading).
SECTIONS = [
    ("context", _("Contexte")),
    ("objectives", _("Objectifs")),
    ("description", _("Description de l'action")),
    ("means", _("Moyens mobilisés")),
    ("results", _("Résultats et effets observés")),
    ("success_factors", _("Facteurs de réussite")),
    ("difficulties", _("Difficultés rencontrées")),
    ("transferability", _("Conditions de transférabilité")),
    ("outlook", _("Perspectives")),
]
# What the rich-text editor offers matches what the importer keeps (see sanitize.ALLOWED_TAGS).
SECTION_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "blockquote"]


class Status(models.TextChoices):
    PLANNED = "en_projet", _("En projet")
    RUNNING = "en_cours", _("En cours")
    FINISHED = "terminee", _("Terminée")


class PorteurType(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    LOCAL_AUTHORITY = "collectivite", _("Collectivité")
    STATE = "etat", _("État")
    SOCIAL_LANDLORD = "bailleur", _("Bailleur social")
    COMPANY = "entreprise", _("Entreprise")
    PUBLIC_BODY = "etablissement_public", _("Établissement public")
    OTHER = "autre", _("Autre")


class FunderType(models.TextChoices):
    ASSOCIATION = "association", _("Association")
    LOCAL_AUTHORITY = "collectivite", _("Collectivité")
    STATE = "etat", _("État")
    SOCIAL_LANDLORD = "bailleur", _("Bailleur social")
    COMPANY = "entreprise", _("Entreprise")
    PUBLIC_BODY = "etablissement_public", _("Établissement public")
    EUROPEAN_UNION = "union_europeenne", _("Union européenne")
    FOUNDATION = "fondation", _("Fondation")
    OTHER = "autre", _("Autre")


class ExperienceSheetTag(TaggedItemBase):
    content_object = ParentalKey("ExperienceSheetPage", on_delete=models.CASCADE, related_name="tagged_items")


def _section_field(label):
    return RichTextField(label, blank=True, features=SECTION_FEATURES)


class ExperienceSheetPage(SheetSearchMixin, CentreSectionMixin, ClassifiedPage, RoutablePageMixin, Page):
    content_kind = ContentKind(
        slug="fiche-experience",
        label="Fiche d'expérience",
        plural="Fiches d'expérience",
        date_fields=("written_on",),
        in_library=True,
        in_dossiers=True,
        search_weight=1.5,
    )
    uuid = models.UUIDField(_("identifiant stable"), default=uuid.uuid4, unique=True, editable=False)
    summary = models.TextField(_("résumé"), validators=[MaxLengthValidator(1500)])
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="experience_sheets", editable=False
    )
    author = models.CharField(_("rédigée par"), max_length=255, blank=True)
    written_on = models.DateField(_("rédigée le"), null=True, blank=True)
    period_start = models.DateField(_("début de l'action"), null=True, blank=True)
    period_end = models.DateField(_("fin de l'action"), null=True, blank=True)
    period_ongoing = models.BooleanField(_("action en cours"), default=False)
    status = models.CharField(_("état d'avancement"), max_length=20, choices=Status.choices, blank=True)

    region = models.ForeignKey(
        "taxonomy.Region", verbose_name=_("région"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    departement = models.ForeignKey(
        "taxonomy.Departement",
        verbose_name=_("département"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    epci = models.CharField(_("EPCI (SIREN)"), max_length=9, blank=True, validators=[validate_siren])
    hors_qpv = models.BooleanField(_("action hors quartier prioritaire"), default=False)

    porteur_name = models.CharField(_("porteur"), max_length=255, blank=True)
    porteur_type = models.CharField(_("type de porteur"), max_length=30, choices=PorteurType.choices, blank=True)
    budget_eur = models.DecimalField(
        _("budget total (€)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    tags = ClusterTaggableManager(through=ExperienceSheetTag, blank=True, verbose_name=_("mots-clés"))

    context = _section_field(_("Contexte"))
    objectives = _section_field(_("Objectifs"))
    description = _section_field(_("Description de l'action"))
    means = _section_field(_("Moyens mobilisés"))
    results = _section_field(_("Résultats et effets observés"))
    success_factors = _section_field(_("Facteurs de réussite"))
    difficulties = _section_field(_("Difficultés rencontrées"))
    transferability = _section_field(_("Conditions de transférabilité"))
    outlook = _section_field(_("Perspectives"))

    contact_name = models.CharField(_("nom du contact"), max_length=255, blank=True)
    contact_organisation = models.CharField(_("structure du contact"), max_length=255, blank=True)
    contact_email = models.EmailField(_("courriel du contact"), blank=True)
    contact_phone = models.CharField(_("téléphone du contact"), max_length=30, blank=True)
    contact_public = models.BooleanField(
        _("afficher le contact publiquement"),
        default=False,
        help_text=_("Sans cette case, le contact n'apparaît ni sur le site, ni dans l'API, ni dans les exports."),
    )

    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("illustration"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chantier = models.ForeignKey(
        "taxonomy.Chantier",
        verbose_name=_("chantier du programme national"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sheets",
    )

    parent_page_types = ["centres.CentrePage"]
    subpage_types = []

    description_panels = [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("written_on"),
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("period_start"), FieldPanel("period_end"), FieldPanel("period_ongoing")]),
            ],
            heading=_("Auteur et période"),
        ),
        MultiFieldPanel(
            [FieldPanel("porteur_name"), FieldPanel("porteur_type"), FieldPanel("budget_eur")],
            heading=_("Porteur et budget"),
        ),
        InlinePanel("partners", heading=_("Partenaires"), label=_("partenaire")),
        InlinePanel("funders", heading=_("Financeurs"), label=_("financeur")),
        FieldPanel("image"),
    ]
    territory_panels = [
        FieldPanel("region"),
        FieldPanel("departement"),
        FieldPanel("epci"),
        InlinePanel("communes", heading=_("Communes"), label=_("commune")),
        InlinePanel("qpvs", heading=_("Quartiers prioritaires"), label=_("quartier")),
        FieldPanel("hors_qpv"),
    ]
    classification_panels = [
        *ClassifiedPage.vocabulary_panels,
        FieldPanel("tags"),
        FieldPanel("chantier"),
    ]
    narrative_panels = [FieldPanel(name) for name, _label in SECTIONS]
    contact_panels = [
        FieldPanel("contact_name"),
        FieldPanel("contact_organisation"),
        FieldPanel("contact_email"),
        FieldPanel("contact_phone"),
        FieldPanel("contact_public"),
        InlinePanel("documents", heading=_("Documents"), label=_("document")),
        InlinePanel("links", heading=_("Liens"), label=_("lien")),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(Page.content_panels + description_panels, heading=_("Fiche")),
            ObjectList(territory_panels, heading=_("Territoire")),
            ObjectList(classification_panels, heading=_("Classement")),
            ObjectList(narrative_panels, heading=_("Récit")),
            ObjectList(contact_panels, heading=_("Contact et documents")),
            ObjectList(Page.promote_panels, heading=_("Référencement")),
            ObjectList(Page.settings_panels, heading=_("Paramètres")),
        ]
    )

    class Meta:
        verbose_name = _("fiche d'expérience")
        verbose_name_plural = _("fiches d'expériences")

    def clean(self):
        super().clean()
        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("La fin de l'action précède son début.")
        if self.departement_id and self.region_id and self.departement.region_id != self.region_id:
            errors["departement"] = _("Ce département n'appartient pas à la région choisie.")
        if errors:
            raise ValidationError(errors)

    @property
    def sections(self):
        """(key, heading, html) of the non-empty narrative sections, in reading order."""
        return [(name, label, getattr(self, name)) for name, label in SECTIONS if getattr(self, name)]

    @property
    def public_contact(self):
        if not self.contact_public:
            return None
        return {
            "name": self.contact_name,
            "organisation": self.contact_organisation,
            "email": self.contact_email,
            "phone": self.contact_phone,
        }

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["json_ld"] = jsonld.script(self.json_ld(request))
        # « Source » of the printed page and the PDF: on the host and port the visitor used.
        context["page_address"] = page_full_url(self, request)
        return context

    @path("pdf/", name="pdf")
    @rate_limited("pdf")
    def pdf(self, request):
        from .pdf import sheet_pdf_response  # WeasyPrint is loaded only when a PDF is asked for

        return sheet_pdf_response(self, request)

    def json_ld(self, request=None):
        """schema.org description of the sheet (JSON-LD in the page head). Never holds the contact."""
        area = None
        if self.region_id:
            area = {"@type": "AdministrativeArea", "name": self.region.name, "identifier": self.region.code}
        if self.departement_id:
            dep = {"@type": "AdministrativeArea", "name": self.departement.name, "identifier": self.departement.code}
            area = {**dep, "containedInPlace": area} if area else dep
        places = [
            {"@type": "Place", "name": c.name, "identifier": c.insee, **({"containedInPlace": area} if area else {})}
            for c in self.communes.all()
        ]
        places += [{"@type": "Place", "name": q.name, "identifier": q.code} for q in self.qpvs.all()]
        temporal = None
        if self.period_start:
            end = "" if self.period_ongoing or not self.period_end else self.period_end.isoformat()
            temporal = f"{self.period_start.isoformat()}/{end or '..'}"
        image = None
        if self.image_id and request:
            image = request.build_absolute_uri(self.image.get_rendition("width-1200").url)
        publisher = jsonld.organization(self.centre, request)
        return jsonld.describe(
            "Article",
            page=self,
            centre=self.centre,
            request=request,
            headline=self.title[:110],
            abstract=self.summary,
            identifier=str(self.uuid),
            author={"@type": "Person", "name": self.author} if self.author else publisher,
            datePublished=self.first_published_at,
            dateModified=self.last_published_at or self.latest_revision_created_at,
            dateCreated=self.written_on,
            genre="Fiche d'expérience",
            **self.json_ld_classification(),
            audience=[{"@type": "Audience", "audienceType": p.label} for p in self.publics.all()],
            spatialCoverage=places or area,
            temporalCoverage=temporal,
            image=image,
        )


class SheetCommune(Orderable):
    page = ParentalKey(ExperienceSheetPage, on_delete=models.CASCADE, related_name="communes")
    insee = models.CharField(_("code INSEE"), max_length=5, validators=[validate_insee_commune])
    name = models.CharField(_("nom"), max_length=120)

    panels = [FieldRowPanel([FieldPanel("insee"), FieldPanel("name")])]


class SheetQpv(Orderable):
    page = ParentalKey(ExperienceSheetPage, on_delete=models.CASCADE, related_name="qpvs")
    code = models.CharField(_("code QPV"), max_length=8, validators=[validate_qpv])
    name = models.CharField(_("nom"), max_length=160)

    panels = [FieldRowPanel([FieldPanel("code"), FieldPanel("name")])]


class SheetPartner(Orderable):
    page = ParentalKey(ExperienceSheetPage, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("nom"), max_length=255)

    panels = [FieldPanel("name")]


class SheetFunder(Orderable):
    page = ParentalKey(ExperienceSheetPage, on_delete=models.CASCADE, related_name="funders")
    name = models.CharField(_("nom"), max_length=255)
    type = models.CharField(_("type"), max_length=30, choices=FunderType.choices)
    amount_eur = models.DecimalField(
        _("montant (€)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )

    panels = [FieldRowPanel([FieldPanel("name"), FieldPanel("type"), FieldPanel("amount_eur")])]


class SheetDocument(Orderable):
    """A document of the sheet: a Wagtail document of the centre's collection, or an external address."""

    page = ParentalKey(ExperienceSheetPage, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=255)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    url = models.URLField(_("adresse externe"), max_length=500, blank=True)

    panels = [FieldPanel("title"), FieldPanel("document"), FieldPanel("url")]

    def clean(self):
        if not self.document_id and not self.url:
            raise ValidationError(_("Choisissez un document ou saisissez une adresse."))

    @property
    def href(self):
        return self.document.url if self.document_id else self.url


class SheetLink(Orderable):
    page = ParentalKey(ExperienceSheetPage, on_delete=models.CASCADE, related_name="links")
    title = models.CharField(_("titre"), max_length=255)
    url = models.URLField(_("adresse"), max_length=500)

    panels = [FieldRowPanel([FieldPanel("title"), FieldPanel("url")])]
