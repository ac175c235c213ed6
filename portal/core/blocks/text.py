"""Text blocks: headings, paragraphs, quotes, callouts, links."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

# Editors get the features that keep pages accessible and printable: no colours, no raw HTML.
RICH_TEXT_FEATURES = ["h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "blockquote"]


def rich_text_block(**kwargs):
    return blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("Paragraphe"), **kwargs)


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Texte"), max_length=255)
    level = blocks.ChoiceBlock(
        choices=[("h2", _("Titre de niveau 2")), ("h3", _("Titre de niveau 3"))],
        default="h2",
        label=_("Niveau"),
    )

    class Meta:
        icon = "title"
        label = _("Titre")
        template = "core/blocks/heading.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("Citation"))
    source = blocks.CharBlock(label=_("Source"), required=False)

    class Meta:
        icon = "openquote"
        label = _("Citation")
        template = "core/blocks/quote.html"


class CalloutBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Titre"), required=False)
    text = rich_text_block()

    class Meta:
        icon = "help"
        label = _("Encadré")
        template = "core/blocks/callout.html"


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Libellé"))
    page = blocks.PageChooserBlock(label=_("Page interne"), required=False)
    url = blocks.URLBlock(label=_("Adresse externe"), required=False)

    class Meta:
        icon = "link"
        label = _("Lien d'action")
        template = "core/blocks/link.html"

    def clean(self, value):
        cleaned = super().clean(value)
        if not cleaned.get("page") and not cleaned.get("url"):
            from django.core.exceptions import ValidationError
            from wagtail.blocks import StructBlockValidationError

            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choisissez une page interne ou saisissez une adresse."))}
            )
        return cleaned
