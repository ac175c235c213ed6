"""Media blocks: images with mandatory alternative text, embedded videos."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Texte alternatif"),
        required=False,
        help_text=_("Laissez vide si l'image est décorative."),
    )
    caption = blocks.CharBlock(label=_("Légende"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "core/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("Adresse de la vidéo"))
    transcript = blocks.TextBlock(label=_("Transcription"), required=False)

    class Meta:
        icon = "media"
        label = _("Vidéo")
        template = "core/blocks/video.html"
