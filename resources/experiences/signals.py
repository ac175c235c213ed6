from django.dispatch import receiver
from wagtail.signals import post_page_move

from .models import ExperienceSheetPage


@receiver(post_page_move)
def follow_centre_on_move(sender, instance, **kwargs):
    """A sheet moved into another centre's section now belongs to that centre."""
    if isinstance(instance.specific, ExperienceSheetPage):
        sheet = ExperienceSheetPage.objects.get(pk=instance.pk)
        owner = sheet.owning_centre()
        if owner and owner.pk != sheet.centre_id:
            ExperienceSheetPage.objects.filter(pk=sheet.pk).update(centre=owner)
