"""Centres (reference data) and their public sections in the page tree.

A `Centre` is the reference record (code, territory, funding flags) edited in the admin;
its `CentrePage` is the root of everything the centre publishes, and its collection holds
its images and documents. Groups give each centre's staff rights on exactly those two.
"""

from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Collection, Page

from portal.core.blocks import BODY_BLOCKS

from .forms import CentrePageForm

code_validator = RegexValidator(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", _("Le code ne contient que des minuscules, chiffres et tirets.")
)
region_list_validator = RegexValidator(
    r"^\d{2}(,\d{2})*$", _("Codes INSEE de région à deux chiffres, séparés par des virgules (ex. 11,84).")
)


class CentreQuerySet(models.QuerySet):
    def for_user(self, user):
        """The centres whose content this user may edit (empty for the public)."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(models.Q(editors_group__user=user) | models.Q(moderators_group__user=user)).distinct()


class Centre(models.Model):
    code = models.SlugField(_("code"), max_length=60, unique=True, validators=[code_validator])
    name = models.CharField(_("nom"), max_length=255)
    territory = models.CharField(_("territoire"), max_length=255)
    region_codes = models.CharField(
        _("régions (codes INSEE)"), max_length=60, blank=True, validators=[region_list_validator]
    )
    departement_codes = models.CharField(_("départements couverts"), max_length=120, blank=True)
    overseas = models.BooleanField(_("outre-mer"), default=False)
    state_funded = models.BooleanField(_("financé par l'État"), default=True)
    website = models.URLField(_("site web"), blank=True)
    collection = models.OneToOneField(
        Collection, verbose_name=_("collection"), null=True, blank=True, on_delete=models.PROTECT, related_name="centre"
    )
    editors_group = models.OneToOneField(
        Group, verbose_name=_("groupe des éditeurs"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    moderators_group = models.OneToOneField(
        Group,
        verbose_name=_("groupe des modérateurs"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CentreQuerySet.as_manager()

    panels = [
        FieldPanel("code", read_only=True),
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("territory"), FieldPanel("region_codes"), FieldPanel("departement_codes")],
            heading=_("Territoire"),
        ),
        FieldPanel("overseas"),
        FieldPanel("state_funded"),
        FieldPanel("website"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = _("centre de ressources")
        verbose_name_plural = _("centres de ressources")

    def __str__(self):
        return self.name

    @property
    def regions(self):
        return [code for code in self.region_codes.split(",") if code]

    @property
    def page(self):
        return CentrePage.objects.filter(centre=self).first()


class CentresIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["core.HomePage"]
    subpage_types = ["centres.CentrePage"]
    max_count = 1

    class Meta:
        verbose_name = _("liste des centres")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        pages = CentrePage.objects.child_of(self).live().public().select_related("centre")
        context["metropolitan"] = [p for p in pages if not p.centre.overseas]
        context["overseas"] = [p for p in pages if p.centre.overseas]
        return context


class CentrePage(Page):
    centre = models.OneToOneField(Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+")
    intro = models.TextField(_("présentation courte"), blank=True)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("contenu"))
    address = models.TextField(_("adresse"), blank=True)
    email = models.EmailField(_("courriel de contact"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("centre", read_only=True),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("address"), FieldPanel("email"), FieldPanel("phone")], heading=_("Contact")),
    ]
    parent_page_types = ["centres.CentresIndexPage"]

    class Meta:
        verbose_name = _("page de centre")
        verbose_name_plural = _("pages de centre")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recent"] = self.get_descendants().live().public().specific().order_by("-first_published_at")[:12]
        return context


class CentreSectionMixin:
    """Pages whose centre is the section they sit in, derived from the tree path (never from a form).

    Wagtail cleans a page with `full_clean` when it goes live and `minimal_clean` when it is
    saved as a draft: both derive the centre before validating, so drafts and moves get it too.
    """

    # True for pages that may also sit outside every section (national ones): their centre is then None.
    centre_optional = False
    # Attaches only the centre's images and documents (see forms.py).
    base_form_class = CentrePageForm

    def owning_centre(self):
        """The centre whose section holds this page (works before the first save: the path is set by add_child)."""
        if not self.path or len(self.path) <= self.steplen:
            return None
        section = CentrePage.objects.filter(path=self.path[: -self.steplen]).select_related("centre").first()
        return section.centre if section else None

    def take_centre_from_section(self):
        if not self.path:
            return
        owner = self.owning_centre()
        if owner or self.centre_optional:
            self.centre = owner

    def full_clean(self, *args, **kwargs):
        self.take_centre_from_section()
        super().full_clean(*args, **kwargs)

    def minimal_clean(self):
        self.take_centre_from_section()
        super().minimal_clean()
