"""Publications (notes, studies, guides, proceedings…) and thematic dossiers (SPEC §2, mission 3).

A publication lives in its centre's section, like an experience sheet, and its centre is derived
from there. A dossier lives in a centre's section or under the home page (national dossier) and
gathers sheets and publications on its themes. `DocumentText` keeps the text extracted from
uploaded documents (see services.py), so search can index what the PDFs say.
"""

import uuid
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    PageChooserPanel,
    TabbedInterface,
)
from wagtail.admin.widgets import AdminPageChooser
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from portal.centres.models import Centre, CentrePage, CentreSectionMixin  # noqa: F401 - migrations name it here
from portal.core import jsonld
from portal.core.blocks import BODY_BLOCKS
from portal.core.kinds import ContentKind, listing_date
from resources.library.filters import LibraryFilters
from resources.library.listing import (
    LIBRARY_URL,
    dossier_item_models,
    is_dossier_item,
    listing_queryset,
    load_pages,
    type_label,
)
from resources.taxonomy.models import ClassifiedPage

from .search_document import DossierSearchMixin, PublicationSearchMixin

# Resource types that are page types of their own, not a kind of publication (read when the
# field is defined, before content kinds can be discovered; migration 0001 holds the same list).
NOT_PUBLICATION_TYPES = ["fiche-experience", "dossier"]

# schema.org type per resource type; anything else is a plain CreativeWork.
SCHEMA_TYPES = {"etude": "Report", "note": "Report", "actes": "Report"}

# How many "also on this theme" items a dossier shows.
THEME_ITEMS_LIMIT = 6


def human_size(size):
    """A file size as French readers write it: « 800 octets », « 35 Ko », « 1,2 Mo » (SI units)."""
    if size is None:
        return ""
    if size < 1000:
        return f"{size}\u00a0octets"
    if size < 999_500:  # what would round to « 1000 Ko » is shown in Mo
        return f"{round(size / 1000)}\u00a0Ko"
    return f"{number_format(round(size / 1_000_000, 1), 1)}\u00a0Mo"


class PublicationTag(TaggedItemBase):
    content_object = ParentalKey("PublicationPage", on_delete=models.CASCADE, related_name="tagged_items")


