"""The site shell: home page, standard pages, site-wide settings."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page

from .blocks import BODY_BLOCKS


class HomePage(Page):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("page d'accueil")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["sections"] = self.get_children().live().public().in_menu().specific()
        return context


class StandardPage(Page):
    intro = models.TextField(_("chapô"), blank=True)
    body = StreamField(BODY_BLOCKS, blank=True, verbose_name=_("contenu"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]

    class Meta:
        verbose_name = _("page standard")
        verbose_name_plural = _("pages standard")


@register_setting(icon="cog")
class SiteSettings(ClusterableModel, BaseSiteSetting):
    site_name = models.CharField(
        _("nom du site"), max_length=120, default="Portail des centres de ressources politique de la ville"
    )
    tagline = models.CharField(_("accroche"), max_length=255, blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    footer_text = models.TextField(_("texte du pied de page"), blank=True)
    contact_email = models.EmailField(_("adresse de contact"), blank=True)

    panels = [
        MultiFieldPanel([FieldPanel("site_name"), FieldPanel("tagline"), FieldPanel("logo")], heading=_("Identité")),
        MultiFieldPanel([FieldPanel("footer_text"), FieldPanel("contact_email")], heading=_("Pied de page")),
        InlinePanel("social_links", heading=_("Réseaux sociaux"), label=_("lien")),
        InlinePanel("footer_links", heading=_("Liens du pied de page"), label=_("lien")),
    ]

    class Meta:
        verbose_name = _("réglages du site")


class SocialLink(Orderable):
    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="social_links")
    network = models.CharField(_("réseau"), max_length=60)
    url = models.URLField(_("adresse"))

    panels = [FieldPanel("network"), FieldPanel("url")]


class FooterLink(Orderable):
    settings = ParentalKey(SiteSettings, on_delete=models.CASCADE, related_name="footer_links")
    label = models.CharField(_("libellé"), max_length=120)
    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField(_("adresse externe"), blank=True)

    panels = [FieldPanel("label"), FieldPanel("page"), FieldPanel("url")]

    @property
    def href(self):
        return self.page.url if self.page_id else self.url
