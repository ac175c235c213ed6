"""Newsletter issues: a Wagtail page in a centre's section, composed of portal content by reference.

An issue is a draft until it is sent: the send engine (sending.py) publishes it when the send
starts, which makes its web archive page public and searchable (its `content_kind`). Blocks that
pull a sheet, a publication, an event or a training cycle store only the page: the mail is
rendered from the referenced page at send time, so a correction made meanwhile reaches the mail.
"""

from django import forms
from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, Panel
from wagtail.fields import StreamField
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page

from portal.accounts.roles import is_national
from portal.centres.forms import CentrePageForm
from portal.centres.models import Centre, CentreSectionMixin
from portal.core.blocks.text import rich_text_block
from portal.core.kinds import ContentKind

# The page types an issue may pull, by reference.
ITEM_PAGE_TYPES = [
    "experiences.ExperienceSheetPage",
    "publications.PublicationPage",
    "events.EventPage",
    "events.TrainingCyclePage",
]


class ItemBlock(blocks.StructBlock):
    page = blocks.PageChooserBlock(page_type=ITEM_PAGE_TYPES, label=_("Contenu du portail"))
    note = blocks.TextBlock(
        label=_("Mot d'accompagnement"), required=False, help_text=_("Facultatif : quelques mots avant le résumé.")
    )

    class Meta:
        icon = "doc-full"
        label = _("Fiche, publication, événement ou formation")


class IssueImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(label=_("Texte alternatif"), required=False)
    caption = blocks.CharBlock(label=_("Légende"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")


ISSUE_BLOCKS = [
    ("item", ItemBlock()),
    ("text", rich_text_block()),
    ("image", IssueImageBlock()),
]


class IssueForm(CentrePageForm):
    """Offers only the lists the issue may go to: its centre's, plus the national ones for the national team."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "lists" not in self.fields:
            return
        from .models import MailingList

        centre = self.instance.owning_centre() if self.instance.path else None
        if centre is None and self.parent_page is not None:
            centre = Centre.objects.filter(pk=getattr(self.parent_page.specific, "centre_id", None)).first()
        user = getattr(self, "for_user", None)
        allowed = models.Q(centre=centre) if centre else models.Q(pk__in=[])
        if user is not None and is_national(user):
            allowed |= models.Q(centre__isnull=True)
        self.fields["lists"].queryset = MailingList.objects.filter(allowed)
        self.fields["lists"].widget = forms.CheckboxSelectMultiple()
        self.fields["lists"].widget.choices = self.fields["lists"].choices


class WhatsNewPanel(Panel):
    """« Quoi de neuf depuis la dernière lettre » : the centre's items published since its last sent issue."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "newsletters/admin/whats_new_panel.html"

        def get_context_data(self, parent_context=None):
            from .composing import whats_new

            context = super().get_context_data(parent_context)
            context["items"] = whats_new(self.instance) if self.instance.pk else None
            return context


class IssueSearchMixin:
    @classmethod
    def search_queryset(cls, queryset):
        return queryset.select_related("centre")

    def search_document(self):
        from .rendering import body_items

        sections = []
        for item in body_items(self):
            sections += [item.get("title", ""), item.get("summary", ""), item.get("html", "")]
        return {
            "title": self.title,
            "summary": self.intro,
            "sections": "\n".join(part for part in sections if part),
            "centre": self.centre.code if self.centre_id else None,
        }


class NewsletterIssuePage(IssueSearchMixin, CentreSectionMixin, Page):
    content_kind = ContentKind(
        slug="lettre", label="Lettre d'information", plural="Lettres d'information", search_weight=0.3
    )

    centre = models.ForeignKey(
        Centre, verbose_name=_("centre"), on_delete=models.PROTECT, related_name="+", editable=False
    )
    subject = models.CharField(_("objet du courriel"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ISSUE_BLOCKS, blank=True, verbose_name=_("contenu"))
    lists = ParentalManyToManyField(
        "newsletters.MailingList", verbose_name=_("listes de diffusion"), blank=True, related_name="+"
    )
    send_at = models.DateTimeField(
        _("envoi prévu le"), null=True, blank=True, help_text=_("Facultatif : proposé par défaut au moment d'envoyer.")
    )

    base_form_class = IssueForm
    template = "newsletters/issue_page.html"
    content_panels = [
        *Page.content_panels,
        FieldPanel("subject"),
        FieldPanel("intro"),
        WhatsNewPanel(heading=_("Quoi de neuf depuis la dernière lettre")),
        FieldPanel("body"),
        MultiFieldPanel([FieldPanel("lists"), FieldPanel("send_at")], heading=_("Destinataires")),
    ]
    parent_page_types = ["centres.CentrePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lettre d'information")
        verbose_name_plural = _("lettres d'information")

    def serve(self, request, *args, **kwargs):
        # The archive is public once the issue has been sent, never before (even if published by hand).
        if not self.was_sent():
            raise Http404
        return super().serve(request, *args, **kwargs)

    def was_sent(self):
        from .delivery import ARCHIVED_STATES, IssueSend

        return IssueSend.objects.filter(issue_id=self.pk, state__in=ARCHIVED_STATES).exists()

    def get_context(self, request, *args, **kwargs):
        from .rendering import body_items

        context = super().get_context(request, *args, **kwargs)
        context["items"] = body_items(self)
        return context