class PublicationPage(PublicationSearchMixin, CentreSectionMixin, ClassifiedPage, Page):
    content_kind = ContentKind(
        slug="publication",
        label="Publication",
        plural="Publications",
        date_fields=("publication_date",),
        in_library=True,
        in_dossiers=True,
        type_field="resource_type",
    )
    uuid = models.UUIDField(_("identifiant stable"), default=uuid.uuid4, unique=True, editable=False)
    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="publications", editable=False
    )
    resource_type = models.ForeignKey(
        "taxonomy.ResourceType",
        verbose_name=_("type de publication"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to=~Q(slug__in=NOT_PUBLICATION_TYPES),
    )
    publication_date = models.DateField(_("date de publication"), default=timezone.localdate)
    summary = models.TextField(
        _("résumé"),
        validators=[MaxLengthValidator(1500)],
        help_text=_("1 500 caractères au plus ; il apparaît dans les listes et les résultats de recherche."),
    )
    authors = models.CharField(
        _("auteurs"), max_length=255, blank=True, help_text=_("Personnes ou structures, séparées par des virgules.")
    )
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("contenu"))

    tags = ClusterTaggableManager(through=PublicationTag, blank=True, verbose_name=_("mots-clés"))

    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image de couverture"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    parent_page_types = ["centres.CentrePage"]
    subpage_types = []

    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.SearchField("authors"),
        index.FilterField("centre"),
    ]

    publication_panels = [
        FieldRowPanel([FieldPanel("resource_type"), FieldPanel("publication_date")]),
        FieldPanel("authors"),
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]
    classification_panels = [
        *ClassifiedPage.vocabulary_panels,
        FieldPanel("tags"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(Page.content_panels + publication_panels, heading=_("Publication")),
            ObjectList(
                [InlinePanel("documents", heading=_("Documents joints"), label=_("document"))],
                heading=_("Documents"),
            ),
            ObjectList(classification_panels, heading=_("Classement")),
            ObjectList(Page.promote_panels, heading=_("Référencement")),
            ObjectList(Page.settings_panels, heading=_("Paramètres")),
        ]
    )

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")

    @property
    def attachments_text(self):
        """The text extracted from the attached documents, in their order (for the search index)."""
        document_ids = [item.document_id for item in self.documents.all()]
        texts = dict(DocumentText.objects.filter(document_id__in=document_ids).values_list("document_id", "text"))
        return "\n\n".join(texts[pk] for pk in document_ids if texts.get(pk))

    @property
    def schema_type(self):
        return SCHEMA_TYPES.get(self.resource_type.slug, "CreativeWork") if self.resource_type_id else "CreativeWork"

    def json_ld(self, request=None):
        """schema.org description of the publication (CreativeWork or Report)."""

        # On the host and port the visitor used; without a request, the Site's root URL.
        site = self.get_site()
        root = request.build_absolute_uri("/").rstrip("/") if request else (site.root_url if site else "")

        def absolute(url):
            return url if url.startswith(("http://", "https://")) else root + url

        encodings = [
            {
                "@type": "MediaObject",
                "name": item.label,
                "contentUrl": absolute(item.document.url),
                "encodingFormat": "application/pdf",
            }
            for item in self.documents.all()
            if item.is_pdf
        ]
        return jsonld.describe(
            self.schema_type,
            page=self,
            centre=self.centre,
            request=request,
            abstract=self.summary,
            datePublished=self.publication_date,
            genre=self.resource_type.label if self.resource_type_id else None,
            author=self.authors,
            **self.json_ld_classification(),
            encoding=encodings,
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["json_ld"] = jsonld.script(self.json_ld(request))
        context["library_url"] = LIBRARY_URL
        return context


class PublicationDocument(Orderable):
    """A document attached to a publication, from the centre's collection."""

    page = ParentalKey(PublicationPage, on_delete=models.CASCADE, related_name="documents")
    document = models.ForeignKey(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="+"
    )
    title = models.CharField(
        _("titre"), max_length=255, blank=True, help_text=_("Laissez vide pour reprendre le titre du document.")
    )

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("document joint")
        verbose_name_plural = _("documents joints")

    @property
    def label(self):
        return self.title or self.document.title

    @property
    def file_type(self):
        return self.document.file_extension.upper()

    @property
    def is_pdf(self):
        return self.document.file_extension.lower() == "pdf"

    @property
    def file_size(self):
        return self.document.get_file_size()  # None when the file is missing

    @property
    def size_label(self):
        return human_size(self.file_size)


class DocumentText(models.Model):
    """The text of a document, extracted once per file version (file_hash) by services.extract_document_text."""

    document = models.OneToOneField(
        "wagtaildocs.Document", verbose_name=_("document"), on_delete=models.CASCADE, related_name="extracted_text"
    )
    file_hash = models.CharField(_("empreinte du fichier"), max_length=40, blank=True)
    text = models.TextField(_("texte extrait"), blank=True)
    extracted_at = models.DateTimeField(_("extrait le"), null=True, blank=True)
    error = models.TextField(_("erreur d'extraction"), blank=True)

    class Meta:
        verbose_name = _("texte extrait d'un document")
        verbose_name_plural = _("textes extraits des documents")

    def __str__(self):
        return str(self.document)


class DossierPage(DossierSearchMixin, CentreSectionMixin, Page):
    content_kind = ContentKind(slug="dossier", label="Dossier thématique", plural="Dossiers thématiques")
    centre_optional = True  # under the home page, a dossier is national
    centre = models.ForeignKey(
        Centre,
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dossiers",
        editable=False,
        help_text=_("Vide pour un dossier national."),
    )
    intro = models.TextField(_("introduction"), validators=[MaxLengthValidator(1500)])
    themes = ParentalManyToManyField("taxonomy.Theme", verbose_name=_("thèmes"), related_name="+")
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("contenu"))

    parent_page_types = ["centres.CentrePage", "core.HomePage"]
    subpage_types = []

    search_fields = Page.search_fields + [index.SearchField("intro")]

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        FieldPanel(
            "themes",
            widget=forms.CheckboxSelectMultiple,
            help_text=_("Les fiches et publications récentes sur ces thèmes s'affichent automatiquement."),
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [InlinePanel("related_items", label=_("contenu"))],
            heading=_("Sélection de fiches et de publications"),
        ),
    ]

    class Meta:
        verbose_name = _("dossier thématique")
        verbose_name_plural = _("dossiers thématiques")

    def curated_items(self):
        """(page, comment) for the chosen items visible to the public, in the editor's order."""
        rows = list(self.related_items.all())
        pages = Page.objects.filter(pk__in=[row.item_id for row in rows]).live().public().specific().in_bulk()
        return [
            (pages[row.item_id], row.comment)
            for row in rows
            if row.item_id in pages and is_dossier_item(pages[row.item_id])
        ]

    def theme_items(self, exclude=(), limit=THEME_ITEMS_LIMIT):
        """The latest live items sharing one of the dossier's themes, except those in `exclude`."""
        themes = [theme.slug for theme in self.themes.all()]
        if not themes:
            return []
        same_theme = LibraryFilters({"theme": themes})  # the library's theme filter, on every gatherable kind
        return load_pages(listing_queryset(same_theme, dossier_item_models(), exclude)[:limit])

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        curated = self.curated_items()
        context["curated"] = [
            {"page": page, "comment": comment, "type": type_label(page), "date": listing_date(page)}
            for page, comment in curated
        ]
        context["on_theme"] = [
            {"page": page, "type": type_label(page), "date": listing_date(page)}
            for page in self.theme_items(exclude=[page.pk for page, _comment in curated])
        ]
        context["library_url"] = LIBRARY_URL
        context["library_themes_url"] = f"{LIBRARY_URL}?{urlencode([('theme', t.slug) for t in self.themes.all()])}"
        return context


class DossierItemChooserPanel(PageChooserPanel):
    """A page chooser offering the page types that declare `in_dossiers` (discovered when the form is built)."""

    def get_form_options(self):
        options = super().get_form_options()
        options.setdefault("widgets", {})[self.field_name] = AdminPageChooser(target_models=dossier_item_models())
        return options


class DossierItem(Orderable):
    """A sheet or publication chosen by the editor for a dossier."""

    dossier = ParentalKey(DossierPage, on_delete=models.CASCADE, related_name="related_items")
    item = models.ForeignKey("wagtailcore.Page", verbose_name=_("contenu"), on_delete=models.CASCADE, related_name="+")
    comment = models.CharField(
        _("commentaire"),
        max_length=255,
        blank=True,
        help_text=_("Ce que ce contenu apporte au dossier (facultatif)."),
    )

    panels = [DossierItemChooserPanel("item"), FieldPanel("comment")]

    class Meta(Orderable.Meta):
        verbose_name = _("contenu du dossier")
        verbose_name_plural = _("contenus du dossier")

    def clean(self):
        super().clean()
        if self.item_id and not is_dossier_item(self.item):
            accepted = ", ".join(str(model._meta.verbose_name) for model in dossier_item_models())
            raise ValidationError(
                {
                    "item": _("Ce type de page ne peut pas figurer dans un dossier (acceptés : %(types)s).")
                    % {"types": accepted}
                }
            )
